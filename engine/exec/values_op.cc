// SingletonOp and ValuesOp.

#include "engine/exec/values_op.h"

#include "absl/strings/str_cat.h"

namespace kg::exec {

void SingletonOp::DoOpen(const IdRow& seed) {
  seed_ = seed;
  done_ = false;
}

bool SingletonOp::DoNext(IdRow* row) {
  if (done_) return false;
  done_ = true;
  *row = seed_;
  return true;
}

std::string ValuesOp::Describe() const {
  return absl::StrCat("Values (", rows_.size(), " rows)");
}

void ValuesOp::DoOpen(const IdRow& seed) {
  seed_ = seed;
  i_ = 0;
}

bool ValuesOp::DoNext(IdRow* row) {
  while (i_ < rows_.size()) {
    *row = rows_[i_++];
    if (MergeInto(seed_, row)) return true;
  }
  return false;
}

}  // namespace kg::exec
