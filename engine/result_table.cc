// The text table behind WriteResult(..., ResultFormat::kTable): for people,
// not programs.
//
// The table needs its column widths before the first line, so it buffers
// the rows it will print (at most max_rows, or all of them when max_rows is
// 0) and only counts the rest. Terms are shown readably: plain strings
// without quotes, numbers and booleans bare, "text"@lang and
// "lexical"^^datatype otherwise, IRIs shortened to prefix:local when a
// prefix fits (ShortenIri, engine/iri_prefixes.h), and control characters
// shown as \n, \t, \r or \u00XX so they cannot break the alignment.
//
// A result that fails while its rows are read (timeout, memory cap,
// cancellation, a storage error) is still printed, with the rows read so
// far and the footer "N rows (result cut: <reason>)".

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/query_result.h"
#include "engine/result_writers_internal.h"
#include "storage/base/absl_compat.h"
#include "storage/rdf/syntax.h"

namespace kg::results_internal {
namespace {

using rdf_internal::DecodeUtf8;

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

Cell DisplayTerm(const Term& t, const PrefixMap& prefixes) {
  Cell cell;
  switch (t.kind) {
    case TermKind::kIri:
      AppendVisible(ShortenIri(t.lexical, prefixes), &cell.text);
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
        AppendVisible(ShortenIri(t.datatype, prefixes), &cell.text);
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
              PrefixMap prefixes)
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
    if (full_) return;
    std::vector<Cell> row;
    row.reserve(terms.size());
    uint64_t bytes = 32;
    for (const Term* t : terms) {
      Cell c;
      if (t != nullptr) c = DisplayTerm(*t, prefixes_);
      Truncate(&c.text, opts_.max_cell_width);
      bytes += 32 + c.text.size();
      row.push_back(std::move(c));
    }
    if (opts_.max_table_bytes != 0 && held_ + bytes > opts_.max_table_bytes) {
      full_ = true;
      return;
    }
    held_ += bytes;
    rows_.push_back(std::move(row));
  }

  // `cut`: the error that ended the rows early, or OK.
  void Write(std::ostream& out, const absl::Status& cut) const {
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
      out << "\xE2\x80\xA6 " << more << (more == 1 ? " more row" : " more rows");
      if (full_)
        out << " (a table holds at most " << opts_.max_table_bytes
            << " bytes of text; the other formats stream every row)";
      out << '\n';
    }
    out << total_ << (total_ == 1 ? " row" : " rows");
    if (!cut.ok()) {
      std::string reason;
      AppendVisible(Sv(cut.message()), &reason);
      out << " (result cut: " << reason << ')';
    }
    out << '\n';
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
  PrefixMap prefixes_;
  std::vector<Cell> header_;
  std::vector<std::vector<Cell>> rows_;
  uint64_t total_ = 0;
  uint64_t held_ = 0;   // bytes of the rows kept
  bool full_ = false;   // max_table_bytes reached: rows are only counted
};

}  // namespace

// The caller's prefixes, then the query's own ones for names the caller did
// not define.
PrefixMap MergePrefixes(const ResultWriteOptions& options,
                        const QueryResult& result) {
  PrefixMap merged = options.prefixes;
  for (const auto& [name, ns] : result.prefixes()) merged.emplace(name, ns);
  std::erase_if(merged, [](const auto& entry) { return entry.second.empty(); });
  return merged;
}

absl::Status WriteTable(QueryResult& result, std::ostream& out,
                        const ResultWriteOptions& options) {
  PrefixMap prefixes = MergePrefixes(options, result);
  // A failure while reading stops the reading, not the printing: the rows
  // read so far are shown and the footer says why the result is cut.
  absl::Status cut;
  if (result.kind() == QueryResult::Kind::kGraph) {
    TableWriter table({"subject", "predicate", "object"}, options, prefixes);
    Quad quad;
    for (;;) {
      absl::StatusOr<bool> more = result.NextTriple(&quad);
      if (!more.ok()) {
        cut = more.status();
        break;
      }
      if (!*more) break;
      table.Add({&quad.subject, &quad.predicate, &quad.object});
    }
    table.Write(out, cut);
    return EndStatus(cut, out);
  }
  TableWriter table(result.variables(), options, prefixes);
  Row row;
  std::vector<const Term*> terms;
  for (;;) {
    absl::StatusOr<bool> more = result.NextRow(&row);
    if (!more.ok()) {
      cut = more.status();
      break;
    }
    if (!*more) break;
    terms.clear();
    for (size_t i = 0; i < result.variables().size(); ++i) {
      terms.push_back(i < row.size() && row[i].has_value() ? &*row[i]
                                                           : nullptr);
    }
    table.Add(terms);
  }
  table.Write(out, cut);
  return EndStatus(cut, out);
}

}  // namespace kg::results_internal
