// Parsing SPARQL 1.1 query and update text into the plain AST (ast.h).
//
// The grammar is written with Boost.Spirit X3 (query/grammar/), compiled in
// separate translation units; nothing of X3 leaks through this header.
// No exception leaves these functions and they never print.
//
// Thread-safety: the functions are reentrant; distinct calls may run
// concurrently.

#ifndef KGSTORE_QUERY_PARSER_H_
#define KGSTORE_QUERY_PARSER_H_

#include <cstdint>
#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "query/ast.h"

namespace kg {

struct QueryParseOptions {
  // Base IRI for relative IRIs when the text has no BASE.
  std::string base_iri;
  // Prefixes known before the text's own PREFIX declarations (the shell's
  // .prefix command); the text's declarations override them.
  std::map<std::string, std::string> prefixes;
  // When the parse must give up: a parse still running then stops with
  // DeadlineExceeded (the clock is read every 1,024 tokens or so). The
  // default never. The engine sets it from QueryOptions::timeout_ms, so a
  // request's time limit holds while its text is read too.
  std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::time_point::max();
  // What the parsed form of the text may hold, in bytes, before the parse
  // stops with ResourceExhausted; 0 (the default) for no limit. Counted
  // per term and variable read, each at three times its size (the syntax
  // tree, its algebra and the plan built from it hold a copy each): an
  // estimate of the request's memory, not a measurement. The engine sets
  // it from QueryOptions::memory_limit_bytes, so a request's memory cap
  // holds while its text is read too.
  uint64_t memory_limit_bytes = 0;
};

// Where and why a parse failed.
struct QuerySyntaxError {
  uint64_t line = 0;    // 1-based
  uint64_t column = 0;  // 1-based, in characters (UTF-8 code points)
  std::string expected;  // what the grammar expected, e.g. "'}'" or "a variable or term"
  std::string found;     // the text found there (a token, or "end of input")
  // True when the error is at the end of the input: more text could make it
  // valid (the shell then shows a continuation prompt).
  bool at_end = false;
  // True when the text parsed but a check over the whole query failed (an
  // ungrouped variable in SELECT with aggregates, a variable projected
  // twice, BIND of an in-scope variable): a clause still to come, such as
  // GROUP BY, may repair it.
  bool whole_query_check = false;
  // "line L, column C: expected X, found 'Y'" followed by the query line
  // and a caret under the column.
  std::string ToString(std::string_view text) const;
};

// On a syntax error the status is InvalidArgument with
// QuerySyntaxError::ToString as its message; `error` (if given) receives the
// details. Errors beyond syntax that SPARQL defines as static errors (a
// variable projected twice, an ungrouped variable in SELECT with GROUP BY,
// BIND of an in-scope variable, an undeclared prefix) are InvalidArgument
// too, with the position of the offending token. DeadlineExceeded: the
// options' deadline passed; ResourceExhausted: the parsed form outgrew
// the options' memory_limit_bytes.
absl::StatusOr<ast::Query> ParseQuery(std::string_view text,
                                      const QueryParseOptions& options = {},
                                      QuerySyntaxError* error = nullptr);

absl::StatusOr<ast::UpdateRequest> ParseUpdate(
    std::string_view text, const QueryParseOptions& options = {},
    QuerySyntaxError* error = nullptr);

// True if `text` is a prefix of a possibly valid query or update (the parse
// failed only at the end of input, e.g. an unclosed '{'), read with
// `options` (the prefixes the text will run with). Interactive tools use
// engine/request_text.h, which also tells a lone prologue.
bool IsIncompleteInput(std::string_view text,
                       const QueryParseOptions& options = {});

}  // namespace kg

#endif  // KGSTORE_QUERY_PARSER_H_
