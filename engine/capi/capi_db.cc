// The C API: version, return codes, messages, options, open and close.

#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "engine/capi/handles.h"
#include "storage/rdf/rdf_format.h"

namespace kg::capi {

int CodeOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return KG_OK;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kUnimplemented:
    case absl::StatusCode::kOutOfRange:
      return KG_INVALID;
    case absl::StatusCode::kNotFound:
      return KG_NOTFOUND;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kPermissionDenied:
      return KG_LOCKED;
    case absl::StatusCode::kDataLoss:
      return KG_CORRUPT;
    case absl::StatusCode::kUnavailable:
      return KG_IOERR;
    case absl::StatusCode::kResourceExhausted:
      return KG_FULL;
    case absl::StatusCode::kDeadlineExceeded:
      return KG_TIMEOUT;
    case absl::StatusCode::kCancelled:
      return KG_CANCELLED;
    default:
      return KG_INTERNAL;
  }
}

int Fail(kg_db* db, int code, std::string message) {
  if (db != nullptr) {
    std::lock_guard<std::mutex> lock(db->failures_mu);
    auto& failure = db->failures[std::this_thread::get_id()];
    failure.code = code;
    failure.message = std::move(message);
  }
  return code;
}

int Fail(kg_db* db, const absl::Status& status) {
  return Fail(db, CodeOf(status), std::string(status.message()));
}

absl::StatusOr<Term> ParseTermArgument(const char* text, const char* what) {
  if (text == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": missing (NULL)"));
  }
  auto term = ParseNTriplesTerm(text);
  if (!term.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " \"", text, "\": ", term.status().message()));
  }
  return term;
}

// The structured term as a Term, before validation.
absl::StatusOr<Term> BuildTerm(const kg_term* term, const char* what) {
  if (term == nullptr || term->value == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": missing (NULL term or value)"));
  }
  switch (term->kind) {
    case KG_TERM_IRI:
      return Term::Iri(term->value);
    case KG_TERM_BLANK:
      return Term::BlankNode(term->value);
    case KG_TERM_LITERAL:
      if (term->language != nullptr && term->language[0] != '\0') {
        return Term::LangLiteral(term->value, term->language);
      }
      return Term::Literal(term->value,
                           term->datatype != nullptr ? term->datatype : "");
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": kind ", term->kind,
          " is not KG_TERM_IRI, KG_TERM_BLANK or KG_TERM_LITERAL"));
  }
}

absl::StatusOr<Term> TermFromStruct(const kg_term* term, const char* what) {
  auto built = BuildTerm(term, what);
  if (!built.ok()) return built;
  // The same rules as terms given as text: written out and read back, a
  // valid term is itself; an IRI with a space or without a scheme, a bad
  // blank node label or language tag is not.
  std::string text = built->ToNTriples();
  auto reread = ParseNTriplesTerm(text);
  if (!reread.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " ", text, ": ", reread.status().message()));
  }
  if (*reread != *built) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " ", text, ": not a valid term"));
  }
  return built;
}

absl::Status CheckQuadPositions(const Quad& quad, bool has_graph) {
  if (quad.subject.is_literal()) {
    return absl::InvalidArgumentError(
        "subject: a literal cannot be a subject (expected an IRI or a blank "
        "node)");
  }
  if (!quad.predicate.is_iri()) {
    return absl::InvalidArgumentError("predicate: expected an IRI");
  }
  if (has_graph && quad.graph->is_literal()) {
    return absl::InvalidArgumentError(
        "graph: a literal cannot name a graph (expected an IRI or a blank "
        "node)");
  }
  return absl::OkStatus();
}

absl::StatusOr<QueryOptions> RequestOptionsWith(
    kg_db* db, const kg_request_options* overrides,
    std::shared_ptr<std::atomic<bool>>* flag) {
  QueryOptions options = db->RequestOptions(flag);
  if (overrides == nullptr) return options;
  if (overrides->timeout_ms != 0)
    options.timeout_ms = overrides->timeout_ms > 0 ? overrides->timeout_ms : 0;
  if (overrides->memory_limit_bytes != 0)
    options.memory_limit_bytes =
        overrides->memory_limit_bytes > 0
            ? static_cast<uint64_t>(overrides->memory_limit_bytes)
            : 0;
  switch (overrides->dataset) {
    case KG_DATASET_STORE:
      break;
    case KG_DATASET_UNION:
      options.strict_dataset = false;
      break;
    case KG_DATASET_STRICT:
      options.strict_dataset = true;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "dataset ", overrides->dataset,
          " is not KG_DATASET_STORE, KG_DATASET_UNION or KG_DATASET_STRICT"));
  }
  if (overrides->base_iri != nullptr) options.base_iri = overrides->base_iri;
  return options;
}

char* CopyForCaller(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

}  // namespace kg::capi

using kg::capi::Fail;
using kg::capi::Guarded;

extern "C" {

const char* kg_version(void) { return KG_VERSION; }
int kg_version_number(void) { return KG_VERSION_NUMBER; }

const char* kg_errstr(int code) {
  switch (code) {
    case KG_OK: return "KG_OK";
    case KG_INTERNAL: return "KG_INTERNAL";
    case KG_INVALID: return "KG_INVALID";
    case KG_NOTFOUND: return "KG_NOTFOUND";
    case KG_LOCKED: return "KG_LOCKED";
    case KG_CORRUPT: return "KG_CORRUPT";
    case KG_IOERR: return "KG_IOERR";
    case KG_FULL: return "KG_FULL";
    case KG_TIMEOUT: return "KG_TIMEOUT";
    case KG_CANCELLED: return "KG_CANCELLED";
    case KG_MISUSE: return "KG_MISUSE";
    case KG_ROW: return "KG_ROW";
    case KG_DONE: return "KG_DONE";
    default: return "KG_UNKNOWN";
  }
}

void kg_free(void* p) { std::free(p); }

kg_options* kg_options_new(void) { return new (std::nothrow) kg_options(); }
void kg_options_free(kg_options* options) { delete options; }

void kg_options_set_create_if_missing(kg_options* o, int on) {
  if (o) o->open.create_if_missing = on != 0;
}
void kg_options_set_read_only(kg_options* o, int on) {
  if (o) o->open.read_only = on != 0;
}
void kg_options_set_durable_commits(kg_options* o, int on) {
  if (o) o->open.durable_commits = on != 0;
}
void kg_options_set_block_cache_bytes(kg_options* o, uint64_t bytes) {
  if (o) o->open.block_cache_bytes = bytes;
}
void kg_options_set_term_cache_bytes(kg_options* o, uint64_t bytes) {
  if (o) o->open.term_cache_bytes = bytes;
}
void kg_options_set_adjacency_cache_bytes(kg_options* o, uint64_t bytes) {
  if (o) o->open.adjacency_cache_bytes = bytes;
}
void kg_options_set_warm_in_background(kg_options* o, int on) {
  if (o) o->open.warm_adjacencies_in_background = on != 0;
}
void kg_options_set_query_timeout_ms(kg_options* o, int64_t ms) {
  if (o) o->query.timeout_ms = ms < 0 ? 0 : ms;
}
void kg_options_set_memory_limit_bytes(kg_options* o, uint64_t bytes) {
  if (o) o->query.memory_limit_bytes = bytes;
}
void kg_options_set_strict_dataset(kg_options* o, int on) {
  if (o) o->query.strict_dataset = on != 0;
}
void kg_options_set_allow_file_access(kg_options* o, int on) {
  if (o) o->query.allow_file_access = on != 0;
}

int kg_open(const char* path, const kg_options* options, kg_db** out) {
  if (out == nullptr) return KG_MISUSE;
  *out = nullptr;
  kg_db* db = new (std::nothrow) kg_db();
  if (db == nullptr) return KG_FULL;
  *out = db;
  return Guarded(db, [&]() -> int {
    if (path == nullptr) return Fail(db, KG_INVALID, "kg_open: path is NULL");
    kg_options defaults;
    const kg_options& o = options != nullptr ? *options : defaults;
    db->query_options = o.query;
    auto opened = kg::Database::Open(path, o.open);
    if (!opened.ok()) return Fail(db, opened.status());
    db->database = *std::move(opened);
    return KG_OK;
  });
}

void kg_close(kg_db* db) {
  if (db == nullptr) return;
  try {
    delete db;
  } catch (...) {
    // A destructor that throws has nothing left to report to.
  }
}

void kg_interrupt(kg_db* db) {
  if (db == nullptr) return;
  std::lock_guard<std::mutex> lock(db->cancel_mu);
  db->cancel->store(true);
  db->cancel = std::make_shared<std::atomic<bool>>(false);
}

const char* kg_errmsg(kg_db* db) {
  if (db == nullptr) return "out of memory";
  std::lock_guard<std::mutex> lock(db->failures_mu);
  auto it = db->failures.find(std::this_thread::get_id());
  // The string stays where it is until this thread's next failure on `db`
  // (unordered_map nodes do not move on rehash).
  return it == db->failures.end() ? "" : it->second.message.c_str();
}

int kg_errcode(kg_db* db) {
  if (db == nullptr) return KG_FULL;
  std::lock_guard<std::mutex> lock(db->failures_mu);
  auto it = db->failures.find(std::this_thread::get_id());
  return it == db->failures.end() ? KG_OK : it->second.code;
}

}  // extern "C"
