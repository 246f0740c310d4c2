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
template <typename T, typename Less = std::less<T>>
class RunMerger {
 public:
  explicit RunMerger(std::vector<std::span<const T>> runs, Less less = {})
      : runs_(std::move(runs)), pos_(runs_.size(), 0), less_(less) {
    for (size_t r = 0; r < runs_.size(); ++r)
      if (!runs_[r].empty()) heap_.push_back(r);
    std::make_heap(heap_.begin(), heap_.end(), HeapLess{this});
  }

  // The next distinct element into *out; false when all are consumed.
  bool Next(T* out) {
    for (;;) {
      if (heap_.empty()) return false;
      std::pop_heap(heap_.begin(), heap_.end(), HeapLess{this});
      const size_t r = heap_.back();
      const T& v = runs_[r][pos_[r]];
      const bool repeat = have_last_ && !less_(last_, v);
      last_ = v;
      have_last_ = true;
      if (++pos_[r] < runs_[r].size()) {
        std::push_heap(heap_.begin(), heap_.end(), HeapLess{this});
      } else {
        heap_.pop_back();
      }
      if (repeat) continue;
      *out = last_;
      return true;
    }
  }

 private:
  // Min-heap on each run's current element.
  struct HeapLess {
    const RunMerger* m;
    bool operator()(size_t a, size_t b) const {
      return m->less_(m->runs_[b][m->pos_[b]], m->runs_[a][m->pos_[a]]);
    }
  };
  std::vector<std::span<const T>> runs_;
  std::vector<size_t> pos_;
  std::vector<size_t> heap_;
  Less less_;
  T last_{};
  bool have_last_ = false;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_SORTED_RUNS_H_
