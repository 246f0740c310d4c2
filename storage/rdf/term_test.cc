// Unit tests of the Term/Quad value types: factories, N-Triples output and
// escaping, ordering.

#include "storage/rdf/term.h"

#include <catch2/catch.hpp>
#include <sstream>

namespace kg {
namespace {

TEST_CASE("Term factories normalise", "[term]") {
  CHECK(Term::Literal("a", std::string(kXsdString)) == Term::Literal("a"));
  CHECK(Term::Literal("a").datatype.empty());
  CHECK(Term::LangLiteral("chat", "EN-GB").language == "en-gb");
  CHECK(Term::Literal("1", std::string(kXsdInteger)).DatatypeIri() ==
        kXsdInteger);
  CHECK(Term::Literal("a").DatatypeIri() == kXsdString);
  CHECK(Term::LangLiteral("a", "en").DatatypeIri() == kRdfLangString);
  CHECK(Term::Iri("http://x").DatatypeIri().empty());
  CHECK(Term::BlankNode("b0").is_blank());
}

TEST_CASE("Term::ToNTriples escapes", "[term]") {
  CHECK(Term::Iri("http://ex.org/a").ToNTriples() == "<http://ex.org/a>");
  CHECK(Term::Iri("http://ex.org/a b").ToNTriples() ==
        "<http://ex.org/a\\u0020b>");
  CHECK(Term::BlankNode("x1").ToNTriples() == "_:x1");
  CHECK(Term::Literal("say \"hi\"\n\\\t\x01").ToNTriples() ==
        "\"say \\\"hi\\\"\\n\\\\\\t\\u0001\"");
  CHECK(Term::LangLiteral("Алматы", "KK").ToNTriples() == "\"Алматы\"@kk");
  CHECK(Term::Literal("5", std::string(kXsdInteger)).ToNTriples() ==
        "\"5\"^^<http://www.w3.org/2001/XMLSchema#integer>");
}

TEST_CASE("Term ordering and streaming", "[term]") {
  Term a = Term::Iri("http://a"), b = Term::Iri("http://b");
  CHECK(a < b);
  CHECK_FALSE(b < a);
  CHECK(Term::Iri("z") < Term::BlankNode("a"));  // kind first
  std::ostringstream os;
  Quad q{a, b, Term::Literal("x"), Term::Iri("http://g")};
  os << q;
  CHECK(os.str() == "<http://a> <http://b> \"x\" <http://g> .");
  Quad t{a, b, Term::BlankNode("n"), std::nullopt};
  CHECK(t.ToNQuads() == "<http://a> <http://b> _:n .");
}

}  // namespace
}  // namespace kg
