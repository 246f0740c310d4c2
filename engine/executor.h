// The query executor's entry points: plans the algebra (query/algebra.h)
// into physical operators over a QuadReader and runs them. Internal to the
// engine; the public entry points are Database::Query / Update / Explain.
//
// The pipeline: engine/plan/ (Planner) turns the algebra into a tree of
// engine/exec/ operators; ExecuteQuery's result pulls rows through that
// tree and decodes them; ExplainQuery prints it (engine/exec/explain.h).
//
// Execution works on rows of TermIds indexed by variable slot (0 =
// unbound). Terms are decoded only for output and for functions that need
// lexical forms; values computed by expressions are encoded back to ids
// (inline, dictionary, or a query-local temporary id) so that equality of
// ids is equality of terms throughout.

#ifndef KGSTORE_ENGINE_EXECUTOR_H_
#define KGSTORE_ENGINE_EXECUTOR_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/database.h"
#include "engine/query_result.h"
#include "query/algebra.h"
#include "storage/quad_reader.h"
#include "storage/store.h"

namespace kg {

// Runs a translated query; the result shares `source`, `stats` and
// `query` (which must not change while it lives). `started`: when the
// request arrived, from which options.timeout_ms counts (default: now);
// the same for the two below.
absl::StatusOr<std::unique_ptr<QueryResult>> ExecuteQuery(
    std::shared_ptr<const QuadReader> source,
    std::shared_ptr<const StoreStatistics> stats,
    std::shared_ptr<const algebra::Query> query, const QueryOptions& options,
    std::chrono::steady_clock::time_point started = {});

// EXPLAIN / PROFILE text of a translated query.
absl::StatusOr<std::string> ExplainQuery(
    std::shared_ptr<const QuadReader> source,
    std::shared_ptr<const StoreStatistics> stats,
    std::shared_ptr<const algebra::Query> query, const QueryOptions& options,
    bool profile, std::chrono::steady_clock::time_point started = {});

// Evaluates a graph pattern (update WHERE, DELETE WHERE) to rows of terms
// indexed by slot (std::nullopt = unbound).
absl::StatusOr<std::vector<std::vector<std::optional<Term>>>> EvaluatePattern(
    std::shared_ptr<const QuadReader> source,
    std::shared_ptr<const StoreStatistics> stats,
    const std::shared_ptr<algebra::Node>& pattern, size_t num_vars,
    const algebra::Dataset& dataset, const QueryOptions& options,
    std::chrono::steady_clock::time_point started = {});

}  // namespace kg

#endif  // KGSTORE_ENGINE_EXECUTOR_H_
