// The terminals of the SPARQL grammar (IRIs, prefixed names, variables,
// literals, blank nodes, keywords) as small X3 parsers around ordinary
// scanner functions (tokens.cc). Scanning by hand keeps the character-level
// rules exact (PN_LOCAL with escapes and %xx, string escapes, trailing '.'
// handling) and keeps X3 template instantiation out of the lexical layer.
// Each parser skips whitespace and comments first, then scans; on success
// it pushes its value onto the Builder's stacks.

#ifndef KGSTORE_QUERY_GRAMMAR_TOKENS_HPP_
#define KGSTORE_QUERY_GRAMMAR_TOKENS_HPP_

#include <string>

#include "query/grammar/config.hpp"
#include "query/grammar/words.h"

namespace kg::grammar {

// ---- scanners (tokens.cc): advance `p` and return true on a match --------
bool ScanKeyword(const char*& p, const char* end, const char* word);
bool ScanIri(const char*& p, const char* end, Builder& b);  // IRIREF|pname
bool ScanIriRefText(const char*& p, const char* end, Builder& b,
                    std::string* out);  // IRIREF, unresolved
bool ScanPnameNs(const char*& p, const char* end, std::string* prefix);
bool ScanVar(const char*& p, const char* end, Builder& b);
bool ScanString(const char*& p, const char* end, Builder& b);  // last_string
bool ScanRdfLiteral(const char*& p, const char* end, Builder& b);
bool ScanNumeric(const char*& p, const char* end, Builder& b, bool signed_ok);
bool ScanBoolean(const char*& p, const char* end, Builder& b);
bool ScanBlankNode(const char*& p, const char* end, Builder& b);  // _:x, []
bool ScanNil(const char*& p, const char* end, Builder& b);
bool ScanBuiltinName(const char*& p, const char* end, Builder& b);
bool ScanPathMod(const char*& p, const char* end);
bool ScanInteger(const char*& p, const char* end);

// For error messages: when p is at a '<' that starts what looks like an
// IRIREF but is not one (a space or another character IRIs do not allow,
// no closing '>' on the line), sets *where to the culprit and *message to
// "character ' ' (space) is not allowed in an IRI; write it as %20" or
// similar and returns true.
bool DiagnoseIriRef(const char* p, const char* end, const char** where,
                    std::string* message);

template <typename Derived>
struct token_parser : x3::parser<Derived> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr&) const {
    x3::skip_over(first, last, ctx);
    return static_cast<Derived const&>(*this).scan(first, last, state(ctx));
  }
};

// A case-insensitive keyword that does not match a prefix of a longer name
// ("SELECTx" is not SELECT; "a:b" is not 'a').
struct kw_parser : token_parser<kw_parser> {
  constexpr explicit kw_parser(const char* w) : word(w) {}
  bool scan(const char*& p, const char* end, Builder&) const {
    return ScanKeyword(p, end, word);
  }
  const char* word;
};
// Every keyword is listed in words.h (error messages suggest from there):
// an unlisted word does not compile.
consteval kw_parser kw(const char* word) {
  return IsListedKeyword(word)
             ? kw_parser(word)
             : throw "kw(): list the keyword in query/grammar/words.h";
}

#define KG_TOKEN(name, call)                                       \
  struct name##_parser : token_parser<name##_parser> {             \
    bool scan(const char*& p, const char* end, Builder& b) const { \
      (void)b;                                                     \
      return call;                                                 \
    }                                                              \
  };                                                               \
  inline constexpr name##_parser name##_token{};

KG_TOKEN(iri, ScanIri(p, end, b))
KG_TOKEN(var, ScanVar(p, end, b))
KG_TOKEN(string, ScanString(p, end, b))
KG_TOKEN(rdf_literal, ScanRdfLiteral(p, end, b))
KG_TOKEN(numeric, ScanNumeric(p, end, b, true))
KG_TOKEN(unsigned_numeric, ScanNumeric(p, end, b, false))
KG_TOKEN(boolean, ScanBoolean(p, end, b))
KG_TOKEN(blank_node, ScanBlankNode(p, end, b))
KG_TOKEN(nil, ScanNil(p, end, b))
KG_TOKEN(builtin_name, ScanBuiltinName(p, end, b))
KG_TOKEN(path_mod, ScanPathMod(p, end))
KG_TOKEN(integer, ScanInteger(p, end))
// Succeeds, consuming nothing, where an IRIREF starts: '<' is only the
// less-than operator where it does not ("?x<?a&&?b>?y" has an IRIREF).
KG_TOKEN(iriref_ahead, [&] {
  const char* q = p;
  std::string ignored;
  return ScanIriRefText(q, end, b, &ignored);
}())
#undef KG_TOKEN

// BASE <iri>: resolved against the current base.
struct base_decl_parser : token_parser<base_decl_parser> {
  bool scan(const char*& p, const char* end, Builder& b) const {
    std::string iri;
    if (!ScanIriRefText(p, end, b, &iri)) return false;
    b.base = b.ResolveIri(iri);
    return true;
  }
};
inline constexpr base_decl_parser base_iri_token{};

// PREFIX name: (the name is remembered until the IRI follows).
struct pname_ns_parser : token_parser<pname_ns_parser> {
  bool scan(const char*& p, const char* end, Builder& b) const {
    std::string prefix;
    if (!ScanPnameNs(p, end, &prefix)) return false;
    b.SetPrefixName(std::move(prefix));
    return true;
  }
};
inline constexpr pname_ns_parser pname_ns_token{};

struct prefix_iri_parser : token_parser<prefix_iri_parser> {
  bool scan(const char*& p, const char* end, Builder& b) const {
    std::string iri;
    if (!ScanIriRefText(p, end, b, &iri)) return false;
    b.PushIri(b.ResolveIri(iri));
    return true;
  }
};
inline constexpr prefix_iri_parser prefix_iri_token{};

// ---- semantic actions -----------------------------------------------------
// p[A<&Builder::M>] calls M(begin, end) with the text p matched (begin may
// include skipped whitespace). X3's own _where(ctx) is not the matched
// range, so these actions get their own x3::action specialization below.
template <auto M>
struct act_fn {};
template <auto M>
inline constexpr act_fn<M> A{};

}  // namespace kg::grammar

namespace boost::spirit::x3 {
// Names for expectation-failure messages.
template <>
struct get_info<kg::grammar::kw_parser> {
  using result_type = std::string;
  std::string operator()(kg::grammar::kw_parser const& p) const {
    return std::string("'") + p.word + "'";
  }
};
// The action of A<M>: parse the subject, then call the Builder with the
// matched range.
template <typename Subject, auto M>
struct action<Subject, kg::grammar::act_fn<M>>
    : unary_parser<Subject, action<Subject, kg::grammar::act_fn<M>>> {
  using base_type =
      unary_parser<Subject, action<Subject, kg::grammar::act_fn<M>>>;
  using attribute_type = unused_type;
  static bool const has_attribute = false;
  static bool const is_pass_through_unary = false;
  constexpr action(Subject const& subject, kg::grammar::act_fn<M>)
      : base_type(subject) {}
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx& rctx,
             Attr&) const {
    It save = first;
    if (!this->subject.parse(first, last, ctx, rctx, unused)) return false;
    (kg::grammar::state(ctx).*M)(save, first);
    return true;
  }
};

// An action or a directive reads like what it wraps.
template <typename Subject, typename Action>
struct get_info<action<Subject, Action>> {
  using result_type = std::string;
  std::string operator()(action<Subject, Action> const& p) const {
    return what(p.subject);
  }
};
}  // namespace boost::spirit::x3

#endif  // KGSTORE_QUERY_GRAMMAR_TOKENS_HPP_
