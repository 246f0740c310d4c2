// Triples (subject, property lists with ';' and ',', blank node property
// lists, collections) and property paths with their precedence:
// alternative '|' < sequence '/' < inverse '^' < element with '?*+'.
// The same rules serve WHERE patterns and templates; the Builder rejects
// paths where only plain predicates are allowed.

#ifndef KGSTORE_QUERY_GRAMMAR_TRIPLES_DEF_HPP_
#define KGSTORE_QUERY_GRAMMAR_TRIPLES_DEF_HPP_

#include "query/grammar/grammar.hpp"

namespace kg::grammar {

using B = Builder;
using x3::eps;
using x3::lit;

// ---- property paths ---------------------------------------------------------
x3::rule<class path_class> const path = "a property path";
x3::rule<class path_sequence_class> const path_sequence = "a property path";
x3::rule<class path_elt_or_inverse_class> const path_elt_or_inverse =
    "a property path element";
x3::rule<class path_elt_class> const path_elt = "a property path element";
x3::rule<class path_primary_class> const path_primary =
    "an IRI, 'a', '!' or '(' in a property path";
x3::rule<class path_negated_class> const path_negated =
    "a negated property set";
x3::rule<class path_one_in_set_class> const path_one_in_set =
    "an IRI, 'a' or '^' in a negated property set";
x3::rule<class path_negated_iri_class> const path_negated_iri = "an IRI or 'a'";

auto const path_def = path_sequence >>
                      *((lit('|') > path_sequence)[A<&B::PathAlternative>]);
auto const path_sequence_def = path_elt_or_inverse >>
                               *((lit('/') >
                                  path_elt_or_inverse)[A<&B::PathSequence>]);
auto const path_elt_or_inverse_def =
    (lit('^') > path_elt)[A<&B::PathInverse>] | path_elt;
auto const path_elt_def = path_primary >> -(path_mod_token[A<&B::PathMod>]);
auto const path_primary_def =
    iri_token[A<&B::PathIri>] | kw("a")[A<&B::PathA>] |
    (lit('!') > path_negated) | (lit('(') > nest[path] > close_paren);
auto const path_negated_def = eps[A<&B::NegatedBegin>] >>
                              (path_one_in_set |
                               (lit('(') >> -(path_one_in_set >>
                                              *(lit('|') > path_one_in_set)) >
                                close_paren));
auto const path_negated_iri_def =
    iri_token[A<&B::NegatedIri>] | kw("a")[A<&B::NegatedA>];
auto const path_one_in_set_def =
    path_negated_iri | (lit('^')[A<&B::NegatedInverse>] > path_negated_iri);

// ---- triples
// --------------------------------------------------------------------
x3::rule<class verb_class> const verb =
    "a predicate (a variable, an IRI, 'a' or a property path)";
x3::rule<class object_class> const object = "an object";
x3::rule<class object_list_class> const object_list = "an object";
x3::rule<class property_list_class> const property_list =
    "a predicate and object list";
x3::rule<class graph_node_class> const graph_node =
    "a variable, an RDF term, a collection or '['";
x3::rule<class collection_class> const collection = "a collection '( ... )'";
x3::rule<class collection_members_class> const collection_members =
    "a collection member";
x3::rule<class blank_node_property_list_class> const blank_node_property_list =
    "a blank node property list '[ ... ]'";
x3::rule<class close_bracket_class> const close_bracket = "']'";

auto const verb_def = var_token[A<&B::VarVerb>] | path[A<&B::PathVerb>];
auto const object_def = graph_node[A<&B::EmitObject>];
auto const object_list_def = object >> *(lit(',') > object);
auto const property_list_def = (verb > object_list > eps[A<&B::PopVerb>]) >>
                               *(lit(';') >>
                                 -(verb > object_list > eps[A<&B::PopVerb>]));
auto const graph_node_def = var_or_term | collection | blank_node_property_list;
auto const collection_def = lit('(')[A<&B::MarkNodes>] >
                            nest[collection_members] > close_paren >
                            eps[A<&B::FinishCollection>];
auto const collection_members_def = +graph_node;
auto const blank_node_property_list_def = lit('[')[A<&B::AnonSubject>] >
                                          nest[property_list] > close_bracket >
                                          eps[A<&B::SubjectToNode>];
auto const close_bracket_def = lit(']');

auto const triples_same_subject_def =
    (var_or_term[A<&B::NodeToSubject>] > property_list >
     eps[A<&B::PopSubject>]) |
    ((collection | blank_node_property_list)[A<&B::NodeToSubject>] >
     -property_list > eps[A<&B::PopSubject>]);
auto const triples_template_def = triples_same_subject >>
                                  *(lit('.') >> triples_same_subject) >>
                                  -lit('.');

BOOST_SPIRIT_DEFINE(path, path_sequence, path_elt_or_inverse, path_elt,
                    path_primary, path_negated, path_negated_iri,
                    path_one_in_set)
BOOST_SPIRIT_DEFINE(verb, object, object_list, property_list, graph_node,
                    collection, collection_members, blank_node_property_list,
                    close_bracket, triples_same_subject, triples_template)

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_TRIPLES_DEF_HPP_
