// Inline literal encodings and the compact key encoding of TermIds.

#include "storage/term_id.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kg {
namespace {

constexpr uint64_t kSignOffset = uint64_t{1} << 55;
constexpr int64_t kInlineIntMin = -(int64_t{1} << 55);
constexpr int64_t kInlineIntMax = (int64_t{1} << 55) - 1;
constexpr int64_t kDecimalScale = 1000000;
// Inline decimals: payload = ((value * 10^6 + 2^54) << 1) | integral_form,
// so |value * 10^6| < 2^54.
constexpr uint64_t kDecimalOffset = uint64_t{1} << 54;
constexpr int64_t kDecimalScaledMax = (int64_t{1} << 54) - 1;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Canonical xsd:integer: optional '-', no leading zeros, not "-0".
bool ParseCanonicalInteger(std::string_view s, int64_t* v) {
  if (s.empty()) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size() || s.size() - i > 18) return false;
  if (s[i] == '0' && s.size() - i > 1) return false;
  if (s[i] == '0' && i == 1) return false;  // "-0"
  int64_t value = 0;
  for (size_t k = i; k < s.size(); ++k) {
    if (!IsDigit(s[k])) return false;
    value = value * 10 + (s[k] - '0');
  }
  *v = i ? -value : value;
  return true;
}

std::string FormatDecimal(int64_t scaled) {
  bool negative = scaled < 0;
  uint64_t magnitude = negative ? uint64_t(-scaled) : uint64_t(scaled);
  uint64_t whole = magnitude / kDecimalScale;
  uint64_t frac = magnitude % kDecimalScale;
  std::string out = negative ? "-" : "";
  absl::StrAppend(&out, whole, ".");
  char digits[7];
  std::snprintf(digits, sizeof digits, "%06llu",
                static_cast<unsigned long long>(frac));
  int len = 6;
  while (len > 1 && digits[len - 1] == '0') --len;
  out.append(digits, len);
  return out;
}

// Canonical xsd:decimal as FormatDecimal prints it: "-"? digits "." digits,
// no leading zeros in the whole part (except a lone 0), at least one
// fraction digit, no trailing zero unless it is the only fraction digit.
bool ParseCanonicalDecimal(std::string_view s, int64_t* scaled) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return false;
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = s.substr(dot + 1);
  bool negative = !whole.empty() && whole[0] == '-';
  if (negative) whole.remove_prefix(1);
  if (whole.empty() || whole.size() > 11 || frac.empty() || frac.size() > 6)
    return false;
  if (whole[0] == '0' && whole.size() > 1) return false;
  int64_t w = 0, f = 0;
  for (char c : whole) {
    if (!IsDigit(c)) return false;
    w = w * 10 + (c - '0');
  }
  for (char c : frac) {
    if (!IsDigit(c)) return false;
    f = f * 10 + (c - '0');
  }
  for (size_t k = frac.size(); k < 6; ++k) f *= 10;
  int64_t v = w * kDecimalScale + f;
  if (v > kDecimalScaledMax) return false;
  if (negative) {
    if (v == 0) return false;  // "-0.0" is not canonical
    v = -v;
  }
  if (FormatDecimal(v) != s) return false;
  *scaled = v;
  return true;
}

// An integral xsd:decimal written without a decimal point, in the form of
// a canonical integer ("42", "-7"; XSD 1.1's canonical form of an integral
// decimal), within the inline range.
bool ParseIntegralDecimal(std::string_view s, int64_t* scaled) {
  int64_t v;
  if (!ParseCanonicalInteger(s, &v)) return false;
  if (v > kDecimalScaledMax / kDecimalScale ||
      v < -(kDecimalScaledMax / kDecimalScale))
    return false;
  *scaled = v * kDecimalScale;
  return true;
}

TermId DecimalId(int64_t scaled, bool integral_form) {
  return MakeId(TermTag::kInlineDecimal,
                ((static_cast<uint64_t>(scaled) + kDecimalOffset) << 1) |
                    (integral_form ? 1 : 0));
}

// Days since 0001-01-01 in the proleptic Gregorian calendar.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;  // since 1970
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

const int64_t kDay0 = DaysFromCivil(1, 1, 1);

bool ParseCanonicalDate(std::string_view s, uint64_t* payload) {
  // YYYY-MM-DD exactly, year 0001..9999, valid day of month.
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!IsDigit(s[i])) return false;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
          (s[3] - '0');
  unsigned m = (s[5] - '0') * 10 + (s[6] - '0');
  unsigned d = (s[8] - '0') * 10 + (s[9] - '0');
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  unsigned max_day = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > max_day) return false;
  *payload = static_cast<uint64_t>(DaysFromCivil(y, m, d) - kDay0);
  return true;
}

}  // namespace

TermTag DictionaryTagFor(const Term& term) {
  switch (term.kind) {
    case TermKind::kIri:
      return TermTag::kIri;
    case TermKind::kBlankNode:
      return TermTag::kBlankNode;
    case TermKind::kLiteral:
      if (!term.language.empty()) return TermTag::kLangLiteral;
      if (term.datatype.empty()) return TermTag::kSimpleLiteral;
      return TermTag::kTypedLiteral;
  }
  return TermTag::kIri;
}

std::optional<TermId> InlineIntegerId(int64_t v) {
  if (v < kInlineIntMin || v > kInlineIntMax) return std::nullopt;
  return MakeId(TermTag::kInlineInteger,
                static_cast<uint64_t>(v) + kSignOffset);
}

std::optional<TermId> TryInline(const Term& term) {
  if (term.kind != TermKind::kLiteral || !term.language.empty())
    return std::nullopt;
  const std::string& lex = term.lexical;
  if (term.datatype.empty()) {
    if (lex.size() > 7 || lex.find('\0') != std::string::npos)
      return std::nullopt;
    uint64_t payload = 0;
    for (size_t i = 0; i < 7; ++i) {
      payload <<= 8;
      if (i < lex.size()) payload |= static_cast<unsigned char>(lex[i]);
    }
    return MakeId(TermTag::kInlineString, payload);
  }
  if (term.datatype.size() <= kXsd.size() ||
      term.datatype.compare(0, kXsd.size(), kXsd) != 0)
    return std::nullopt;
  std::string_view local = std::string_view(term.datatype).substr(kXsd.size());
  if (local == "integer") {
    int64_t v;
    if (ParseCanonicalInteger(lex, &v)) return InlineIntegerId(v);
  } else if (local == "boolean") {
    if (lex == "true") return MakeId(TermTag::kInlineBoolean, 1);
    if (lex == "false") return MakeId(TermTag::kInlineBoolean, 0);
  } else if (local == "date") {
    uint64_t payload;
    if (ParseCanonicalDate(lex, &payload))
      return MakeId(TermTag::kInlineDate, payload);
  } else if (local == "decimal") {
    int64_t scaled;
    if (ParseCanonicalDecimal(lex, &scaled)) return DecimalId(scaled, false);
    if (ParseIntegralDecimal(lex, &scaled)) return DecimalId(scaled, true);
  }
  return std::nullopt;
}

bool DecodeInline(TermId id, Term* out) {
  uint64_t payload = PayloadOf(id);
  out->kind = TermKind::kLiteral;
  out->language.clear();
  switch (TagOf(id)) {
    case TermTag::kInlineInteger:
      out->datatype.assign(kXsdInteger);
      out->lexical = absl::StrCat(static_cast<int64_t>(payload - kSignOffset));
      return true;
    case TermTag::kInlineBoolean:
      if (payload > 1) return false;
      out->datatype.assign(kXsdBoolean);
      out->lexical = payload ? "true" : "false";
      return true;
    case TermTag::kInlineDate: {
      int64_t y;
      unsigned m, d;
      CivilFromDays(static_cast<int64_t>(payload) + kDay0, &y, &m, &d);
      if (y < 1 || y > 9999) return false;
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(y), m,
                    d);
      out->datatype.assign(kXsdDate);
      out->lexical = buf;
      return true;
    }
    case TermTag::kInlineString: {
      out->datatype.clear();
      out->lexical.clear();
      for (int i = 6; i >= 0; --i) {
        char c = static_cast<char>((payload >> (8 * i)) & 0xff);
        if (c == '\0') break;
        out->lexical.push_back(c);
      }
      return true;
    }
    case TermTag::kInlineDecimal: {
      const int64_t scaled = static_cast<int64_t>((payload >> 1) - kDecimalOffset);
      out->datatype.assign(kXsdDecimal);
      if (payload & 1) {
        if (scaled % kDecimalScale != 0) return false;
        out->lexical = absl::StrCat(scaled / kDecimalScale);
      } else {
        out->lexical = FormatDecimal(scaled);
      }
      return true;
    }
    default:
      return false;
  }
}

std::optional<__int128> InlineNumericScaled(TermId id) {
  const uint64_t payload = PayloadOf(id);
  switch (TagOf(id)) {
    case TermTag::kInlineInteger:
      return static_cast<__int128>(static_cast<int64_t>(payload - kSignOffset)) *
             kDecimalScale;
    case TermTag::kInlineDecimal:
      return static_cast<int64_t>((payload >> 1) - kDecimalOffset);
    default:
      return std::nullopt;
  }
}

bool InlineNumericIdRange(TermTag tag, std::optional<__int128> lo,
                          std::optional<__int128> hi, TermId* lo_id,
                          TermId* hi_id) {
  __int128 min_scaled, max_scaled, unit;
  if (tag == TermTag::kInlineInteger) {
    unit = kDecimalScale;
    min_scaled = static_cast<__int128>(kInlineIntMin) * unit;
    max_scaled = static_cast<__int128>(kInlineIntMax) * unit;
  } else if (tag == TermTag::kInlineDecimal) {
    unit = 1;
    min_scaled = -kDecimalScaledMax;
    max_scaled = kDecimalScaledMax;
  } else {
    return false;
  }
  __int128 a = lo ? std::max(*lo, min_scaled) : min_scaled;
  __int128 b = hi ? std::min(*hi, max_scaled) : max_scaled;
  if (tag == TermTag::kInlineInteger) {
    // Round inwards to whole numbers (a up, b down).
    auto floor_div = [](__int128 x, __int128 d) {
      __int128 q = x / d;
      return (x % d != 0 && x < 0) ? q - 1 : q;
    };
    __int128 ia = -floor_div(-a, unit), ib = floor_div(b, unit);
    if (ia > ib) return false;
    *lo_id = MakeId(tag, static_cast<uint64_t>(static_cast<int64_t>(ia)) +
                             kSignOffset);
    *hi_id = MakeId(tag, static_cast<uint64_t>(static_cast<int64_t>(ib)) +
                             kSignOffset);
    return true;
  }
  if (a > b) return false;
  *lo_id = DecimalId(static_cast<int64_t>(a), false);
  *hi_id = DecimalId(static_cast<int64_t>(b), true);
  return true;
}

size_t EncodeId(TermId id, char* buf) {
  uint64_t payload = PayloadOf(id);
  int n = 0;
  for (uint64_t p = payload; p != 0; p >>= 8) ++n;
  buf[0] = static_cast<char>((static_cast<uint8_t>(TagOf(id)) << 3) | n);
  for (int i = 0; i < n; ++i)
    buf[1 + i] = static_cast<char>((payload >> (8 * (n - 1 - i))) & 0xff);
  return 1 + n;
}

void AppendEncodedId(TermId id, std::string* out) {
  char buf[kMaxEncodedIdSize];
  out->append(buf, EncodeId(id, buf));
}

bool DecodeId(std::string_view* in, TermId* id) {
  if (in->empty()) return false;
  uint8_t header = static_cast<uint8_t>((*in)[0]);
  int n = header & 7;
  uint8_t tag = header >> 3;
  if (in->size() < static_cast<size_t>(1 + n)) return false;
  uint64_t payload = 0;
  for (int i = 0; i < n; ++i)
    payload = (payload << 8) | static_cast<uint8_t>((*in)[1 + i]);
  *id = (uint64_t{tag} << kTagShift) | payload;
  in->remove_prefix(1 + n);
  return true;
}

void SerializeTerm(const Term& term, std::string* out) {
  TermTag tag = DictionaryTagFor(term);
  out->push_back(static_cast<char>(tag));
  switch (tag) {
    case TermTag::kLangLiteral:
      out->append(term.language);
      out->push_back('\0');
      break;
    case TermTag::kTypedLiteral:
      out->append(term.datatype);
      out->push_back('\0');
      break;
    default:
      break;
  }
  out->append(term.lexical);
}

bool DeserializeTerm(std::string_view bytes, Term* out) {
  if (bytes.empty()) return false;
  TermTag tag = static_cast<TermTag>(bytes[0]);
  bytes.remove_prefix(1);
  out->datatype.clear();
  out->language.clear();
  switch (tag) {
    case TermTag::kIri:
      out->kind = TermKind::kIri;
      out->lexical.assign(bytes);
      return true;
    case TermTag::kBlankNode:
      out->kind = TermKind::kBlankNode;
      out->lexical.assign(bytes);
      return true;
    case TermTag::kSimpleLiteral:
      out->kind = TermKind::kLiteral;
      out->lexical.assign(bytes);
      return true;
    case TermTag::kLangLiteral:
    case TermTag::kTypedLiteral: {
      size_t nul = bytes.find('\0');
      if (nul == std::string_view::npos) return false;
      out->kind = TermKind::kLiteral;
      (tag == TermTag::kLangLiteral ? out->language : out->datatype)
          .assign(bytes.substr(0, nul));
      out->lexical.assign(bytes.substr(nul + 1));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace kg
