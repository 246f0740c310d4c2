// Sorted runs of a bulk load's quads, built on a second thread while the
// parser is still producing statements, and merged at commit.
//
// Why: parsing and encoding run on one thread and take about a third of a
// load; the second core used to idle through it, and then the commit spent
// a fifth of its time in three comparison sorts of every quad. Sorting each
// chunk as soon as it is full moves that work into the parse, and the
// commit only merges a few runs (n log k comparisons, k = runs, instead of
// n log n).
//
// Thread-safety: SortChunk is a pure function; RunMerger is
// single-threaded. The loader runs SortChunk on its BackgroundQueue.

#ifndef KGSTORE_STORAGE_SORTED_RUNS_H_
#define KGSTORE_STORAGE_SORTED_RUNS_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <span>
#include <tuple>
#include <vector>

#include "storage/quad_index.h"
#include "storage/term_id.h"

namespace kg {

// Four ids in the key order of one permutation.
using IdTuple = std::array<TermId, 4>;

// Orders QuadIds by (S, P, O, G), the key order of SPOG.
struct SpogLess {
  bool operator()(const QuadIds& a, const QuadIds& b) const {
    return std::tie(a.s, a.p, a.o, a.g) < std::tie(b.s, b.p, b.o, b.g);
  }
};

// One chunk of quads, sorted three ways (duplicates kept).
struct SortedRun {
  std::vector<QuadIds> spog;  // SpogLess order
  std::vector<IdTuple> posg;  // (P, O, S, G), ascending
  std::vector<IdTuple> ospg;  // (O, S, P, G), ascending
};

// Sorts `chunk` into a run (on the calling thread).
SortedRun SortChunk(std::vector<QuadIds> chunk);

// Merges ascending runs into one ascending sequence with each distinct
// element once. The runs' storage must outlive the merger.
//
// A loser tree (a tournament tree whose inner nodes keep the loser of
// their match): each element costs one comparison per tree level, log2(k)
// for k runs, where a binary heap's pop and push cost about twice that. A
// 10M-quad load merges ~40 runs three times, and the heap's comparisons
// were 10% of its CPU time.
template <typename T, typename Less = std::less<T>>
class RunMerger {
 public:
  explicit RunMerger(std::vector<std::span<const T>> runs, Less less = {})
      : less_(less) {
    for (const auto& r : runs) {
      if (r.empty()) continue;
      cur_.push_back(r.data());
      end_.push_back(r.data() + r.size());
    }
    k_ = cur_.size();
    if (k_ == 0) return;
    loser_.assign(k_, 0);
    winner_ = Build(1);
  }

  // The next distinct element into *out; false when all are consumed.
  bool Next(T* out) {
    for (;;) {
      if (k_ == 0 || Exhausted(winner_)) return false;
      const T& v = *cur_[winner_];
      const bool repeat = have_last_ && !less_(last_, v);
      if (!repeat) last_ = v;
      have_last_ = true;
      ++cur_[winner_];
      Replay();
      if (repeat) continue;
      *out = last_;
      return true;
    }
  }

 private:
  bool Exhausted(size_t r) const { return cur_[r] == end_[r]; }
  // Whether run a's current element comes before run b's (an exhausted
  // run comes after everything).
  bool Beats(size_t a, size_t b) const {
    if (Exhausted(a)) return false;
    if (Exhausted(b)) return true;
    return less_(*cur_[a], *cur_[b]);
  }
  // The implicit tree: inner nodes 1..k-1, node i's children 2i and 2i+1,
  // run r the leaf k+r. Returns the winner of node's subtree.
  size_t Build(size_t node) {
    if (node >= k_) return node - k_;
    const size_t a = Build(2 * node), b = Build(2 * node + 1);
    if (Beats(a, b)) {
      loser_[node] = b;
      return a;
    }
    loser_[node] = a;
    return b;
  }
  // After the winner's run advanced: replay its path to the root.
  void Replay() {
    size_t w = winner_;
    for (size_t node = (w + k_) / 2; node >= 1; node /= 2)
      if (Beats(loser_[node], w)) std::swap(loser_[node], w);
    winner_ = w;
  }

  std::vector<const T*> cur_, end_;
  std::vector<size_t> loser_;  // loser_[0] unused
  size_t k_ = 0, winner_ = 0;
  Less less_;
  T last_{};
  bool have_last_ = false;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_SORTED_RUNS_H_
