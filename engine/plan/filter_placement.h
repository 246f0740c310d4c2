// Filter placement inside a basic graph pattern: a FILTER's conjuncts each
// go right after the scan that binds the last of their variables, and
// range conditions on a scan's object become key ranges of that scan.

#ifndef KGSTORE_ENGINE_PLAN_FILTER_PLACEMENT_H_
#define KGSTORE_ENGINE_PLAN_FILTER_PLACEMENT_H_

#include <optional>
#include <vector>

#include "engine/exec/index_scan_op.h"
#include "query/algebra.h"

namespace kg::plan {

// The conjuncts of a pattern's FILTERs and which of them are placed.
// FILTER(A && B) keeps a row iff A and B are both true (an error in either
// drops it), which is FILTER(A) FILTER(B): each conjunct is placed on its
// own, as soon as its variables are bound.
class FilterPlacement {
 public:
  explicit FilterPlacement(const std::vector<algebra::Expr>& filters);

  // Every conjunct, placed or not.
  const std::vector<algebra::Expr>& conjuncts() const { return conjuncts_; }

  // The conjuncts not placed yet whose variables are all in `bound` (and
  // that have no EXISTS), now placed.
  std::vector<algebra::Expr> TakeReady(const std::vector<int>& bound);
  // The conjuncts never placed: they go above the whole pattern.
  std::vector<algebra::Expr> Rest() const;

 private:
  std::vector<algebra::Expr> conjuncts_;
  std::vector<bool> placed_;
};

  // The range the FILTERs' top-level conjuncts ?o < c, ?o >= c, c > ?o ...
  // put on variable `var`, for constants with an order-preserving inline
  // encoding: numbers (xsd:integer and xsd:decimal constants bound the
  // object's value across both inline tags) or dates. Only constants of the
  // first kind found are used.
std::optional<exec::ObjectRange> ObjectRangeFor(
    int var, const std::vector<algebra::Expr>& filters);

}  // namespace kg::plan

#endif  // KGSTORE_ENGINE_PLAN_FILTER_PLACEMENT_H_
