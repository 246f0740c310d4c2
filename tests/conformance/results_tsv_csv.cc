// The readers of SPARQL 1.1 TSV and CSV results (ParseTsv, ParseCsv) and
// CsvView, an answer as it reads back from CSV. TSV cells are parsed by
// our own Turtle reader (wrapped as the object of a dummy triple), so
// their escapes and numeric shortcuts follow the Turtle grammar exactly.
// CSV loses term kinds: its cells are guessed back (CsvTerm).

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/rdf/iri.h"
#include "storage/rdf/rdf_format.h"
#include "tests/conformance/results.h"

namespace kg::conformance {
namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = nl + 1;
  }
  return lines;
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      cells.push_back(line.substr(start));
      return cells;
    }
    cells.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

absl::StatusOr<Term> ParseTurtleTerm(std::string_view cell) {
  std::string doc = absl::StrCat("<urn:x:s> <urn:x:p> ", Sv(cell), " .");
  std::optional<Term> object;
  int count = 0;
  ParseOptions options;
  options.source_name = "<tsv cell>";
  absl::Status s = ParseRdfString(doc, RdfFormat::kTurtle, options,
                                  [&](const Quad& q) -> absl::Status {
                                    object = q.object;
                                    ++count;
                                    return absl::OkStatus();
                                  });
  if (!s.ok() || count != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad TSV term '", Sv(cell), "'",
                     s.ok() ? "" : absl::StrCat(": ", s.message())));
  }
  return *object;
}

// RFC 4180 records; LF or CRLF ends a record outside quotes.
absl::StatusOr<std::vector<std::vector<std::pair<std::string, bool>>>>
CsvRecords(std::string_view text) {
  std::vector<std::vector<std::pair<std::string, bool>>> records;
  std::vector<std::pair<std::string, bool>> record;
  std::string field;
  bool quoted = false;
  size_t i = 0;
  auto end_field = [&] {
    record.emplace_back(std::move(field), quoted);
    field.clear();
    quoted = false;
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && field.empty() && !quoted) {
      quoted = true;
      ++i;
      for (;;) {
        if (i >= text.size()) {
          return absl::InvalidArgumentError("CSV: unterminated quoted field");
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(text[i++]);
      }
      continue;
    }
    if (c == ',') {
      end_field();
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      end_field();
      records.push_back(std::move(record));
      record.clear();
      i += 2;
    } else if (c == '\n') {
      end_field();
      records.push_back(std::move(record));
      record.clear();
      ++i;
    } else {
      if (quoted) {
        return absl::InvalidArgumentError(
            "CSV: characters after a closing quote");
      }
      field.push_back(c);
      ++i;
    }
  }
  if (!field.empty() || quoted || !record.empty()) {
    end_field();
    records.push_back(std::move(record));
  }
  return records;
}

Term CsvTerm(const std::string& value) {
  if (value.size() > 2 && value.compare(0, 2, "_:") == 0) {
    return Term::BlankNode(value.substr(2));
  }
  if (rdf_internal::IsAbsoluteIri(value) &&
      value.find_first_of(" \t\r\n") == std::string::npos) {
    return Term::Iri(value);
  }
  return Term::Literal(value);
}

}  // namespace

absl::StatusOr<ResultTable> ParseTsv(std::string_view text) {
  std::vector<std::string_view> lines = SplitLines(text);
  if (lines.empty()) return absl::InvalidArgumentError("tsv: no header line");
  std::vector<std::string> vars;
  if (!lines[0].empty()) {
    for (std::string_view h : SplitTabs(lines[0])) {
      if (h.size() < 2 || (h[0] != '?' && h[0] != '$')) {
        return absl::InvalidArgumentError(
            absl::StrCat("tsv: bad header cell '", Sv(h), "'"));
      }
      vars.emplace_back(h.substr(1));
    }
  }
  ResultTable table;
  table.variables = vars;
  for (size_t l = 1; l < lines.size(); ++l) {
    Row row(vars.size());
    if (!vars.empty()) {
      std::vector<std::string_view> cells = SplitTabs(lines[l]);
      if (cells.size() != vars.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("tsv: line ", l + 1, " has ", cells.size(),
                         " cells, the header ", vars.size()));
      }
      for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i].empty()) continue;
        absl::StatusOr<Term> t = ParseTurtleTerm(cells[i]);
        if (!t.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("tsv: line ", l + 1, ": ", t.status().message()));
        }
        row[i] = std::move(*t);
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::StatusOr<ResultTable> ParseCsv(std::string_view text) {
  auto records = CsvRecords(text);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError("csv: no header line");
  }
  auto is_blank_line = [](const auto& rec) {
    return rec.size() == 1 && rec[0].first.empty() && !rec[0].second;
  };
  ResultTable table;
  if (!is_blank_line((*records)[0])) {
    for (const auto& [name, quoted] : (*records)[0]) {
      table.variables.push_back(name);
    }
  }
  const size_t n = table.variables.size();
  for (size_t r = 1; r < records->size(); ++r) {
    const auto& rec = (*records)[r];
    Row row(n);
    if (n == 0 && is_blank_line(rec)) {
      table.rows.push_back(std::move(row));
      continue;
    }
    if (rec.size() != n) {
      return absl::InvalidArgumentError(
          absl::StrCat("csv: record ", r + 1, " has ", rec.size(),
                       " fields, the header ", n));
    }
    for (size_t i = 0; i < n; ++i) {
      if (rec[i].first.empty() && !rec[i].second) continue;
      row[i] = CsvTerm(rec[i].first);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::StatusOr<ResultTable> CsvView(const ResultTable& table) {
  if (table.kind != QueryResult::Kind::kBindings) return table;
  std::unique_ptr<QueryResult> result = ResultFromTable(table);
  std::ostringstream out;
  if (absl::Status s = WriteResult(*result, ResultFormat::kCsv, out); !s.ok()) {
    return s;
  }
  return ParseCsv(out.str());
}

}  // namespace kg::conformance
