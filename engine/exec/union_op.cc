// UnionOp: the first side, then the second.

#include "engine/exec/union_op.h"

namespace kg::exec {

void UnionOp::DoOpen(const IdRow& seed) {
  seed_ = seed;
  a_->Open(Restrict(seed, ca_));
  second_ = false;
}

bool UnionOp::DoNext(IdRow* row) {
  while (ctx_->ok()) {
    Operator* cur = second_ ? b_.get() : a_.get();
    if (!cur->Next(row)) {
      if (second_ || !ctx_->ok()) return false;
      second_ = true;
      b_->Open(Restrict(seed_, cb_));
      continue;
    }
    if (MergeInto(seed_, row)) return true;
  }
  return false;
}

}  // namespace kg::exec
