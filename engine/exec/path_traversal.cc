// PathTraversal: the quads of the active graph and the breadth-first
// evaluation of each path operator.

#include "engine/exec/path_traversal.h"

#include <type_traits>

#include "absl/container/flat_hash_set.h"
#include "engine/exec/visited_set.h"
#include "storage/predicate_adjacency.h"

namespace kg::exec {

template <typename F>
void PathTraversal::ForEach(TermId s, TermId p, TermId o, F f) {
  QuadIds q;
  unsigned mask = 0;
  if (s != kUnbound) { q.s = s; mask |= 1; }
  if (p != kUnbound) { q.p = p; mask |= 2; }
  if (o != kUnbound) { q.o = o; mask |= 4; }
  for (TermId id : {s, p, o})
    if (id == kAbsent || (id != kUnbound && TagOf(id) == kTempTag)) return;
  bool dedupe = false;
  if (graph_id_ != kUnbound) {
    q.g = graph_id_;
    mask |= 8;
  } else if (ctx_->scope.default_kind ==
             GraphScope::DefaultKind::kStoreDefault) {
    q.g = kDefaultGraph;
    mask |= 8;
  } else {
    dedupe = true;
  }
  auto it = ctx_->source->Scan(q, mask);
  QuadIds prev;
  bool have_prev = false;
  for (; it->Valid(); it->Next()) {
    if (!ctx_->Tick()) return;
    const QuadIds& x = it->quad();
    if (dedupe) {
      if (have_prev && x.s == prev.s && x.p == prev.p && x.o == prev.o)
        continue;
      prev = x;
      have_prev = true;
      if (ctx_->scope.default_kind == GraphScope::DefaultKind::kSet &&
          !ctx_->scope.default_set.contains(x.g))
        continue;
    } else if (graph_id_ != kUnbound && x.g != graph_id_) {
      continue;
    }
    if constexpr (std::is_same_v<decltype(f(x)), bool>) {
      if (!f(x)) break;
    } else {
      f(x);
    }
  }
  if (!it->status().ok()) ctx_->Fail(it->status());
}

bool PathTraversal::InGraph(TermId n) {
  bool found = false;
  auto hit = [&](const QuadIds&) {
    found = true;
    return false;
  };
  ForEach(n, kUnbound, kUnbound, hit);
  if (!found) ForEach(kUnbound, kUnbound, n, hit);
  return found;
}

std::shared_ptr<const PredicateAdjacency> PathTraversal::StepAdjacency(
    const PathIds& step, bool forward, bool* key_is_subject) {
  const PathIds* p = &step;
  while (p->kind == ast::Path::Kind::kInverse) {
    forward = !forward;
    p = &p->children[0];
  }
  if (p->kind != ast::Path::Kind::kIri || p->iri == kAbsent ||
      graph_id_ != kUnbound ||
      ctx_->scope.default_kind == GraphScope::DefaultKind::kSet)
    return nullptr;
  *key_is_subject = forward;
  auto adjacency = ctx_->source->AdjacencyFor(
      p->iri, forward ? /*S and P bound*/ 0b0011 : /*P and O*/ 0b0110);
  if (adjacency == nullptr) return nullptr;
  if (ctx_->scope.default_kind == GraphScope::DefaultKind::kStoreDefault &&
      !adjacency->default_graph_only())
    return nullptr;
  return adjacency;
}

std::vector<TermId> PathTraversal::AllNodes() {
  absl::flat_hash_set<TermId> seen;
  std::vector<TermId> out;
  ForEach(kUnbound, kUnbound, kUnbound, [&](const QuadIds& q) {
    for (TermId t : {q.s, q.o})
      if (seen.insert(t).second) out.push_back(t);
  });
  ctx_->Charge(out.size() * 24);
  return out;
}

std::vector<TermId> PathTraversal::Eval(const PathIds& p, TermId node,
                                        bool forward) {
  using K = ast::Path::Kind;
  std::vector<TermId> out;
  switch (p.kind) {
    case K::kIri:
      if (forward)
        ForEach(node, p.iri, kUnbound, [&](const QuadIds& q) { out.push_back(q.o); });
      else
        ForEach(kUnbound, p.iri, node, [&](const QuadIds& q) { out.push_back(q.s); });
      break;
    case K::kInverse:
      return Eval(p.children[0], node, !forward);
    case K::kSequence: {
      // The frontier multiplies at every step ((p/p/p/p)* over a dense
      // graph): it counts against the memory cap while it is built.
      std::vector<TermId> frontier = {node};
      const size_t n = p.children.size();
      uint64_t held = 0;
      for (size_t i = 0; i < n && ctx_->ok(); ++i) {
        const PathIds& c = p.children[forward ? i : n - 1 - i];
        std::vector<TermId> next;
        for (TermId t : frontier) {
          std::vector<TermId> ends = Eval(c, t, forward);
          held += ends.size() * sizeof(TermId);
          if (!ctx_->Charge(ends.size() * sizeof(TermId))) break;
          next.insert(next.end(), ends.begin(), ends.end());
        }
        frontier = std::move(next);
      }
      ctx_->Release(held);
      if (!ctx_->ok()) frontier.clear();
      return frontier;
    }
    case K::kAlternative:
      for (const PathIds& c : p.children)
        for (TermId t : Eval(c, node, forward)) out.push_back(t);
      break;
    case K::kZeroOrOne: {
      absl::flat_hash_set<TermId> seen = {node};
      out.push_back(node);
      for (TermId t : Eval(p.children[0], node, forward))
        if (seen.insert(t).second) out.push_back(t);
      break;
    }
    case K::kZeroOrMore:
    case K::kOneOrMore: {
      // Breadth-first: `out` is also the queue (every node reached is
      // appended to both), `next` the first node not yet expanded.
      VisitedSet visited;
      size_t next = 0;
      bool key_is_subject = true;
      std::shared_ptr<const PredicateAdjacency> adjacency =
          StepAdjacency(p.children[0], forward, &key_is_subject);
      // Calls f(t) for every end of one step from `from`. Without an
      // adjacency at the start, the index scans' cost may get one built
      // during the walk (ReadView::AdjacencyFor): look again now and then.
      uint32_t steps_since_look = 0;
      auto step = [&](TermId from, auto&& f) {
        if (!adjacency && ++steps_since_look == 256) {
          steps_since_look = 0;
          adjacency = StepAdjacency(p.children[0], forward, &key_is_subject);
        }
        if (adjacency) {
          for (TermId t : adjacency->Neighbors(key_is_subject, from)) f(t);
        } else {
          for (TermId t : Eval(p.children[0], from, forward)) f(t);
        }
      };
      bool within_cap = true;
      if (p.kind == K::kZeroOrMore) {
        visited.Insert(node);
        out.push_back(node);
      } else {
        step(node, [&](TermId t) {
          if (visited.Insert(t)) out.push_back(t);
        });
      }
      while (within_cap && next < out.size() && ctx_->Tick()) {
        const TermId cur = out[next++];
        step(cur, [&](TermId t) {
          if (!within_cap || !visited.Insert(t)) return;
          if (!ctx_->Charge(24)) {
            within_cap = false;
            return;
          }
          out.push_back(t);
        });
      }
      if (!within_cap) return out;
      ctx_->Release(visited.size() * 24);
      break;
    }
    case K::kNegatedSet: {
      bool any_forward = false, any_inverse = false;
      for (const auto& [iri, inv] : p.negated)
        (inv ? any_inverse : any_forward) = true;
      auto excluded = [&](TermId pred, bool inv) {
        for (const auto& [iri, i] : p.negated)
          if (i == inv && iri == pred) return true;
        return false;
      };
      // !(a|^b) from `node` forward = forward steps not a, plus inverse
      // steps not b; evaluating backward swaps the two.
      if (any_forward || !any_inverse) {
        if (forward)
          ForEach(node, kUnbound, kUnbound, [&](const QuadIds& q) {
            if (!excluded(q.p, false)) out.push_back(q.o);
          });
        else
          ForEach(kUnbound, kUnbound, node, [&](const QuadIds& q) {
            if (!excluded(q.p, false)) out.push_back(q.s);
          });
      }
      if (any_inverse) {
        if (forward)
          ForEach(kUnbound, kUnbound, node, [&](const QuadIds& q) {
            if (!excluded(q.p, true)) out.push_back(q.s);
          });
        else
          ForEach(node, kUnbound, kUnbound, [&](const QuadIds& q) {
            if (!excluded(q.p, true)) out.push_back(q.o);
          });
      }
      break;
    }
  }
  return out;
}

}  // namespace kg::exec
