// FilterOp: the child's rows that pass every condition.

#include "engine/exec/filter_op.h"

#include "absl/strings/str_cat.h"

namespace kg::exec {

std::string FilterOp::Describe() const {
  return absl::StrCat("Filter (", exprs_.size(), " condition",
                      exprs_.size() == 1 ? "" : "s", ")");
}

bool FilterOp::DoNext(IdRow* row) {
  while (child_->Next(row)) {
    bool pass = true;
    for (const auto& e : exprs_)
      if (!ev_->Test(e, *row)) {
        pass = false;
        break;
      }
    if (pass) return true;
    if (!ctx_->Tick()) return false;
  }
  return false;
}

}  // namespace kg::exec
