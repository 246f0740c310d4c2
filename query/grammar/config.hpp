// The one iterator type and the one context type every rule of the SPARQL
// grammar is instantiated with. A rule referenced from another translation
// unit must be called with exactly this context, so nothing in the grammar
// uses x3::lexeme or x3::with around a rule: tokens are scanned by the
// hand-written scanners in tokens.hpp, which skip by themselves.
//
// If the link fails with "undefined reference to parse_rule<...>", a rule
// was called with a different context than config.hpp's (e.g. inside
// lexeme[] or skip[]), or its *.cc does not BOOST_SPIRIT_INSTANTIATE it.

#ifndef KGSTORE_QUERY_GRAMMAR_CONFIG_HPP_
#define KGSTORE_QUERY_GRAMMAR_CONFIG_HPP_

#include <boost/spirit/home/x3.hpp>

#include "query/grammar/builder.h"
#include "query/grammar/spacing.h"

namespace kg::grammar {

namespace x3 = boost::spirit::x3;

// The key of the Builder in the context: positions, prologue and AST stacks.
struct state_tag;

// White space and '#' comments (spacing.h).
struct skipper_parser : x3::parser<skipper_parser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const&, RCtx&, Attr&) const {
    const It start = first;
    first = SkipSpaceAndComments(first, last);
    return first != start;
  }
};
inline constexpr skipper_parser skipper{};

using iterator_type = const char*;
using phrase_context_type =
    x3::context<x3::skipper_tag, skipper_parser const, x3::unused_type>;
using context_type = x3::context<state_tag, Builder, phrase_context_type>;

template <typename Ctx>
Builder& state(Ctx const& ctx) {
  return x3::get<state_tag>(ctx);
}

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_CONFIG_HPP_
