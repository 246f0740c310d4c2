// DistinctOp: a hash set of the rows returned so far.

#include "engine/exec/distinct_op.h"

namespace kg::exec {

std::string DistinctOp::Describe() const {
  return reduced_ ? "Reduced" : "Distinct";
}

void DistinctOp::DoOpen(const IdRow& seed) {
  ctx_->Release(seen_.size() * 64);
  seen_.clear();
  child_->Open(seed);
}

bool DistinctOp::DoNext(IdRow* row) {
  while (child_->Next(row)) {
    if (seen_.insert(*row).second) {
      if (!ctx_->Charge(64 + row->size() * 8)) return false;
      return true;
    }
  }
  return false;
}

}  // namespace kg::exec
