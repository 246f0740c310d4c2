// Internal helpers shared by the query/functions_*.cc files: the numeric
// value model (exact integer/decimal, float, double), XSD date/time values,
// string-literal argument rules and UTF-8 helpers. Not part of the public
// query API: include query/functions.h instead.
//
// Thread-safety: plain functions and values; reentrant.

#ifndef KGSTORE_QUERY_FUNCTIONS_INTERNAL_H_
#define KGSTORE_QUERY_FUNCTIONS_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/functions.h"
#include "storage/rdf/term.h"

namespace kg::fn_internal {

inline constexpr std::string_view kXsdFloat =
    "http://www.w3.org/2001/XMLSchema#float";
inline constexpr std::string_view kXsdDateTime =
    "http://www.w3.org/2001/XMLSchema#dateTime";
inline constexpr std::string_view kXsdDayTimeDuration =
    "http://www.w3.org/2001/XMLSchema#dayTimeDuration";

// ---- numerics -------------------------------------------------------------

// An exact decimal m / 10^scale. 128-bit mantissa: about 38 significant
// digits, which is far beyond what real data needs; results that do not fit
// are errors rather than silently wrong.
struct Decimal {
  __int128 m = 0;
  int scale = 0;  // 0..kMaxScale
};
inline constexpr int kMaxScale = 30;

enum class NumKind { kInteger = 0, kDecimal = 1, kFloat = 2, kDouble = 3 };

// A numeric value. Integer and decimal use `dec` (integers have scale 0);
// float and double use `dbl` (float values are exactly representable).
struct Numeric {
  NumKind kind = NumKind::kInteger;
  Decimal dec;
  double dbl = 0;

  double AsDouble() const;
};

// Parses a literal of a numeric datatype (including the derived integer
// types, with their range facets). std::nullopt when the term is not a
// numeric literal or its lexical form is invalid / out of range.
std::optional<Numeric> ParseNumericTerm(const Term& term);
// Parses lexical forms; `text` must already be whitespace-trimmed.
std::optional<Decimal> ParseIntegerLexical(std::string_view text);
std::optional<Decimal> ParseDecimalLexical(std::string_view text);
std::optional<double> ParseDoubleLexical(std::string_view text, bool is_float);
// True for xsd:integer and its derived types.
bool IsIntegerDatatype(std::string_view datatype);
// Range facet of a derived integer type (xsd:byte etc.); true for
// xsd:integer itself.
bool IntegerInRange(std::string_view datatype, __int128 v);

// Canonical lexical forms (XSD 1.0 canonical representations).
std::string FormatInteger(__int128 v);
std::string FormatDecimal(const Decimal& d);
std::string FormatDouble(double v);
std::string FormatFloat(float v);
// The numeric as a literal term in canonical form.
Term NumericToTerm(const Numeric& n);
Term IntegerTerm(int64_t v);

// Compares two numerics: <0, 0, >0, or std::nullopt when NaN is involved.
std::optional<int> CompareNumeric(const Numeric& a, const Numeric& b);

// ABS, CEIL, FLOOR, ROUND, RAND.
Value NumericFunction(std::string_view name, const std::vector<Value>& args,
                      FunctionContext& context);

// Casts to numeric types: xsd:integer (and derived), xsd:decimal,
// xsd:float, xsd:double. `target` is the datatype IRI.
Value CastToNumeric(std::string_view target, const Term& term);

// XPath fn:round semantics (half toward positive infinity) for doubles.
double RoundHalfUp(double v);

// ---- date/time ------------------------------------------------------------

// An xsd:dateTime or xsd:date value, fields as written (not normalized).
struct DateTime {
  bool is_date = false;  // xsd:date (time fields are zero)
  int64_t year = 0;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  // Fractional seconds as digits after the point, without trailing zeros.
  std::string fraction;
  bool has_tz = false;
  int tz_minutes = 0;  // offset from UTC
};

std::optional<DateTime> ParseDateTimeLexical(std::string_view text,
                                             bool is_date);
// Parses an xsd:dateTime or xsd:date literal.
std::optional<DateTime> ParseDateTimeTerm(const Term& term);
// Compares two date/time values per XSD 3.2.7.4 (timezone normalization,
// indeterminate when exactly one lacks a timezone and they are within 14
// hours): <0, 0, >0, or std::nullopt when indeterminate.
std::optional<int> CompareDateTime(const DateTime& a, const DateTime& b);
// A total order treating values without timezone as UTC; for ORDER BY.
int OrderDateTime(const DateTime& a, const DateTime& b);
std::string FormatDateTime(const DateTime& dt);

// YEAR .. TZ.
Value DateTimeFunction(std::string_view name, const std::vector<Value>& args);
Value CastToDateTime(std::string_view target, const Term& term);

// ---- strings --------------------------------------------------------------

// A "string literal" per 17.4.3: simple literal, xsd:string or
// language-tagged literal.
bool IsStringLiteral(const Term& t);
// Simple literal or xsd:string (the same term in RDF 1.1).
bool IsSimpleOrXsdString(const Term& t);
// Argument compatibility rules (17.4.3.1.2).
bool ArgCompatible(const Term& a, const Term& b);
// A literal with the lexical `s` and the same language tag/datatype as `like`.
Term SameKindLiteral(const Term& like, std::string s);

// Decodes one UTF-8 code point at `*pos` (advancing it); invalid bytes
// decode as themselves so that broken input never loops or crashes.
uint32_t DecodeUtf8(std::string_view s, size_t* pos);
void AppendUtf8(uint32_t cp, std::string* out);
size_t CodePointLength(std::string_view s);

// STRLEN, SUBSTR, UCASE, LCASE, ENCODE_FOR_URI, CONTAINS, STRSTARTS,
// STRENDS, STRBEFORE, STRAFTER, CONCAT, REGEX, REPLACE.
Value StringFunction(std::string_view name, const std::vector<Value>& args,
                     FunctionContext& context);
bool IsStringFunction(std::string_view name);

// Trims XSD whitespace (space, tab, CR, LF) from both ends.
std::string_view TrimXsdSpace(std::string_view s);

}  // namespace kg::fn_internal

#endif  // KGSTORE_QUERY_FUNCTIONS_INTERNAL_H_
