// Expressions with SPARQL's precedence: || < && < comparisons and IN/NOT IN
// (non-associative) < + - < * / < unary ! + - < primary (brackets, builtin
// calls, aggregates, EXISTS, IRI function calls and casts, literals,
// variables). Each level parses its left operand, then folds operators
// on the Builder's expression stack.

#ifndef KGSTORE_QUERY_GRAMMAR_EXPRESSIONS_DEF_HPP_
#define KGSTORE_QUERY_GRAMMAR_EXPRESSIONS_DEF_HPP_

#include "query/grammar/actions.hpp"
#include "query/grammar/grammar.hpp"

namespace kg::grammar {

using B = Builder;
using K = ast::Expr::Kind;
using x3::eps;
using x3::lit;

x3::rule<class or_expr_class> const or_expr = "an expression";
x3::rule<class and_expr_class> const and_expr = "an expression";
x3::rule<class relational_class> const relational = "an expression";
x3::rule<class additive_class> const additive = "an expression";
x3::rule<class multiplicative_class> const multiplicative = "an expression";
x3::rule<class unary_class> const unary = "an expression";
x3::rule<class primary_class> const primary = "an expression";
x3::rule<class expression_list_class> const expression_list =
    "a list '( ... )'";
x3::rule<class expression_args_class> const expression_args = "an expression";
x3::rule<class arg_list_class> const arg_list = "an argument list '( ... )'";
x3::rule<class function_call_class> const function_call = "a function call";
x3::rule<class aggregate_class> const aggregate = "an aggregate";
x3::rule<class count_arg_class> const count_arg = "'*' or an expression";
x3::rule<class separator_class> const separator = "SEPARATOR = \"...\"";
x3::rule<class open_paren_e_class> const open_paren_e = "'('";
x3::rule<class distinct_opt_class> const distinct_opt = "DISTINCT";

auto const expression_def = or_expr;
auto const or_expr_def = and_expr >> *(lit("||") > and_expr > eps[Bin(K::kOr)]);
auto const and_expr_def = relational >>
                          *(lit("&&") > relational > eps[Bin(K::kAnd)]);
auto const relational_def =
    additive >>
    -((lit("!=") > additive > eps[Bin(K::kNe)]) |
      (lit("<=") > additive > eps[Bin(K::kLe)]) |
      (lit(">=") > additive > eps[Bin(K::kGe)]) |
      (lit('=') > additive > eps[Bin(K::kEq)]) |
      (!iriref_ahead_token >> lit('<') > additive > eps[Bin(K::kLt)]) |
      (lit('>') > additive > eps[Bin(K::kGt)]) |
      (kw("IN") > expression_list > eps[A<&B::InList>]) |
      (kw("NOT") > kw("IN") > expression_list > eps[A<&B::NotInList>]));
auto const additive_def = multiplicative >>
                          *((lit('+') > multiplicative > eps[Bin(K::kAdd)]) |
                            (lit('-') > multiplicative > eps[Bin(K::kSub)]));
auto const multiplicative_def = unary >>
                                *((lit('*') > unary > eps[Bin(K::kMul)]) |
                                  (lit('/') > unary > eps[Bin(K::kDiv)]));
auto const unary_def = (lit('!') > primary > eps[Un(K::kNot)]) |
                       (lit('+') > primary > eps[Un(K::kUnaryPlus)]) |
                       (lit('-') > primary > eps[Un(K::kNegate)]) | primary;
auto const primary_def = bracketted_expression | builtin_call |
                         iri_or_function |
                         (rdf_literal_token | unsigned_numeric_token |
                          boolean_token | var_token)[A<&B::NodeToExpr>];
auto const bracketted_expression_def =
    lit('(') > nest[expression] > close_paren;

auto const expression_args_def = expression >> *(lit(',') > expression);
auto const expression_list_def =
    nil_token[A<&B::NilMark>] |
    (lit('(')[A<&B::Mark>] > nest[expression_args] > close_paren);
auto const arg_list_def =
    nil_token[A<&B::NilMark>] |
    (lit('(')[A<&B::Mark>] > -kw("DISTINCT")[A<&B::SetCallDistinct>] >
     nest[expression_args] > close_paren);
auto const open_paren_e_def = lit('(');

auto const distinct_opt_def = -kw("DISTINCT")[A<&B::AggregateDistinct>];
auto const count_arg_def = lit('*')[A<&B::AggregateStar>] | expression;
auto const separator_def = kw("SEPARATOR") >
                           lit('=') > string_token[A<&B::AggregateSeparator>];
auto const aggregate_def =
    ((kw("COUNT")[A<&B::BeginAggregate>] > open_paren_e > distinct_opt >
      nest[count_arg]) |
     (kw("GROUP_CONCAT")[A<&B::BeginAggregate>] > open_paren_e > distinct_opt >
      nest[expression] > -(lit(';') > separator)) |
     ((kw("SUM") | kw("MIN") | kw("MAX") | kw("AVG") |
       kw("SAMPLE"))[A<&B::BeginAggregate>] > open_paren_e > distinct_opt >
      nest[expression])) > close_paren > eps[A<&B::FinishAggregate>];

auto const builtin_call_def =
    aggregate |
    (kw("NOT") > kw("EXISTS") > group_graph_pattern >
     eps[A<&B::FinishNotExists>]) |
    (kw("EXISTS") > group_graph_pattern > eps[A<&B::FinishExists>]) |
    (builtin_name_token > arg_list > eps[A<&B::FinishCall>]);
auto const function_call_def =
    iri_token[A<&B::IriToName>] > arg_list > eps[A<&B::FinishCall>];
auto const iri_or_function_def = iri_token[A<&B::IriToName>] >>
                                 ((arg_list > eps[A<&B::FinishCall>]) |
                                  eps[A<&B::NameToConst>]);
auto const constraint_def =
    bracketted_expression | builtin_call | function_call;

BOOST_SPIRIT_DEFINE(expression, or_expr, and_expr, relational, additive,
                    multiplicative, unary, primary, bracketted_expression)
BOOST_SPIRIT_DEFINE(expression_args, expression_list, arg_list, open_paren_e,
                    distinct_opt, count_arg, separator, aggregate, builtin_call,
                    function_call, iri_or_function, constraint)

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_EXPRESSIONS_DEF_HPP_
