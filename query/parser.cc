// The parser API (parser.h): runs the X3 grammar (query/grammar/) over the
// text with the one context config.hpp names, and turns every way the
// grammar can fail (expectation failures, static errors thrown by the
// Builder, a rule that does not match) into a QuerySyntaxError.
//
// Messages name the likely cause where one can be told: a '<' meant as an
// IRI says which character spoils it, and a message whose found token could
// be fixed ends with a hint ("found 'FILTR' (did you mean FILTER?)"). A
// hint is only given when the fixed text really reads further, as a query
// or as an update: the parser is run again on it.

#include "query/parser.h"

#include <exception>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "query/grammar/builder.h"
#include "query/grammar/grammar.hpp"
#include "query/grammar/spacing.h"
#include "query/grammar/words.h"
#include "storage/rdf/syntax.h"

namespace kg {
namespace {

namespace x3 = boost::spirit::x3;
using grammar::Builder;
using grammar::GrammarError;
using grammar::ParseDeadline;

const char* SkipSpace(const char* p, const char* end) {
  return grammar::SkipSpaceAndComments(p, end);
}

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '-' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The token at p, for "found '...'".
std::string TokenAt(const char* p, const char* end) {
  if (p >= end) return "end of input";
  // A control character (a NUL byte) is named, not printed.
  if (static_cast<unsigned char>(*p) < 0x20 || *p == 0x7F) {
    return rdf_internal::DescribeFound(p, end, /*at_input_end=*/true);
  }
  const char* q = p;
  if (*q == '?' || *q == '$') ++q;
  while (q < end && IsWordByte(*q) && q - p < 40) ++q;
  if (q == p || (q == p + 1 && (*p == '?' || *p == '$'))) {
    if (*p == '<') {
      while (q < end && *q != '>' && *q != ' ' && *q != '\n' && q - p < 40) {
        ++q;
      }
      if (q < end && *q == '>') ++q;
    } else {
      q = p + 1;
      // Two-character operators read better whole.
      if (q < end && ((*p == '|' && *q == '|') || (*p == '&' && *q == '&') ||
                      (*q == '=' && (*p == '!' || *p == '<' || *p == '>')) ||
                      (*p == '^' && *q == '^'))) {
        ++q;
      }
    }
  }
  std::string token = "'";
  token.append(p, static_cast<size_t>(q - p));
  token.push_back('\'');
  return token;
}

// X3 names unnamed composite parsers by their C++ type; never show that.
std::string CleanExpected(std::string which) {
  if (which.find("boost") != std::string::npos ||
      which.find("kg") != std::string::npos ||
      which.find("N5") != std::string::npos) {
    return "valid syntax";
  }
  return which;
}

void Locate(std::string_view text, const char* pos, QuerySyntaxError* err) {
  err->line = 1;
  err->column = 1;
  for (const char* p = text.data(); p < pos; ++p) {
    if (*p == '\n') {
      ++err->line;
      err->column = 1;
    } else if ((static_cast<unsigned char>(*p) & 0xC0) != 0x80) {
      ++err->column;
    }
  }
}

// Where `name` is first used as a variable, for errors found on the AST.
const char* FindVar(std::string_view text, const std::string& name) {
  if (name.empty()) return nullptr;
  for (size_t i = 0; i + name.size() < text.size(); ++i) {
    if ((text[i] == '?' || text[i] == '$') &&
        text.compare(i + 1, name.size(), name) == 0 &&
        (i + 1 + name.size() == text.size() ||
         !IsWordByte(text[i + 1 + name.size()]))) {
      return text.data() + i;
    }
  }
  return nullptr;
}

absl::Status Fail(std::string_view text, const char* pos, std::string expected,
                  bool is_message, bool at_end_hint, QuerySyntaxError* out) {
  const char* end = text.data() + text.size();
  QuerySyntaxError err;
  pos = SkipSpace(pos, end);
  // A '<' meant as an IRI but not one: name the character that spoils it
  // (the parse then failed at the '<', or read "<http:" as less-than and
  // an undeclared prefix).
  const char* iri = pos < end && *pos == '<'              ? pos
                    : pos > text.data() && pos[-1] == '<' ? pos - 1
                                                          : nullptr;
  std::string iri_message;
  if (iri != nullptr && grammar::DiagnoseIriRef(iri, end, &pos, &iri_message)) {
    expected = std::move(iri_message);
    is_message = true;
    at_end_hint = false;
  }
  Locate(text, pos, &err);
  err.expected = std::move(expected);
  if (!is_message) err.found = TokenAt(pos, end);
  err.at_end = at_end_hint || pos >= end;
  std::string msg = err.ToString(text);
  if (out != nullptr) *out = std::move(err);
  return absl::InvalidArgumentError(msg);
}

template <typename Rule>
bool ParseWith(const char*& first, const char* last, Builder& b,
               const Rule& rule) {
  auto const phrase_ctx = x3::make_context<x3::skipper_tag>(grammar::skipper);
  auto const ctx = x3::make_context<grammar::state_tag>(b, phrase_ctx);
  static_assert(
      std::is_same_v<std::decay_t<decltype(ctx)>, grammar::context_type>);
  return rule.parse(first, last, ctx, x3::unused, x3::unused);
}

template <typename Rule>
absl::Status Run(std::string_view text, Builder& b, const Rule& rule,
                 QuerySyntaxError* error) {
  const char* first = text.data();
  const char* const last = first + text.size();
  try {
    if (!ParseWith(first, last, b, rule)) {
      return Fail(text, first, CleanExpected(x3::what(rule)), false, false,
                  error);
    }
  } catch (const x3::expectation_failure<const char*>& e) {
    return Fail(text, e.where(), CleanExpected(e.which()), false, false, error);
  } catch (const GrammarError& e) {
    return Fail(text, e.pos, e.message, true, e.at_end, error);
  } catch (const ParseDeadline&) {
    return absl::DeadlineExceededError(
        "the time limit ran out while the request's text was being read");
  } catch (const grammar::ParseMemory&) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "query exceeded its memory limit of ", b.memory_limit_bytes(),
        " bytes while its text was being read (its terms alone would hold "
        "more than ", b.charged_bytes(), " bytes)"));
  } catch (const std::exception& e) {
    return Fail(text, first, std::string("internal parser error: ") + e.what(),
                true, false, error);
  }
  return absl::OkStatus();
}

// ---- hints -----------------------------------------------------------------
// A hint names a likely cause by trying a fix: the fixed text must read
// further than the error, as a query or as an update. Prefixes are not
// checked then (the caller's QueryParseOptions are not at hand here).

// How far `rule` reads `text`: the offset of the next token where it
// fails, or text.size() + 1 when it parses the whole text. *refused tells
// a static error (the grammar took the token there, then refused it).
template <typename Rule>
size_t Reach(std::string_view text, const Rule& rule, bool* refused) {
  *refused = false;
  Builder b(text, {});
  b.any_prefix = true;
  const char* first = text.data();
  const char* const last = first + text.size();
  const char* stop = first;
  try {
    if (ParseWith(first, last, b, rule)) return text.size() + 1;
  } catch (const x3::expectation_failure<const char*>& e) {
    stop = e.where();
  } catch (const GrammarError& e) {
    stop = e.pos;
    *refused = true;
  } catch (const std::exception&) {
  }
  return static_cast<size_t>(SkipSpace(stop, last) - text.data());
}

// The offset of the token after the one at `at` (TokenAt's tokens).
size_t NextToken(std::string_view text, size_t at) {
  const char* end = text.data() + text.size();
  const char* p = SkipSpace(text.data() + at, end);
  if (p >= end) return text.size();
  return static_cast<size_t>(SkipSpace(p + (TokenAt(p, end).size() - 2), end) -
                             text.data());
}

// Replacing text[begin, end) with `with`, does the parser read past the
// replacement and then `tokens` more tokens? kRefused: it took the
// replacement but a static check refused it ("SERVICE is not supported").
enum class Fit { kNo, kRefused, kYes };
Fit FixWorks(std::string_view text, size_t begin, size_t end,
             std::string_view with, int tokens) {
  std::string fixed(text.substr(0, begin));
  fixed.append(with).append(text.substr(end));
  size_t need =
      static_cast<size_t>(SkipSpace(fixed.data() + begin + with.size(),
                                    fixed.data() + fixed.size()) -
                          fixed.data());
  for (int i = 1; i < tokens; ++i) need = NextToken(fixed, need);
  Fit fit = Fit::kNo;
  for (bool query : {true, false}) {
    bool refused;
    size_t reach = query ? Reach(fixed, grammar::query_unit, &refused)
                         : Reach(fixed, grammar::update_unit, &refused);
    if (tokens == 0 ? reach >= need : reach > need) return Fit::kYes;
    if (refused && reach == begin) fit = Fit::kRefused;
  }
  return fit;
}

// The byte offset of (line, column), as Locate counts them.
size_t OffsetOf(std::string_view text, uint64_t line, uint64_t column) {
  uint64_t l = 1, c = 1;
  for (size_t i = 0; i <= text.size(); ++i) {
    bool lead = i == text.size() ||
                (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (l == line && c == column && lead) return i;
    if (i == text.size()) break;
    if (text[i] == '\n') {
      ++l;
      c = 1;
    } else if (lead) {
      ++c;
    }
  }
  return std::string_view::npos;
}

bool IsBareWord(std::string_view t) {
  if (t.empty() || t.size() >= 40 || !absl::ascii_isalpha(t[0])) return false;
  for (char c : t) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return true;
}

// A hint re-reads the text a few times; a longer text (a bulk INSERT DATA)
// gets the plain message at once.
constexpr size_t kMaxHintText = size_t{1} << 20;

// " (did you mean FILTER?)" and the like, or "".
std::string Hint(std::string_view text, uint64_t line, uint64_t column,
                 const std::string& found) {
  if (text.size() > kMaxHintText) return "";
  if (found.size() < 3 || found.front() != '\'') return "";
  const std::string token = found.substr(1, found.size() - 2);
  size_t begin = OffsetOf(text, line, column);
  if (begin == std::string_view::npos ||
      text.substr(begin).substr(0, token.size()) != token) {
    return "";
  }
  size_t end = begin + token.size();
  if (IsBareWord(token)) {
    // A misspelt keyword or function name.
    const bool lower = absl::AsciiStrToLower(token) == token;
    const std::vector<std::string_view> similar = grammar::SimilarWords(token);
    // The nearest that fits, else the nearest a static check refuses there
    // ("SERVIC": SERVICE, which is not supported, but is what was meant).
    std::string_view best, refused;
    for (std::string_view word : similar) {
      Fit fit = FixWorks(text, begin, end, word, 0);
      if (fit == Fit::kYes) {
        best = word;
        break;
      }
      if (fit == Fit::kRefused && refused.empty()) refused = word;
    }
    if (best.empty()) best = refused;
    if (!best.empty()) {
      std::string shown(best);
      if (lower) absl::AsciiStrToLower(&shown);
      return " (did you mean " + shown + "?)";
    }
    // An unknown function: an IRI would do there.
    const char* after = SkipSpace(text.data() + end, text.data() + text.size());
    if (after < text.data() + text.size() && *after == '(' &&
        FixWorks(text, begin, end, "<f:f>", 1) == Fit::kYes) {
      return " (no built-in function is named " + token + ")";
    }
    // A term without its '?' or its prefix.
    if (FixWorks(text, begin, end, "?" + token, 1) == Fit::kYes) {
      return " (not a keyword: write ?" + token +
             " for a variable, or give it a prefix, as in ex:" + token + ")";
    }
    return "";
  }
  // Two triple patterns without the '.' between them (the second starting
  // with a variable, an IRI or a blank node: tokens TokenAt reads whole).
  const char c = token[0];
  const bool subject = c == '?' || c == '$' || c == '<' || c == '_' ||
                       token.find(':') != std::string::npos;
  if (subject && FixWorks(text, begin, begin, ". ", 2) == Fit::kYes) {
    return " (missing '.' after the previous triple pattern?)";
  }
  return "";
}

// Query and update text must be UTF-8: the first byte that does not
// begin a UTF-8 character (Latin-1 text, a cut multi-byte character, an
// encoded surrogate) is refused before parsing, so that no update stores a
// string that a dump could not write back as RDF.
absl::Status CheckUtf8(std::string_view text, QuerySyntaxError* out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    if (static_cast<unsigned char>(*p) < 0x80) {
      ++p;
      continue;
    }
    uint32_t cp;
    const int n = rdf_internal::DecodeUtf8(p, end, &cp);
    if (n > 0) {
      p += n;
      continue;
    }
    QuerySyntaxError err;
    Locate(text, p, &err);
    err.expected = absl::StrCat(
        "invalid UTF-8: ", rdf_internal::DescribeFound(p, end, true),
        " does not start a valid UTF-8 character (queries and updates are UTF-8 "
        "text)");
    std::string msg = err.ToString(text);
    if (out != nullptr) *out = std::move(err);
    return absl::InvalidArgumentError(msg);
  }
  return absl::OkStatus();
}

}  // namespace

std::string QuerySyntaxError::ToString(std::string_view text) const {
  std::string out = absl::StrCat("line ", line, ", column ", column, ": ");
  if (found.empty()) {
    absl::StrAppend(&out, expected);
  } else {
    absl::StrAppend(&out, "expected ", expected, ", found ", found,
                    Hint(text, line, column, found));
  }
  // The query line and a caret under the column.
  size_t start = 0;
  for (uint64_t l = 1; l < line && start < text.size(); ++l) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  size_t stop = text.find('\n', start);
  if (stop == std::string_view::npos) stop = text.size();
  std::string_view src = text.substr(start, stop - start);
  if (!src.empty() && src.back() == '\r') src.remove_suffix(1);
  absl::StrAppend(&out, "\n", std::string(src), "\n");
  uint64_t col = 1;
  for (size_t i = 0; i < src.size() && col < column; ++i) {
    if ((static_cast<unsigned char>(src[i]) & 0xC0) == 0x80) continue;
    out.push_back(src[i] == '\t' ? '\t' : ' ');
    ++col;
  }
  while (col < column) {  // the column is past the line's end
    out.push_back(' ');
    ++col;
  }
  out.push_back('^');
  return out;
}

absl::StatusOr<ast::Query> ParseQuery(std::string_view text,
                                      const QueryParseOptions& options,
                                      QuerySyntaxError* error) {
  if (absl::Status utf8 = CheckUtf8(text, error); !utf8.ok()) return utf8;
  Builder b(text, options);
  absl::Status st = Run(text, b, grammar::query_unit, error);
  if (!st.ok()) return st;
  ast::Query q = b.TakeQuery();
  if (auto err = grammar::CheckQuery(q)) {
    const char* pos = FindVar(text, err->var);
    if (pos == nullptr) pos = text.data();
    absl::Status st = Fail(text, pos, err->message, true, false, error);
    if (error != nullptr) error->whole_query_check = true;
    return st;
  }
  return q;
}

absl::StatusOr<ast::UpdateRequest> ParseUpdate(std::string_view text,
                                               const QueryParseOptions& options,
                                               QuerySyntaxError* error) {
  if (absl::Status utf8 = CheckUtf8(text, error); !utf8.ok()) return utf8;
  Builder b(text, options);
  absl::Status st = Run(text, b, grammar::update_unit, error);
  if (!st.ok()) return st;
  return b.TakeUpdate();
}

bool IsIncompleteInput(std::string_view text,
                       const QueryParseOptions& options) {
  QuerySyntaxError qe, ue;
  if (ParseQuery(text, options, &qe).ok()) return false;
  if (ParseUpdate(text, options, &ue).ok()) return false;
  return qe.at_end || ue.at_end;
}

}  // namespace kg
