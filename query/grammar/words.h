// The words of SPARQL 1.1 in one place: the keywords the grammar matches
// with kw() (tokens.hpp checks at compile time that each is listed here)
// and the built-in function names ScanBuiltinName accepts. Error messages
// use the same lists to suggest a keyword for a misspelt word
// ("found 'FILTR' (did you mean FILTER?)").
//
// No X3 here: query/parser.cc and tests include this header cheaply.

#ifndef KGSTORE_QUERY_GRAMMAR_WORDS_H_
#define KGSTORE_QUERY_GRAMMAR_WORDS_H_

#include <string_view>
#include <vector>

namespace kg::grammar {

// Keywords, as the grammar spells them (matching is case-insensitive, but
// for 'a'). "true" and "false" are the boolean literals.
inline constexpr std::string_view kKeywords[] = {
    "ADD",      "ALL",      "AS",           "ASC",     "ASK",       "AVG",
    "BASE",     "BIND",     "BY",           "CLEAR",   "CONSTRUCT", "COPY",
    "COUNT",    "CREATE",   "DATA",         "DEFAULT", "DELETE",    "DESC",
    "DESCRIBE", "DISTINCT", "DROP",         "EXISTS",  "FILTER",    "FROM",
    "GRAPH",    "GROUP",    "GROUP_CONCAT", "HAVING",  "IN",        "INSERT",
    "INTO",     "LIMIT",    "LOAD",         "MAX",     "MIN",       "MINUS",
    "MOVE",     "NAMED",    "NOT",          "OFFSET",  "OPTIONAL",  "ORDER",
    "PREFIX",   "REDUCED",  "SAMPLE",       "SELECT",  "SEPARATOR", "SERVICE",
    "SILENT",   "SUM",      "TO",           "UNDEF",   "UNION",     "USING",
    "VALUES",   "WHERE",    "WITH",         "a",       "true",      "false"};

// Built-in function names (SPARQL 1.1 section 17.4), upper case. URI and
// ISURI are the older spellings of IRI and ISIRI.
inline constexpr std::string_view kBuiltinNames[] = {
    "STR",     "LANG",      "LANGMATCHES",    "DATATYPE",  "BOUND",
    "IRI",     "URI",       "BNODE",          "RAND",      "ABS",
    "CEIL",    "FLOOR",     "ROUND",          "CONCAT",    "STRLEN",
    "UCASE",   "LCASE",     "ENCODE_FOR_URI", "CONTAINS",  "STRSTARTS",
    "STRENDS", "STRBEFORE", "STRAFTER",       "YEAR",      "MONTH",
    "DAY",     "HOURS",     "MINUTES",        "SECONDS",   "TIMEZONE",
    "TZ",      "NOW",       "UUID",           "STRUUID",   "MD5",
    "SHA1",    "SHA256",    "SHA384",         "SHA512",    "COALESCE",
    "IF",      "STRLANG",   "STRDT",          "SAMETERM",  "ISIRI",
    "ISURI",   "ISBLANK",   "ISLITERAL",      "ISNUMERIC", "REGEX",
    "SUBSTR",  "REPLACE"};

// Keywords that go in pairs, for "GROUPBY" and the like.
inline constexpr std::string_view kKeywordPairs[] = {"GROUP BY", "ORDER BY",
                                                     "NOT EXISTS", "NOT IN"};

consteval bool IsListedKeyword(std::string_view word) {
  for (std::string_view k : kKeywords) {
    if (k == word) return true;
  }
  return false;
}

// The keywords, pairs and built-in names close to `word` (case-insensitive
// Damerau-Levenshtein distance 1, or 2 for words of 5 letters or more;
// never the word itself), nearest first. Empty for words shorter than
// 3 letters. Implemented in tokens.cc.
std::vector<std::string_view> SimilarWords(std::string_view word);

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_WORDS_H_
