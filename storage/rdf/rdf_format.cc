// Format names and the ParseRdf entry points, which dispatch to the
// format-specific readers (ntriples_reader.cc, turtle_reader.cc).

#include "storage/rdf/rdf_format.h"

#include <algorithm>
#include <streambuf>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/rdf/readers.h"

namespace kg {
namespace {

// A read-only streambuf over caller-owned memory, so ParseRdfString does not
// copy the text into a std::istringstream.
class ViewStreamBuf : public std::streambuf {
 public:
  explicit ViewStreamBuf(std::string_view text) {
    char* p = const_cast<char*>(text.data());
    setg(p, p, p + text.size());
  }
};

}  // namespace

absl::StatusOr<RdfFormat> RdfFormatFromName(std::string_view name) {
  std::string n = absl::AsciiStrToLower(std::string(name));
  if (n == "ntriples" || n == "nt" || n == "n-triples")
    return RdfFormat::kNTriples;
  if (n == "nquads" || n == "nq" || n == "n-quads") return RdfFormat::kNQuads;
  if (n == "turtle" || n == "ttl") return RdfFormat::kTurtle;
  if (n == "trig") return RdfFormat::kTriG;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown RDF format '", std::string(name),
                   "'; expected one of ntriples (nt), nquads (nq), turtle "
                   "(ttl), trig"));
}

absl::StatusOr<RdfFormat> RdfFormatFromPath(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view file =
      slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = file.find_last_of('.');
  std::string ext =
      dot == std::string_view::npos
          ? ""
          : absl::AsciiStrToLower(std::string(file.substr(dot + 1)));
  if (ext == "nt") return RdfFormat::kNTriples;
  if (ext == "nq") return RdfFormat::kNQuads;
  if (ext == "ttl" || ext == "n3") return RdfFormat::kTurtle;
  if (ext == "trig") return RdfFormat::kTriG;
  return absl::InvalidArgumentError(absl::StrCat(
      "cannot tell the RDF format of '", std::string(path),
      "' from its extension; expected .nt, .nq, .ttl, .n3 or .trig"));
}

std::string_view RdfFormatName(RdfFormat format) {
  switch (format) {
    case RdfFormat::kNTriples:
      return "ntriples";
    case RdfFormat::kNQuads:
      return "nquads";
    case RdfFormat::kTurtle:
      return "turtle";
    case RdfFormat::kTriG:
      return "trig";
  }
  return "unknown";
}

bool RdfFormatHasGraphs(RdfFormat format) {
  return format == RdfFormat::kNQuads || format == RdfFormat::kTriG;
}

std::string ParseError::ToString() const {
  return absl::StrCat(source, ":", line, ":", column, ": ", message);
}

namespace {

absl::Status ParseChunked(std::istream& in, RdfFormat format,
                          const ParseOptions& options, QuadSink sink,
                          size_t chunk_size) {
  switch (format) {
    case RdfFormat::kNTriples:
      return rdf_internal::ParseNQuads(in, false, options, sink, chunk_size);
    case RdfFormat::kNQuads:
      return rdf_internal::ParseNQuads(in, true, options, sink, chunk_size);
    case RdfFormat::kTurtle:
      return rdf_internal::ParseTurtle(in, false, options, sink, chunk_size);
    case RdfFormat::kTriG:
      return rdf_internal::ParseTurtle(in, true, options, sink, chunk_size);
  }
  return absl::InvalidArgumentError("unknown RDF format");
}

}  // namespace

absl::Status ParseRdf(std::istream& in, RdfFormat format,
                      const ParseOptions& options, QuadSink sink) {
  return ParseChunked(in, format, options, sink, rdf_internal::kReadChunkSize);
}

absl::StatusOr<Term> ParseNTriplesTerm(std::string_view text) {
  return rdf_internal::ParseNTriplesTerm(text);
}

absl::Status ParseRdfString(std::string_view text, RdfFormat format,
                            const ParseOptions& options, QuadSink sink) {
  ViewStreamBuf buf(text);
  std::istream in(&buf);
  // A short text needs no 1 MiB buffer (one more byte than the text: the
  // first read reaches its end).
  return ParseChunked(in, format, options, sink,
                      std::min(text.size() + 1, rdf_internal::kReadChunkSize));
}

}  // namespace kg
