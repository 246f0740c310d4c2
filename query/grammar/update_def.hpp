// SPARQL 1.1 Update: requests of operations separated by ';', each with
// its own prologue; INSERT/DELETE DATA, DELETE WHERE, [WITH] DELETE/INSERT
// ... [USING [NAMED]] WHERE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY.

#ifndef KGSTORE_QUERY_GRAMMAR_UPDATE_DEF_HPP_
#define KGSTORE_QUERY_GRAMMAR_UPDATE_DEF_HPP_

#include "query/grammar/actions.hpp"
#include "query/grammar/grammar.hpp"

namespace kg::grammar {

using B = Builder;
using U = ast::UpdateOperation::Kind;
using G = ast::GraphTarget::Kind;
using x3::eps;
using x3::lit;

x3::rule<class update_seq_class> const update_seq = "an update operation";
x3::rule<class update1_class> const update1 = "an update operation";
x3::rule<class load_class> const load_op = "LOAD";
x3::rule<class clear_class> const clear_op = "CLEAR";
x3::rule<class drop_class> const drop_op = "DROP";
x3::rule<class create_class> const create_op = "CREATE";
x3::rule<class transfer_class> const transfer_op = "ADD, MOVE or COPY";
x3::rule<class insert_class> const insert_op = "INSERT";
x3::rule<class delete_class> const delete_op = "DELETE";
x3::rule<class with_class> const with_op = "WITH";
x3::rule<class silent_class> const silent = "SILENT";
x3::rule<class graph_ref_class> const graph_ref = "GRAPH <iri>";
x3::rule<class graph_kw_class> const graph_kw = "GRAPH";
x3::rule<class graph_ref_all_class> const graph_ref_all =
    "GRAPH <iri>, DEFAULT, NAMED or ALL";
x3::rule<class graph_or_default_class> const graph_or_default =
    "DEFAULT or a graph IRI";
x3::rule<class to_kw_class> const to_kw = "TO";
x3::rule<class insert_tail_class> const insert_tail = "DATA or '{'";
x3::rule<class delete_tail_class> const delete_tail = "DATA, WHERE or '{'";
x3::rule<class with_body_class> const with_body = "DELETE or INSERT";
x3::rule<class quad_data_class> const quad_data = "'{' and quad data";
x3::rule<class delete_quads_class> const delete_quads =
    "'{' and a quad pattern";
x3::rule<class insert_quads_class> const insert_quads =
    "'{' and a quad pattern";
x3::rule<class delete_where_quads_class> const delete_where_quads =
    "'{' and a quad pattern";
x3::rule<class quads_class> const quads = "quads";
x3::rule<class quads_graph_class> const quads_graph = "GRAPH";
x3::rule<class open_brace_u_class> const open_brace_u = "'{'";
x3::rule<class modify_rest_class> const modify_rest = "USING or WHERE";
x3::rule<class where_kw_class> const where_kw = "WHERE";
x3::rule<class using_target_class> const using_target = "an IRI or NAMED";

auto const update_unit_def = update_seq > end_of_input;
auto const update_seq_def = prologue >> -(update1 >> -(lit(';') >> update_seq));
auto const update1_def = load_op | clear_op | drop_op | create_op |
                         transfer_op | insert_op | delete_op | with_op;

auto const silent_def = -kw("SILENT")[A<&B::Silent>];
auto const graph_kw_def = kw("GRAPH");
auto const graph_ref_def = graph_kw > iri[TargetIs(G::kGraph)];
auto const graph_ref_all_def =
    graph_ref | kw("DEFAULT")[TargetIs(G::kDefault)] |
    kw("NAMED")[TargetIs(G::kNamed)] | kw("ALL")[TargetIs(G::kAll)];
auto const graph_or_default_def = kw("DEFAULT")[TargetIs(G::kDefault)] |
                                  (-kw("GRAPH") >> iri[TargetIs(G::kGraph)]);
auto const to_kw_def = kw("TO");

auto const load_op_def = kw("LOAD")[BeginOp(U::kLoad)] > silent >
                         iri[A<&B::LoadSource>] >
                         -(kw("INTO") > graph_kw >
                           iri[A<&B::LoadInto>]) > eps[A<&B::FinishOperation>];
auto const clear_op_def = kw("CLEAR")[BeginOp(U::kClear)] > silent >
                          graph_ref_all > eps[A<&B::FinishOperation>];
auto const drop_op_def = kw("DROP")[BeginOp(U::kDrop)] > silent >
                         graph_ref_all > eps[A<&B::FinishOperation>];
auto const create_op_def = kw("CREATE")[BeginOp(U::kCreate)] > silent >
                           graph_ref > eps[A<&B::FinishOperation>];
auto const transfer_op_def =
    (kw("ADD")[BeginOp(U::kAdd)] | kw("MOVE")[BeginOp(U::kMove)] |
     kw("COPY")[BeginOp(U::kCopy)]) > silent >
    graph_or_default[A<&B::SourceToFrom>] > to_kw > graph_or_default >
    eps[A<&B::FinishOperation>];

auto const open_brace_u_def = lit('{');
auto const quads_graph_def = kw("GRAPH") > var_or_iri[A<&B::QuadsGraph>] >
                             open_brace_u > -triples_template > close_brace >
                             eps[A<&B::QuadsGraphEnd>];
auto const quads_def = -triples_template >>
                       *(quads_graph >> -lit('.') >> -triples_template);
auto const quad_data_def =
    lit('{')[A<&B::BeginQuadData>] > quads > close_brace > eps[A<&B::EndQuads>];
auto const delete_quads_def =
    lit('{')[QuadPattern(true)] > quads > close_brace > eps[A<&B::EndQuads>];
auto const insert_quads_def =
    lit('{')[QuadPattern(false)] > quads > close_brace > eps[A<&B::EndQuads>];
auto const delete_where_quads_def = lit('{')[QuadPattern(true)] > quads >
                                    close_brace > eps[A<&B::EndDeleteWhere>];

auto const where_kw_def = kw("WHERE");
auto const using_target_def =
    (kw("NAMED") > iri[A<&B::UsingNamed>]) | iri[A<&B::UsingGraph>];
auto const modify_rest_def = *(kw("USING") > using_target) > where_kw >
                             group_graph_pattern > eps[A<&B::ModifyWhere>] >
                             eps[A<&B::FinishOperation>];

auto const insert_op_def = kw("INSERT") > insert_tail;
auto const insert_tail_def =
    (kw("DATA")[BeginOp(U::kInsertData)] > quad_data >
     eps[A<&B::FinishOperation>]) |
    ((&lit('{'))[BeginOp(U::kModify)] > insert_quads > modify_rest);
auto const delete_op_def = kw("DELETE") > delete_tail;
auto const delete_tail_def =
    (kw("DATA")[BeginOp(U::kDeleteData)] > quad_data >
     eps[A<&B::FinishOperation>]) |
    (kw("WHERE")[BeginOp(U::kDeleteWhere)] > delete_where_quads >
     eps[A<&B::FinishOperation>]) |
    ((&lit('{'))[BeginOp(U::kModify)] > delete_quads >
     -(kw("INSERT") > insert_quads) > modify_rest);
auto const with_op_def =
    kw("WITH")[BeginOp(U::kModify)] > iri[A<&B::With>] > with_body;
auto const with_body_def = (kw("DELETE") > delete_quads >
                            -(kw("INSERT") > insert_quads) > modify_rest) |
                           (kw("INSERT") > insert_quads > modify_rest);

BOOST_SPIRIT_DEFINE(update_unit, update_seq, update1, silent, graph_kw,
                    graph_ref, graph_ref_all, graph_or_default, to_kw, load_op,
                    clear_op, drop_op, create_op, transfer_op)
BOOST_SPIRIT_DEFINE(open_brace_u, quads_graph, quads, quad_data, delete_quads,
                    insert_quads, delete_where_quads, where_kw, using_target,
                    modify_rest, insert_op, insert_tail, delete_op, delete_tail,
                    with_op, with_body)

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_UPDATE_DEF_HPP_
