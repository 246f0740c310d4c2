// LeftJoinOp: OPTIONAL as a nested loop.

#include "engine/exec/left_join_op.h"

#include "absl/strings/str_cat.h"

namespace kg::exec {

std::string LeftJoinOp::Describe() const {
  return exprs_.empty() ? "Optional"
                        : absl::StrCat("Optional with ", exprs_.size(),
                                       " filter(s)");
}

void LeftJoinOp::DoOpen(const IdRow& seed) {
  left_->Open(seed);
  have_left_ = false;
}

bool LeftJoinOp::DoNext(IdRow* row) {
  while (ctx_->Tick()) {
    if (!have_left_) {
      if (!left_->Next(&left_row_)) return false;
      right_->Open(Restrict(left_row_, right_certain_));
      have_left_ = true;
      matched_ = false;
    }
    if (!right_->Next(row)) {
      have_left_ = false;
      if (!ctx_->ok()) return false;
      if (!matched_) {
        *row = left_row_;
        return true;
      }
      continue;
    }
    if (!MergeInto(left_row_, row)) continue;
    bool pass = true;
    for (const auto& e : exprs_)
      if (!ev_->Test(e, *row)) {
        pass = false;
        break;
      }
    if (!pass) continue;
    matched_ = true;
    return true;
  }
  return false;
}

}  // namespace kg::exec
