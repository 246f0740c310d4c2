// The hand-written scanners behind the X3 token parsers of tokens.hpp.
// They follow the terminals of the SPARQL 1.1 grammar (section 19.8).
// At the end, two helpers for error messages: the words near a misspelt
// one (words.h) and what spoils a would-be IRI.

#include "query/grammar/tokens.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/rdf/syntax.h"

namespace kg::grammar {
namespace {

using rdf_internal::AppendUtf8;
using rdf_internal::DecodeUchar;
using rdf_internal::EcharValue;
using rdf_internal::UcharDigits;
using rdf_internal::UcharStatus;
using rdf_internal::DecodeUtf8;
using rdf_internal::HexValue;
using rdf_internal::IsAsciiAlpha;
using rdf_internal::IsAsciiDigit;
using rdf_internal::IsHex;
using rdf_internal::IsPnChars;
using rdf_internal::IsPnCharsBase;
using rdf_internal::IsPnCharsU;

// The code point at p, its length in *n (0 at the end or on bad UTF-8).
uint32_t PeekCp(const char* p, const char* end, int* n) {
  if (p >= end) {
    *n = 0;
    return 0;
  }
  uint32_t cp = 0;
  *n = DecodeUtf8(p, end, &cp);
  return cp;
}

// Decodes \uXXXX or \UXXXXXXXX at p (p points at the backslash), with the
// RDF readers' decoder (storage/rdf/syntax.h).
bool ScanUnicodeEscape(const char*& p, const char* end, std::string* out) {
  if (end - p < 2 || p[0] != '\\' || UcharDigits(p[1]) == 0) return false;
  uint32_t cp;
  const char* where;
  switch (DecodeUchar(p, end, &cp, &where)) {
    case UcharStatus::kOk:
      AppendUtf8(cp, out);
      p = where;
      return true;
    case UcharStatus::kNotUchar:
      return false;
    case UcharStatus::kTooShort:
      throw GrammarError{p, "incomplete \\u escape"};
    case UcharStatus::kNotHex:
      throw GrammarError{p, "invalid \\u escape"};
    case UcharStatus::kNotScalar:
      break;
  }
  throw GrammarError{p, "invalid code point in \\u escape"};
}

bool IsNameByte(char c) {
  return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '_' || c == ':' ||
         c == '-' || static_cast<unsigned char>(c) >= 0x80;
}

// PN_LOCAL (after the ':'), decoding \-escapes; %xx is kept as written.
void ScanLocal(const char*& p, const char* end, std::string* out) {
  const char* q = p;
  std::string text;
  const char* good_end = p;  // after the last unit that may end a name
  size_t good_len = 0;
  bool first = true;
  while (q < end) {
    char c = *q;
    if (c == '%') {
      if (end - q < 3 || !IsHex(q[1]) || !IsHex(q[2])) break;
      text.append(q, 3);
      q += 3;
    } else if (c == '\\') {
      static constexpr std::string_view kEsc = "_~.-!$&'()*+,;=/?#@%";
      if (end - q < 2 || kEsc.find(q[1]) == std::string_view::npos) break;
      text.push_back(q[1]);
      q += 2;
    } else if (c == ':') {
      text.push_back(c);
      ++q;
    } else if (c == '.' && !first) {
      text.push_back(c);
      ++q;
      continue;  // may not end the name
    } else {
      int n;
      uint32_t cp = PeekCp(q, end, &n);
      if (n == 0) break;
      bool ok = first ? (IsPnCharsU(cp) || IsAsciiDigit(static_cast<char>(cp)))
                      : IsPnChars(cp);
      if (!ok || (first && cp == '-')) break;
      text.append(q, n);
      q += n;
    }
    first = false;
    good_end = q;
    good_len = text.size();
  }
  text.resize(good_len);
  *out = std::move(text);
  p = good_end;
}

// PN_PREFIX followed by ':'. Returns false (p unchanged) otherwise.
bool ScanPrefixColon(const char*& p, const char* end, std::string* prefix) {
  const char* q = p;
  const char* good_end = p;
  int n;
  uint32_t cp = PeekCp(q, end, &n);
  if (n > 0 && IsPnCharsBase(cp)) {
    q += n;
    good_end = q;
    while (q < end) {
      if (*q == '.') {
        ++q;
        continue;
      }
      cp = PeekCp(q, end, &n);
      if (n == 0 || !IsPnChars(cp)) break;
      q += n;
      good_end = q;
    }
  }
  if (good_end >= end || *good_end != ':') return false;
  prefix->assign(p, good_end);
  p = good_end + 1;
  return true;
}

}  // namespace

bool ScanKeyword(const char*& p, const char* end, const char* word) {
  size_t n = std::strlen(word);
  if (static_cast<size_t>(end - p) < n) return false;
  for (size_t i = 0; i < n; ++i) {
    char a = p[i], b = word[i];
    if (a >= 'a' && a <= 'z') a = static_cast<char>(a - 'a' + 'A');
    if (b >= 'a' && b <= 'z') b = static_cast<char>(b - 'a' + 'A');
    if (a != b) return false;
  }
  if (p + n < end && IsNameByte(p[n])) return false;
  // 'a' is case-sensitive in SPARQL.
  if (n == 1 && word[0] == 'a' && p[0] != 'a') return false;
  p += n;
  return true;
}

bool ScanIriRefText(const char*& p, const char* end, Builder&,
                    std::string* out) {
  if (p >= end || *p != '<') return false;
  const char* q = p + 1;
  std::string iri;
  while (q < end && *q != '>') {
    auto c = static_cast<unsigned char>(*q);
    if (c == '\\') {
      if (!ScanUnicodeEscape(q, end, &iri)) return false;
      continue;
    }
    if (rdf_internal::IsIriRefForbidden(c)) return false;
    iri.push_back(static_cast<char>(c));
    ++q;
  }
  if (q >= end) return false;
  p = q + 1;
  *out = std::move(iri);
  return true;
}

bool ScanPnameNs(const char*& p, const char* end, std::string* prefix) {
  return ScanPrefixColon(p, end, prefix);
}

bool ScanIri(const char*& p, const char* end, Builder& b) {
  b.Tick();
  if (p < end && *p == '<') {
    std::string iri;
    if (!ScanIriRefText(p, end, b, &iri)) return false;
    b.PushIri(b.ResolveIri(iri));
    return true;
  }
  const char* start = p;
  std::string prefix, local;
  if (!ScanPrefixColon(p, end, &prefix)) return false;
  ScanLocal(p, end, &local);
  b.PushIri(b.ExpandPrefixed(prefix, local, start));
  return true;
}

bool ScanVar(const char*& p, const char* end, Builder& b) {
  b.Tick();
  if (p >= end || (*p != '?' && *p != '$')) return false;
  const char* q = p + 1;
  int n;
  uint32_t cp = PeekCp(q, end, &n);
  if (n == 0 || !(IsPnCharsU(cp) || (cp >= '0' && cp <= '9'))) return false;
  q += n;
  while (q < end) {
    cp = PeekCp(q, end, &n);
    if (n == 0) break;
    bool ok = IsPnCharsU(cp) || (cp >= '0' && cp <= '9') || cp == 0xB7 ||
              (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x203F && cp <= 0x2040);
    if (!ok) break;
    q += n;
  }
  std::string name(p + 1, q);
  const char* start = p;
  p = q;
  b.PushVar(std::move(name), start);
  return true;
}

bool ScanString(const char*& p, const char* end, Builder& b) {
  b.Tick();
  if (p >= end || (*p != '"' && *p != '\'')) return false;
  const char quote = *p;
  const char* start = p;
  bool is_long = end - p >= 3 && p[1] == quote && p[2] == quote;
  const char* q = p + (is_long ? 3 : 1);
  std::string s;
  for (;;) {
    if (q >= end) {
      throw GrammarError{start, "unterminated string", /*at_end=*/true};
    }
    char c = *q;
    if (is_long) {
      if (c == quote && end - q >= 3 && q[1] == quote && q[2] == quote) {
        // """a"""" : the closing delimiter is the last three quotes.
        q += 3;
        while (q < end && *q == quote) {
          s.push_back(quote);
          ++q;
        }
        break;
      }
    } else {
      if (c == quote) {
        ++q;
        break;
      }
      if (c == '\n' || c == '\r') {
        throw GrammarError{start,
                           "unterminated string (a line break in a "
                           "'...' or \"...\" string)"};
      }
    }
    if (c == '\\') {
      if (q + 1 >= end) {
        throw GrammarError{start, "unterminated string", /*at_end=*/true};
      }
      char e = q[1];
      if (e == 'u' || e == 'U') {
        ScanUnicodeEscape(q, end, &s);
        continue;
      }
      const int r = EcharValue(e);
      if (r < 0) {
        throw GrammarError{
            q, std::string("invalid escape \\") + e + " in a string"};
      }
      s.push_back(static_cast<char>(r));
      q += 2;
      continue;
    }
    s.push_back(c);
    ++q;
  }
  p = q;
  b.last_string = std::move(s);
  return true;
}

bool ScanRdfLiteral(const char*& p, const char* end, Builder& b) {
  if (!ScanString(p, end, b)) return false;
  std::string lexical = b.last_string;
  if (p < end && *p == '@') {
    const char* q = p + 1;
    const char* t = q;
    while (q < end && IsAsciiAlpha(*q)) ++q;
    if (q == t) throw GrammarError{p, "expected a language tag after '@'"};
    while (q < end && *q == '-' && q + 1 < end &&
           (IsAsciiAlpha(q[1]) || IsAsciiDigit(q[1]))) {
      ++q;
      while (q < end && (IsAsciiAlpha(*q) || IsAsciiDigit(*q))) ++q;
    }
    std::string lang(t, q);
    p = q;
    b.PushNode(Term::LangLiteral(std::move(lexical), std::move(lang)));
    return true;
  }
  // "^^" may be separated from the string and the IRI by whitespace.
  const char* q = p;
  while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) ++q;
  if (end - q >= 2 && q[0] == '^' && q[1] == '^') {
    q += 2;
    while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) {
      ++q;
    }
    if (!ScanIri(q, end, b)) {
      throw GrammarError{q, "expected a datatype IRI after '^^'",
                         /*at_end=*/q >= end};
    }
    std::string dt = std::get<Term>(b.nodes.back()).lexical;
    b.nodes.pop_back();
    p = q;
    b.PushNode(Term::Literal(std::move(lexical), std::move(dt)));
    return true;
  }
  b.PushNode(Term::Literal(std::move(lexical)));
  return true;
}

bool ScanNumeric(const char*& p, const char* end, Builder& b, bool signed_ok) {
  b.Tick();
  const char* q = p;
  if (signed_ok && q < end && (*q == '+' || *q == '-')) ++q;
  const char* digits = q;
  while (q < end && IsAsciiDigit(*q)) ++q;
  bool int_part = q > digits;
  bool frac = false;
  if (q < end && *q == '.' && q + 1 < end && IsAsciiDigit(q[1])) {
    ++q;
    while (q < end && IsAsciiDigit(*q)) ++q;
    frac = true;
  } else if (int_part && q < end && *q == '.' && q + 1 < end &&
             (q[1] == 'e' || q[1] == 'E')) {
    ++q;  // "1.e5" is a double
    frac = true;
  }
  if (!int_part && !frac) return false;
  bool exp = false;
  if (q < end && (*q == 'e' || *q == 'E')) {
    const char* e = q + 1;
    if (e < end && (*e == '+' || *e == '-')) ++e;
    if (e < end && IsAsciiDigit(*e)) {
      while (e < end && IsAsciiDigit(*e)) ++e;
      q = e;
      exp = true;
    }
  }
  if (!exp && frac && q[-1] == '.') return false;
  std::string lexical(p, q);
  std::string_view dt = exp ? kXsdDouble : frac ? kXsdDecimal : kXsdInteger;
  p = q;
  b.PushNode(Term::Literal(std::move(lexical), std::string(dt)));
  return true;
}

bool ScanBoolean(const char*& p, const char* end, Builder& b) {
  if (ScanKeyword(p, end, "true")) {
    b.PushNode(Term::Literal("true", std::string(kXsdBoolean)));
    return true;
  }
  if (ScanKeyword(p, end, "false")) {
    b.PushNode(Term::Literal("false", std::string(kXsdBoolean)));
    return true;
  }
  return false;
}

bool ScanBlankNode(const char*& p, const char* end, Builder& b) {
  b.Tick();
  if (end - p >= 2 && p[0] == '_' && p[1] == ':') {
    const char* q = p + 2;
    int n;
    uint32_t cp = PeekCp(q, end, &n);
    if (n == 0 || !(IsPnCharsU(cp) || (cp >= '0' && cp <= '9'))) {
      throw GrammarError{p, "expected a blank node label after '_:'", q >= end};
    }
    q += n;
    const char* good = q;
    while (q < end) {
      if (*q == '.') {
        ++q;
        continue;
      }
      cp = PeekCp(q, end, &n);
      if (n == 0 || !IsPnChars(cp)) break;
      q += n;
      good = q;
    }
    std::string label(p + 2, good);
    const char* start = p;
    p = good;
    b.PushBlank(std::move(label), start);
    return true;
  }
  if (p < end && *p == '[') {
    const char* q = p + 1;
    while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) {
      ++q;
    }
    if (q < end && *q == ']') {
      const char* start = p;
      p = q + 1;
      b.PushAnon(start);
      return true;
    }
  }
  return false;
}

bool ScanNil(const char*& p, const char* end, Builder& b) {
  if (p >= end || *p != '(') return false;
  const char* q = p + 1;
  while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) ++q;
  if (q >= end || *q != ')') return false;
  p = q + 1;
  b.PushNode(Term::Iri(std::string(kRdf) + "nil"));
  return true;
}

bool ScanBuiltinName(const char*& p, const char* end, Builder& b) {
  const char* q = p;
  while (q < end && (IsAsciiAlpha(*q) || IsAsciiDigit(*q) || *q == '_')) ++q;
  if (q == p || (q < end && IsNameByte(*q))) return false;
  std::string name(p, q);
  for (char& c : name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  bool found = false;
  for (const BuiltinFunction& f : kBuiltins) found = found || name == f.name;
  if (!found) return false;
  if (name == "URI") name = "IRI";
  if (name == "ISURI") name = "ISIRI";
  p = q;
  b.PushName(std::move(name));
  return true;
}

bool ScanPathMod(const char*& p, const char* end) {
  if (p >= end) return false;
  char c = *p;
  if (c == '*') {
    ++p;
    return true;
  }
  if (c == '+' && !(p + 1 < end && (IsAsciiDigit(p[1]) || p[1] == '.'))) {
    ++p;
    return true;
  }
  if (c == '?') {
    // "?x" is a variable, not the '?' modifier.
    int n;
    uint32_t cp = PeekCp(p + 1, end, &n);
    if (n > 0 && (IsPnCharsU(cp) || (cp >= '0' && cp <= '9'))) return false;
    ++p;
    return true;
  }
  return false;
}

bool ScanInteger(const char*& p, const char* end) {
  const char* q = p;
  while (q < end && IsAsciiDigit(*q)) ++q;
  if (q == p) return false;
  p = q;
  return true;
}

namespace {

char Upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// Case-insensitive Damerau-Levenshtein distance (optimal string alignment:
// an adjacent transposition counts as one edit).
int WordDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<int> d((n + 1) * (m + 1));
  auto at = [&](size_t i, size_t j) -> int& { return d[i * (m + 1) + j]; };
  for (size_t i = 0; i <= n; ++i) at(i, 0) = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) at(0, j) = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      int cost = Upper(a[i - 1]) == Upper(b[j - 1]) ? 0 : 1;
      int v = std::min(
          {at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && Upper(a[i - 1]) == Upper(b[j - 2]) &&
          Upper(a[i - 2]) == Upper(b[j - 1])) {
        v = std::min(v, at(i - 2, j - 2) + 1);
      }
      at(i, j) = v;
    }
  }
  return at(n, m);
}

}  // namespace

std::vector<std::string_view> SimilarWords(std::string_view word) {
  if (word.size() < 3) return {};
  const int limit = word.size() >= 5 ? 2 : 1;
  std::vector<std::pair<int, std::string_view>> hits;
  auto consider = [&](std::string_view w) {
    if (w.size() < 2) return;  // 'a'
    int gap = static_cast<int>(w.size()) - static_cast<int>(word.size());
    if (gap > limit || -gap > limit) return;
    int dist = WordDistance(word, w);
    if (dist == 0 || dist > limit) return;
    for (const auto& h : hits) {
      if (h.second == w) return;
    }
    hits.emplace_back(dist, w);
  };
  for (std::string_view w : kKeywords) consider(w);
  for (std::string_view w : kKeywordPairs) consider(w);
  for (const BuiltinFunction& f : kBuiltins) consider(f.name);
  std::stable_sort(hits.begin(), hits.end(), [](const auto& x, const auto& y) {
    return x.first < y.first;
  });
  std::vector<std::string_view> out;
  for (const auto& h : hits) out.push_back(h.second);
  return out;
}

bool DiagnoseIriRef(const char* p, const char* end, const char** where,
                    std::string* message) {
  if (p >= end || *p != '<') return false;
  const char* q = p + 1;
  // "< 3" and "<=" are operators, not IRIs.
  if (q >= end || rdf_internal::IsIriRefForbidden(*q) || *q == '=') {
    return false;
  }
  while (q < end && *q != '>' && *q != '\n' && *q != '\r') {
    auto c = static_cast<unsigned char>(*q);
    if (c == '\\' && end - q >= 2 && (q[1] == 'u' || q[1] == 'U')) {
      q += 2;  // the scanner reports a bad \u escape itself
      continue;
    }
    if (!rdf_internal::IsIriRefForbidden(c)) {
      ++q;
      continue;
    }
    // A forbidden character, and a '>' further on the line: an IRI with
    // a character to percent-encode. Without a '>' it is unterminated.
    const char* r = q;
    while (r < end && *r != '>' && *r != '\n' && *r != '\r') ++r;
    if (r >= end || *r != '>') break;
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string pct = {'%', kHex[c >> 4], kHex[c & 15]};
    std::string what;
    if (c == ' ') {
      what = "character ' ' (space)";
    } else if (c == '\t') {
      what = "character U+0009 (tab)";
    } else if (c < 0x20) {
      what =
          std::string("control character U+00") + kHex[c >> 4] + kHex[c & 15];
    } else {
      what = std::string("character '") + static_cast<char>(c) + "'";
    }
    *where = q;
    *message = what + " is not allowed in an IRI" +
               (c == '\\' ? " (only in a \\u or \\U escape)" : "") +
               "; write it as " + pct;
    return true;
  }
  if (q < end && *q == '>') return false;  // well-formed: not the problem
  std::string_view text(p, static_cast<size_t>(q - p));
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  if (text.find(':') == std::string_view::npos &&
      text.find('/') == std::string_view::npos) {
    return false;  // more like a less-than than an IRI
  }
  if (text.size() > 40) text = text.substr(0, 40);
  *where = p;
  *message = "unterminated IRI: '" + std::string(text) +
             "' has no closing '>' on its line";
  return true;
}

}  // namespace kg::grammar
