// VisitedSet: when a tag's ids move from the hash set to a bitmap.

#include "engine/exec/visited_set.h"

#include <algorithm>

namespace kg::exec {

// Called after a new id of bitmap `b`'s tag went into the hash set.
void VisitedSet::Note(int b, uint64_t payload) {
  Bitmap& m = bitmaps_[b];
  ++m.hashed;
  m.max_payload = std::max(m.max_payload, payload);
  // A bitmap up to the largest payload seen has max_payload / 64 + 1
  // words; move once there are at least as many ids as words.
  const uint64_t words = m.max_payload / 64 + 1;
  if (m.hashed < words || m.hashed < 1024) return;
  m.bits.assign(words, 0);
  const TermTag tag = b == 0 ? TermTag::kIri : TermTag::kBlankNode;
  for (auto it = hashed_.begin(); it != hashed_.end();) {
    const TermId id = *it;
    if (TagOf(id) == tag && PayloadOf(id) < kMaxPayload) {
      const uint64_t p = PayloadOf(id);
      m.bits[p / 64] |= uint64_t{1} << (p % 64);
      hashed_.erase(it++);
    } else {
      ++it;
    }
  }
  m.hashed = 0;
}

// Grows `m` to hold `payload` (below kMaxPayload): to twice its size or
// to the payload, whichever is larger, so growth is amortized.
void VisitedSet::Grow(Bitmap* m, uint64_t payload) {
  const uint64_t need = payload / 64 + 1;
  const uint64_t cap = kMaxPayload / 64;
  m->bits.resize(std::min(cap, std::max<uint64_t>(need, m->bits.size() * 2)),
                 0);
}

}  // namespace kg::exec
