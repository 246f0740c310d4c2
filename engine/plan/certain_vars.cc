// CertainVars and MentionedVars over the algebra.

#include "engine/plan/certain_vars.h"

namespace kg::plan {

using algebra::Node;
using algebra::Slot;

std::vector<int> IntersectVars(const std::vector<int>& a,
                               const std::vector<int>& b) {
  std::vector<int> out;
  for (int v : a)
    if (std::find(b.begin(), b.end(), v) != b.end()) out.push_back(v);
  return out;
}

bool HiddenGraphSlot(const Node& n) {
  if (n.kind != Node::Kind::kGraph || !n.graph.is_var() || n.var < 0)
    return false;
  const Node& child = *n.children[0];
  return !(child.kind == Node::Kind::kBgp && !child.patterns.empty());
}

namespace {

// CertainVars without the graph slot added.
std::vector<int> CertainVarsOf(const Node& n, int graph_var) {
  std::vector<int> out;
  switch (n.kind) {
    case Node::Kind::kBgp:
      for (const auto& p : n.patterns) {
        if (p.subject.is_var()) AddUnique(&out, p.subject.var);
        if (!p.path && p.predicate.is_var()) AddUnique(&out, p.predicate.var);
        if (p.object.is_var()) AddUnique(&out, p.object.var);
      }
      if (!n.patterns.empty()) AddUnique(&out, graph_var);
      return out;
    case Node::Kind::kJoin:
      out = CertainVars(*n.children[0], graph_var);
      for (int v : CertainVars(*n.children[1], graph_var)) AddUnique(&out, v);
      return out;
    case Node::Kind::kLeftJoin:
    case Node::Kind::kMinus:
    case Node::Kind::kFilter:
    case Node::Kind::kOrderBy:
    case Node::Kind::kDistinct:
    case Node::Kind::kReduced:
      return CertainVars(*n.children[0], graph_var);
    case Node::Kind::kExtend: {
      out = CertainVars(*n.children[0], graph_var);
      out.erase(std::remove(out.begin(), out.end(), n.var), out.end());
      return out;
    }
    case Node::Kind::kUnion:
      return IntersectVars(CertainVars(*n.children[0], graph_var),
                       CertainVars(*n.children[1], graph_var));
    case Node::Kind::kGraph: {
      if (HiddenGraphSlot(n)) {
        out = CertainVars(*n.children[0], n.var);
        out.erase(std::remove(out.begin(), out.end(), n.var), out.end());
        AddUnique(&out, n.graph.var);
        return out;
      }
      int gv = n.graph.is_var() ? n.graph.var : -1;
      out = CertainVars(*n.children[0], gv);
      AddUnique(&out, gv);
      return out;
    }
    case Node::Kind::kProject:
      return IntersectVars(CertainVars(*n.children[0], graph_var), n.vars);
    case Node::Kind::kValues:
      for (size_t i = 0; i < n.vars.size(); ++i) {
        bool all = true;
        for (const auto& r : n.rows)
          if (!r[i]) all = false;
        if (all) AddUnique(&out, n.vars[i]);
      }
      return out;
    case Node::Kind::kGroup:  // aggregation and slicing must see every
    case Node::Kind::kSlice:  // solution: never constrain them from outside
    case Node::Kind::kUnit:
      return {};
  }
  return out;
}

}  // namespace

std::vector<int> CertainVars(const Node& n, int graph_var) {
  std::vector<int> out = CertainVarsOf(n, graph_var);
  AddUnique(&out, graph_var);
  return out;
}

void MentionedVars(const Node& n, std::vector<int>* out) {
  auto slot = [&](const Slot& s) {
    if (s.is_var()) AddUnique(out, s.var);
  };
  for (const auto& p : n.patterns) {
    slot(p.subject);
    slot(p.predicate);
    slot(p.object);
  }
  slot(n.graph);
  AddUnique(out, n.var);
  for (int v : n.vars) AddUnique(out, v);
  for (int v : n.group_vars) AddUnique(out, v);
  for (const auto& e : n.exprs) MentionedVars(e, out);
  for (const auto& e : n.group_exprs) MentionedVars(e, out);
  for (const auto& a : n.aggregates) {
    if (a.arg) MentionedVars(*a.arg, out);
    AddUnique(out, a.slot);
  }
  for (const auto& k : n.order) MentionedVars(k.expr, out);
  for (const auto& c : n.children) MentionedVars(*c, out);
}
void MentionedVars(const algebra::Expr& e, std::vector<int>* out) {
  AddUnique(out, e.var);
  for (const auto& a : e.args) MentionedVars(a, out);
  if (e.pattern) MentionedVars(*e.pattern, out);
}

}  // namespace kg::plan
