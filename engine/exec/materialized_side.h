// MaterializedSide: the right side of a hash join, hash OPTIONAL, MINUS or
// an EXISTS that runs apart from the left rows, evaluated once per graph
// and indexed for probes.

#ifndef KGSTORE_ENGINE_EXEC_MATERIALIZED_SIDE_H_
#define KGSTORE_ENGINE_EXEC_MATERIALIZED_SIDE_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/exec/operator.h"

namespace kg::exec {

// The right side of a hash join, hash OPTIONAL, MINUS or EXISTS whose
// evaluation does not depend on the left row (other than through the graph
// of an enclosing GRAPH ?g): evaluated once per graph value and kept across
// Opens, so that a subquery next to a pattern of 10,000 rows runs once, not
// 10,000 times (issue 14). Its rows are indexed on the variables every one
// of them binds that the probing row binds too: a compatible row must then
// hold the probe's values there, so one hash lookup finds the candidates.
// A probe that binds none of those variables scans all rows.
class MaterializedSide {
 public:
  MaterializedSide(QueryContext* ctx, Operator* plan, int graph_var)
      : ctx_(ctx), plan_(plan), graph_var_(graph_var) {}

  // Calls fn(row) for each row compatible with `probe` (and, with
  // require_shared, binding some variable `probe` binds, as MINUS needs)
  // until fn returns false. Stops early when the query fails (memory cap).
  template <typename Fn>
  void ForEachCompatible(const IdRow& probe, bool require_shared, Fn fn) {
    Rows& r = RowsFor(probe);
    if (!ctx_->ok()) return;
    uint64_t mask = 0;
    for (size_t j = 0; j < r.always_bound.size(); ++j)
      if (probe[r.always_bound[j]] != kUnbound) mask |= uint64_t{1} << j;
    if (mask != 0) {
      const Index& index = IndexFor(r, mask);
      KeyOf(r, mask, probe, &key_);
      auto hit = index.find(key_);
      if (hit == index.end()) return;
      for (uint32_t k : hit->second)
        if (Compatible(probe, r.rows[k]) && !fn(r.rows[k])) return;
      return;
    }
    for (const IdRow& y : r.rows) {
      if (require_shared) {
        bool shared = false;
        for (size_t i = 0; i < y.size(); ++i)
          if (y[i] != kUnbound && probe[i] != kUnbound &&
              static_cast<int>(i) != graph_var_)
            shared = true;
        if (!shared) continue;
      }
      if (Compatible(probe, y) && !fn(y)) return;
    }
  }

 private:
  using Index = absl::flat_hash_map<IdRow, std::vector<uint32_t>, RowHash>;
  struct Rows {
    std::vector<IdRow> rows;
    // Slots every row binds (not the graph variable), at most 64.
    std::vector<int> always_bound;
    // By the subset of always_bound a probe binds (a bit per position in
    // always_bound): the rows by their values in that subset.
    absl::flat_hash_map<uint64_t, Index> by_key;
  };

  // The rows for the probe's graph, evaluated on first use.
  Rows& RowsFor(const IdRow& probe) {
    TermId g = graph_var_ >= 0 ? probe[graph_var_] : kUnbound;
    auto [it, fresh] = by_graph_.try_emplace(g);
    if (fresh) Evaluate(g, probe.size(), &it->second);
    return it->second;
  }
  // Runs the plan in graph `g` (kUnbound: outside GRAPH ?g) into *r.
  void Evaluate(TermId g, size_t width, Rows* r);

  // The index of r's rows on the always_bound positions in `mask`, built
  // on first use.
  const Index& IndexFor(Rows& r, uint64_t mask) {
    auto [it, fresh] = r.by_key.try_emplace(mask);
    if (fresh) BuildIndex(r, mask, &it->second);
    return it->second;
  }
  void BuildIndex(const Rows& r, uint64_t mask, Index* index);

  static void KeyOf(const Rows& r, uint64_t mask, const IdRow& row,
                    IdRow* key) {
    key->clear();
    for (size_t j = 0; j < r.always_bound.size(); ++j)
      if (mask >> j & 1) key->push_back(row[r.always_bound[j]]);
  }

  QueryContext* ctx_;
  Operator* plan_;
  int graph_var_;
  // Per graph value (kUnbound: outside GRAPH ?g).
  absl::flat_hash_map<TermId, Rows> by_graph_;
  IdRow key_;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_MATERIALIZED_SIDE_H_
