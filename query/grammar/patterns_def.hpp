// Group graph patterns: triples blocks, OPTIONAL, UNION, MINUS, GRAPH,
// FILTER (anywhere in the group), BIND, VALUES, subqueries; and the VALUES
// data block shared with the trailing VALUES clause.

#ifndef KGSTORE_QUERY_GRAMMAR_PATTERNS_DEF_HPP_
#define KGSTORE_QUERY_GRAMMAR_PATTERNS_DEF_HPP_

#include "query/grammar/grammar.hpp"

namespace kg::grammar {

using B = Builder;
using x3::eps;
using x3::lit;

x3::rule<class group_body_class> const group_body = "'}' to close the group";
x3::rule<class close_group_class> const close_group = "'}' to close the group";
x3::rule<class group_sub_class> const group_sub = "a graph pattern";
x3::rule<class not_triples_class> const not_triples = "a graph pattern";
x3::rule<class group_or_union_class> const group_or_union = "a group or UNION";
x3::rule<class optional_pattern_class> const optional_pattern = "OPTIONAL";
x3::rule<class minus_pattern_class> const minus_pattern = "MINUS";
x3::rule<class graph_pattern_class> const graph_pattern = "GRAPH";
x3::rule<class service_pattern_class> const service_pattern = "SERVICE";
x3::rule<class filter_class> const filter = "FILTER";
x3::rule<class bind_class> const bind = "BIND";
x3::rule<class inline_data_class> const inline_data = "VALUES";
x3::rule<class as_kw_class> const as_kw = "AS";
x3::rule<class open_paren_class> const open_paren = "'('";
x3::rule<class open_brace_class> const open_brace = "'{'";
x3::rule<class one_var_block_class> const one_var_block = "a variable and '{'";
x3::rule<class full_block_class> const full_block = "'(' and variables";
x3::rule<class values_vars_class> const values_vars =
    "'(' and variables, or a variable";
x3::rule<class values_row_class> const values_row = "a row '( ... )' or '}'";

auto const group_graph_pattern_def = lit('{')[A<&B::BeginGroup>] >
                                     nest[group_body] > close_group >
                                     eps[A<&B::EndGroup>];
auto const close_group_def = lit('}');
auto const group_body_def = subselect | group_sub;
auto const group_sub_def = -triples_template >>
                           *(not_triples >> -lit('.') >> -triples_template);
auto const not_triples_def = group_or_union | optional_pattern | minus_pattern |
                             graph_pattern | service_pattern | filter | bind |
                             inline_data;
auto const group_or_union_def =
    (&lit('{'))[A<&B::MarkGroups>] > group_graph_pattern >
    *(kw("UNION") > group_graph_pattern) > eps[A<&B::AddGroupOrUnion>];
auto const optional_pattern_def =
    kw("OPTIONAL") > group_graph_pattern > eps[A<&B::AddOptional>];
auto const minus_pattern_def =
    kw("MINUS") > group_graph_pattern > eps[A<&B::AddMinus>];
auto const graph_pattern_def =
    kw("GRAPH") > var_or_iri > group_graph_pattern > eps[A<&B::AddGraph>];
auto const service_pattern_def = kw("SERVICE")[A<&B::Service>];
auto const filter_def = kw("FILTER") > constraint > eps[A<&B::AddFilter>];
auto const bind_def = kw("BIND") > open_paren > expression > as_kw > var >
                      close_paren > eps[A<&B::AddBind>];
auto const as_kw_def = kw("AS");
auto const open_paren_def = lit('(');
auto const open_brace_def = lit('{');
auto const inline_data_def =
    kw("VALUES") > data_block > eps[A<&B::AddInlineValues>];

auto const data_block_def = eps[A<&B::BeginValues>] > values_vars > open_brace >
                            *values_row > close_brace;
auto const values_vars_def =
    var_token[A<&B::ValuesOneVar>] | nil_token[A<&B::PopNode>] |
    (lit('(') > *(var_token[A<&B::ValuesVar>]) > close_paren);
auto const values_row_def = nil_token[A<&B::NilRow>] |
                            (lit('(')[A<&B::MarkNodes>] > *data_block_value >
                             close_paren > eps[A<&B::ValuesRow>]) |
                            data_block_value[A<&B::ValuesOneVarValue>];

BOOST_SPIRIT_DEFINE(group_graph_pattern, close_group, group_body, group_sub,
                    not_triples, group_or_union, optional_pattern,
                    minus_pattern, graph_pattern, service_pattern, filter, bind,
                    as_kw, open_paren, open_brace, inline_data)
BOOST_SPIRIT_DEFINE(data_block, values_vars, values_row)

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_PATTERNS_DEF_HPP_
