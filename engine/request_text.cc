// ClassifyRequest (request_text.h): one parse as a query, one as an update,
// and the parser's own "stopped at the end of the input" flag decide.

#include "engine/request_text.h"

#include <utility>

#include "query/grammar/words.h"
#include "query/parser.h"

namespace kg {
namespace {

std::string_view TrimRight(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' ||
                        t.back() == '\n' || t.back() == '\r')) {
    t.remove_suffix(1);
  }
  return t;
}

}  // namespace

RequestClassification ClassifyRequest(std::string_view text,
                                      const QueryOptions& options) {
  RequestClassification out;
  out.text = std::string(text);
  QueryParseOptions po;
  po.base_iri = options.base_iri;
  po.prefixes = options.prefixes;

  QuerySyntaxError qe, ue;
  auto query = ParseQuery(text, po, &qe);
  if (query.ok()) {
    out.kind = RequestKind::kQuery;
    out.text = std::string(text);
    return out;
  }
  auto update = ParseUpdate(text, po, &ue);
  if (update.ok()) {
    if (!update->operations.empty()) {
      out.kind = RequestKind::kUpdate;
      out.text = std::string(text);
      return out;
    }
    // An update request may be empty, so a lone prologue parses as one; it
    // is the start of the entry, not an entry. Its own declarations only:
    QueryParseOptions bare;
    bare.base_iri = options.base_iri;
    auto own = ParseUpdate(text, bare);
    out.kind = RequestKind::kPrologue;
    if (own.ok()) out.prefixes = std::move(own->prefixes);
    return out;
  }
  // sqlite3 users end entries with ';': allow one after a query.
  std::string_view trimmed = TrimRight(text);
  if (!trimmed.empty() && trimmed.back() == ';') {
    std::string cut(trimmed.substr(0, trimmed.size() - 1));
    if (ParseQuery(cut, po).ok()) {
      out.kind = RequestKind::kQuery;
      out.text = std::move(cut);
      return out;
    }
  }
  // Report the reading that got further (for an incomplete text, the error
  // to show if nothing more comes).
  bool update_further =
      ue.line > qe.line || (ue.line == qe.line && ue.column > qe.column);
  out.message = std::string(update_further ? update.status().message()
                                           : query.status().message());
  if (qe.at_end || ue.at_end) {
    out.kind = RequestKind::kIncomplete;
    return out;
  }
  // A check over a complete query that a later clause may repair, such as
  // an aggregate before its GROUP BY line. (An undeclared prefix is not one:
  // no later line declares it for this text.)
  if (qe.whole_query_check) {
    out.kind = RequestKind::kMayGrow;
    out.message = std::string(query.status().message());
    return out;
  }
  out.kind = RequestKind::kInvalid;
  return out;
}

const std::vector<std::string>& QueryLanguageWords() {
  static const std::vector<std::string>* const words = [] {
    auto* out = new std::vector<std::string>;
    for (std::string_view k : grammar::kKeywords)
      if (k.size() > 1) out->emplace_back(k);  // not 'a'
    for (const grammar::BuiltinFunction& f : grammar::kBuiltins)
      out->emplace_back(f.name);
    return out;
  }();
  return *words;
}

}  // namespace kg
