// Streaming N-Triples / N-Quads reader.
//
// The input is cut into lines inside a fixed-size buffer (memchr for '\n');
// each line is parsed with pointer loops straight into one reused Quad, so
// a typical statement costs no allocation once the strings have grown. A
// line longer than the buffer grows the buffer (a statement must be whole in
// memory to be handed to the sink), up to ParseOptions::max_statement_bytes.

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/rdf/readers.h"
#include "storage/rdf/syntax.h"

namespace kg::rdf_internal {
namespace {

class LineParser {
 public:
  LineParser(bool quads, const ParseOptions& options)
      : quads_(quads), options_(options) {}

  // Parses one line (without its '\n'). Calls `emit` for each statement.
  // Returns false on a syntax error (see error_column/error_message).
  template <typename Emit>
  bool ParseLine(const char* begin, const char* end, Emit&& emit) {
    line_begin_ = begin;
    end_ = end;
    const char* p = begin;
    for (;;) {
      // Between statements: spaces, tabs and bare carriage returns (which
      // N-Triples also accepts as line ends).
      while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
      if (p == end || *p == '#') return true;
      if (!ParseStatement(&p)) return false;
      if (!emit(quad_)) return true;  // sink failed; caller has the status
      while (p < end && (*p == ' ' || *p == '\t')) ++p;
      if (p == end || *p == '#') return true;
      if (*p != '\r') {
        return Fail(p, "expected end of line after '.', found " + Found(p));
      }
    }
  }

  uint64_t error_column() const { return error_column_; }
  const std::string& error_message() const { return error_message_; }

  // Parses [begin, end) as exactly one term (surrounding spaces and tabs
  // allowed) into *term. Returns false on a syntax error.
  bool ParseOneTerm(const char* begin, const char* end, Term* term) {
    line_begin_ = begin;
    end_ = end;
    const char* p = begin;
    SkipWs(&p, end);
    bool ok;
    if (p == end) {
      return Fail(p, "expected a term (<iri>, _:label or \"literal\"), "
                     "found the end of the text");
    } else if (*p == '<') {
      ok = ParseIri(&p, term);
    } else if (*p == '_') {
      ok = ParseBlank(&p, term);
    } else if (*p == '"') {
      ok = ParseLiteral(&p, term);
    } else {
      return Fail(p, "expected a term (<iri>, _:label or \"literal\"), found " +
                         Found(p));
    }
    if (!ok) return false;
    SkipWs(&p, end);
    if (p != end) {
      return Fail(p, "expected the end of the term, found " + Found(p));
    }
    return true;
  }

 private:
  bool Fail(const char* at, std::string message) {
    error_column_ = static_cast<uint64_t>(at - line_begin_) + 1;
    error_message_ = std::move(message);
    return false;
  }
  std::string Found(const char* p) const {
    return DescribeFound(p, end_, /*at_input_end=*/false);
  }

  static void SkipWs(const char** p, const char* end) {
    while (*p < end && (**p == ' ' || **p == '\t')) ++*p;
  }

  bool ParseStatement(const char** pp) {
    const char* p = *pp;
    // Subject.
    if (*p == '<') {
      if (!ParseIri(&p, &quad_.subject)) return false;
    } else if (*p == '_') {
      if (!ParseBlank(&p, &quad_.subject)) return false;
    } else {
      return Fail(
          p, "expected a subject (an IRI or a blank node), found " + Found(p));
    }
    SkipWs(&p, end_);
    if (p == end_ || *p != '<') {
      return Fail(p, "expected a predicate IRI, found " + Found(p));
    }
    if (!ParseIri(&p, &quad_.predicate)) return false;
    SkipWs(&p, end_);
    if (p == end_) return Fail(p, "expected an object, found end of line");
    if (*p == '<') {
      if (!ParseIri(&p, &quad_.object)) return false;
    } else if (*p == '_') {
      if (!ParseBlank(&p, &quad_.object)) return false;
    } else if (*p == '"') {
      if (!ParseLiteral(&p, &quad_.object)) return false;
    } else {
      return Fail(p,
                  "expected an object (an IRI, a blank node or a "
                  "literal), found " +
                      Found(p));
    }
    SkipWs(&p, end_);
    bool has_graph = false;
    if (quads_ && p < end_ && (*p == '<' || *p == '_')) {
      if (!quad_.graph.has_value()) quad_.graph.emplace();
      if (*p == '<') {
        if (!ParseIri(&p, &*quad_.graph)) return false;
      } else {
        if (!ParseBlank(&p, &*quad_.graph)) return false;
      }
      has_graph = true;
      SkipWs(&p, end_);
    }
    if (p == end_ || *p != '.') {
      return Fail(p, std::string(quads_ && !has_graph
                                     ? "expected a graph label or '.' to end "
                                       "the statement, found "
                                     : "expected '.' to end the statement, "
                                       "found ") +
                         Found(p));
    }
    ++p;
    if (!has_graph) {
      if (options_.default_graph.has_value()) {
        quad_.graph = options_.default_graph;
      } else {
        quad_.graph.reset();
      }
    }
    *pp = p;
    return true;
  }

  // p at '<'.
  bool ParseIri(const char** pp, Term* term) {
    const char* start = *pp;
    const char* p = start + 1;
    term->kind = TermKind::kIri;
    term->datatype.clear();
    term->language.clear();
    std::string& out = term->lexical;
    out.clear();
    if (!ReadIriBody(&p, &out)) return false;
    if (!HasScheme(out)) {
      return Fail(start, "expected an absolute IRI, found the relative IRI <" +
                             out + ">");
    }
    *pp = p;
    return true;
  }

  // p just after '<'; leaves p after '>'.
  bool ReadIriBody(const char** pp, std::string* out) {
    const char* p = *pp;
    for (;;) {
      const char* run = p;
      p = SkipIriRun(p, end_);
      out->append(run, p - run);
      if (p == end_)
        return Fail(p, "expected '>' to end the IRI, found end of line");
      auto c = static_cast<unsigned char>(*p);
      if (c == '>') {
        *pp = p + 1;
        return true;
      }
      if (c == '\\') {
        uint32_t cp;
        const char* esc = p;
        if (!ReadUchar(&p, &cp)) return false;
        if (cp <= 0x20 ||
            (cp < 0x80 && IsIriRefForbidden(static_cast<unsigned char>(cp)))) {
          return Fail(esc,
                      "expected a character allowed in an IRI, found an "
                      "escape of a forbidden character");
        }
        AppendUtf8(cp, out);
        continue;
      }
      if (c >= 0x80) {
        uint32_t cp;
        int n = DecodeUtf8(p, end_, &cp);
        if (n == 0) return Fail(p, "expected UTF-8 text, found " + Found(p));
        out->append(p, n);
        p += n;
        continue;
      }
      return Fail(p, "expected '>' to end the IRI, found " + Found(p) +
                         " (not allowed in an IRI)");
    }
  }

  // p at '\\' followed by 'u' or 'U'; only UCHAR is allowed.
  bool ReadUchar(const char** pp, uint32_t* cp) {
    const char* p = *pp;
    const char* where;
    switch (DecodeUchar(p, end_, cp, &where)) {
      case UcharStatus::kOk:
        *pp = where;
        return true;
      case UcharStatus::kNotUchar:
        return Fail(p, "expected \\u or \\U escape, found " + Found(p + 1));
      case UcharStatus::kTooShort:
        return Fail(p, "expected " + std::to_string(UcharDigits(p[1])) +
                           " hexadecimal digits after \\" + p[1]);
      case UcharStatus::kNotHex:
        return Fail(where,
                    "expected a hexadecimal digit, found " + Found(where));
      case UcharStatus::kNotScalar:
        break;
    }
    return Fail(p,
                "expected a Unicode scalar value, found an escape of a "
                "surrogate or a value above U+10FFFF");
  }

  // p at '_'.
  bool ParseBlank(const char** pp, Term* term) {
    const char* p = *pp;
    if (p + 1 >= end_ || p[1] != ':') {
      return Fail(p + 1,
                  "expected ':' after '_' in a blank node label, "
                  "found " +
                      Found(p + 1));
    }
    p += 2;
    const char* label = p;
    // First character: PN_CHARS_U or a digit.
    uint32_t cp;
    int n = p < end_ ? DecodeUtf8(p, end_, &cp) : 0;
    if (n == 0 || !(IsPnCharsU(cp) || (cp >= '0' && cp <= '9'))) {
      return Fail(p, "expected a blank node label, found " + Found(p));
    }
    p += n;
    const char* last_ok = p;
    while (p < end_) {
      auto c = static_cast<unsigned char>(*p);
      if (c < 0x80) {
        if (IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '_' || c == '-') {
          ++p;
          last_ok = p;
          continue;
        }
        if (c == '.') {
          ++p;
          continue;
        }
        break;
      }
      n = DecodeUtf8(p, end_, &cp);
      if (n == 0 || !IsPnChars(cp)) break;
      p += n;
      last_ok = p;
    }
    // A label cannot end with '.': trailing dots belong to the statement.
    p = last_ok;
    term->kind = TermKind::kBlankNode;
    term->lexical.assign(label, p - label);
    term->datatype.clear();
    term->language.clear();
    *pp = p;
    return true;
  }

  // p at '"'.
  bool ParseLiteral(const char** pp, Term* term) {
    const char* p = *pp + 1;
    term->kind = TermKind::kLiteral;
    std::string& out = term->lexical;
    out.clear();
    term->datatype.clear();
    term->language.clear();
    for (;;) {
      const char* run = p;
      p = SkipStringRun(p, end_, '"');
      out.append(run, p - run);
      if (p == end_) {
        return Fail(p, "expected '\"' to end the string, found end of line");
      }
      auto c = static_cast<unsigned char>(*p);
      if (c == '"') {
        ++p;
        break;
      }
      if (c == '\\') {
        if (p + 1 >= end_) return Fail(p, "expected an escape after '\\'");
        char e = p[1];
        if (e == 'u' || e == 'U') {
          uint32_t cp;
          if (!ReadUchar(&p, &cp)) return false;
          AppendUtf8(cp, &out);
          continue;
        }
        const int r = EcharValue(e);
        if (r < 0) {
          return Fail(p,
                      "expected a string escape (\\t \\b \\n \\r \\f "
                      "\\\" \\' \\\\ \\u \\U), found '\\" +
                          std::string(1, e) + "'");
        }
        out.push_back(static_cast<char>(r));
        p += 2;
        continue;
      }
      if (c >= 0x80) {
        uint32_t cp;
        int n = DecodeUtf8(p, end_, &cp);
        if (n == 0) return Fail(p, "expected UTF-8 text, found " + Found(p));
        out.append(p, n);
        p += n;
        continue;
      }
      return Fail(p,
                  "expected '\"' to end the string, found a raw line "
                  "break (write \\n or \\r)");
    }
    if (p < end_ && *p == '@') {
      const char* tag = ++p;
      if (p == end_ || !IsAsciiAlpha(*p)) {
        return Fail(p, "expected a language tag after '@', found " + Found(p));
      }
      while (p < end_ && IsAsciiAlpha(*p)) ++p;
      while (p < end_ && *p == '-') {
        ++p;
        if (p == end_ || !(IsAsciiAlpha(*p) || IsAsciiDigit(*p))) {
          return Fail(p,
                      "expected a letter or digit in the language tag, "
                      "found " +
                          Found(p));
        }
        while (p < end_ && (IsAsciiAlpha(*p) || IsAsciiDigit(*p))) ++p;
      }
      term->language.assign(tag, p - tag);
      for (char& ch : term->language) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      }
    } else if (p < end_ && *p == '^') {
      if (p + 1 >= end_ || p[1] != '^') {
        return Fail(p + 1, "expected '^^' before a datatype IRI, found " +
                               Found(p + 1));
      }
      p += 2;
      if (p == end_ || *p != '<') {
        return Fail(p, "expected a datatype IRI after '^^', found " + Found(p));
      }
      const char* start = p;
      ++p;
      if (!ReadIriBody(&p, &term->datatype)) return false;
      if (!HasScheme(term->datatype)) {
        return Fail(start, "expected an absolute datatype IRI, found <" +
                               term->datatype + ">");
      }
      if (term->datatype == kXsdString) term->datatype.clear();
    }
    *pp = p;
    return true;
  }

  const bool quads_;
  const ParseOptions& options_;
  Quad quad_;
  const char* line_begin_ = nullptr;
  const char* end_ = nullptr;
  uint64_t error_column_ = 0;
  std::string error_message_;
};

}  // namespace

absl::StatusOr<Term> ParseNTriplesTerm(std::string_view text) {
  ParseOptions options;
  LineParser parser(/*quads=*/false, options);
  Term term;
  if (!parser.ParseOneTerm(text.data(), text.data() + text.size(), &term)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "column ", parser.error_column(), ": ", parser.error_message()));
  }
  return term;
}

absl::Status ParseNQuads(std::istream& in, bool quads,
                         const ParseOptions& options, QuadSink sink,
                         size_t chunk_size) {
  if (chunk_size < 16) chunk_size = 16;
  const size_t max_line = options.max_statement_bytes;
  std::vector<char> buf(chunk_size);
  size_t begin = 0;  // start of unparsed data
  size_t end = 0;    // end of valid data
  bool eof = false;
  uint64_t line_no = 0;
  LineParser parser(quads, options);
  absl::Status sink_status;
  auto emit = [&](const Quad& q) {
    sink_status = sink(q);
    return sink_status.ok();
  };
  for (;;) {
    const char* data = buf.data();
    const char* nl =
        static_cast<const char*>(std::memchr(data + begin, '\n', end - begin));
    const char* line_end;
    if (nl == nullptr) {
      if (!eof) {
        // Move the partial line to the front and read more; grow when the
        // partial line fills the whole buffer.
        if (begin > 0) {
          std::memmove(buf.data(), buf.data() + begin, end - begin);
          end -= begin;
          begin = 0;
        }
        // A line over the limit ends here, before the buffer grows past
        // the limit (a 1 GB line without a line break never is in memory).
        if (max_line != 0 && end > max_line) {
          return TooLong(options, line_no + 1, 1, "a line");
        }
        if (end == buf.size()) {
          // Doubling, but straight to the bound (plus the byte that tells a
          // longer line) once doubling would reach it: at most 1.5 times
          // the bound is held while the buffer moves.
          size_t grown = buf.size() * 2;
          if (max_line != 0 && grown >= max_line) grown = max_line + 1;
          buf.resize(std::max(grown, buf.size() + 1));
        }
        in.read(buf.data() + end,
                static_cast<std::streamsize>(buf.size() - end));
        size_t got = static_cast<size_t>(in.gcount());
        if (in.bad()) {
          return absl::DataLossError(
              absl::StrCat(options.source_name, ": failed to read the input"));
        }
        end += got;
        if (got == 0 || in.eof()) eof = in.eof() || got == 0;
        continue;
      }
      if (begin == end) break;
      line_end = data + end;
    } else {
      line_end = nl;
    }
    ++line_no;
    const char* line_begin = data + begin;
    if (max_line != 0 && static_cast<size_t>(line_end - line_begin) > max_line)
      return TooLong(options, line_no, 1, "a line");
    bool ok = parser.ParseLine(line_begin, line_end, emit);
    if (!sink_status.ok()) return sink_status;
    if (!ok) {
      ParseError err{options.source_name, line_no, parser.error_column(),
                     parser.error_message()};
      if (!options.skip_bad) {
        return absl::InvalidArgumentError(err.ToString());
      }
      if (options.on_error) options.on_error(err);
    }
    begin = static_cast<size_t>(line_end - data) + (nl != nullptr ? 1 : 0);
    if (nl == nullptr) break;
  }
  return absl::OkStatus();
}

}  // namespace kg::rdf_internal
