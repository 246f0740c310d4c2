// Private entry points of the format-specific readers; rdf_format.cc
// dispatches ParseRdf to them. Not part of the public API.

#ifndef KGSTORE_STORAGE_RDF_READERS_H_
#define KGSTORE_STORAGE_RDF_READERS_H_

#include <cstddef>
#include <istream>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "storage/rdf/rdf_format.h"

namespace kg::rdf_internal {

// Bytes pulled from the stream per read. Readers hold at most one chunk
// plus the longest statement (or line) in memory.
inline constexpr size_t kReadChunkSize = size_t{1} << 20;

// The error for input over ParseOptions::max_statement_bytes: `what` is
// "a line" (N-Triples, N-Quads) or "a token" (Turtle, TriG).
inline absl::Status TooLong(const ParseOptions& options, uint64_t line,
                            uint64_t column, const char* what) {
  return absl::ResourceExhaustedError(absl::StrCat(
      options.source_name, ":", line, ":", column, ": ", what,
      " longer than ", options.max_statement_bytes,
      " bytes: the reader holds one statement in memory and refuses longer "
      "ones (raise LoadOptions::max_statement_bytes to load it)"));
}

// N-Triples (`quads` false) or N-Quads (`quads` true).
absl::Status ParseNQuads(std::istream& in, bool quads,
                         const ParseOptions& options, QuadSink sink,
                         size_t chunk_size = kReadChunkSize);

// One term in N-Triples syntax (ParseNTriplesTerm in rdf_format.h).
absl::StatusOr<Term> ParseNTriplesTerm(std::string_view text);

// Turtle (`trig` false) or TriG (`trig` true).
absl::Status ParseTurtle(std::istream& in, bool trig,
                         const ParseOptions& options, QuadSink sink,
                         size_t chunk_size = kReadChunkSize);

}  // namespace kg::rdf_internal

#endif  // KGSTORE_STORAGE_RDF_READERS_H_
