// The Turtle / TriG parser's terms (TurtleParser, turtle_parser.h): IRIs
// (IRIREF with its escapes, resolved against the base; prefixed names with
// their local-name escapes), blank node labels, the four forms of strings
// with their escapes, language tags and datatypes, numbers. Apart from the
// grammar (turtle_reader.cc) because each reads one token, byte by byte,
// and knows nothing of statements.
//
// Blank nodes: a written label starting with "genid" becomes "genid-" +
// label, so that it never collides with the labels FreshBlank makes (see
// turtle_reader.cc).

#include <cstring>
#include <string>

#include "storage/rdf/iri.h"
#include "storage/rdf/syntax.h"
#include "storage/rdf/turtle_parser.h"

namespace kg::rdf_internal::turtle {

// Reads \uXXXX or \UXXXXXXXX; current position at '\\'.
uint32_t TurtleParser::ReadUchar() {
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
void TurtleParser::CopyUtf8(std::string* out) {
  uint32_t cp;
  int n = PeekCodePoint(0, &cp);
  if (n == 0) Expected("UTF-8 text");
  for (int i = 0; i < n; ++i) out->push_back(static_cast<char>(src_.Peek(i)));
  src_.Advance(n);
}

// IRIREF at '<': unescapes and resolves against the base.
void TurtleParser::ReadIriRef(std::string* out) {
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
long TurtleParser::ScanPrefix() {
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
void TurtleParser::ReadLocal(std::string* out) {
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
bool TurtleParser::TryReadIri(std::string* out) {
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

void TurtleParser::ReadBlankLabel(Term* t) {
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

// String at a quote character; handles the four quoting forms.
void TurtleParser::ReadString(std::string* out) {
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

void TurtleParser::ReadLiteralSuffix(Term* t) {
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
bool TurtleParser::TryReadNumber(Term* t) {
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

}  // namespace kg::rdf_internal::turtle
