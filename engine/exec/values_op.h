// Operators whose rows are given rather than read: the seed itself
// (SingletonOp, the empty group pattern) and VALUES (ValuesOp).

#ifndef KGSTORE_ENGINE_EXEC_VALUES_OP_H_
#define KGSTORE_ENGINE_EXEC_VALUES_OP_H_

#include <string>
#include <vector>

#include "engine/exec/operator.h"

namespace kg::exec {

// One row: the seed.
class SingletonOp final : public Operator {
 public:
  using Operator::Operator;
  std::string Describe() const override { return "Singleton"; }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  IdRow seed_;
  bool done_ = true;
};

// The rows of a VALUES block (each merged with the seed).
class ValuesOp final : public Operator {
 public:
  ValuesOp(QueryContext* ctx, std::vector<IdRow> rows)
      : Operator(ctx), rows_(std::move(rows)) {}
  std::string Describe() const override;

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  std::vector<IdRow> rows_;
  IdRow seed_;
  size_t i_ = 0;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_VALUES_OP_H_
