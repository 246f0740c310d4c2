// The body of the four RDF reader fuzz targets (fuzz_ntriples.cc,
// fuzz_nquads.cc, fuzz_turtle.cc, fuzz_trig.cc).
//
// Each input is parsed twice: whole, through the public ParseRdfString,
// stopping at the first error; and in small chunks, skipping bad statements
// (the error-recovery path). When the whole input parses, the chunked parse
// must give the same statements without an error, and the
// statements are written back with the same format's writer and that text
// must parse again to the same statements (blank-node labels aside): a
// round trip that finds writers emitting what readers reject. A failed
// round trip aborts, which libFuzzer reports as a crash.

#ifndef KGSTORE_TESTS_FUZZ_FUZZ_RDF_H_
#define KGSTORE_TESTS_FUZZ_FUZZ_RDF_H_

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "storage/rdf/rdf_format.h"
#include "storage/rdf/readers.h"

namespace kg::fuzz {

// Blank-node labels may be renamed by a reader: compare without them.
inline std::string WithoutBlankLabels(Quad q) {
  for (Term* t : {&q.subject, &q.predicate, &q.object}) {
    if (t->is_blank()) t->lexical.assign(1, 'b');
  }
  if (q.graph && q.graph->is_blank()) q.graph->lexical.assign(1, 'b');
  return q.ToNQuads();
}

inline std::vector<std::string> ParseAll(std::string_view text, RdfFormat format,
                                  absl::Status* status) {
  ParseOptions options;
  options.base_iri = "http://example.org/base/";
  std::vector<std::string> quads;
  *status = ParseRdfString(text, format, options, [&](const Quad& q) {
    if (quads.size() < 10000) quads.push_back(WithoutBlankLabels(q));
    return absl::OkStatus();
  });
  return quads;
}

inline absl::Status ParseInChunks(std::string_view text, RdfFormat format,
                                  const ParseOptions& options, QuadSink sink,
                                  size_t chunk_size) {
  std::istringstream in{std::string(text)};
  bool graphs = RdfFormatHasGraphs(format);
  if (format == RdfFormat::kNTriples || format == RdfFormat::kNQuads)
    return rdf_internal::ParseNQuads(in, graphs, options, sink, chunk_size);
  return rdf_internal::ParseTurtle(in, graphs, options, sink, chunk_size);
}

inline int FuzzRdfReader(const uint8_t* data, size_t size, RdfFormat format) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  // The public entry point, stopping at the first error.
  ParseOptions options;
  options.base_iri = "http://example.org/base/";
  std::vector<Quad> quads;
  absl::Status status =
      ParseRdfString(text, format, options, [&](const Quad& q) {
        if (quads.size() < 10000) quads.push_back(q);
        return absl::OkStatus();
      });

  // Error recovery (every error reported, parsing goes on), reading the
  // stream in small chunks (16 to 79 bytes, from the input's size) so that
  // statements, tokens and UTF-8 sequences straddle buffer refills.
  ParseOptions skipping = options;
  skipping.skip_bad = true;
  size_t errors = 0;
  std::string first_error;
  skipping.on_error = [&](const ParseError& e) {
    if (errors++ == 0) first_error = e.ToString();
  };
  std::vector<std::string> chunked;
  absl::Status chunked_status = ParseInChunks(
      text, format, skipping,
      [&](const Quad& q) {
        if (chunked.size() < 10000) chunked.push_back(WithoutBlankLabels(q));
        return absl::OkStatus();
      },
      16 + size % 64);
  if (!status.ok() || quads.size() >= 10000) return 0;

  // What parses whole parses the same in chunks, without errors.
  std::vector<std::string> read;
  for (const Quad& q : quads) read.push_back(WithoutBlankLabels(q));
  if (!chunked_status.ok() || errors != 0 || chunked != read) {
    std::fprintf(stderr,
                 "%s: parsed whole: %zu statements; in chunks of %zu bytes: "
                 "%zu statements, %zu errors (%s), status %s\n",
                 std::string(RdfFormatName(format)).c_str(), read.size(),
                 16 + size % 64, chunked.size(), errors, first_error.c_str(),
                 chunked_status.ToString().c_str());
    std::abort();
  }

  // Round trip through the writer of the same format.
  std::ostringstream out;
  std::unique_ptr<RdfWriter> writer = NewRdfWriter(format, out);
  for (const Quad& q : quads) {
    if (!writer->Write(q).ok()) return 0;
  }
  if (!writer->Finish().ok()) return 0;
  std::string written = out.str();
  absl::Status again;
  std::vector<std::string> back = ParseAll(written, format, &again);
  auto fail = [&](const char* what, const std::string& detail) {
    std::fprintf(stderr,
                 "round trip through the %s writer: %s\n%s\n--- written:\n%s\n",
                 std::string(RdfFormatName(format)).c_str(), what,
                 detail.c_str(), written.c_str());
    std::abort();
  };
  if (!again.ok()) fail("the output does not parse", again.ToString());
  // Without graph syntax the writer drops graphs (documented); the readers
  // of such formats only produce default-graph quads anyway.
  std::sort(read.begin(), read.end());
  std::sort(back.begin(), back.end());
  if (read != back) {
    std::string detail;
    for (const std::string& q : read) detail += "in:  " + q + "\n";
    for (const std::string& q : back) detail += "out: " + q + "\n";
    fail("the statements differ", detail);
  }
  return 0;
}

}  // namespace kg::fuzz

#endif  // KGSTORE_TESTS_FUZZ_FUZZ_RDF_H_
