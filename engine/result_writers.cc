// The result writers behind WriteResult.
//
// Streaming: TSV, CSV, JSON, XML, N-Triples and Turtle write each row or
// triple as NextRow/NextTriple hands it over, so a huge result never sits in
// memory. The text table needs its column widths before the first line, so
// it buffers the rows it will print (at most max_rows, or all of them when
// max_rows is 0) and only counts the rest.
//
// Escaping choices (each format's spec leaves one corner open):
// - JSON: a small escaper instead of a library, because this is a core
//   output path and the rules are short (RFC 8259): \" \\ \b \f \n \r \t,
//   other C0 controls and U+2028/U+2029 (JavaScript line ends) as \uXXXX;
//   everything else as UTF-8.
// - XML 1.0 cannot carry most C0 control characters at all, not even as
//   character references; those are written as U+FFFD. CR is written as
//   &#13; (and TAB/LF in attributes as &#9;/&#10;) so parsers do not
//   normalise them away.
// - JSON and XML must be valid Unicode: a byte that is not well-formed UTF-8
//   is written as U+FFFD.
// - The text table is for people: plain strings without quotes, numbers
//   and booleans bare, "text"@lang and "lexical"^^datatype otherwise, IRIs
//   shortened to prefix:local when a prefix fits, and control characters
//   shown as \n, \t, \r or \u00XX so they cannot break the alignment.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/query_result.h"
#include "storage/absl_compat.h"
#include "storage/rdf/rdf_format.h"
#include "storage/rdf/syntax.h"

namespace kg {
namespace {

using rdf_internal::DecodeUtf8;

constexpr char kHex[] = "0123456789ABCDEF";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

absl::Status StreamStatus(const std::ostream& out) {
  if (out.good()) return absl::OkStatus();
  return absl::DataLossError("writing the query result failed");
}

// ---- prefixes and term display ------------------------------------------

using PrefixList = std::vector<std::pair<std::string, std::string>>;

// The caller's prefixes, then the query's own ones for names the caller did
// not define.
PrefixList MergePrefixes(const ResultWriteOptions& options,
                         const QueryResult& result) {
  std::map<std::string, std::string> merged = options.prefixes;
  for (const auto& [name, ns] : result.prefixes()) merged.emplace(name, ns);
  PrefixList list;
  for (auto& [name, ns] : merged) {
    if (!ns.empty()) list.emplace_back(name, ns);
  }
  return list;
}

// True when `local` can follow "prefix:" as a PN_LOCAL without escapes.
bool IsPlainPnLocal(std::string_view local) {
  const char* p = local.data();
  const char* end = p + local.size();
  bool first = true;
  uint32_t last = 0;
  while (p < end) {
    uint32_t cp;
    int len = DecodeUtf8(p, end, &cp);
    if (len == 0) return false;
    bool ok = first ? (rdf_internal::IsPnCharsU(cp) || cp == ':' ||
                       (cp >= '0' && cp <= '9'))
                    : (rdf_internal::IsPnChars(cp) || cp == '.' || cp == ':');
    if (!ok) return false;
    first = false;
    last = cp;
    p += len;
  }
  return last != '.';
}

std::string ShortIri(std::string_view iri, const PrefixList& prefixes) {
  const std::pair<std::string, std::string>* best = nullptr;
  for (const auto& entry : prefixes) {
    const std::string& ns = entry.second;
    if (iri.size() < ns.size() || iri.compare(0, ns.size(), ns) != 0) continue;
    if (best != nullptr && best->second.size() >= ns.size()) continue;
    if (!IsPlainPnLocal(iri.substr(ns.size()))) continue;
    best = &entry;
  }
  if (best != nullptr) {
    return absl::StrCat(best->first, ":", Sv(iri.substr(best->second.size())));
  }
  return absl::StrCat("<", Sv(iri), ">");
}

// Control characters as visible escapes, so a cell stays on one line.
void AppendVisible(std::string_view text, std::string* out) {
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7F) {
      out->push_back(ch);
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (c == '\r') {
      out->append("\\r");
    } else {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
    }
  }
}

bool IsBareDatatype(std::string_view dt) {
  if (dt.size() <= kXsd.size() || dt.substr(0, kXsd.size()) != kXsd) {
    return false;
  }
  std::string_view local = dt.substr(kXsd.size());
  static constexpr std::string_view kBare[] = {"integer",
                                               "decimal",
                                               "double",
                                               "float",
                                               "boolean",
                                               "int",
                                               "long",
                                               "short",
                                               "byte",
                                               "nonNegativeInteger",
                                               "positiveInteger",
                                               "nonPositiveInteger",
                                               "negativeInteger",
                                               "unsignedLong",
                                               "unsignedInt",
                                               "unsignedShort",
                                               "unsignedByte"};
  return std::find(std::begin(kBare), std::end(kBare), local) !=
         std::end(kBare);
}

bool IsNumericDatatype(std::string_view dt) {
  return IsBareDatatype(dt) && dt != kXsdBoolean;
}

struct Cell {
  std::string text;
  bool right = false;  // numbers align right
};

Cell DisplayTerm(const Term& t, const PrefixList& prefixes) {
  Cell cell;
  switch (t.kind) {
    case TermKind::kIri:
      AppendVisible(ShortIri(t.lexical, prefixes), &cell.text);
      break;
    case TermKind::kBlankNode:
      cell.text = "_:";
      AppendVisible(t.lexical, &cell.text);
      break;
    case TermKind::kLiteral:
      if (!t.language.empty()) {
        cell.text.push_back('"');
        AppendVisible(t.lexical, &cell.text);
        absl::StrAppend(&cell.text, "\"@", t.language);
      } else if (t.datatype.empty()) {
        AppendVisible(t.lexical, &cell.text);
      } else if (IsBareDatatype(t.datatype)) {
        AppendVisible(t.lexical, &cell.text);
        cell.right = IsNumericDatatype(t.datatype);
      } else {
        cell.text.push_back('"');
        AppendVisible(t.lexical, &cell.text);
        cell.text.append("\"^^");
        AppendVisible(ShortIri(t.datatype, prefixes), &cell.text);
      }
      break;
  }
  return cell;
}

// ---- display width -------------------------------------------------------

// Columns a code point takes on a terminal: 0 for combining marks, 2 for
// East Asian wide and fullwidth characters and emoji, else 1. The ranges
// are the main blocks of Unicode's EastAsianWidth W/F, not the full table.
int CodePointWidth(uint32_t c) {
  if ((c >= 0x300 && c <= 0x36F) || (c >= 0x200B && c <= 0x200F) ||
      (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x20D0 && c <= 0x20FF)) {
    return 0;
  }
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
      (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
      (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
      (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
      (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

// Width of `text`; a byte that is not UTF-8 counts as one column.
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    uint32_t cp;
    int len = DecodeUtf8(p, end, &cp);
    if (len == 0) {
      ++width;
      ++p;
      continue;
    }
    width += CodePointWidth(cp);
    p += len;
  }
  return width;
}

// Cuts `text` to at most `max` columns, the last of them an ellipsis.
void Truncate(std::string* text, size_t max) {
  if (max == 0 || DisplayWidth(*text) <= max) return;
  const char* begin = text->data();
  const char* p = begin;
  const char* end = p + text->size();
  size_t width = 0;
  while (p < end) {
    uint32_t cp;
    int len = DecodeUtf8(p, end, &cp);
    int w = 1;
    if (len == 0) {
      len = 1;
    } else {
      w = CodePointWidth(cp);
    }
    if (width + w > max - 1) break;
    width += w;
    p += len;
  }
  text->resize(p - begin);
  text->append("\xE2\x80\xA6");  // U+2026 HORIZONTAL ELLIPSIS
}

// ---- text table ------------------------------------------------------------

class TableWriter {
 public:
  TableWriter(std::vector<std::string> header, const ResultWriteOptions& opts,
              PrefixList prefixes)
      : opts_(opts), prefixes_(std::move(prefixes)) {
    for (std::string& h : header) {
      Cell c;
      AppendVisible(h, &c.text);
      Truncate(&c.text, opts_.max_cell_width);
      header_.push_back(std::move(c));
    }
  }

  void Add(const std::vector<const Term*>& terms) {
    ++total_;
    if (opts_.max_rows != 0 && rows_.size() >= opts_.max_rows) return;
    std::vector<Cell> row;
    row.reserve(terms.size());
    for (const Term* t : terms) {
      Cell c;
      if (t != nullptr) c = DisplayTerm(*t, prefixes_);
      Truncate(&c.text, opts_.max_cell_width);
      row.push_back(std::move(c));
    }
    rows_.push_back(std::move(row));
  }

  void Write(std::ostream& out) const {
    size_t n = header_.size();
    if (n > 0) {
      std::vector<size_t> widths(n, 0);
      for (size_t i = 0; i < n; ++i) widths[i] = DisplayWidth(header_[i].text);
      for (const auto& row : rows_) {
        for (size_t i = 0; i < n; ++i) {
          widths[i] = std::max(widths[i], DisplayWidth(row[i].text));
        }
      }
      WriteLine(out, header_, widths);
      std::string rule;
      for (size_t i = 0; i < n; ++i) {
        if (i > 0) rule.push_back('+');
        rule.append(widths[i] + 2, '-');
      }
      out << rule << '\n';
      for (const auto& row : rows_) WriteLine(out, row, widths);
    }
    if (total_ > rows_.size()) {
      uint64_t more = total_ - rows_.size();
      out << "\xE2\x80\xA6 " << more << (more == 1 ? " more row" : " more rows")
          << '\n';
    }
    out << total_ << (total_ == 1 ? " row" : " rows") << '\n';
  }

 private:
  // " a | b " with the last column not padded on the right (no trailing
  // blanks).
  static void WriteLine(std::ostream& out, const std::vector<Cell>& cells,
                        const std::vector<size_t>& widths) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line.append("|");
      line.push_back(' ');
      size_t pad = widths[i] - DisplayWidth(cells[i].text);
      bool last = i + 1 == cells.size();
      if (cells[i].right) line.append(pad, ' ');
      line.append(cells[i].text);
      if (!cells[i].right && !last) line.append(pad, ' ');
      if (!last) line.push_back(' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }

  const ResultWriteOptions& opts_;
  PrefixList prefixes_;
  std::vector<Cell> header_;
  std::vector<std::vector<Cell>> rows_;
  uint64_t total_ = 0;
};

absl::Status WriteTable(QueryResult& result, std::ostream& out,
                        const ResultWriteOptions& options) {
  PrefixList prefixes = MergePrefixes(options, result);
  if (result.kind() == QueryResult::Kind::kGraph) {
    TableWriter table({"subject", "predicate", "object"}, options, prefixes);
    Quad quad;
    for (;;) {
      absl::StatusOr<bool> more = result.NextTriple(&quad);
      if (!more.ok()) return more.status();
      if (!*more) break;
      table.Add({&quad.subject, &quad.predicate, &quad.object});
    }
    table.Write(out);
    return StreamStatus(out);
  }
  TableWriter table(result.variables(), options, prefixes);
  Row row;
  std::vector<const Term*> terms;
  for (;;) {
    absl::StatusOr<bool> more = result.NextRow(&row);
    if (!more.ok()) return more.status();
    if (!*more) break;
    terms.clear();
    for (size_t i = 0; i < result.variables().size(); ++i) {
      terms.push_back(i < row.size() && row[i].has_value() ? &*row[i]
                                                           : nullptr);
    }
    table.Add(terms);
  }
  table.Write(out);
  return StreamStatus(out);
}

// ---- TSV and CSV -----------------------------------------------------------

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view StripSign(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  return s;
}

// The lexical form matches Turtle's INTEGER / DECIMAL / DOUBLE token of the
// same datatype, so the bare number reads back as the same term.
bool IsTurtleNumber(const Term& t) {
  std::string_view s = StripSign(t.lexical);
  if (t.datatype == kXsdInteger) return AllDigits(s);
  if (t.datatype == kXsdDecimal) {
    size_t dot = s.find('.');
    if (dot == std::string_view::npos) return false;
    std::string_view before = s.substr(0, dot);
    return (before.empty() || AllDigits(before)) &&
           AllDigits(s.substr(dot + 1));
  }
  if (t.datatype == kXsdDouble) {
    size_t e = s.find_first_of("eE");
    if (e == std::string_view::npos) return false;
    std::string_view mant = s.substr(0, e);
    std::string_view exp = StripSign(s.substr(e + 1));
    if (!AllDigits(exp)) return false;
    size_t dot = mant.find('.');
    if (dot == std::string_view::npos) return AllDigits(mant);
    std::string_view a = mant.substr(0, dot);
    std::string_view b = mant.substr(dot + 1);
    if (a.empty() && b.empty()) return false;
    return (a.empty() || AllDigits(a)) && (b.empty() || AllDigits(b));
  }
  return false;
}

void AppendTsvTerm(const Term& t, std::string* out) {
  if (t.is_literal() && t.language.empty() && IsTurtleNumber(t)) {
    out->append(t.lexical);
  } else {
    t.AppendNTriples(out);
  }
}

void AppendCsvField(std::string_view value, std::string* out) {
  if (value.find_first_of("\",\r\n") == std::string_view::npos) {
    out->append(value);
    return;
  }
  out->push_back('"');
  for (char c : value) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendCsvTerm(const Term& t, std::string* out) {
  if (t.is_blank()) {
    AppendCsvField(absl::StrCat("_:", t.lexical), out);
  } else {
    AppendCsvField(t.lexical, out);
  }
}

// TSV lines end in LF, CSV lines in CRLF, as the SPARQL 1.1 CSV/TSV spec
// says.
absl::Status WriteSeparated(QueryResult& result, std::ostream& out, bool tsv) {
  const std::vector<std::string>& vars = result.variables();
  const char sep = tsv ? '\t' : ',';
  const char* eol = tsv ? "\n" : "\r\n";
  std::string line;
  for (size_t i = 0; i < vars.size(); ++i) {
    if (i > 0) line.push_back(sep);
    if (tsv) {
      line.push_back('?');
      line.append(vars[i]);
    } else {
      AppendCsvField(vars[i], &line);
    }
  }
  line.append(eol);
  out << line;
  Row row;
  for (;;) {
    absl::StatusOr<bool> more = result.NextRow(&row);
    if (!more.ok()) return more.status();
    if (!*more) break;
    line.clear();
    for (size_t i = 0; i < vars.size(); ++i) {
      if (i > 0) line.push_back(sep);
      if (i >= row.size() || !row[i].has_value()) continue;
      if (tsv) {
        AppendTsvTerm(*row[i], &line);
      } else {
        AppendCsvTerm(*row[i], &line);
      }
    }
    line.append(eol);
    out << line;
    if (!out.good()) return StreamStatus(out);
  }
  return StreamStatus(out);
}

// ---- JSON
// --------------------------------------------------------------------

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      out->push_back(*p++);
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        ++p;
        continue;
      case '\\':
        out->append("\\\\");
        ++p;
        continue;
      case '\b':
        out->append("\\b");
        ++p;
        continue;
      case '\f':
        out->append("\\f");
        ++p;
        continue;
      case '\n':
        out->append("\\n");
        ++p;
        continue;
      case '\r':
        out->append("\\r");
        ++p;
        continue;
      case '\t':
        out->append("\\t");
        ++p;
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
      ++p;
      continue;
    }
    uint32_t cp;
    int len = DecodeUtf8(p, end, &cp);
    if (len == 0) {
      out->append(kReplacement);
      ++p;
    } else if (cp == 0x2028 || cp == 0x2029) {
      out->append(cp == 0x2028 ? "\\u2028" : "\\u2029");
      p += len;
    } else {
      out->append(p, len);
      p += len;
    }
  }
  out->push_back('"');
}

void AppendJsonTerm(const Term& t, std::string* out) {
  switch (t.kind) {
    case TermKind::kIri:
      out->append("{ \"type\": \"uri\", \"value\": ");
      AppendJsonString(t.lexical, out);
      break;
    case TermKind::kBlankNode:
      out->append("{ \"type\": \"bnode\", \"value\": ");
      AppendJsonString(t.lexical, out);
      break;
    case TermKind::kLiteral:
      out->append("{ \"type\": \"literal\", \"value\": ");
      AppendJsonString(t.lexical, out);
      if (!t.language.empty()) {
        out->append(", \"xml:lang\": ");
        AppendJsonString(t.language, out);
      } else if (!t.datatype.empty()) {
        out->append(", \"datatype\": ");
        AppendJsonString(t.datatype, out);
      }
      break;
  }
  out->append(" }");
}

absl::Status WriteJson(QueryResult& result, std::ostream& out) {
  if (result.kind() == QueryResult::Kind::kBoolean) {
    out << "{\n  \"head\": {},\n  \"boolean\": "
        << (result.boolean() ? "true" : "false") << "\n}\n";
    return StreamStatus(out);
  }
  const std::vector<std::string>& vars = result.variables();
  std::string text = "{\n  \"head\": { \"vars\": [";
  for (size_t i = 0; i < vars.size(); ++i) {
    text.append(i == 0 ? " " : ", ");
    AppendJsonString(vars[i], &text);
  }
  text.append(vars.empty() ? "] },\n" : " ] },\n");
  text.append("  \"results\": {\n    \"bindings\": [");
  out << text;
  Row row;
  bool first = true;
  for (;;) {
    absl::StatusOr<bool> more = result.NextRow(&row);
    if (!more.ok()) return more.status();
    if (!*more) break;
    text.assign(first ? "\n      {" : ",\n      {");
    first = false;
    bool first_binding = true;
    for (size_t i = 0; i < vars.size() && i < row.size(); ++i) {
      if (!row[i].has_value()) continue;
      text.append(first_binding ? "\n        " : ",\n        ");
      first_binding = false;
      AppendJsonString(vars[i], &text);
      text.append(": ");
      AppendJsonTerm(*row[i], &text);
    }
    text.append(first_binding ? "}" : "\n      }");
    out << text;
    if (!out.good()) return StreamStatus(out);
  }
  out << (first ? "]\n  }\n}\n" : "\n    ]\n  }\n}\n");
  return StreamStatus(out);
}

// ---- XML
// -----------------------------------------------------------------------

// Escapes for element content (attribute = false) or a double-quoted
// attribute value (attribute = true).
void AppendXmlEscaped(std::string_view s, bool attribute, std::string* out) {
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    auto c = static_cast<unsigned char>(*p);
    if (c < 0x80) {
      ++p;
      switch (c) {
        case '&':
          out->append("&amp;");
          break;
        case '<':
          out->append("&lt;");
          break;
        case '>':
          out->append("&gt;");
          break;
        case '"':
          out->append(attribute ? "&quot;" : "\"");
          break;
        case '\r':
          out->append("&#13;");
          break;
        case '\t':
          out->append(attribute ? "&#9;" : "\t");
          break;
        case '\n':
          out->append(attribute ? "&#10;" : "\n");
          break;
        default:
          if (c < 0x20) {
            out->append(kReplacement);  // not representable in XML 1.0
          } else {
            out->push_back(static_cast<char>(c));
          }
      }
      continue;
    }
    uint32_t cp;
    int len = DecodeUtf8(p, end, &cp);
    if (len == 0 || cp == 0xFFFE || cp == 0xFFFF) {
      out->append(kReplacement);
      p += len == 0 ? 1 : len;
    } else {
      out->append(p, len);
      p += len;
    }
  }
}

void AppendXmlTerm(const Term& t, std::string* out) {
  switch (t.kind) {
    case TermKind::kIri:
      out->append("<uri>");
      AppendXmlEscaped(t.lexical, false, out);
      out->append("</uri>");
      break;
    case TermKind::kBlankNode:
      out->append("<bnode>");
      AppendXmlEscaped(t.lexical, false, out);
      out->append("</bnode>");
      break;
    case TermKind::kLiteral:
      out->append("<literal");
      if (!t.language.empty()) {
        out->append(" xml:lang=\"");
        AppendXmlEscaped(t.language, true, out);
        out->push_back('"');
      } else if (!t.datatype.empty()) {
        out->append(" datatype=\"");
        AppendXmlEscaped(t.datatype, true, out);
        out->push_back('"');
      }
      out->push_back('>');
      AppendXmlEscaped(t.lexical, false, out);
      out->append("</literal>");
      break;
  }
}

absl::Status WriteXml(QueryResult& result, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n";
  if (result.kind() == QueryResult::Kind::kBoolean) {
    out << "  <head/>\n  <boolean>" << (result.boolean() ? "true" : "false")
        << "</boolean>\n</sparql>\n";
    return StreamStatus(out);
  }
  const std::vector<std::string>& vars = result.variables();
  std::string text = "  <head>\n";
  for (const std::string& v : vars) {
    text.append("    <variable name=\"");
    AppendXmlEscaped(v, true, &text);
    text.append("\"/>\n");
  }
  text.append("  </head>\n  <results>\n");
  out << text;
  Row row;
  for (;;) {
    absl::StatusOr<bool> more = result.NextRow(&row);
    if (!more.ok()) return more.status();
    if (!*more) break;
    text.assign("    <result>\n");
    for (size_t i = 0; i < vars.size() && i < row.size(); ++i) {
      if (!row[i].has_value()) continue;
      text.append("      <binding name=\"");
      AppendXmlEscaped(vars[i], true, &text);
      text.append("\">");
      AppendXmlTerm(*row[i], &text);
      text.append("</binding>\n");
    }
    text.append("    </result>\n");
    out << text;
    if (!out.good()) return StreamStatus(out);
  }
  out << "  </results>\n</sparql>\n";
  return StreamStatus(out);
}

// ---- N-Triples and Turtle ---------------------------------------------------

absl::Status WriteGraph(QueryResult& result, RdfFormat format,
                        std::ostream& out, const ResultWriteOptions& options) {
  std::unique_ptr<RdfWriter> writer = NewRdfWriter(format, out);
  for (const auto& [name, ns] : MergePrefixes(options, result)) {
    writer->AddPrefix(name, ns);
  }
  Quad quad;
  for (;;) {
    absl::StatusOr<bool> more = result.NextTriple(&quad);
    if (!more.ok()) return more.status();
    if (!*more) break;
    quad.graph.reset();
    if (absl::Status s = writer->Write(quad); !s.ok()) return s;
  }
  return writer->Finish();
}

std::string_view KindName(QueryResult::Kind kind) {
  switch (kind) {
    case QueryResult::Kind::kBindings:
      return "a SELECT result (variable bindings)";
    case QueryResult::Kind::kBoolean:
      return "an ASK result (a boolean)";
    case QueryResult::Kind::kGraph:
      return "a CONSTRUCT/DESCRIBE result (a graph)";
  }
  return "a result";
}

std::string_view FormatName(ResultFormat format) {
  switch (format) {
    case ResultFormat::kTable:
      return "table";
    case ResultFormat::kTsv:
      return "tsv";
    case ResultFormat::kCsv:
      return "csv";
    case ResultFormat::kJson:
      return "json";
    case ResultFormat::kXml:
      return "xml";
    case ResultFormat::kNTriples:
      return "ntriples";
    case ResultFormat::kTurtle:
      return "turtle";
  }
  return "?";
}

absl::Status CannotCarry(const QueryResult& result, ResultFormat format) {
  std::string_view hint = result.kind() == QueryResult::Kind::kGraph
                              ? "; use ntriples, turtle or table"
                              : "; use table, tsv, csv, json or xml";
  return absl::InvalidArgumentError(
      absl::StrCat("the ", Sv(FormatName(format)), " format cannot carry ",
                   Sv(KindName(result.kind())), Sv(hint)));
}

}  // namespace

absl::Status WriteResult(QueryResult& result, ResultFormat format,
                         std::ostream& out, const ResultWriteOptions& options) {
  const QueryResult::Kind kind = result.kind();
  if (kind == QueryResult::Kind::kBoolean) {
    switch (format) {
      case ResultFormat::kJson:
        return WriteJson(result, out);
      case ResultFormat::kXml:
        return WriteXml(result, out);
      default:
        // Table, TSV, CSV and the RDF formats: the bare answer, which is
        // what a shell user or a script wants to see.
        out << (result.boolean() ? "true" : "false") << '\n';
        return StreamStatus(out);
    }
  }
  if (kind == QueryResult::Kind::kGraph) {
    switch (format) {
      case ResultFormat::kTable:
        return WriteTable(result, out, options);
      case ResultFormat::kNTriples:
        return WriteGraph(result, RdfFormat::kNTriples, out, options);
      case ResultFormat::kTurtle:
        return WriteGraph(result, RdfFormat::kTurtle, out, options);
      default:
        return CannotCarry(result, format);
    }
  }
  switch (format) {
    case ResultFormat::kTable:
      return WriteTable(result, out, options);
    case ResultFormat::kTsv:
      return WriteSeparated(result, out, /*tsv=*/true);
    case ResultFormat::kCsv:
      return WriteSeparated(result, out, /*tsv=*/false);
    case ResultFormat::kJson:
      return WriteJson(result, out);
    case ResultFormat::kXml:
      return WriteXml(result, out);
    case ResultFormat::kNTriples:
    case ResultFormat::kTurtle:
      return CannotCarry(result, format);
  }
  return CannotCarry(result, format);
}

}  // namespace kg
