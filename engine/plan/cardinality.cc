// EstimatePatternRows from the per-predicate statistics (and the
// per-object counts where they are kept).

#include "engine/plan/cardinality.h"

#include <algorithm>

#include "engine/plan/certain_vars.h"

namespace kg::plan {

using algebra::Slot;
using exec::kAbsent;

double EstimatePatternRows(exec::QueryContext* ctx, const algebra::Pattern& p,
                           const std::vector<int>& bound) {
  return EstimatePatternRows(ctx, p, [&](int v) { return Contains(bound, v); });
}

double EstimatePatternRows(exec::QueryContext* ctx, const algebra::Pattern& p,
                           absl::FunctionRef<bool(int)> var_is_bound) {
  auto is_bound = [&](const Slot& s) {
    return !s.is_var() || var_is_bound(s.var);
  };
  bool sb = is_bound(p.subject), ob = is_bound(p.object);
  double total = std::max<double>(1, ctx->stats->total_quads);
  if (p.path) {
    if (sb || ob) return 50;
    return total * 10;
  }
  if (!p.predicate.is_var()) {
    TermId pid = ctx->EncodeConstant(p.predicate.term);
    auto it = ctx->stats->predicates.find(pid);
    if (pid == kAbsent || it == ctx->stats->predicates.end()) return 0;
    double q = it->second.quads;
    double ds = std::max<double>(1, it->second.distinct_subjects);
    double dobj = std::max<double>(1, it->second.distinct_objects);
    // Both ends bound: the expected matches of one (s, o) pair. With a
    // constant object whose count the statistics keep, the share of the
    // predicate's subjects that have it (a type check `?x a :Class` passes
    // count(:Class) / subjects of the predicate, not 1 / classes: with one
    // class far larger than the rest the average misjudged it, and the
    // join order with it).
    if (sb && ob) {
      if (!p.object.is_var()) {
        const TermId oid = ctx->EncodeConstant(p.object.term);
        if (std::optional<uint64_t> n = ctx->stats->QuadsWithObject(pid, oid))
          return std::min(1.0, static_cast<double>(*n) / ds);
      }
      return std::min(1.0, q / (ds * dobj));
    }
    if (sb) return q / ds;
    if (ob && !p.object.is_var()) {
      // Exact where the statistics keep the predicate's objects.
      const TermId oid = ctx->EncodeConstant(p.object.term);
      if (std::optional<uint64_t> n = ctx->stats->QuadsWithObject(pid, oid))
        return static_cast<double>(*n);
    }
    if (ob) return q / dobj;
    return q;
  }
  bool pb = is_bound(p.predicate);
  if (sb && ob) return pb ? 1 : 3;
  if (sb || ob) return pb ? 5 : 20;
  return pb ? total / std::max<size_t>(1, ctx->stats->predicates.size())
            : total;
}

}  // namespace kg::plan
