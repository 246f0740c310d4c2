// The Builder's expression actions (expressions_def.hpp): operators and
// their depth limit, IN and NOT IN, function calls with the arity of each
// built-in and REGEX/REPLACE patterns checked when constant, aggregates
// (allowed only in SELECT, HAVING and ORDER BY, never nested), EXISTS and
// NOT EXISTS.

#include <algorithm>
#include <memory>
#include <string>

#include "query/functions.h"
#include "query/grammar/builder.h"
#include "query/grammar/builder_internal.h"
#include "query/grammar/words.h"

namespace kg::grammar {
namespace {

// Operators inside one another in one expression (see Builder::Deepen).
constexpr uint32_t kMaxExprDepth = 1000;

}  // namespace

using builder_internal::SkipSpace;

void Builder::NodeToExpr(const char*, const char*) {
  ast::Expr e;
  if (auto* v = std::get_if<ast::Var>(&nodes.back())) {
    e.kind = ast::Expr::Kind::kVar;
    e.var = std::move(*v);
  } else {
    e.kind = ast::Expr::Kind::kConstant;
    e.term = std::move(std::get<Term>(nodes.back()));
  }
  nodes.pop_back();
  exprs.push_back(std::move(e));
}

// An expression's depth from its arguments'; refuses one deeper than
// kMaxExprDepth. Long chains of a binary operator ("1 + 1 + ... + 1",
// "?x = 1 || ?x = 2 || ...") grow one level per operator without any
// parentheses, so the nesting limit of Enter() does not bound them.
void Builder::Deepen(ast::Expr& e, const char* pos) {
  uint32_t below = 0;
  for (const ast::Expr& a : e.args) below = std::max(below, a.depth);
  e.depth = below + 1;
  if (e.depth > kMaxExprDepth) {
    throw GrammarError{
        pos, "expression nested too deeply (more than " +
                 std::to_string(kMaxExprDepth) +
                 " operators inside one another); for a long list of "
                 "alternatives write ?x IN (...) or VALUES"};
  }
}

void Builder::Binary(ast::Expr::Kind kind, const char* pos) {
  ast::Expr rhs = std::move(exprs.back());
  exprs.pop_back();
  ast::Expr e;
  e.kind = kind;
  e.args.push_back(std::move(exprs.back()));
  e.args.push_back(std::move(rhs));
  Deepen(e, pos);
  exprs.back() = std::move(e);
}

void Builder::Unary(ast::Expr::Kind kind) {
  ast::Expr& operand = exprs.back();
  // "-1" is a negative numeric literal, not the negation of 1.
  if (kind == ast::Expr::Kind::kNegate &&
      operand.kind == ast::Expr::Kind::kConstant && operand.term.is_literal() &&
      (operand.term.datatype == kXsdInteger ||
       operand.term.datatype == kXsdDecimal ||
       operand.term.datatype == kXsdDouble) &&
      !operand.term.lexical.empty() && operand.term.lexical[0] != '-' &&
      operand.term.lexical[0] != '+') {
    operand.term.lexical.insert(0, 1, '-');
    return;
  }
  ast::Expr e;
  e.kind = kind;
  e.args.push_back(std::move(operand));
  e.depth = e.args[0].depth + 1;
  exprs.back() = std::move(e);
}

std::vector<ast::Expr> Builder::PopMarkedExprs() {
  size_t m = marks.back();
  marks.pop_back();
  std::vector<ast::Expr> out(std::make_move_iterator(exprs.begin() + m),
                             std::make_move_iterator(exprs.end()));
  exprs.resize(m);
  return out;
}

void Builder::NilMark(const char*, const char*) {
  nodes.pop_back();
  marks.push_back(exprs.size());
}

void Builder::InList(const char* b, const char*) {
  std::vector<ast::Expr> list = PopMarkedExprs();
  ast::Expr e;
  e.kind = ast::Expr::Kind::kIn;
  e.args.push_back(std::move(exprs.back()));
  for (auto& x : list) e.args.push_back(std::move(x));
  Deepen(e, b);
  exprs.back() = std::move(e);
}

void Builder::NotInList(const char* b, const char* e) {
  InList(b, e);
  exprs.back().kind = ast::Expr::Kind::kNotIn;
}

void Builder::IriToName(const char*, const char*) {
  names.push_back(std::move(std::get<Term>(nodes.back()).lexical));
  nodes.pop_back();
}

void Builder::NameToConst(const char*, const char*) {
  ast::Expr e;
  e.kind = ast::Expr::Kind::kConstant;
  e.term = Term::Iri(std::move(names.back()));
  names.pop_back();
  exprs.push_back(std::move(e));
}

void Builder::FinishCall(const char* b, const char*) {
  ast::Expr e;
  e.kind = ast::Expr::Kind::kFunction;
  e.name = std::move(names.back());
  names.pop_back();
  e.args = PopMarkedExprs();
  e.distinct = call_distinct_;
  call_distinct_ = false;
  for (const BuiltinFunction& a : kBuiltins) {
    if (e.name != a.name) continue;
    int n = static_cast<int>(e.args.size());
    if (n < a.min_args || (a.max_args >= 0 && n > a.max_args)) {
      std::string want =
          a.min_args == a.max_args ? std::to_string(a.min_args)
          : a.max_args < 0 ? "at least " + std::to_string(a.min_args)
                           : std::to_string(a.min_args) + " to " +
                                 std::to_string(a.max_args);
      throw GrammarError{b, e.name + " takes " + want + " argument(s), not " +
                                std::to_string(n)};
    }
    if (e.name == "BOUND" && e.args[0].kind != ast::Expr::Kind::kVar) {
      throw GrammarError{b, "BOUND takes a variable"};
    }
  }
  // REGEX(text, pattern, flags?) and REPLACE(text, pattern, by, flags?)
  // with a constant pattern and flags: a pattern that cannot compile is an
  // error here, not a FILTER that silently matches nothing.
  if (e.name == "REGEX" || e.name == "REPLACE") {
    const size_t flags_at = e.name == "REGEX" ? 2 : 3;
    auto constant_string = [&](size_t i) {
      return i < e.args.size() &&
             e.args[i].kind == ast::Expr::Kind::kConstant &&
             e.args[i].term.is_literal() && e.args[i].term.datatype.empty() &&
             e.args[i].term.language.empty();
    };
    if (constant_string(1) &&
        (e.args.size() <= flags_at || constant_string(flags_at))) {
      const std::string problem = RegexProblem(
          e.args[1].term.lexical,
          e.args.size() > flags_at ? e.args[flags_at].term.lexical : "");
      if (!problem.empty()) {
        throw GrammarError{b, e.name + ": the regular expression \"" +
                                  e.args[1].term.lexical +
                                  "\" cannot be used: " + problem};
      }
    }
  }
  Deepen(e, b);
  exprs.push_back(std::move(e));
}

void Builder::BeginAggregate(const char* b, const char* e) {
  b = SkipSpace(b, e);
  std::string name(b, e);
  for (char& c : name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (!agg_allowed.back()) {
    throw GrammarError{b, "aggregate " + name +
                              " is not allowed here (only in SELECT, "
                              "HAVING and ORDER BY, and not nested)"};
  }
  ast::Expr agg;
  agg.kind = ast::Expr::Kind::kAggregate;
  agg.name = std::move(name);
  aggs.push_back(std::move(agg));
  agg_allowed.push_back(false);
}

void Builder::FinishAggregate(const char* b, const char*) {
  ast::Expr agg = std::move(aggs.back());
  aggs.pop_back();
  agg_allowed.pop_back();
  if (!agg.star) {
    agg.args.push_back(std::move(exprs.back()));
    exprs.pop_back();
  }
  Deepen(agg, b);
  exprs.push_back(std::move(agg));
}

void Builder::FinishExists(const char*, const char*) {
  ast::Expr e;
  e.kind = ast::Expr::Kind::kExists;
  e.pattern = std::make_shared<ast::GroupPattern>(std::move(done.back()));
  done.pop_back();
  exprs.push_back(std::move(e));
}

void Builder::FinishNotExists(const char* b, const char* e) {
  FinishExists(b, e);
  exprs.back().kind = ast::Expr::Kind::kNotExists;
}

}  // namespace kg::grammar
