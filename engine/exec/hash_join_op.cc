// HashJoinOp: each left row probes the MaterializedSide of the right.

#include "engine/exec/hash_join_op.h"

#include "absl/strings/str_cat.h"

namespace kg::exec {

std::string HashJoinOp::Describe() const {
  std::string what = optional_ ? "HashOptional" : "HashJoin";
  if (!exprs_.empty())
    absl::StrAppend(&what, " with ", exprs_.size(), " filter(s)");
  return absl::StrCat(what, " (right side evaluated once)");
}

void HashJoinOp::DoOpen(const IdRow& seed) {
  left_->Open(seed);
  matches_.clear();
  next_ = 0;
}

bool HashJoinOp::DoNext(IdRow* row) {
  while (ctx_->Tick()) {
    if (next_ < matches_.size()) {
      *row = std::move(matches_[next_++]);
      return true;
    }
    if (!left_->Next(&left_row_)) return false;
    matches_.clear();
    next_ = 0;
    right_.ForEachCompatible(left_row_, /*require_shared=*/false,
                             [&](const IdRow& y) {
                               IdRow merged = y;
                               MergeInto(left_row_, &merged);
                               for (const auto& e : exprs_)
                                 if (!ev_->Test(e, merged)) return true;
                               matches_.push_back(std::move(merged));
                               return true;
                             });
    if (!ctx_->ok()) return false;
    if (optional_ && matches_.empty()) {
      *row = left_row_;
      return true;
    }
  }
  return false;
}

}  // namespace kg::exec
