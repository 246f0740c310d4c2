// RDF terms and quads: factories, N-Triples output and ordering.
//
// The escaping here is the one the N-Triples/N-Quads writers use, so it
// follows canonical N-Triples (RDF 1.2 c14n): ECHAR for \b \t \n \f \r \" \\,
// UCHAR for the remaining control characters, everything else as UTF-8.

#include "storage/rdf/term.h"

#include <tuple>

namespace kg {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void AppendUchar4(unsigned char c, std::string* out) {
  out->append("\\u00");
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xF]);
}

}  // namespace

Term Term::Iri(std::string iri) {
  Term t;
  t.kind = TermKind::kIri;
  t.lexical = std::move(iri);
  return t;
}

Term Term::BlankNode(std::string label) {
  Term t;
  t.kind = TermKind::kBlankNode;
  t.lexical = std::move(label);
  return t;
}

Term Term::Literal(std::string lexical, std::string datatype) {
  Term t;
  t.kind = TermKind::kLiteral;
  t.lexical = std::move(lexical);
  // xsd:string is stored as "no datatype" so that "a" and "a"^^xsd:string
  // are the same term, as RDF 1.1 says they are.
  if (datatype != kXsdString) t.datatype = std::move(datatype);
  return t;
}

Term Term::LangLiteral(std::string lexical, std::string language) {
  Term t;
  t.kind = TermKind::kLiteral;
  t.lexical = std::move(lexical);
  for (char& c : language) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  t.language = std::move(language);
  return t;
}

std::string_view Term::DatatypeIri() const {
  if (kind != TermKind::kLiteral) return {};
  if (!language.empty()) return kRdfLangString;
  if (datatype.empty()) return kXsdString;
  return datatype;
}

void AppendEscapedString(std::string_view text, std::string* out) {
  // Fast path: copy runs of characters that need no escape in one append.
  const char* p = text.data();
  const char* end = p + text.size();
  const char* run = p;
  for (; p < end; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) continue;
    out->append(run, p - run);
    run = p + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        AppendUchar4(c, out);
        break;
    }
  }
  out->append(run, p - run);
}

void AppendEscapedIri(std::string_view iri, std::string* out) {
  const char* p = iri.data();
  const char* end = p + iri.size();
  const char* run = p;
  for (; p < end; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    bool bad = c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' ||
               c == '}' || c == '|' || c == '^' || c == '`' || c == '\\';
    if (!bad) continue;
    out->append(run, p - run);
    run = p + 1;
    AppendUchar4(c, out);
  }
  out->append(run, p - run);
}

void Term::AppendNTriples(std::string* out) const {
  switch (kind) {
    case TermKind::kIri:
      out->push_back('<');
      AppendEscapedIri(lexical, out);
      out->push_back('>');
      return;
    case TermKind::kBlankNode:
      out->append("_:");
      out->append(lexical);
      return;
    case TermKind::kLiteral:
      out->push_back('"');
      AppendEscapedString(lexical, out);
      out->push_back('"');
      if (!language.empty()) {
        out->push_back('@');
        out->append(language);
      } else if (!datatype.empty()) {
        out->append("^^<");
        AppendEscapedIri(datatype, out);
        out->push_back('>');
      }
      return;
  }
}

std::string Term::ToNTriples() const {
  std::string out;
  AppendNTriples(&out);
  return out;
}

bool operator<(const Term& a, const Term& b) {
  return std::tie(a.kind, a.lexical, a.datatype, a.language) <
         std::tie(b.kind, b.lexical, b.datatype, b.language);
}

std::ostream& operator<<(std::ostream& os, const Term& term) {
  return os << term.ToNTriples();
}

std::string Quad::ToNQuads() const {
  std::string out;
  subject.AppendNTriples(&out);
  out.push_back(' ');
  predicate.AppendNTriples(&out);
  out.push_back(' ');
  object.AppendNTriples(&out);
  if (graph.has_value()) {
    out.push_back(' ');
    graph->AppendNTriples(&out);
  }
  out.append(" .");
  return out;
}

std::ostream& operator<<(std::ostream& os, const Quad& quad) {
  return os << quad.ToNQuads();
}

}  // namespace kg
