// RDF serialisation formats: streaming readers and writers.
//
// Readers never hold a whole file in memory: they pull from a std::istream
// through a fixed-size buffer and hand each statement to a sink as soon as
// it is complete. Writers stream to a std::ostream.
//
// Thread-safety: each call and each writer object is used by one thread at
// a time; distinct readers/writers may run concurrently.

#ifndef KGSTORE_STORAGE_RDF_RDF_FORMAT_H_
#define KGSTORE_STORAGE_RDF_RDF_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/rdf/term.h"

namespace kg {

enum class RdfFormat { kNTriples, kNQuads, kTurtle, kTriG };

// "ntriples"/"nt", "nquads"/"nq", "turtle"/"ttl", "trig" (case-insensitive).
// InvalidArgument naming the accepted names otherwise.
absl::StatusOr<RdfFormat> RdfFormatFromName(std::string_view name);
// From a file extension: .nt .nq .ttl .n3 .trig (a trailing .gz is not
// supported). InvalidArgument when the extension is unknown.
absl::StatusOr<RdfFormat> RdfFormatFromPath(std::string_view path);
std::string_view RdfFormatName(RdfFormat format);
// True when the format can state named graphs (N-Quads, TriG).
bool RdfFormatHasGraphs(RdfFormat format);

// A syntax error at a position of the input.
struct ParseError {
  std::string source;  // file name, or "<stdin>"/"<string>"
  uint64_t line = 0;    // 1-based
  uint64_t column = 0;  // 1-based, in bytes
  std::string message;  // what was wrong and what was expected

  // "source:line:column: message"
  std::string ToString() const;
};

// The default of ParseOptions::max_statement_bytes (and of
// LoadOptions::max_statement_bytes): 256 MiB.
inline constexpr size_t kDefaultMaxStatementBytes = size_t{256} << 20;

struct ParseOptions {
  // Name used in error messages.
  std::string source_name = "<input>";
  // Base IRI for resolving relative IRIs (Turtle, TriG). Empty: relative
  // IRIs are an error unless the document sets @base.
  std::string base_iri;
  // When the format has no graph syntax (N-Triples, Turtle), statements go
  // to this graph; std::nullopt means the default graph. For N-Quads/TriG it
  // replaces the default graph only (named graphs are kept).
  std::optional<Term> default_graph;
  // When false (the default), the first syntax error ends parsing and is
  // returned. When true, each error goes to `on_error`, the reader skips to
  // the next statement (N-Triples/N-Quads: the next line; Turtle/TriG: past
  // the next '.' that ends a statement) and goes on; the call then returns
  // OK unless the sink failed or the stream could not be read.
  bool skip_bad = false;
  std::function<void(const ParseError&)> on_error;
  // Called for each @prefix / PREFIX declaration (Turtle, TriG).
  std::function<void(std::string_view prefix, std::string_view iri)>
      on_prefix;
  // The most a reader holds of one statement, in bytes: an N-Triples or
  // N-Quads line, and in Turtle and TriG each token (an IRI, a string, a
  // name, a language tag), their statements being streamed triple by
  // triple. Longer input ends the parse (also with skip_bad) with
  // ResourceExhausted "source:line:column: ... longer than N bytes ..."
  // instead of growing the reader's memory without bound (a 1 GB line
  // without a line break). 0: no limit. Default: 256 MiB, so a 100 MB
  // literal loads.
  size_t max_statement_bytes = kDefaultMaxStatementBytes;
};

// Called for every statement, in document order. The Quad reference is
// valid only during the call (the reader reuses its storage). Returning a
// non-OK status stops the parse and that status is returned.
using QuadSink = absl::FunctionRef<absl::Status(const Quad&)>;

// Parses `in` as `format`, streaming each statement to `sink`.
// Errors: InvalidArgument with "source:line:column: message" for a syntax
// error (first one, unless skip_bad); ResourceExhausted for a statement
// over max_statement_bytes; DataLoss if the stream fails to read; any
// status the sink returned.
absl::Status ParseRdf(std::istream& in, RdfFormat format,
                      const ParseOptions& options, QuadSink sink);

// Convenience for tests and small inputs.
absl::Status ParseRdfString(std::string_view text, RdfFormat format,
                            const ParseOptions& options, QuadSink sink);

// Parses one term written in N-Triples syntax: <absolute-iri>, _:label,
// "lexical", "lexical"@lang or "lexical"^^<datatype>, with N-Triples
// escapes; spaces and tabs around it are allowed, nothing else.
// InvalidArgument "column C: expected ..." when the text is not one term.
absl::StatusOr<Term> ParseNTriplesTerm(std::string_view text);

// Streams statements to `out` in a format. Create with NewRdfWriter; call
// Write for each quad and Finish once at the end (Turtle/TriG writers group
// statements and close blocks in Finish).
class RdfWriter {
 public:
  virtual ~RdfWriter() = default;
  // Declares a prefix to use in output (Turtle, TriG); call before the first
  // Write. Ignored by N-Triples/N-Quads.
  virtual void AddPrefix(std::string_view prefix, std::string_view iri) = 0;
  // Writes one statement. N-Triples and Turtle have no graph syntax: a quad
  // in a named graph is written as a triple (the graph is dropped); use
  // N-Quads or TriG to keep graphs.
  virtual absl::Status Write(const Quad& quad) = 0;
  // Flushes pending output. DataLoss if the stream failed.
  virtual absl::Status Finish() = 0;
};

// Writers exist for N-Triples, N-Quads, Turtle and TriG. `out` must outlive
// the writer.
std::unique_ptr<RdfWriter> NewRdfWriter(RdfFormat format, std::ostream& out);

}  // namespace kg

#endif  // KGSTORE_STORAGE_RDF_RDF_FORMAT_H_
