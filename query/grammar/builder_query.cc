// The Builder's query actions (query_def.hpp): the query forms (SELECT
// with its projection, CONSTRUCT with a template or WHERE only, DESCRIBE,
// ASK), dataset clauses, GROUP BY, HAVING, ORDER BY, LIMIT and OFFSET, and
// subqueries, each checked by CheckQuery (static_checks.cc) when it ends.

#include <charconv>
#include <string>

#include "query/grammar/builder.h"
#include "query/grammar/builder_internal.h"

namespace kg::grammar {

using builder_internal::SkipSpace;

void Builder::BeginQuery(const char*, const char*) { queries.emplace_back(); }

void Builder::ProjectVar(const char*, const char*) {
  ast::Projection p;
  p.var = std::get<ast::Var>(std::move(nodes.back()));
  nodes.pop_back();
  queries.back().projections.push_back(std::move(p));
}

void Builder::ProjectExpr(const char*, const char*) {
  ast::Projection p;
  p.var = std::get<ast::Var>(std::move(nodes.back()));
  nodes.pop_back();
  p.expr = std::move(exprs.back());
  exprs.pop_back();
  queries.back().projections.push_back(std::move(p));
}

void Builder::From(const char*, const char*) {
  queries.back().from.push_back(std::get<Term>(nodes.back()).lexical);
  nodes.pop_back();
}

void Builder::FromNamed(const char*, const char*) {
  queries.back().from_named.push_back(std::get<Term>(nodes.back()).lexical);
  nodes.pop_back();
}

void Builder::SetWhere(const char*, const char*) {
  queries.back().where = std::move(done.back());
  done.pop_back();
}

void Builder::BeginTemplate(const char*, const char*) {
  sinks_.push_back(Sink::kTemplate);
  template_.clear();
  quad_graph_.reset();
  template_scope_ = next_scope_++;
}

void Builder::EndConstructTemplate(const char*, const char*) {
  sinks_.pop_back();
  for (auto& q : template_) {
    queries.back().construct_template.push_back(std::move(q.triple));
  }
  template_.clear();
}

void Builder::ConstructWhereBegin(const char* b, const char* e) {
  BeginGroup(b, e);
}

void Builder::ConstructWhereEnd(const char* b, const char* e) {
  EndGroup(b, e);
  ast::Query& q = queries.back();
  q.where = std::move(done.back());
  done.pop_back();
  for (const auto& el : q.where.elements) {
    for (const auto& t : el.triples) {
      if (auto* p = std::get_if<ast::Path>(&t.predicate);
          p != nullptr && p->kind != ast::Path::Kind::kIri) {
        throw GrammarError{SkipSpace(b, end_),
                           "property paths are not allowed in "
                           "CONSTRUCT WHERE"};
      }
      q.construct_template.push_back(t);
    }
  }
}

void Builder::DescribeTerm(const char*, const char*) {
  queries.back().describe.push_back(std::move(nodes.back()));
  nodes.pop_back();
}

void Builder::GroupByExpr(const char*, const char*) {
  ast::GroupKey k;
  k.expr = std::move(exprs.back());
  exprs.pop_back();
  queries.back().group_by.push_back(std::move(k));
}

void Builder::GroupByAs(const char*, const char*) {
  ast::GroupKey k;
  k.as = std::get<ast::Var>(std::move(nodes.back()));
  nodes.pop_back();
  k.expr = std::move(exprs.back());
  exprs.pop_back();
  queries.back().group_by.push_back(std::move(k));
}

void Builder::Having(const char*, const char*) {
  queries.back().having.push_back(std::move(exprs.back()));
  exprs.pop_back();
}

void Builder::OrderAsc(const char*, const char*) {
  queries.back().order_by.push_back({std::move(exprs.back()), false});
  exprs.pop_back();
}

void Builder::OrderDesc(const char*, const char*) {
  queries.back().order_by.push_back({std::move(exprs.back()), true});
  exprs.pop_back();
}

static uint64_t ParseCount(const char* b, const char* e, const char* end) {
  b = SkipSpace(b, end);
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(b, e, v);
  if (ec != std::errc()) throw GrammarError{b, "number out of range"};
  return v;
}

void Builder::Limit(const char* b, const char* e) {
  queries.back().limit = ParseCount(b, e, end_);
}

void Builder::Offset(const char* b, const char* e) {
  queries.back().offset = ParseCount(b, e, end_);
}

void Builder::FinishSubSelect(const char* b, const char*) {
  auto q = std::make_shared<ast::Query>(std::move(queries.back()));
  queries.pop_back();
  if (auto err = CheckQuery(*q)) {
    throw GrammarError{SkipSpace(b, end_), err->message};
  }
  ast::PatternElement el;
  el.kind = ast::PatternElement::Kind::kSubSelect;
  el.subquery = std::move(q);
  AddElement(std::move(el));
}

void Builder::FinishQuery(const char*, const char*) {
  queries.back().prefixes = prefixes;
  queries.back().base = base;
}

}  // namespace kg::grammar
