// What the SPARQL grammar skips between tokens: white space and '#'
// comments. One definition for the skipper every rule runs with
// (config.hpp) and for the places that name a position in an error
// message or a hint (the builder's actions, the parser's "did you mean"),
// so they agree on where the next token starts.

#ifndef KGSTORE_QUERY_GRAMMAR_SPACING_H_
#define KGSTORE_QUERY_GRAMMAR_SPACING_H_

namespace kg::grammar {

// The first byte at or after `p` (before `end`) that is neither white
// space (space, tab, line feed, carriage return, form feed, vertical tab)
// nor inside a comment; a comment runs from '#' to the end of its line
// ('\n' or '\r'). '#' inside IRIs and strings never gets here: those are
// scanned as tokens.
inline const char* SkipSpaceAndComments(const char* p, const char* end) {
  while (p < end) {
    const char c = *p;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v') {
      ++p;
    } else if (c == '#') {
      while (p < end && *p != '\n' && *p != '\r') ++p;
    } else {
      break;
    }
  }
  return p;
}

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_SPACING_H_
