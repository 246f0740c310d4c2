// The Turtle / TriG reader's byte source: the stream read into a buffer of
// one chunk (grown for a longer token), with lookahead as far as a token
// needs and the line and column of the current position for errors. Its
// own header so that the parser's files (turtle_reader.cc, turtle_terms.cc,
// turtle_trig.cc) share one inline definition of the hot Peek/Advance.
// Internal to the reader; not part of the public API.

#ifndef KGSTORE_STORAGE_RDF_TURTLE_SOURCE_H_
#define KGSTORE_STORAGE_RDF_TURTLE_SOURCE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <istream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "storage/rdf/rdf_format.h"
#include "storage/rdf/readers.h"

namespace kg::rdf_internal::turtle {

// Thrown to end the parse with `status` (a read error, a token over
// ParseOptions::max_statement_bytes, the sink's error); TurtleParser::Run
// returns it.
struct StopParse {
  absl::Status status;
};

// Byte source with arbitrary lookahead and line/column tracking.
class Source {
 public:
  Source(std::istream& in, size_t chunk, const ParseOptions& options)
      : in_(in), buf_(chunk), name_(options.source_name), options_(options) {}

  // The byte at offset i from the current position, or -1 past the end.
  int Peek(size_t i = 0) {
    if (pos_ + i >= end_ && !Fill(i + 1)) return -1;
    return static_cast<unsigned char>(buf_[pos_ + i]);
  }
  // Pointer to at least min(n, remaining) bytes at the current position.
  const char* Ptr(size_t n, const char** end) {
    if (end_ - pos_ < n) Fill(n);
    *end = buf_.data() + end_;
    return buf_.data() + pos_;
  }
  void Advance(size_t n = 1) {
    for (size_t i = 0; i < n; ++i) {
      if (buf_[pos_ + i] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
    pos_ += n;
  }
  // Advance(n) for bytes known to hold no line break.
  void AdvanceInLine(size_t n) {
    pos_ += n;
    column_ += n;
  }
  // The bytes buffered from the current position on (maybe none; Peek
  // reads more).
  const char* Buffered(const char** end) const {
    *end = buf_.data() + end_;
    return buf_.data() + pos_;
  }
  bool AtEnd() { return Peek() < 0; }
  uint64_t line() const { return line_; }
  uint64_t column() const { return column_; }

 private:
  // Makes n bytes available from pos_ if the stream has them. A lookahead
  // over max_statement_bytes (a name of a gigabyte) ends the parse.
  bool Fill(size_t n) {
    if (options_.max_statement_bytes != 0 && n > options_.max_statement_bytes)
      throw StopParse{TooLong(options_, line_, column_, "a token")};
    while (end_ - pos_ < n) {
      if (eof_) return false;
      if (pos_ > 0) {
        std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
        end_ -= pos_;
        pos_ = 0;
      }
      if (end_ + n > buf_.size() || end_ == buf_.size()) {
        buf_.resize(std::max(buf_.size() * 2, end_ + n));
      }
      in_.read(buf_.data() + end_,
               static_cast<std::streamsize>(buf_.size() - end_));
      size_t got = static_cast<size_t>(in_.gcount());
      if (in_.bad()) {
        throw StopParse{
            absl::DataLossError(name_ + ": failed to read the input")};
      }
      end_ += got;
      if (got == 0 || in_.eof()) eof_ = true;
    }
    return true;
  }

  std::istream& in_;
  std::vector<char> buf_;
  const std::string& name_;
  const ParseOptions& options_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t line_ = 1;
  uint64_t column_ = 1;
};

}  // namespace kg::rdf_internal::turtle

#endif  // KGSTORE_STORAGE_RDF_TURTLE_SOURCE_H_
