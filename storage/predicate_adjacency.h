// The quads of one predicate held in memory in both directions, and the
// store-wide cache of them.
//
// Why: a nested-loop join probes an index once per input row. Through
// RocksDB each probe (a Seek on a pooled iterator, with every block already
// cached) costs about 2 µs; a probe into sorted arrays costs tens of
// nanoseconds, and a scan of a whole predicate runs at a few nanoseconds
// per quad instead of a few hundred. A PredicateAdjacency is the in-memory
// form of one predicate's slice of spog and posg -- what a CSR is to a
// property-graph store -- built on demand from the indexes rather than kept
// on disk, so the on-disk format and the write path do not change.
//
// When: ReadView::Scan charges every RocksDB scan with a bound predicate to
// that predicate's demand, an estimate of the time the scan cost (one seek
// plus the expected rows, from the statistics). Once the demand since the
// predicate was last built reaches the cost of building it, the scan that
// crosses the line builds it. That is the ski-rental rule: whatever the
// workload, the time spent is at most about twice that of the better of
// "never build" and "always build".
//
// Validity: an adjacency is built from one snapshot and serves only read
// views whose snapshot has the same RocksDB sequence number, which is to
// say the same data (every commit and load advances the sequence number).
// Write transactions never use it: they must see their own writes.
//
// Memory: entries are evicted least recently used beyond a byte budget
// (StoreOptions::adjacency_cache_bytes); a predicate whose adjacency would
// not fit in the budget is never built.

#ifndef KGSTORE_STORAGE_PREDICATE_ADJACENCY_H_
#define KGSTORE_STORAGE_PREDICATE_ADJACENCY_H_

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storage/quad_index.h"
#include "storage/term_id.h"

namespace kg {

class QuadIdIterator;

// Immutable after Build. Thread-safety: any number of threads may read it.
class PredicateAdjacency {
 public:
  // Builds the adjacency of `predicate` from `posg`, an iterator over
  // exactly the quads with that predicate in posg order (as ReadView::Scan
  // with only P bound yields them). Errors: the iterator's status; and
  // ResourceExhausted beyond 2^32 - 1 quads (offsets are 32-bit).
  // `hint`, when given, is what the statistics say of the predicate: the
  // arrays are sized from it up front instead of growing by doubling (a
  // wrong hint costs only a reallocation).
  struct SizeHint {
    uint64_t quads = 0, subjects = 0, objects = 0;
  };
  static absl::StatusOr<std::shared_ptr<const PredicateAdjacency>> Build(
      TermId predicate, QuadIdIterator& posg, const SizeHint& hint);
  static absl::StatusOr<std::shared_ptr<const PredicateAdjacency>> Build(
      TermId predicate, QuadIdIterator& posg) {
    return Build(predicate, posg, SizeHint());
  }

  // Bytes of memory an adjacency of `quads` quads with `keys` distinct
  // subjects plus objects takes, roughly (for the budget check before a
  // build; bytes() is exact after).
  static size_t EstimateBytes(uint64_t quads, uint64_t keys);

  // The quads matching `pattern` on the positions in `bound_mask` (bit
  // 0=S, 1=P, 2=O, 3=G; P must be bound and equal predicate()), in the
  // order of the index ChoosePermutation(bound_mask) names, as
  // ReadView::Scan returns them. The iterator holds `self` alive.
  static std::unique_ptr<QuadIdIterator> Scan(
      std::shared_ptr<const PredicateAdjacency> self, const QuadIds& pattern,
      unsigned bound_mask);

  // The quads whose object id lies in [lo, hi] (and whose graph is
  // `graph`, when given), in posg order: a range scan over the objects.
  static std::unique_ptr<QuadIdIterator> ScanObjectRange(
      std::shared_ptr<const PredicateAdjacency> self, TermId lo, TermId hi,
      std::optional<TermId> graph);

  // The other ends of the quads whose subject (key_is_subject) or object
  // is `key`, ascending (an end repeats once per graph holding the quad);
  // empty when there are none. Valid while the adjacency lives.
  absl::Span<const TermId> Neighbors(bool key_is_subject, TermId key) const {
    const Half& h = key_is_subject ? by_subject_ : by_object_;
    auto it = h.index.find(key);
    if (it == h.index.end()) return {};
    return OthersOf(h, it->second);
  }
  // Neighbors for a caller whose keys mostly come in ascending order (a
  // join probing with the output of an index scan): `*cursor` is where the
  // previous key was found. A key at most a few places further on is found
  // by a short forward look in the sorted keys, which the previous lookup
  // brought into the cache, instead of the hash index, whose lookups miss
  // it. Start with *cursor = 0; any value is safe (only slower).
  absl::Span<const TermId> NeighborsFrom(bool key_is_subject, TermId key,
                                         size_t* cursor) const {
    const Half& h = key_is_subject ? by_subject_ : by_object_;
    size_t i = *cursor;
    if (i < h.keys.size() && h.keys[i] <= key) {
      const size_t end = std::min(h.keys.size(), i + kForwardLook);
      while (i < end && h.keys[i] < key) ++i;
      if (i < end) {
        *cursor = i;
        if (h.keys[i] != key) return {};  // between two keys: none
        return OthersOf(h, i);
      }
    }
    auto it = h.index.find(key);
    if (it == h.index.end()) return {};
    *cursor = it->second;
    return OthersOf(h, it->second);
  }
  static constexpr size_t kForwardLook = 8;
  // Calls f(key, n) for every subject (key_is_subject) or object of the
  // predicate, ascending, with n its number of quads.
  template <typename F>
  void ForEachRun(bool key_is_subject, F&& f) const {
    const Half& h = key_is_subject ? by_subject_ : by_object_;
    for (size_t i = 0; i < h.keys.size(); ++i)
      f(h.keys[i], uint64_t{h.starts[i + 1] - h.starts[i]});
  }
  // The number of subjects (key_is_subject) or objects, and the i-th of
  // them, ascending, with its number of quads: ForEachRun one at a time.
  size_t RunCount(bool key_is_subject) const {
    return (key_is_subject ? by_subject_ : by_object_).keys.size();
  }
  std::pair<TermId, uint64_t> Run(bool key_is_subject, size_t i) const {
    const Half& h = key_is_subject ? by_subject_ : by_object_;
    return {h.keys[i], uint64_t{h.starts[i + 1] - h.starts[i]}};
  }
  // True when every quad of the predicate is in the default graph.
  bool default_graph_only() const { return by_object_.graphs.empty(); }

  // Whether some quad (in any graph) has subject `s` and object `o`. For
  // an object with many subjects (a class under rdf:type, say) this reads
  // one bit of a bitmap over the subjects' ids; otherwise it is Neighbors
  // and a binary search.
  bool Contains(TermId s, TermId o) const {
    for (const Members& m : members_) {
      if (m.object != o) continue;
      if (TagOf(s) != m.tag) return false;
      const uint64_t bit = PayloadOf(s);
      return bit < m.bits.size() * 64 &&
             (m.bits[bit / 64] >> (bit % 64) & 1) != 0;
    }
    const auto others = Neighbors(/*key_is_subject=*/true, s);
    return std::binary_search(others.begin(), others.end(), o);
  }

  TermId predicate() const { return predicate_; }
  uint64_t quads() const { return quads_; }
  size_t bytes() const { return bytes_; }

 private:
  friend class AdjacencyIterator;
  // One direction: for each key (subject, or object) in ascending order,
  // the other ends of its quads in ascending order, ties by graph.
  struct Half {
    std::vector<TermId> keys;
    std::vector<uint32_t> starts;  // keys.size() + 1 entries
    std::vector<TermId> others;    // one per quad
    std::vector<TermId> graphs;    // one per quad; empty: all default graph
    absl::flat_hash_map<TermId, uint32_t> index;  // key -> its position
  };
  static void Finish(Half* half);
  // The other ends of the i-th key of `h`.
  static absl::Span<const TermId> OthersOf(const Half& h, size_t i) {
    return absl::Span<const TermId>(h.others.data() + h.starts[i],
                                    h.starts[i + 1] - h.starts[i]);
  }
  // Bitmaps for Contains: built for objects with at least
  // kMembersMinSubjects subjects, all of one tag, with payloads below
  // kMembersMaxPayload (so a bitmap is at most 8 MiB) and at least one
  // subject per 16 ids (so bitmaps cost at most 2 bytes per quad, which
  // EstimateBytes counts), at most kMembersMax of them.
  struct Members {
    TermId object;
    TermTag tag;
    std::vector<uint64_t> bits;  // bit = payload of a subject
  };
  static constexpr uint32_t kMembersMinSubjects = 4096;
  static constexpr uint64_t kMembersMaxPayload = uint64_t{1} << 26;
  static constexpr size_t kMembersMax = 16;
  void BuildMembers();

  TermId predicate_ = 0;
  uint64_t quads_ = 0;
  size_t bytes_ = 0;
  Half by_subject_, by_object_;
  std::vector<Members> members_;
};

// The store-wide cache of adjacencies. Thread-safe.
class AdjacencyCache {
 public:
  // `budget_bytes` = 0 disables the cache (Find always misses, Demand never
  // asks for a build).
  explicit AdjacencyCache(size_t budget_bytes) : budget_(budget_bytes) {}

  // The adjacency of `predicate` built from a snapshot with sequence
  // number `sequence`, or null. An entry for another sequence number is
  // stale and dropped.
  std::shared_ptr<const PredicateAdjacency> Find(TermId predicate,
                                                 uint64_t sequence);

  // Adds `cost_ns`, the time a RocksDB scan of the predicate took, to its
  // demand.
  void AddDemand(TermId predicate, double cost_ns);

  // True when the predicate's demand has reached `build_cost_ns`, an
  // adjacency of `estimated_bytes` fits the budget and no reader is
  // building one: the caller should build it now and Insert it (or call
  // ResetDemand if the build fails). A true answer claims the build, so
  // that other readers and the warm-up do not build the same adjacency
  // meanwhile (readers keep scanning RocksDB); Insert and ResetDemand end
  // the claim.
  bool Wanted(TermId predicate, double build_cost_ns, size_t estimated_bytes);
  // For the warm-up: false when a reader is building the predicate's
  // adjacency or one for `sequence` (or a newer snapshot) is cached. The warm-up claims nothing:
  // a reader whose demand calls for the adjacency builds it at its own
  // priority rather than wait for the warm-up's lower one.
  bool NeedsBuild(TermId predicate, uint64_t sequence) const;
  // Zeroes the predicate's demand and ends a claim on its build.
  void ResetDemand(TermId predicate);

  // Caches `adjacency` for `sequence`, resets the predicate's demand, ends
  // a claim on its build and evicts least recently used entries beyond the
  // budget.
  void Insert(uint64_t sequence,
              std::shared_ptr<const PredicateAdjacency> adjacency);

  size_t budget_bytes() const { return budget_; }
  // The demand (ns) of every predicate with some and no adjacency built
  // since (for the warm-up, which builds those first).
  absl::flat_hash_map<TermId, double> Demands() const;
  // Bytes held now, and the number of builds so far (for tests and stats).
  size_t bytes() const;
  uint64_t builds() const;

 private:
  struct Entry {
    uint64_t sequence;
    std::shared_ptr<const PredicateAdjacency> adjacency;
    std::list<TermId>::iterator lru;
  };
  void DropLocked(TermId predicate);

  const size_t budget_;
  mutable std::mutex mu_;
  absl::flat_hash_map<TermId, Entry> entries_;
  absl::flat_hash_map<TermId, double> demand_;
  absl::flat_hash_set<TermId> too_big_;  // built once, exceeded the budget
  absl::flat_hash_set<TermId> building_;  // builds claimed by Wanted
  std::list<TermId> lru_;  // front = most recently used
  size_t bytes_ = 0;
  uint64_t builds_ = 0;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_PREDICATE_ADJACENCY_H_
