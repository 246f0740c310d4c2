// Unit tests of the writers: exact N-Triples/N-Quads output, Turtle/TriG
// grouping and abbreviations, and round trips through the readers.

#include <catch2/catch.hpp>
#include <sstream>
#include <vector>

#include "storage/rdf/rdf_format.h"

namespace kg {
namespace {

std::vector<Quad> Sample() {
  Term s = Term::Iri("http://ex.org/s");
  Term p = Term::Iri("http://ex.org/p");
  Term g = Term::Iri("http://ex.org/g");
  return {
      {s, Term::Iri(std::string(kRdfType)), Term::Iri("http://ex.org/C"),
       std::nullopt},
      {s, p, Term::Literal("42", std::string(kXsdInteger)), std::nullopt},
      {s, p, Term::Literal("4 2", std::string(kXsdInteger)), std::nullopt},
      {s, p, Term::Literal("true", std::string(kXsdBoolean)), std::nullopt},
      {s, p, Term::LangLiteral("Қазақстан \"q\"\n", "kk"), std::nullopt},
      {s, Term::Iri("http://ex.org/q"), Term::Iri("http://ex.org/é/ü#x"),
       std::nullopt},
      {Term::BlankNode("b1"), p, Term::Iri("http://ex.org/x.y"), std::nullopt},
      {s, p, Term::Literal("v"), g},
      {s, p, Term::BlankNode("b1"), g},
      {Term::BlankNode("b1"), p, Term::Literal("1.5", std::string(kXsdDecimal)),
       Term::BlankNode("g2")},
  };
}

std::string WriteAll(RdfFormat f, const std::vector<Quad>& quads) {
  std::ostringstream out;
  auto w = NewRdfWriter(f, out);
  w->AddPrefix("ex", "http://ex.org/");
  for (const Quad& q : quads) REQUIRE(w->Write(q).ok());
  REQUIRE(w->Finish().ok());
  return out.str();
}

std::vector<Quad> ReadAll(RdfFormat f, const std::string& text) {
  std::vector<Quad> out;
  absl::Status s = ParseRdfString(text, f, ParseOptions{}, [&](const Quad& q) {
    out.push_back(q);
    return absl::OkStatus();
  });
  INFO(text);
  REQUIRE(s.ok());
  return out;
}

TEST_CASE("N-Quads writer output is exact", "[writer]") {
  std::vector<Quad> in = Sample();
  std::string nq = WriteAll(RdfFormat::kNQuads, in);
  CHECK(
      nq.find(
          "<http://ex.org/s> <http://ex.org/p> \"v\" <http://ex.org/g> .\n") !=
      std::string::npos);
  CHECK(nq.find("\"Қазақстан \\\"q\\\"\\n\"@kk") != std::string::npos);
  CHECK(nq.find("<http://ex.org/é/ü#x>") != std::string::npos);
  CHECK(ReadAll(RdfFormat::kNQuads, nq) == in);
  std::string nt = WriteAll(RdfFormat::kNTriples, in);
  std::vector<Quad> back = ReadAll(RdfFormat::kNTriples, nt);
  REQUIRE(back.size() == in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    CHECK(back[i].object == in[i].object);
    CHECK_FALSE(back[i].graph.has_value());
  }
}

TEST_CASE("Turtle writer groups and abbreviates, and round-trips", "[writer]") {
  std::vector<Quad> in = Sample();
  std::string ttl = WriteAll(RdfFormat::kTurtle, in);
  CHECK(ttl.rfind("@prefix ex: <http://ex.org/> .\n", 0) == 0);
  CHECK(ttl.find("ex:s a ex:C ;\n    ex:p 42 ,\n") != std::string::npos);
  CHECK(ttl.find("\"4 2\"^^<http://www.w3.org/2001/XMLSchema#integer>") !=
        std::string::npos);
  CHECK(ttl.find("true") != std::string::npos);
  CHECK(ttl.find("ex:x.y") != std::string::npos);
  CHECK(ttl.find("<http://ex.org/é/ü#x>") != std::string::npos);
  std::vector<Quad> back = ReadAll(RdfFormat::kTurtle, ttl);
  REQUIRE(back.size() == in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    CHECK(back[i].predicate == in[i].predicate);
    if (!in[i].object.is_blank()) CHECK(back[i].object == in[i].object);
  }
}

TEST_CASE("TriG writer round-trips graphs", "[writer]") {
  std::vector<Quad> in = Sample();
  std::string trig = WriteAll(RdfFormat::kTriG, in);
  CHECK(trig.find("ex:g {\n") != std::string::npos);
  std::vector<Quad> back = ReadAll(RdfFormat::kTriG, trig);
  REQUIRE(back.size() == in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    CHECK(back[i].graph.has_value() == in[i].graph.has_value());
    if (!in[i].object.is_blank()) CHECK(back[i].object == in[i].object);
  }
  CHECK(back[7].graph == Term::Iri("http://ex.org/g"));
  CHECK(back[9].graph == Term::BlankNode("g2"));
}

}  // namespace
}  // namespace kg
