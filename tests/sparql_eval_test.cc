// The W3C SPARQL evaluation conformance runner: walks the SPARQL 1.0
// manifests (sparql10/manifest.ttl and its includes) and the SPARQL 1.1
// query and update folders in place (KG_CONFORMANCE_DIR/sparql) and runs
//   - mf:QueryEvaluationTest: a fresh store gets qt:data in its default
//     graph and each qt:graphData in a named graph named by the file's IRI
//     (and every file a FROM / FROM NAMED clause names, in a graph of that
//     IRI); the query runs with strict dataset semantics and its answer is
//     compared with mf:result by the W3C rules (ResultsEqual: multisets,
//     or sequences when the query has ORDER BY and the expected answer
//     carries an order; graphs up to isomorphism);
//   - mf:CSVResultFormatTest: the answer written as CSV, read back, against
//     the expected .csv (the comparison happens in CSV's lossy space);
//   - mf:UpdateEvaluationTest: ut:data / ut:graphData loaded, the request
//     run with Database::Update, then the whole store compared with the
//     expected state up to blank-node renaming.
// Every test runs with a timeout and a memory cap. The runner prints
// pass/fail per folder with each failure's reason, and fails if a folder's
// pass count drops below tests/sparql_eval_baseline.txt. Run with
// KG_UPDATE_BASELINE=1 to rewrite the baseline after improvements.

#include <catch2/catch.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/database.h"
#include "engine/query_result.h"
#include "query/parser.h"
#include "tests/conformance/manifest.h"
#include "tests/conformance/results.h"

namespace kg {
namespace {

namespace fs = std::filesystem;
using conformance::FileIriToPath;

constexpr int64_t kTimeoutMs = 10000;
constexpr uint64_t kMemoryCap = uint64_t{512} << 20;

struct FolderResult {
  int pass = 0;
  int total = 0;
  std::vector<std::string> failures;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  if (s.size() > 300) s = s.substr(0, 300) + "...";
  return s;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = (fs::temp_directory_path() /
             ("kg-sparql-eval-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter++)))
                .string();
    fs::remove_all(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Reads a data file (Turtle, N-Triples, RDF/XML) into quads, its blank
// nodes renamed with `tag` so that files never share blank nodes.
absl::StatusOr<std::vector<Quad>> ReadDataFile(const std::string& iri,
                                               const std::string& tag) {
  const std::string path = FileIriToPath(iri);
  absl::StatusOr<std::vector<Quad>> quads;
  if (EndsWith(path, ".rdf")) {
    if (!fs::exists(path)) return absl::NotFoundError("no file " + path);
    quads = conformance::ParseRdfXml(ReadFile(path), iri);
  } else {
    RdfFormat format = RdfFormat::kTurtle;
    if (EndsWith(path, ".nt")) format = RdfFormat::kNTriples;
    if (EndsWith(path, ".nq")) format = RdfFormat::kNQuads;
    if (EndsWith(path, ".trig")) format = RdfFormat::kTriG;
    quads = conformance::ReadRdfFile(path, format, iri);
  }
  if (!quads.ok()) return quads.status();
  for (Quad& q : *quads) {
    if (q.subject.is_blank()) q.subject.lexical = tag + q.subject.lexical;
    if (q.object.is_blank()) q.object.lexical = tag + q.object.lexical;
  }
  return quads;
}

// Loads a data file into `graph` (std::nullopt: the default graph), in a
// transaction of its own so its blank nodes are its own.
absl::Status LoadData(Database& db, const std::string& iri,
                      const std::optional<Term>& graph, int* file_counter) {
  std::string tag = "f" + std::to_string((*file_counter)++) + "_";
  absl::StatusOr<std::vector<Quad>> quads = ReadDataFile(iri, tag);
  if (!quads.ok()) return quads.status();
  absl::StatusOr<std::unique_ptr<Transaction>> txn = db.BeginTransaction();
  if (!txn.ok()) return txn.status();
  for (Quad q : *quads) {
    q.graph = graph;
    if (absl::Status s = (*txn)->Insert(q); !s.ok()) return s;
  }
  return (*txn)->Commit();
}

// True when an expected-result file in the DAWG result-set vocabulary
// (.ttl/.rdf) gives its rows an order (rs:index).
bool GraphResultHasIndex(const std::string& path) {
  std::string text = ReadFile(path);
  return text.find("rs:index") != std::string::npos ||
         text.find("result-set#index") != std::string::npos;
}

// Removes duplicate rows (for mf:LaxCardinality: REDUCED may keep some).
void Dedupe(ResultTable* t) {
  std::vector<Row> out;
  std::set<std::string> seen;
  for (const Row& r : t->rows) {
    std::string key;
    for (const auto& c : r) key += (c ? c->ToNTriples() : std::string("-")) + "\t";
    if (seen.insert(key).second) out.push_back(r);
  }
  t->rows = std::move(out);
}

std::string Obj(const conformance::Graph& g, const Term& s, std::string_view ns,
                const char* local) {
  std::optional<Term> o = g.Object(s, std::string(ns) + local);
  return o ? o->lexical : std::string();
}

// Runs one query test; returns "" on pass, else the reason.
std::string RunQueryTest(const conformance::Manifest& m,
                         const conformance::TestEntry& e, bool csv_test) {
  const conformance::Graph& g = m.graph;
  const Term& action = *e.action;
  const std::string query_iri = Obj(g, action, conformance::kQt, "query");
  if (query_iri.empty()) return "no qt:query";
  if (!e.result) return "no mf:result";
  const std::string query_text = ReadFile(FileIriToPath(query_iri));

  TempDir dir;
  OpenOptions oo;
  oo.durable_commits = false;
  oo.block_cache_bytes = size_t{8} << 20;
  auto db = Database::Open(dir.path(), oo);
  if (!db.ok()) return "open: " + std::string(db.status().message());
  int files = 0;
  for (const Term& d : g.Objects(action, std::string(conformance::kQt) + "data")) {
    if (absl::Status s = LoadData(**db, d.lexical, std::nullopt, &files); !s.ok()) {
      return "load " + d.lexical + ": " + OneLine(std::string(s.message()));
    }
  }
  std::set<std::string> named_loaded;
  for (const Term& d :
       g.Objects(action, std::string(conformance::kQt) + "graphData")) {
    if (!named_loaded.insert(d.lexical).second) continue;
    if (absl::Status s = LoadData(**db, d.lexical, d, &files); !s.ok()) {
      return "load " + d.lexical + ": " + OneLine(std::string(s.message()));
    }
  }
  QueryParseOptions po;
  po.base_iri = query_iri;
  absl::StatusOr<ast::Query> parsed = ParseQuery(query_text, po);
  if (!parsed.ok()) return "parse: " + OneLine(std::string(parsed.status().message()));
  // FROM / FROM NAMED name files by (relative) IRIs: load each into a
  // graph of that IRI.
  std::vector<std::string> dataset = parsed->from;
  dataset.insert(dataset.end(), parsed->from_named.begin(),
                 parsed->from_named.end());
  for (const std::string& iri : dataset) {
    if (!named_loaded.insert(iri).second) continue;
    if (!fs::exists(FileIriToPath(iri))) continue;
    if (absl::Status s = LoadData(**db, iri, Term::Iri(iri), &files); !s.ok()) {
      return "load " + iri + ": " + OneLine(std::string(s.message()));
    }
  }

  QueryOptions qo;
  qo.strict_dataset = true;
  qo.base_iri = query_iri;
  qo.timeout_ms = kTimeoutMs;
  qo.memory_limit_bytes = kMemoryCap;
  auto result = (*db)->Query(query_text, qo);
  if (!result.ok()) return "query: " + OneLine(std::string(result.status().message()));
  absl::StatusOr<ResultTable> actual = Materialize(**result);
  if (!actual.ok()) return "run: " + OneLine(std::string(actual.status().message()));

  const std::string result_iri = e.result->lexical;
  const std::string result_path = FileIriToPath(result_iri);
  absl::StatusOr<ResultTable> expected =
      conformance::ReadResultFile(result_path, result_iri);
  if (!expected.ok()) {
    return "expected result: " + OneLine(std::string(expected.status().message()));
  }

  // Compare in the result format's own space when it loses information.
  if (csv_test || EndsWith(result_path, ".csv")) {
    auto view = conformance::CsvView(*actual);
    if (!view.ok()) return "csv: " + OneLine(std::string(view.status().message()));
    actual = std::move(view);
  } else if (EndsWith(result_path, ".tsv") &&
             actual->kind == QueryResult::Kind::kBindings) {
    std::unique_ptr<QueryResult> r = ResultFromTable(*actual);
    std::ostringstream out;
    if (absl::Status s = WriteResult(*r, ResultFormat::kTsv, out); !s.ok()) {
      return "tsv: " + OneLine(std::string(s.message()));
    }
    auto back = conformance::ParseTsv(out.str());
    if (!back.ok()) return "tsv read back: " + OneLine(std::string(back.status().message()));
    actual = std::move(back);
  }

  bool ordered = false;
  if (!parsed->order_by.empty()) {
    if (EndsWith(result_path, ".ttl") || EndsWith(result_path, ".rdf")) {
      ordered = GraphResultHasIndex(result_path);
    } else {
      ordered = true;
    }
  }
  std::optional<Term> card =
      g.Object(e.node, std::string(conformance::kMf) + "resultCardinality");
  if (card && EndsWith(card->lexical, "LaxCardinality")) {
    Dedupe(&*expected);
    Dedupe(&*actual);
  }
  std::string diff;
  if (!conformance::ResultsEqual(*expected, *actual, ordered, &diff)) {
    if (std::getenv("KG_SPARQL_EVAL_VERBOSE") != nullptr) {
      for (const ResultTable* t : {&*expected, &*actual}) {
        std::cout << (t == &*expected ? "--- expected\n" : "--- actual\n");
        std::unique_ptr<QueryResult> r = ResultFromTable(*t);
        (void)WriteResult(*r,
                          t->kind == QueryResult::Kind::kGraph
                              ? ResultFormat::kNTriples
                              : ResultFormat::kTsv,
                          std::cout);
      }
    }
    return "wrong answer: " + OneLine(diff);
  }
  return "";
}

// The graphs a ut:data / ut:graphData description names, as quads.
absl::Status ReadUpdateState(const conformance::Graph& g, const Term& node,
                             std::vector<Quad>* out, int* files,
                             std::vector<std::pair<std::string, std::optional<Term>>>* list) {
  for (const Term& d : g.Objects(node, std::string(conformance::kUt) + "data")) {
    list->push_back({d.lexical, std::nullopt});
  }
  for (const Term& gd :
       g.Objects(node, std::string(conformance::kUt) + "graphData")) {
    std::optional<Term> file =
        g.Object(gd, std::string(conformance::kUt) + "graph");
    std::optional<Term> label =
        g.Object(gd, std::string(conformance::kRdfs) + "label");
    if (!file) return absl::InvalidArgumentError("ut:graphData without ut:graph");
    list->push_back({file->lexical,
                     Term::Iri(label ? label->lexical : file->lexical)});
  }
  if (out == nullptr) return absl::OkStatus();
  for (const auto& [iri, graph] : *list) {
    std::string tag = "e" + std::to_string((*files)++) + "_";
    auto quads = ReadDataFile(iri, tag);
    if (!quads.ok()) return quads.status();
    for (Quad q : *quads) {
      q.graph = graph;
      out->push_back(std::move(q));
    }
  }
  return absl::OkStatus();
}

std::string RunUpdateTest(const conformance::Manifest& m,
                          const conformance::TestEntry& e) {
  const conformance::Graph& g = m.graph;
  const Term& action = *e.action;
  const std::string request_iri = Obj(g, action, conformance::kUt, "request");
  if (request_iri.empty()) return "no ut:request";
  if (!e.result) return "no mf:result";

  TempDir dir;
  OpenOptions oo;
  oo.durable_commits = false;
  oo.block_cache_bytes = size_t{8} << 20;
  auto db = Database::Open(dir.path(), oo);
  if (!db.ok()) return "open: " + std::string(db.status().message());
  int files = 0;
  std::vector<std::pair<std::string, std::optional<Term>>> before;
  if (absl::Status s = ReadUpdateState(g, action, nullptr, &files, &before);
      !s.ok()) {
    return "manifest: " + std::string(s.message());
  }
  for (const auto& [iri, graph] : before) {
    if (absl::Status s = LoadData(**db, iri, graph, &files); !s.ok()) {
      return "load " + iri + ": " + OneLine(std::string(s.message()));
    }
  }
  std::vector<Quad> want;
  std::vector<std::pair<std::string, std::optional<Term>>> after;
  if (absl::Status s = ReadUpdateState(g, *e.result, &want, &files, &after);
      !s.ok()) {
    return "expected state: " + OneLine(std::string(s.message()));
  }

  QueryOptions qo;
  qo.strict_dataset = true;
  qo.base_iri = request_iri;
  qo.allow_file_access = true;
  qo.timeout_ms = kTimeoutMs;
  qo.memory_limit_bytes = kMemoryCap;
  auto summary = (*db)->Update(ReadFile(FileIriToPath(request_iri)), qo);
  if (!summary.ok()) {
    return "update: " + OneLine(std::string(summary.status().message()));
  }
  std::vector<Quad> got;
  QuadPattern all;
  all.graph = GraphSelector::Any();
  auto cursor = (*db)->Match(all);
  for (; cursor->Valid(); cursor->Next()) got.push_back(cursor->quad());
  if (!cursor->status().ok()) {
    return "read store: " + std::string(cursor->status().message());
  }
  std::string why;
  if (!conformance::IsIsomorphic(want, got, &why)) {
    return "wrong store state: " + OneLine(why);
  }
  return "";
}

// Tests of a manifest that has a blank-node root ("[] a mf:Manifest"),
// which ReadManifest does not follow: found by their rdf:type.
std::vector<conformance::TestEntry> EntriesOf(const conformance::Manifest& m) {
  if (!m.entries.empty()) return m.entries;
  std::vector<conformance::TestEntry> entries;
  for (const Quad& q : m.graph.quads()) {
    if (q.predicate.lexical != kRdfType || !q.object.is_iri() ||
        q.object.lexical.rfind(conformance::kMf, 0) != 0) {
      continue;
    }
    conformance::TestEntry e;
    e.node = q.subject;
    e.type = q.object.lexical;
    e.type_local = e.type.substr(conformance::kMf.size());
    if (e.type_local == "Manifest") continue;
    e.name = m.graph.Object(q.subject, std::string(conformance::kMf) + "name")
                 .value_or(Term())
                 .lexical;
    e.action = m.graph.Object(q.subject, std::string(conformance::kMf) + "action");
    e.result = m.graph.Object(q.subject, std::string(conformance::kMf) + "result");
    entries.push_back(std::move(e));
  }
  return entries;
}

void RunManifest(const std::string& path, const std::string& folder,
                 std::map<std::string, FolderResult>* results) {
  absl::StatusOr<conformance::Manifest> m = conformance::ReadManifest(path);
  if (!m.ok()) {
    FolderResult& r = (*results)[folder];
    ++r.total;
    r.failures.push_back("cannot read manifest " + path + ": " +
                         std::string(m.status().message()));
    return;
  }
  for (const conformance::TestEntry& e : EntriesOf(*m)) {
    const std::string& t = e.type_local;
    bool query = t == "QueryEvaluationTest";
    bool csv = t == "CSVResultFormatTest";
    bool update = t == "UpdateEvaluationTest";
    if (!(query || csv || update) || !e.action) continue;
    std::string reason = update ? RunUpdateTest(*m, e)
                                : RunQueryTest(*m, e, csv);
    FolderResult& r = (*results)[folder];
    ++r.total;
    if (reason.empty()) {
      ++r.pass;
    } else {
      std::string name = e.name;
      if (e.node.is_iri()) {
        size_t hash = e.node.lexical.find_last_of("#/");
        name = e.node.lexical.substr(hash + 1);
      }
      r.failures.push_back(name + ": " + reason);
    }
  }
}

std::string BaselinePath() {
  return (fs::path(__FILE__).parent_path() / "sparql_eval_baseline.txt")
      .string();
}

std::string FolderOf(const fs::path& root, const std::string& manifest) {
  return fs::relative(fs::path(manifest).parent_path(), root).string();
}

TEST_CASE("W3C SPARQL evaluation suites", "[conformance]") {
  const fs::path root = fs::path(KG_CONFORMANCE_DIR) / "sparql";
  if (!fs::exists(root)) {
    WARN("no SPARQL suites at " << root);
    return;
  }
  // An optional filter for local work: KG_SPARQL_EVAL_ONLY=<substring of
  // the folder>.
  const char* only = std::getenv("KG_SPARQL_EVAL_ONLY");
  std::map<std::string, FolderResult> results;
  // SPARQL 1.0: manifest.ttl and what it includes.
  {
    std::vector<std::string> todo = {(root / "sparql10" / "manifest.ttl").string()};
    std::set<std::string> seen;
    while (!todo.empty()) {
      std::string path = todo.back();
      todo.pop_back();
      std::string canon = fs::weakly_canonical(path).string();
      if (!seen.insert(canon).second) continue;
      absl::StatusOr<conformance::Manifest> m = conformance::ReadManifest(canon);
      if (!m.ok()) continue;
      for (auto it = m->includes.rbegin(); it != m->includes.rend(); ++it) {
        todo.push_back(*it);
      }
      std::string folder = FolderOf(root, canon);
      if (only && folder.find(only) == std::string::npos) continue;
      if (folder == "sparql10") continue;  // the root only includes
      RunManifest(canon, folder, &results);
    }
  }
  for (const char* name :
       {"aggregates", "bind", "bindings", "cast", "construct", "csv-tsv-res",
        "exists", "functions", "grouping", "json-res", "negation",
        "project-expression", "property-path", "subquery", "basic-update",
        "delete-data", "delete-insert", "delete-where"}) {
    std::string folder = std::string("sparql11/") + name;
    if (only && folder.find(only) == std::string::npos) continue;
    fs::path manifest = root / "sparql11" / name / "manifest.ttl";
    if (fs::exists(manifest)) RunManifest(manifest.string(), folder, &results);
  }

  int pass = 0, total = 0;
  for (const auto& [name, r] : results) {
    std::cout << (r.pass == r.total ? "PASS " : "FAIL ") << name << ": "
              << r.pass << "/" << r.total << "\n";
    for (const auto& f : r.failures) std::cout << "    " << f << "\n";
    pass += r.pass;
    total += r.total;
  }
  std::cout << "total: " << pass << "/" << total << "\n";

  // The baseline: "<folder> <pass> <total>" per line.
  std::map<std::string, int> baseline;
  {
    std::ifstream in(BaselinePath());
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream ls(line);
      std::string name;
      int p = 0;
      if (ls >> name >> p) baseline[name] = p;
    }
  }
  if (const char* u = std::getenv("KG_UPDATE_BASELINE");
      u && *u == '1' && !only) {
    std::ofstream out(BaselinePath());
    out << "# W3C SPARQL evaluation conformance: <folder> <pass> <total>.\n"
           "# Written by sparql_eval_test with KG_UPDATE_BASELINE=1; the "
           "test fails if a count drops.\n";
    for (const auto& [name, r] : results) {
      out << name << " " << r.pass << " " << r.total << "\n";
    }
    out << "total " << pass << " " << total << "\n";
  }
  for (const auto& [name, p] : baseline) {
    if (name == "total") continue;
    if (only && name.find(only) == std::string::npos) continue;
    INFO("folder " << name);
    auto it = results.find(name);
    int now = it == results.end() ? 0 : it->second.pass;
    CHECK(now >= p);
  }
}

}  // namespace
}  // namespace kg
