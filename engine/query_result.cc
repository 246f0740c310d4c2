// In-memory results (Materialize, ResultFromTable) and format names. The
// writers themselves are in result_writers.cc.

#include "engine/query_result.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"

namespace kg {
namespace {

// Serves a ResultTable through the QueryResult interface. Rows and triples
// are handed out by copy, so the table stays intact.
class TableResult final : public QueryResult {
 public:
  explicit TableResult(ResultTable table) : table_(std::move(table)) {}

  Kind kind() const override { return table_.kind; }
  const std::vector<std::string>& variables() const override {
    return table_.variables;
  }
  absl::StatusOr<bool> NextRow(Row* row) override {
    if (table_.kind != Kind::kBindings || next_row_ >= table_.rows.size()) {
      return false;
    }
    *row = table_.rows[next_row_++];
    // Rows shorter than the header (hand-built tables) read as unbound.
    row->resize(table_.variables.size());
    return true;
  }
  bool boolean() const override { return table_.boolean; }
  absl::StatusOr<bool> NextTriple(Quad* triple) override {
    if (table_.kind != Kind::kGraph || next_triple_ >= table_.triples.size()) {
      return false;
    }
    *triple = table_.triples[next_triple_++];
    return true;
  }
  const std::map<std::string, std::string>& prefixes() const override {
    return prefixes_;
  }

 private:
  ResultTable table_;
  size_t next_row_ = 0;
  size_t next_triple_ = 0;
  std::map<std::string, std::string> prefixes_;
};

}  // namespace

absl::StatusOr<ResultTable> Materialize(QueryResult& result) {
  ResultTable table;
  table.kind = result.kind();
  switch (table.kind) {
    case QueryResult::Kind::kBindings: {
      table.variables = result.variables();
      Row row;
      for (;;) {
        absl::StatusOr<bool> more = result.NextRow(&row);
        if (!more.ok()) return more.status();
        if (!*more) break;
        table.rows.push_back(row);
      }
      break;
    }
    case QueryResult::Kind::kBoolean:
      table.boolean = result.boolean();
      break;
    case QueryResult::Kind::kGraph: {
      Quad quad;
      for (;;) {
        absl::StatusOr<bool> more = result.NextTriple(&quad);
        if (!more.ok()) return more.status();
        if (!*more) break;
        table.triples.push_back(quad);
      }
      break;
    }
  }
  return table;
}

std::unique_ptr<QueryResult> ResultFromTable(ResultTable table) {
  return std::make_unique<TableResult>(std::move(table));
}

absl::StatusOr<ResultFormat> ResultFormatFromName(std::string_view name) {
  std::string n = absl::AsciiStrToLower(Sv(name));
  if (n == "table") return ResultFormat::kTable;
  if (n == "tsv") return ResultFormat::kTsv;
  if (n == "csv") return ResultFormat::kCsv;
  if (n == "json" || n == "srj") return ResultFormat::kJson;
  if (n == "xml" || n == "srx") return ResultFormat::kXml;
  if (n == "ntriples" || n == "nt") return ResultFormat::kNTriples;
  if (n == "turtle" || n == "ttl") return ResultFormat::kTurtle;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown result format '", Sv(name),
                   "'; expected one of table, tsv, csv, json, xml, "
                   "ntriples (nt), turtle (ttl)"));
}

}  // namespace kg
