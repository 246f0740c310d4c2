// The `kg` subcommands: load, dump, stats, check, relations, compact.

#include "tools/commands.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "absl/strings/str_format.h"
#include "engine/database.h"

namespace kg::tools {
namespace {

constexpr std::string_view kRdfsLabel =
    "http://www.w3.org/2000/01/rdf-schema#label";

int Fail(std::string_view command, const absl::Status& status) {
  std::cerr << "kg " << command << ": " << status.message() << "\n";
  return 1;
}

absl::StatusOr<std::unique_ptr<Database>> OpenDb(const CommandState& st,
                                                 bool write) {
  OpenOptions o;
  o.create_if_missing = write;
  o.read_only = !write;
  o.durable_commits = !st.no_sync;
  o.warm_adjacencies_in_background = false;  // one command, then exit
  return Database::Open(st.db, o);
}

std::string HumanBytes(uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? absl::StrCat(n, " B") : absl::StrFormat("%.1f %s", v, units[u]);
}

std::string HumanCount(double n) {
  if (n >= 1e9) return absl::StrFormat("%.2fG", n / 1e9);
  if (n >= 1e6) return absl::StrFormat("%.2fM", n / 1e6);
  if (n >= 1e4) return absl::StrFormat("%.1fk", n / 1e3);
  return absl::StrFormat("%.0f", n);
}

// A progress line on a terminal's stderr, redrawn at most 10 times a second.
class ProgressBar {
 public:
  explicit ProgressBar(uint64_t total_bytes)
      : total_(total_bytes),
        enabled_(isatty(STDERR_FILENO)),
        start_(std::chrono::steady_clock::now()) {}
  void Update(uint64_t bytes, uint64_t statements) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    std::string line = absl::StrFormat("  %s statements  %s/s",
                                       HumanCount(statements),
                                       HumanCount(statements / std::max(secs, 1e-3)));
    if (total_ > 0) {
      double share = std::min(1.0, static_cast<double>(bytes) / total_);
      int width = 24, filled = static_cast<int>(share * width);
      line += absl::StrFormat("  [%s%s] %3.0f%%", std::string(filled, '#'),
                              std::string(width - filled, '.'), share * 100);
      if (share > 0.01) {
        double left = secs / share - secs;
        line += absl::StrFormat("  %.0fs left", left);
      }
    }
    std::cerr << "\r" << line << "\033[K" << std::flush;
    drawn_ = true;
  }
  void Finish() {
    if (drawn_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

void RunLoad(CommandState& st) {
  LoadOptions lo;
  if (!st.format.empty()) {
    auto f = RdfFormatFromName(st.format);
    if (!f.ok()) {
      st.exit_code = Fail("load", f.status());
      return;
    }
    lo.format = *f;
  }
  if (!st.graph.empty()) lo.graph = Term::Iri(st.graph);
  lo.base_iri = st.base;
  lo.skip_bad = st.skip_bad;
  lo.compress_for_size = st.zstd;
  lo.packed_blocks = !st.plain_keys;
  lo.on_error = [](const ParseError& e) {
    std::cerr << "kg load: skipped: " << e.ToString() << "\n";
  };
  uint64_t total = 0;
  for (const std::string& f : st.files) {
    std::error_code ec;
    if (f != "-" && std::filesystem::is_regular_file(f, ec))
      total += std::filesystem::file_size(f, ec);
  }
  ProgressBar bar(total);
  if (!st.quiet)
    lo.on_progress = [&](uint64_t b, uint64_t n) { bar.Update(b, n); };
  auto db = OpenDb(st, true);
  if (!db.ok()) {
    st.exit_code = Fail("load", db.status());
    return;
  }
  auto summary = (*db)->LoadFiles(st.files, lo);
  bar.Finish();
  if (!summary.ok()) {
    std::cerr << "kg load: " << summary.status().message()
              << "\nkg load: nothing was loaded\n";
    st.exit_code = 1;
    return;
  }
  if (st.compact) {
    absl::Status s = (*db)->Compact();
    if (!s.ok()) {
      st.exit_code = Fail("load", s);
      return;
    }
  }
  if (!st.quiet) {
    std::cerr << absl::StrFormat(
        "kg load: %d statements read, %d quads added, %d duplicates%s in "
        "%.2fs (%s statements/s); store now holds %d quads\n",
        summary->statements, summary->quads_added, summary->duplicates,
        summary->bad_statements
            ? absl::StrCat(", ", summary->bad_statements, " bad skipped")
            : "",
        summary->seconds,
        HumanCount(summary->statements / std::max(summary->seconds, 1e-6)),
        (*db)->Statistics().quads);
  }
}

void RunDump(CommandState& st) {
  RdfFormat format = RdfFormat::kNQuads;
  if (!st.format.empty()) {
    auto f = RdfFormatFromName(st.format);
    if (!f.ok()) {
      st.exit_code = Fail("dump", f.status());
      return;
    }
    format = *f;
  }
  auto db = OpenDb(st, false);
  if (!db.ok()) {
    st.exit_code = Fail("dump", db.status());
    return;
  }
  // N-Triples and Turtle have no graphs: say so when named graphs merge.
  if (format == RdfFormat::kNTriples || format == RdfFormat::kTurtle) {
    size_t named = 0;
    uint64_t in_named = 0;
    for (const GraphSummary& g : (*db)->Statistics().graphs) {
      if (!g.graph) continue;
      ++named;
      in_named += g.quads;
    }
    if (named > 0) {
      std::cerr << "kg dump: " << st.format << " has no graphs: the "
                << in_named << " quads of " << named
                << " named graph(s) are written as triples of one graph "
                   "(--format trig or nquads keeps them)\n";
    }
  }
  std::ios::sync_with_stdio(false);
  absl::Status s = (*db)->Dump(std::cout, format);
  std::cout.flush();
  if (!s.ok()) st.exit_code = Fail("dump", s);
}

void RunStats(CommandState& st) {
  auto db = OpenDb(st, false);
  if (!db.ok()) {
    st.exit_code = Fail("stats", db.status());
    return;
  }
  DatabaseStatistics stats = (*db)->Statistics();
  std::cout << absl::StrFormat("store       %s\n", (*db)->path());
  std::cout << absl::StrFormat("quads       %d\n", stats.quads);
  std::cout << absl::StrFormat("on disk     %s", HumanBytes(stats.disk_bytes));
  if (stats.quads)
    std::cout << absl::StrFormat(" (%.1f bytes/quad)",
                                 double(stats.disk_bytes) / stats.quads);
  std::cout << "\n";
  std::cout << absl::StrFormat("graphs      %d\n", stats.graphs.size());
  size_t w = 14;
  for (const auto& g : stats.graphs)
    if (g.graph) w = std::max(w, g.graph->ToNTriples().size());
  for (const auto& g : stats.graphs)
    std::cout << absl::StrFormat(
        "  %-*s %12d\n", w, g.graph ? g.graph->ToNTriples() : "(default graph)",
        g.quads);
  std::cout << absl::StrFormat("predicates  %d\n", stats.predicates.size());
  size_t pw = 9;
  for (const auto& p : stats.predicates)
    pw = std::max(pw, p.predicate.ToNTriples().size());
  std::cout << absl::StrFormat("  %-*s %12s %12s %12s\n", pw, "predicate",
                               "quads", "subjects", "objects");
  for (const auto& p : stats.predicates)
    std::cout << absl::StrFormat("  %-*s %12d %12d %12d\n", pw,
                                 p.predicate.ToNTriples(), p.quads,
                                 p.distinct_subjects, p.distinct_objects);
}

void RunCheck(CommandState& st) {
  auto db = OpenDb(st, false);
  if (!db.ok()) {
    st.exit_code = Fail("check", db.status());
    return;
  }
  auto problems = (*db)->Check();
  if (!problems.ok()) {
    st.exit_code = Fail("check", problems.status());
    return;
  }
  for (const std::string& p : *problems) std::cout << "problem: " << p << "\n";
  if (problems->empty()) {
    std::cout << absl::StrFormat(
        "ok: 6 indexes agree on %d quads; dictionary and statistics are "
        "consistent\n",
        (*db)->Statistics().quads);
  } else {
    std::cout << problems->size() << " problem(s) found\n";
    st.exit_code = 1;
  }
}

// The best label of a node: its rdfs:label (an English or plain one first),
// else the IRI's local name, else the N-Triples form.
std::string LabelOf(Database& db, const Term& node,
                    std::map<std::string, std::string>& cache) {
  std::string key = node.ToNTriples();
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::string label;
  if (!node.is_literal()) {
    QuadPattern p;
    p.subject = node;
    p.predicate = Term::Iri(std::string(kRdfsLabel));
    for (auto c = db.Match(p); c->Valid(); c->Next()) {
      const Term& o = c->quad().object;
      if (!o.is_literal()) continue;
      if (label.empty() || o.language.empty() || o.language == "en")
        label = o.lexical;
      if (o.language.empty() || o.language == "en") break;
    }
  }
  if (label.empty()) {
    if (node.is_iri()) {
      size_t cut = node.lexical.find_last_of("#/");
      label = cut != std::string::npos && cut + 1 < node.lexical.size()
                  ? node.lexical.substr(cut + 1)
                  : node.lexical;
    } else {
      label = key;
    }
  }
  cache.emplace(key, label);
  return label;
}

std::string LocalName(const Term& iri) {
  size_t cut = iri.lexical.find_last_of("#/");
  return cut == std::string::npos ? iri.lexical : iri.lexical.substr(cut + 1);
}

bool IsSchemaPredicate(const Term& p) {
  static constexpr std::string_view kSchema[] = {
      "http://www.w3.org/2000/01/rdf-schema#subClassOf",
      "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
      "http://www.w3.org/2000/01/rdf-schema#domain",
      "http://www.w3.org/2000/01/rdf-schema#range", kRdfType};
  for (std::string_view s : kSchema)
    if (p.lexical == s) return true;
  return false;
}

void RunRelations(CommandState& st) {
  auto db = OpenDb(st, false);
  if (!db.ok()) {
    st.exit_code = Fail("relations", db.status());
    return;
  }
  std::map<std::string, std::string> labels;
  struct Row {
    std::string graph, subject, predicate, object;
    bool operator<(const Row& o) const {
      return std::tie(graph, subject, predicate, object) <
             std::tie(o.graph, o.subject, o.predicate, o.object);
    }
  };
  std::vector<Row> rows;
  auto cursor = (*db)->Match({});
  for (; cursor->Valid(); cursor->Next()) {
    const Quad& q = cursor->quad();
    if (q.object.is_literal() || IsSchemaPredicate(q.predicate)) continue;
    rows.push_back({q.graph ? q.graph->ToNTriples() : "",
                    LabelOf(**db, q.subject, labels), LocalName(q.predicate),
                    LabelOf(**db, q.object, labels)});
  }
  if (!cursor->status().ok()) {
    st.exit_code = Fail("relations", cursor->status());
    return;
  }
  std::sort(rows.begin(), rows.end());
  size_t ws = 7, wp = 8;
  for (const Row& r : rows) {
    ws = std::max(ws, r.subject.size());
    wp = std::max(wp, r.predicate.size());
  }
  ws = std::min<size_t>(ws, 40);
  std::string graph = "-";
  for (const Row& r : rows) {
    if (r.graph != graph) {
      graph = r.graph;
      std::cout << "\n";
      if (graph.empty()) {
        std::cout << "== default graph\n";
      } else {
        std::string name = graph.substr(1, graph.size() - 2);
        std::cout << "== stated by " << LabelOf(**db, Term::Iri(name), labels)
                  << "  " << graph << "\n";
      }
    }
    std::string subject = r.subject.size() > ws
                              ? r.subject.substr(0, ws - 3) + "..."
                              : r.subject;
    std::cout << absl::StrFormat("  %-*s  %-*s  %s\n", ws, subject, wp,
                                 r.predicate, r.object);
  }
  std::cout << "\n" << rows.size() << " relations\n";
}

void RunCompact(CommandState& st) {
  auto db = OpenDb(st, true);
  if (!db.ok()) {
    st.exit_code = Fail("compact", db.status());
    return;
  }
  uint64_t before = (*db)->Statistics().disk_bytes;
  absl::Status s = (*db)->Compact();
  if (!s.ok()) {
    st.exit_code = Fail("compact", s);
    return;
  }
  DatabaseStatistics after = (*db)->Statistics();
  std::cout << absl::StrFormat("compacted: %s -> %s", HumanBytes(before),
                               HumanBytes(after.disk_bytes));
  if (after.quads)
    std::cout << absl::StrFormat(" (%.1f bytes/quad)",
                                 double(after.disk_bytes) / after.quads);
  std::cout << "\n";
}

CLI::App* AddDb(CLI::App* cmd, CommandState& st) {
  cmd->add_option("DB", st.db, "Store directory")->required();
  return cmd;
}

}  // namespace

void RegisterCommands(CLI::App& app, CommandState& st) {
  auto* load = AddDb(app.add_subcommand(
      "load", "Load RDF files into a store (created if missing). All or "
              "nothing: a syntax error loads no statement of any file. "
              "While it runs, a load needs about 30 bytes of free disk per "
              "statement beside the store (its sorted runs)."), st);
  load->add_option("FILE", st.files,
                   "N-Triples (.nt), N-Quads (.nq), Turtle (.ttl) or TriG "
                   "(.trig) files; - reads standard input")
      ->required();
  load->add_option("--format,-f", st.format,
                   "Input format when the extension does not say: ntriples, "
                   "nquads, turtle, trig");
  load->add_option("--graph,-g", st.graph,
                   "Load triples into this named graph (IRI) instead of the "
                   "default graph");
  load->add_option("--base,-b", st.base,
                   "Base IRI for relative IRIs (default: the file's file:// IRI)");
  load->add_flag("--skip-bad", st.skip_bad,
                 "Skip bad statements, report each with its position, load the "
                 "rest");
  load->add_flag("--no-sync", st.no_sync,
                 "Do not fsync on commit (faster; a power failure may lose the "
                 "load)");
  load->add_flag("--zstd", st.zstd,
                 "Write the loaded data ZSTD-compressed instead of LZ4: about "
                 "30% smaller, about 10% slower to load");
  load->add_flag("--plain-keys", st.plain_keys,
                 "Into an empty store, write one index key per quad instead "
                 "of packed blocks (slower to load, larger; for comparison)");
  load->add_flag("--compact", st.compact,
                 "Compact the store after loading (ZSTD throughout: the "
                 "smallest store)");
  load->add_flag("--quiet,-q", st.quiet, "No progress bar and no summary");
  load->callback([&st] { RunLoad(st); });

  auto* dump = AddDb(app.add_subcommand(
      "dump", "Write every quad to standard output"), st);
  dump->add_option("--format,-f", st.format,
                   "nquads (default), ntriples, turtle or trig; triple formats "
                   "get the union of all graphs");
  dump->callback([&st] { RunDump(st); });

  auto* stats = AddDb(app.add_subcommand(
      "stats", "Show quad counts, size on disk, graphs and a per-predicate "
               "table"), st);
  stats->callback([&st] { RunStats(st); });

  auto* check = AddDb(app.add_subcommand(
      "check", "Verify that the indexes agree (the graph-first ones hold the "
               "named graphs' quads), the dictionary resolves every id and "
               "the statistics equal a recount; exit 1 with what is wrong "
               "otherwise"), st);
  check->callback([&st] { RunCheck(st); });

  auto* relations = AddDb(app.add_subcommand(
      "relations", "List the relations between entities (by rdfs:label) with "
                   "the graph that states each"), st);
  relations->callback([&st] { RunRelations(st); });

  auto* compact = AddDb(app.add_subcommand(
      "compact", "Compact the store to its smallest size"), st);
  compact->callback([&st] { RunCompact(st); });
}

}  // namespace kg::tools
