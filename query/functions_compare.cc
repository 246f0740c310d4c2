// Effective boolean value (17.2.2), the comparison operators with the
// SPARQL operator mapping (17.3: numeric, string, boolean and date/time
// comparisons, RDFterm-equal for the rest) and the ORDER BY total order
// (15.1).

#include "query/functions.h"
#include "query/functions_internal.h"

namespace kg {
namespace {

using fn_internal::CompareDateTime;
using fn_internal::CompareNumeric;
using fn_internal::kXsdDateTime;
using fn_internal::kXsdFloat;
using fn_internal::ParseDateTimeTerm;
using fn_internal::ParseNumericTerm;

// What a term is for comparison purposes. The order of the literal
// categories is also the ORDER BY order between incomparable literals.
enum class Cat {
  kNumeric,
  kString,  // simple literal / xsd:string
  kLang,
  kBoolean,
  kDateTime,
  kDate,
  kOther,  // unknown datatype, or an ill-typed literal of a known one
  kNotLiteral,
};

std::optional<bool> ParseBoolean(std::string_view s) {
  if (s == "true" || s == "1") return true;
  if (s == "false" || s == "0") return false;
  return std::nullopt;
}

Cat Categorize(const Term& t) {
  if (!t.is_literal()) return Cat::kNotLiteral;
  if (!t.language.empty()) return Cat::kLang;
  if (t.datatype.empty()) return Cat::kString;
  if (t.datatype == kXsdBoolean) {
    return ParseBoolean(t.lexical) ? Cat::kBoolean : Cat::kOther;
  }
  if (t.datatype == kXsdDateTime || t.datatype == kXsdDate) {
    if (!ParseDateTimeTerm(t)) return Cat::kOther;
    return t.datatype == kXsdDate ? Cat::kDate : Cat::kDateTime;
  }
  if (ParseNumericTerm(t)) return Cat::kNumeric;
  return Cat::kOther;
}

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

bool Apply(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kEq:
      return c == 0;
    case CompareOp::kNe:
      return c != 0;
    case CompareOp::kLt:
      return c < 0;
    case CompareOp::kGt:
      return c > 0;
    case CompareOp::kLe:
      return c <= 0;
    case CompareOp::kGe:
      return c >= 0;
  }
  return false;
}

// Value comparison of two literals of the same comparable category:
// <0/0/>0, or std::nullopt when unordered (NaN) or indeterminate
// (date/time timezone rule).
std::optional<int> CompareSameCategory(Cat cat, const Term& a, const Term& b) {
  switch (cat) {
    case Cat::kNumeric:
      return CompareNumeric(*ParseNumericTerm(a), *ParseNumericTerm(b));
    case Cat::kString:
      // std::string compares bytes as unsigned char, which for UTF-8 is
      // code point order.
      return Cmp(a.lexical, b.lexical);
    case Cat::kBoolean:
      return Cmp(*ParseBoolean(a.lexical), *ParseBoolean(b.lexical));
    case Cat::kDateTime:
    case Cat::kDate:
      return CompareDateTime(*ParseDateTimeTerm(a), *ParseDateTimeTerm(b));
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<bool> EffectiveBooleanValue(const Value& v) {
  if (!v || !v->is_literal() || !v->language.empty()) return std::nullopt;
  const Term& t = *v;
  if (t.datatype.empty()) return !t.lexical.empty();
  if (t.datatype == kXsdBoolean) {
    // An invalid lexical form has EBV false (17.2.2).
    return ParseBoolean(t.lexical).value_or(false);
  }
  bool numeric_type = fn_internal::IsIntegerDatatype(t.datatype) ||
                      t.datatype == kXsdDecimal || t.datatype == kXsdDouble ||
                      t.datatype == kXsdFloat;
  if (numeric_type) {
    auto n = ParseNumericTerm(t);
    if (!n) return false;
    if (n->kind == fn_internal::NumKind::kFloat ||
        n->kind == fn_internal::NumKind::kDouble) {
      return !(n->dbl == 0 || n->dbl != n->dbl);
    }
    return n->dec.m != 0;
  }
  return std::nullopt;
}

std::optional<bool> Compare(CompareOp op, const Value& a, const Value& b) {
  if (!a || !b) return std::nullopt;
  Cat ca = Categorize(*a), cb = Categorize(*b);
  bool equality = op == CompareOp::kEq || op == CompareOp::kNe;
  if (ca == cb && ca != Cat::kLang && ca != Cat::kOther &&
      ca != Cat::kNotLiteral) {
    auto c = CompareSameCategory(ca, *a, *b);
    if (!c) {
      // NaN compares false with everything (so != is true); a date/time
      // comparison that depends on a missing timezone is an error.
      if (ca == Cat::kNumeric) return op == CompareOp::kNe;
      return std::nullopt;
    }
    return Apply(op, *c);
  }
  if (!equality) return std::nullopt;
  // RDFterm-equal.
  bool same = *a == *b;
  if (same) return op == CompareOp::kEq;
  if (a->is_literal() && b->is_literal() &&
      (ca == Cat::kOther || cb == Cat::kOther)) {
    // Two different literals one of which we cannot interpret: they might
    // denote the same value, so the spec makes this an error.
    return std::nullopt;
  }
  // Known, different value spaces (or different language tags, or
  // non-literals): definitely different terms.
  return op == CompareOp::kNe;
}

int OrderCompare(const Value& a, const Value& b) {
  auto rank = [](const Value& v) {
    if (!v) return 0;
    if (v->is_blank()) return 1;
    if (v->is_iri()) return 2;
    return 3;
  };
  int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) return 0;
  if (ra < 3) return Cmp(a->lexical, b->lexical);
  Cat ca = Categorize(*a), cb = Categorize(*b);
  if (ca != cb) return ca < cb ? -1 : 1;
  int c = 0;
  switch (ca) {
    case Cat::kNumeric: {
      auto x = ParseNumericTerm(*a), y = ParseNumericTerm(*b);
      auto r = CompareNumeric(*x, *y);
      if (r) {
        c = *r;
      } else {
        // NaN sorts before every number so the order stays total.
        bool nx = x->AsDouble() != x->AsDouble();
        bool ny = y->AsDouble() != y->AsDouble();
        c = nx == ny ? 0 : (nx ? -1 : 1);
      }
      break;
    }
    case Cat::kDateTime:
    case Cat::kDate:
      // Values without a timezone are ordered as if UTC: a total order,
      // which the indeterminate XSD comparison is not.
      c = fn_internal::OrderDateTime(*ParseDateTimeTerm(*a),
                                     *ParseDateTimeTerm(*b));
      break;
    case Cat::kString:
    case Cat::kBoolean:
      c = *CompareSameCategory(ca, *a, *b);
      break;
    case Cat::kOther:
      c = Cmp(a->datatype, b->datatype);
      break;
    default:
      break;
  }
  if (c != 0) return c;
  // Deterministic tie-break for equal values with different terms (1 and
  // 1.0) and for language-tagged literals.
  if (int d = Cmp(a->lexical, b->lexical)) return d;
  if (int d = Cmp(a->language, b->language)) return d;
  return Cmp(a->datatype, b->datatype);
}

}  // namespace kg
