// The answer to a query: solution rows (SELECT), a boolean (ASK) or a
// stream of triples (CONSTRUCT, DESCRIBE), and the writers that serialise
// answers in the SPARQL result formats and as aligned text tables.
//
// Thread-safety: a QueryResult is used by one thread at a time. It reads the
// snapshot taken when the query started and must not outlive its Database.

#ifndef KGSTORE_ENGINE_QUERY_RESULT_H_
#define KGSTORE_ENGINE_QUERY_RESULT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/rdf/term.h"

namespace kg {

// One solution: the value of each variable of QueryResult::variables(), in
// the same order; std::nullopt when unbound.
using Row = std::vector<std::optional<Term>>;

class QueryResult {
 public:
  enum class Kind { kBindings, kBoolean, kGraph };
  virtual ~QueryResult() = default;
  virtual Kind kind() const = 0;
  // kBindings: the projected variable names (without '?'), in order.
  virtual const std::vector<std::string>& variables() const = 0;
  // kBindings: the next solution into *row; false at the end. Errors: the
  // query failed while running (timeout, memory cap, I/O): then the result
  // is finished.
  virtual absl::StatusOr<bool> NextRow(Row* row) = 0;
  // kBoolean: the answer.
  virtual bool boolean() const = 0;
  // kGraph: the next triple (graph unset); false at the end.
  virtual absl::StatusOr<bool> NextTriple(Quad* triple) = 0;
  // The query's PREFIX declarations, for writers that shorten IRIs.
  virtual const std::map<std::string, std::string>& prefixes() const = 0;
};

// An in-memory result, used by tests, the conformance runner (expected
// answers read from .srx/.srj/.tsv files) and to buffer results.
struct ResultTable {
  QueryResult::Kind kind = QueryResult::Kind::kBindings;
  std::vector<std::string> variables;
  std::vector<Row> rows;
  bool boolean = false;
  std::vector<Quad> triples;
};

// Drains `result` into a table.
absl::StatusOr<ResultTable> Materialize(QueryResult& result);
// A QueryResult reading from a table (the table is copied).
std::unique_ptr<QueryResult> ResultFromTable(ResultTable table);

enum class ResultFormat {
  kTable,     // aligned text table with a row-count footer (people)
  kTsv,       // SPARQL 1.1 TSV (terms in Turtle/N-Triples syntax)
  kCsv,       // SPARQL 1.1 CSV (plain values)
  kJson,      // application/sparql-results+json
  kXml,       // application/sparql-results+xml
  kNTriples,  // graph results
  kTurtle,    // graph results
};

// "table", "tsv", "csv", "json", "xml", "ntriples"/"nt", "turtle"/"ttl".
absl::StatusOr<ResultFormat> ResultFormatFromName(std::string_view name);

struct ResultWriteOptions {
  // kTable: shorten IRIs with these prefixes (name -> namespace IRI); the
  // result's own prefixes are added.
  std::map<std::string, std::string> prefixes;
  // kTable: cut cells wider than this with an ellipsis; 0 = no limit.
  size_t max_cell_width = 0;
  // kTable: print at most this many rows, then "... N more rows"; 0 = all.
  uint64_t max_rows = 0;
  // kTable: the table is held until its column widths are known (the
  // other formats stream, holding one row): past this many bytes of cell
  // text the rows are counted, not kept, and the footer says so. 0 = no
  // limit. Default: 256 MiB.
  uint64_t max_table_bytes = uint64_t{256} << 20;
};

// Writes a result in `format`. Bindings go to kTable/kTsv/kCsv/kJson/kXml;
// booleans to kTable/kJson/kXml (and "true"/"false" for the others);
// graphs to kNTriples/kTurtle (and kTable, as subject/predicate/object).
//
// Errors: InvalidArgument when the format cannot carry the result kind
// (nothing is written); DataLoss when a write to `out` fails (the output
// stops there, cut anywhere: a broken stream cannot be repaired); and the
// result's own error (DeadlineExceeded, ResourceExhausted, Cancelled,
// DataLoss) when NextRow/NextTriple fails while the result is written. A
// result cut that way still ends its output properly, with every row or
// triple read before the failure:
// - kJson: the bindings array and the open objects are closed, so the
//   output is a well-formed SPARQL JSON results document holding the rows
//   read so far. No member is added (the format has no place for an
//   error): only the returned status tells that the rows are incomplete.
// - kXml: </results></sparql> are closed, so the document is well-formed,
//   and a comment "<!-- result cut: <message> -->" follows the root element.
// - kTable: the rows read so far, then the footer "N rows (result cut:
//   <message>)" instead of "N rows".
// - kNTriples, kTurtle: the statement in progress is ended (Turtle closes
//   its ';'/',' group with " ."), then a comment line "# result cut:
//   <message>"; no triple is ever half written.
// - kTsv, kCsv: nothing extra (neither format has a syntax for it); the
//   output ends after the last complete line and only the returned status
//   tells that it is cut.
// Callers should report the returned error (on stderr, with a non-zero
// exit status in a tool) even though the output is well-formed.
absl::Status WriteResult(QueryResult& result, ResultFormat format,
                         std::ostream& out,
                         const ResultWriteOptions& options = {});

}  // namespace kg

#endif  // KGSTORE_ENGINE_QUERY_RESULT_H_
