// LeftJoinOp: OPTIONAL as a nested loop (the right side reopened per left
// row), with the OPTIONAL's FILTER conditions.

#ifndef KGSTORE_ENGINE_EXEC_LEFT_JOIN_OP_H_
#define KGSTORE_ENGINE_EXEC_LEFT_JOIN_OP_H_

#include <string>
#include <vector>

#include "engine/exec/evaluator.h"
#include "engine/exec/operator.h"
#include "query/algebra.h"

namespace kg::exec {

// OPTIONAL: each left row with every compatible right row that passes the
// conditions, or alone when none does. The right side is opened per left
// row, seeded with the left row's bindings of its certain variables.
class LeftJoinOp final : public Operator {
 public:
  LeftJoinOp(QueryContext* ctx, OpPtr left, OpPtr right,
             std::vector<int> right_certain, std::vector<algebra::Expr> exprs,
             Evaluator* ev)
      : Operator(ctx), left_(std::move(left)), right_(std::move(right)),
        right_certain_(std::move(right_certain)), exprs_(std::move(exprs)),
        ev_(ev) {}
  std::string Describe() const override;
  std::vector<const Operator*> Children() const override {
    return {left_.get(), right_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  OpPtr left_, right_;
  std::vector<int> right_certain_;
  std::vector<algebra::Expr> exprs_;
  Evaluator* ev_;
  IdRow left_row_;
  bool have_left_ = false, matched_ = false;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_LEFT_JOIN_OP_H_
