// RDF 1.1 terms and quads as plain values.
//
// These are the types the public API, the RDF readers and writers and the
// dictionary exchange. They own their strings; copying is a deep copy.
// Thread-safety: plain values; concurrent const access is safe.

#ifndef KGSTORE_STORAGE_RDF_TERM_H_
#define KGSTORE_STORAGE_RDF_TERM_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace kg {

inline constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
inline constexpr std::string_view kXsdString =
    "http://www.w3.org/2001/XMLSchema#string";
inline constexpr std::string_view kXsdInteger =
    "http://www.w3.org/2001/XMLSchema#integer";
inline constexpr std::string_view kXsdDecimal =
    "http://www.w3.org/2001/XMLSchema#decimal";
inline constexpr std::string_view kXsdDouble =
    "http://www.w3.org/2001/XMLSchema#double";
inline constexpr std::string_view kXsdBoolean =
    "http://www.w3.org/2001/XMLSchema#boolean";
inline constexpr std::string_view kXsdDate =
    "http://www.w3.org/2001/XMLSchema#date";
inline constexpr std::string_view kRdfLangString =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
inline constexpr std::string_view kRdf =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
inline constexpr std::string_view kRdfType =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

// The three kinds of RDF term. The numeric values are persisted (they are
// the first byte of a serialized term in the dictionary): frozen.
enum class TermKind : uint8_t {
  kIri = 1,
  kBlankNode = 2,
  kLiteral = 3,
};

// One RDF term.
//
// - kIri: `lexical` is the absolute IRI, without angle brackets.
// - kBlankNode: `lexical` is the label, without the leading "_:".
// - kLiteral: `lexical` is the lexical form (unescaped). `language` is the
//   language tag, lower-cased, or empty. `datatype` is the datatype IRI;
//   it is empty for plain xsd:string literals and for language-tagged
//   literals (whose datatype is rdf:langString): use DatatypeIri() to get
//   the datatype of any literal. The factory functions normalise an explicit
//   xsd:string datatype to empty, so equal terms compare equal.
struct Term {
  TermKind kind = TermKind::kIri;
  std::string lexical;
  std::string datatype;
  std::string language;

  static Term Iri(std::string iri);
  static Term BlankNode(std::string label);
  // A literal with a datatype; an empty datatype or xsd:string gives a
  // simple literal.
  static Term Literal(std::string lexical, std::string datatype = {});
  // A language-tagged literal; the tag is lower-cased.
  static Term LangLiteral(std::string lexical, std::string language);

  bool is_iri() const { return kind == TermKind::kIri; }
  bool is_blank() const { return kind == TermKind::kBlankNode; }
  bool is_literal() const { return kind == TermKind::kLiteral; }

  // The datatype IRI of a literal: xsd:string, rdf:langString or `datatype`.
  // Empty for IRIs and blank nodes.
  std::string_view DatatypeIri() const;

  // The term in N-Triples syntax: <iri>, _:label, "lexical"@lang,
  // "lexical"^^<datatype>. Strings are escaped as N-Triples requires
  // (\" \\ \n \r and control characters as \uXXXX); other characters are
  // written as UTF-8.
  std::string ToNTriples() const;
  void AppendNTriples(std::string* out) const;

  friend bool operator==(const Term& a, const Term& b) {
    return a.kind == b.kind && a.lexical == b.lexical &&
           a.datatype == b.datatype && a.language == b.language;
  }
  friend bool operator!=(const Term& a, const Term& b) { return !(a == b); }
  // A total order (kind, lexical, datatype, language); used for sorting
  // output deterministically, not SPARQL ORDER BY.
  friend bool operator<(const Term& a, const Term& b);
};

std::ostream& operator<<(std::ostream& os, const Term& term);

// Appends `text` to `out` escaped for the inside of an N-Triples/Turtle
// double-quoted string.
void AppendEscapedString(std::string_view text, std::string* out);
// Appends an IRI escaped for the inside of <...> (characters not allowed in
// an IRIREF are written as \uXXXX).
void AppendEscapedIri(std::string_view iri, std::string* out);

// One RDF quad. `graph` is std::nullopt for the default graph; otherwise an
// IRI or a blank node naming the graph.
struct Quad {
  Term subject;
  Term predicate;
  Term object;
  std::optional<Term> graph;

  // "s p o ." or "s p o g ." in N-Quads syntax, without a newline.
  std::string ToNQuads() const;

  friend bool operator==(const Quad& a, const Quad& b) {
    return a.subject == b.subject && a.predicate == b.predicate &&
           a.object == b.object && a.graph == b.graph;
  }
};

std::ostream& operator<<(std::ostream& os, const Quad& quad);

}  // namespace kg

#endif  // KGSTORE_STORAGE_RDF_TERM_H_
