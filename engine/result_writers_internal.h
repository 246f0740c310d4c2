// Shared by the result writers behind WriteResult (engine/result_writers.cc)
// and the text table writer (engine/result_table.cc). Not a public API.

#ifndef KGSTORE_ENGINE_RESULT_WRITERS_INTERNAL_H_
#define KGSTORE_ENGINE_RESULT_WRITERS_INTERNAL_H_

#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "engine/iri_prefixes.h"
#include "engine/query_result.h"

namespace kg::results_internal {

inline constexpr char kHex[] = "0123456789ABCDEF";
inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// OK while `out` is good; DataLoss once a write to it failed.
absl::Status StreamStatus(const std::ostream& out);

// What a writer returns at its end: the query's error when the row stream
// ended with one (`cut`), else the state of the output stream.
absl::Status EndStatus(const absl::Status& cut, const std::ostream& out);

// `message` made fit for a one-line comment in XML (<!-- -->), Turtle and
// N-Triples (#): valid UTF-8 (bad bytes as U+FFFD), control characters as
// blanks, no "--" and no trailing '-'.
std::string CommentText(std::string_view message);

// The caller's prefixes, then the query's own ones for names the caller did
// not define; no empty namespaces.
PrefixMap MergePrefixes(const ResultWriteOptions& options,
                        const QueryResult& result);

// The aligned text table (ResultFormat::kTable) of bindings or a graph.
absl::Status WriteTable(QueryResult& result, std::ostream& out,
                        const ResultWriteOptions& options);

}  // namespace kg::results_internal

#endif  // KGSTORE_ENGINE_RESULT_WRITERS_INTERNAL_H_
