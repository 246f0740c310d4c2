// DistinctOp: drops repeated rows (DISTINCT, REDUCED).

#ifndef KGSTORE_ENGINE_EXEC_DISTINCT_OP_H_
#define KGSTORE_ENGINE_EXEC_DISTINCT_OP_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "engine/exec/operator.h"

namespace kg::exec {

// DISTINCT (and REDUCED, which may but need not drop duplicates): each
// row once, kept in a hash set.
class DistinctOp final : public Operator {
 public:
  DistinctOp(QueryContext* ctx, OpPtr child, bool reduced)
      : Operator(ctx), child_(std::move(child)), reduced_(reduced) {}
  std::string Describe() const override;
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  OpPtr child_;
  bool reduced_;
  absl::flat_hash_set<IdRow, RowHash> seen_;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_DISTINCT_OP_H_
