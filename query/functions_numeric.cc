// Numeric values for SPARQL expressions: XSD lexical parsing (with the range
// facets of the derived integer types), canonical formatting, type
// promotion (integer < decimal < float < double, XPath 2.0 B.1), the
// arithmetic operators, ABS/CEIL/FLOOR/ROUND/RAND and casts to numerics.
//
// Integers and decimals are exact (128-bit scaled mantissa); results that
// overflow it are expression errors instead of silently rounded values.

#include <charconv>
#include <cmath>
#include <limits>

#include "query/functions.h"
#include "query/functions_internal.h"

namespace kg {
namespace fn_internal {
namespace {

constexpr __int128 kInt128Max =
    static_cast<__int128>((static_cast<unsigned __int128>(1) << 127) - 1);

__int128 Pow10(int n) {
  __int128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

bool MulOverflow(__int128 a, __int128 b, __int128* out) {
  return __builtin_mul_overflow(a, b, out);
}

// Drops trailing zero digits of the fraction so equal values share one
// representation.
Decimal Normalize(Decimal d) {
  while (d.scale > 0 && d.m % 10 == 0) {
    d.m /= 10;
    --d.scale;
  }
  return d;
}

// Brings `d` to `scale` (>= d.scale); false on overflow.
bool Rescale(const Decimal& d, int scale, __int128* out) {
  return !MulOverflow(d.m, Pow10(scale - d.scale), out);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

struct IntRange {
  std::string_view local;
  __int128 min, max;
};

constexpr __int128 kNoMin = -kInt128Max - 1;
constexpr __int128 kNoMax = kInt128Max;

const IntRange kIntegerTypes[] = {
    {"integer", kNoMin, kNoMax},
    {"nonPositiveInteger", kNoMin, 0},
    {"negativeInteger", kNoMin, -1},
    {"long", std::numeric_limits<int64_t>::min(),
     std::numeric_limits<int64_t>::max()},
    {"int", std::numeric_limits<int32_t>::min(),
     std::numeric_limits<int32_t>::max()},
    {"short", -32768, 32767},
    {"byte", -128, 127},
    {"nonNegativeInteger", 0, kNoMax},
    {"unsignedLong", 0, std::numeric_limits<uint64_t>::max()},
    {"unsignedInt", 0, std::numeric_limits<uint32_t>::max()},
    {"unsignedShort", 0, 65535},
    {"unsignedByte", 0, 255},
    {"positiveInteger", 1, kNoMax},
};

const IntRange* FindIntegerType(std::string_view datatype) {
  if (datatype.substr(0, kXsd.size()) != kXsd) return nullptr;
  std::string_view local = datatype.substr(kXsd.size());
  for (const IntRange& r : kIntegerTypes) {
    if (r.local == local) return &r;
  }
  return nullptr;
}

// splitmix64: a tiny, well-mixed generator for RAND().
uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Rounds a double to float precision; values beyond the float range become
// +-INF explicitly (the plain conversion is undefined behaviour there).
double ToFloatRange(double v) {
  if (std::isfinite(v) && std::fabs(v) > std::numeric_limits<float>::max()) {
    return v > 0 ? std::numeric_limits<double>::infinity()
                 : -std::numeric_limits<double>::infinity();
  }
  return static_cast<float>(v);
}

// Floor division of the decimal to an integer-valued decimal.
Decimal DecFloor(const Decimal& d) {
  if (d.scale == 0) return d;
  __int128 p = Pow10(d.scale);
  __int128 q = d.m / p;
  if (d.m % p != 0 && d.m < 0) --q;
  return Decimal{q, 0};
}

Decimal DecCeil(const Decimal& d) {
  if (d.scale == 0) return d;
  __int128 p = Pow10(d.scale);
  __int128 q = d.m / p;
  if (d.m % p != 0 && d.m > 0) ++q;
  return Decimal{q, 0};
}

// fn:round: half toward positive infinity, i.e. floor(x + 0.5).
Decimal DecRound(const Decimal& d) {
  if (d.scale == 0) return d;
  __int128 half = 5 * Pow10(d.scale - 1);
  __int128 shifted;
  if (__builtin_add_overflow(d.m, half, &shifted)) return DecFloor(d);
  return DecFloor(Decimal{shifted, d.scale});
}

std::optional<Decimal> DecAdd(const Decimal& a, const Decimal& b) {
  int scale = std::max(a.scale, b.scale);
  __int128 x, y, r;
  if (!Rescale(a, scale, &x) || !Rescale(b, scale, &y)) return std::nullopt;
  if (__builtin_add_overflow(x, y, &r)) return std::nullopt;
  return Normalize(Decimal{r, scale});
}

std::optional<Decimal> DecMul(const Decimal& a, const Decimal& b) {
  __int128 r;
  if (MulOverflow(a.m, b.m, &r)) return std::nullopt;
  Decimal d = Normalize(Decimal{r, a.scale + b.scale});
  // Truncate excess precision beyond kMaxScale.
  while (d.scale > kMaxScale) {
    d.m /= 10;
    --d.scale;
  }
  return d;
}

// Division with up to kMaxScale fractional digits (truncated), as XPath
// leaves decimal division precision implementation-defined.
std::optional<Decimal> DecDiv(const Decimal& a, const Decimal& b) {
  if (b.m == 0) return std::nullopt;
  // Result scale = a.scale + k - b.scale; aim for kMaxScale, shrink k if
  // the scaled numerator would overflow.
  int k = kMaxScale - a.scale + b.scale;
  if (k < 0) k = 0;
  if (k > 38) k = 38;  // 10^38 is the largest power of ten in an __int128
  __int128 num;
  while (k > 0 && MulOverflow(a.m, Pow10(k), &num)) --k;
  if (k == 0) num = a.m;
  __int128 q = num / b.m;
  int scale = a.scale + k - b.scale;
  if (scale < 0) {
    __int128 r;
    if (MulOverflow(q, Pow10(-scale), &r)) return std::nullopt;
    return Decimal{r, 0};
  }
  return Normalize(Decimal{q, scale});
}

int DecCompare(const Decimal& a, const Decimal& b) {
  int scale = std::max(a.scale, b.scale);
  __int128 x, y;
  if (Rescale(a, scale, &x) && Rescale(b, scale, &y)) {
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  // Only reachable with huge magnitudes, where the integer parts differ.
  long double da = static_cast<long double>(a.m) / std::pow(10.0L, a.scale);
  long double db = static_cast<long double>(b.m) / std::pow(10.0L, b.scale);
  return da < db ? -1 : (da > db ? 1 : 0);
}

std::optional<Decimal> DoubleToDecimal(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  // The shortest round-trip digits, as written in fixed notation.
  char buf[400];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  if (res.ec != std::errc()) return std::nullopt;
  std::string_view s(buf, res.ptr - buf);
  // Fixed notation of very small numbers may exceed kMaxScale digits:
  // truncate the fraction.
  size_t dot = s.find('.');
  if (dot != std::string_view::npos && s.size() - dot - 1 > kMaxScale) {
    s = s.substr(0, dot + 1 + kMaxScale);
  }
  return ParseDecimalLexical(s);
}

Value MakeDouble(double v, NumKind kind) {
  Numeric n;
  n.kind = kind;
  n.dbl = kind == NumKind::kFloat ? ToFloatRange(v) : v;
  return NumericToTerm(n);
}

}  // namespace

double Numeric::AsDouble() const {
  if (kind == NumKind::kFloat || kind == NumKind::kDouble) return dbl;
  return static_cast<double>(static_cast<long double>(dec.m) /
                             std::pow(10.0L, dec.scale));
}

std::string_view TrimXsdSpace(std::string_view s) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<Decimal> ParseIntegerLexical(std::string_view text) {
  size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    neg = text[i] == '-';
    ++i;
  }
  if (i == text.size()) return std::nullopt;
  __int128 v = 0;
  for (; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return std::nullopt;
    if (MulOverflow(v, 10, &v) ||
        __builtin_add_overflow(v, text[i] - '0', &v)) {
      return std::nullopt;
    }
  }
  return Decimal{neg ? -v : v, 0};
}

std::optional<Decimal> ParseDecimalLexical(std::string_view text) {
  size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    neg = text[i] == '-';
    ++i;
  }
  __int128 v = 0;
  int scale = 0;
  int digits = 0;
  bool seen_dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (seen_dot) return std::nullopt;
      seen_dot = true;
      continue;
    }
    if (!IsDigit(c)) return std::nullopt;
    ++digits;
    __int128 next;
    if (MulOverflow(v, 10, &next) ||
        __builtin_add_overflow(next, c - '0', &next) ||
        (seen_dot && scale >= kMaxScale)) {
      if (seen_dot) continue;  // excess fraction digits: truncate
      return std::nullopt;     // integer part too large
    }
    v = next;
    if (seen_dot) ++scale;
  }
  if (digits == 0) return std::nullopt;
  return Normalize(Decimal{neg ? -v : v, scale});
}

std::optional<double> ParseDoubleLexical(std::string_view text, bool is_float) {
  if (text == "INF" || text == "+INF") {
    return std::numeric_limits<double>::infinity();
  }
  if (text == "-INF") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  // Validate the XSD grammar: sign? (digits (. digits?)? | . digits) exp?
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t mant_digits = 0;
  while (i < text.size() && IsDigit(text[i])) ++i, ++mant_digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i, ++mant_digits;
  }
  if (mant_digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < text.size() && IsDigit(text[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  std::string_view body = text;
  if (!body.empty() && body[0] == '+') body.remove_prefix(1);
  // from_chars gives correctly rounded values; out-of-range values are
  // reported as errors, which XSD maps to +-INF / 0.
  double d = 0;
  auto res = std::from_chars(body.data(), body.data() + body.size(), d);
  if (res.ec == std::errc::result_out_of_range) {
    return std::strtod(std::string(body).c_str(), nullptr);
  }
  if (res.ec != std::errc()) return std::nullopt;
  if (is_float) return ToFloatRange(d);
  return d;
}

bool IsIntegerDatatype(std::string_view datatype) {
  return FindIntegerType(datatype) != nullptr;
}

bool IntegerInRange(std::string_view datatype, __int128 v) {
  const IntRange* r = FindIntegerType(datatype);
  return r != nullptr && v >= r->min && v <= r->max;
}

std::optional<Numeric> ParseNumericTerm(const Term& term) {
  if (!term.is_literal() || term.datatype.empty()) return std::nullopt;
  const std::string& dt = term.datatype;
  Numeric n;
  if (dt == kXsdDouble || dt == kXsdFloat) {
    bool is_float = dt == kXsdFloat;
    auto d = ParseDoubleLexical(term.lexical, is_float);
    if (!d) return std::nullopt;
    n.kind = is_float ? NumKind::kFloat : NumKind::kDouble;
    n.dbl = *d;
    return n;
  }
  if (dt == kXsdDecimal) {
    auto d = ParseDecimalLexical(term.lexical);
    if (!d) return std::nullopt;
    n.kind = NumKind::kDecimal;
    n.dec = *d;
    return n;
  }
  if (const IntRange* r = FindIntegerType(dt)) {
    auto d = ParseIntegerLexical(term.lexical);
    if (!d || d->m < r->min || d->m > r->max) return std::nullopt;
    n.kind = NumKind::kInteger;
    n.dec = *d;
    return n;
  }
  return std::nullopt;
}

std::string FormatInteger(__int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  unsigned __int128 u = neg ? -static_cast<unsigned __int128>(v)
                            : static_cast<unsigned __int128>(v);
  std::string s;
  while (u > 0) {
    s.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  if (neg) s.push_back('-');
  return std::string(s.rbegin(), s.rend());
}

std::string FormatDecimal(const Decimal& in) {
  Decimal d = Normalize(in);
  bool neg = d.m < 0;
  unsigned __int128 u = neg ? -static_cast<unsigned __int128>(d.m)
                            : static_cast<unsigned __int128>(d.m);
  std::string digits = FormatInteger(static_cast<__int128>(u));
  if (static_cast<int>(digits.size()) <= d.scale) {
    digits.insert(0, d.scale - digits.size() + 1, '0');
  }
  std::string out = neg && u != 0 ? "-" : "";
  out.append(digits, 0, digits.size() - d.scale);
  out.push_back('.');
  // XSD 1.0 canonical decimal: at least one digit after the point.
  out.append(d.scale == 0 ? "0" : digits.substr(digits.size() - d.scale));
  return out;
}

namespace {

// Converts to_chars scientific output ("1.5e+02") to the XSD canonical
// mantissa/exponent form ("1.5E2").
std::string CanonicalScientific(std::string_view s) {
  size_t e = s.find('e');
  std::string mant(s.substr(0, e));
  if (mant.find('.') == std::string::npos) mant += ".0";
  std::string_view exp = s.substr(e + 1);
  bool neg = !exp.empty() && exp[0] == '-';
  if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) exp.remove_prefix(1);
  while (exp.size() > 1 && exp[0] == '0') exp.remove_prefix(1);
  return mant + "E" + (neg ? "-" : "") + std::string(exp);
}

}  // namespace

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  if (v == 0) return std::signbit(v) ? "-0.0E0" : "0.0E0";
  char buf[64];
  auto res =
      std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  return CanonicalScientific(std::string_view(buf, res.ptr - buf));
}

std::string FormatFloat(float v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  if (v == 0) return std::signbit(v) ? "-0.0E0" : "0.0E0";
  char buf[64];
  auto res =
      std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  return CanonicalScientific(std::string_view(buf, res.ptr - buf));
}

Term NumericToTerm(const Numeric& n) {
  switch (n.kind) {
    case NumKind::kInteger:
      return Term::Literal(FormatInteger(n.dec.m), std::string(kXsdInteger));
    case NumKind::kDecimal:
      return Term::Literal(FormatDecimal(n.dec), std::string(kXsdDecimal));
    case NumKind::kFloat:
      return Term::Literal(FormatFloat(static_cast<float>(n.dbl)),
                           std::string(kXsdFloat));
    case NumKind::kDouble:
      break;
  }
  return Term::Literal(FormatDouble(n.dbl), std::string(kXsdDouble));
}

Term IntegerTerm(int64_t v) {
  return Term::Literal(FormatInteger(v), std::string(kXsdInteger));
}

std::optional<int> CompareNumeric(const Numeric& a, const Numeric& b) {
  if (a.kind <= NumKind::kDecimal && b.kind <= NumKind::kDecimal) {
    return DecCompare(a.dec, b.dec);
  }
  double x = a.AsDouble(), y = b.AsDouble();
  if (std::isnan(x) || std::isnan(y)) return std::nullopt;
  return x < y ? -1 : (x > y ? 1 : 0);
}

double RoundHalfUp(double v) {
  if (!std::isfinite(v)) return v;
  double f = std::floor(v);
  double diff = v - f;  // exact for doubles in [f, f+1)
  double r = diff >= 0.5 ? f + 1 : f;
  // fn:round(-0.5) is -0 and rounding keeps the sign of negative values.
  if (r == 0 && v < 0) return -0.0;
  return r;
}

}  // namespace fn_internal

using namespace fn_internal;  // NOLINT: this file implements them.

bool IsNumeric(const Term& term) { return ParseNumericTerm(term).has_value(); }

Value Arithmetic(ArithOp op, const Value& a, const Value& b) {
  if (!a || !b) return std::nullopt;
  auto x = ParseNumericTerm(*a);
  auto y = ParseNumericTerm(*b);
  if (!x || !y) return std::nullopt;
  NumKind kind = std::max(x->kind, y->kind);
  if (kind <= NumKind::kDecimal) {
    std::optional<Decimal> r;
    switch (op) {
      case ArithOp::kAdd:
        r = DecAdd(x->dec, y->dec);
        break;
      case ArithOp::kSub: {
        Decimal neg = y->dec;
        neg.m = -neg.m;
        r = DecAdd(x->dec, neg);
        break;
      }
      case ArithOp::kMul:
        r = DecMul(x->dec, y->dec);
        break;
      case ArithOp::kDiv:
        // op:numeric-divide on integers returns xsd:decimal.
        kind = NumKind::kDecimal;
        r = DecDiv(x->dec, y->dec);
        break;
    }
    if (!r) return std::nullopt;
    Numeric n;
    n.kind = kind;
    n.dec = *r;
    return NumericToTerm(n);
  }
  double u = x->AsDouble(), v = y->AsDouble();
  if (kind == NumKind::kFloat) {
    u = ToFloatRange(u);
    v = ToFloatRange(v);
  }
  double r = 0;
  switch (op) {
    case ArithOp::kAdd:
      r = u + v;
      break;
    case ArithOp::kSub:
      r = u - v;
      break;
    case ArithOp::kMul:
      r = u * v;
      break;
    case ArithOp::kDiv:
      r = u / v;  // IEEE: INF / NaN on zero divisors, as XPath says
      break;
  }
  return MakeDouble(r, kind);
}

Value Negate(const Value& a) {
  if (!a) return std::nullopt;
  auto x = ParseNumericTerm(*a);
  if (!x) return std::nullopt;
  if (x->kind <= NumKind::kDecimal) {
    if (x->dec.m == -kInt128Max - 1) return std::nullopt;
    x->dec.m = -x->dec.m;
  } else {
    x->dbl = -x->dbl;
  }
  return NumericToTerm(*x);
}

Value UnaryPlus(const Value& a) {
  if (!a) return std::nullopt;
  auto x = ParseNumericTerm(*a);
  if (!x) return std::nullopt;
  // Derived integer types become xsd:integer, like any numeric operator.
  return NumericToTerm(*x);
}

namespace fn_internal {

Value NumericFunction(std::string_view name, const std::vector<Value>& args,
                      FunctionContext& context) {
  if (name == "RAND") {
    if (!args.empty()) return std::nullopt;
    uint64_t bits = SplitMix(&context.rand_state);
    double r = static_cast<double>(bits >> 11) * 0x1.0p-53;
    return Term::Literal(FormatDouble(r), std::string(kXsdDouble));
  }
  if (args.size() != 1 || !args[0]) return std::nullopt;
  auto x = ParseNumericTerm(*args[0]);
  if (!x) return std::nullopt;
  if (x->kind <= NumKind::kDecimal) {
    Decimal& d = x->dec;
    if (name == "ABS") {
      if (d.m == -kInt128Max - 1) return std::nullopt;
      if (d.m < 0) d.m = -d.m;
    } else if (name == "CEIL") {
      d = DecCeil(d);
    } else if (name == "FLOOR") {
      d = DecFloor(d);
    } else if (name == "ROUND") {
      d = DecRound(d);
    } else {
      return std::nullopt;
    }
    return NumericToTerm(*x);
  }
  double& v = x->dbl;
  if (name == "ABS") {
    v = std::fabs(v);
  } else if (name == "CEIL") {
    v = std::ceil(v);
  } else if (name == "FLOOR") {
    v = std::floor(v);
  } else if (name == "ROUND") {
    v = RoundHalfUp(v);
  } else {
    return std::nullopt;
  }
  return NumericToTerm(*x);
}

Value CastToNumeric(std::string_view target, const Term& term) {
  if (!term.is_literal() || !term.language.empty()) return std::nullopt;
  bool to_integer = IsIntegerDatatype(target);
  bool to_float = target == kXsdFloat;
  bool to_double = target == kXsdDouble;
  bool to_decimal = target == kXsdDecimal;
  if (!to_integer && !to_float && !to_double && !to_decimal) {
    return std::nullopt;
  }
  Numeric n;
  if (term.datatype.empty()) {
    // From xsd:string: the target's lexical space, after whitespace
    // collapsing (XSD whitespace facet).
    std::string_view s = TrimXsdSpace(term.lexical);
    if (to_integer) {
      auto d = ParseIntegerLexical(s);
      if (!d) return std::nullopt;
      n.kind = NumKind::kInteger;
      n.dec = *d;
    } else if (to_decimal) {
      auto d = ParseDecimalLexical(s);
      if (!d) return std::nullopt;
      n.kind = NumKind::kDecimal;
      n.dec = *d;
    } else {
      auto d = ParseDoubleLexical(s, to_float);
      if (!d) return std::nullopt;
      n.kind = to_float ? NumKind::kFloat : NumKind::kDouble;
      n.dbl = *d;
    }
  } else if (term.datatype == kXsdBoolean) {
    std::string_view s = term.lexical;
    int b;
    if (s == "true" || s == "1") {
      b = 1;
    } else if (s == "false" || s == "0") {
      b = 0;
    } else {
      return std::nullopt;
    }
    if (to_integer || to_decimal) {
      n.kind = to_integer ? NumKind::kInteger : NumKind::kDecimal;
      n.dec = Decimal{b, 0};
    } else {
      n.kind = to_float ? NumKind::kFloat : NumKind::kDouble;
      n.dbl = b;
    }
  } else {
    auto x = ParseNumericTerm(term);
    if (!x) return std::nullopt;
    bool from_exact = x->kind <= NumKind::kDecimal;
    if (to_integer) {
      n.kind = NumKind::kInteger;
      if (from_exact) {
        // Truncation toward zero.
        n.dec = Decimal{x->dec.m / Pow10(x->dec.scale), 0};
      } else {
        double t = std::trunc(x->dbl);
        if (!std::isfinite(t) || std::fabs(t) > 1e38) return std::nullopt;
        n.dec = Decimal{static_cast<__int128>(t), 0};
      }
    } else if (to_decimal) {
      n.kind = NumKind::kDecimal;
      if (from_exact) {
        n.dec = x->dec;
      } else {
        auto d = DoubleToDecimal(x->dbl);
        if (!d) return std::nullopt;
        n.dec = *d;
      }
    } else {
      n.kind = to_float ? NumKind::kFloat : NumKind::kDouble;
      double v = x->AsDouble();
      n.dbl = to_float ? ToFloatRange(v) : v;
    }
  }
  if (to_integer) {
    if (!IntegerInRange(target, n.dec.m)) return std::nullopt;
    // Casts to a derived type keep that datatype (canonical lexical form).
    return Term::Literal(FormatInteger(n.dec.m), std::string(target));
  }
  return NumericToTerm(n);
}

}  // namespace fn_internal
}  // namespace kg
