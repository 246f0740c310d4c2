// The C API's handles (kgstore/kg.h) and the helpers every entry point
// shares: turning absl::Status into a return code and a per-thread
// message, and keeping C++ exceptions from crossing into C.
//
// Internal to engine/capi; the C API is written only on the public C++ API
// (engine/database.h, query_result.h, graph_export.h).

#ifndef KGSTORE_ENGINE_CAPI_HANDLES_H_
#define KGSTORE_ENGINE_CAPI_HANDLES_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "engine/database.h"
#include "engine/query_result.h"
#include "kgstore/kg.h"

struct kg_options {
  kg::OpenOptions open;
  kg::QueryOptions query;
};

struct kg_db {
  std::unique_ptr<kg::Database> database;  // null when kg_open failed
  // Timeout, memory cap, dataset rule and file access of every request.
  kg::QueryOptions query_options;

  // The last failure of each thread (kg_errmsg, kg_errcode).
  struct Failure {
    int code = KG_OK;
    std::string message;
  };
  std::mutex failures_mu;
  std::unordered_map<std::thread::id, Failure> failures;

  // The flag requests started now watch; kg_interrupt raises it and puts a
  // fresh one in its place, so that later requests are not cancelled.
  std::mutex cancel_mu;
  std::shared_ptr<std::atomic<bool>> cancel =
      std::make_shared<std::atomic<bool>>(false);

  // Options for one request, watching the current cancel flag (kept alive
  // by *flag as long as the request runs).
  kg::QueryOptions RequestOptions(std::shared_ptr<std::atomic<bool>>* flag) {
    std::lock_guard<std::mutex> lock(cancel_mu);
    *flag = cancel;
    kg::QueryOptions options = query_options;
    options.cancel = flag->get();
    return options;
  }
};

struct kg_txn {
  kg_db* db = nullptr;
  std::unique_ptr<kg::Transaction> txn;
};

// Rows of a query (bindings, boolean, triples) or of a match (quads).
struct kg_result {
  kg_db* db = nullptr;
  int type = KG_RESULT_BINDINGS;
  std::vector<std::string> columns;
  std::shared_ptr<std::atomic<bool>> cancel;  // the query's flag
  std::unique_ptr<kg::QueryResult> query;     // queries
  std::unique_ptr<kg::QuadCursor> quads;      // matches
  bool started = false;  // a match's cursor is on its first quad until then
  bool done = false;
  bool has_row = false;
  std::vector<std::optional<kg::Term>> cells;  // the current row
  // Strings made on demand for the current row (datatype, N-Triples form),
  // cleared by each step.
  std::vector<std::optional<std::string>> datatypes;
  std::vector<std::optional<std::string>> ntriples;
};

namespace kg::capi {

// The return code for a status (KG_OK for OK).
int CodeOf(const absl::Status& status);

// Records a failure for the calling thread and returns its code.
int Fail(kg_db* db, int code, std::string message);
// Records `status` (not OK) for the calling thread; returns its code.
int Fail(kg_db* db, const absl::Status& status);
// KG_OK for OK, else records it.
inline int Report(kg_db* db, const absl::Status& status) {
  return status.ok() ? KG_OK : Fail(db, status);
}

// Runs `body` (returning an int code), turning any C++ exception into
// KG_FULL ("out of memory") or KG_INTERNAL recorded on `db`.
template <typename Body>
int Guarded(kg_db* db, Body&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(db, KG_FULL, "out of memory");
  } catch (const std::exception& e) {
    return Fail(db, KG_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return Fail(db, KG_INTERNAL, "internal error");
  }
}

// Parses `text` as one term in N-Triples syntax for the argument named
// `what` ("subject", ...); InvalidArgument names the argument.
absl::StatusOr<Term> ParseTermArgument(const char* text, const char* what);
// Converts a structured term; InvalidArgument names the argument.
absl::StatusOr<Term> TermFromStruct(const kg_term* term, const char* what);
// Checks that a quad's terms may stand where they are (subject: IRI or
// blank node; predicate: IRI; graph: IRI or blank node).
absl::Status CheckQuadPositions(const Quad& quad, bool has_graph);

// The store's request options with `overrides` (may be null) applied;
// InvalidArgument for a dataset value out of range.
absl::StatusOr<QueryOptions> RequestOptionsWith(
    kg_db* db, const kg_request_options* overrides,
    std::shared_ptr<std::atomic<bool>>* flag);

// Copies `text` into memory the caller frees with kg_free; nullptr when out
// of memory.
char* CopyForCaller(const std::string& text);

}  // namespace kg::capi

#endif  // KGSTORE_ENGINE_CAPI_HANDLES_H_
