// Input that tries to break the readers (issue 17): invalid UTF-8, NUL
// bytes, unterminated strings and IRIs, lines without end, nesting without
// end. Each must end with a clear error (or load, for what RDF allows)
// within a memory bound, never crash or grow without limit. The store side
// (nothing loaded, the store unchanged) is engine/hostile_input_test.cc.
// docs/SAFETY.md, "Hostile input", lists each input with its error.

#include <catch2/catch.hpp>
#include <istream>
#include <string>
#include <vector>

#include "storage/rdf/rdf_format.h"
#include "tests/util/generated_stream.h"

namespace kg {
namespace {

using testing::GeneratedBuf;

constexpr RdfFormat kAllFormats[] = {RdfFormat::kNTriples, RdfFormat::kNQuads,
                                     RdfFormat::kTurtle, RdfFormat::kTriG};

absl::Status Parse(std::string_view text, RdfFormat format,
                   std::vector<Quad>* out = nullptr,
                   ParseOptions options = {}) {
  return ParseRdfString(text, format, options, [&](const Quad& q) {
    if (out != nullptr) out->push_back(q);
    return absl::OkStatus();
  });
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST_CASE("hostile input: invalid UTF-8 is a syntax error at its byte in "
          "every format",
          "[hostile][rdf]") {
  // A stray byte, an overlong '/', an encoded surrogate, a code point past
  // U+10FFFF, a sequence cut short.
  const std::string bad[] = {"\xFF", "\xC0\xAF", "\xED\xA0\x80",
                             "\xF4\x90\x80\x80", "\xC3"};
  // Where the bytes go: a literal, an IRI, a blank node label, after a
  // language tag.
  const std::string shapes[] = {"<urn:a> <urn:p> \"x@@y\" .\n",
                                "<urn:a@@> <urn:p> <urn:b> .\n",
                                "_:b@@ <urn:p> <urn:b> .\n",
                                "<urn:a> <urn:p> \"x\"@en@@ .\n"};
  for (RdfFormat format : kAllFormats) {
    for (const std::string& shape : shapes) {
      for (const std::string& b : bad) {
        std::string text = shape;
        text.replace(text.find("@@"), 2, b);
        std::vector<Quad> quads;
        absl::Status s = Parse(text, format, &quads);
        INFO(RdfFormatName(format) << ": " << text << " -> " << s);
        REQUIRE_FALSE(s.ok());
        CHECK(absl::IsInvalidArgument(s));
        CHECK(Message(s).find("<input>:1:") == 0);
        CHECK(Message(s).find("0x") != std::string::npos);
      }
    }
  }
  // In Turtle's own syntax too: a prefixed name, a long string.
  for (const char* text :
       {"@prefix e: <urn:e#> . e:a\xFF e:p e:b .",
        "@prefix e: <urn:e#> . e:a e:p \"\"\"x\xC0\xAFy\"\"\" ."}) {
    absl::Status s = Parse(text, RdfFormat::kTurtle);
    INFO(text << " -> " << s);
    CHECK(absl::IsInvalidArgument(s));
  }
}

TEST_CASE("hostile input: a NUL byte is data inside a literal and an error "
          "elsewhere",
          "[hostile][rdf]") {
  using namespace std::string_literals;
  for (RdfFormat format : kAllFormats) {
    INFO(RdfFormatName(format));
    // RDF allows U+0000 in a literal: raw or escaped, it is kept.
    for (const std::string& text :
         {"<urn:a> <urn:p> \"a\0b\" .\n"s, "<urn:a> <urn:p> \"a\\u0000b\" .\n"s}) {
      std::vector<Quad> quads;
      REQUIRE(Parse(text, format, &quads).ok());
      REQUIRE(quads.size() == 1);
      CHECK(quads[0].object.lexical == "a\0b"s);
    }
    // Not in an IRI, a label, or between terms.
    for (const std::string& text :
         {"<urn:a\0> <urn:p> <urn:b> .\n"s, "\0<urn:a> <urn:p> <urn:b> .\n"s,
          "<urn:a> <urn:p>\0<urn:b> .\n"s, "_:a\0 <urn:p> <urn:b> .\n"s,
          "<urn:a> <urn:p> <urn:b> .\0\n"s}) {
      absl::Status s = Parse(text, format);
      INFO(s);
      CHECK(absl::IsInvalidArgument(s));
    }
  }
}

TEST_CASE("hostile input: unterminated strings and IRIs are syntax errors",
          "[hostile][rdf]") {
  const char* texts[] = {
      "<urn:a> <urn:p> \"abc",           // at the end of the input
      "<urn:a> <urn:p> \"abc .\n<urn:b> <urn:p> <urn:c> .\n",
      "<urn:a> <urn:p> \"abc\\",         // an escape cut off
      "<urn:a> <urn:p> \"abc\\u00",      // a \u escape cut off
      "<urn:a> <urn:p> <urn:abc",        // an IRI at the end of the input
      "<urn:a> <urn:p> <urn:abc .\n<urn:b> <urn:p> <urn:c> .\n",
      "<urn:a> <urn:p> \"x\"^^<urn:dt",  // a datatype IRI
      "<urn:a> <urn:p> \"x\"@",          // a language tag that never starts
  };
  for (RdfFormat format : kAllFormats) {
    for (const char* text : texts) {
      absl::Status s = Parse(text, format);
      INFO(RdfFormatName(format) << ": " << text << " -> " << s);
      CHECK(absl::IsInvalidArgument(s));
    }
  }
  // Turtle's own quoting forms.
  for (const char* text :
       {"<urn:a> <urn:p> \"\"\"abc\n\n", "<urn:a> <urn:p> 'abc",
        "<urn:a> <urn:p> '''abc '' ' .", "@prefix e: <urn:e#",
        "<urn:a> <urn:p> [ <urn:q> <urn:r>", "<urn:a> <urn:p> ( 1 2"}) {
    for (RdfFormat format : {RdfFormat::kTurtle, RdfFormat::kTriG}) {
      absl::Status s = Parse(text, format);
      INFO(text << " -> " << s);
      CHECK(absl::IsInvalidArgument(s));
    }
  }
}

// Parses a generated stream with `max` as the statement bound; the status
// and how many bytes the reader pulled.
absl::Status ParseGenerated(GeneratedBuf* buf, RdfFormat format, size_t max) {
  std::istream in(buf);
  ParseOptions options;
  options.max_statement_bytes = max;
  options.source_name = "<generated>";
  return ParseRdf(in, format, options,
                  [](const Quad&) { return absl::OkStatus(); });
}

TEST_CASE("hostile input: a line without end stops at max_statement_bytes "
          "without reading on",
          "[hostile][rdf]") {
  constexpr size_t kMax = size_t{1} << 20;
  constexpr uint64_t kGigabyte = uint64_t{1} << 30;
  struct Case {
    const char* head;
    char fill;
    std::vector<RdfFormat> formats;
  };
  const Case cases[] = {
      // A string, an IRI, a blank node label that never end.
      {"<urn:a> <urn:p> \"", 'a',
       {RdfFormat::kNTriples, RdfFormat::kNQuads, RdfFormat::kTurtle,
        RdfFormat::kTriG}},
      {"<urn:a> <urn:p> <urn:", 'a',
       {RdfFormat::kNTriples, RdfFormat::kTurtle}},
      {"<urn:a> <urn:p> _:", 'b', {RdfFormat::kNTriples, RdfFormat::kTurtle}},
      // Spaces: an N-Triples line of nothing but blanks; in Turtle they are
      // skipped as they come and need no memory (that case ends at the
      // generated end, see below).
      {"<urn:a> <urn:p> ", ' ', {RdfFormat::kNTriples}},
      // Turtle tokens: a long string, a prefixed name, a name that never
      // reaches its ':' (read ahead), a language tag, a run of dots after a
      // name (read ahead).
      {"<urn:a> <urn:p> \"\"\"", 'a', {RdfFormat::kTurtle}},
      {"@prefix e: <urn:e#> . e:a e:p e:", 'a', {RdfFormat::kTurtle}},
      {"", 'a', {RdfFormat::kTurtle, RdfFormat::kTriG}},
      {"<urn:a> <urn:p> \"x\"@", 'a', {RdfFormat::kTurtle}},
      {"@prefix e: <urn:e#> . e:a e:p e:x", '.', {RdfFormat::kTurtle}},
  };
  for (const Case& c : cases) {
    for (RdfFormat format : c.formats) {
      GeneratedBuf buf(c.head, c.fill, kGigabyte);
      absl::Status s = ParseGenerated(&buf, format, kMax);
      INFO(RdfFormatName(format) << ": \"" << c.head << "\" then '" << c.fill
                                 << "' x 1 GiB -> " << s);
      REQUIRE(absl::IsResourceExhausted(s));
      CHECK(Message(s).find("<generated>:1:") == 0);
      CHECK(Message(s).find("longer than 1048576 bytes") != std::string::npos);
      // It stopped near the bound: at most the bound and two reads of 1 MiB.
      CHECK(buf.produced() <= kMax + (size_t{3} << 20));
    }
  }
  // Blanks and a comment without end are skipped as they come in Turtle:
  // the gigabyte is read, and memory stays at one chunk.
  {
    GeneratedBuf buf("<urn:a> <urn:p> <urn:b> . # ", 'x', uint64_t{64} << 20);
    CHECK(ParseGenerated(&buf, RdfFormat::kTurtle, kMax).ok());
  }
  // The bound is per line, not per input: 3,000 lines of 2,000 bytes under a
  // bound of 4 KiB load, across many reads.
  {
    std::string text;
    for (int i = 0; i < 3000; ++i)
      text += "<urn:a> <urn:p> \"" + std::string(1980, 'z') + "\" .\n";
    for (RdfFormat format : kAllFormats) {
      ParseOptions options;
      options.max_statement_bytes = 4096;
      size_t n = 0;
      std::istringstream in(text);
      absl::Status s = ParseRdf(in, format, options, [&](const Quad&) {
        ++n;
        return absl::OkStatus();
      });
      INFO(RdfFormatName(format) << " " << s);
      CHECK(s.ok());
      CHECK(n == 3000);
    }
  }
  // 0 is no limit: a 3 MiB literal loads, as it does under the default.
  for (size_t max : {size_t{0}, kDefaultMaxStatementBytes}) {
    for (RdfFormat format : kAllFormats) {
      GeneratedBuf buf("<urn:a> <urn:p> \"", 'q', uint64_t{3} << 20, "\" .\n");
      std::istream in(&buf);
      ParseOptions options;
      options.max_statement_bytes = max;
      size_t length = 0;
      absl::Status s = ParseRdf(in, format, options, [&](const Quad& q) {
        length = q.object.lexical.size();
        return absl::OkStatus();
      });
      CHECK(s.ok());
      CHECK(length == size_t{3} << 20);
    }
  }
}

TEST_CASE("hostile input: the limit ends the parse also with skip_bad",
          "[hostile][rdf]") {
  for (RdfFormat format : kAllFormats) {
    GeneratedBuf buf("<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> \"", 'a',
                     uint64_t{1} << 30);
    std::istream in(&buf);
    ParseOptions options;
    options.max_statement_bytes = 1 << 16;
    options.skip_bad = true;
    int errors = 0;
    options.on_error = [&](const ParseError&) { ++errors; };
    absl::Status s = ParseRdf(in, format, options,
                              [](const Quad&) { return absl::OkStatus(); });
    INFO(s);
    CHECK(absl::IsResourceExhausted(s));
    CHECK(errors == 0);
    CHECK(Message(s).find(":2:") != std::string::npos);
  }
}

TEST_CASE("hostile input: Turtle nested 100000 deep is refused and 990 "
          "deep loads",
          "[hostile][rdf]") {
  auto nested = [](int depth, const char* open, const char* close) {
    std::string text = "<urn:a> <urn:p> ";
    for (int i = 0; i < depth; ++i) text += open;
    text += "<urn:leaf>";
    for (int i = 0; i < depth; ++i) text += close;
    return text + " .\n";
  };
  struct Shape {
    const char* open;
    const char* close;
  };
  const Shape shapes[] = {{"[ <urn:q> ", " ]"}, {"( ", " )"},
                          {"( [ <urn:q> ", " ] )"}};
  for (RdfFormat format : {RdfFormat::kTurtle, RdfFormat::kTriG}) {
    for (const Shape& shape : shapes) {
      absl::Status s = Parse(nested(100000, shape.open, shape.close), format);
      INFO(shape.open << " " << s);
      REQUIRE(absl::IsInvalidArgument(s));
      CHECK(Message(s).find("too deep") != std::string::npos);
    }
    std::vector<Quad> quads;
    REQUIRE(Parse(nested(990, "[ <urn:q> ", " ]"), format, &quads).ok());
    CHECK(quads.size() == 991);
    CHECK(absl::IsInvalidArgument(
        Parse(nested(1001, "[ <urn:q> ", " ]"), format)));
  }
}

// ---- stress (ctest -L stress) ----------------------------------------------

TEST_CASE("hostile input: a gigabyte line fails within the default bound",
          "[.][hostile_stress_line]") {
  const uint64_t peak_before = testing::PeakResidentBytes();
  GeneratedBuf buf("<urn:a> <urn:p> \"", 'a', uint64_t{1} << 30);
  absl::Status s =
      ParseGenerated(&buf, RdfFormat::kNTriples, kDefaultMaxStatementBytes);
  INFO(s);
  REQUIRE(absl::IsResourceExhausted(s));
  CHECK(buf.produced() <= kDefaultMaxStatementBytes + (size_t{3} << 20));
  const uint64_t grown = testing::PeakResidentBytes() - peak_before;
  WARN("1 GiB line: read " << buf.produced() << " bytes, peak memory grew by "
                           << (grown >> 20) << " MiB");
  CHECK(grown < 2 * uint64_t{kDefaultMaxStatementBytes});
}

}  // namespace
}  // namespace kg
