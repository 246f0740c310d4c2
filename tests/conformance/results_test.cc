// Reads every expected-result file that the W3C SPARQL 1.0 and 1.1
// manifests name (mf:result), checks that it parses, and that the W3C
// comparison finds it equal to itself and to a copy with its blank nodes
// renamed. Also unit tests of ResultsEqual on small hand-made tables.

#include "tests/conformance/results.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "tests/conformance/manifest.h"

namespace kg::conformance {
namespace {

namespace fs = std::filesystem;

const std::string kSparqlDir = std::string(KG_CONFORMANCE_DIR) + "/sparql";

// Every manifest file of a suite folder, in a stable order.
std::vector<std::string> ManifestFiles(const std::string& root) {
  std::vector<std::string> out;
  if (!fs::exists(root)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.rfind("manifest", 0) == 0 &&
        entry.path().extension() == ".ttl") {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct ResultRef {
  std::string path;
  std::string base;
};

// mf:result files (IRIs only: update tests state their results as blank
// nodes holding ut:data, read elsewhere), deduplicated by path.
std::map<std::string, ResultRef> ReferencedResults() {
  std::map<std::string, ResultRef> refs;
  for (const char* suite : {"sparql10", "sparql11"}) {
    for (const std::string& file : ManifestFiles(kSparqlDir + "/" + suite)) {
      absl::StatusOr<Manifest> m = ReadManifest(file);
      INFO(file);
      REQUIRE(m.ok());
      for (const TestEntry& e : m->entries) {
        if (!e.result.has_value() || !e.result->is_iri()) continue;
        std::string path = FileIriToPath(e.result->lexical);
        if (!ResultFileFormatFromPath(path).ok()) continue;
        refs.emplace(path, ResultRef{path, m->BaseFor(e.result->lexical)});
      }
    }
  }
  return refs;
}

// Checks equality and shows the comparison's explanation on failure.
void CheckEqual(const ResultTable& expected, const ResultTable& actual,
                bool ordered) {
  std::string diff;
  bool equal = ResultsEqual(expected, actual, ordered, &diff);
  INFO(diff);
  CHECK(equal);
}

Term Iri(const char* s) { return Term::Iri(s); }
Term Blank(const char* s) { return Term::BlankNode(s); }

ResultTable Bindings(std::vector<std::string> vars, std::vector<Row> rows) {
  ResultTable t;
  t.variables = std::move(vars);
  t.rows = std::move(rows);
  return t;
}

TEST_CASE("every expected SPARQL result file parses and equals itself",
          "[conformance]") {
  if (!fs::exists(kSparqlDir)) {
    WARN("no W3C SPARQL suites at " << kSparqlDir);
    return;
  }
  std::map<std::string, ResultRef> refs = ReferencedResults();
  std::map<std::string, int> by_ext;
  int failed = 0;
  for (const auto& [path, ref] : refs) {
    INFO(path);
    absl::StatusOr<ResultTable> table = ReadResultFile(path, ref.base);
    if (!table.ok()) {
      ++failed;
      FAIL_CHECK(table.status().ToString());
      continue;
    }
    by_ext[fs::path(path).extension().string()]++;
    std::string diff;
    CheckEqual(*table, *table, /*ordered=*/false);
    CheckEqual(*table, *table, /*ordered=*/true);
    ResultTable renamed = RenameBlankNodes(*table, "renamed");
    CheckEqual(*table, renamed, /*ordered=*/false);
    CheckEqual(renamed, *table, /*ordered=*/true);
    if (path.size() > 4 && path.substr(path.size() - 4) == ".csv") {
      // CSV answers are compared in CSV space: a table read from CSV is a
      // fixed point of CsvView.
      absl::StatusOr<ResultTable> view = CsvView(*table);
      REQUIRE(view.ok());
      CheckEqual(*table, *view, true);
    }
  }
  for (const auto& [ext, n] : by_ext) WARN(ext << ": " << n << " files read");
  CHECK(failed == 0);
  // Guards against a walk that silently finds nothing.
  CHECK(by_ext[".srx"] >= 300);
  CHECK(by_ext[".srj"] >= 4);
  CHECK(by_ext[".tsv"] >= 3);
  CHECK(by_ext[".csv"] >= 3);
  CHECK(by_ext[".rdf"] >= 10);
  CHECK(by_ext[".ttl"] >= 50);
}

TEST_CASE("RDF/XML result sets are read in rs:index order", "[results]") {
  const std::string path = kSparqlDir + "/sparql10/sort/result-sort-4.rdf";
  if (!fs::exists(path)) return;
  absl::StatusOr<ResultTable> t = ReadResultFile(path, PathToFileIri(path));
  REQUIRE(t.ok());
  REQUIRE(t->variables == std::vector<std::string>{"name", "emp"});
  REQUIRE(t->rows.size() == 5);
  CHECK(t->rows[0][0] == Term::Literal("Eve"));
  CHECK(t->rows[0][1] == Term::Literal("9", std::string(kXsdInteger)));
  CHECK(t->rows[4][1] == Term::Literal("30", std::string(kXsdInteger)));
}

TEST_CASE("RDF/XML subset", "[results]") {
  const char* text = R"(<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:ex="http://ex/">
  <ex:Thing rdf:about="a" ex:name="A" xml:lang="en">
    <ex:p rdf:resource="http://ex/b"/>
    <ex:q rdf:nodeID="n1"/>
    <ex:r rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">7</ex:r>
    <ex:s rdf:parseType="Resource"><ex:t>x</ex:t></ex:s>
    <ex:u><rdf:Description rdf:about="http://ex/c"/></ex:u>
  </ex:Thing>
</rdf:RDF>)";
  absl::StatusOr<std::vector<Quad>> quads = ParseRdfXml(text, "http://ex/");
  REQUIRE(quads.ok());
  std::vector<Quad> want = {
      {Iri("http://ex/a"),
       Term::Iri(std::string(kRdfType)),
       Iri("http://ex/Thing"),
       {}},
      {Iri("http://ex/a"),
       Iri("http://ex/name"),
       Term::LangLiteral("A", "en"),
       {}},
      {Iri("http://ex/a"), Iri("http://ex/p"), Iri("http://ex/b"), {}},
      {Iri("http://ex/a"), Iri("http://ex/q"), Blank("n1"), {}},
      {Iri("http://ex/a"),
       Iri("http://ex/r"),
       Term::Literal("7", std::string(kXsdInteger)),
       {}},
      {Blank("x1"), Iri("http://ex/t"), Term::LangLiteral("x", "en"), {}},
      {Iri("http://ex/a"), Iri("http://ex/s"), Blank("x1"), {}},
      {Iri("http://ex/a"), Iri("http://ex/u"), Iri("http://ex/c"), {}},
  };
  std::string why;
  bool iso = IsIsomorphic(*quads, want, &why);
  INFO(why);
  CHECK(iso);
  CHECK_FALSE(ParseRdfXml("<rdf:RDF", "http://ex/").ok());
}

TEST_CASE("ResultsEqual: columns by name, multisets and sequences",
          "[results]") {
  ResultTable a = Bindings(
      {"x", "y"}, {{Iri("urn:1"), std::nullopt}, {Iri("urn:2"), Iri("urn:3")}});
  ResultTable b = Bindings(
      {"y", "x"}, {{Iri("urn:3"), Iri("urn:2")}, {std::nullopt, Iri("urn:1")}});
  std::string diff;
  CheckEqual(a, b, false);
  CHECK_FALSE(ResultsEqual(a, b, true, &diff));
  CHECK(diff.find("row 1") != std::string::npos);

  ResultTable dup = a;
  dup.rows.push_back(a.rows[0]);
  CHECK_FALSE(ResultsEqual(a, dup, false, &diff));
  CHECK(diff.find("expected 2 rows, actual 3") != std::string::npos);

  ResultTable other_vars = Bindings({"x", "z"}, a.rows);
  CHECK_FALSE(ResultsEqual(a, other_vars, false, &diff));
  CHECK(diff.find("variables differ") != std::string::npos);

  // Terms, not values: "01" and "1" are different integers.
  ResultTable i1 =
      Bindings({"n"}, {{Term::Literal("1", std::string(kXsdInteger))}});
  ResultTable i01 =
      Bindings({"n"}, {{Term::Literal("01", std::string(kXsdInteger))}});
  CHECK_FALSE(ResultsEqual(i1, i01, false, &diff));
}

TEST_CASE("ResultsEqual: blank nodes up to one bijection", "[results]") {
  ResultTable a = Bindings({"s", "o"}, {{Blank("a"), Blank("b")},
                                        {Blank("b"), Iri("urn:x")},
                                        {Blank("c"), Iri("urn:x")}});
  ResultTable b = Bindings({"s", "o"}, {{Blank("z"), Iri("urn:x")},
                                        {Blank("y"), Blank("z")},
                                        {Blank("w"), Iri("urn:x")}});
  std::string diff;
  CheckEqual(a, b, false);
  // The same label may not map to two different ones ...
  ResultTable c = Bindings({"s", "o"}, {{Blank("y"), Blank("z")},
                                        {Blank("w"), Iri("urn:x")},
                                        {Blank("v"), Iri("urn:x")}});
  CHECK_FALSE(ResultsEqual(a, c, false, &diff));
  CHECK(diff.find("blank node") != std::string::npos);
  // ... nor two labels to one.
  ResultTable d = Bindings({"s"}, {{Blank("a")}, {Blank("b")}});
  ResultTable e = Bindings({"s"}, {{Blank("a")}, {Blank("a")}});
  CHECK_FALSE(ResultsEqual(d, e, false, &diff));
  CHECK_FALSE(ResultsEqual(e, d, false, &diff));
  // A blank node is not an IRI.
  ResultTable f = Bindings({"s"}, {{Iri("urn:a")}, {Blank("b")}});
  CHECK_FALSE(ResultsEqual(d, f, false, &diff));
}

TEST_CASE("ResultsEqual: booleans and graphs", "[results]") {
  ResultTable t, f, g;
  t.kind = f.kind = QueryResult::Kind::kBoolean;
  t.boolean = true;
  std::string diff;
  CheckEqual(t, t, false);
  CHECK_FALSE(ResultsEqual(t, f, false, &diff));
  g.kind = QueryResult::Kind::kGraph;
  g.triples = {{Blank("a"), Iri("urn:p"), Blank("b"), {}}};
  CheckEqual(g, RenameBlankNodes(g, "q"), false);
  CHECK_FALSE(ResultsEqual(g, t, false, &diff));
  CHECK(diff == "expected a graph result, actual a boolean");
}

TEST_CASE("TSV and CSV readers", "[results]") {
  absl::StatusOr<ResultTable> tsv =
      ParseTsv("?a\t?b\n<urn:x>\t\"q\\\"t\"@en\n_:b1\t-4.5e1\n\t12\n");
  REQUIRE(tsv.ok());
  REQUIRE(tsv->rows.size() == 3);
  CHECK(tsv->rows[0][1] == Term::LangLiteral("q\"t", "en"));
  CHECK(tsv->rows[1][0] == Blank("b1"));
  CHECK(tsv->rows[1][1] == Term::Literal("-4.5e1", std::string(kXsdDouble)));
  CHECK_FALSE(tsv->rows[2][0].has_value());
  CHECK(tsv->rows[2][1] == Term::Literal("12", std::string(kXsdInteger)));
  CHECK_FALSE(ParseTsv("?a\n<unterminated\n").ok());

  absl::StatusOr<ResultTable> csv =
      ParseCsv("a,b\r\nhttp://x/,\"say \"\"hi\"\",\nthere\"\r\n_:b0,\r\n");
  REQUIRE(csv.ok());
  REQUIRE(csv->rows.size() == 2);
  CHECK(csv->rows[0][0] == Iri("http://x/"));
  CHECK(csv->rows[0][1] == Term::Literal("say \"hi\",\nthere"));
  CHECK(csv->rows[1][0] == Blank("b0"));
  CHECK_FALSE(csv->rows[1][1].has_value());
}

}  // namespace
}  // namespace kg::conformance
