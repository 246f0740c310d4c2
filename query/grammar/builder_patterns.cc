// The Builder's group pattern actions (patterns_def.hpp): groups and the
// basic graph patterns in them (for the blank node label scope), OPTIONAL,
// MINUS, UNION, GRAPH, FILTER, BIND (its variable must not be in scope
// yet, SPARQL 1.1 section 18.2.1), SERVICE (refused), and the VALUES data
// blocks, inline or trailing.

#include <optional>
#include <string>
#include <vector>

#include "query/grammar/builder.h"
#include "query/grammar/builder_internal.h"

namespace kg::grammar {

using builder_internal::AddElementScope;
using builder_internal::SkipSpace;

void Builder::BeginGroup(const char*, const char*) {
  groups.emplace_back();
  group_ids_.push_back(next_group_id_++);
  sinks_.push_back(Sink::kGroup);
  bgp_scope_.push_back(next_scope_++);
}

void Builder::EndGroup(const char*, const char*) {
  done.push_back(std::move(groups.back()));
  groups.pop_back();
  group_ids_.pop_back();
  sinks_.pop_back();
  bgp_scope_.pop_back();
}

void Builder::AddElement(ast::PatternElement el) {
  using K = ast::PatternElement::Kind;
  // Anything but a FILTER ends the current basic graph pattern.
  if (el.kind != K::kTriples && el.kind != K::kFilter) {
    bgp_scope_.back() = next_scope_++;
  }
  groups.back().elements.push_back(std::move(el));
}

static ast::PatternElement GroupElement(ast::PatternElement::Kind kind,
                                        ast::GroupPattern g) {
  ast::PatternElement el;
  el.kind = kind;
  el.groups.push_back(std::move(g));
  return el;
}

void Builder::AddOptional(const char*, const char*) {
  AddElement(GroupElement(ast::PatternElement::Kind::kOptional,
                          std::move(done.back())));
  done.pop_back();
}

void Builder::AddMinus(const char*, const char*) {
  AddElement(
      GroupElement(ast::PatternElement::Kind::kMinus, std::move(done.back())));
  done.pop_back();
}

void Builder::AddGroupOrUnion(const char*, const char*) {
  size_t m = marks.back();
  marks.pop_back();
  ast::PatternElement el;
  el.kind = done.size() - m == 1 ? ast::PatternElement::Kind::kGroup
                                 : ast::PatternElement::Kind::kUnion;
  for (size_t i = m; i < done.size(); ++i) {
    el.groups.push_back(std::move(done[i]));
  }
  done.resize(m);
  AddElement(std::move(el));
}

void Builder::AddGraph(const char*, const char*) {
  ast::PatternElement el =
      GroupElement(ast::PatternElement::Kind::kGraph, std::move(done.back()));
  done.pop_back();
  el.graph = std::move(nodes.back());
  nodes.pop_back();
  AddElement(std::move(el));
}

void Builder::AddFilter(const char*, const char*) {
  ast::PatternElement el;
  el.kind = ast::PatternElement::Kind::kFilter;
  el.expr = std::move(exprs.back());
  exprs.pop_back();
  AddElement(std::move(el));
}

void Builder::AddBind(const char*, const char*) {
  ast::PatternElement el;
  el.kind = ast::PatternElement::Kind::kBind;
  el.var = std::get<ast::Var>(std::move(nodes.back()));
  nodes.pop_back();
  el.expr = std::move(exprs.back());
  exprs.pop_back();
  // The variables in scope so far, kept between the BINDs of one group so
  // that a group of 20,000 BINDs is not quadratic (issue 17). The last
  // element counted is scanned again: a block of triples may have grown.
  const uint64_t group = group_ids_.back();
  const auto& elements = groups.back().elements;
  if (bind_scope_.group != group || bind_scope_.counted > elements.size())
    bind_scope_ = BindScope{group, 0, {}};
  for (size_t i = bind_scope_.counted == 0 ? 0 : bind_scope_.counted - 1;
       i < elements.size(); ++i)
    AddElementScope(elements[i], &bind_scope_.names);
  bind_scope_.counted = elements.size();
  if (bind_scope_.names.count(el.var.name)) {
    throw GrammarError{last_var_pos_, "BIND: variable ?" + el.var.name +
                                          " is already in scope"};
  }
  AddElement(std::move(el));
}

void Builder::Service(const char* b, const char* e) {
  throw GrammarError{SkipSpace(b, e), "SERVICE is not supported"};
}

// ---- VALUES ----------------------------------------------------------------
void Builder::BeginValues(const char*, const char*) {
  values.emplace_back();
  values_one_var_ = false;
}

void Builder::ValuesOneVar(const char* b, const char* e) {
  ValuesVar(b, e);
  values_one_var_ = true;
}

void Builder::ValuesVar(const char*, const char*) {
  values.back().vars.push_back(std::get<ast::Var>(std::move(nodes.back())));
  nodes.pop_back();
}

static std::optional<Term> ValueOf(ast::VarOrTerm n) {
  if (std::holds_alternative<ast::Var>(n)) return std::nullopt;  // UNDEF
  return std::get<Term>(std::move(n));
}

void Builder::CheckRow(size_t n, const char* pos) {
  if (n != values.back().vars.size()) {
    throw GrammarError{
        SkipSpace(pos, end_),
        "a VALUES row has " + std::to_string(n) + " values but there are " +
            std::to_string(values.back().vars.size()) + " variables"};
  }
}

void Builder::NilRow(const char* b, const char*) {
  nodes.pop_back();
  if (values_one_var_) {
    throw GrammarError{SkipSpace(b, end_), "expected a value, found '()'"};
  }
  CheckRow(0, b);
  values.back().rows.emplace_back();
}

void Builder::ValuesRow(const char* b, const char*) {
  size_t m = marks.back();
  marks.pop_back();
  if (values_one_var_) {
    throw GrammarError{SkipSpace(b, end_),
                       "expected a value for the single VALUES variable"};
  }
  CheckRow(nodes.size() - m, b);
  std::vector<std::optional<Term>> row;
  for (size_t i = m; i < nodes.size(); ++i) {
    row.push_back(ValueOf(std::move(nodes[i])));
  }
  nodes.resize(m);
  values.back().rows.push_back(std::move(row));
}

void Builder::ValuesOneVarValue(const char* b, const char*) {
  if (!values_one_var_) {
    throw GrammarError{SkipSpace(b, end_), "expected '(' to start a row"};
  }
  std::vector<std::optional<Term>> row;
  row.push_back(ValueOf(std::move(nodes.back())));
  nodes.pop_back();
  values.back().rows.push_back(std::move(row));
}

void Builder::AddInlineValues(const char*, const char*) {
  ast::PatternElement el;
  el.kind = ast::PatternElement::Kind::kValues;
  el.values = std::move(values.back());
  values.pop_back();
  AddElement(std::move(el));
}

void Builder::TrailingValues(const char*, const char*) {
  queries.back().values = std::move(values.back());
  values.pop_back();
}

}  // namespace kg::grammar
