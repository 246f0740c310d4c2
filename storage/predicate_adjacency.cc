#include "storage/predicate_adjacency.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "storage/radix_sort.h"
#include "storage/store.h"

namespace kg {

namespace {
size_t HashMapBytes(size_t n) {
  // flat_hash_map<TermId, uint32_t>: 16-byte slots plus a control byte, at
  // a load factor of at most 7/8.
  return n * 17 * 8 / 7;
}

}  // namespace

size_t PredicateAdjacency::EstimateBytes(uint64_t quads, uint64_t keys) {
  // Per quad: the other end in both halves, and at most 2 bytes of
  // membership bitmaps (BuildMembers).
  return quads * (2 * sizeof(TermId) + 2) + keys * (sizeof(TermId) + 4) +
         HashMapBytes(keys) + 256;
}

void PredicateAdjacency::Finish(Half* h) {
  h->index.reserve(h->keys.size());
  for (uint32_t i = 0; i < h->keys.size(); ++i) h->index.emplace(h->keys[i], i);
  h->keys.shrink_to_fit();
  h->starts.shrink_to_fit();
  h->others.shrink_to_fit();
  h->graphs.shrink_to_fit();
}

absl::StatusOr<std::shared_ptr<const PredicateAdjacency>>
PredicateAdjacency::Build(TermId predicate, QuadIdIterator& posg,
                          const SizeHint& hint) {
  auto adj = std::make_shared<PredicateAdjacency>();
  adj->predicate_ = predicate;
  Half& bo = adj->by_object_;
  Half& bs = adj->by_subject_;
  // Sized once from the statistics: growing by doubling copied every array
  // about once more and touched twice the fresh pages (page faults were a
  // third of a build's time at 5M quads, bench/RESULTS.md "Cold and warm
  // at 5M").
  bo.keys.reserve(hint.objects);
  bo.starts.reserve(hint.objects + 1);
  bo.others.reserve(hint.quads);
  // Graphs only once a quad outside the default graph turns up (usually
  // never): until then the array stays empty and means "all default".
  bool named = false;
  for (; posg.Valid(); posg.Next()) {
    const QuadIds& q = posg.quad();
    if (bo.others.size() >= std::numeric_limits<uint32_t>::max())
      return absl::ResourceExhaustedError(
          "predicate has too many quads for an in-memory adjacency");
    if (bo.keys.empty() || bo.keys.back() != q.o) {
      bo.keys.push_back(q.o);
      bo.starts.push_back(static_cast<uint32_t>(bo.others.size()));
    }
    if (q.g != kDefaultGraph && !named) {
      named = true;
      bo.graphs.reserve(std::max<size_t>(hint.quads, bo.others.size() + 1));
      bo.graphs.assign(bo.others.size(), kDefaultGraph);
    }
    bo.others.push_back(q.s);
    if (named) bo.graphs.push_back(q.g);
  }
  if (!posg.status().ok()) return posg.status();
  bo.starts.push_back(static_cast<uint32_t>(bo.others.size()));

  // The other direction: posg gives (o, s, g) order, so a stable sort by
  // subject alone yields (s, o, g), at a few linear passes instead of a
  // comparison sort. Without named graphs the elements are (s, o) pairs,
  // two thirds of the bytes to move.
  const size_t n = bo.others.size();
  bs.keys.reserve(hint.subjects);
  bs.starts.reserve(hint.subjects + 1);
  bs.others.reserve(n);
  auto add = [&bs](TermId s, TermId o) {
    if (bs.keys.empty() || bs.keys.back() != s) {
      bs.keys.push_back(s);
      bs.starts.push_back(static_cast<uint32_t>(bs.others.size()));
    }
    bs.others.push_back(o);
  };
  if (!named) {
    std::vector<std::pair<TermId, TermId>> pairs;
    pairs.reserve(n);
    for (size_t k = 0; k < bo.keys.size(); ++k)
      for (uint32_t i = bo.starts[k]; i < bo.starts[k + 1]; ++i)
        pairs.emplace_back(bo.others[i], bo.keys[k]);
    RadixSortStable(pairs, [](const auto& e) { return e.first; });
    for (const auto& [s, o] : pairs) add(s, o);
  } else {
    std::vector<std::tuple<TermId, TermId, TermId>> triples;
    triples.reserve(n);
    for (size_t k = 0; k < bo.keys.size(); ++k)
      for (uint32_t i = bo.starts[k]; i < bo.starts[k + 1]; ++i)
        triples.emplace_back(bo.others[i], bo.keys[k], bo.graphs[i]);
    RadixSortStable(triples, [](const auto& t) { return std::get<0>(t); });
    bs.graphs.reserve(n);
    for (const auto& [s, o, g] : triples) {
      add(s, o);
      bs.graphs.push_back(g);
    }
  }
  bs.starts.push_back(static_cast<uint32_t>(bs.others.size()));

  Finish(&bs);
  Finish(&bo);
  adj->BuildMembers();
  adj->quads_ = bo.others.size();
  adj->bytes_ = sizeof(PredicateAdjacency);
  for (const Members& m : adj->members_) adj->bytes_ += m.bits.capacity() * 8;
  for (const Half* h : {&bs, &bo})
    adj->bytes_ += h->keys.capacity() * sizeof(TermId) +
                   h->starts.capacity() * 4 +
                   h->others.capacity() * sizeof(TermId) +
                   h->graphs.capacity() * sizeof(TermId) +
                   HashMapBytes(h->index.capacity());
  return std::shared_ptr<const PredicateAdjacency>(std::move(adj));
}

void PredicateAdjacency::BuildMembers() {
  const Half& bo = by_object_;
  // The objects with the most subjects first.
  std::vector<std::pair<uint32_t, size_t>> big;
  for (size_t k = 0; k < bo.keys.size(); ++k) {
    const uint32_t n = bo.starts[k + 1] - bo.starts[k];
    if (n >= kMembersMinSubjects) big.emplace_back(n, k);
  }
  std::sort(big.rbegin(), big.rend());
  if (big.size() > kMembersMax) big.resize(kMembersMax);
  for (const auto& [n, k] : big) {
    const TermId* first = bo.others.data() + bo.starts[k];
    const TermId* last = first + n;
    const TermTag tag = TagOf(*first);
    // Subjects are sorted: the last has the largest payload within its
    // tag, and one tag means first and last share it.
    if (TagOf(*(last - 1)) != tag || IsInline(*first)) continue;
    const uint64_t max_payload = PayloadOf(*(last - 1));
    if (max_payload >= kMembersMaxPayload) continue;
    // Dense enough to be worth it: at most 2 bytes of bitmap per member
    // (one member per 16 ids), so bitmaps add at most 2 bytes per quad.
    if (max_payload / 16 > n) continue;
    Members m{bo.keys[k], tag, std::vector<uint64_t>(max_payload / 64 + 1)};
    for (const TermId* s = first; s != last; ++s)
      m.bits[PayloadOf(*s) / 64] |= uint64_t{1} << (PayloadOf(*s) % 64);
    members_.push_back(std::move(m));
  }
}

// Walks the quads of one key (or of every key, in key order) of one half,
// skipping those of other graphs when the graph is bound.
class AdjacencyIterator : public QuadIdIterator {
 public:
  AdjacencyIterator(std::shared_ptr<const PredicateAdjacency> adj,
                    const QuadIds& pattern, unsigned mask)
      : adj_(std::move(adj)) {
    quad_.p = adj_->predicate_;
    graph_bound_ = (mask & 8) != 0;
    graph_ = pattern.g;
    by_subject_ = (mask & 1) != 0;
    half_ = by_subject_ ? &adj_->by_subject_ : &adj_->by_object_;
    if (mask & 5) {
      const TermId key = by_subject_ ? pattern.s : pattern.o;
      auto it = half_->index.find(key);
      if (it == half_->index.end()) return;  // pos_ == end_: empty
      key_ = it->second;
      pos_ = half_->starts[key_];
      end_ = half_->starts[key_ + 1];
      if ((mask & 5) == 5) {
        // Both ends bound: the run of the object within the subject's.
        const TermId* first = half_->others.data();
        pos_ = std::lower_bound(first + pos_, first + end_, pattern.o) - first;
        end_ = std::upper_bound(first + pos_, first + end_, pattern.o) - first;
      }
    } else {
      key_ = 0;
      pos_ = 0;
      end_ = half_->others.size();
    }
    Settle();
  }
  // The quads whose object lies in [lo, hi], in posg order.
  AdjacencyIterator(std::shared_ptr<const PredicateAdjacency> adj, TermId lo,
                    TermId hi, std::optional<TermId> graph)
      : adj_(std::move(adj)) {
    quad_.p = adj_->predicate_;
    graph_bound_ = graph.has_value();
    graph_ = graph.value_or(kDefaultGraph);
    by_subject_ = false;
    half_ = &adj_->by_object_;
    const auto& keys = half_->keys;
    const size_t first = std::lower_bound(keys.begin(), keys.end(), lo) - keys.begin();
    const size_t last = std::upper_bound(keys.begin(), keys.end(), hi) - keys.begin();
    if (first < last) {
      key_ = first;
      pos_ = half_->starts[first];
      end_ = half_->starts[last];
    }
    Settle();
  }
  bool Valid() const override { return pos_ < end_; }
  const QuadIds& quad() const override { return quad_; }
  void Next() override {
    ++pos_;
    Settle();
  }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  // Moves to the first quad at or after pos_ in the bound graph and loads
  // it into quad_.
  void Settle() {
    const bool all_default = half_->graphs.empty();
    if (graph_bound_) {
      if (all_default) {
        if (graph_ != kDefaultGraph) pos_ = end_;
      } else {
        while (pos_ < end_ && half_->graphs[pos_] != graph_) ++pos_;
      }
    }
    if (pos_ >= end_) return;
    while (half_->starts[key_ + 1] <= pos_) ++key_;
    const TermId key = half_->keys[key_], other = half_->others[pos_];
    quad_.s = by_subject_ ? key : other;
    quad_.o = by_subject_ ? other : key;
    quad_.g = all_default ? kDefaultGraph : half_->graphs[pos_];
  }

  std::shared_ptr<const PredicateAdjacency> adj_;
  const PredicateAdjacency::Half* half_ = nullptr;
  bool by_subject_ = false;
  bool graph_bound_ = false;
  TermId graph_ = kDefaultGraph;
  size_t key_ = 0, pos_ = 0, end_ = 0;
  QuadIds quad_;
};

std::unique_ptr<QuadIdIterator> PredicateAdjacency::Scan(
    std::shared_ptr<const PredicateAdjacency> self, const QuadIds& pattern,
    unsigned bound_mask) {
  return std::make_unique<AdjacencyIterator>(std::move(self), pattern,
                                             bound_mask);
}

std::unique_ptr<QuadIdIterator> PredicateAdjacency::ScanObjectRange(
    std::shared_ptr<const PredicateAdjacency> self, TermId lo, TermId hi,
    std::optional<TermId> graph) {
  return std::make_unique<AdjacencyIterator>(std::move(self), lo, hi, graph);
}

// ---- AdjacencyCache ----------------------------------------------------------

std::shared_ptr<const PredicateAdjacency> AdjacencyCache::Find(
    TermId predicate, uint64_t sequence) {
  if (budget_ == 0) return nullptr;
  std::lock_guard<std::mutex> l(mu_);
  auto it = entries_.find(predicate);
  if (it == entries_.end()) return nullptr;
  if (it->second.sequence != sequence) {
    // Built from other data. Only a newer snapshot replaces it: an old
    // reader still running must not evict what new readers use.
    if (it->second.sequence < sequence) DropLocked(predicate);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.adjacency;
}

void AdjacencyCache::AddDemand(TermId predicate, double cost_ns) {
  if (budget_ == 0) return;
  std::lock_guard<std::mutex> l(mu_);
  demand_[predicate] += cost_ns;
}

bool AdjacencyCache::Wanted(TermId predicate, double build_cost_ns,
                            size_t estimated_bytes) {
  if (budget_ == 0 || estimated_bytes > budget_) return false;
  std::lock_guard<std::mutex> l(mu_);
  if (too_big_.contains(predicate) || building_.contains(predicate))
    return false;
  auto it = demand_.find(predicate);
  if (it == demand_.end() || it->second < build_cost_ns) return false;
  building_.insert(predicate);
  return true;
}

bool AdjacencyCache::NeedsBuild(TermId predicate, uint64_t sequence) const {
  if (budget_ == 0) return false;
  std::lock_guard<std::mutex> l(mu_);
  if (building_.contains(predicate)) return false;
  auto it = entries_.find(predicate);
  return it == entries_.end() || it->second.sequence < sequence;
}

void AdjacencyCache::ResetDemand(TermId predicate) {
  std::lock_guard<std::mutex> l(mu_);
  demand_[predicate] = 0;
  building_.erase(predicate);
}

void AdjacencyCache::Insert(
    uint64_t sequence, std::shared_ptr<const PredicateAdjacency> adjacency) {
  if (budget_ == 0) return;
  std::lock_guard<std::mutex> l(mu_);
  const TermId p = adjacency->predicate();
  building_.erase(p);
  if (adjacency->bytes() > budget_) {
    // Larger than the estimate let through: never try this one again.
    too_big_.insert(p);
    demand_[p] = 0;
    return;
  }
  auto old = entries_.find(p);
  if (old != entries_.end()) {
    if (old->second.sequence > sequence) return;  // a newer one is there
    DropLocked(p);
  }
  ++builds_;
  demand_[p] = 0;
  bytes_ += adjacency->bytes();
  lru_.push_front(p);
  entries_.emplace(p, Entry{sequence, std::move(adjacency), lru_.begin()});
  while (bytes_ > budget_ && !lru_.empty()) DropLocked(lru_.back());
}

void AdjacencyCache::DropLocked(TermId predicate) {
  auto it = entries_.find(predicate);
  if (it == entries_.end()) return;
  bytes_ -= it->second.adjacency->bytes();
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

size_t AdjacencyCache::bytes() const {
  std::lock_guard<std::mutex> l(mu_);
  return bytes_;
}

absl::flat_hash_map<TermId, double> AdjacencyCache::Demands() const {
  std::lock_guard<std::mutex> l(mu_);
  return demand_;
}

uint64_t AdjacencyCache::builds() const {
  std::lock_guard<std::mutex> l(mu_);
  return builds_;
}

}  // namespace kg
