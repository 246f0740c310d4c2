// Helpers the Builder's files (builder*.cc, static_checks.cc) share: the
// Builder is defined in one file per area of the grammar, as the grammar
// is (builder.h lists them), and these few functions serve several areas.
// Internal to query/grammar/; not part of the parser's API.

#ifndef KGSTORE_QUERY_GRAMMAR_BUILDER_INTERNAL_H_
#define KGSTORE_QUERY_GRAMMAR_BUILDER_INTERNAL_H_

#include <set>
#include <string>

#include "query/ast.h"
#include "query/grammar/spacing.h"
#include "storage/rdf/term.h"

namespace kg::grammar::builder_internal {

// The rdf: IRI of `local` ("first", "rest", "nil").
inline std::string RdfIri(const char* local) {
  return std::string(kRdf) + local;
}

// Skips white space and comments: the position an error names, where an
// action's text starts with the spacing before its token.
inline const char* SkipSpace(const char* p, const char* end) {
  return grammar::SkipSpaceAndComments(p, end);
}

// Variables a pattern element or a group puts in scope (SPARQL 1.1 section
// 18.2.1): BIND's check (builder_patterns.cc) and CheckQuery
// (static_checks.cc), which defines them.
void AddElementScope(const ast::PatternElement& el,
                     std::set<std::string>* out);
void AddScope(const ast::GroupPattern& g, std::set<std::string>* out);

}  // namespace kg::grammar::builder_internal

#endif  // KGSTORE_QUERY_GRAMMAR_BUILDER_INTERNAL_H_
