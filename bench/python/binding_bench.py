#!/usr/bin/python3
"""The cost of calling kgstore from Python, against its C++ and C APIs.

Measures, on the store bench/capi_bench.cc uses ($TMPDIR/kg_capi_bench_<N>,
kg_generate at N statements, default 200,000) and the same four operations:

  point_query  SELECT ?l WHERE { ex:person-42 rdfs:label ?l }  (one row)
  point_match  match of the fully bound quad (ex:person-42 rdfs:label
               "...", default graph)                           (one row)
  rows_10k     SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 10000
  match_10k    match (?, rdfs:label, ?, any graph), the first 10,000 quads

each run to its end with every cell read (its length taken), in these ways:

  raw ctypes     direct ctypes calls on libkgstore, no binding: kg_query /
                 kg_match, kg_result_step, and per cell kg_result_kind,
                 kg_result_lexical, kg_result_lexical_length, string_at and
                 a UTF-8 decode: the binding's own calls without the binding
  binding ntriples, binding python, binding rdflib
                 kgstore.Database.query / .match with terms="ntriples" (each
                 cell as N-Triples text), "python" (str subclasses, int,
                 Decimal, ...) and "rdflib" (URIRef / Literal, the default)

Match arguments are given as N-Triples text (the binding's cheapest input).
Each way is timed --repeat times per round, the ways interleaved (each
repeat runs every way once in turn, so that a busy moment of a shared
machine falls on all of them alike); a repeat calls the operation as many
times as fill --min-time seconds of CPU (timeit's autorange; garbage
collection off, as timeit). Figures are per call, both as the calling
thread's CPU time (time.thread_time, what Google Benchmark's "CPU" column
is) and as wall clock.

With --cpp (the default when build/bench/capi_bench exists) each of
--rounds rounds first runs capi_bench (--benchmark_repetitions=5 with
random interleaving, medians; the first run also creates the store), then
the Python ways. The tables give the median over rounds of each figure
and its ratio to the C++ figure, then each round's own ratios (on a busy
machine the C++ and C figures of one round can differ from the next by a
third). --json saves every round; --report prints the tables again. With
--profile, the rows_10k read in rdflib mode is run under cProfile and the
top functions (by own time) are printed.

  PYTHONPATH=tools/python KGSTORE_LIBRARY=build/libkgstore.so \\
      /usr/bin/python3 bench/python/binding_bench.py [--triples N]
"""

import argparse
import ctypes
import gc
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import kgstore
from kgstore import _capi
from kgstore._capi import lib

PREFIXES = ("PREFIX kg: <https://kgstore.example/vocab#> "
            "PREFIX ex: <https://kgstore.example/id/> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
POINT_QUERY = PREFIXES + "SELECT ?l WHERE { ex:person-42 rdfs:label ?l }"
ROWS_QUERY = (PREFIXES + "SELECT ?s ?label WHERE { ?s rdfs:label ?label } "
              "LIMIT 10000")
PERSON = "<https://kgstore.example/id/person-42>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"

OPERATIONS = ("point_query", "point_match", "rows_10k", "match_10k")
EXPECTED_ROWS = {"point_query": 1, "point_match": 1, "rows_10k": 10000,
                 "match_10k": 10000}
# capi_bench's case for each operation
CPP_CASES = {"point_query": "BM_PointQuery", "point_match": "BM_PointMatch",
             "rows_10k": "BM_Rows10k", "match_10k": "BM_Match10k"}
WAYS = ("raw ctypes", "binding ntriples", "binding python", "binding rdflib")


def parse_args():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=int(
        os.environ.get("KG_BENCH_TRIPLES", "200000")))
    parser.add_argument("--build", default=os.path.join(root, "build"),
                        help="build folder with bench/kg_generate and "
                        "bench/capi_bench (default: build/)")
    parser.add_argument("--store", help="default: $TMPDIR/kg_capi_bench_N")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of C++/C then Python (default 3)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="interleaved repeats per round (default 5)")
    parser.add_argument("--min-time", type=float, default=0.2,
                        help="seconds per repeat (default 0.2)")
    cpp = parser.add_mutually_exclusive_group()
    cpp.add_argument("--cpp", dest="cpp", action="store_true", default=None,
                     help="run capi_bench first for the C++ and C columns")
    cpp.add_argument("--no-cpp", dest="cpp", action="store_false")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the rows_10k read (rdflib terms)")
    parser.add_argument("--json", help="also write the figures here")
    parser.add_argument("--report", metavar="JSON",
                        help="print the tables of a run saved with --json")
    args = parser.parse_args()
    if args.store is None:
        args.store = os.path.join(tempfile.gettempdir(),
                                  "kg_capi_bench_%d" % args.triples)
    args.capi_bench = os.path.join(args.build, "bench", "capi_bench")
    if args.cpp is None:
        args.cpp = os.path.exists(args.capi_bench)
    return args


def ensure_store(args):
    """The store capi_bench makes, made the same way when it is missing."""
    if os.path.exists(os.path.join(args.store, "CURRENT")):
        try:
            kgstore.open(args.store, read_only=True, create=False).close()
            return
        except kgstore.Error:
            pass  # an older format: rebuild
        import shutil
        shutil.rmtree(args.store)
    nt = args.store + ".nt"
    subprocess.run([os.path.join(args.build, "bench", "kg_generate"),
                    "--triples", str(args.triples), "-o", nt], check=True)
    with kgstore.open(args.store) as db:
        db.load(nt)
    os.remove(nt)


def run_cpp(args):
    """{(operation, "cpp"|"c"): median wall µs} from capi_bench."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([args.capi_bench, "--benchmark_repetitions=5",
                        "--benchmark_enable_random_interleaving=true",
                        "--benchmark_report_aggregates_only=true",
                        "--benchmark_out_format=json",
                        "--benchmark_out=" + out.name],
                       check=True, env=dict(os.environ,
                                            KG_BENCH_TRIPLES=str(args.triples)),
                       stdout=sys.stderr)
        report = json.load(open(out.name))
    figures = {}
    for entry in report["benchmarks"]:
        if entry.get("aggregate_name") != "median":
            continue
        if entry.get("error_occurred"):
            sys.exit("capi_bench: %s: %s" % (entry["name"],
                                             entry.get("error_message")))
        case, api = entry["run_name"].split("/")[:2]
        assert entry["time_unit"] == "us"
        for operation, name in CPP_CASES.items():
            if name == case:
                figures[(operation, api)] = (entry["cpu_time"],
                                             entry["real_time"])
    return figures, report.get("context", {})


# ---- the Python ways --------------------------------------------------------

def read_rows(result, limit=None):
    """Rows read, every cell's length taken; closes the result."""
    rows = 0
    size = 0
    with result:
        for row in (result if limit is None
                    else itertools.islice(result, limit)):
            rows += 1
            for cell in row:
                if cell is not None:
                    size += len(cell)
    return rows


def raw_rows(start, limit=10 ** 9, c_void_p=ctypes.c_void_p,
             byref=ctypes.byref, string_at=ctypes.string_at):
    """The same with ctypes calls only: start(byref(out)) -> rc."""
    out = c_void_p()
    rc = start(byref(out))
    if rc != _capi.KG_OK:
        raise RuntimeError(lib.kg_errstr(rc))
    result = out
    step = lib.kg_result_step
    kind = lib.kg_result_kind
    lexical = lib.kg_result_lexical
    length = lib.kg_result_lexical_length
    rows = 0
    size = 0
    try:
        width = lib.kg_result_column_count(result)
        while rows < limit and step(result) == _capi.KG_ROW:
            rows += 1
            for col in range(width):
                if kind(result, col) != _capi.KG_TERM_UNBOUND:
                    size += len(string_at(lexical(result, col),
                                          length(result, col)).decode(
                                              "utf-8", "surrogateescape"))
    finally:
        lib.kg_result_free(result)
    return rows


def operations(db, label):
    """{(operation, way): function returning the rows it read}."""
    handle = db._ptr
    point = POINT_QUERY.encode()
    rows_query = ROWS_QUERY.encode()
    person, predicate, obj = PERSON.encode(), LABEL.encode(), label.encode()
    functions = {
        ("point_query", "raw ctypes"):
            lambda: raw_rows(lambda out: lib.kg_query(handle, point, out)),
        ("point_match", "raw ctypes"):
            lambda: raw_rows(lambda out: lib.kg_match(
                handle, person, predicate, obj, b"", out)),
        ("rows_10k", "raw ctypes"):
            lambda: raw_rows(lambda out: lib.kg_query(handle, rows_query,
                                                      out)),
        ("match_10k", "raw ctypes"):
            lambda: raw_rows(lambda out: lib.kg_match(
                handle, None, predicate, None, None, out), 10000),
    }
    for mode in ("ntriples", "python", "rdflib"):
        way = "binding " + mode
        functions[("point_query", way)] = (
            lambda mode=mode: read_rows(db.query(POINT_QUERY, terms=mode)))
        functions[("point_match", way)] = (
            lambda mode=mode: read_rows(db.match(
                PERSON, LABEL, label, kgstore.DEFAULT_GRAPH, terms=mode)))
        functions[("rows_10k", way)] = (
            lambda mode=mode: read_rows(db.query(ROWS_QUERY, terms=mode)))
        functions[("match_10k", way)] = (
            lambda mode=mode: read_rows(db.match(p=LABEL, terms=mode),
                                        10000))
    return functions


def _time(function, number):
    """(thread CPU seconds, wall seconds) of `number` calls, garbage
    collection off (as timeit)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        cpu, wall = time.thread_time(), time.perf_counter()
        for _ in itertools.repeat(None, number):
            function()
        return time.thread_time() - cpu, time.perf_counter() - wall
    finally:
        if enabled:
            gc.enable()


def calibrate(function, expected, min_time):
    """Calls per repeat: enough for min_time seconds of CPU (timeit's
    autorange); checks the rows read first."""
    rows = function()  # warm, and check
    if rows != expected:
        sys.exit("expected %d rows, read %d" % (expected, rows))
    number = 1
    while True:
        elapsed = _time(function, number)[0]
        if elapsed >= min_time:
            return number
        number = max(number * 2, int(number * min_time / max(elapsed, 1e-9)
                                     * 1.2))


def measure_all(functions, numbers, repeat):
    """{key: (CPU, wall) median seconds per call}: `repeat` repeats, each
    running every function once in turn (interleaved, so that a busy
    moment of the machine falls on all of them alike)."""
    times = {key: [] for key in functions}
    for _ in range(repeat):
        for key, function in functions.items():
            times[key].append(_time(function, numbers[key]))
    return {key: (statistics.median(t[0] for t in ts) / numbers[key],
                  statistics.median(t[1] for t in ts) / numbers[key])
            for key, ts in times.items()}


def profile(db):
    import cProfile
    import pstats
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        read_rows(db.query(ROWS_QUERY, terms="rdflib"))
    profiler.disable()
    print("\ncProfile, rows_10k with rdflib terms, 5 runs (own time):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime") \
        .print_stats(15)


def fmt(us):
    if us >= 1000:
        return "%.0f" % us
    if us >= 10:
        return "%.1f" % us
    return "%.2f" % us


def table(title, columns, value):
    """A Markdown table: one row per operation; value(operation, column)
    is µs or None; the columns after C++ also give their ratio to it."""
    lines = ["", title, "",
             "| operation | " + " | ".join(columns) + " |",
             "|---|" + "---:|" * len(columns)]
    for operation in OPERATIONS:
        base = value(operation, "C++")
        cells = []
        for column in columns:
            v = value(operation, column)
            if v is None:
                cells.append("")
            elif base and column != "C++":
                cells.append("%s (%.1f×)" % (fmt(v), v / base))
            else:
                cells.append(fmt(v))
        lines.append("| %s | %s |" % (operation, " | ".join(cells)))
    lines.append("")
    lines.append("per row of rows_10k / match_10k (µs): " + "; ".join(
        "%s %s / %s" % (c, fmt(value("rows_10k", c) / 1e4),
                        fmt(value("match_10k", c) / 1e4))
        for c in columns if value("rows_10k", c) is not None))
    return "\n".join(lines)


def _key(operation, column):
    return (operation, {"C++": "cpp", "C": "c"}.get(column, column))


def report(data):
    """Prints the tables of a run (as main's JSON holds it)."""
    rounds = [{tuple(k.split("/", 1)): v for k, v in r.items()}
              for r in data["rounds_us_cpu_wall"]]
    columns = (["C++", "C"] if data["cpp"] else []) + list(WAYS)

    def value(index):
        def get(operation, column):
            found = [r[_key(operation, column)][index] for r in rounds
                     if _key(operation, column) in r]
            return statistics.median(found) if found else None
        return get

    print("\n%s (%s), store %s (%d statements), Python %s, rdflib %s; "
          "%d rounds of: capi_bench (5 repetitions, random interleaving, "
          "median) then every Python way (%d interleaved repeats, median); "
          "figures: median over the rounds, (× C++): figure ÷ C++ figure. "
          "Load average (1 min) during the rounds: %s." % (
              data["kgstore"], data["library"], data["store"],
              data["triples"], data["python"], data["rdflib"], len(rounds),
              data["repeat"], ", ".join("%.1f" % x for x in data["loads"])))
    suffix = ", (× C++)" if data["cpp"] else ""
    print(table("Median CPU µs per call (the calling thread's)%s:" % suffix,
                columns, value(0)))
    print(table("Median wall µs per call%s:" % suffix, columns, value(1)))
    if data["cpp"] and len(rounds) > 1:
        print("\nEach round's CPU ratio to C++ (the spread between rounds):"
              "\n")
        print("| operation | " + " | ".join(columns[1:]) + " |")
        print("|---|" + "---:|" * (len(columns) - 1))
        for operation in OPERATIONS:
            base = _key(operation, "C++")
            print("| %s | %s |" % (operation, " | ".join(
                ", ".join("%.1f" % (r[_key(operation, c)][0] / r[base][0])
                          for r in rounds)
                for c in columns[1:])))


def main():
    args = parse_args()
    if args.report:
        with open(args.report) as f:
            report(json.load(f))
        return
    started = time.time()
    loads = [os.getloadavg()[0]]
    if args.cpp:
        print("running %s ..." % args.capi_bench, file=sys.stderr)
        cpp, context = run_cpp(args)  # round 1's C++ and C; makes the store
    else:
        cpp, context = {}, {}
    ensure_store(args)
    db = kgstore.open(args.store, read_only=True, create=False)
    time.sleep(1)  # the background adjacency warm-up, as capi_bench waits
    rows = db.query(POINT_QUERY, terms="ntriples").fetchall()
    label = rows[0][0]
    functions = operations(db, label)
    numbers = {key: calibrate(function, EXPECTED_ROWS[key[0]], args.min_time)
               for key, function in functions.items()}
    rounds = []
    for round_number in range(args.rounds):
        if round_number and args.cpp:
            print("running %s ..." % args.capi_bench, file=sys.stderr)
            cpp, _ = run_cpp(args)
        figures = measure_all(functions, numbers, args.repeat)
        for (operation, way), (cpu, wall) in figures.items():
            print("round %d %-12s %-17s %10s µs CPU %10s µs wall" % (
                round_number + 1, operation, way, fmt(cpu * 1e6),
                fmt(wall * 1e6)), file=sys.stderr)
        merged = {key: (cpu * 1e6, wall * 1e6)
                  for key, (cpu, wall) in figures.items()}
        merged.update(cpp)
        rounds.append(merged)
        loads.append(os.getloadavg()[0])
    if args.profile:
        profile(db)
    db.close()
    data = {"kgstore": "kgstore " + kgstore.version(),
            "library": _capi.LIBRARY_PATH, "store": args.store,
            "triples": args.triples, "python": sys.version.split()[0],
            "rdflib": _rdflib_version(), "repeat": args.repeat,
            "cpp": bool(args.cpp), "loads": loads,
            "rounds_us_cpu_wall": [{"%s/%s" % k: v for k, v in r.items()}
                                   for r in rounds],
            "capi_bench_context": context}
    report(data)
    print("\ntook %.0f s" % (time.time() - started))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(data, f, indent=1)


def _rdflib_version():
    try:
        import rdflib
        return rdflib.__version__
    except ImportError:
        return "absent"


if __name__ == "__main__":
    main()
