// The static checks of SPARQL 1.1 that need a whole query (CheckQuery,
// builder.h): an (expression AS ?v) whose ?v is already in scope (section
// 18.2.4.1), and projections of ungrouped variables under GROUP BY or
// aggregates (section 11.4); and the variable scope rules of section
// 18.2.1 (AddScope), which BIND's check uses as well.

#include <optional>
#include <set>
#include <string>

#include "query/grammar/builder.h"
#include "query/grammar/builder_internal.h"

namespace kg::grammar {
namespace {

void AddNodeScope(const ast::VarOrTerm& n, std::set<std::string>* out) {
  if (auto* v = std::get_if<ast::Var>(&n)) out->insert(v->name);
}

}  // namespace

namespace builder_internal {

// Variables a pattern element puts in scope (SPARQL 1.1 section 18.2.1).
void AddElementScope(const ast::PatternElement& el,
                     std::set<std::string>* out) {
  using K = ast::PatternElement::Kind;
  switch (el.kind) {
    case K::kTriples:
      for (const auto& t : el.triples) {
        AddNodeScope(t.subject, out);
        if (auto* v = std::get_if<ast::Var>(&t.predicate)) {
          out->insert(v->name);
        }
        AddNodeScope(t.object, out);
      }
      break;
    case K::kOptional:
    case K::kUnion:
    case K::kGroup:
      for (const auto& g : el.groups) AddScope(g, out);
      break;
    case K::kGraph:
      AddNodeScope(el.graph, out);
      for (const auto& g : el.groups) AddScope(g, out);
      break;
    case K::kBind:
      out->insert(el.var.name);
      break;
    case K::kValues:
      for (const auto& v : el.values.vars) out->insert(v.name);
      break;
    case K::kSubSelect:
      if (el.subquery->select_all) {
        AddScope(el.subquery->where, out);
      } else {
        for (const auto& p : el.subquery->projections) {
          out->insert(p.var.name);
        }
      }
      break;
    case K::kFilter:
    case K::kMinus:
      break;
  }
}
void AddScope(const ast::GroupPattern& g, std::set<std::string>* out) {
  for (const auto& el : g.elements) AddElementScope(el, out);
}

}  // namespace builder_internal

namespace {

bool HasAggregate(const ast::Expr& e) {
  if (e.kind == ast::Expr::Kind::kAggregate) return true;
  for (const auto& a : e.args) {
    if (HasAggregate(a)) return true;
  }
  return false;
}

// The first variable of `e` used outside aggregates that is not in `ok`.
std::optional<std::string> UngroupedVar(const ast::Expr& e,
                                        const std::set<std::string>& ok) {
  using K = ast::Expr::Kind;
  if (e.kind == K::kAggregate) return std::nullopt;
  if (e.kind == K::kVar && !ok.count(e.var.name)) return e.var.name;
  for (const auto& a : e.args) {
    if (auto v = UngroupedVar(a, ok)) return v;
  }
  return std::nullopt;
}

}  // namespace

using builder_internal::AddScope;

std::optional<StaticError> CheckQuery(const ast::Query& q) {
  std::set<std::string> in_where;
  AddScope(q.where, &in_where);
  // (expr AS ?v): ?v must be new (SPARQL 1.1 section 18.2.4.1).
  std::set<std::string> projected;
  for (const auto& p : q.projections) {
    if (p.expr) {
      if (in_where.count(p.var.name) || projected.count(p.var.name)) {
        return StaticError{"variable ?" + p.var.name +
                               " is already in scope and cannot be "
                               "assigned by (expression AS ?" +
                               p.var.name + ")",
                           p.var.name};
      }
    }
    projected.insert(p.var.name);
  }
  // Grouping: only grouped variables (and aggregates of others) may be
  // projected (section 11.4).
  bool grouped = !q.group_by.empty();
  for (const auto& p : q.projections) {
    if (p.expr && HasAggregate(*p.expr)) grouped = true;
  }
  for (const auto& h : q.having) grouped = grouped || HasAggregate(h);
  for (const auto& o : q.order_by) grouped = grouped || HasAggregate(o.expr);
  if (grouped) {
    if (q.select_all && q.form == ast::QueryForm::kSelect) {
      return StaticError{
          "SELECT * is not allowed with GROUP BY or "
          "aggregates",
          ""};
    }
    std::set<std::string> ok;
    for (const auto& k : q.group_by) {
      if (k.as) {
        ok.insert(k.as->name);
      } else if (k.expr.kind == ast::Expr::Kind::kVar) {
        ok.insert(k.expr.var.name);
      }
    }
    for (const auto& p : q.projections) {
      if (!p.expr) {
        if (!ok.count(p.var.name)) {
          return StaticError{"variable ?" + p.var.name +
                                 " is projected but not grouped (use GROUP "
                                 "BY ?" +
                                 p.var.name +
                                 " or an aggregate such as SAMPLE)",
                             p.var.name};
        }
      } else if (auto v = UngroupedVar(*p.expr, ok)) {
        return StaticError{
            "variable ?" + *v + " is used in SELECT but not grouped", *v};
      }
      ok.insert(p.var.name);
    }
  }
  return std::nullopt;
}

}  // namespace kg::grammar
