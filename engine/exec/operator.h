// The physical operator interface: a pull-based iterator over IdRows.
//
// Operator contract: Open(seed) starts a pass whose rows are exactly
// { merge(seed, b) : b a solution of the operator compatible with seed }.
// Operators may use the seed's bindings as constraints (a scan substitutes
// them into its key prefix: an index nested-loop join); callers pass only
// bindings of variables the operator is certain to bind (CertainVars in
// engine/plan/certain_vars.h), so that using them as constraints cannot
// change the answer, and check the rest themselves.
//
// Each operator describes itself for EXPLAIN (Describe, Children, the
// planner's estimate) and counts its rows, opens and time for PROFILE;
// engine/exec/explain.h prints the tree.

#ifndef KGSTORE_ENGINE_EXEC_OPERATOR_H_
#define KGSTORE_ENGINE_EXEC_OPERATOR_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/exec/id_row.h"
#include "engine/exec/query_context.h"

namespace kg::exec {

class Operator {
 public:
  explicit Operator(QueryContext* ctx) : ctx_(ctx) {}
  virtual ~Operator() = default;
  // Starts a pass over the rows compatible with `seed` (see above); an
  // operator may be opened many times (once per left row of a join).
  void Open(const IdRow& seed) {
    ++opens_;
    if (!ctx_->profile) {
      DoOpen(seed);
      return;
    }
    // Blocking operators (sort, aggregation, minus) do their work here, so
    // PROFILE counts Open time too. Times are inclusive of children.
    auto start = Clock::now();
    DoOpen(seed);
    nanos_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
                  Clock::now() - start)
                  .count();
  }
  // The next row of the pass into *row; false at the end or once the query
  // has failed (QueryContext::status).
  bool Next(IdRow* row) {
    if (!ctx_->ok()) return false;
    if (!ctx_->profile) {
      bool got = DoNext(row);
      if (got) ++rows_;
      return got;
    }
    auto start = Clock::now();
    bool got = DoNext(row);
    nanos_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
                  Clock::now() - start)
                  .count();
    if (got) ++rows_;
    return got;
  }
  // For callers that look at no column of the rows (COUNT(*) without
  // GROUP BY): the number of rows left in the pass started by the last
  // Open, consuming them, for an operator that can count them without
  // producing them (CanCount: IntersectScan adds up its intersections'
  // sizes); nullopt, consuming nothing, for the others. Also nullopt
  // once the query has failed. PROFILE counts the rows so counted.
  std::optional<uint64_t> CountRest() {
    if (!ctx_->ok()) return std::nullopt;
    auto start = ctx_->profile ? Clock::now() : Clock::time_point();
    std::optional<uint64_t> n = DoCountRest();
    if (ctx_->profile)
      nanos_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
                    Clock::now() - start)
                    .count();
    if (n) rows_ += *n;
    if (!ctx_->ok()) return std::nullopt;
    return n;
  }
  virtual bool CanCount() const { return false; }

  // EXPLAIN: what this operator is, and its children.
  virtual std::string Describe() const = 0;
  virtual std::vector<const Operator*> Children() const { return {}; }
  // Estimated rows per Open.
  double estimate = 1;
  uint64_t rows() const { return rows_; }
  uint64_t opens() const { return opens_; }
  double millis() const { return nanos_ / 1e6; }

 protected:
  virtual void DoOpen(const IdRow& seed) = 0;
  virtual bool DoNext(IdRow* row) = 0;
  virtual std::optional<uint64_t> DoCountRest() { return std::nullopt; }
  QueryContext* ctx_;

 private:
  uint64_t rows_ = 0, opens_ = 0;
  int64_t nanos_ = 0;
};

using OpPtr = std::unique_ptr<Operator>;

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_OPERATOR_H_
