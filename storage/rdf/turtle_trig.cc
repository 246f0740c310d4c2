// The TriG part of the Turtle / TriG parser (TurtleParser,
// turtle_parser.h): a statement that may be a graph block ("{ ... }",
// "<g> { ... }", "GRAPH <g> { ... }", "[] { ... }", "_:b { ... }") or
// Turtle triples, and the triples of a block, which go to its graph. Apart
// from the Turtle grammar (turtle_reader.cc) because only TriG input
// reaches it (Statement calls TrigBlock when `trig_`).

#include <optional>
#include <string>

#include "storage/rdf/turtle_parser.h"

namespace kg::rdf_internal::turtle {

void TurtleParser::TrigBlock() {
  int c = src_.Peek();
  if (c == '{') {
    WrappedGraph(std::nullopt);
    return;
  }
  if (LooksLikeKeyword("graph")) {
    src_.Advance(5);
    SkipWs();
    Term label;
    if (!LabelOrSubject(&label))
      Expected("a graph name (an IRI or a blank node)");
    SkipWs();
    if (src_.Peek() != '{') Expected("'{' to open the graph block");
    WrappedGraph(std::move(label));
    return;
  }
  if (c == '[') {
    // "[]" may name a graph; "[ p o ]" starts triples.
    size_t i = 1;
    while (true) {
      int d = src_.Peek(i);
      if (d == ' ' || d == '\t' || d == '\n' || d == '\r') {
        ++i;
        continue;
      }
      break;
    }
    if (src_.Peek(i) == ']') {
      Term node;
      BracketNode(&node);
      SkipWs();
      if (src_.Peek() == '{') {
        WrappedGraph(std::move(node));
        return;
      }
      PredicateObjectList(node);
      Expect('.', "'.' to end the triple");
      return;
    }
    Term node;
    BracketNode(&node);
    SkipWs();
    if (src_.Peek() != '.') PredicateObjectList(node);
    Expect('.', "'.' to end the triple");
    return;
  }
  if (c == '(') {
    Term s;
    Collection(&s);
    PredicateObjectList(s);
    Expect('.', "'.' to end the triple");
    return;
  }
  Term s;
  if (!LabelOrSubject(&s)) {
    Expected("a subject, a graph name or '{'");
  }
  SkipWs();
  if (src_.Peek() == '{') {
    WrappedGraph(std::move(s));
    return;
  }
  PredicateObjectList(s);
  Expect('.', "'.' to end the triple");
}

bool TurtleParser::LabelOrSubject(Term* t) {
  int c = src_.Peek();
  if (c == '_' && src_.Peek(1) == ':') {
    ReadBlankLabel(t);
    return true;
  }
  if (c == '[') {
    src_.Advance();
    SkipWs();
    if (src_.Peek() != ']') Expected("']' (a graph name can only be [])");
    src_.Advance();
    *t = FreshBlank();
    return true;
  }
  std::string iri;
  if (TryReadIri(&iri)) {
    *t = Term::Iri(std::move(iri));
    return true;
  }
  return false;
}

// At '{': triplesBlock until '}'.
void TurtleParser::WrappedGraph(std::optional<Term> label) {
  src_.Advance();
  graph_ = std::move(label);
  // A block without a label is the default graph, whatever the option
  // says about defaults; Emit applies options_.default_graph.
  for (;;) {
    SkipWs();
    int c = src_.Peek();
    if (c == '}') {
      src_.Advance();
      break;
    }
    if (c < 0) Expected("'}' to close the graph block");
    Triples();
    SkipWs();
    c = src_.Peek();
    if (c == '.') {
      src_.Advance();
      continue;
    }
    if (c == '}') continue;
    Expected("'.' or '}' after the triples");
  }
  graph_.reset();
}

}  // namespace kg::rdf_internal::turtle
