// The W3C SPARQL syntax conformance runner: walks the manifests of the
// SPARQL 1.0 and 1.1 suites in place (KG_CONFORMANCE_DIR/sparql) and runs
// the parser on
//   - every positive and negative syntax test (mf:PositiveSyntaxTest,
//     mf:NegativeSyntaxTest, and the ...Test11 / ...UpdateSyntaxTest11
//     types): positive ones must parse, negative ones must be rejected;
//   - the query (.rq) or update (.ru) of every mf:QueryEvaluationTest and
//     mf:UpdateEvaluationTest: they must parse (counted as "<folder> eval").
// It prints pass/fail per folder with each failure's error, and fails if
// a folder's pass count drops below tests/sparql_syntax_baseline.txt. Run
// with KG_UPDATE_BASELINE=1 to rewrite the baseline after improvements.

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "query/parser.h"
#include "tests/conformance/manifest.h"

namespace kg {
namespace {

namespace fs = std::filesystem;

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

std::string FirstLine(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

// Parses `path` as a query or update; returns the error or "".
std::string TryParse(const std::string& path, const std::string& base,
                     bool is_update) {
  std::string text = ReadFile(path);
  QueryParseOptions opts;
  opts.base_iri = base;
  absl::Status st = is_update ? ParseUpdate(text, opts).status()
                              : ParseQuery(text, opts).status();
  return st.ok() ? "" : std::string(st.message());
}

void RunFolder(const fs::path& dir, const std::string& name,
               std::map<std::string, FolderResult>* results) {
  absl::StatusOr<conformance::Manifest> m =
      conformance::ReadManifest((dir / "manifest.ttl").string());
  if (!m.ok()) {
    FAIL("cannot read " << (dir / "manifest.ttl") << ": " << m.status());
    return;
  }
  std::vector<conformance::TestEntry> entries = m->entries;
  if (entries.empty()) {
    // Some manifests are a blank node ("[] rdf:type mf:Manifest"), which
    // ReadManifest does not follow: find the tests by their rdf:type.
    for (const Quad& q : m->graph.quads()) {
      if (q.predicate.lexical != kRdfType || !q.object.is_iri() ||
          q.object.lexical.rfind(conformance::kMf, 0) != 0 ||
          q.object.lexical == std::string(conformance::kMf) + "Manifest") {
        continue;
      }
      conformance::TestEntry e;
      e.node = q.subject;
      e.type = q.object.lexical;
      e.type_local = e.type.substr(conformance::kMf.size());
      e.action =
          m->graph.Object(q.subject, std::string(conformance::kMf) + "action");
      entries.push_back(std::move(e));
    }
  }
  for (const conformance::TestEntry& e : entries) {
    if (!e.action.has_value()) continue;
    const std::string& t = e.type_local;
    bool positive = t == "PositiveSyntaxTest" || t == "PositiveSyntaxTest11" ||
                    t == "PositiveUpdateSyntaxTest11";
    bool negative = t == "NegativeSyntaxTest" || t == "NegativeSyntaxTest11" ||
                    t == "NegativeUpdateSyntaxTest11";
    bool eval = t == "QueryEvaluationTest" || t == "UpdateEvaluationTest";
    std::string file_iri;
    bool is_update = t.find("Update") != std::string::npos;
    if (positive || negative) {
      file_iri = e.action->lexical;
    } else if (eval) {
      std::optional<Term> q = m->graph.Object(
          *e.action, is_update ? std::string(conformance::kUt) + "request"
                               : std::string(conformance::kQt) + "query");
      if (!q) continue;
      file_iri = q->lexical;
    } else {
      continue;
    }
    // A few SPARQL 1.0 syntax tests are updates only by file extension.
    if (file_iri.size() > 3 && file_iri.substr(file_iri.size() - 3) == ".ru") {
      is_update = true;
    }
    const std::string path = conformance::FileIriToPath(file_iri);
    std::string err = TryParse(path, m->BaseFor(file_iri), is_update);
    FolderResult& r = (*results)[eval ? name + " eval" : name];
    ++r.total;
    bool ok = negative ? !err.empty() : err.empty();
    if (ok) {
      ++r.pass;
    } else {
      r.failures.push_back(
          fs::path(path).filename().string() + " (" + t + "): " +
          (negative ? std::string("accepted, should be rejected")
                    : FirstLine(err)));
    }
  }
}

std::string BaselinePath() {
  return (fs::path(__FILE__).parent_path() / "sparql_syntax_baseline.txt")
      .string();
}

TEST_CASE("W3C SPARQL syntax suites", "[conformance]") {
  const fs::path root = fs::path(KG_CONFORMANCE_DIR) / "sparql";
  if (!fs::exists(root)) {
    WARN("no SPARQL suites at " << root);
    return;
  }
  std::map<std::string, FolderResult> results;
  for (const char* suite : {"sparql10", "sparql11"}) {
    std::vector<fs::path> dirs;
    for (const auto& d : fs::directory_iterator(root / suite)) {
      if (d.is_directory() && fs::exists(d.path() / "manifest.ttl")) {
        dirs.push_back(d.path());
      }
    }
    std::sort(dirs.begin(), dirs.end());
    for (const fs::path& d : dirs) {
      RunFolder(d, std::string(suite) + "/" + d.filename().string(), &results);
    }
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
      std::istringstream ls(line);
      std::string name, kind;
      int p = 0, t = 0;
      // Folder names have one optional " eval" suffix.
      ls >> name;
      if (ls >> kind) {
        if (kind == "eval") {
          name += " eval";
          ls >> p >> t;
        } else {
          p = std::atoi(kind.c_str());
        }
      }
      if (!name.empty() && name[0] != '#') baseline[name] = p;
    }
  }
  if (const char* u = std::getenv("KG_UPDATE_BASELINE"); u && *u == '1') {
    std::ofstream out(BaselinePath());
    out << "# W3C SPARQL syntax conformance: <folder> <pass> <total>.\n"
           "# Written by sparql_syntax_test with KG_UPDATE_BASELINE=1; the "
           "test fails if a count drops.\n";
    for (const auto& [name, r] : results) {
      out << name << " " << r.pass << " " << r.total << "\n";
    }
  }
  for (const auto& [name, p] : baseline) {
    INFO("folder " << name);
    auto it = results.find(name);
    int now = it == results.end() ? 0 : it->second.pass;
    CHECK(now >= p);
  }
}

}  // namespace
}  // namespace kg
