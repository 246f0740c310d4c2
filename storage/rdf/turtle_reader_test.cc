// Unit tests of the Turtle / TriG reader: syntax features, blank-node
// labelling, errors with positions, skip_bad, streaming across chunks.

#include <catch2/catch.hpp>
#include <sstream>
#include <vector>

#include "storage/rdf/iri.h"
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

TEST_CASE("Turtle syntax features", "[turtle]") {
  std::vector<Quad> q;
  std::vector<std::string> prefixes;
  ParseOptions o;
  o.base_iri = "http://ex.org/dir/doc";
  o.on_prefix = [&](std::string_view p, std::string_view) {
    prefixes.emplace_back(p);
  };
  REQUIRE(Parse(R"(@prefix ex: <http://ex.org/ns#> .
PREFIX e2: <../other/>
ex:s a ex:C ; ex:p 1, -2.5, 3e2, true, "x"@EN, 'y'^^ex:T, """multi
line""" ;
  ex:q [ ex:r ex:v ] , ( 1 ex:o ) .
<rel> e2:a\,b <#frag> .
ex:s ex:p ex:loc%41l.x .
)",
                RdfFormat::kTurtle, &q, o)
              .ok());
  CHECK(prefixes == std::vector<std::string>{"ex", "e2"});
  REQUIRE(q.size() == 17);
  CHECK(q[0].predicate.lexical == kRdfType);
  CHECK(q[1].object == Term::Literal("1", std::string(kXsdInteger)));
  CHECK(q[2].object == Term::Literal("-2.5", std::string(kXsdDecimal)));
  CHECK(q[3].object == Term::Literal("3e2", std::string(kXsdDouble)));
  CHECK(q[4].object == Term::Literal("true", std::string(kXsdBoolean)));
  CHECK(q[5].object == Term::LangLiteral("x", "en"));
  CHECK(q[6].object.datatype == "http://ex.org/ns#T");
  CHECK(q[7].object.lexical == "multi\nline");
  // [ ex:r ex:v ] and the collection get generated labels.
  CHECK(q[8].subject.lexical == "genid1");
  CHECK(q[9].object == Term::BlankNode("genid1"));
  const Quad& rel = q[15];
  CHECK(rel.subject.lexical == "http://ex.org/dir/rel");
  CHECK(rel.predicate.lexical == "http://ex.org/other/a,b");
  CHECK(rel.object.lexical == "http://ex.org/dir/doc#frag");
  CHECK(q[16].object.lexical == "http://ex.org/ns#loc%41l.x");
}

TEST_CASE("Turtle keeps written blank labels apart from generated ones",
          "[turtle]") {
  std::vector<Quad> q;
  REQUIRE(Parse("_:genid1 <http://p> [] . _:x <http://p> _:genid1 .",
                RdfFormat::kTurtle, &q)
              .ok());
  REQUIRE(q.size() == 2);
  CHECK(q[0].subject.lexical == "genid-genid1");
  CHECK(q[0].object.lexical == "genid1");
  CHECK(q[1].subject.lexical == "x");
  CHECK(q[1].object.lexical == "genid-genid1");
}

TEST_CASE("Turtle errors carry line and column", "[turtle]") {
  std::vector<Quad> q;
  ParseOptions o;
  o.source_name = "data.ttl";
  absl::Status s = Parse("@prefix : <http://ex/> .\n:s :p :o x .\n",
                         RdfFormat::kTurtle, &q, o);
  CHECK(std::string(s.message()) ==
        "data.ttl:2:10: expected '.' to end the triple, found 'x'");
  s = Parse(":s :p :o .", RdfFormat::kTurtle, &q, o);
  CHECK(std::string(s.message()) == "data.ttl:1:1: undeclared prefix ':'");
  s = Parse("<s> <http://p> <http://o> .", RdfFormat::kTurtle, &q, o);
  CHECK(
      std::string(s.message()) ==
      "data.ttl:1:1: expected an absolute IRI (no base IRI is set), found <s>");
  s = Parse("<http://s> <http://p> \"abc\n\" .", RdfFormat::kTurtle, &q, o);
  CHECK(std::string(s.message())
            .rfind("data.ttl:1:27: expected a closing quote", 0) == 0);
  s = Parse("<http://s> <http://p> \"\xFF\" .", RdfFormat::kTurtle, &q, o);
  CHECK(std::string(s.message()) ==
        "data.ttl:1:24: expected UTF-8 text, found byte 0xFF");
}

TEST_CASE("Turtle IRIs and strings: every byte value at every offset",
          "[turtle]") {
  // IRIs and strings are copied in runs of plain bytes, 16 at a time where
  // the CPU allows: each byte value must end a run exactly where the
  // one-byte rules say, wherever it falls in a 16-byte block and whether
  // or not the input buffer ends inside the run (chunks of 7 bytes).
  auto parse = [](const std::string& text, size_t chunk,
                  std::vector<Quad>* out) {
    std::istringstream in(text);
    return rdf_internal::ParseTurtle(
        in, false, ParseOptions{},
        [&](const Quad& x) {
          out->push_back(x);
          return absl::OkStatus();
        },
        chunk);
  };
  const std::vector<std::string> quotes = {"\"", "'", "\"\"\"", "'''"};
  for (int c = 0; c < 256; ++c) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u == '\n' || u == '\r') continue;  // line breaks: tested elsewhere
    const bool in_iri = u > 0x20 && u < 0x80 && u != '<' && u != '>' &&
                        u != '"' && u != '{' && u != '}' && u != '|' &&
                        u != '^' && u != '`' && u != '\\';
    for (size_t before : {size_t{0}, size_t{5}, size_t{15}, size_t{16},
                          size_t{17}, size_t{31}}) {
      for (size_t chunk : {size_t{7}, size_t{1} << 20}) {
        CAPTURE(c, before, chunk);
        // 'z' after: "\\z" is no escape ("\\b" would be one).
        const std::string run = std::string(before, 'a') +
                                static_cast<char>(u) + std::string(20, 'z');
        std::vector<Quad> q;
        const std::string iri = "http://e/" + run;
        CHECK(parse("<" + iri + "> <http://e/p> 1 .\n", chunk, &q).ok() ==
              in_iri);
        if (in_iri && q.size() == 1) CHECK(q[0].subject.lexical == iri);
        for (const std::string& quote : quotes) {
          CAPTURE(quote);
          // A lone quote character is content in a long string.
          const bool in_string = u < 0x80 && u != '\\' &&
                                 (quote.size() == 3 || u != quote[0]);
          q.clear();
          CHECK(parse("<http://e/s> <http://e/p> " + quote + run + quote +
                          " .\n",
                      chunk, &q)
                    .ok() == in_string);
          if (in_string && q.size() == 1) CHECK(q[0].object.lexical == run);
        }
      }
    }
  }
  // Columns still count every byte of a run.
  std::vector<Quad> q;
  ParseOptions o;
  o.source_name = "t.ttl";
  absl::Status s =
      Parse("<http://e/" + std::string(40, 'a') + " b> <http://p> 1 .",
            RdfFormat::kTurtle, &q, o);
  CHECK(std::string(s.message()).rfind("t.ttl:1:51: ", 0) == 0);
}

TEST_CASE("Turtle skip_bad resumes after the next statement", "[turtle]") {
  std::vector<Quad> q;
  std::vector<ParseError> errors;
  ParseOptions o;
  o.skip_bad = true;
  o.on_error = [&](const ParseError& e) { errors.push_back(e); };
  REQUIRE(Parse("<http://s> <http://p> <http://o1> .\n"
                "<http://s> <http://p> ??? \"a . b\" .\n"
                "<http://s> <http://p> <http://o3> .\n",
                RdfFormat::kTurtle, &q, o)
              .ok());
  REQUIRE(q.size() == 2);
  CHECK(q[1].object.lexical == "http://o3");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line == 2);
  CHECK(errors[0].column == 23);
}

TEST_CASE("TriG graphs, shared blank nodes, default_graph", "[trig]") {
  std::vector<Quad> q;
  ParseOptions o;
  o.default_graph = Term::Iri("http://dg");
  REQUIRE(Parse(R"(PREFIX : <http://ex/>
:g1 { _:b :p :o . :s :p _:b }
GRAPH _:g2 { :s :p "v" . }
{ :s :p :d }
:t :p :e .
)",
                RdfFormat::kTriG, &q, o)
              .ok());
  REQUIRE(q.size() == 5);
  CHECK(q[0].graph == Term::Iri("http://ex/g1"));
  CHECK(q[0].subject == q[1].object);
  CHECK(q[2].graph == Term::BlankNode("g2"));
  CHECK(q[3].graph == Term::Iri("http://dg"));
  CHECK(q[4].graph == Term::Iri("http://dg"));
}

TEST_CASE("Turtle streams across chunk boundaries", "[turtle]") {
  std::string text = "@prefix ex: <http://example.org/> .\n";
  for (int i = 0; i < 300; ++i) {
    text += "ex:s" + std::to_string(i) + " ex:p \"\"\"long\nvalue " +
            std::to_string(i) + "\"\"\" ; ex:q ( 1 2 ) .\n";
  }
  std::istringstream in(text);
  std::vector<Quad> q;
  absl::Status s = rdf_internal::ParseTurtle(
      in, false, ParseOptions{},
      [&](const Quad& x) {
        q.push_back(x);
        return absl::OkStatus();
      },
      /*chunk_size=*/32);
  REQUIRE(s.ok());
  REQUIRE(q.size() == 300 * 6);
  CHECK(q[6 * 123].object.lexical == "long\nvalue 123");
}

TEST_CASE("IRI resolution follows RFC 3986", "[iri]") {
  const std::string base = "http://a/b/c/d;p?q";
  auto r = [&](std::string_view ref) {
    std::string out;
    rdf_internal::ResolveIri(base, ref, &out);
    return out;
  };
  CHECK(r("g") == "http://a/b/c/g");
  CHECK(r("./g") == "http://a/b/c/g");
  CHECK(r("/g") == "http://a/g");
  CHECK(r("//g") == "http://g");
  CHECK(r("?y") == "http://a/b/c/d;p?y");
  CHECK(r("#s") == "http://a/b/c/d;p?q#s");
  CHECK(r("") == "http://a/b/c/d;p?q");
  CHECK(r("../..") == "http://a/");
  CHECK(r("../../../g") == "http://a/g");
  CHECK(r("/./g") == "http://a/g");
  CHECK(r("g;x=1/../y") == "http://a/b/c/y");
  CHECK(r("http:g") == "http:g");
}

}  // namespace
}  // namespace kg
