// HashJoinOp: join and OPTIONAL by hash, for a right side that runs apart
// from the left rows (a subquery that aggregates or slices).

#ifndef KGSTORE_ENGINE_EXEC_HASH_JOIN_OP_H_
#define KGSTORE_ENGINE_EXEC_HASH_JOIN_OP_H_

#include <string>
#include <vector>

#include "engine/exec/evaluator.h"
#include "engine/exec/materialized_side.h"
#include "engine/exec/operator.h"
#include "query/algebra.h"

namespace kg::exec {

// Join and OPTIONAL by hash, for a right side evaluated apart from the left
// rows (a subquery): the planner picks it where NestedLoopJoinOp would
// open the right side again for every left row. Rows come out in the
// left side's order, each left row's matches together.
class HashJoinOp final : public Operator {
 public:
  HashJoinOp(QueryContext* ctx, OpPtr left, OpPtr right, int graph_var,
             bool optional, std::vector<algebra::Expr> exprs, Evaluator* ev)
      : Operator(ctx), left_(std::move(left)), right_child_(std::move(right)),
        right_(ctx, right_child_.get(), graph_var), optional_(optional),
        exprs_(std::move(exprs)), ev_(ev) {}
  std::string Describe() const override;
  std::vector<const Operator*> Children() const override {
    return {left_.get(), right_child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  OpPtr left_, right_child_;
  MaterializedSide right_;
  bool optional_;
  std::vector<algebra::Expr> exprs_;
  Evaluator* ev_;
  IdRow left_row_;
  std::vector<IdRow> matches_;  // of left_row_, not yet returned
  size_t next_ = 0;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_HASH_JOIN_OP_H_
