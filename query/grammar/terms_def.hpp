// Terms: IRIs, variables, RDF terms and VALUES data. The lexical work is in
// tokens.cc; these rules give the alternatives names for error messages.

#ifndef KGSTORE_QUERY_GRAMMAR_TERMS_DEF_HPP_
#define KGSTORE_QUERY_GRAMMAR_TERMS_DEF_HPP_

#include "query/grammar/grammar.hpp"

namespace kg::grammar {

auto const iri_def = iri_token;
auto const var_def = var_token;
auto const var_or_iri_def = var_token | iri_token;
auto const var_or_term_def = var_token | iri_token | rdf_literal_token |
                             numeric_token | boolean_token | blank_node_token |
                             nil_token;
auto const data_block_value_def = iri_token | rdf_literal_token |
                                  numeric_token | boolean_token |
                                  kw("UNDEF")[A<&Builder::ValuesUndef>];

BOOST_SPIRIT_DEFINE(iri, var, var_or_iri, var_or_term, data_block_value)

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_TERMS_DEF_HPP_
