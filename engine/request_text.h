// Telling what a piece of SPARQL text is before running it: a query, an
// update, or text that needs more lines. For interactive tools (`kg shell`)
// that collect an entry line by line and must decide, after each line,
// whether to run it, show a continuation prompt, or report an error.
//
// The decision uses the same parser, base IRI and prefixes that
// Database::Query and Database::Update use with the same QueryOptions, so an
// entry is judged complete exactly when it would run.
//
// Thread-safety: ClassifyRequest is reentrant; distinct calls may run
// concurrently.

#ifndef KGSTORE_ENGINE_REQUEST_TEXT_H_
#define KGSTORE_ENGINE_REQUEST_TEXT_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/database.h"

namespace kg {

enum class RequestKind {
  // Parses as a query (SELECT, ASK, CONSTRUCT, DESCRIBE): run it with
  // Database::Query. A trailing ';' after a query (as sqlite3 users type)
  // is accepted and removed from `text`.
  kQuery,
  // Parses as an update request with at least one operation: run it with
  // Database::Update.
  kUpdate,
  // Only a prologue (PREFIX and BASE declarations, comments): the query or
  // update it is written for has not come yet. `prefixes` holds what it
  // declares.
  kPrologue,
  // The text stops before a query or update is complete (an unclosed '{',
  // a dangling keyword): more lines may complete it.
  kIncomplete,
  // Complete as text, but fails a static check that a clause still to come
  // may satisfy ("SELECT ?p (COUNT(*) AS ?n) WHERE {...}" before its
  // "GROUP BY ?p" line). `message` says what fails if nothing follows.
  kMayGrow,
  // A syntax error or a static error that no further text can repair.
  // `message` is the parser's message (line, column, what was expected and
  // a caret) of whichever reading, query or update, got further.
  kInvalid,
};

struct RequestClassification {
  RequestKind kind = RequestKind::kInvalid;
  // The input; for kQuery, without a trailing ';' after the query (the
  // text to run).
  std::string text;
  // kInvalid: the error. kIncomplete and kMayGrow: the error to show if
  // nothing more comes.
  std::string message;
  // kPrologue: the prefixes the prologue declares (name without ':' ->
  // namespace IRI), its BASE applied.
  std::map<std::string, std::string> prefixes;
};

// Classifies `text` under `options` (only base_iri and prefixes are read).
// Never fails: every outcome is a kind.
RequestClassification ClassifyRequest(std::string_view text,
                                      const QueryOptions& options);

// The words of the query language, for completion in interactive tools:
// its keywords (SELECT, OPTIONAL, GROUP_CONCAT, ...; "true" and "false")
// and its built-in function names (STRLEN, REGEX, ...), upper case, each
// once, from the tables the parser itself reads. The vector lives as long
// as the process.
const std::vector<std::string>& QueryLanguageWords();

}  // namespace kg

#endif  // KGSTORE_ENGINE_REQUEST_TEXT_H_
