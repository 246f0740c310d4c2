// The escapers every export writer shares, one per syntax, and the
// clean-up they all do: invalid UTF-8 becomes U+FFFD.
//
//   DOT     DotQuote: a double-quoted string (escString for labels).
//   XML     AppendXml: text or a double-quoted attribute value; characters
//           XML 1.0 forbids become U+FFFD, line breaks and tabs character
//           references. NmToken: an NMTOKEN made of a name.
//   JSON    AppendJson: a string literal that may also sit inside an HTML
//           <script> element (< > & U+2028 U+2029 as \uXXXX).
//
// Not a public API (kg_export only).

#ifndef KGSTORE_ENGINE_EXPORT_TEXT_ESCAPE_H_
#define KGSTORE_ENGINE_EXPORT_TEXT_ESCAPE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kg::export_internal {

// Labels the visual formats (DOT, HTML) show are cut after this many code
// points; the whole text stays in the tooltip or the side panel.
inline constexpr size_t kMaxDisplayLabel = 80;

// At most `max` code points of `s`, with "…" when cut.
std::string DisplayLabel(std::string_view s, size_t max = kMaxDisplayLabel);

// `s` inside a DOT double-quoted string, quotes included.
std::string DotQuote(std::string_view s);

// `s` as XML 1.0 text or attribute value (for double-quoted attributes).
void AppendXml(std::string_view s, std::string* out);
std::string Xml(std::string_view s);

// `s` as a JSON string literal, quotes included.
void AppendJson(std::string_view s, std::string* out);
std::string Json(std::string_view s);

// An XML NMTOKEN made of `s` (other characters become '_').
std::string NmToken(std::string_view s);

// The values of one attribute in one string, separated by "; ".
std::string JoinValues(const std::vector<std::string>& values);

}  // namespace kg::export_internal

#endif  // KGSTORE_ENGINE_EXPORT_TEXT_ESCAPE_H_
