// IntersectScanOp: leapfrog over adjacency lists, or a scan and probes
// without them.

#include "engine/exec/intersect_scan_op.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace kg::exec {

std::string IntersectScanOp::Describe() const {
  return absl::StrCat("IntersectScan ", text_);
}

void IntersectScanOp::DoOpen(const IdRow& seed) {
  child_->Open(seed);
  values_.clear();
  pos_ = 0;
}

bool IntersectScanOp::DoNext(IdRow* row) {
  while (ctx_->Tick()) {
    if (pos_ < values_.size()) {
      *row = input_;
      (*row)[var_] = values_[pos_++];
      return true;
    }
    if (!child_->Next(&input_)) return false;
    values_.clear();
    pos_ = 0;
    Compute();
  }
  return false;
}

std::optional<uint64_t> IntersectScanOp::DoCountRest() {
  uint64_t n = values_.size() - pos_;
  values_.clear();
  pos_ = 0;
  while (ctx_->Tick() && child_->Next(&input_)) {
    Compute();
    n += values_.size();
    values_.clear();
  }
  return n;
}

// The known end of a part in the current input row; kUnbound when the
// store cannot have it (then nothing matches).
TermId IntersectScanOp::Known(const Part& part) const {
  TermId id = part.other.var >= 0 ? input_[part.other.var] : part.other.id;
  if (id == kUnbound || id == kAbsent || TagOf(id) == kTempTag)
    return kUnbound;
  return id;
}

// Fills values_ with the bindings of ?v for input_, ascending.
// Looks up every part's adjacency; they serve every later input row (the
// query reads one snapshot), so the lookup (a lock and reference counts
// in the read view) is not paid per row.
void IntersectScanOp::LookUpAdjacencies() {
  const bool store_default = ctx_->scope.default_kind ==
                             GraphScope::DefaultKind::kStoreDefault;
  adjacencies_.assign(parts_.size(), nullptr);
  all_adjacent_ = true;
  for (size_t i = 0; i < parts_.size(); ++i) {
    unsigned mask = 2 | (parts_[i].var_is_subject ? 4 : 1);
    auto adj = ctx_->source->AdjacencyFor(parts_[i].predicate, mask);
    // With the store's own default graph, a predicate with quads in named
    // graphs cannot answer from its adjacency (it holds them all).
    if (!adj || (store_default && !adj->default_graph_only())) {
      all_adjacent_ = false;
      adjacencies_.clear();
      return;
    }
    adjacencies_[i] = std::move(adj);
  }
}

void IntersectScanOp::Compute() {
  const bool store_default = ctx_->scope.default_kind ==
                             GraphScope::DefaultKind::kStoreDefault;
  keys_.resize(parts_.size());
  for (size_t i = 0; i < parts_.size(); ++i) {
    keys_[i] = Known(parts_[i]);
    if (keys_[i] == kUnbound || parts_[i].predicate == kAbsent) return;
  }
  const TermId preset = input_[var_];
  // Fast path: every part's adjacency is in memory. Until then, look
  // again at every row: the fallback's own probes may get one built
  // (ReadView::AdjacencyFor's demand rule), and the rows of one hub come
  // together (the input is in index order), each costly without it.
  if (!all_adjacent_) LookUpAdjacencies();
  if (all_adjacent_) {
    lists_.clear();
    for (size_t i = 0; i < parts_.size(); ++i)
      lists_.push_back(
          adjacencies_[i]->Neighbors(!parts_[i].var_is_subject, keys_[i]));
    Intersect(preset);
    return;
  }
  const std::vector<TermId>& keys = keys_;
  // Fallback: generate from the first part, probe the others.
  QuadIds q;
  q.p = parts_[0].predicate;
  q.at(parts_[0].var_is_subject ? 2 : 0) = keys[0];
  unsigned mask = 2 | (parts_[0].var_is_subject ? 4 : 1);
  if (store_default) {
    q.g = kDefaultGraph;
    mask |= 8;
  }
  TermId prev = kUnbound;
  auto it = ctx_->source->Scan(q, mask);
  for (; it->Valid(); it->Next()) {
    if (!ctx_->Tick()) return;
    TermId v = parts_[0].var_is_subject ? it->quad().s : it->quad().o;
    if (v == prev) continue;  // the same triple in another graph
    prev = v;
    if (preset != kUnbound && v != preset) continue;
    bool all = true;
    for (size_t i = 1; i < parts_.size() && all; ++i) {
      QuadIds c;
      c.p = parts_[i].predicate;
      c.at(parts_[i].var_is_subject ? 0 : 2) = v;
      c.at(parts_[i].var_is_subject ? 2 : 0) = keys[i];
      unsigned cmask = 7;
      if (store_default) {
        c.g = kDefaultGraph;
        cmask |= 8;
      }
      auto probe = ctx_->source->Scan(c, cmask);
      if (!probe->status().ok()) {
        ctx_->Fail(probe->status());
        return;
      }
      all = probe->Valid();
    }
    if (all) values_.push_back(v);
  }
  if (!it->status().ok()) ctx_->Fail(it->status());
}

// Leapfrog over lists_: walk the shortest, gallop in the others.
void IntersectScanOp::Intersect(TermId preset) {
  std::sort(lists_.begin(), lists_.end(),
            [](const auto& a, const auto& b) { return a.size() < b.size(); });
  if (lists_.empty() || lists_[0].empty()) return;
  // Two lists of similar length (a cycle of three patterns: the next
  // node's out-list against the first node's in-list): a merge reads each
  // once, a step for either, with no branch on which side advances, where
  // galloping pays a search per element of the shorter. Galloping wins
  // once the longer is many times the shorter (a hub's list).
  if (lists_.size() == 2 && lists_[1].size() <= 8 * lists_[0].size()) {
    const TermId* a = lists_[0].data();
    const TermId* b = lists_[1].data();
    const TermId* const a_end = a + lists_[0].size();
    const TermId* const b_end = b + lists_[1].size();
    TermId prev = kUnbound;
    while (a != a_end && b != b_end) {
      const TermId x = *a, y = *b;
      // Equal ends repeat once per graph holding the quad: keep one.
      if (x == y && x != prev && (preset == kUnbound || x == preset)) {
        values_.push_back(x);
        prev = x;
      }
      a += x <= y;
      b += y <= x;
    }
    return;
  }
  std::vector<size_t>& at = at_;
  at.assign(lists_.size(), 0);
  TermId prev = kUnbound;
  for (TermId v : lists_[0]) {
    if (v == prev) continue;  // the same triple in another graph
    prev = v;
    if (preset != kUnbound && v != preset) continue;
    bool all = true;
    for (size_t i = 1; i < lists_.size(); ++i) {
      const auto& l = lists_[i];
      // Gallop from the last position: lists are ascending.
      size_t lo = at[i], step = 1, hi = lo;
      while (hi < l.size() && l[hi] < v) {
        lo = hi + 1;
        hi += step;
        step *= 2;
      }
      hi = std::min(hi, l.size());
      at[i] = std::lower_bound(l.begin() + lo, l.begin() + hi, v) - l.begin();
      if (at[i] >= l.size()) return;  // nothing larger can match either
      if (l[at[i]] != v) {
        all = false;
        break;
      }
    }
    if (all) values_.push_back(v);
  }
}

}  // namespace kg::exec
