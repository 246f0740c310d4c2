// Prefixes: how kgstore shows an IRI as prefix:local, with one rule for
// every place that does (result tables, graph exports, the shell), and
// which prefixes a store's IRIs are shown with.
//
//   kg::PrefixMap prefixes = kg::StorePrefixes(db);
//   prefixes["foaf"] = "http://xmlns.com/foaf/0.1/";
//   kg::ShortenIri("http://xmlns.com/foaf/0.1/name", prefixes);  // "foaf:name"
//   kg::ShortenIri("http://a.example/x y", prefixes);   // "<http://a.example/x y>"
//
// Thread-safety: plain functions; StorePrefixes reads a snapshot.

#ifndef KGSTORE_ENGINE_IRI_PREFIXES_H_
#define KGSTORE_ENGINE_IRI_PREFIXES_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kg {

class Database;

// Prefix name (without ':') -> namespace IRI. The type of
// QueryOptions::prefixes, ResultWriteOptions::prefixes and
// ExportOptions::prefixes.
using PrefixMap = std::map<std::string, std::string>;

// The rule. "name:local" for the longest namespace in `prefixes` that `iri`
// starts with and that leaves a local part a SPARQL or Turtle prefixed name
// can carry without escapes: empty, or a first character from PN_CHARS_U,
// ':' or a digit, then characters from PN_CHARS, '.' or ':', not ending in
// '.' (so "ex:a-b", "ex:42", "ex:" but not "ex:a(b)", "ex:x%20y",
// "ex:-a", "ex:a."). Among names bound to the same longest namespace, the
// first in name order. Empty namespaces never match. std::nullopt when no
// prefix fits. What it returns reads back, in a query with the same
// prefixes, as the same IRI.
std::optional<std::string> PrefixedName(std::string_view iri,
                                        const PrefixMap& prefixes);

// PrefixedName, else the IRI in angle brackets: how result tables and the
// shell show an IRI.
std::string ShortenIri(std::string_view iri, const PrefixMap& prefixes);

// The inverse for names people type: "name:local" with a name in `prefixes`
// -> the namespace followed by local. std::nullopt when `text` has no ':'
// or its name is not in `prefixes`.
std::optional<std::string> ExpandPrefixedName(std::string_view text,
                                              const PrefixMap& prefixes);

// The prefixes a store's IRIs are shown with before the user's own (the
// shell, `kg export`, ExportGraph):
//  - rdf, rdfs, xsd and owl, always;
//  - kg and ex, the namespaces of this repository's example vocabulary
//    (examples/seed/: https://kgstore.example/vocab# and .../id/), when a
//    predicate of the store is under https://kgstore.example/;
//  - the prefixes the data declares for itself: a resource with
//    vann:preferredNamespacePrefix "p" and vann:preferredNamespaceUri "ns"
//    (the VANN vocabulary, http://purl.org/vocab/vann/), or sh:prefix "p"
//    and sh:namespace "ns" (SHACL's prefix declarations); the namespace as
//    an IRI or a literal. A declaration is skipped when its name is not a
//    plain prefix name ([A-Za-z][A-Za-z0-9_.-]*, not ending in '.') or
//    when its name or its namespace is taken already (by the above, or by
//    an earlier declaration in the store's order).
// Reads the store's statistics (its predicates) and the quads of those
// four predicates; errors reading them leave their part out.
PrefixMap StorePrefixes(const Database& db);

}  // namespace kg

#endif  // KGSTORE_ENGINE_IRI_PREFIXES_H_
