// NestedLoopJoinOp: the join that reopens its right side for every left
// row, seeded with the left row's bindings (index nested-loop joins).

#ifndef KGSTORE_ENGINE_EXEC_NESTED_LOOP_JOIN_OP_H_
#define KGSTORE_ENGINE_EXEC_NESTED_LOOP_JOIN_OP_H_

#include <vector>

#include "engine/exec/operator.h"

namespace kg::exec {

// Nested-loop join: the right side is opened once per left row with the
// left row's bindings of the right side's certain variables as its seed.
class NestedLoopJoinOp final : public Operator {
 public:
  NestedLoopJoinOp(QueryContext* ctx, OpPtr left, OpPtr right,
                   std::vector<int> right_certain)
      : Operator(ctx), left_(std::move(left)), right_(std::move(right)),
        right_certain_(std::move(right_certain)) {}
  std::string Describe() const override { return "NestedLoopJoin"; }
  std::vector<const Operator*> Children() const override {
    return {left_.get(), right_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  OpPtr left_, right_;
  std::vector<int> right_certain_;
  IdRow left_row_;
  bool have_left_ = false;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_NESTED_LOOP_JOIN_OP_H_
