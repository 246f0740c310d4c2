// MaterializedSide: evaluating the right side for a graph and indexing
// its rows.

#include "engine/exec/materialized_side.h"

namespace kg::exec {

void MaterializedSide::Evaluate(TermId g, size_t width, Rows* r) {
  IdRow seed(width, kUnbound);
  if (graph_var_ >= 0) seed[graph_var_] = g;
  plan_->Open(seed);
  IdRow x;
  while (plan_->Next(&x)) {
    if (!ctx_->Charge(x.size() * 8)) break;
    r->rows.push_back(x);
  }
  for (size_t i = 0; i < width && r->always_bound.size() < 64; ++i) {
    if (static_cast<int>(i) == graph_var_) continue;
    bool all = !r->rows.empty();
    for (const IdRow& y : r->rows)
      if (y[i] == kUnbound) {
        all = false;
        break;
      }
    if (all) r->always_bound.push_back(static_cast<int>(i));
  }
}

void MaterializedSide::BuildIndex(const Rows& r, uint64_t mask,
                                  Index* index) {
  IdRow key;
  for (uint32_t k = 0; k < r.rows.size(); ++k) {
    KeyOf(r, mask, r.rows[k], &key);
    if (!ctx_->Charge(key.size() * 8 + 16)) break;
    (*index)[key].push_back(k);
  }
}

}  // namespace kg::exec
