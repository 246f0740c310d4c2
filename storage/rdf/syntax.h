// Private helpers shared by the RDF readers and writers: UTF-8 decoding and
// encoding, the character classes of the RDF 1.1 grammars (PN_CHARS and
// friends), and a description of "what was found" for error messages.
//
// Everything is inline because the readers call these in their hot loops.

#ifndef KGSTORE_STORAGE_RDF_SYNTAX_H_
#define KGSTORE_STORAGE_RDF_SYNTAX_H_

#include <cstdint>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kg::rdf_internal {

// Appends code point `cp` (assumed valid, not a surrogate) as UTF-8.
inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes one UTF-8 sequence at p (p < end). Returns its length in bytes and
// sets *cp, or returns 0 when the bytes are not well-formed UTF-8 (overlong
// forms, surrogates and values above U+10FFFF are rejected). A sequence cut
// short by `end` also returns 0; streaming callers make sure at least four
// bytes are available unless the input ends.
inline int DecodeUtf8(const char* p, const char* end, uint32_t* cp) {
  auto b0 = static_cast<unsigned char>(p[0]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  int len;
  uint32_t v;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    v = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    v = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    v = b0 & 0x07;
  } else {
    return 0;
  }
  if (end - p < len) return 0;
  for (int i = 1; i < len; ++i) {
    auto b = static_cast<unsigned char>(p[i]);
    if ((b & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b & 0x3F);
  }
  if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    return 0;
  }
  *cp = v;
  return len;
}

inline bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsHex(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline int HexValue(char c) {
  if (c <= '9') return c - '0';
  if (c >= 'a') return c - 'a' + 10;
  return c - 'A' + 10;
}

// ---- escapes: the one decoder of ECHAR and UCHAR, used by the N-Triples
// and Turtle readers and by the SPARQL tokenizer (query/grammar/tokens.cc).

// ECHAR of the RDF and SPARQL grammars: the character "\\e" stands for
// (\t \b \n \r \f \" \' \\), or -1 when `e` starts no ECHAR.
constexpr int EcharValue(int e) {
  switch (e) {
    case 't': return '\t';
    case 'b': return '\b';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'f': return '\f';
    case '"': return '"';
    case '\'': return '\'';
    case '\\': return '\\';
    default: return -1;
  }
}

// The hexadecimal digits of a UCHAR whose letter (after '\\') is `kind`:
// 4 for 'u', 8 for 'U', 0 for any other byte.
constexpr int UcharDigits(int kind) {
  return kind == 'u' ? 4 : kind == 'U' ? 8 : 0;
}

// A UCHAR must denote a Unicode scalar value: at most U+10FFFF, not a
// surrogate.
constexpr bool IsUnicodeScalar(uint32_t v) {
  return v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF);
}

enum class UcharStatus {
  kOk,
  kNotUchar,   // '\\' not followed by 'u' or 'U'; *where at that byte
  kTooShort,   // the input ends before the digits do; *where at 'u'/'U'
  kNotHex,     // *where at the first byte that is not a hexadecimal digit
  kNotScalar,  // a surrogate or above U+10FFFF; *where at the '\\'
};

// Decodes the UCHAR at p (p[0] == '\\', p < end): on kOk sets *cp and
// *where to the byte after it; otherwise *where to the offending byte.
inline UcharStatus DecodeUchar(const char* p, const char* end, uint32_t* cp,
                               const char** where) {
  const int digits = p + 1 < end ? UcharDigits(p[1]) : 0;
  if (digits == 0) {
    *where = p + 1;
    return UcharStatus::kNotUchar;
  }
  if (end - (p + 2) < digits) {
    *where = p + 1;
    return UcharStatus::kTooShort;
  }
  uint32_t v = 0;
  for (int i = 0; i < digits; ++i) {
    const char h = p[2 + i];
    if (!IsHex(h)) {
      *where = p + 2 + i;
      return UcharStatus::kNotHex;
    }
    v = (v << 4) | static_cast<uint32_t>(HexValue(h));
  }
  if (!IsUnicodeScalar(v)) {
    *where = p;
    return UcharStatus::kNotScalar;
  }
  *cp = v;
  *where = p + 2 + digits;
  return UcharStatus::kOk;
}

// PN_CHARS_BASE of the Turtle/SPARQL grammars, for a code point.
inline bool IsPnCharsBase(uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) ||
         (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
inline bool IsPnCharsU(uint32_t c) { return IsPnCharsBase(c) || c == '_'; }
inline bool IsPnChars(uint32_t c) {
  return IsPnCharsU(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

// True for a byte that may not appear unescaped inside an IRIREF.
constexpr bool IsIriRefForbidden(unsigned char c) {
  return c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' ||
         c == '}' || c == '|' || c == '^' || c == '`' || c == '\\';
}

namespace syntax_internal {
// Bytes that end a fast run inside an IRIREF: the forbidden ones, '\\'
// (escapes) and non-ASCII bytes (UTF-8 to validate).
struct IriStopTable {
  bool stop[256];
  constexpr IriStopTable() : stop() {
    for (int c = 0; c < 256; ++c)
      stop[c] = IsIriRefForbidden(static_cast<unsigned char>(c)) || c >= 0x80;
  }
};
inline constexpr IriStopTable kIriStop;
}  // namespace syntax_internal

// The first byte in [p, end) that ends a plain run inside an IRIREF (a
// forbidden byte, '\\' or a non-ASCII byte), or end. IRIs are most of an
// N-Triples file's bytes, and a byte-at-a-time loop over them was a
// quarter of the parsing thread's time in a 10M-triple load: with SSE2
// (every x86-64 CPU) 16 bytes are checked at once, and a table finishes
// the tail.
inline const char* SkipIriRun(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i below = _mm_set1_epi8(0x21);
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // A signed compare: bytes <= 0x20 and bytes >= 0x80 (negative as
    // signed chars) are both below 0x21.
    __m128i stop = _mm_cmplt_epi8(v, below);
    for (char c : {'<', '>', '"', '{', '}', '|', '^', '`', '\\'})
      stop = _mm_or_si128(stop, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
    const int mask = _mm_movemask_epi8(stop);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end &&
         !syntax_internal::kIriStop.stop[static_cast<unsigned char>(*p)])
    ++p;
  return p;
}

// The first byte in [p, end) that ends a plain run inside a quoted string
// whose quote is `quote`: the quote, '\\', a line break or a non-ASCII
// byte; or end.
inline const char* SkipStringRun(const char* p, const char* end, char quote) {
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  const __m128i q = _mm_set1_epi8(quote);
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i stop = _mm_cmplt_epi8(v, zero);  // bytes >= 0x80
    stop = _mm_or_si128(stop, _mm_cmpeq_epi8(v, q));
    stop = _mm_or_si128(stop, _mm_cmpeq_epi8(v, backslash));
    stop = _mm_or_si128(stop, _mm_cmpeq_epi8(v, lf));
    stop = _mm_or_si128(stop, _mm_cmpeq_epi8(v, cr));
    const int mask = _mm_movemask_epi8(stop);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == static_cast<unsigned char>(quote) || c == '\\' || c == '\n' ||
        c == '\r' || c >= 0x80)
      break;
  }
  return p;
}

// True when `iri` starts with a URI scheme followed by ':' (RFC 3986), the
// test N-Triples and N-Quads use to demand absolute IRIs.
inline bool HasScheme(std::string_view iri) {
  if (iri.empty() || !IsAsciiAlpha(iri[0])) return false;
  for (size_t i = 1; i < iri.size(); ++i) {
    char c = iri[i];
    if (c == ':') return true;
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '+' && c != '-' &&
        c != '.') {
      return false;
    }
  }
  return false;
}

// "'x'" for a printable character at p, "end of line"/"end of input" at
// end, the hexadecimal byte otherwise; used in "found ..." messages.
inline std::string DescribeFound(const char* p, const char* end,
                                 bool at_input_end) {
  if (p >= end) return at_input_end ? "end of input" : "end of line";
  auto c = static_cast<unsigned char>(*p);
  if (c == '\n') return "end of line";
  if (c >= 0x21 && c < 0x7F) return std::string("'") + *p + "'";
  if (c == ' ') return "a space";
  if (c == '\t') return "a tab";
  uint32_t cp;
  int n = DecodeUtf8(p, end, &cp);
  if (n > 1) {
    std::string s = "'";
    s.append(p, n);
    s.push_back('\'');
    return s;
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s = "byte 0x";
  s.push_back(kHex[c >> 4]);
  s.push_back(kHex[c & 0xF]);
  return s;
}

}  // namespace kg::rdf_internal

#endif  // KGSTORE_STORAGE_RDF_SYNTAX_H_
