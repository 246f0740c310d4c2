// Streaming Turtle / TriG reader: a hand-written recursive-descent parser
// over a byte source that refills a fixed-size buffer from the stream.
//
// Syntax errors are thrown internally as TurtleSyntaxError and caught at the
// statement loop, which either returns them as a Status or (skip_bad)
// reports them and resynchronises; no exception leaves ParseTurtle.
//
// Blank nodes: written labels are kept as written, except that a label
// starting with "genid" becomes "genid-" + label. Anonymous nodes ([] and
// collection cells) are labelled "genid" + a decimal counter. Written labels
// thus never collide with generated ones (a generated label never has a '-'
// after "genid", a renamed written one always does). Labels are scoped to
// the document, so in TriG the same label in two graphs is one node.
//
// The parser (TurtleParser, turtle_parser.h) is defined in three files:
// this one has the statement loop, error recovery, directives and the
// Turtle triples; turtle_terms.cc reads the terms, turtle_trig.cc the TriG
// graph blocks.

#include <string>

#include "storage/rdf/readers.h"
#include "storage/rdf/turtle_parser.h"

namespace kg::rdf_internal {
namespace turtle {

absl::Status TurtleParser::Run() {
  try {
    for (;;) {
      try {
        SkipWs();
        if (src_.AtEnd()) break;
        Statement();
      } catch (TurtleSyntaxError& e) {
        ParseError err{options_.source_name, e.line, e.column, e.message};
        if (!options_.skip_bad) {
          return absl::InvalidArgumentError(err.ToString());
        }
        if (options_.on_error) options_.on_error(err);
        Resync();
      }
    }
  } catch (StopParse& stop) {
    return stop.status;
  }
  return absl::OkStatus();
}

// Skips to just after the next '.' that ends a statement (outside IRIs
// and strings), or past a '}' closing a TriG graph block.
void TurtleParser::Resync() {
  graph_.reset();
  depth_ = 0;
  for (;;) {
    int c = src_.Peek();
    if (c < 0) return;
    if (c == '"' || c == '\'' || c == '<') {
      int close = c == '<' ? '>' : c;
      src_.Advance();
      for (;;) {
        int d = src_.Peek();
        if (d < 0 || d == '\n') break;
        if (d == '\\') {
          src_.Advance();
          if (src_.Peek() >= 0 && src_.Peek() != '\n') src_.Advance();
          continue;
        }
        src_.Advance();
        if (d == close) break;
      }
      continue;
    }
    if (c == '#') {
      while (src_.Peek() >= 0 && src_.Peek() != '\n') src_.Advance();
      continue;
    }
    src_.Advance();
    if (c == '}') return;
    if (c == '.') {
      int d = src_.Peek();
      if (d < 0 || d == ' ' || d == '\t' || d == '\n' || d == '\r' ||
          d == '#') {
        return;
      }
    }
  }
}

void TurtleParser::Emit(const Term& s, const Term& p, const Term& o) {
  quad_.subject = s;
  quad_.predicate = p;
  quad_.object = o;
  if (graph_.has_value()) {
    quad_.graph = graph_;
  } else {
    quad_.graph = options_.default_graph;
  }
  absl::Status st = sink_(quad_);
  if (!st.ok()) throw StopParse{std::move(st)};
}

void TurtleParser::Statement() {
  int c = src_.Peek();
  if (c == '@') {
    if (LooksLikeAt("prefix")) {
      src_.Advance(7);
      PrefixDecl(true);
      return;
    }
    if (LooksLikeAt("base")) {
      src_.Advance(5);
      BaseDecl(true);
      return;
    }
    Expected("'@prefix' or '@base'");
  }
  if (LooksLikeKeyword("prefix")) {
    src_.Advance(6);
    PrefixDecl(false);
    return;
  }
  if (LooksLikeKeyword("base")) {
    src_.Advance(4);
    BaseDecl(false);
    return;
  }
  if (trig_) {
    TrigBlock();
  } else {
    Triples();
    Expect('.', "'.' to end the triple");
  }
}

void TurtleParser::PrefixDecl(bool at_form) {
  SkipWs();
  long len = ScanPrefix();
  if (len < 0) Expected("a prefix name ending in ':'");
  std::string prefix;
  for (long i = 0; i < len; ++i)
    prefix.push_back(static_cast<char>(src_.Peek(i)));
  src_.Advance(len + 1);
  SkipWs();
  if (src_.Peek() != '<') Expected("an IRI in <...> for the prefix");
  std::string iri;
  ReadIriRef(&iri);
  if (at_form) Expect('.', "'.' to end the @prefix declaration");
  if (options_.on_prefix) options_.on_prefix(prefix, iri);
  prefixes_[prefix] = std::move(iri);
}

void TurtleParser::BaseDecl(bool at_form) {
  SkipWs();
  if (src_.Peek() != '<') Expected("an IRI in <...> for the base");
  std::string iri;
  ReadIriRef(&iri);
  base_ = std::move(iri);
  if (at_form) Expect('.', "'.' to end the @base declaration");
}

// triples: subject predicateObjectList | blankNodePropertyList
// predicateObjectList?
void TurtleParser::Triples() {
  SkipWs();
  int c = src_.Peek();
  if (c == '[') {
    Term s;
    bool had_props = BracketNode(&s);
    SkipWs();
    int d = src_.Peek();
    if (!had_props || (d != '.' && d != '}')) {
      PredicateObjectList(s);
    }
    return;
  }
  Term s;
  Subject(&s);
  PredicateObjectList(s);
}

void TurtleParser::Subject(Term* s) {
  int c = src_.Peek();
  if (c == '_' && src_.Peek(1) == ':') {
    ReadBlankLabel(s);
    return;
  }
  if (c == '(') {
    Collection(s);
    return;
  }
  std::string iri;
  if (TryReadIri(&iri)) {
    *s = Term::Iri(std::move(iri));
    return;
  }
  Expected("a subject (an IRI, a blank node or a collection)");
}

// '[' at the current position. Produces a blank node; returns true if it
// had a property list (false for the anonymous "[]").
bool TurtleParser::BracketNode(Term* node) {
  src_.Advance();
  *node = FreshBlank();
  SkipWs();
  if (src_.Peek() == ']') {
    src_.Advance();
    return false;
  }
  if (++depth_ > kMaxNesting) Fail("nesting of [ ] and ( ) is too deep");
  PredicateObjectList(*node);
  --depth_;
  Expect(']', "']' to end the blank node property list");
  return true;
}

void TurtleParser::Collection(Term* head) {
  src_.Advance();  // '('
  if (++depth_ > kMaxNesting) Fail("nesting of [ ] and ( ) is too deep");
  Term prev;
  bool first = true;
  for (;;) {
    SkipWs();
    if (src_.Peek() == ')') {
      src_.Advance();
      break;
    }
    Term cell = FreshBlank();
    if (first) {
      *head = cell;
      first = false;
    } else {
      Emit(prev, rdf_rest_, cell);
    }
    Term obj;
    Object(&obj);
    Emit(cell, rdf_first_, obj);
    prev = std::move(cell);
  }
  --depth_;
  if (first) {
    *head = rdf_nil_;
  } else {
    Emit(prev, rdf_rest_, rdf_nil_);
  }
}

void TurtleParser::PredicateObjectList(const Term& s) {
  for (;;) {
    SkipWs();
    Term p;
    Verb(&p);
    ObjectList(s, p);
    SkipWs();
    if (src_.Peek() != ';') return;
    while (src_.Peek() == ';') {
      src_.Advance();
      SkipWs();
    }
    int c = src_.Peek();
    // A trailing ';' may end the list.
    if (c == '.' || c == ']' || c == '}' || c < 0) return;
  }
}

void TurtleParser::Verb(Term* p) {
  int c = src_.Peek();
  if (c == 'a') {
    int n = src_.Peek(1);
    bool ends = n < 0 || n == ' ' || n == '\t' || n == '\n' || n == '\r' ||
                n == '<' || n == '"' || n == '\'' || n == '[' || n == '(' ||
                n == '_' || n == '#';
    if (ends) {
      src_.Advance();
      *p = rdf_type_;
      return;
    }
  }
  std::string iri;
  if (TryReadIri(&iri)) {
    *p = Term::Iri(std::move(iri));
    return;
  }
  Expected("a predicate (an IRI or 'a')");
}

void TurtleParser::ObjectList(const Term& s, const Term& p) {
  for (;;) {
    SkipWs();
    Term o;
    Object(&o);
    Emit(s, p, o);
    SkipWs();
    if (src_.Peek() != ',') return;
    src_.Advance();
  }
}

void TurtleParser::Object(Term* o) {
  int c = src_.Peek();
  if (c == '_' && src_.Peek(1) == ':') {
    ReadBlankLabel(o);
    return;
  }
  if (c == '[') {
    BracketNode(o);
    return;
  }
  if (c == '(') {
    Collection(o);
    return;
  }
  if (c == '"' || c == '\'') {
    std::string lex;
    ReadString(&lex);
    *o = Term::Literal(std::move(lex));
    ReadLiteralSuffix(o);
    return;
  }
  if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
    if (TryReadNumber(o)) return;
    Expected("an object");
  }
  if (LooksLikeKeyword("true") && src_.Peek(1) == 'r' &&
      src_.Peek(0) == 't' && src_.Peek(2) == 'u' && src_.Peek(3) == 'e') {
    src_.Advance(4);
    *o = Term::Literal("true", std::string(kXsdBoolean));
    return;
  }
  if (LooksLikeKeyword("false") && src_.Peek(0) == 'f' &&
      src_.Peek(1) == 'a' && src_.Peek(2) == 'l' && src_.Peek(3) == 's' &&
      src_.Peek(4) == 'e') {
    src_.Advance(5);
    *o = Term::Literal("false", std::string(kXsdBoolean));
    return;
  }
  std::string iri;
  if (TryReadIri(&iri)) {
    *o = Term::Iri(std::move(iri));
    return;
  }
  Expected("an object (an IRI, a blank node, a literal, [ ] or ( ))");
}

}  // namespace turtle

absl::Status ParseTurtle(std::istream& in, bool trig,
                         const ParseOptions& options, QuadSink sink,
                         size_t chunk_size) {
  if (chunk_size < 16) chunk_size = 16;
  turtle::TurtleParser parser(in, trig, options, sink, chunk_size);
  return parser.Run();
}

}  // namespace kg::rdf_internal
