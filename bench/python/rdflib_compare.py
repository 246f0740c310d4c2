#!/usr/bin/python3
"""rdflib on kgstore's store plugin against rdflib's default in-memory store.

Generates the benchmark graph (bench/generate.cc, `kg_generate --triples N`,
N-Triples) and then, one system at a time, each in a fresh Python process
(so that its peak RSS is its own):

  memory          rdflib.Graph() (rdflib's Memory store): Graph.parse of the
                  file; queries through g.query (rdflib's SPARQL evaluator)
  kgstore         rdflib.Graph(store="kgstore"), .open(DIR, create=True) with
                  the store's defaults (durable commits, a commit every
                  10,000 writes): Graph.parse of the file (rdflib's parser,
                  every triple through Store.add), then g.commit(); queries
                  through g.query, which the store hands to kgstore's engine
  kgstore-bulk    kgstore's own bulk loader, kgstore.open(DIR).load(file)
                  (median of --load-runs loads into fresh folders), then the
                  same queries through rdflib.Graph(store="kgstore") opened
                  on the last of them

Queries (every row of the answer iterated, each cell's str taken):

  point     SELECT ?label WHERE { ex:person-42 rdfs:label ?label }
  one_hop   a person's metWith neighbours with their labels (a 1-hop join)
  group_by  entities per class: ?s a ?type GROUP BY ?type, COUNT
  path      meetings located (transitively, kg:locatedIn+) in a country

Each query runs once ("first"), then --runs more times (and short ones on
until their runs add up to --min-total seconds, at most --max-runs) unless
the first run took over --repeat-under seconds (then the first run stands
alone: marked "single run"). Times are medians of those runs, as wall clock
and as the calling thread's CPU time (the steadier figure on a shared
machine: rdflib's evaluator and kgstore's engine both run in that thread).
A query still running after --cap seconds is stopped (SIGALRM; rdflib's
evaluator is Python, so the signal is seen) and reported as "> cap". The answers of every system are compared (rows as sorted lists of
str); a mismatch is printed under the table.

Loads into rdflib stores take minutes at 1M: they run once (single runs).
Load CPU is the process's (kgstore's loader uses several threads). Peak
RSS is the child process's ru_maxrss, after the load and at the end. The
data and stores stay in --work (default /tmp/kgstore-rdflib-N); a second
run reuses the data file.

  PYTHONPATH=tools/python KGSTORE_LIBRARY=build/libkgstore.so \\
      /usr/bin/python3 bench/python/rdflib_compare.py --triples 1000000
"""

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time

SYSTEMS = ("memory", "kgstore", "kgstore-bulk")

PREFIXES = """PREFIX kg:   <https://kgstore.example/vocab#>
PREFIX ex:   <https://kgstore.example/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
QUERIES = {
    "point": "SELECT ?label WHERE { ex:person-42 rdfs:label ?label }",
    "one_hop": "SELECT ?x ?label WHERE { ex:person-42 kg:metWith ?x . "
               "?x rdfs:label ?label }",
    "group_by": "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } "
                "GROUP BY ?type",
    "path": "SELECT (COUNT(?m) AS ?n) WHERE { "
            "?m kg:location/kg:locatedIn+ ex:country-1 }",
}


def parse_args():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1000000)
    parser.add_argument("--build", default=os.path.join(root, "build"),
                        help="build folder with bench/kg_generate")
    parser.add_argument("--work", help="data and stores (default: "
                        "/tmp/kgstore-rdflib-N); left in place")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--runs", type=int, default=3,
                        help="runs after the first, per query (default 3)")
    parser.add_argument("--repeat-under", type=float, default=60,
                        help="repeat a query only when its first run took "
                        "less than this many seconds (default 60)")
    parser.add_argument("--min-total", type=float, default=2,
                        help="repeat a short query until its runs add up "
                        "to this many seconds (default 2) ...")
    parser.add_argument("--max-runs", type=int, default=50,
                        help="... or this many runs (default 50)")
    parser.add_argument("--cap", type=float, default=600,
                        help="seconds a query may run (default 600)")
    parser.add_argument("--load-runs", type=int, default=3,
                        help="bulk loads (kgstore-bulk) for the median")
    parser.add_argument("--out", help="write the Markdown table here too")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.work is None:
        args.work = "/tmp/kgstore-rdflib-%d" % args.triples
    args.data = os.path.join(args.work, "data.nt")
    return args


# ---- one system, in its own process -----------------------------------------

class Cap(Exception):
    pass


def _alarm(signum, frame):
    raise Cap()


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_query(graph, text, cap):
    """(wall seconds, CPU seconds of this thread, answer rows), or Nones
    past the cap."""
    signal.setitimer(signal.ITIMER_REAL, cap)
    try:
        start, cpu = time.perf_counter(), time.thread_time()
        rows = []
        for row in graph.query(PREFIXES + text):
            rows.append(tuple("" if cell is None else str(cell)
                              for cell in row))
        seconds = time.perf_counter() - start
        cpu = time.thread_time() - cpu
    except Cap:
        return None, None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return seconds, cpu, sorted(rows)


def run_queries(graph, args, report):
    signal.signal(signal.SIGALRM, _alarm)
    for name, text in QUERIES.items():
        first, first_cpu, answer = run_query(graph, text, args.cap)
        entry = {"first": first, "first_cpu": first_cpu, "runs": [],
                 "cpu_runs": [], "rows": None}
        report["queries"][name] = entry
        if first is None:
            entry["capped"] = True
            print("  %-9s > %.0f s (cap)" % (name, args.cap), file=sys.stderr)
            continue
        entry["rows"] = len(answer)
        report["answers"][name] = answer
        if first < args.repeat_under:
            # --runs at least; short queries until --min-total seconds
            while (len(entry["runs"]) < args.runs or
                   (len(entry["runs"]) < args.max_runs and
                    sum(entry["runs"]) < args.min_total)):
                seconds, cpu, again = run_query(graph, text, args.cap)
                if seconds is None or again != answer:
                    entry["unstable"] = True
                    break
                entry["runs"].append(seconds)
                entry["cpu_runs"].append(cpu)
        if entry["runs"]:
            entry["median"] = statistics.median(entry["runs"])
            entry["median_cpu"] = statistics.median(entry["cpu_runs"])
        else:
            entry["median"], entry["median_cpu"] = first, first_cpu
        entry["single"] = not entry["runs"]
        print("  %-9s first %.4f s, median %.4f s wall %.4f s CPU over %d, "
              "%d rows" % (name, first, entry["median"], entry["median_cpu"],
                           len(entry["runs"]) or 1, len(answer)),
              file=sys.stderr)


def child(args):
    import rdflib
    import kgstore  # registers the "kgstore" store plugin
    system = args.child
    report = {"system": system, "queries": {}, "answers": {},
              "rdflib": rdflib.__version__, "kgstore": kgstore.version()}
    store_dir = os.path.join(args.work, "store-" + system)
    if system == "memory":
        graph = rdflib.Graph()
        start, cpu = time.perf_counter(), time.process_time()
        graph.parse(args.data, format="nt")
        report["load"] = time.perf_counter() - start
        report["load_cpu"] = time.process_time() - cpu
        report["load_runs"] = [report["load"]]
    elif system == "kgstore":
        shutil.rmtree(store_dir, ignore_errors=True)
        graph = rdflib.Graph(store="kgstore")
        graph.open(store_dir, create=True)
        start, cpu = time.perf_counter(), time.process_time()
        graph.parse(args.data, format="nt")
        graph.commit()
        report["load"] = time.perf_counter() - start
        report["load_cpu"] = time.process_time() - cpu
        report["load_runs"] = [report["load"]]
    elif system == "kgstore-bulk":
        runs = []
        cpus = []
        for _ in range(max(1, args.load_runs)):
            shutil.rmtree(store_dir, ignore_errors=True)
            start, cpu = time.perf_counter(), time.process_time()
            with kgstore.open(store_dir) as db:
                db.load(args.data)
            runs.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        report["load"] = statistics.median(runs)
        report["load_cpu"] = statistics.median(cpus)
        report["load_runs"] = runs
        graph = rdflib.Graph(store="kgstore")
        graph.open(store_dir, create=False)
    else:
        sys.exit("unknown system %r" % system)
    report["triples_loaded"] = len(graph)
    report["rss_after_load_mib"] = peak_rss_mib()
    print("%s: loaded %d triples in %.1f s, peak RSS %.0f MiB" % (
        system, report["triples_loaded"], report["load"],
        report["rss_after_load_mib"]), file=sys.stderr)
    run_queries(graph, args, report)
    if system != "memory":
        graph.close()
    report["rss_peak_mib"] = peak_rss_mib()
    if os.path.isdir(store_dir):
        report["disk_mib"] = sum(
            os.path.getsize(os.path.join(store_dir, f))
            for f in os.listdir(store_dir)) / 2.0 ** 20
    json.dump(report, sys.stdout)


# ---- the parent --------------------------------------------------------------

def generate(args):
    os.makedirs(args.work, exist_ok=True)
    if os.path.exists(args.data):
        return
    generator = os.path.join(args.build, "bench", "kg_generate")
    subprocess.run([generator, "--triples", str(args.triples), "-o",
                    args.data + ".tmp"], check=True)
    os.replace(args.data + ".tmp", args.data)


def fmt_s(seconds):
    if seconds is None:
        return ""
    if seconds >= 100:
        return "%.0f" % seconds
    if seconds >= 10:
        return "%.1f" % seconds
    return "%.2f" % seconds


def fmt_ms(seconds):
    if seconds is None:
        return ""
    ms = seconds * 1e3
    if ms >= 100:
        return "%.0f" % ms
    if ms >= 10:
        return "%.1f" % ms
    if ms >= 1:
        return "%.2f" % ms
    return "%.3f" % ms


def query_cell(entry, cap):
    if entry is None:
        return ""
    if entry.get("capped"):
        return "> %.0f s (cap)" % cap
    text = "%s / %s" % (fmt_ms(entry["median"]), fmt_ms(entry["median_cpu"]))
    if entry.get("single"):
        text += " (single run)"
    else:
        text += " (%d runs)" % len(entry["runs"])
    return text


def ratio(a, b):
    r = a / b
    return "%.0f" % r if r >= 10 else "%.1f" % r if r >= 1 else "%.2f" % r


def table(reports, args):
    systems = [r["system"] for r in reports]
    lines = ["| | " + " | ".join(systems) + " |",
             "|---|" + "---:|" * len(systems)]

    def row(label, values):
        lines.append("| %s | %s |" % (label, " | ".join(values)))

    row("load, s: wall / CPU", ["%s / %s%s" % (
        fmt_s(r["load"]), fmt_s(r["load_cpu"]),
        " (single run)" if len(r["load_runs"]) == 1
        else " (median of %d)" % len(r["load_runs"])) for r in reports])
    row("triples/s (wall)", ["%.0f" % (r["triples_loaded"] / r["load"])
                             for r in reports])
    row("peak RSS after load, MiB", ["%.0f" % r["rss_after_load_mib"]
                                     for r in reports])
    row("peak RSS, MiB", ["%.0f" % r["rss_peak_mib"] for r in reports])
    row("store on disk, MiB", ["%.0f" % r["disk_mib"] if "disk_mib" in r
                               else "(in memory)" for r in reports])
    for name in QUERIES:
        row("%s, ms: median wall / CPU" % name,
            [query_cell(r["queries"].get(name), args.cap) for r in reports])
        row("%s, first run, ms: wall / CPU" % name, [
            "%s / %s" % (fmt_ms(r["queries"][name]["first"]),
                         fmt_ms(r["queries"][name]["first_cpu"]))
            if r["queries"].get(name, {}).get("first") is not None else ""
            for r in reports])
    row("rows (" + ", ".join(QUERIES) + ")", [", ".join(
        str(r["queries"].get(name, {}).get("rows", "-")) for name in QUERIES)
        for r in reports])
    memory = next((r for r in reports if r["system"] == "memory"), None)
    if memory is not None and len(reports) > 1:
        lines.append("")
        lines.append("rdflib Memory ÷ system, wall / CPU (above 1: the "
                     "system is faster or smaller):")
        lines.append("")
        others = [r for r in reports if r is not memory]
        lines.append("| | " + " | ".join(r["system"] for r in others) + " |")
        lines.append("|---|" + "---:|" * len(others))
        lines.append("| load | " + " | ".join(
            "%s / %s" % (ratio(memory["load"], r["load"]),
                         ratio(memory["load_cpu"], r["load_cpu"]))
            for r in others) + " |")
        lines.append("| peak RSS | " + " | ".join(
            ratio(memory["rss_peak_mib"], r["rss_peak_mib"])
            for r in others) + " |")
        for name in QUERIES:
            m = memory["queries"].get(name, {})
            values = []
            for r in others:
                q = r["queries"].get(name, {})
                if q.get("capped") or "median" not in q:
                    values.append("")
                elif m.get("capped"):
                    values.append("> %s" % ratio(args.cap, q["median"]))
                else:
                    values.append("%s / %s" % (
                        ratio(m["median"], q["median"]),
                        ratio(m["median_cpu"], q["median_cpu"])))
            lines.append("| %s | %s |" % (name, " | ".join(values)))
    # answers
    problems = []
    for name in QUERIES:
        answers = {r["system"]: r["answers"].get(name) for r in reports
                   if r["answers"].get(name) is not None}
        if len({json.dumps(a) for a in answers.values()}) > 1:
            problems.append("%s: answers differ: %s" % (name, ", ".join(
                "%s %d rows" % (s, len(a)) for s, a in answers.items())))
    lines.append("")
    lines.append("Answers: " + ("; ".join(problems) if problems else
                                "every system that finished a query gave "
                                "the same rows."))
    return "\n".join(lines)


def main():
    args = parse_args()
    if args.child:
        child(args)
        return
    started = time.time()
    generate(args)
    reports = []
    for system in args.systems.split(","):
        print("== %s" % system, file=sys.stderr)
        t0 = time.time()
        command = [sys.executable, os.path.abspath(__file__), "--child",
                   system, "--triples", str(args.triples), "--work", args.work,
                   "--runs", str(args.runs), "--repeat-under",
                   str(args.repeat_under), "--min-total",
                   str(args.min_total), "--max-runs", str(args.max_runs),
                   "--cap", str(args.cap),
                   "--load-runs", str(args.load_runs)]
        done = subprocess.run(command, stdout=subprocess.PIPE, check=True)
        report = json.loads(done.stdout)
        report["wall_s"] = time.time() - t0
        print("   (%s took %.0f s)" % (system, report["wall_s"]),
              file=sys.stderr)
        reports.append(report)
    with open(os.path.join(args.work, "reports.json"), "w") as f:
        json.dump(reports, f)
    first = reports[0]
    header = ("rdflib %s, kgstore %s, Python %s; %d triples generated "
              "(%s, %.0f MiB); queries: after the first run, %d to %d runs "
              "(until %.0f s) unless the first took over %.0f s; cap %.0f s; "
              "CPU is the calling thread's (loads: the process's); whole run "
              "%.0f s; load average %s at the end." % (
                  first["rdflib"], first["kgstore"], sys.version.split()[0],
                  args.triples, args.data,
                  os.path.getsize(args.data) / 2.0 ** 20, args.runs,
                  args.max_runs, args.min_total, args.repeat_under, args.cap,
                  time.time() - started,
                  " ".join("%.1f" % x for x in os.getloadavg())))
    text = header + "\n\n" + table(reports, args) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
