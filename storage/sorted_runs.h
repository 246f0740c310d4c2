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
// element once. The runs' storage must outlive the merger. With `release`,
// the merger hands it each run's consumed elements, 256 KiB at a
// time, as [from, to) (runs spilled to a file give those pages back:
// spill_file.h); a run's last elements once it is exhausted.
//
// A loser tree (a tournament tree whose inner nodes keep the loser of
// their match): each element costs one comparison per tree level, log2(k)
// for k runs, where a binary heap's pop and push cost about twice that. A
// 10M-quad load merges ~40 runs three times, and the heap's comparisons
// were 10% of its CPU time.
template <typename T, typename Less = std::less<T>>
class RunMerger {
 public:
  using Release = std::function<void(const void* from, const void* to)>;

  explicit RunMerger(std::vector<std::span<const T>> runs, Less less = {},
                     Release release = nullptr)
      : less_(less), release_(std::move(release)) {
    for (const auto& r : runs) {
      if (r.empty()) continue;
      cur_.push_back(r.data());
      end_.push_back(r.data() + r.size());
    }
    k_ = cur_.size();
    released_ = cur_;
    release_at_ = end_;
    if (release_)
      for (size_t r = 0; r < k_; ++r) release_at_[r] = NextReleasePoint(r);
    if (k_ == 0) return;
    loser_.assign(k_, 0);
    winner_ = Build(1);
  }

  // Runs given a piece at a time: each call of source r returns the next
  // piece of run r (ascending, continuing the one before), empty at its
  // end. A piece stays valid until the next call of its source.
  using Source = std::function<std::span<const T>()>;
  static RunMerger FromSources(std::vector<Source> sources, Less less = {}) {
    RunMerger m(std::vector<std::span<const T>>{}, less);
    for (Source& source : sources) {
      std::span<const T> piece = source();
      if (piece.empty()) continue;
      m.cur_.push_back(piece.data());
      m.end_.push_back(piece.data() + piece.size());
      m.sources_.push_back(std::move(source));
    }
    m.k_ = m.cur_.size();
    m.released_ = m.cur_;
    m.release_at_ = m.end_;
    if (m.k_ > 0) {
      m.loser_.assign(m.k_, 0);
      m.winner_ = m.Build(1);
    }
    return m;
  }

  // The next distinct element into *out; false when all are consumed.
  bool Next(T* out) {
    for (;;) {
      if (k_ == 0 || Exhausted(winner_)) return false;
      const T& v = *cur_[winner_];
      const bool repeat = have_last_ && !less_(last_, v);
      if (!repeat) last_ = v;
      have_last_ = true;
      if (++cur_[winner_] >= release_at_[winner_]) {
        ReleaseConsumed(winner_);
        if (!sources_.empty() && Exhausted(winner_)) Refill(winner_);
      }
      Replay();
      if (repeat) continue;
      *out = last_;
      return true;
    }
  }

 private:
  bool Exhausted(size_t r) const { return cur_[r] == end_[r]; }
  static constexpr size_t kReleaseElements =
      std::max<size_t>(1, (size_t{1} << 18) / sizeof(T));
  const T* NextReleasePoint(size_t r) const {
    return static_cast<size_t>(end_[r] - released_[r]) > kReleaseElements
               ? released_[r] + kReleaseElements
               : end_[r];
  }
  void Refill(size_t r) {
    std::span<const T> piece = sources_[r]();
    if (piece.empty()) return;  // the run is exhausted
    cur_[r] = released_[r] = piece.data();
    end_[r] = release_at_[r] = piece.data() + piece.size();
  }
  void ReleaseConsumed(size_t r) {
    if (!release_) return;  // release_at_ is the end: once per run
    release_(released_[r], cur_[r]);
    released_[r] = cur_[r];
    // (An exhausted run never advances again: no second call at its end.)
    release_at_[r] = NextReleasePoint(r);
  }
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
  // Per run: consumed up to released_ handed to release_ so far; the next
  // hand-over when cur_ reaches release_at_.
  std::vector<const T*> released_, release_at_;
  std::vector<size_t> loser_;  // loser_[0] unused
  size_t k_ = 0, winner_ = 0;
  Less less_;
  Release release_;
  std::vector<Source> sources_;  // FromSources: per run, empty otherwise
  T last_{};
  bool have_last_ = false;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_SORTED_RUNS_H_
