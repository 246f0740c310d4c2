// SliceOp: OFFSET and LIMIT.

#ifndef KGSTORE_ENGINE_EXEC_SLICE_OP_H_
#define KGSTORE_ENGINE_EXEC_SLICE_OP_H_

#include <cstdint>
#include <optional>
#include <string>

#include "engine/exec/operator.h"

namespace kg::exec {

// Skips `offset` rows, then passes at most `limit`; stops pulling from
// the child once the limit is reached.
class SliceOp final : public Operator {
 public:
  SliceOp(QueryContext* ctx, OpPtr child, uint64_t offset,
          std::optional<uint64_t> limit)
      : Operator(ctx), child_(std::move(child)), offset_(offset),
        limit_(limit) {}
  std::string Describe() const override;
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  OpPtr child_;
  uint64_t offset_;
  std::optional<uint64_t> limit_;
  uint64_t skipped_ = 0, given_ = 0;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_SLICE_OP_H_
