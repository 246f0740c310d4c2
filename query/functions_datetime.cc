// xsd:dateTime and xsd:date values: lexical parsing and validation,
// comparison with the XSD timezone rules (3.2.7.4: values with timezones
// are compared in UTC; a value without a timezone is compared with one that
// has a timezone only when the result is the same for every timezone within
// +-14:00, otherwise the comparison is indeterminate, which SPARQL treats as
// an error), the YEAR .. TZ accessors and casts to date/time types.

#include <cstdio>

#include "query/functions.h"
#include "query/functions_internal.h"

namespace kg::fn_internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `*i`.
bool ReadDigits(std::string_view s, size_t* i, int n, int* out) {
  if (*i + n > s.size()) return false;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    char c = s[*i + k];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *i += n;
  *out = v;
  return true;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// A point on the time line: seconds and 18-digit fraction.
struct Instant {
  int64_t seconds;
  int64_t frac;
};

int CompareInstant(const Instant& a, const Instant& b) {
  if (a.seconds != b.seconds) return a.seconds < b.seconds ? -1 : 1;
  if (a.frac != b.frac) return a.frac < b.frac ? -1 : 1;
  return 0;
}

// The instant of `dt` in UTC, with `tz_minutes` used as its offset.
Instant ToInstant(const DateTime& dt, int tz_minutes) {
  int64_t days = DaysFromCivil(dt.year, dt.month, dt.day);
  int64_t secs = days * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second -
                 static_cast<int64_t>(tz_minutes) * 60;
  int64_t frac = 0;
  for (int i = 0; i < 18; ++i) {
    frac =
        frac * 10 +
        (i < static_cast<int>(dt.fraction.size()) ? dt.fraction[i] - '0' : 0);
  }
  return {secs, frac};
}

std::string Pad2(int v) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%02d", v);
  return buf;
}

std::string FormatTz(const DateTime& dt) {
  if (!dt.has_tz) return "";
  if (dt.tz_minutes == 0) return "Z";
  int m = dt.tz_minutes < 0 ? -dt.tz_minutes : dt.tz_minutes;
  std::string out = dt.tz_minutes < 0 ? "-" : "+";
  out.append(Pad2(m / 60)).append(":").append(Pad2(m % 60));
  return out;
}

Term DecimalSecondsTerm(const DateTime& dt) {
  std::string s = std::to_string(dt.second);
  if (!dt.fraction.empty()) s.append(".").append(dt.fraction);
  auto d = ParseDecimalLexical(s);
  return Term::Literal(FormatDecimal(*d), std::string(kXsdDecimal));
}

}  // namespace

std::optional<DateTime> ParseDateTimeLexical(std::string_view s, bool is_date) {
  DateTime dt;
  dt.is_date = is_date;
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  // Year: at least four digits, no leading zero when more than four.
  size_t start = i;
  int64_t year = 0;
  while (i < s.size() && IsDigit(s[i])) {
    if (i - start >= 9) return std::nullopt;  // keep the arithmetic in range
    year = year * 10 + (s[i] - '0');
    ++i;
  }
  size_t ndig = i - start;
  if (ndig < 4 || (ndig > 4 && s[start] == '0')) return std::nullopt;
  dt.year = neg ? -year : year;
  if (neg && year == 0) return std::nullopt;
  if (i >= s.size() || s[i++] != '-') return std::nullopt;
  if (!ReadDigits(s, &i, 2, &dt.month)) return std::nullopt;
  if (i >= s.size() || s[i++] != '-') return std::nullopt;
  if (!ReadDigits(s, &i, 2, &dt.day)) return std::nullopt;
  if (dt.month < 1 || dt.month > 12 || dt.day < 1 ||
      dt.day > DaysInMonth(dt.year, dt.month)) {
    return std::nullopt;
  }
  if (!is_date) {
    if (i >= s.size() || s[i++] != 'T') return std::nullopt;
    if (!ReadDigits(s, &i, 2, &dt.hour)) return std::nullopt;
    if (i >= s.size() || s[i++] != ':') return std::nullopt;
    if (!ReadDigits(s, &i, 2, &dt.minute)) return std::nullopt;
    if (i >= s.size() || s[i++] != ':') return std::nullopt;
    if (!ReadDigits(s, &i, 2, &dt.second)) return std::nullopt;
    if (i < s.size() && s[i] == '.') {
      ++i;
      size_t f = i;
      while (i < s.size() && IsDigit(s[i])) ++i;
      if (i == f) return std::nullopt;
      dt.fraction = std::string(s.substr(f, i - f));
      while (!dt.fraction.empty() && dt.fraction.back() == '0') {
        dt.fraction.pop_back();
      }
    }
    if (dt.hour == 24) {
      // 24:00:00 is the first instant of the next day.
      if (dt.minute != 0 || dt.second != 0 || !dt.fraction.empty()) {
        return std::nullopt;
      }
    } else if (dt.hour > 23 || dt.minute > 59 || dt.second > 59) {
      return std::nullopt;
    }
  }
  if (i < s.size()) {
    if (s[i] == 'Z') {
      ++i;
      dt.has_tz = true;
    } else if (s[i] == '+' || s[i] == '-') {
      int sign = s[i] == '-' ? -1 : 1;
      ++i;
      int h, m;
      if (!ReadDigits(s, &i, 2, &h)) return std::nullopt;
      if (i >= s.size() || s[i++] != ':') return std::nullopt;
      if (!ReadDigits(s, &i, 2, &m)) return std::nullopt;
      if (h > 14 || m > 59 || (h == 14 && m != 0)) return std::nullopt;
      dt.has_tz = true;
      dt.tz_minutes = sign * (h * 60 + m);
    }
  }
  if (i != s.size()) return std::nullopt;
  if (dt.hour == 24) {
    // Normalize so that accessors and formatting see the next day.
    dt.hour = 0;
    if (++dt.day > DaysInMonth(dt.year, dt.month)) {
      dt.day = 1;
      if (++dt.month > 12) {
        dt.month = 1;
        ++dt.year;
      }
    }
  }
  return dt;
}

std::optional<DateTime> ParseDateTimeTerm(const Term& term) {
  if (!term.is_literal()) return std::nullopt;
  if (term.datatype == kXsdDateTime) {
    return ParseDateTimeLexical(term.lexical, false);
  }
  if (term.datatype == kXsdDate)
    return ParseDateTimeLexical(term.lexical, true);
  return std::nullopt;
}

std::optional<int> CompareDateTime(const DateTime& a, const DateTime& b) {
  if (a.has_tz == b.has_tz) {
    return CompareInstant(ToInstant(a, a.tz_minutes),
                          ToInstant(b, b.tz_minutes));
  }
  // Exactly one has a timezone: compare against both extremes of the
  // other's possible offsets.
  const DateTime& p = a.has_tz ? a : b;
  const DateTime& q = a.has_tz ? b : a;
  Instant ip = ToInstant(p, p.tz_minutes);
  int result;
  if (CompareInstant(ip, ToInstant(q, 14 * 60)) < 0) {
    result = -1;  // p < q for every timezone q could have
  } else if (CompareInstant(ip, ToInstant(q, -14 * 60)) > 0) {
    result = 1;
  } else {
    return std::nullopt;
  }
  return a.has_tz ? result : -result;
}

int OrderDateTime(const DateTime& a, const DateTime& b) {
  return CompareInstant(ToInstant(a, a.has_tz ? a.tz_minutes : 0),
                        ToInstant(b, b.has_tz ? b.tz_minutes : 0));
}

std::string FormatDateTime(const DateTime& dt) {
  char buf[32];
  int64_t y = dt.year < 0 ? -dt.year : dt.year;
  std::snprintf(buf, sizeof(buf), "%s%04lld-%02d-%02d", dt.year < 0 ? "-" : "",
                static_cast<long long>(y), dt.month, dt.day);
  std::string out = buf;
  if (!dt.is_date) {
    out.append("T").append(Pad2(dt.hour)).append(":").append(Pad2(dt.minute));
    out.append(":").append(Pad2(dt.second));
    if (!dt.fraction.empty()) out.append(".").append(dt.fraction);
  }
  return out + FormatTz(dt);
}

Value DateTimeFunction(std::string_view name, const std::vector<Value>& args) {
  if (args.size() != 1 || !args[0]) return std::nullopt;
  auto dt = ParseDateTimeTerm(*args[0]);
  if (!dt) return std::nullopt;
  if (name == "YEAR") return IntegerTerm(dt->year);
  if (name == "MONTH") return IntegerTerm(dt->month);
  if (name == "DAY") return IntegerTerm(dt->day);
  if (name == "TZ") return Term::Literal(FormatTz(*dt));
  if (name == "TIMEZONE") {
    if (!dt->has_tz) return std::nullopt;
    std::string s = dt->tz_minutes < 0 ? "-PT" : "PT";
    int m = dt->tz_minutes < 0 ? -dt->tz_minutes : dt->tz_minutes;
    if (m == 0) s += "0S";
    if (m / 60 != 0) s += std::to_string(m / 60) + "H";
    if (m % 60 != 0) s += std::to_string(m % 60) + "M";
    return Term::Literal(s, std::string(kXsdDayTimeDuration));
  }
  // Time-of-day accessors are defined on xsd:dateTime only.
  if (dt->is_date) return std::nullopt;
  if (name == "HOURS") return IntegerTerm(dt->hour);
  if (name == "MINUTES") return IntegerTerm(dt->minute);
  if (name == "SECONDS") return DecimalSecondsTerm(*dt);
  return std::nullopt;
}

Value CastToDateTime(std::string_view target, const Term& term) {
  if (!term.is_literal() || !term.language.empty()) return std::nullopt;
  bool to_date = target == kXsdDate;
  std::optional<DateTime> dt;
  if (term.datatype.empty()) {
    dt = ParseDateTimeLexical(TrimXsdSpace(term.lexical), to_date);
  } else {
    dt = ParseDateTimeTerm(term);
  }
  if (!dt) return std::nullopt;
  if (to_date) {
    dt->is_date = true;
    dt->hour = dt->minute = dt->second = 0;
    dt->fraction.clear();
  } else {
    dt->is_date = false;  // date -> dateTime at 00:00:00
  }
  return Term::Literal(FormatDateTime(*dt), std::string(target));
}

}  // namespace kg::fn_internal
