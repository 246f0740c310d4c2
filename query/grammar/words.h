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

// The built-in functions (SPARQL 1.1 section 17.4): the one table of their
// names (upper case, as ScanBuiltinName folds them) and arities, which the
// tokenizer, the builder's arity check, the error hints and the shell's Tab
// completion (through engine/request_text.h) all read. URI and ISURI are
// the older spellings of IRI and ISIRI. Evaluation is in query/functions*.
struct BuiltinFunction {
  std::string_view name;
  int min_args;
  int max_args;  // -1: any number
};
inline constexpr BuiltinFunction kBuiltins[] = {
    {"STR", 1, 1},       {"LANG", 1, 1},           {"LANGMATCHES", 2, 2},
    {"DATATYPE", 1, 1},  {"BOUND", 1, 1},          {"IRI", 1, 1},
    {"URI", 1, 1},       {"BNODE", 0, 1},          {"RAND", 0, 0},
    {"ABS", 1, 1},       {"CEIL", 1, 1},           {"FLOOR", 1, 1},
    {"ROUND", 1, 1},     {"CONCAT", 0, -1},        {"STRLEN", 1, 1},
    {"UCASE", 1, 1},     {"LCASE", 1, 1},          {"ENCODE_FOR_URI", 1, 1},
    {"CONTAINS", 2, 2},  {"STRSTARTS", 2, 2},      {"STRENDS", 2, 2},
    {"STRBEFORE", 2, 2}, {"STRAFTER", 2, 2},       {"YEAR", 1, 1},
    {"MONTH", 1, 1},     {"DAY", 1, 1},            {"HOURS", 1, 1},
    {"MINUTES", 1, 1},   {"SECONDS", 1, 1},        {"TIMEZONE", 1, 1},
    {"TZ", 1, 1},        {"NOW", 0, 0},            {"UUID", 0, 0},
    {"STRUUID", 0, 0},   {"MD5", 1, 1},            {"SHA1", 1, 1},
    {"SHA256", 1, 1},    {"SHA384", 1, 1},         {"SHA512", 1, 1},
    {"COALESCE", 0, -1}, {"IF", 3, 3},             {"STRLANG", 2, 2},
    {"STRDT", 2, 2},     {"SAMETERM", 2, 2},       {"ISIRI", 1, 1},
    {"ISURI", 1, 1},     {"ISBLANK", 1, 1},        {"ISLITERAL", 1, 1},
    {"ISNUMERIC", 1, 1}, {"REGEX", 2, 3},          {"SUBSTR", 2, 3},
    {"REPLACE", 3, 4},
};

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
