// SliceOp: OFFSET and LIMIT.

#include "engine/exec/slice_op.h"

#include "absl/strings/str_cat.h"

namespace kg::exec {

std::string SliceOp::Describe() const {
  return absl::StrCat("Slice offset=", offset_,
                      limit_ ? absl::StrCat(" limit=", *limit_) : "");
}

void SliceOp::DoOpen(const IdRow& seed) {
  child_->Open(seed);
  skipped_ = 0;
  given_ = 0;
}

bool SliceOp::DoNext(IdRow* row) {
  // Stops pulling once the limit is reached: LIMIT 10 over a huge match
  // reads only what it returns.
  if (limit_ && given_ >= *limit_) return false;
  while (skipped_ < offset_) {
    if (!child_->Next(row)) return false;
    ++skipped_;
  }
  if (!child_->Next(row)) return false;
  ++given_;
  return true;
}

}  // namespace kg::exec
