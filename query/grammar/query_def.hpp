// The prologue and the query forms: SELECT (and subqueries), CONSTRUCT
// (template and WHERE-only forms), DESCRIBE, ASK, with dataset clauses and
// solution modifiers.

#ifndef KGSTORE_QUERY_GRAMMAR_QUERY_DEF_HPP_
#define KGSTORE_QUERY_GRAMMAR_QUERY_DEF_HPP_

#include "query/grammar/actions.hpp"
#include "query/grammar/grammar.hpp"

namespace kg::grammar {

using B = Builder;
using F = ast::QueryForm;
using x3::eps;
using x3::lit;

x3::rule<class base_iri_class> const base_iri = "an IRI '<...>'";
x3::rule<class prefix_name_class> const prefix_name = "a prefix name 'p:'";
x3::rule<class prefix_iri_class> const prefix_iri = "an IRI '<...>'";
x3::rule<class query_body_class> const query_body =
    "SELECT, CONSTRUCT, DESCRIBE or ASK";
x3::rule<class select_query_class> const select_query = "SELECT";
x3::rule<class select_clause_class> const select_clause = "SELECT";
x3::rule<class projection_class> const projection =
    "'*', variables or (expression AS ?var)";
x3::rule<class projection_item_class> const projection_item =
    "a variable or (expression AS ?var)";
x3::rule<class as_q_class> const as_q = "AS";
x3::rule<class var_q_class> const var_q = "a variable";
x3::rule<class dataset_clause_class> const dataset_clause = "FROM";
x3::rule<class from_target_class> const from_target = "an IRI or NAMED";
x3::rule<class where_clause_class> const where_clause =
    "a WHERE clause '{ ... }'";
x3::rule<class solution_modifier_class> const solution_modifier =
    "a solution modifier";
x3::rule<class group_clause_class> const group_clause = "GROUP BY";
x3::rule<class group_conditions_class> const group_conditions =
    "a GROUP BY condition";
x3::rule<class group_tail_class> const group_tail = "AS or ')'";
x3::rule<class having_clause_class> const having_clause = "HAVING";
x3::rule<class having_conditions_class> const having_conditions =
    "a HAVING condition";
x3::rule<class order_clause_class> const order_clause = "ORDER BY";
x3::rule<class order_conditions_class> const order_conditions =
    "an ORDER BY condition";
x3::rule<class limit_offset_class> const limit_offset = "LIMIT or OFFSET";
x3::rule<class limit_class> const limit_clause = "LIMIT";
x3::rule<class offset_class> const offset_clause = "OFFSET";
x3::rule<class integer_class> const integer_r = "an integer";
x3::rule<class values_clause_class> const values_clause = "VALUES";
x3::rule<class construct_query_class> const construct_query = "CONSTRUCT";
x3::rule<class construct_body_class> const construct_body =
    "a template '{ ... }' or WHERE";
x3::rule<class construct_where_class> const construct_where = "WHERE";
x3::rule<class open_brace_q_class> const open_brace_q = "'{'";
x3::rule<class by_class> const by_kw = "BY";
x3::rule<class describe_query_class> const describe_query = "DESCRIBE";
x3::rule<class describe_targets_class> const describe_targets =
    "'*', variables or IRIs";
x3::rule<class ask_query_class> const ask_query = "ASK";

auto const base_iri_def = base_iri_token;
auto const prefix_name_def = pname_ns_token;
auto const prefix_iri_def = prefix_iri_token;
auto const prologue_def =
    *((kw("BASE") > base_iri) |
      (kw("PREFIX") > prefix_name > prefix_iri > eps[A<&B::DeclarePrefix>]));

auto const query_unit_def = prologue > eps[A<&B::BeginQuery>] > query_body >
                            values_clause > end_of_input >
                            eps[A<&B::FinishQuery>];
auto const query_body_def =
    select_query | construct_query | describe_query | ask_query;

auto const select_query_def =
    select_clause > *dataset_clause > where_clause > solution_modifier;
auto const select_clause_def = kw("SELECT")[A<&B::AllowAggregates>] >
                               -(kw("DISTINCT")[A<&B::Distinct>] |
                                 kw("REDUCED")[A<&B::Reduced>]) > projection
                               > eps[A<&B::PopAggregateScope>];
auto const projection_def = lit('*')[A<&B::SelectAll>] | +projection_item;
auto const projection_item_def =
    var_token[A<&B::ProjectVar>] | (lit('(') > nest[expression] > as_q > var_q >
                                    close_paren > eps[A<&B::ProjectExpr>]);
auto const as_q_def = kw("AS");
auto const var_q_def = var_token;
auto const dataset_clause_def = kw("FROM") > from_target;
auto const from_target_def =
    (kw("NAMED") > iri > eps[A<&B::FromNamed>]) | iri[A<&B::From>];
auto const where_clause_def =
    -kw("WHERE") >> group_graph_pattern >> eps[A<&B::SetWhere>];

auto const solution_modifier_def =
    -group_clause >> -having_clause >> -order_clause >> -limit_offset;
auto const by_kw_def = kw("BY");
auto const group_clause_def = kw("GROUP") > by_kw > group_conditions;
auto const group_conditions_def =
    +((builtin_call | iri_or_function)[A<&B::GroupByExpr>] |
      (lit('(') > nest[expression] > group_tail) |
      var_token[A<&B::NodeToExpr>][A<&B::GroupByExpr>]);
auto const group_tail_def =
    (kw("AS") > var_q > close_paren > eps[A<&B::GroupByAs>]) |
    close_paren[A<&B::GroupByExpr>];
auto const having_clause_def = kw("HAVING")[A<&B::AllowAggregates>] >
                               having_conditions >
                               eps[A<&B::PopAggregateScope>];
auto const having_conditions_def = +(constraint[A<&B::Having>]);
auto const order_clause_def = kw("ORDER")[A<&B::AllowAggregates>] > by_kw >
                              order_conditions > eps[A<&B::PopAggregateScope>];
auto const order_conditions_def =
    +((kw("ASC") > bracketted_expression > eps[A<&B::OrderAsc>]) |
      (kw("DESC") > bracketted_expression > eps[A<&B::OrderDesc>]) |
      constraint[A<&B::OrderAsc>] |
      var_token[A<&B::NodeToExpr>][A<&B::OrderAsc>]);
auto const integer_r_def = integer_token;
auto const limit_clause_def = kw("LIMIT") > integer_r[A<&B::Limit>];
auto const offset_clause_def = kw("OFFSET") > integer_r[A<&B::Offset>];
auto const limit_offset_def =
    (limit_clause >> -offset_clause) | (offset_clause >> -limit_clause);
auto const values_clause_def =
    -(kw("VALUES") > data_block > eps[A<&B::TrailingValues>]);

auto const construct_query_def =
    kw("CONSTRUCT")[Form(F::kConstruct)] > construct_body;
auto const construct_body_def =
    (lit('{')[A<&B::BeginTemplate>] > -triples_template > close_brace >
     eps[A<&B::EndConstructTemplate>] > *dataset_clause > where_clause >
     solution_modifier) |
    (*dataset_clause >> construct_where > open_brace_q > -triples_template >
     close_brace > eps[A<&B::ConstructWhereEnd>] > solution_modifier);
auto const construct_where_def = kw("WHERE");
auto const open_brace_q_def = lit('{')[A<&B::ConstructWhereBegin>];

auto const describe_query_def = kw("DESCRIBE")[Form(F::kDescribe)] >
                                describe_targets > *dataset_clause >
                                -where_clause > solution_modifier;
auto const describe_targets_def =
    lit('*')[A<&B::SelectAll>] | +(var_or_iri[A<&B::DescribeTerm>]);
auto const ask_query_def = kw("ASK")[Form(F::kAsk)] > *dataset_clause >
                           where_clause > solution_modifier;

auto const subselect_def = (&kw("SELECT"))[A<&B::BeginQuery>] > select_clause >
                           where_clause > solution_modifier > values_clause >
                           eps[A<&B::FinishSubSelect>];

BOOST_SPIRIT_DEFINE(base_iri, prefix_name, prefix_iri, prologue, query_unit,
                    query_body, select_query, select_clause, projection,
                    projection_item, as_q, var_q, dataset_clause, from_target,
                    where_clause)
BOOST_SPIRIT_DEFINE(solution_modifier, by_kw, group_clause, group_conditions,
                    group_tail, having_clause, having_conditions, order_clause,
                    order_conditions, integer_r, limit_clause, offset_clause,
                    limit_offset, values_clause)
BOOST_SPIRIT_DEFINE(construct_query, construct_body, construct_where,
                    open_brace_q, describe_query, describe_targets, ask_query,
                    subselect)

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_QUERY_DEF_HPP_
