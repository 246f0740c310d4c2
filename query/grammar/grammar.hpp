// Declarations of the SPARQL 1.1 grammar's rules that are shared between
// translation units, grouped by area. Each area has a *_def.hpp with the
// definitions (BOOST_SPIRIT_DEFINE) and a .cc that includes it and
// instantiates its rules once, with config.hpp's iterator and context
// (BOOST_SPIRIT_INSTANTIATE):
//
//   terms        terms_def.hpp        terms.cc
//   triples      triples_def.hpp      triples.cc     (triples, paths)
//   patterns     patterns_def.hpp     patterns.cc    (group patterns, VALUES)
//   expressions  expressions_def.hpp  expressions.cc
//   queries      query_def.hpp        query.cc       (prologue, query forms)
//   updates      update_def.hpp       update.cc
//
// Rule names are what error messages print after "expected".

#ifndef KGSTORE_QUERY_GRAMMAR_GRAMMAR_HPP_
#define KGSTORE_QUERY_GRAMMAR_GRAMMAR_HPP_

#include "query/grammar/config.hpp"
#include "query/grammar/tokens.hpp"

namespace kg::grammar {

// ---- nesting guard ----------------------------------------------------------
// nest[p]: counts nesting depth in the Builder and fails with a clear error
// beyond a limit, so deeply nested input cannot overflow the stack.
template <typename Subject>
struct nest_directive : x3::unary_parser<Subject, nest_directive<Subject>> {
  using base_type = x3::unary_parser<Subject, nest_directive<Subject>>;
  static bool const is_pass_through_unary = true;
  constexpr nest_directive(Subject const& subject) : base_type(subject) {}
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx& rctx,
             Attr& attr) const {
    Builder& b = state(ctx);
    b.Enter(first);
    struct Leave {
      Builder& b;
      ~Leave() { b.Leave(); }
    } leave{b};
    return this->subject.parse(first, last, ctx, rctx, attr);
  }
};
struct nest_gen {
  template <typename Subject>
  constexpr nest_directive<
      typename x3::extension::as_parser<Subject>::value_type>
  operator[](Subject const& subject) const {
    return {x3::as_parser(subject)};
  }
};
inline constexpr nest_gen nest{};

// Punctuation with names that say what it closes.
using close_paren_type = x3::rule<class close_paren_class>;
using close_brace_type = x3::rule<class close_brace_class>;
using end_of_input_type = x3::rule<class end_of_input_class>;
const close_paren_type close_paren = "')'";
const close_brace_type close_brace = "'}'";
const end_of_input_type end_of_input = "end of input";
auto const close_paren_def = x3::lit(')');
auto const close_brace_def = x3::lit('}');
auto const end_of_input_def = x3::eoi;
BOOST_SPIRIT_DEFINE(close_paren, close_brace, end_of_input)

// ---- terms
// --------------------------------------------------------------------
using iri_type = x3::rule<class iri_class>;
using var_type = x3::rule<class var_class>;
using var_or_iri_type = x3::rule<class var_or_iri_class>;
using var_or_term_type = x3::rule<class var_or_term_class>;
using data_block_value_type = x3::rule<class data_block_value_class>;
BOOST_SPIRIT_DECLARE(iri_type, var_type, var_or_iri_type, var_or_term_type,
                     data_block_value_type)
const iri_type iri = "an IRI";
const var_type var = "a variable";
const var_or_iri_type var_or_iri = "a variable or an IRI";
const var_or_term_type var_or_term = "a variable or an RDF term";
const data_block_value_type data_block_value =
    "a value (an IRI, a literal or UNDEF)";

// ---- triples and property paths -------------------------------------------
using triples_same_subject_type = x3::rule<class triples_same_subject_class>;
using triples_template_type = x3::rule<class triples_template_class>;
BOOST_SPIRIT_DECLARE(triples_same_subject_type, triples_template_type)
const triples_same_subject_type triples_same_subject = "a triple pattern";
const triples_template_type triples_template = "triples";

// ---- group graph patterns ---------------------------------------------------
using group_graph_pattern_type = x3::rule<class group_graph_pattern_class>;
using data_block_type = x3::rule<class data_block_class>;
BOOST_SPIRIT_DECLARE(group_graph_pattern_type, data_block_type)
const group_graph_pattern_type group_graph_pattern =
    "a group graph pattern '{ ... }'";
const data_block_type data_block = "a VALUES data block";

// ---- expressions
// -------------------------------------------------------------
using expression_type = x3::rule<class expression_class>;
using bracketted_expression_type = x3::rule<class bracketted_expression_class>;
using builtin_call_type = x3::rule<class builtin_call_class>;
using iri_or_function_type = x3::rule<class iri_or_function_class>;
using constraint_type = x3::rule<class constraint_class>;
BOOST_SPIRIT_DECLARE(expression_type, bracketted_expression_type,
                     builtin_call_type, iri_or_function_type, constraint_type)
const expression_type expression = "an expression";
const bracketted_expression_type bracketted_expression =
    "a bracketed expression '( ... )'";
const builtin_call_type builtin_call = "a function call";
const iri_or_function_type iri_or_function = "an IRI or a function call";
const constraint_type constraint =
    "a constraint (a bracketed expression or a function call)";

// ---- queries
// --------------------------------------------------------------------
using query_unit_type = x3::rule<class query_unit_class>;
using prologue_type = x3::rule<class prologue_class>;
using subselect_type = x3::rule<class subselect_class>;
BOOST_SPIRIT_DECLARE(query_unit_type, prologue_type, subselect_type)
const query_unit_type query_unit = "a query";
const prologue_type prologue = "a prologue";
const subselect_type subselect = "a subquery";

// ---- updates
// --------------------------------------------------------------------
using update_unit_type = x3::rule<class update_unit_class>;
BOOST_SPIRIT_DECLARE(update_unit_type)
const update_unit_type update_unit = "an update request";

}  // namespace kg::grammar

namespace boost::spirit::x3 {
template <typename Subject>
struct get_info<kg::grammar::nest_directive<Subject>> {
  using result_type = std::string;
  std::string operator()(kg::grammar::nest_directive<Subject> const& p) const {
    return what(p.subject);
  }
};
}  // namespace boost::spirit::x3

#endif  // KGSTORE_QUERY_GRAMMAR_GRAMMAR_HPP_
