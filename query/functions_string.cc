// SPARQL string functions (17.4.3): STRLEN, SUBSTR, UCASE, LCASE,
// ENCODE_FOR_URI, CONTAINS, STRSTARTS, STRENDS, STRBEFORE, STRAFTER, CONCAT,
// REGEX and REPLACE, with the spec's string-literal argument rules and
// language-tag/datatype propagation.
//
// Strings are UTF-8 and positions/lengths count code points. Case mapping
// covers ASCII, Latin-1, Latin Extended-A, Latin Extended Additional,
// Greek, Cyrillic and Armenian (simple one-to-one mappings, plus
// U+00DF -> "SS"); other scripts are left unchanged.
//
// Regular expressions are XPath regexes run by RE2, which is linear time,
// so no pattern can hang a query. XPath features RE2 lacks (back-references,
// \i \c name escapes, \p{IsBlock}, character-class subtraction) make the
// pattern invalid, which is an expression error.

#include <cmath>
#include <limits>
#include <memory>
#include <unordered_map>

#include "query/functions.h"
#include "query/functions_internal.h"
#include "re2/re2.h"
#include "storage/rdf/syntax.h"

namespace kg::fn_internal {
namespace {

Term BoolTerm(bool b) {
  return Term::Literal(b ? "true" : "false", std::string(kXsdBoolean));
}

// ---- case mapping ---------------------------------------------------------

// Ranges where upper and lower case alternate (even upper, odd lower, or
// the reverse when `odd_upper`).
struct AltRange {
  uint32_t lo, hi;
  bool odd_upper;
};
constexpr AltRange kAltRanges[] = {
    {0x100, 0x12F, false},   {0x132, 0x137, false},   {0x139, 0x148, true},
    {0x14A, 0x177, false},   {0x179, 0x17E, true},    {0x460, 0x481, false},
    {0x48A, 0x4BF, false},   {0x4C1, 0x4CE, true},    {0x4D0, 0x52F, false},
    {0x1E00, 0x1E95, false}, {0x1EA0, 0x1EFF, false},
};

// Ranges with a fixed offset between upper [lo, hi] and lower (+delta).
struct ShiftRange {
  uint32_t lo, hi;
  uint32_t delta;
};
constexpr ShiftRange kShiftRanges[] = {
    {0x41, 0x5A, 0x20},   {0xC0, 0xD6, 0x20},   {0xD8, 0xDE, 0x20},
    {0x391, 0x3A1, 0x20}, {0x3A3, 0x3AB, 0x20}, {0x388, 0x38A, 0x25},
    {0x38E, 0x38F, 0x3F}, {0x410, 0x42F, 0x20}, {0x400, 0x40F, 0x50},
    {0x531, 0x556, 0x30},
};

struct Pair {
  uint32_t upper, lower;
};
// Irregular one-to-one pairs.
constexpr Pair kPairs[] = {
    {0x178, 0xFF},
    {0x386, 0x3AC},
    {0x38C, 0x3CC},
    {0x4C0, 0x4CF},
};

uint32_t ToLower(uint32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 0x20 : c;
  for (const ShiftRange& r : kShiftRanges) {
    if (c >= r.lo && c <= r.hi) return c + r.delta;
  }
  for (const AltRange& r : kAltRanges) {
    if (c >= r.lo && c <= r.hi) {
      bool is_upper = ((c & 1) != 0) == r.odd_upper;
      return is_upper ? c + 1 : c;
    }
  }
  for (const Pair& p : kPairs) {
    if (c == p.upper) return p.lower;
  }
  if (c == 0x130) return 'i';
  return c;
}

uint32_t ToUpper(uint32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z' ? c - 0x20 : c;
  for (const ShiftRange& r : kShiftRanges) {
    if (c >= r.lo + r.delta && c <= r.hi + r.delta) return c - r.delta;
  }
  for (const AltRange& r : kAltRanges) {
    if (c >= r.lo && c <= r.hi) {
      bool is_upper = ((c & 1) != 0) == r.odd_upper;
      return is_upper ? c : c - 1;
    }
  }
  for (const Pair& p : kPairs) {
    if (c == p.lower) return p.upper;
  }
  if (c == 0x131) return 'I';
  if (c == 0x17F) return 'S';
  if (c == 0x3C2) return 0x3A3;  // final sigma
  return c;
}

std::string MapCase(std::string_view s, bool upper) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    uint32_t c = DecodeUtf8(s, &pos);
    if (upper && c == 0xDF) {
      out += "SS";  // the full Unicode mapping of sharp s
      continue;
    }
    AppendUtf8(upper ? ToUpper(c) : ToLower(c), &out);
  }
  return out;
}

// ---- regex ----------------------------------------------------------------

// Translates an XPath regex with flags into RE2 syntax. Returns false when
// the flags are invalid or the pattern uses XPath-only constructs RE2 would
// misread.
bool TranslateRegex(std::string_view pattern, std::string_view flags,
                    std::string* out) {
  bool f_i = false, f_s = false, f_m = false, f_x = false, f_q = false;
  for (char c : flags) {
    switch (c) {
      case 'i':
        f_i = true;
        break;
      case 's':
        f_s = true;
        break;
      case 'm':
        f_m = true;
        break;
      case 'x':
        f_x = true;
        break;
      case 'q':
        f_q = true;
        break;
      default:
        return false;
    }
  }
  std::string prefix;
  if (f_i) prefix += "i";
  if (f_s) prefix += "s";
  if (f_m) prefix += "m";
  out->clear();
  if (!prefix.empty()) *out = "(?" + prefix + ")";
  if (f_q) {
    *out += RE2::QuoteMeta(re2::StringPiece(pattern.data(), pattern.size()));
    return true;
  }
  int class_depth = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 >= pattern.size()) return false;
      char n = pattern[i + 1];
      // Back-references and XML name-character escapes have no RE2
      // equivalent.
      if ((n >= '1' && n <= '9') || n == 'i' || n == 'I' || n == 'c' ||
          n == 'C') {
        return false;
      }
      ++i;
      // XPath \d and \w are Unicode-aware; RE2's are ASCII-only. Outside
      // classes they can be spelled with Unicode categories.
      if (class_depth == 0 && (n == 'd' || n == 'D' || n == 'w' || n == 'W')) {
        *out += n == 'd'   ? "\\p{Nd}"
                : n == 'D' ? "\\P{Nd}"
                : n == 'w' ? "[^\\p{P}\\p{Z}\\p{C}]"
                           : "[\\p{P}\\p{Z}\\p{C}]";
        continue;
      }
      out->push_back(c);
      out->push_back(n);
      continue;
    }
    if (f_x && class_depth == 0 &&
        (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      continue;  // the x flag removes whitespace outside classes
    }
    if (c == '[') {
      if (class_depth > 0) return false;  // nested class: subtraction
      class_depth = 1;
      out->push_back(c);
      // A leading '^' or ']' is part of the class syntax.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') {
        out->push_back('^');
        ++i;
      }
      continue;
    }
    if (c == ']' && class_depth > 0) {
      class_depth = 0;
      out->push_back(c);
      continue;
    }
    if (c == '(' && class_depth == 0 && i + 1 < pattern.size() &&
        pattern[i + 1] == '?' &&
        (i + 2 >= pattern.size() || pattern[i + 2] != ':')) {
      return false;  // XPath has only (?:...) groups, not RE2's (?flags)
    }
    if (c == '.' && class_depth == 0 && !f_s) {
      // XPath '.' without the s flag excludes both \n and \r.
      *out += "[^\\n\\r]";
      continue;
    }
    if (c == '-' && class_depth > 0 && i + 1 < pattern.size() &&
        pattern[i + 1] == '[') {
      return false;  // character-class subtraction
    }
    out->push_back(c);
  }
  return class_depth == 0;
}

// Compiled regexes cached per thread: a FILTER REGEX runs the same pattern
// for every row. Bounded LRU-free cache: cleared when full.
std::shared_ptr<const RE2> CompileRegex(std::string_view pattern,
                                        std::string_view flags) {
  thread_local std::unordered_map<std::string, std::shared_ptr<const RE2>>
      cache;
  std::string key = std::string(flags) + '\0' + std::string(pattern);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::string translated;
  std::shared_ptr<const RE2> re;
  if (TranslateRegex(pattern, flags, &translated)) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_encoding(RE2::Options::EncodingUTF8);
    auto compiled = std::make_shared<RE2>(translated, options);
    if (compiled->ok()) re = std::move(compiled);
  }
  if (cache.size() >= 256) cache.clear();
  cache.emplace(std::move(key), re);
  return re;
}

// One piece of a parsed REPLACE replacement string.
struct ReplPart {
  std::string literal;
  int group = -1;  // >= 0: a group reference
};

// Parses an fn:replace replacement string: $N group references, the
// escapes backslash-dollar and backslash-backslash; any other backslash or
// a '$' without digits is an error.
bool ParseReplacement(std::string_view r, int ngroups,
                      std::vector<ReplPart>* parts) {
  std::string lit;
  for (size_t i = 0; i < r.size(); ++i) {
    char c = r[i];
    if (c == '\\') {
      if (i + 1 >= r.size() || (r[i + 1] != '\\' && r[i + 1] != '$')) {
        return false;
      }
      lit.push_back(r[++i]);
    } else if (c == '$') {
      if (i + 1 >= r.size() || r[i + 1] < '0' || r[i + 1] > '9') return false;
      int n = r[++i] - '0';
      // Further digits belong to the number while it names a group.
      while (i + 1 < r.size() && r[i + 1] >= '0' && r[i + 1] <= '9' &&
             n * 10 + (r[i + 1] - '0') <= ngroups) {
        n = n * 10 + (r[++i] - '0');
      }
      parts->push_back({lit, -1});
      lit.clear();
      // A group number beyond the pattern's groups is the empty string.
      parts->push_back({"", n <= ngroups ? n : -1});
    } else {
      lit.push_back(c);
    }
  }
  parts->push_back({lit, -1});
  return true;
}

// `context` bounds the result (max_string_bytes): REPLACE inserting a long
// string at every match of a long text would otherwise grow without end.
std::optional<std::string> RegexReplace(std::string_view text, const RE2& re,
                                        std::string_view replacement,
                                        FunctionContext& context) {
  // fn:replace: a pattern matching the empty string is an error (FORX0003).
  if (RE2::FullMatch("", re)) return std::nullopt;
  int ngroups = re.NumberOfCapturingGroups();
  std::vector<ReplPart> parts;
  if (!ParseReplacement(replacement, ngroups, &parts)) return std::nullopt;
  std::vector<re2::StringPiece> groups(ngroups + 1);
  re2::StringPiece input(text.data(), text.size());
  std::string out;
  size_t pos = 0;
  while (pos <= text.size()) {
    if (!re.Match(input, pos, text.size(), RE2::UNANCHORED, groups.data(),
                  ngroups + 1)) {
      break;
    }
    size_t begin = groups[0].data() - text.data();
    size_t end = begin + groups[0].size();
    out.append(text.substr(pos, begin - pos));
    for (const ReplPart& p : parts) {
      out += p.literal;
      if (p.group >= 0 && groups[p.group].data() != nullptr) {
        out.append(groups[p.group].data(), groups[p.group].size());
      }
    }
    if (out.size() > context.max_string_bytes) {
      context.string_too_long = true;
      return std::nullopt;
    }
    if (end == begin) {
      // A context-dependent empty match (e.g. \b): copy one code point so
      // the scan always advances.
      if (end >= text.size()) {
        pos = text.size() + 1;
        break;
      }
      size_t next = end;
      DecodeUtf8(text, &next);
      out.append(text.substr(end, next - end));
      pos = next;
    } else {
      pos = end;
    }
  }
  if (pos < text.size()) out.append(text.substr(pos));
  return out;
}

// ---- helpers --------------------------------------------------------------

bool IsPercentUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
}

std::optional<double> NumberArg(const Value& v) {
  if (!v) return std::nullopt;
  auto n = ParseNumericTerm(*v);
  if (!n) return std::nullopt;
  return n->AsDouble();
}

Value Substr(const std::vector<Value>& args) {
  if (args.size() < 2 || args.size() > 3 || !args[0] ||
      !IsStringLiteral(*args[0])) {
    return std::nullopt;
  }
  const std::string& s = args[0]->lexical;
  auto start = NumberArg(args[1]);
  if (!start) return std::nullopt;
  std::optional<double> len;
  if (args.size() == 3) {
    len = NumberArg(args[2]);
    if (!len) return std::nullopt;
  }
  // fn:substring: code points at 1-based positions p with
  // round(start) <= p < round(start) + round(len). NaN/INF follow from
  // IEEE comparisons.
  double rs = RoundHalfUp(*start);
  double end =
      len ? rs + RoundHalfUp(*len) : std::numeric_limits<double>::infinity();
  std::string out;
  size_t pos = 0;
  double p = 1;
  while (pos < s.size()) {
    size_t prev = pos;
    DecodeUtf8(s, &pos);
    if (p >= rs && p < end) out.append(s, prev, pos - prev);
    if (p >= end) break;
    ++p;
  }
  return SameKindLiteral(*args[0], std::move(out));
}

Value Concat(const std::vector<Value>& args, FunctionContext& context) {
  std::string out;
  std::optional<std::string> lang;
  bool all_same_lang = true;
  // The length first: a CONCAT of CONCATs doubles at every step, and the
  // result over the bound is never built.
  uint64_t length = 0;
  for (const Value& a : args)
    if (a) length += a->lexical.size();
  if (length > context.max_string_bytes) {
    context.string_too_long = true;
    return std::nullopt;
  }
  out.reserve(length);
  for (size_t i = 0; i < args.size(); ++i) {
    if (!args[i] || !IsStringLiteral(*args[i])) return std::nullopt;
    out += args[i]->lexical;
    if (i == 0) {
      lang = args[i]->language;
    } else if (args[i]->language != *lang) {
      all_same_lang = false;
    }
  }
  // The result keeps a language tag only when every argument has it;
  // otherwise (including all-xsd:string) it is a simple literal, which in
  // RDF 1.1 is also xsd:string.
  if (all_same_lang && lang && !lang->empty()) {
    return Term::LangLiteral(std::move(out), *lang);
  }
  return Term::Literal(std::move(out));
}

}  // namespace

uint32_t DecodeUtf8(std::string_view s, size_t* pos) {
  unsigned char c = s[*pos];
  int len = c < 0x80         ? 1
            : (c >> 5) == 6  ? 2
            : (c >> 4) == 14 ? 3
            : (c >> 3) == 30 ? 4
                             : 0;
  if (len == 0 || *pos + len > s.size()) {
    ++*pos;
    return c;
  }
  uint32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = s[*pos + k];
    if ((cc & 0xC0) != 0x80) {
      ++*pos;
      return c;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *pos += len;
  return cp;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  rdf_internal::AppendUtf8(cp, out);
}

size_t CodePointLength(std::string_view s) {
  size_t n = 0, pos = 0;
  while (pos < s.size()) {
    DecodeUtf8(s, &pos);
    ++n;
  }
  return n;
}

bool IsStringLiteral(const Term& t) {
  return t.is_literal() && t.datatype.empty();
}

bool IsSimpleOrXsdString(const Term& t) {
  return t.is_literal() && t.datatype.empty() && t.language.empty();
}

bool ArgCompatible(const Term& a, const Term& b) {
  if (!IsStringLiteral(a) || !IsStringLiteral(b)) return false;
  return b.language.empty() || a.language == b.language;
}

Term SameKindLiteral(const Term& like, std::string s) {
  if (!like.language.empty())
    return Term::LangLiteral(std::move(s), like.language);
  return Term::Literal(std::move(s), like.datatype);
}

bool IsStringFunction(std::string_view name) {
  static const std::string_view kNames[] = {
      "STRLEN",   "SUBSTR",    "UCASE",   "LCASE",     "ENCODE_FOR_URI",
      "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER",
      "CONCAT",   "REGEX",     "REPLACE"};
  for (std::string_view n : kNames) {
    if (n == name) return true;
  }
  return false;
}

Value StringFunction(std::string_view name, const std::vector<Value>& args,
                     FunctionContext& context) {
  if (name == "CONCAT") return Concat(args, context);
  if (name == "SUBSTR") return Substr(args);
  for (const Value& a : args) {
    if (!a) return std::nullopt;
  }
  if (name == "STRLEN" || name == "UCASE" || name == "LCASE" ||
      name == "ENCODE_FOR_URI") {
    if (args.size() != 1 || !IsStringLiteral(*args[0])) return std::nullopt;
    const Term& t = *args[0];
    if (name == "STRLEN") {
      return IntegerTerm(static_cast<int64_t>(CodePointLength(t.lexical)));
    }
    if (name == "UCASE") return SameKindLiteral(t, MapCase(t.lexical, true));
    if (name == "LCASE") return SameKindLiteral(t, MapCase(t.lexical, false));
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : t.lexical) {
      if (IsPercentUnreserved(c)) {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back('%');
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
      }
    }
    return Term::Literal(std::move(out));
  }
  if (name == "CONTAINS" || name == "STRSTARTS" || name == "STRENDS" ||
      name == "STRBEFORE" || name == "STRAFTER") {
    if (args.size() != 2 || !ArgCompatible(*args[0], *args[1])) {
      return std::nullopt;
    }
    std::string_view s = args[0]->lexical;
    std::string_view t = args[1]->lexical;
    if (name == "CONTAINS")
      return BoolTerm(s.find(t) != std::string_view::npos);
    if (name == "STRSTARTS") return BoolTerm(s.substr(0, t.size()) == t);
    if (name == "STRENDS") {
      return BoolTerm(s.size() >= t.size() &&
                      s.substr(s.size() - t.size()) == t);
    }
    size_t at = s.find(t);
    // No match: the empty simple literal, without the first argument's tag.
    if (at == std::string_view::npos) return Term::Literal("");
    if (name == "STRBEFORE") {
      return SameKindLiteral(*args[0], std::string(s.substr(0, at)));
    }
    return SameKindLiteral(*args[0], std::string(s.substr(at + t.size())));
  }
  if (name == "REGEX") {
    if (args.size() < 2 || args.size() > 3 || !IsStringLiteral(*args[0]) ||
        !IsSimpleOrXsdString(*args[1]) ||
        (args.size() == 3 && !IsSimpleOrXsdString(*args[2]))) {
      return std::nullopt;
    }
    auto re = CompileRegex(args[1]->lexical,
                           args.size() == 3 ? args[2]->lexical : "");
    if (!re) return std::nullopt;
    const std::string& text = args[0]->lexical;
    return BoolTerm(
        RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re));
  }
  if (name == "REPLACE") {
    if (args.size() < 3 || args.size() > 4 || !IsStringLiteral(*args[0]) ||
        !IsSimpleOrXsdString(*args[1]) || !IsSimpleOrXsdString(*args[2]) ||
        (args.size() == 4 && !IsSimpleOrXsdString(*args[3]))) {
      return std::nullopt;
    }
    auto re = CompileRegex(args[1]->lexical,
                           args.size() == 4 ? args[3]->lexical : "");
    if (!re) return std::nullopt;
    auto out = RegexReplace(args[0]->lexical, *re, args[2]->lexical, context);
    if (!out) return std::nullopt;
    return SameKindLiteral(*args[0], std::move(*out));
  }
  return std::nullopt;
}

}  // namespace kg::fn_internal

namespace kg {

std::string RegexProblem(std::string_view pattern, std::string_view flags) {
  for (char c : flags) {
    if (c != 'i' && c != 's' && c != 'm' && c != 'x' && c != 'q')
      return "unknown flag '" + std::string(1, c) +
             "' (the flags are i, s, m, x and q)";
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  std::string translated;
  if (!fn_internal::TranslateRegex(pattern, flags, &translated)) {
    // A syntax error RE2 names ("missing ]") is said as RE2 says it.
    RE2 raw(re2::StringPiece(pattern.data(), pattern.size()), options);
    if (!raw.ok()) return raw.error();
    return "it uses an XPath construct that RE2 lacks (a back-reference, "
           "character-class subtraction, \\i, \\c or a (?flags) group)";
  }
  RE2 re(translated, options);
  if (!re.ok()) return re.error();
  return "";
}

}  // namespace kg
