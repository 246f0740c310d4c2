// ExtendOp: binds a variable to an expression's value (BIND, SELECT
// expressions, aggregate values).

#ifndef KGSTORE_ENGINE_EXEC_EXTEND_OP_H_
#define KGSTORE_ENGINE_EXEC_EXTEND_OP_H_

#include <string>

#include "engine/exec/evaluator.h"
#include "engine/exec/operator.h"
#include "query/algebra.h"

namespace kg::exec {

// Binds one variable to an expression's value for each of the child's
// rows (unbound on an error).
class ExtendOp final : public Operator {
 public:
  // `new_solution`: this is the first of a chain of binds over one
  // solution, which bumps the row counter BNODE(str) keys on.
  ExtendOp(QueryContext* ctx, OpPtr child, int var, algebra::Expr expr,
           Evaluator* ev, std::string name, bool new_solution)
      : Operator(ctx), child_(std::move(child)), var_(var),
        expr_(std::move(expr)), ev_(ev), name_(std::move(name)),
        new_solution_(new_solution) {}
  std::string Describe() const override { return "Bind " + name_; }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  OpPtr child_;
  int var_;
  algebra::Expr expr_;
  Evaluator* ev_;
  std::string name_;
  bool new_solution_;
  TermId seed_value_ = kUnbound;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_EXTEND_OP_H_
