// FilterOp: keeps the rows every one of its conditions holds for (FILTER).

#ifndef KGSTORE_ENGINE_EXEC_FILTER_OP_H_
#define KGSTORE_ENGINE_EXEC_FILTER_OP_H_

#include <string>
#include <vector>

#include "engine/exec/evaluator.h"
#include "engine/exec/operator.h"
#include "query/algebra.h"

namespace kg::exec {

// Keeps the child's rows for which every condition is true (an error
// drops the row).
class FilterOp final : public Operator {
 public:
  FilterOp(QueryContext* ctx, OpPtr child, std::vector<algebra::Expr> exprs,
           Evaluator* ev)
      : Operator(ctx), child_(std::move(child)), exprs_(std::move(exprs)),
        ev_(ev) {}
  std::string Describe() const override;
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override { child_->Open(seed); }
  bool DoNext(IdRow* row) override;

 private:
  OpPtr child_;
  std::vector<algebra::Expr> exprs_;
  Evaluator* ev_;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_FILTER_OP_H_
