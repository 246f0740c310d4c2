// The Builder's update actions (update_def.hpp): one operation per
// INSERT DATA, DELETE DATA, DELETE WHERE, DELETE/INSERT ... WHERE (with
// WITH and USING), LOAD and the graph management operations, with what
// SPARQL 1.1 Update forbids in each: no variables in the data forms, no
// blank nodes where quads are deleted.

#include <string>
#include <utility>

#include "query/grammar/builder.h"

namespace kg::grammar {

void Builder::BeginOperation(ast::UpdateOperation::Kind kind, const char*) {
  update_.operations.emplace_back();
  op().kind = kind;
  template_scope_ = next_scope_++;
}

void Builder::BeginQuadData(const char*, const char*) {
  bool is_delete = op().kind == ast::UpdateOperation::Kind::kDeleteData;
  sinks_.push_back(Sink::kTemplate);
  template_.clear();
  quad_graph_.reset();
  no_vars_ = true;
  no_blanks_ = is_delete;
  template_is_delete_ = is_delete;
}

void Builder::BeginQuadPattern(bool is_delete, const char*) {
  sinks_.push_back(Sink::kTemplate);
  template_.clear();
  quad_graph_.reset();
  no_vars_ = false;
  no_blanks_ = is_delete;
  template_is_delete_ = is_delete;
}

void Builder::EndQuads(const char*, const char*) {
  sinks_.pop_back();
  no_vars_ = no_blanks_ = false;
  (template_is_delete_ ? op().remove : op().insert) = std::move(template_);
  template_.clear();
}

void Builder::QuadsGraph(const char*, const char*) {
  quad_graph_ = std::move(nodes.back());
  nodes.pop_back();
}

void Builder::EndDeleteWhere(const char* b, const char* e) {
  EndQuads(b, e);
  // The WHERE pattern is the template itself: default-graph triples as
  // a basic graph pattern, the others inside GRAPH elements.
  ast::GroupPattern& where = op().where;
  for (const auto& q : op().remove) {
    using K = ast::PatternElement::Kind;
    ast::GroupPattern* target = &where;
    if (q.graph) {
      if (where.elements.empty() || where.elements.back().kind != K::kGraph ||
          !(where.elements.back().graph == *q.graph)) {
        ast::PatternElement el;
        el.kind = K::kGraph;
        el.graph = *q.graph;
        el.groups.emplace_back();
        where.elements.push_back(std::move(el));
      }
      target = &where.elements.back().groups[0];
    }
    if (target->elements.empty() ||
        target->elements.back().kind != K::kTriples) {
      target->elements.emplace_back();
      target->elements.back().kind = K::kTriples;
    }
    target->elements.back().triples.push_back(q.triple);
  }
}

void Builder::With(const char*, const char*) {
  op().with = std::get<Term>(nodes.back()).lexical;
  nodes.pop_back();
}

void Builder::UsingGraph(const char*, const char*) {
  op().using_graphs.push_back(std::get<Term>(nodes.back()).lexical);
  nodes.pop_back();
}

void Builder::UsingNamed(const char*, const char*) {
  op().using_named.push_back(std::get<Term>(nodes.back()).lexical);
  nodes.pop_back();
}

void Builder::ModifyWhere(const char*, const char*) {
  op().where = std::move(done.back());
  done.pop_back();
}

void Builder::LoadSource(const char*, const char*) {
  op().source = std::get<Term>(nodes.back()).lexical;
  nodes.pop_back();
}

void Builder::LoadInto(const char*, const char*) {
  op().into = std::get<Term>(nodes.back()).lexical;
  nodes.pop_back();
}

void Builder::Target(ast::GraphTarget::Kind kind) {
  op().target.kind = kind;
  op().target.iri.clear();
  if (kind == ast::GraphTarget::Kind::kGraph) {
    op().target.iri = std::get<Term>(nodes.back()).lexical;
    nodes.pop_back();
  }
}

void Builder::SourceToFrom(const char*, const char*) {
  op().from = op().target;
  op().target = {};
}

void Builder::FinishOperation(const char*, const char*) {}

}  // namespace kg::grammar
