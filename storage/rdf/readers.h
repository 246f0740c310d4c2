// Private entry points of the format-specific readers; rdf_format.cc
// dispatches ParseRdf to them. Not part of the public API.

#ifndef KGSTORE_STORAGE_RDF_READERS_H_
#define KGSTORE_STORAGE_RDF_READERS_H_

#include <cstddef>
#include <istream>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/rdf/rdf_format.h"

namespace kg::rdf_internal {

// Bytes pulled from the stream per read. Readers hold at most one chunk
// plus the longest statement (or line) in memory.
inline constexpr size_t kReadChunkSize = size_t{1} << 20;

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
