// Expected answers of the W3C SPARQL tests, read into kg::ResultTable, and
// the comparison the W3C rules ask for.
//
// Formats read: SPARQL XML results (.srx, parsed with expat), SPARQL JSON
// results (.srj, parsed with nlohmann-json), SPARQL 1.1 TSV and CSV
// results, and RDF graphs (.ttl/.nt through our own readers, .rdf through a
// small RDF/XML reader covering what the suites use: node and property
// elements, rdf:about/nodeID/resource/datatype, rdf:parseType="Resource",
// xml:lang). A graph that holds an rs:ResultSet (the DAWG result-set
// vocabulary) is a SELECT/ASK answer; any other graph is a CONSTRUCT answer
// (kind kGraph).
//
// CSV loses term kinds, so a table read from CSV holds guesses (see
// ParseCsv); compare an actual answer against it through CsvView(actual).

#ifndef KGSTORE_TESTS_CONFORMANCE_RESULTS_H_
#define KGSTORE_TESTS_CONFORMANCE_RESULTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/query_result.h"
#include "storage/rdf/term.h"

namespace kg::conformance {

inline constexpr std::string_view kRs =
    "http://www.w3.org/2001/sw/DataAccess/tests/result-set#";

enum class ResultFileFormat {
  kSrx,
  kSrj,
  kTsv,
  kCsv,
  kTurtle,
  kNTriples,
  kRdfXml
};

// By extension: .srx .srj .tsv .csv .ttl .nt .rdf. InvalidArgument otherwise.
absl::StatusOr<ResultFileFormat> ResultFileFormatFromPath(
    std::string_view path);

// Each parser returns InvalidArgument naming what is wrong.
absl::StatusOr<ResultTable> ParseSrx(std::string_view text);
absl::StatusOr<ResultTable> ParseSrj(std::string_view text);
// Terms in Turtle syntax (IRIs in <>, literals quoted, bare numbers);
// an empty cell is unbound.
absl::StatusOr<ResultTable> ParseTsv(std::string_view text);
// Plain values: "_:x" reads as a blank node, a value with a URI scheme and
// no white space as an IRI, anything else as a simple literal; an empty
// cell is unbound.
absl::StatusOr<ResultTable> ParseCsv(std::string_view text);
// The RDF/XML subset described above; relative IRIs resolved against
// `base_iri`.
absl::StatusOr<std::vector<Quad>> ParseRdfXml(std::string_view text,
                                              const std::string& base_iri);

// A graph holding an rs:ResultSet becomes a bindings (or boolean) table,
// rows sorted by rs:index when given; any other graph a kGraph table.
absl::StatusOr<ResultTable> ResultTableFromGraph(
    const std::vector<Quad>& quads);

// Reads a result file of any of the formats above (chosen by extension).
absl::StatusOr<ResultTable> ReadResultFile(const std::string& path,
                                           const std::string& base_iri);

// `table` as it reads back after writing it as CSV (the W3C CSV tests
// compare in that lossy space).
absl::StatusOr<ResultTable> CsvView(const ResultTable& table);

// A copy with every blank node label replaced by `prefix` + a counter
// (consistently across the table), for testing ResultsEqual.
ResultTable RenameBlankNodes(const ResultTable& table, std::string_view prefix);

// The W3C comparison: same kind; booleans equal; graphs isomorphic; for
// bindings the same variable names (in any column order) and the same rows
// as a multiset (`ordered` false) or a sequence (`ordered` true), terms
// compared as RDF terms, blank nodes equal up to one bijection across the
// whole result. On false, *diff (if given) gets a short explanation of the
// first difference found.
bool ResultsEqual(const ResultTable& expected, const ResultTable& actual,
                  bool ordered, std::string* diff = nullptr);

}  // namespace kg::conformance

#endif  // KGSTORE_TESTS_CONFORMANCE_RESULTS_H_
