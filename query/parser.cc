// The parser API (parser.h): runs the X3 grammar (query/grammar/) over the
// text with the one context config.hpp names, and turns every way the
// grammar can fail (expectation failures, static errors thrown by the
// Builder, a rule that does not match) into a QuerySyntaxError.

#include "query/parser.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "query/grammar/builder.h"
#include "query/grammar/grammar.hpp"

namespace kg {
namespace {

namespace x3 = boost::spirit::x3;
using grammar::Builder;
using grammar::GrammarError;

const char* SkipSpace(const char* p, const char* end) {
  while (p < end) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
        *p == '\v') {
      ++p;
    } else if (*p == '#') {
      while (p < end && *p != '\n') ++p;
    } else {
      break;
    }
  }
  return p;
}

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '-' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The token at p, for "found '...'".
std::string TokenAt(const char* p, const char* end) {
  if (p >= end) return "end of input";
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
  Locate(text, pos, &err);
  err.expected = std::move(expected);
  if (!is_message) err.found = TokenAt(pos, end);
  err.at_end = at_end_hint || pos >= end;
  std::string msg = err.ToString(text);
  if (out != nullptr) *out = std::move(err);
  return absl::InvalidArgumentError(msg);
}

template <typename Rule>
absl::Status Run(std::string_view text, Builder& b, const Rule& rule,
                 QuerySyntaxError* error) {
  const char* first = text.data();
  const char* const last = first + text.size();
  try {
    auto const phrase_ctx = x3::make_context<x3::skipper_tag>(grammar::skipper);
    auto const ctx = x3::make_context<grammar::state_tag>(b, phrase_ctx);
    static_assert(
        std::is_same_v<std::decay_t<decltype(ctx)>, grammar::context_type>);
    if (!rule.parse(first, last, ctx, x3::unused, x3::unused)) {
      return Fail(text, first, CleanExpected(x3::what(rule)), false, false,
                  error);
    }
  } catch (const x3::expectation_failure<const char*>& e) {
    return Fail(text, e.where(), CleanExpected(e.which()), false, false, error);
  } catch (const GrammarError& e) {
    return Fail(text, e.pos, e.message, true, e.at_end, error);
  } catch (const std::exception& e) {
    return Fail(text, first, std::string("internal parser error: ") + e.what(),
                true, false, error);
  }
  return absl::OkStatus();
}

}  // namespace

std::string QuerySyntaxError::ToString(std::string_view text) const {
  std::string out = absl::StrCat("line ", line, ", column ", column, ": ");
  if (found.empty()) {
    absl::StrAppend(&out, expected);
  } else {
    absl::StrAppend(&out, "expected ", expected, ", found ", found);
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
  Builder b(text, options);
  absl::Status st = Run(text, b, grammar::query_unit, error);
  if (!st.ok()) return st;
  ast::Query q = b.TakeQuery();
  if (auto err = grammar::CheckQuery(q)) {
    const char* pos = FindVar(text, err->var);
    if (pos == nullptr) pos = text.data();
    return Fail(text, pos, err->message, true, false, error);
  }
  return q;
}

absl::StatusOr<ast::UpdateRequest> ParseUpdate(std::string_view text,
                                               const QueryParseOptions& options,
                                               QuerySyntaxError* error) {
  Builder b(text, options);
  absl::Status st = Run(text, b, grammar::update_unit, error);
  if (!st.ok()) return st;
  return b.TakeUpdate();
}

bool IsIncompleteInput(std::string_view text) {
  QuerySyntaxError qe, ue;
  if (ParseQuery(text, {}, &qe).ok()) return false;
  if (ParseUpdate(text, {}, &ue).ok()) return false;
  return qe.at_end || ue.at_end;
}

}  // namespace kg
