// The Builder's triple actions (triples_def.hpp): subjects, verbs and
// objects of WHERE patterns and templates (a triple goes to the open group
// or to the template being read), collections as rdf:first/rdf:rest
// chains, and property paths: sequence, alternative, inverse, the '*' '+'
// '?' modifiers and negated property sets.

#include <string>
#include <vector>

#include "query/grammar/builder.h"
#include "query/grammar/builder_internal.h"

namespace kg::grammar {

using builder_internal::RdfIri;
using builder_internal::SkipSpace;

void Builder::NodeToSubject(const char*, const char*) {
  subjects.push_back(std::move(nodes.back()));
  nodes.pop_back();
}

void Builder::AnonSubject(const char* b, const char*) {
  subjects.push_back(FreshBlank(b));
}

void Builder::SubjectToNode(const char*, const char*) {
  PushNode(std::move(subjects.back()));
  subjects.pop_back();
}

void Builder::VarVerb(const char*, const char*) {
  verbs.push_back(std::get<ast::Var>(std::move(nodes.back())));
  nodes.pop_back();
}

void Builder::PathVerb(const char*, const char*) {
  verbs.push_back(std::move(paths.back()));
  paths.pop_back();
}

void Builder::EmitObject(const char* b, const char*) {
  ast::TriplePattern t{subjects.back(), verbs.back(), std::move(nodes.back())};
  nodes.pop_back();
  Emit(std::move(t), b);
}

void Builder::Emit(ast::TriplePattern t, const char* pos) {
  if (!sinks_.empty() && sinks_.back() == Sink::kTemplate) {
    if (auto* p = std::get_if<ast::Path>(&t.predicate);
        p != nullptr && p->kind != ast::Path::Kind::kIri) {
      throw GrammarError{SkipSpace(pos, end_),
                         "property paths are not allowed in templates"};
    }
    template_.push_back(ast::QuadTemplate{std::move(t), quad_graph_});
    return;
  }
  auto& g = groups.back();
  if (g.elements.empty() ||
      g.elements.back().kind != ast::PatternElement::Kind::kTriples) {
    g.elements.emplace_back();
    g.elements.back().kind = ast::PatternElement::Kind::kTriples;
  }
  g.elements.back().triples.push_back(std::move(t));
}

void Builder::PushNil(const char*, const char*) {
  PushNode(Term::Iri(RdfIri("nil")));
}

void Builder::FinishCollection(const char* b, const char*) {
  size_t m = marks.back();
  marks.pop_back();
  std::vector<ast::VarOrTerm> items(std::make_move_iterator(nodes.begin() + m),
                                    std::make_move_iterator(nodes.end()));
  nodes.resize(m);
  std::vector<Term> cells;
  for (size_t i = 0; i < items.size(); ++i) cells.push_back(FreshBlank(b));
  const ast::Path first{ast::Path::Kind::kIri, RdfIri("first"), {}, {}};
  const ast::Path rest{ast::Path::Kind::kIri, RdfIri("rest"), {}, {}};
  for (size_t i = 0; i < items.size(); ++i) {
    Emit({cells[i], first, std::move(items[i])}, b);
    Emit({cells[i], rest,
          i + 1 < cells.size() ? cells[i + 1] : Term::Iri(RdfIri("nil"))},
         b);
  }
  PushNode(cells.empty() ? Term::Iri(RdfIri("nil")) : cells[0]);
}

// ---- property paths --------------------------------------------------------
void Builder::PathIri(const char*, const char*) {
  ast::Path p;
  p.iri = std::move(std::get<Term>(nodes.back()).lexical);
  nodes.pop_back();
  paths.push_back(std::move(p));
}

void Builder::PathA(const char*, const char*) {
  ast::Path p;
  p.iri = std::string(kRdfType);
  paths.push_back(std::move(p));
}

void Builder::PathInverse(const char*, const char*) {
  ast::Path p;
  p.kind = ast::Path::Kind::kInverse;
  p.children.push_back(std::move(paths.back()));
  paths.back() = std::move(p);
}

static void Combine(std::vector<ast::Path>& paths, ast::Path::Kind kind) {
  ast::Path rhs = std::move(paths.back());
  paths.pop_back();
  ast::Path& lhs = paths.back();
  if (lhs.kind != kind) {
    ast::Path p;
    p.kind = kind;
    p.children.push_back(std::move(lhs));
    lhs = std::move(p);
  }
  lhs.children.push_back(std::move(rhs));
}

void Builder::PathSequence(const char*, const char*) {
  Combine(paths, ast::Path::Kind::kSequence);
}

void Builder::PathAlternative(const char*, const char*) {
  Combine(paths, ast::Path::Kind::kAlternative);
}

void Builder::PathMod(const char*, const char* e) {
  ast::Path p;
  p.kind = e[-1] == '*'   ? ast::Path::Kind::kZeroOrMore
           : e[-1] == '+' ? ast::Path::Kind::kOneOrMore
                          : ast::Path::Kind::kZeroOrOne;
  p.children.push_back(std::move(paths.back()));
  paths.back() = std::move(p);
}

void Builder::NegatedBegin(const char*, const char*) {
  ast::Path p;
  p.kind = ast::Path::Kind::kNegatedSet;
  paths.push_back(std::move(p));
  negated_inverse_ = false;
}

void Builder::NegatedIri(const char*, const char*) {
  paths.back().negated.emplace_back(
      std::move(std::get<Term>(nodes.back()).lexical), negated_inverse_);
  nodes.pop_back();
  negated_inverse_ = false;
}

void Builder::NegatedA(const char*, const char*) {
  paths.back().negated.emplace_back(std::string(kRdfType), negated_inverse_);
  negated_inverse_ = false;
}

}  // namespace kg::grammar
