// The export writers' escapers (text_escape.h).

#include "engine/export/text_escape.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storage/rdf/syntax.h"

namespace kg::export_internal {
namespace {

using rdf_internal::AppendUtf8;

// Calls f(code_point) for each code point of `s`; invalid UTF-8 bytes give
// U+FFFD.
template <typename F>
void ForEachCodePoint(std::string_view s, F&& f) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      f(0xFFFD);
      ++i;
      continue;
    }
    bool ok = i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (d & 0x3F);
    }
    if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
               (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
               (cp >= 0xD800 && cp <= 0xDFFF)))
      ok = false;
    if (!ok) {
      f(0xFFFD);
      ++i;
      continue;
    }
    f(cp);
    i += len;
  }
}

}  // namespace

std::string DisplayLabel(std::string_view s, size_t max) {
  std::string out;
  size_t n = 0;
  bool cut = false;
  ForEachCodePoint(s, [&](uint32_t cp) {
    if (cut) return;
    if (n == max) {
      cut = true;
      return;
    }
    AppendUtf8(cp, &out);
    ++n;
  });
  if (cut) out += "\xE2\x80\xA6";
  return out;
}

std::string DotQuote(std::string_view s) {
  std::string out = "\"";
  ForEachCodePoint(s, [&](uint32_t cp) {
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default:
        if (cp < 0x20 || cp == 0x7F) out.push_back(' ');
        else AppendUtf8(cp, &out);
    }
  });
  out += "\"";
  return out;
}

void AppendXml(std::string_view s, std::string* out) {
  ForEachCodePoint(s, [&](uint32_t cp) {
    switch (cp) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '"': *out += "&quot;"; break;
      case '\n': *out += "&#10;"; break;
      case '\r': *out += "&#13;"; break;
      case '\t': *out += "&#9;"; break;
      default:
        if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) AppendUtf8(0xFFFD, out);
        else AppendUtf8(cp, out);
    }
  });
}

std::string Xml(std::string_view s) {
  std::string out;
  AppendXml(s, &out);
  return out;
}

// A small escaper rather than nlohmann-json (a dependency of the tests):
// the page needs < > & U+2028 U+2029 escaped, which no JSON library does,
// and invalid UTF-8 mended instead of rejected.
void AppendJson(std::string_view s, std::string* out) {
  out->push_back('"');
  ForEachCodePoint(s, [&](uint32_t cp) {
    switch (cp) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      case '<': *out += "\\u003c"; break;
      case '>': *out += "\\u003e"; break;
      case '&': *out += "\\u0026"; break;
      case 0x2028: *out += "\\u2028"; break;
      case 0x2029: *out += "\\u2029"; break;
      default:
        if (cp < 0x20 || cp == 0x7F) *out += absl::StrFormat("\\u%04x", cp);
        else AppendUtf8(cp, out);
    }
  });
  out->push_back('"');
}

std::string Json(std::string_view s) {
  std::string out;
  AppendJson(s, &out);
  return out;
}

std::string NmToken(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
              c == ':';
    out.push_back(ok ? c : '_');
  }
  if (out.empty()) out.push_back('_');
  return out;
}

std::string JoinValues(const std::vector<std::string>& values) {
  std::string s;
  for (const std::string& v : values)
    absl::StrAppend(&s, s.empty() ? "" : "; ", v);
  return s;
}

}  // namespace kg::export_internal
