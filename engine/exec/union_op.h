// UnionOp: the rows of one side, then of the other (UNION).

#ifndef KGSTORE_ENGINE_EXEC_UNION_OP_H_
#define KGSTORE_ENGINE_EXEC_UNION_OP_H_

#include <vector>

#include "engine/exec/operator.h"

namespace kg::exec {

// UNION: the rows of the first side, then of the second, each opened with
// the seed's bindings of its own certain variables.
class UnionOp final : public Operator {
 public:
  UnionOp(QueryContext* ctx, OpPtr a, OpPtr b, std::vector<int> ca,
          std::vector<int> cb)
      : Operator(ctx), a_(std::move(a)), b_(std::move(b)), ca_(std::move(ca)),
        cb_(std::move(cb)) {}
  std::string Describe() const override { return "Union"; }
  std::vector<const Operator*> Children() const override {
    return {a_.get(), b_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  OpPtr a_, b_;
  std::vector<int> ca_, cb_;
  IdRow seed_;
  bool second_ = false;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_UNION_OP_H_
