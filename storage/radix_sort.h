// A stable least-significant-byte-first radix sort on a 64-bit key, for
// the id arrays of the bulk loader and the in-memory adjacencies.
//
// Why: ids of one kind share their top byte and, in a store of fewer than
// 2^24 terms, the next four too, so a sort by id needs only the few bytes
// in which the keys differ: a handful of linear passes instead of
// n log n comparisons.

#ifndef KGSTORE_STORAGE_RADIX_SORT_H_
#define KGSTORE_STORAGE_RADIX_SORT_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <vector>

namespace kg {

// Sorts `v` stably by key(e) (a uint64_t), skipping the bytes in which all
// keys agree. Stable: elements with equal keys keep their order. Uses a
// second buffer as large as `v`.
template <typename T, typename Key>
void RadixSortStable(std::vector<T>& v, Key key) {
  if (v.size() < 2) return;
  // The bytes in which some two keys differ.
  uint64_t all_and = ~uint64_t{0}, all_or = 0;
  for (const T& e : v) {
    const uint64_t k = key(e);
    all_and &= k;
    all_or |= k;
  }
  const uint64_t varying = all_and ^ all_or;
  std::vector<T> tmp(v.size());
  for (int shift = 0; shift < 64; shift += 8) {
    if (((varying >> shift) & 0xff) == 0) continue;
    size_t count[256] = {};
    for (const T& e : v) ++count[(key(e) >> shift) & 0xff];
    size_t offset = 0;
    for (size_t& c : count) {
      const size_t n = c;
      c = offset;
      offset += n;
    }
    for (const T& e : v) tmp[count[(key(e) >> shift) & 0xff]++] = e;
    v.swap(tmp);
  }
}

}  // namespace kg

#endif  // KGSTORE_STORAGE_RADIX_SORT_H_
