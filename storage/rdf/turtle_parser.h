// The Turtle / TriG parser: a hand-written recursive-descent parser over a
// Source (turtle_source.h), one method per grammar rule. The class is
// declared here and defined in three files, one per part of the grammar:
//   turtle_reader.cc  the statement loop, error recovery, directives and
//                     triples (subjects, predicate-object lists, objects,
//                     [ ] and ( )), and ParseTurtle, the entry point
//   turtle_terms.cc   the terms: IRIs, prefixed names, blank node labels,
//                     strings with their escapes, language tags and
//                     datatypes, numbers
//   turtle_trig.cc    TriG: graph blocks and their labels
// The small lexical helpers every part calls per character stay inline
// here. Internal to the reader; not part of the public API.

#ifndef KGSTORE_STORAGE_RDF_TURTLE_PARSER_H_
#define KGSTORE_STORAGE_RDF_TURTLE_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "storage/rdf/rdf_format.h"
#include "storage/rdf/readers.h"
#include "storage/rdf/syntax.h"
#include "storage/rdf/term.h"
#include "storage/rdf/turtle_source.h"

namespace kg::rdf_internal::turtle {

// [ ] and ( ) inside one another: each level takes about 600 bytes of
// stack, so 1,000 levels fit a host thread of 1 MiB with room (2,000 did
// not: engine/hostile_query_test.cc runs the deepest inputs on such a
// thread).
inline constexpr int kMaxNesting = 1000;

// Thrown for a syntax error; Run returns it, or reports it and resumes
// after the statement (ParseOptions::skip_bad).
struct TurtleSyntaxError {
  uint64_t line;
  uint64_t column;
  std::string message;
};

class TurtleParser {
 public:
  TurtleParser(std::istream& in, bool trig, const ParseOptions& options,
               QuadSink sink, size_t chunk)
      : src_(in, chunk, options),
        trig_(trig),
        options_(options),
        sink_(sink),
        base_(options.base_iri) {
    rdf_first_ = Term::Iri(std::string(kRdf) + "first");
    rdf_rest_ = Term::Iri(std::string(kRdf) + "rest");
    rdf_nil_ = Term::Iri(std::string(kRdf) + "nil");
    rdf_type_ = Term::Iri(std::string(kRdfType));
  }

  // Parses the whole input (turtle_reader.cc).
  absl::Status Run();

 private:
  // ---- errors ------------------------------------------------------------
  [[noreturn]] void Fail(std::string message) {
    throw TurtleSyntaxError{src_.line(), src_.column(), std::move(message)};
  }
  [[noreturn]] void FailAt(uint64_t line, uint64_t col, std::string message) {
    throw TurtleSyntaxError{line, col, std::move(message)};
  }
  std::string Found() {
    const char* end;
    const char* p = src_.Ptr(4, &end);
    return DescribeFound(p, end, /*at_input_end=*/true);
  }
  [[noreturn]] void Expected(std::string_view what) {
    Fail("expected " + std::string(what) + ", found " + Found());
  }
  // A token being read (IRI, string, name, language tag) of `size` bytes
  // so far: over max_statement_bytes, the parse ends.
  void CheckTokenSize(size_t size) {
    if (options_.max_statement_bytes != 0 &&
        size > options_.max_statement_bytes) {
      throw StopParse{
          TooLong(options_, src_.line(), src_.column(), "a token")};
    }
  }

  // Skips to just after the next '.' that ends a statement (outside IRIs
  // and strings), or past a '}' closing a TriG graph block.
  void Resync();

  // ---- lexical helpers ---------------------------------------------------
  void SkipWs() {
    for (;;) {
      int c = src_.Peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        src_.Advance();
      } else if (c == '#') {
        while ((c = src_.Peek()) >= 0 && c != '\n' && c != '\r') src_.Advance();
      } else {
        return;
      }
    }
  }
  void Expect(char c, std::string_view what) {
    SkipWs();
    if (src_.Peek() != static_cast<unsigned char>(c)) Expected(what);
    src_.Advance();
  }
  // Case-insensitive keyword at the current position, followed by a
  // character that cannot continue a name.
  bool LooksLikeKeyword(std::string_view kw) {
    for (size_t i = 0; i < kw.size(); ++i) {
      int c = src_.Peek(i);
      if (c < 0 || (c | 0x20) != (kw[i] | 0x20)) return false;
    }
    int n = src_.Peek(kw.size());
    return !(n >= 0 && (IsAsciiAlpha(static_cast<char>(n)) ||
                        IsAsciiDigit(static_cast<char>(n)) || n == '_' ||
                        n == '-' || n == ':' || n == '.' || n >= 0x80));
  }
  bool LooksLikeAt(std::string_view kw) {
    for (size_t i = 0; i < kw.size(); ++i) {
      if (src_.Peek(i + 1) != kw[i]) return false;
    }
    int n = src_.Peek(kw.size() + 1);
    return !(n >= 0 && (IsAsciiAlpha(static_cast<char>(n)) || n == '-'));
  }
  // Decodes the UTF-8 code point at offset i; returns its length or 0.
  int PeekCodePoint(size_t i, uint32_t* cp) {
    int c = src_.Peek(i);
    if (c < 0) return 0;
    if (c < 0x80) {
      *cp = static_cast<uint32_t>(c);
      return 1;
    }
    char tmp[4] = {0, 0, 0, 0};
    int n = 0;
    for (; n < 4; ++n) {
      int d = src_.Peek(i + n);
      if (d < 0) break;
      tmp[n] = static_cast<char>(d);
    }
    return DecodeUtf8(tmp, tmp + n, cp);
  }

  // ---- terms (turtle_terms.cc) -------------------------------------------
  // Reads \uXXXX or \UXXXXXXXX; current position at '\\'.
  uint32_t ReadUchar();
  // Copies one (validated) UTF-8 sequence from the source to out.
  void CopyUtf8(std::string* out);
  // IRIREF at '<': unescapes and resolves against the base.
  void ReadIriRef(std::string* out);
  // PN_PREFIX? ':' at the current position: returns the prefix length in
  // bytes (the ':' at offset len), or -1 if there is none.
  long ScanPrefix();
  // Reads PN_LOCAL (possibly empty) into out, unescaping PN_LOCAL_ESC and
  // keeping %XX as written.
  void ReadLocal(std::string* out);
  // iri: IRIREF or a prefixed name. Returns false (consuming nothing) if
  // neither starts here.
  bool TryReadIri(std::string* out);
  // "_:label" at the current position.
  void ReadBlankLabel(Term* t);
  Term FreshBlank() {
    return Term::BlankNode("genid" + std::to_string(++bnode_counter_));
  }
  // String at a quote character; handles the four quoting forms.
  void ReadString(std::string* out);
  // "@lang" or "^^datatype" after a string, if there is one.
  void ReadLiteralSuffix(Term* t);
  // Numeric literal at [+-0-9.]. Returns false if this is not a number.
  bool TryReadNumber(Term* t);

  // ---- grammar (turtle_reader.cc) ----------------------------------------
  void Emit(const Term& s, const Term& p, const Term& o);
  void Statement();
  void PrefixDecl(bool at_form);
  void BaseDecl(bool at_form);
  // triples: subject predicateObjectList | blankNodePropertyList
  // predicateObjectList?
  void Triples();
  void Subject(Term* s);
  // '[' at the current position. Produces a blank node; returns true if it
  // had a property list (false for the anonymous "[]").
  bool BracketNode(Term* node);
  void Collection(Term* head);
  void PredicateObjectList(const Term& s);
  void Verb(Term* p);
  void ObjectList(const Term& s, const Term& p);
  void Object(Term* o);

  // ---- TriG (turtle_trig.cc) ---------------------------------------------
  void TrigBlock();
  bool LabelOrSubject(Term* t);
  // At '{': triplesBlock until '}'.
  void WrappedGraph(std::optional<Term> label);

  Source src_;
  const bool trig_;
  const ParseOptions& options_;
  QuadSink sink_;
  std::string base_;
  absl::flat_hash_map<std::string, std::string> prefixes_;
  std::optional<Term> graph_;
  uint64_t bnode_counter_ = 0;
  int depth_ = 0;
  std::string scratch_;
  Quad quad_;
  Term rdf_first_, rdf_rest_, rdf_nil_, rdf_type_;
};

}  // namespace kg::rdf_internal::turtle

#endif  // KGSTORE_STORAGE_RDF_TURTLE_PARSER_H_
