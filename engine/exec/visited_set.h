// VisitedSet: the nodes a path closure has reached.
//
// Why: a closure over a large part of the graph (`:hub :metWith+ ?x` at
// 10M triples reaches about 1.8M people) spends most of its time asking
// "seen before?" once per edge it follows. In a hash set of millions of
// ids nearly every such question is a cache miss. Dictionary terms (IRIs
// and blank nodes) have payloads the dictionary numbers densely from 1, so
// once a closure has reached enough of them a bitmap over the payloads
// answers the same question from a structure 64 times smaller than the
// set, mostly in cache.
//
// The set starts as a hash set, so that the many small closures of a path
// evaluated once per input row never pay for a bitmap sized by the whole
// dictionary. It moves a tag's ids into a bitmap once the ids of that tag
// it holds are at least one per 64 bits the bitmap would need (zeroing the
// bitmap then costs less than the hash inserts already done), and only for
// payloads below kMaxPayload (a bitmap of at most 8 MiB). Ids of other
// tags (inline literals) and larger payloads stay in the hash set.
//
// Thread-safety: none; one closure's own set.

#ifndef KGSTORE_ENGINE_EXEC_VISITED_SET_H_
#define KGSTORE_ENGINE_EXEC_VISITED_SET_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "storage/term_id.h"

namespace kg::exec {

class VisitedSet {
 public:
  static constexpr uint64_t kMaxPayload = uint64_t{1} << 26;

  // Adds `id`; true when it was not in the set before.
  bool Insert(TermId id) {
    const int b = BitmapIndex(id);
    if (b >= 0 && !bitmaps_[b].bits.empty()) {
      const uint64_t payload = PayloadOf(id);
      Bitmap& m = bitmaps_[b];
      if (payload / 64 >= m.bits.size()) Grow(&m, payload);
      uint64_t& word = m.bits[payload / 64];
      const uint64_t bit = uint64_t{1} << (payload % 64);
      if (word & bit) return false;
      word |= bit;
      ++size_;
      return true;
    }
    if (!hashed_.insert(id).second) return false;
    ++size_;
    if (b >= 0) Note(b, PayloadOf(id));
    return true;
  }

  // The number of distinct ids inserted.
  size_t size() const { return size_; }

  // Bytes held now (the hash set's slots and the bitmaps' words).
  size_t bytes() const {
    size_t n = hashed_.capacity() * (sizeof(TermId) + 1);
    for (const Bitmap& m : bitmaps_) n += m.bits.capacity() * sizeof(uint64_t);
    return n;
  }

  // True when `tag`'s ids are kept in a bitmap (for tests).
  bool UsesBitmap(TermTag tag) const {
    const int b = BitmapIndex(MakeId(tag, 0));
    return b >= 0 && !bitmaps_[b].bits.empty();
  }

 private:
  struct Bitmap {
    std::vector<uint64_t> bits;  // empty: the tag's ids are hashed
    uint64_t hashed = 0;         // the tag's ids in hashed_, below the bound
    uint64_t max_payload = 0;    // the largest of them
  };

  // Which bitmap holds `id`'s tag: 0 for IRIs, 1 for blank nodes, -1 for
  // ids never kept in one (and payloads at or above kMaxPayload).
  static int BitmapIndex(TermId id) {
    if (PayloadOf(id) >= kMaxPayload) return -1;
    switch (TagOf(id)) {
      case TermTag::kIri: return 0;
      case TermTag::kBlankNode: return 1;
      default: return -1;
    }
  }

  void Note(int b, uint64_t payload);
  static void Grow(Bitmap* m, uint64_t payload);

  absl::flat_hash_set<TermId> hashed_;
  Bitmap bitmaps_[2];
  size_t size_ = 0;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_VISITED_SET_H_
