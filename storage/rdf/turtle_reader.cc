// Streaming Turtle / TriG reader: a hand-written recursive-descent parser
// over a byte source that refills a fixed-size buffer from the stream.
//
// Syntax errors are thrown internally as TurtleSyntaxError and caught at the
// statement loop, which either returns them as a Status or (skip_bad)
// reports them and resynchronises; no exception leaves this file.
//
// Blank nodes: written labels are kept as written, except that a label
// starting with "genid" becomes "genid-" + label. Anonymous nodes ([] and
// collection cells) are labelled "genid" + a decimal counter. Written labels
// thus never collide with generated ones (a generated label never has a '-'
// after "genid", a renamed written one always does). Labels are scoped to
// the document, so in TriG the same label in two graphs is one node.

#include <cstring>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "storage/rdf/iri.h"
#include "storage/rdf/readers.h"
#include "storage/rdf/syntax.h"

namespace kg::rdf_internal {
namespace {

// [ ] and ( ) inside one another: each level takes about 600 bytes of
// stack, so 1,000 levels fit a host thread of 1 MiB with room (2,000 did
// not: engine/hostile_query_test.cc runs the deepest inputs on such a
// thread).
constexpr int kMaxNesting = 1000;

struct TurtleSyntaxError {
  uint64_t line;
  uint64_t column;
  std::string message;
};
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

class TurtleParser {
 public:
  TurtleParser(std::istream& in, bool trig, const ParseOptions& options,
               QuadSink sink, size_t chunk)
      : src_(in, chunk, options),
        trig_(trig),
        options_(options),
        sink_(sink),
        base_(options.base_iri) {
    rdf_first_ = Term::Iri(std::string(kRdf) + "first");
    rdf_rest_ = Term::Iri(std::string(kRdf) + "rest");
    rdf_nil_ = Term::Iri(std::string(kRdf) + "nil");
    rdf_type_ = Term::Iri(std::string(kRdfType));
  }

  absl::Status Run() {
    try {
      for (;;) {
        try {
          SkipWs();
          if (src_.AtEnd()) break;
          Statement();
        } catch (TurtleSyntaxError& e) {
          ParseError err{options_.source_name, e.line, e.column, e.message};
          if (!options_.skip_bad) {
            return absl::InvalidArgumentError(err.ToString());
          }
          if (options_.on_error) options_.on_error(err);
          Resync();
        }
      }
    } catch (StopParse& stop) {
      return stop.status;
    }
    return absl::OkStatus();
  }

 private:
  // ---- errors ------------------------------------------------------------
  [[noreturn]] void Fail(std::string message) {
    throw TurtleSyntaxError{src_.line(), src_.column(), std::move(message)};
  }
  [[noreturn]] void FailAt(uint64_t line, uint64_t col, std::string message) {
    throw TurtleSyntaxError{line, col, std::move(message)};
  }
  std::string Found() {
    const char* end;
    const char* p = src_.Ptr(4, &end);
    return DescribeFound(p, end, /*at_input_end=*/true);
  }
  [[noreturn]] void Expected(std::string_view what) {
    Fail("expected " + std::string(what) + ", found " + Found());
  }
  // A token being read (IRI, string, name, language tag) of `size` bytes
  // so far: over max_statement_bytes, the parse ends.
  void CheckTokenSize(size_t size) {
    if (options_.max_statement_bytes != 0 &&
        size > options_.max_statement_bytes) {
      throw StopParse{
          TooLong(options_, src_.line(), src_.column(), "a token")};
    }
  }

  // Skips to just after the next '.' that ends a statement (outside IRIs
  // and strings), or past a '}' closing a TriG graph block.
  void Resync() {
    graph_.reset();
    depth_ = 0;
    for (;;) {
      int c = src_.Peek();
      if (c < 0) return;
      if (c == '"' || c == '\'' || c == '<') {
        int close = c == '<' ? '>' : c;
        src_.Advance();
        for (;;) {
          int d = src_.Peek();
          if (d < 0 || d == '\n') break;
          if (d == '\\') {
            src_.Advance();
            if (src_.Peek() >= 0 && src_.Peek() != '\n') src_.Advance();
            continue;
          }
          src_.Advance();
          if (d == close) break;
        }
        continue;
      }
      if (c == '#') {
        while (src_.Peek() >= 0 && src_.Peek() != '\n') src_.Advance();
        continue;
      }
      src_.Advance();
      if (c == '}') return;
      if (c == '.') {
        int d = src_.Peek();
        if (d < 0 || d == ' ' || d == '\t' || d == '\n' || d == '\r' ||
            d == '#') {
          return;
        }
      }
    }
  }

  // ---- lexical helpers ---------------------------------------------------
  void SkipWs() {
    for (;;) {
      int c = src_.Peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        src_.Advance();
      } else if (c == '#') {
        while ((c = src_.Peek()) >= 0 && c != '\n' && c != '\r') src_.Advance();
      } else {
        return;
      }
    }
  }
  void Expect(char c, std::string_view what) {
    SkipWs();
    if (src_.Peek() != static_cast<unsigned char>(c)) Expected(what);
    src_.Advance();
  }
  // Case-insensitive keyword at the current position, followed by a
  // character that cannot continue a name.
  bool LooksLikeKeyword(std::string_view kw) {
    for (size_t i = 0; i < kw.size(); ++i) {
      int c = src_.Peek(i);
      if (c < 0 || (c | 0x20) != (kw[i] | 0x20)) return false;
    }
    int n = src_.Peek(kw.size());
    return !(n >= 0 && (IsAsciiAlpha(static_cast<char>(n)) ||
                        IsAsciiDigit(static_cast<char>(n)) || n == '_' ||
                        n == '-' || n == ':' || n == '.' || n >= 0x80));
  }
  // Decodes the UTF-8 code point at offset i; returns its length or 0.
  int PeekCodePoint(size_t i, uint32_t* cp) {
    int c = src_.Peek(i);
    if (c < 0) return 0;
    if (c < 0x80) {
      *cp = static_cast<uint32_t>(c);
      return 1;
    }
    char tmp[4] = {0, 0, 0, 0};
    int n = 0;
    for (; n < 4; ++n) {
      int d = src_.Peek(i + n);
      if (d < 0) break;
      tmp[n] = static_cast<char>(d);
    }
    return DecodeUtf8(tmp, tmp + n, cp);
  }

  // Reads \uXXXX or \UXXXXXXXX; current position at '\\'.
  uint32_t ReadUchar() {
    int kind = src_.Peek(1);
    int digits = UcharDigits(kind);
    if (digits == 0) {
      src_.Advance();
      Expected("'u' or 'U' after '\\'");
    }
    uint64_t line = src_.line(), col = src_.column();
    src_.Advance(2);
    uint32_t v = 0;
    for (int i = 0; i < digits; ++i) {
      int h = src_.Peek();
      if (h < 0 || !IsHex(static_cast<char>(h))) {
        Expected("a hexadecimal digit in the \\" + std::string(1, kind) +
                 " escape");
      }
      v = (v << 4) | HexValue(static_cast<char>(h));
      src_.Advance();
    }
    if (!IsUnicodeScalar(v)) {
      FailAt(line, col,
             "expected a Unicode scalar value, found an escape of "
             "a surrogate or a value above U+10FFFF");
    }
    return v;
  }

  // Copies one (validated) UTF-8 sequence from the source to out.
  void CopyUtf8(std::string* out) {
    uint32_t cp;
    int n = PeekCodePoint(0, &cp);
    if (n == 0) Expected("UTF-8 text");
    for (int i = 0; i < n; ++i) out->push_back(static_cast<char>(src_.Peek(i)));
    src_.Advance(n);
  }

  // ---- terms -------------------------------------------------------------
  // IRIREF at '<': unescapes and resolves against the base.
  void ReadIriRef(std::string* out) {
    uint64_t line = src_.line(), col = src_.column();
    src_.Advance();
    scratch_.clear();
    for (;;) {
      CheckTokenSize(scratch_.size());
      // Plain bytes, as many as are buffered, in one go (SkipIriRun).
      const char* end;
      const char* p = src_.Buffered(&end);
      if (const char* stop = SkipIriRun(p, end); stop != p) {
        scratch_.append(p, static_cast<size_t>(stop - p));
        src_.AdvanceInLine(static_cast<size_t>(stop - p));
        continue;
      }
      int c = src_.Peek();
      if (c == '>') {
        src_.Advance();
        break;
      }
      if (c < 0) Expected("'>' to end the IRI");
      if (c == '\\') {
        uint32_t cp = ReadUchar();
        if (cp < 0x80 && IsIriRefForbidden(static_cast<unsigned char>(cp))) {
          FailAt(line, col,
                 "expected an IRI, found an escaped character "
                 "that IRIs do not allow");
        }
        AppendUtf8(cp, &scratch_);
        continue;
      }
      if (c >= 0x80) {
        CopyUtf8(&scratch_);
        continue;
      }
      if (IsIriRefForbidden(static_cast<unsigned char>(c))) {
        Expected(
            "'>' to end the IRI (this character is not allowed in an "
            "IRI)");
      }
      scratch_.push_back(static_cast<char>(c));
      src_.Advance();
    }
    if (IsAbsoluteIri(scratch_)) {
      out->swap(scratch_);
      return;
    }
    if (base_.empty()) {
      FailAt(line, col,
             "expected an absolute IRI (no base IRI is set), "
             "found <" +
                 scratch_ + ">");
    }
    ResolveIri(base_, scratch_, out);
  }

  // PN_PREFIX? ':' at the current position: returns the prefix length in
  // bytes (the ':' at offset len), or -1 if there is none.
  long ScanPrefix() {
    size_t i = 0;
    uint32_t cp;
    int n = PeekCodePoint(0, &cp);
    if (n > 0 && cp == ':') return 0;
    if (n == 0 || !IsPnCharsBase(cp)) return -1;
    i += n;
    size_t last_good = i;
    for (;;) {
      n = PeekCodePoint(i, &cp);
      if (n == 0) break;
      if (cp == '.') {
        i += 1;
        continue;
      }
      if (!IsPnChars(cp)) break;
      i += n;
      last_good = i;
    }
    if (last_good != i) return -1;  // ends with '.'
    if (src_.Peek(i) != ':') return -1;
    return static_cast<long>(i);
  }

  // Reads PN_LOCAL (possibly empty) into out, unescaping PN_LOCAL_ESC and
  // keeping %XX as written.
  void ReadLocal(std::string* out) {
    bool first = true;
    for (;;) {
      CheckTokenSize(out->size());
      int c = src_.Peek();
      if (c < 0) return;
      if (c == '\\') {
        int e = src_.Peek(1);
        if (e >= 0 && std::strchr("_~.-!$&'()*+,;=/?#@%", e) != nullptr &&
            e != 0) {
          out->push_back(static_cast<char>(e));
          src_.Advance(2);
          first = false;
          continue;
        }
        src_.Advance();
        Expected("an escapable character after '\\' in a local name");
      }
      if (c == '%') {
        int h1 = src_.Peek(1), h2 = src_.Peek(2);
        if (h1 < 0 || h2 < 0 || !IsHex(static_cast<char>(h1)) ||
            !IsHex(static_cast<char>(h2))) {
          src_.Advance();
          Expected("two hexadecimal digits after '%' in a local name");
        }
        out->push_back('%');
        out->push_back(static_cast<char>(h1));
        out->push_back(static_cast<char>(h2));
        src_.Advance(3);
        first = false;
        continue;
      }
      if (c == ':') {
        out->push_back(':');
        src_.Advance();
        first = false;
        continue;
      }
      if (c == '.') {
        if (first) return;
        // A '.' belongs to the name only if the name goes on after it.
        size_t i = 1;
        while (src_.Peek(i) == '.') ++i;
        int d = src_.Peek(i);
        uint32_t cp;
        bool more = d == ':' || d == '%' || d == '\\' ||
                    (PeekCodePoint(i, &cp) > 0 && IsPnChars(cp));
        if (!more) return;
        out->append(i, '.');
        src_.Advance(i);
        continue;
      }
      uint32_t cp;
      int n = PeekCodePoint(0, &cp);
      if (n == 0) return;
      bool ok =
          first ? (IsPnCharsU(cp) || (cp >= '0' && cp <= '9')) : IsPnChars(cp);
      if (!ok) return;
      for (int i = 0; i < n; ++i)
        out->push_back(static_cast<char>(src_.Peek(i)));
      src_.Advance(n);
      first = false;
    }
  }

  // iri: IRIREF or a prefixed name. Returns false (consuming nothing) if
  // neither starts here.
  bool TryReadIri(std::string* out) {
    if (src_.Peek() == '<') {
      ReadIriRef(out);
      return true;
    }
    long len = ScanPrefix();
    if (len < 0) return false;
    uint64_t line = src_.line(), col = src_.column();
    std::string prefix;
    for (long i = 0; i < len; ++i)
      prefix.push_back(static_cast<char>(src_.Peek(i)));
    src_.Advance(len + 1);
    auto it = prefixes_.find(prefix);
    if (it == prefixes_.end()) {
      FailAt(line, col, "undeclared prefix '" + prefix + ":'");
    }
    *out = it->second;
    ReadLocal(out);
    return true;
  }

  void ReadBlankLabel(Term* t) {
    src_.Advance(2);  // "_:"
    std::string label;
    uint32_t cp;
    int n = PeekCodePoint(0, &cp);
    if (n == 0 || !(IsPnCharsU(cp) || (cp >= '0' && cp <= '9'))) {
      Expected("a blank node label after '_:'");
    }
    for (int i = 0; i < n; ++i)
      label.push_back(static_cast<char>(src_.Peek(i)));
    src_.Advance(n);
    for (;;) {
      CheckTokenSize(label.size());
      if (src_.Peek() == '.') {
        size_t i = 1;
        while (src_.Peek(i) == '.') ++i;
        if (PeekCodePoint(i, &cp) > 0 && IsPnChars(cp)) {
          label.append(i, '.');
          src_.Advance(i);
          continue;
        }
        break;
      }
      n = PeekCodePoint(0, &cp);
      if (n == 0 || !IsPnChars(cp)) break;
      for (int i = 0; i < n; ++i)
        label.push_back(static_cast<char>(src_.Peek(i)));
      src_.Advance(n);
    }
    if (label.compare(0, 5, "genid") == 0) label.insert(0, "genid-");
    *t = Term::BlankNode(std::move(label));
  }

  Term FreshBlank() {
    return Term::BlankNode("genid" + std::to_string(++bnode_counter_));
  }

  // String at a quote character; handles the four quoting forms.
  void ReadString(std::string* out) {
    int q = src_.Peek();
    bool longq = src_.Peek(1) == q && src_.Peek(2) == q;
    src_.Advance(longq ? 3 : 1);
    for (;;) {
      CheckTokenSize(out->size());
      // Plain bytes, as many as are buffered, in one go (SkipStringRun).
      const char* end;
      const char* p = src_.Buffered(&end);
      if (const char* stop = SkipStringRun(p, end, static_cast<char>(q));
          stop != p) {
        out->append(p, static_cast<size_t>(stop - p));
        src_.AdvanceInLine(static_cast<size_t>(stop - p));
        continue;
      }
      int c = src_.Peek();
      if (c < 0)
        Expected(std::string("a closing ") + (longq ? "triple " : "") +
                 "quote");
      if (c == q) {
        if (!longq) {
          src_.Advance();
          return;
        }
        if (src_.Peek(1) == q && src_.Peek(2) == q) {
          // The first three quotes in a row close the string (the grammar
          // allows at most two quotes before other content).
          src_.Advance(3);
          return;
        }
        out->push_back(static_cast<char>(c));
        src_.Advance();
        continue;
      }
      if (c == '\\') {
        int e = src_.Peek(1);
        if (e == 'u' || e == 'U') {
          AppendUtf8(ReadUchar(), out);
          continue;
        }
        const int r = EcharValue(e);
        if (r < 0) {
          src_.Advance();
          Expected(
              "a string escape (\\t \\b \\n \\r \\f \\\" \\' \\\\ \\u \\U)");
        }
        out->push_back(static_cast<char>(r));
        src_.Advance(2);
        continue;
      }
      if (!longq && (c == '\n' || c == '\r')) {
        Fail(
            "expected a closing quote, found a line break (use a \"\"\" "
            "string or \\n)");
      }
      if (c >= 0x80) {
        CopyUtf8(out);
        continue;
      }
      out->push_back(static_cast<char>(c));
      src_.Advance();
    }
  }

  void ReadLiteralSuffix(Term* t) {
    int c = src_.Peek();
    if (c == '@') {
      src_.Advance();
      std::string tag;
      if (src_.Peek() < 0 || !IsAsciiAlpha(static_cast<char>(src_.Peek()))) {
        Expected("a language tag after '@'");
      }
      while (src_.Peek() >= 0 && IsAsciiAlpha(static_cast<char>(src_.Peek()))) {
        CheckTokenSize(tag.size());
        tag.push_back(static_cast<char>(src_.Peek()));
        src_.Advance();
      }
      while (src_.Peek() == '-') {
        int d = src_.Peek(1);
        if (d < 0 || !(IsAsciiAlpha(static_cast<char>(d)) ||
                       IsAsciiDigit(static_cast<char>(d)))) {
          src_.Advance();
          Expected("a letter or digit in the language tag");
        }
        CheckTokenSize(tag.size());
        tag.push_back('-');
        src_.Advance();
        while (src_.Peek() >= 0 &&
               (IsAsciiAlpha(static_cast<char>(src_.Peek())) ||
                IsAsciiDigit(static_cast<char>(src_.Peek())))) {
          CheckTokenSize(tag.size());
          tag.push_back(static_cast<char>(src_.Peek()));
          src_.Advance();
        }
      }
      *t = Term::LangLiteral(std::move(t->lexical), std::move(tag));
    } else if (c == '^' && src_.Peek(1) == '^') {
      src_.Advance(2);
      std::string dt;
      if (!TryReadIri(&dt)) Expected("a datatype IRI after '^^'");
      *t = Term::Literal(std::move(t->lexical), std::move(dt));
    } else if (c == '^') {
      src_.Advance();
      Expected("'^^' before a datatype IRI");
    }
  }

  // Numeric literal at [+-0-9.]. Returns false if this is not a number.
  bool TryReadNumber(Term* t) {
    size_t i = 0;
    int c = src_.Peek();
    if (c == '+' || c == '-') ++i;
    size_t int_digits = 0;
    while (src_.Peek(i) >= '0' && src_.Peek(i) <= '9') {
      ++i;
      ++int_digits;
    }
    std::string_view dt = kXsdInteger;
    auto exponent_at = [&](size_t j) -> size_t {
      int e = src_.Peek(j);
      if (e != 'e' && e != 'E') return 0;
      size_t k = j + 1;
      if (src_.Peek(k) == '+' || src_.Peek(k) == '-') ++k;
      if (!(src_.Peek(k) >= '0' && src_.Peek(k) <= '9')) return 0;
      while (src_.Peek(k) >= '0' && src_.Peek(k) <= '9') ++k;
      return k;
    };
    if (src_.Peek(i) == '.' && src_.Peek(i + 1) >= '0' &&
        src_.Peek(i + 1) <= '9') {
      ++i;
      while (src_.Peek(i) >= '0' && src_.Peek(i) <= '9') ++i;
      dt = kXsdDecimal;
      if (size_t k = exponent_at(i)) {
        i = k;
        dt = kXsdDouble;
      }
    } else if (int_digits > 0 && src_.Peek(i) == '.' && exponent_at(i + 1)) {
      i = exponent_at(i + 1);
      dt = kXsdDouble;
    } else if (int_digits > 0) {
      if (size_t k = exponent_at(i)) {
        i = k;
        dt = kXsdDouble;
      }
    } else {
      return false;
    }
    std::string lex;
    for (size_t j = 0; j < i; ++j)
      lex.push_back(static_cast<char>(src_.Peek(j)));
    src_.Advance(i);
    *t = Term::Literal(std::move(lex), std::string(dt));
    return true;
  }

  // ---- grammar -----------------------------------------------------------
  void Emit(const Term& s, const Term& p, const Term& o) {
    quad_.subject = s;
    quad_.predicate = p;
    quad_.object = o;
    if (graph_.has_value()) {
      quad_.graph = graph_;
    } else {
      quad_.graph = options_.default_graph;
    }
    absl::Status st = sink_(quad_);
    if (!st.ok()) throw StopParse{std::move(st)};
  }

  void Statement() {
    int c = src_.Peek();
    if (c == '@') {
      if (LooksLikeAt("prefix")) {
        src_.Advance(7);
        PrefixDecl(true);
        return;
      }
      if (LooksLikeAt("base")) {
        src_.Advance(5);
        BaseDecl(true);
        return;
      }
      Expected("'@prefix' or '@base'");
    }
    if (LooksLikeKeyword("prefix")) {
      src_.Advance(6);
      PrefixDecl(false);
      return;
    }
    if (LooksLikeKeyword("base")) {
      src_.Advance(4);
      BaseDecl(false);
      return;
    }
    if (trig_) {
      TrigBlock();
    } else {
      Triples();
      Expect('.', "'.' to end the triple");
    }
  }

  bool LooksLikeAt(std::string_view kw) {
    for (size_t i = 0; i < kw.size(); ++i) {
      if (src_.Peek(i + 1) != kw[i]) return false;
    }
    int n = src_.Peek(kw.size() + 1);
    return !(n >= 0 && (IsAsciiAlpha(static_cast<char>(n)) || n == '-'));
  }

  void PrefixDecl(bool at_form) {
    SkipWs();
    long len = ScanPrefix();
    if (len < 0) Expected("a prefix name ending in ':'");
    std::string prefix;
    for (long i = 0; i < len; ++i)
      prefix.push_back(static_cast<char>(src_.Peek(i)));
    src_.Advance(len + 1);
    SkipWs();
    if (src_.Peek() != '<') Expected("an IRI in <...> for the prefix");
    std::string iri;
    ReadIriRef(&iri);
    if (at_form) Expect('.', "'.' to end the @prefix declaration");
    if (options_.on_prefix) options_.on_prefix(prefix, iri);
    prefixes_[prefix] = std::move(iri);
  }

  void BaseDecl(bool at_form) {
    SkipWs();
    if (src_.Peek() != '<') Expected("an IRI in <...> for the base");
    std::string iri;
    ReadIriRef(&iri);
    base_ = std::move(iri);
    if (at_form) Expect('.', "'.' to end the @base declaration");
  }

  // triples: subject predicateObjectList | blankNodePropertyList
  // predicateObjectList?
  void Triples() {
    SkipWs();
    int c = src_.Peek();
    if (c == '[') {
      Term s;
      bool had_props = BracketNode(&s);
      SkipWs();
      int d = src_.Peek();
      if (!had_props || (d != '.' && d != '}')) {
        PredicateObjectList(s);
      }
      return;
    }
    Term s;
    Subject(&s);
    PredicateObjectList(s);
  }

  void Subject(Term* s) {
    int c = src_.Peek();
    if (c == '_' && src_.Peek(1) == ':') {
      ReadBlankLabel(s);
      return;
    }
    if (c == '(') {
      Collection(s);
      return;
    }
    std::string iri;
    if (TryReadIri(&iri)) {
      *s = Term::Iri(std::move(iri));
      return;
    }
    Expected("a subject (an IRI, a blank node or a collection)");
  }

  // '[' at the current position. Produces a blank node; returns true if it
  // had a property list (false for the anonymous "[]").
  bool BracketNode(Term* node) {
    src_.Advance();
    *node = FreshBlank();
    SkipWs();
    if (src_.Peek() == ']') {
      src_.Advance();
      return false;
    }
    if (++depth_ > kMaxNesting) Fail("nesting of [ ] and ( ) is too deep");
    PredicateObjectList(*node);
    --depth_;
    Expect(']', "']' to end the blank node property list");
    return true;
  }

  void Collection(Term* head) {
    src_.Advance();  // '('
    if (++depth_ > kMaxNesting) Fail("nesting of [ ] and ( ) is too deep");
    Term prev;
    bool first = true;
    for (;;) {
      SkipWs();
      if (src_.Peek() == ')') {
        src_.Advance();
        break;
      }
      Term cell = FreshBlank();
      if (first) {
        *head = cell;
        first = false;
      } else {
        Emit(prev, rdf_rest_, cell);
      }
      Term obj;
      Object(&obj);
      Emit(cell, rdf_first_, obj);
      prev = std::move(cell);
    }
    --depth_;
    if (first) {
      *head = rdf_nil_;
    } else {
      Emit(prev, rdf_rest_, rdf_nil_);
    }
  }

  void PredicateObjectList(const Term& s) {
    for (;;) {
      SkipWs();
      Term p;
      Verb(&p);
      ObjectList(s, p);
      SkipWs();
      if (src_.Peek() != ';') return;
      while (src_.Peek() == ';') {
        src_.Advance();
        SkipWs();
      }
      int c = src_.Peek();
      // A trailing ';' may end the list.
      if (c == '.' || c == ']' || c == '}' || c < 0) return;
    }
  }

  void Verb(Term* p) {
    int c = src_.Peek();
    if (c == 'a') {
      int n = src_.Peek(1);
      bool ends = n < 0 || n == ' ' || n == '\t' || n == '\n' || n == '\r' ||
                  n == '<' || n == '"' || n == '\'' || n == '[' || n == '(' ||
                  n == '_' || n == '#';
      if (ends) {
        src_.Advance();
        *p = rdf_type_;
        return;
      }
    }
    std::string iri;
    if (TryReadIri(&iri)) {
      *p = Term::Iri(std::move(iri));
      return;
    }
    Expected("a predicate (an IRI or 'a')");
  }

  void ObjectList(const Term& s, const Term& p) {
    for (;;) {
      SkipWs();
      Term o;
      Object(&o);
      Emit(s, p, o);
      SkipWs();
      if (src_.Peek() != ',') return;
      src_.Advance();
    }
  }

  void Object(Term* o) {
    int c = src_.Peek();
    if (c == '_' && src_.Peek(1) == ':') {
      ReadBlankLabel(o);
      return;
    }
    if (c == '[') {
      BracketNode(o);
      return;
    }
    if (c == '(') {
      Collection(o);
      return;
    }
    if (c == '"' || c == '\'') {
      std::string lex;
      ReadString(&lex);
      *o = Term::Literal(std::move(lex));
      ReadLiteralSuffix(o);
      return;
    }
    if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
      if (TryReadNumber(o)) return;
      Expected("an object");
    }
    if (LooksLikeKeyword("true") && src_.Peek(1) == 'r' &&
        src_.Peek(0) == 't' && src_.Peek(2) == 'u' && src_.Peek(3) == 'e') {
      src_.Advance(4);
      *o = Term::Literal("true", std::string(kXsdBoolean));
      return;
    }
    if (LooksLikeKeyword("false") && src_.Peek(0) == 'f' &&
        src_.Peek(1) == 'a' && src_.Peek(2) == 'l' && src_.Peek(3) == 's' &&
        src_.Peek(4) == 'e') {
      src_.Advance(5);
      *o = Term::Literal("false", std::string(kXsdBoolean));
      return;
    }
    std::string iri;
    if (TryReadIri(&iri)) {
      *o = Term::Iri(std::move(iri));
      return;
    }
    Expected("an object (an IRI, a blank node, a literal, [ ] or ( ))");
  }

  // ---- TriG --------------------------------------------------------------
  void TrigBlock() {
    int c = src_.Peek();
    if (c == '{') {
      WrappedGraph(std::nullopt);
      return;
    }
    if (LooksLikeKeyword("graph")) {
      src_.Advance(5);
      SkipWs();
      Term label;
      if (!LabelOrSubject(&label))
        Expected("a graph name (an IRI or a blank node)");
      SkipWs();
      if (src_.Peek() != '{') Expected("'{' to open the graph block");
      WrappedGraph(std::move(label));
      return;
    }
    if (c == '[') {
      // "[]" may name a graph; "[ p o ]" starts triples.
      size_t i = 1;
      while (true) {
        int d = src_.Peek(i);
        if (d == ' ' || d == '\t' || d == '\n' || d == '\r') {
          ++i;
          continue;
        }
        break;
      }
      if (src_.Peek(i) == ']') {
        Term node;
        BracketNode(&node);
        SkipWs();
        if (src_.Peek() == '{') {
          WrappedGraph(std::move(node));
          return;
        }
        PredicateObjectList(node);
        Expect('.', "'.' to end the triple");
        return;
      }
      Term node;
      BracketNode(&node);
      SkipWs();
      if (src_.Peek() != '.') PredicateObjectList(node);
      Expect('.', "'.' to end the triple");
      return;
    }
    if (c == '(') {
      Term s;
      Collection(&s);
      PredicateObjectList(s);
      Expect('.', "'.' to end the triple");
      return;
    }
    Term s;
    if (!LabelOrSubject(&s)) {
      Expected("a subject, a graph name or '{'");
    }
    SkipWs();
    if (src_.Peek() == '{') {
      WrappedGraph(std::move(s));
      return;
    }
    PredicateObjectList(s);
    Expect('.', "'.' to end the triple");
  }

  bool LabelOrSubject(Term* t) {
    int c = src_.Peek();
    if (c == '_' && src_.Peek(1) == ':') {
      ReadBlankLabel(t);
      return true;
    }
    if (c == '[') {
      src_.Advance();
      SkipWs();
      if (src_.Peek() != ']') Expected("']' (a graph name can only be [])");
      src_.Advance();
      *t = FreshBlank();
      return true;
    }
    std::string iri;
    if (TryReadIri(&iri)) {
      *t = Term::Iri(std::move(iri));
      return true;
    }
    return false;
  }

  // At '{': triplesBlock until '}'.
  void WrappedGraph(std::optional<Term> label) {
    src_.Advance();
    graph_ = std::move(label);
    // A block without a label is the default graph, whatever the option
    // says about defaults; Emit applies options_.default_graph.
    for (;;) {
      SkipWs();
      int c = src_.Peek();
      if (c == '}') {
        src_.Advance();
        break;
      }
      if (c < 0) Expected("'}' to close the graph block");
      Triples();
      SkipWs();
      c = src_.Peek();
      if (c == '.') {
        src_.Advance();
        continue;
      }
      if (c == '}') continue;
      Expected("'.' or '}' after the triples");
    }
    graph_.reset();
  }

  Source src_;
  const bool trig_;
  const ParseOptions& options_;
  QuadSink sink_;
  std::string base_;
  absl::flat_hash_map<std::string, std::string> prefixes_;
  std::optional<Term> graph_;
  uint64_t bnode_counter_ = 0;
  int depth_ = 0;
  std::string scratch_;
  Quad quad_;
  Term rdf_first_, rdf_rest_, rdf_nil_, rdf_type_;
};

}  // namespace

absl::Status ParseTurtle(std::istream& in, bool trig,
                         const ParseOptions& options, QuadSink sink,
                         size_t chunk_size) {
  if (chunk_size < 16) chunk_size = 16;
  TurtleParser parser(in, trig, options, sink, chunk_size);
  return parser.Run();
}

}  // namespace kg::rdf_internal
