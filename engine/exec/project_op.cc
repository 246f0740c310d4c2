// ProjectOp: every slot but the projected ones unbound.

#include "engine/exec/project_op.h"

namespace kg::exec {

void ProjectOp::DoOpen(const IdRow& seed) {
  seed_ = seed;
  child_->Open(Masked(seed));
}

bool ProjectOp::DoNext(IdRow* row) {
  while (child_->Next(row)) {
    for (size_t i = 0; i < row->size(); ++i)
      if (!keep_[i]) (*row)[i] = kUnbound;
    if (MergeInto(seed_, row)) return true;
  }
  return false;
}

IdRow ProjectOp::Masked(const IdRow& r) const {
  IdRow out = r;
  for (size_t i = 0; i < out.size(); ++i)
    if (!keep_[i]) out[i] = kUnbound;
  return out;
}

}  // namespace kg::exec
