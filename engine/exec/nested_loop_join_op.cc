// NestedLoopJoinOp: the right side opened once per left row.

#include "engine/exec/nested_loop_join_op.h"

namespace kg::exec {

void NestedLoopJoinOp::DoOpen(const IdRow& seed) {
  left_->Open(seed);
  have_left_ = false;
}

bool NestedLoopJoinOp::DoNext(IdRow* row) {
  while (ctx_->Tick()) {
    if (!have_left_) {
      if (!left_->Next(&left_row_)) return false;
      right_->Open(Restrict(left_row_, right_certain_));
      have_left_ = true;
    }
    if (!right_->Next(row)) {
      have_left_ = false;
      continue;
    }
    if (MergeInto(left_row_, row)) return true;
  }
  return false;
}

}  // namespace kg::exec
