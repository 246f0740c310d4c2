// SPARQL 1.1 operators and functions over RDF terms (section 17 of the
// SPARQL 1.1 Query Language): effective boolean value, comparisons,
// arithmetic with numeric type promotion, the builtin functions, XSD casts
// and the ORDER BY ordering. Pure functions of terms: the executor decodes
// ids to terms before calling them and encodes results back.
//
// Errors: SPARQL expression errors (type errors, unbound arguments, bad
// lexical forms) are std::nullopt results, as the spec's "error" value; they
// are not absl::Status (a FILTER whose expression errors simply rejects the
// row).
//
// Thread-safety: all functions are reentrant. FunctionContext is per query.

#ifndef KGSTORE_QUERY_FUNCTIONS_H_
#define KGSTORE_QUERY_FUNCTIONS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/rdf/term.h"

namespace kg {

// An expression's value: a term, or std::nullopt for an error / unbound.
using Value = std::optional<Term>;

// The default of FunctionContext::max_string_bytes: 256 MiB, as the
// readers' ParseOptions::max_statement_bytes.
inline constexpr uint64_t kMaxComputedStringBytes = uint64_t{256} << 20;

// State some functions need, fixed for the duration of one query.
struct FunctionContext {
  // NOW(): the same instant for the whole query.
  std::chrono::system_clock::time_point now_time{};
  // That instant as xsd:dateTime lexical form with timezone (e.g.
  // "2026-11-27T03:25:00.123Z"): empty until first needed, then formatted
  // from now_time by NowLexical (most queries never call NOW(), and the
  // formatting cost as much as a point lookup). Tests may set it.
  mutable std::string now;
  // Counter for BNODE() / STRUUID() / UUID() uniqueness within the query.
  uint64_t counter = 0;
  // Seed for RAND(); also mixed into UUID()/STRUUID(). The executor should
  // seed it randomly per query.
  uint64_t rand_state = 0x9E3779B97F4A7C15ull;
  // The solution (row) being evaluated. BNODE(str) returns the same blank
  // node for the same string within one row and different ones across rows,
  // so the executor bumps this per solution.
  uint64_t row = 0;
  // The longest string (lexical form) a function may return, in bytes. A
  // longer result (CONCAT of CONCATs doubling at each step, REPLACE
  // inserting a long string at every match) is an error that sets
  // string_too_long before it is built, so that the executor can end the
  // query with ResourceExhausted instead of exhausting the host's memory.
  uint64_t max_string_bytes = kMaxComputedStringBytes;
  bool string_too_long = false;
};

// context.now, formatted from context.now_time on first use.
const std::string& NowLexical(const FunctionContext& context);

// Effective boolean value (17.2.2): booleans, numerics (false if 0 or NaN),
// strings (false if empty); error for everything else.
std::optional<bool> EffectiveBooleanValue(const Value& v);

enum class CompareOp { kEq, kNe, kLt, kGt, kLe, kGe };
// The operators = != < > <= >= with SPARQL semantics: numeric comparison
// across numeric types with promotion, simple literal/xsd:string comparison
// by code points, xsd:boolean, xsd:dateTime/xsd:date (with timezone rules),
// and for = / != RDFterm-equal on other terms (an error when two literals of
// unknown datatypes differ, as the spec says).
std::optional<bool> Compare(CompareOp op, const Value& a, const Value& b);

enum class ArithOp { kAdd, kSub, kMul, kDiv };
// Numeric arithmetic with type promotion integer < decimal < float < double.
// Integer division yields xsd:decimal; division by zero is an error for
// integer/decimal and INF/NaN for float/double. Results in canonical
// lexical form.
Value Arithmetic(ArithOp op, const Value& a, const Value& b);
Value Negate(const Value& a);
Value UnaryPlus(const Value& a);

// True if `term` is a literal of a numeric XSD type with a valid lexical
// form.
bool IsNumeric(const Term& term);

// Calls a builtin by its upper-case name ("STR", "LANG", "LANGMATCHES",
// "DATATYPE", "IRI", "URI", "BNODE", "RAND", "ABS", "CEIL", "FLOOR",
// "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI",
// "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "YEAR",
// "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "NOW",
// "UUID", "STRUUID", "MD5", "SHA1", "SHA256", "SHA384", "SHA512", "SUBSTR",
// "REPLACE", "REGEX", "STRLANG", "STRDT", "SAMETERM", "ISIRI", "ISURI",
// "ISBLANK", "ISLITERAL", "ISNUMERIC") or a cast by its XSD datatype IRI
// (xsd:string, xsd:integer, xsd:decimal, xsd:double, xsd:float,
// xsd:boolean, xsd:dateTime, xsd:date). `args` are the evaluated arguments
// (std::nullopt where an argument errored or was unbound).
// A result longer than context.max_string_bytes is an error and sets
// context.string_too_long.
// BOUND, IF, COALESCE, IN, EXISTS and the logical operators need lazy
// evaluation and are done by the executor, not here.
// Returns std::nullopt for errors, and also for unknown function names:
// use IsKnownFunction to tell them apart at compile time.
Value CallFunction(std::string_view name, const std::vector<Value>& args,
                   FunctionContext& context);
bool IsKnownFunction(std::string_view name);

// Why REGEX / REPLACE cannot use `pattern` with `flags`: an unknown flag,
// a syntax error in the pattern (RE2's message), an XPath construct RE2
// lacks (back-references, class subtraction) or a pattern over RE2's
// memory budget. Empty when it compiles. The parser calls it for constant
// patterns, so that a bad one is a clear error, not an empty answer.
std::string RegexProblem(std::string_view pattern, std::string_view flags);

// The total order ORDER BY uses (15.1): unbound < blank nodes < IRIs <
// literals; within a kind, values comparable with '<' by that order,
// otherwise a deterministic order by lexical form, datatype and language.
// Returns <0, 0 or >0.
int OrderCompare(const Value& a, const Value& b);

}  // namespace kg

#endif  // KGSTORE_QUERY_FUNCTIONS_H_
