// W3C RDF 1.1 conformance: runs the N-Triples, N-Quads, Turtle and TriG
// suites in place from KG_CONFORMANCE_DIR (tests/data/w3c by default).
// Syntax tests must parse (or be rejected); eval tests must parse to a
// dataset isomorphic to the expected .nt/.nq. Prints pass/fail counts per
// suite and every failure with its reason, then requires zero failures.

#include <catch2/catch.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "storage/rdf/rdf_format.h"
#include "tests/conformance/manifest.h"

namespace kg {
namespace {

struct SuiteResult {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::vector<std::string> failures;
};

bool FormatOfType(std::string_view type, RdfFormat* format) {
  if (type.rfind("TestNTriples", 0) == 0) {
    *format = RdfFormat::kNTriples;
  } else if (type.rfind("TestNQuads", 0) == 0) {
    *format = RdfFormat::kNQuads;
  } else if (type.rfind("TestTurtle", 0) == 0) {
    *format = RdfFormat::kTurtle;
  } else if (type.rfind("TestTrig", 0) == 0) {
    *format = RdfFormat::kTriG;
  } else {
    return false;
  }
  return true;
}

SuiteResult RunSuite(const std::string& folder) {
  SuiteResult r;
  std::string path = std::string(KG_CONFORMANCE_DIR) + "/rdf/rdf11/" + folder +
                     "/manifest.ttl";
  absl::StatusOr<conformance::Manifest> m = conformance::ReadManifest(path);
  if (!m.ok()) {
    r.failed++;
    r.failures.push_back("manifest: " + std::string(m.status().message()));
    return r;
  }
  for (const conformance::TestEntry& e : m->entries) {
    RdfFormat format;
    if (!FormatOfType(e.type_local, &format) || !e.action.has_value()) {
      r.skipped++;
      continue;
    }
    const std::string action_iri = e.action->lexical;
    const std::string action_path = conformance::FileIriToPath(action_iri);
    const std::string base = m->BaseFor(action_iri);
    absl::StatusOr<std::vector<Quad>> got =
        conformance::ReadRdfFile(action_path, format, base);
    std::string fail;
    const std::string& t = e.type_local;
    if (t.find("NegativeSyntax") != std::string::npos ||
        t.find("NegativeEval") != std::string::npos) {
      if (got.ok()) fail = "accepted a document that must be rejected";
    } else if (t.find("PositiveSyntax") != std::string::npos) {
      if (!got.ok()) fail = std::string(got.status().message());
    } else if (t.find("Eval") != std::string::npos) {
      if (!got.ok()) {
        fail = std::string(got.status().message());
      } else if (!e.result.has_value()) {
        fail = "eval test without mf:result";
      } else {
        RdfFormat expected_format = RdfFormatHasGraphs(format)
                                        ? RdfFormat::kNQuads
                                        : RdfFormat::kNTriples;
        absl::StatusOr<std::vector<Quad>> want = conformance::ReadRdfFile(
            conformance::FileIriToPath(e.result->lexical), expected_format,
            m->BaseFor(e.result->lexical));
        std::string why;
        if (!want.ok()) {
          fail = "cannot read the expected result: " +
                 std::string(want.status().message());
        } else if (!conformance::IsIsomorphic(*got, *want, &why)) {
          fail = "result differs: " + why;
        }
      }
    } else {
      r.skipped++;
      continue;
    }
    if (fail.empty()) {
      r.passed++;
    } else {
      r.failed++;
      r.failures.push_back(e.name + " [" + t + "]: " + fail);
    }
  }
  return r;
}

void CheckSuite(const std::string& folder) {
  SuiteResult r = RunSuite(folder);
  std::cout << folder << ": " << r.passed << " passed, " << r.failed
            << " failed, " << r.skipped << " skipped\n";
  for (const std::string& f : r.failures) std::cout << "  FAIL " << f << "\n";
  std::cout.flush();
  CHECK(r.passed > 0);
  REQUIRE(r.failures.empty());
}

// The isomorphism check must tell structure apart, not just count: a
// 4-cycle and two 2-cycles have the same degrees and counts.
TEST_CASE("IsIsomorphic distinguishes same-count datasets", "[isomorphism]") {
  auto b = [](const char* l) { return Term::BlankNode(l); };
  Term p = Term::Iri("http://p");
  std::vector<Quad> cycle4 = {{b("a"), p, b("b"), {}},
                              {b("b"), p, b("c"), {}},
                              {b("c"), p, b("d"), {}},
                              {b("d"), p, b("a"), {}}};
  std::vector<Quad> two2 = {{b("w"), p, b("x"), {}},
                            {b("x"), p, b("w"), {}},
                            {b("y"), p, b("z"), {}},
                            {b("z"), p, b("y"), {}}};
  std::vector<Quad> renamed = {{b("3"), p, b("0"), {}},
                               {b("1"), p, b("2"), {}},
                               {b("0"), p, b("1"), {}},
                               {b("2"), p, b("3"), {}}};
  std::string why;
  CHECK_FALSE(conformance::IsIsomorphic(cycle4, two2, &why));
  CHECK(conformance::IsIsomorphic(cycle4, renamed, &why));
  std::vector<Quad> g1 = cycle4, g2 = renamed;
  g1[0].graph = Term::Iri("http://g");
  CHECK_FALSE(conformance::IsIsomorphic(g1, g2));
  g2[2].graph = Term::Iri("http://g");  // _:0 -> _:1 matches _:a -> _:b
  CHECK(conformance::IsIsomorphic(g1, g2));
}

TEST_CASE("W3C RDF 1.1 N-Triples suite", "[conformance]") {
  CheckSuite("rdf-n-triples");
}
TEST_CASE("W3C RDF 1.1 N-Quads suite", "[conformance]") {
  CheckSuite("rdf-n-quads");
}
TEST_CASE("W3C RDF 1.1 Turtle suite", "[conformance]") {
  CheckSuite("rdf-turtle");
}
TEST_CASE("W3C RDF 1.1 TriG suite", "[conformance]") { CheckSuite("rdf-trig"); }

}  // namespace
}  // namespace kg
