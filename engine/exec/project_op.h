// ProjectOp: keeps the projected variables of each row (SELECT ?a ?b).

#ifndef KGSTORE_ENGINE_EXEC_PROJECT_OP_H_
#define KGSTORE_ENGINE_EXEC_PROJECT_OP_H_

#include <vector>

#include "engine/exec/operator.h"

namespace kg::exec {

// Unbinds every slot but the projected ones; a seed reaches the child
// only through projected variables.
class ProjectOp final : public Operator {
 public:
  ProjectOp(QueryContext* ctx, OpPtr child, std::vector<int> vars, size_t width)
      : Operator(ctx), child_(std::move(child)), keep_(width, false) {
    for (int v : vars) keep_[v] = true;
  }
  std::string Describe() const override { return "Project"; }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  inline IdRow Masked(const IdRow& r) const;
  OpPtr child_;
  std::vector<bool> keep_;
  IdRow seed_;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_PROJECT_OP_H_
