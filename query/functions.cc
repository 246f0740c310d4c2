// The builtin-function dispatcher (CallFunction / IsKnownFunction) and the
// functions on RDF terms (17.4.1, 17.4.2): STR, LANG, LANGMATCHES,
// DATATYPE, IRI, BNODE, STRLANG, STRDT, sameTerm, the isX tests, NOW,
// UUID/STRUUID, the hash functions (OpenSSL EVP) and the XSD casts (17.5).
// Numeric, string and date/time functions live in functions_numeric.cc,
// functions_string.cc and functions_datetime.cc.

#include "query/functions.h"

#include <openssl/evp.h>

#include <cctype>
#include <cstdio>
#include <ctime>

#include "query/functions_internal.h"
#include "storage/rdf/syntax.h"

namespace kg {

const std::string& NowLexical(const FunctionContext& context) {
  if (context.now.empty()) {
    const auto t = context.now_time;
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm;
    gmtime_r(&secs, &tm);
    char buf[48];
    const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        t.time_since_epoch())
                        .count() %
                    1000;
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms));
    context.now = buf;
  }
  return context.now;
}

namespace {

using namespace fn_internal;  // NOLINT: the helpers of this module.

Term BoolTerm(bool b) {
  return Term::Literal(b ? "true" : "false", std::string(kXsdBoolean));
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

uint64_t Mix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string Hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx",
                static_cast<unsigned long long>(v));
  return buf;
}

// A per-query prefix for generated blank node labels, so labels from
// different queries (e.g. two INSERTs) do not collide with each other.
std::string BnodePrefix(const FunctionContext& context) {
  std::string prefix = "q";
  prefix.append(Hex64(Mix(Fnv1a(NowLexical(context)) ^ context.rand_state)), 0, 8);
  return prefix;
}

// A version-4 UUID from the query's random state and counter: unique
// within the query, and across queries as long as rand_state/now differ.
std::string MakeUuid(FunctionContext& context) {
  uint64_t seed = Fnv1a(NowLexical(context)) ^ context.rand_state;
  uint64_t hi = Mix(seed ^ Mix(context.counter));
  uint64_t lo = Mix(hi ^ Mix(~context.counter));
  ++context.counter;
  hi = (hi & ~0xF000ull) | 0x4000ull;                // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFull) | (1ull << 63);  // variant 10
  std::string h = Hex64(hi) + Hex64(lo);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20);
}

Value Hash(std::string_view name, const Term& t) {
  if (!IsSimpleOrXsdString(t)) return std::nullopt;
  const EVP_MD* md = name == "MD5"      ? EVP_md5()
                     : name == "SHA1"   ? EVP_sha1()
                     : name == "SHA256" ? EVP_sha256()
                     : name == "SHA384" ? EVP_sha384()
                                        : EVP_sha512();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(t.lexical.data(), t.lexical.size(), digest, &len, md,
                 nullptr) != 1) {
    return std::nullopt;
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return Term::Literal(std::move(out));
}

char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// RFC 4647 basic filtering: "*" matches any non-empty tag; otherwise the
// range equals the tag or is a prefix of it followed by '-', ignoring case.
bool LangMatches(std::string_view tag, std::string_view range) {
  if (range == "*") return !tag.empty();
  if (range.size() > tag.size()) return false;
  for (size_t i = 0; i < range.size(); ++i) {
    if (AsciiLower(tag[i]) != AsciiLower(range[i])) return false;
  }
  return range.size() == tag.size() ||
         (!range.empty() && tag[range.size()] == '-');
}

// BCP 47 shape as RDF uses it: [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
bool ValidLangTag(std::string_view s) {
  if (s.empty()) return false;
  size_t i = 0;
  size_t n = 0;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])))
    ++i, ++n;
  if (n == 0) return false;
  while (i < s.size()) {
    if (s[i++] != '-') return false;
    n = 0;
    while (i < s.size() && std::isalnum(static_cast<unsigned char>(s[i])))
      ++i, ++n;
    if (n == 0) return false;
  }
  return true;
}

bool IsCastTarget(std::string_view name) {
  if (name.substr(0, kXsd.size()) != kXsd) return false;
  return name == kXsdString || name == kXsdDecimal || name == kXsdDouble ||
         name == kXsdFloat || name == kXsdBoolean || name == kXsdDateTime ||
         name == kXsdDate || IsIntegerDatatype(name);
}

Value CastToBoolean(const Term& t) {
  if (!t.is_literal() || !t.language.empty()) return std::nullopt;
  if (t.datatype.empty() || t.datatype == kXsdBoolean) {
    std::string_view s = t.datatype.empty() ? TrimXsdSpace(t.lexical)
                                            : std::string_view(t.lexical);
    if (s == "true" || s == "1") return BoolTerm(true);
    if (s == "false" || s == "0") return BoolTerm(false);
    return std::nullopt;
  }
  auto n = ParseNumericTerm(t);
  if (!n) return std::nullopt;
  if (n->kind == NumKind::kFloat || n->kind == NumKind::kDouble) {
    return BoolTerm(!(n->dbl == 0 || n->dbl != n->dbl));
  }
  return BoolTerm(n->dec.m != 0);
}

Value Cast(std::string_view target, const Term& t) {
  if (t.is_blank()) return std::nullopt;
  if (target == kXsdString) {
    // IRIs and every literal except language-tagged ones cast to their
    // lexical form (see the report: the lexical form, not the XPath
    // canonical form, so values round-trip as the user wrote them).
    if (t.is_iri()) return Term::Literal(t.lexical);
    if (!t.language.empty()) return std::nullopt;
    // Ill-typed literals of known types cannot be cast.
    if (!t.datatype.empty() &&
        (IsIntegerDatatype(t.datatype) || t.datatype == kXsdDecimal ||
         t.datatype == kXsdDouble || t.datatype == kXsdFloat) &&
        !ParseNumericTerm(t)) {
      return std::nullopt;
    }
    if ((t.datatype == kXsdDateTime || t.datatype == kXsdDate) &&
        !ParseDateTimeTerm(t)) {
      return std::nullopt;
    }
    return Term::Literal(t.lexical);
  }
  if (t.is_iri()) return std::nullopt;
  if (target == kXsdBoolean) return CastToBoolean(t);
  if (target == kXsdDateTime || target == kXsdDate) {
    return CastToDateTime(target, t);
  }
  // Casts from date/time to numerics are not allowed.
  if (t.datatype == kXsdDateTime || t.datatype == kXsdDate) return std::nullopt;
  return CastToNumeric(target, t);
}

bool IsTermFunction(std::string_view name) {
  static const std::string_view kNames[] = {
      "STR",      "LANG",    "LANGMATCHES", "DATATYPE", "IRI",
      "URI",      "BNODE",   "RAND",        "ABS",      "CEIL",
      "FLOOR",    "ROUND",   "YEAR",        "MONTH",    "DAY",
      "HOURS",    "MINUTES", "SECONDS",     "TIMEZONE", "TZ",
      "NOW",      "UUID",    "STRUUID",     "MD5",      "SHA1",
      "SHA256",   "SHA384",  "SHA512",      "STRLANG",  "STRDT",
      "SAMETERM", "ISIRI",   "ISURI",       "ISBLANK",  "ISLITERAL",
      "ISNUMERIC"};
  for (std::string_view n : kNames) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace

bool IsKnownFunction(std::string_view name) {
  return IsTermFunction(name) || IsStringFunction(name) || IsCastTarget(name);
}

Value CallFunction(std::string_view name, const std::vector<Value>& args,
                   FunctionContext& context) {
  if (IsStringFunction(name)) {
    Value v = StringFunction(name, args, context);
    if (v && v->lexical.size() > context.max_string_bytes) {
      context.string_too_long = true;
      return std::nullopt;
    }
    return v;
  }
  if (name == "RAND" || name == "ABS" || name == "CEIL" || name == "FLOOR" ||
      name == "ROUND") {
    return NumericFunction(name, args, context);
  }
  if (name == "YEAR" || name == "MONTH" || name == "DAY" || name == "HOURS" ||
      name == "MINUTES" || name == "SECONDS" || name == "TIMEZONE" ||
      name == "TZ") {
    return DateTimeFunction(name, args);
  }
  // Nullary functions.
  if (name == "NOW") {
    if (!args.empty()) return std::nullopt;
    return Term::Literal(NowLexical(context), std::string(kXsdDateTime));
  }
  if (name == "UUID" || name == "STRUUID") {
    if (!args.empty()) return std::nullopt;
    std::string uuid = MakeUuid(context);
    if (name == "UUID") return Term::Iri(std::string("urn:uuid:").append(uuid));
    return Term::Literal(std::move(uuid));
  }
  if (name == "BNODE") {
    if (args.empty()) {
      return Term::BlankNode(BnodePrefix(context) + "n" +
                             std::to_string(context.counter++));
    }
    if (args.size() != 1 || !args[0] || !IsSimpleOrXsdString(*args[0])) {
      return std::nullopt;
    }
    // Same string in the same row -> same node; a new row -> a new node.
    return Term::BlankNode(BnodePrefix(context) + "r" +
                           std::to_string(context.row) + "s" +
                           Hex64(Fnv1a(args[0]->lexical)));
  }
  // Everything below takes arguments that must all be bound and valid.
  for (const Value& a : args) {
    if (!a) return std::nullopt;
  }
  if (IsCastTarget(name)) {
    if (args.size() != 1) return std::nullopt;
    return Cast(name, *args[0]);
  }
  if (args.size() == 1) {
    const Term& t = *args[0];
    if (name == "STR") {
      if (t.is_blank()) return std::nullopt;
      return Term::Literal(t.lexical);
    }
    if (name == "LANG") {
      if (!t.is_literal()) return std::nullopt;
      return Term::Literal(t.language);
    }
    if (name == "DATATYPE") {
      if (!t.is_literal()) return std::nullopt;
      return Term::Iri(std::string(t.DatatypeIri()));
    }
    if (name == "IRI" || name == "URI") {
      if (t.is_iri()) return t;
      if (!IsSimpleOrXsdString(t)) return std::nullopt;
      // A string with a character no IRI may hold (a space, '<', '>',
      // '"', '{', '}', '|', '^', '`', '\\', a control character) is an
      // error, not an IRI that no RDF syntax could write back.
      for (char c : t.lexical)
        if (rdf_internal::IsIriRefForbidden(static_cast<unsigned char>(c)))
          return std::nullopt;
      return Term::Iri(t.lexical);
    }
    if (name == "ISIRI" || name == "ISURI") return BoolTerm(t.is_iri());
    if (name == "ISBLANK") return BoolTerm(t.is_blank());
    if (name == "ISLITERAL") return BoolTerm(t.is_literal());
    if (name == "ISNUMERIC") return BoolTerm(IsNumeric(t));
    if (name == "MD5" || name == "SHA1" || name == "SHA256" ||
        name == "SHA384" || name == "SHA512") {
      return Hash(name, t);
    }
    return std::nullopt;
  }
  if (args.size() == 2) {
    const Term& a = *args[0];
    const Term& b = *args[1];
    if (name == "LANGMATCHES") {
      if (!IsSimpleOrXsdString(a) || !IsSimpleOrXsdString(b)) {
        return std::nullopt;
      }
      return BoolTerm(LangMatches(a.lexical, b.lexical));
    }
    if (name == "STRLANG") {
      if (!IsSimpleOrXsdString(a) || !IsSimpleOrXsdString(b) ||
          !ValidLangTag(b.lexical)) {
        return std::nullopt;
      }
      return Term::LangLiteral(a.lexical, b.lexical);
    }
    if (name == "STRDT") {
      if (!IsSimpleOrXsdString(a) || !b.is_iri() ||
          b.lexical == kRdfLangString) {
        return std::nullopt;
      }
      return Term::Literal(a.lexical, b.lexical);
    }
    if (name == "SAMETERM") return BoolTerm(a == b);
  }
  return std::nullopt;
}

}  // namespace kg
