// Unit tests of the N-Triples / N-Quads reader: terms, escapes, errors with
// positions, skip_bad, default_graph and chunk-boundary streaming.

#include <catch2/catch.hpp>
#include <sstream>
#include <vector>

#include "storage/rdf/rdf_format.h"
#include "storage/rdf/readers.h"

namespace kg {
namespace {

absl::Status Parse(std::string_view text, RdfFormat f, std::vector<Quad>* out,
                   ParseOptions options = {}) {
  return ParseRdfString(text, f, options, [&](const Quad& q) {
    out->push_back(q);
    return absl::OkStatus();
  });
}

TEST_CASE("N-Triples basic terms and escapes", "[ntriples]") {
  std::vector<Quad> q;
  REQUIRE(Parse("<http://a/s> <http://a/p> \"caf\\u00E9 \\\"q\\\"\\n\" .\n"
                "_:b1 <http://a/p> \"x\"@EN-us .\r\n"
                "# comment\n"
                "\n"
                "<http://a/\\u0041> <http://a/p> "
                "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer> . # tail\n"
                "<http://a/s> <http://a/p> \"Ünïcödé\"",
                RdfFormat::kNTriples, &q)
              .code() == absl::StatusCode::kInvalidArgument);
  q.clear();
  REQUIRE(Parse("<http://a/s> <http://a/p> \"caf\\u00E9 \\\"q\\\"\\n\" .\n"
                "_:b1 <http://a/p> \"x\"@EN-us .\r\n"
                "# comment\n\n"
                "<http://a/\\u0041> <http://a/p> "
                "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer> . # tail\n"
                "<http://a/s> <http://a/p> \"Ünïcödé\" .",
                RdfFormat::kNTriples, &q)
              .ok());
  REQUIRE(q.size() == 4);
  CHECK(q[0].object.lexical == "café \"q\"\n");
  CHECK(q[1].subject == Term::BlankNode("b1"));
  CHECK(q[1].object.language == "en-us");
  CHECK(q[2].subject.lexical == "http://a/A");
  CHECK(q[2].object.datatype == kXsdInteger);
  CHECK(q[3].object.lexical == "Ünïcödé");
  CHECK_FALSE(q[0].graph.has_value());
}

TEST_CASE("N-Triples IRIs and strings: every byte value at every offset",
          "[ntriples]") {
  // IRIs are scanned 16 bytes at a time where the CPU allows: each byte
  // value must stop (or not stop) that scan exactly where the one-byte
  // rules do, wherever it falls in a 16-byte block, and the text before
  // and after it must come through whole.
  for (int c = 0; c < 256; ++c) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u == '\n' || u == '\r') continue;  // line breaks end the line
    const bool allowed = u > 0x20 && u < 0x80 && u != '<' && u != '>' &&
                         u != '"' && u != '{' && u != '}' && u != '|' &&
                         u != '^' && u != '`' && u != '\\';
    for (size_t before = 0; before < 40; before += 3) {
      CAPTURE(c, before);
      const std::string iri = "http://e/" + std::string(before, 'a') +
                              static_cast<char>(u) + std::string(20, 'b');
      std::vector<Quad> q;
      const absl::Status s =
          Parse("<" + iri + "> <http://e/p> <http://e/o> .\n",
                RdfFormat::kNTriples, &q);
      CHECK(s.ok() == allowed);
      if (allowed) {
        REQUIRE(q.size() == 1);
        CHECK(q[0].subject.lexical == iri);
      }
      // The same byte inside a "..." literal ('z' after it: "\\z" is no
      // escape).
      const bool in_string = u < 0x80 && u != '"' && u != '\\';
      const std::string text = std::string(before, 'a') +
                               static_cast<char>(u) + std::string(20, 'z');
      q.clear();
      CHECK(Parse("<http://e/s> <http://e/p> \"" + text + "\" .\n",
                  RdfFormat::kNTriples, &q)
                .ok() == in_string);
      if (in_string && q.size() == 1) CHECK(q[0].object.lexical == text);
    }
  }
}

TEST_CASE("N-Triples errors carry line and column", "[ntriples]") {
  std::vector<Quad> q;
  ParseOptions o;
  o.source_name = "data.nt";
  absl::Status s = Parse(
      "<http://a/s> <http://a/p> <http://a/o> .\n"
      "<http://a/s> <http://a/p> <http://a/o> x\n",
      RdfFormat::kNTriples, &q, o);
  REQUIRE(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(s.message()) ==
        "data.nt:2:40: expected '.' to end the statement, found 'x'");
  s = Parse("<s> <http://a/p> <http://a/o> .\n", RdfFormat::kNTriples, &q, o);
  CHECK(std::string(s.message()) ==
        "data.nt:1:1: expected an absolute IRI, found the relative IRI <s>");
  s = Parse("<http://a/s> <http://a/p> \"\\q\" .\n", RdfFormat::kNTriples, &q,
            o);
  CHECK(std::string(s.message())
            .rfind("data.nt:1:28: expected a string escape", 0) == 0);
  s = Parse("<http://a/s> <http://a/p> \"\xC3\x28\" .\n", RdfFormat::kNTriples,
            &q, o);
  CHECK(std::string(s.message()) ==
        "data.nt:1:28: expected UTF-8 text, found byte 0xC3");
  s = Parse("<http://a/s> <http://a/p> <http://a/o> <http://g> .\n",
            RdfFormat::kNTriples, &q, o);
  CHECK(std::string(s.message()).rfind("data.nt:1:40: expected '.'", 0) == 0);
}

TEST_CASE("N-Quads graphs, default_graph and skip_bad", "[nquads]") {
  std::vector<Quad> q;
  ParseOptions o;
  o.default_graph = Term::Iri("http://dg");
  o.skip_bad = true;
  std::vector<ParseError> errors;
  o.on_error = [&](const ParseError& e) { errors.push_back(e); };
  REQUIRE(Parse("<http://s> <http://p> <http://o> <http://g> .\n"
                "<http://s> <http://p> oops .\n"
                "<http://s> <http://p> <http://o> .\n"
                "_:a <http://p> <http://o> _:g .\n",
                RdfFormat::kNQuads, &q, o)
              .ok());
  REQUIRE(q.size() == 3);
  CHECK(q[0].graph == Term::Iri("http://g"));
  CHECK(q[1].graph == Term::Iri("http://dg"));
  CHECK(q[2].graph == Term::BlankNode("g"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line == 2);
  CHECK(errors[0].column == 23);
}

TEST_CASE("N-Triples streams across chunk boundaries", "[ntriples]") {
  std::string text;
  for (int i = 0; i < 500; ++i) {
    text += "<http://example.org/s" + std::to_string(i) +
            "> <http://example.org/p> \"value " + std::to_string(i) + "\" .\n";
  }
  // A line longer than the chunk forces the buffer to grow.
  text += "<http://example.org/long> <http://example.org/p> \"" +
          std::string(300, 'x') + "\" .\n";
  std::istringstream in(text);
  std::vector<Quad> q;
  absl::Status s = rdf_internal::ParseNQuads(
      in, false, ParseOptions{},
      [&](const Quad& x) {
        q.push_back(x);
        return absl::OkStatus();
      },
      /*chunk_size=*/64);
  REQUIRE(s.ok());
  REQUIRE(q.size() == 501);
  CHECK(q[137].object.lexical == "value 137");
  CHECK(q[500].object.lexical.size() == 300);
}

TEST_CASE("Sink status stops the parse", "[ntriples]") {
  int n = 0;
  absl::Status s = ParseRdfString(
      "<http://s> <http://p> <http://o> .\n<http://s> <http://p> <http://o> "
      ".\n",
      RdfFormat::kNTriples, ParseOptions{}, [&](const Quad&) {
        ++n;
        return absl::CancelledError("stop");
      });
  CHECK(s.code() == absl::StatusCode::kCancelled);
  CHECK(n == 1);
}

TEST_CASE("Format names", "[rdf]") {
  CHECK(*RdfFormatFromName("TTL") == RdfFormat::kTurtle);
  CHECK(*RdfFormatFromName("nquads") == RdfFormat::kNQuads);
  CHECK_FALSE(RdfFormatFromName("rdfxml").ok());
  CHECK(*RdfFormatFromPath("/a/b.trig") == RdfFormat::kTriG);
  CHECK(*RdfFormatFromPath("x.nt") == RdfFormat::kNTriples);
  CHECK_FALSE(RdfFormatFromPath("x.nt.gz").ok());
  CHECK(RdfFormatName(RdfFormat::kNQuads) == "nquads");
  CHECK(RdfFormatHasGraphs(RdfFormat::kTriG));
  CHECK_FALSE(RdfFormatHasGraphs(RdfFormat::kTurtle));
}

}  // namespace
}  // namespace kg
