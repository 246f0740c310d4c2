// Which variables an algebra node binds: in every solution (CertainVars,
// what a seed may constrain) and at all (MentionedVars), and the small
// helpers on variable lists the planner uses.

#ifndef KGSTORE_ENGINE_PLAN_CERTAIN_VARS_H_
#define KGSTORE_ENGINE_PLAN_CERTAIN_VARS_H_

#include <algorithm>
#include <vector>

#include "query/algebra.h"

namespace kg::plan {

inline bool Contains(const std::vector<int>& vars, int v) {
  return std::find(vars.begin(), vars.end(), v) != vars.end();
}

// Appends `v` unless it is negative or already there.
inline void AddUnique(std::vector<int>* out, int v) {
  if (v >= 0 && std::find(out->begin(), out->end(), v) == out->end())
    out->push_back(v);
}

// The variables of `a` that are also in `b`, in a's order.
std::vector<int> IntersectVars(const std::vector<int>& a,
                               const std::vector<int>& b);

// GRAPH ?g { P } runs P with the graph's name in a hidden slot (n.var),
// then joins P's own ?g with it, unless P is a plain basic graph pattern,
// where using ?g itself as the scans' graph position means the same.
bool HiddenGraphSlot(const algebra::Node& n);

// Variables bound in every solution of `n` (so a seed may constrain them).
// Inside GRAPH ?g (graph_var >= 0) every solution carries the graph slot:
// the planner binds it before the pattern runs, and seeds carry it down.
std::vector<int> CertainVars(const algebra::Node& n, int graph_var);

// Every variable `n` (or `e`, with the patterns of its EXISTS) mentions,
// into *out (once each).
void MentionedVars(const algebra::Node& n, std::vector<int>* out);
void MentionedVars(const algebra::Expr& e, std::vector<int>* out);

}  // namespace kg::plan

#endif  // KGSTORE_ENGINE_PLAN_CERTAIN_VARS_H_
