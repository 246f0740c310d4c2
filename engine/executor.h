// The query executor: plans the algebra (query/algebra.h) into physical
// operators over a QuadSource and runs them. Internal to the engine; the
// public entry points are Database::Query / Update / Explain.
//
// Execution works on rows of TermIds indexed by variable slot (0 =
// unbound). Terms are decoded only for output and for functions that need
// lexical forms; values computed by expressions are encoded back to ids
// (inline, dictionary, or a query-local temporary id) so that equality of
// ids is equality of terms throughout.

#ifndef KGSTORE_ENGINE_EXECUTOR_H_
#define KGSTORE_ENGINE_EXECUTOR_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/database.h"
#include "engine/query_result.h"
#include "query/algebra.h"
#include "storage/store.h"

namespace kg {

// Where an executor reads quads: a snapshot (queries) or the write
// transaction (updates, which see their own earlier operations).
class QuadSource {
 public:
  virtual ~QuadSource() = default;
  virtual std::unique_ptr<QuadIdIterator> Scan(const QuadIds& pattern,
                                               unsigned bound_mask) const = 0;
  virtual std::unique_ptr<QuadIdIterator> ScanRange(
      Permutation perm, std::string lower, std::string upper,
      bool default_graph_only) const = 0;
  virtual absl::StatusOr<Term> Resolve(TermId id) const = 0;
  virtual absl::StatusOr<std::optional<TermId>> Lookup(
      const Term& term) const = 0;
  // The in-memory adjacency of a predicate (ReadView::AdjacencyFor), or
  // null: always for write transactions, which must see their own writes.
  virtual std::shared_ptr<const PredicateAdjacency> Adjacency(
      TermId predicate, unsigned bound_mask) const {
    (void)predicate;
    (void)bound_mask;
    return nullptr;
  }
};

std::unique_ptr<QuadSource> SourceFromView(std::shared_ptr<ReadView> view);
std::unique_ptr<QuadSource> SourceFromTxn(WriteTxn* txn);

// Runs a translated query; the result shares `source`, `stats` and
// `query` (which must not change while it lives).
absl::StatusOr<std::unique_ptr<QueryResult>> ExecuteQuery(
    std::shared_ptr<QuadSource> source,
    std::shared_ptr<const StoreStatistics> stats,
    std::shared_ptr<const algebra::Query> query, const QueryOptions& options);

// EXPLAIN / PROFILE text of a translated query.
absl::StatusOr<std::string> ExplainQuery(
    std::shared_ptr<QuadSource> source,
    std::shared_ptr<const StoreStatistics> stats,
    std::shared_ptr<const algebra::Query> query, const QueryOptions& options,
    bool profile);

// Evaluates a graph pattern (update WHERE, DELETE WHERE) to rows of terms
// indexed by slot (std::nullopt = unbound).
absl::StatusOr<std::vector<std::vector<std::optional<Term>>>> EvaluatePattern(
    std::shared_ptr<QuadSource> source,
    std::shared_ptr<const StoreStatistics> stats,
    const std::shared_ptr<algebra::Node>& pattern, size_t num_vars,
    const algebra::Dataset& dataset, const QueryOptions& options);

}  // namespace kg

#endif  // KGSTORE_ENGINE_EXECUTOR_H_
