// NamedGraphsOp and GraphVarOp: GRAPH ?g.

#include "engine/exec/graph_ops.h"

namespace kg::exec {

void NamedGraphsOp::DoOpen(const IdRow& seed) {
  seed_ = seed;
  i_ = 0;
}

bool NamedGraphsOp::DoNext(IdRow* row) {
  const auto& list = ctx_->scope.named_list;
  while (i_ < list.size()) {
    *row = seed_;
    TermId g = list[i_++];
    if ((*row)[var_] != kUnbound && (*row)[var_] != g) continue;
    (*row)[var_] = g;
    return true;
  }
  return false;
}

void GraphVarOp::DoOpen(const IdRow& seed) {
  // A seed value of ?g picks the graph; P itself does not see it.
  IdRow s = seed;
  s[hidden_] = seed[var_];
  s[var_] = kUnbound;
  child_->Open(s);
}

bool GraphVarOp::DoNext(IdRow* row) {
  while (child_->Next(row)) {
    TermId g = (*row)[hidden_];
    (*row)[hidden_] = kUnbound;
    if ((*row)[var_] == kUnbound) {
      (*row)[var_] = g;
      return true;
    }
    if ((*row)[var_] == g) return true;
    if (!ctx_->Tick()) return false;
  }
  return false;
}

}  // namespace kg::exec
