// The decoded quads of small index probes, shared by every reader of one
// Store, for the predicates that have no in-memory adjacency.
//
// Why: a nested-loop join probes an index once per input row, binding a
// subject or an object (the labels of the people met, the date of each
// meeting). Through RocksDB such a probe costs 1.5-3 µs even with every
// block cached: a seek through the partitioned index and a data block, two
// block-cache lookups, the merging iterator. The adjacency of the
// predicate (predicate_adjacency.h) makes probes cost tens of nanoseconds,
// but it is built for a whole predicate at once, after enough demand or by
// the background warm-up, and a large predicate takes tens of milliseconds
// to build. Until then, and for predicates too large for the adjacency
// budget, this cache keeps the answer of each small probe: the next probe
// of the same key (the next run of the same query, another query reaching
// the same entity) is a hash lookup. It is the counterpart for index
// prefixes of RocksDB's row cache, which only serves point lookups.
//
// What is kept: the quads of a scan that binds the subject or the object
// (and possibly more), once it has been read to its end and yielded at
// most kMaxRows quads, including none. A scan read only in part (LIMIT,
// EXISTS) is not kept.
//
// Validity: like adjacencies, entries serve only readers whose snapshot
// has the RocksDB sequence number they were read at, which is to say the
// same data (every commit and bulk load advances it; BulkLoader::Ingest
// makes sure). Entries of an old sequence go lazily: a shard is emptied
// when a reader of a newer snapshot first inserts into it. A reader with a
// newer snapshot empties a shard the first time it inserts into it; one
// with an older snapshot neither finds nor inserts anything. Write
// transactions never use the cache: they must see their own writes.
//
// Memory: 16 shards (by the key hash's top bits; the hash maps inside use
// the low ones), each with a share of the budget
// (StoreOptions::probe_cache_bytes), and in each two generations of
// entries: a hit in the older generation moves the entry to the newer,
// and when the newer one fills half of the shard's share the older is
// dropped and the newer becomes the older. That approximates LRU without
// a list per entry.
//
// Thread-safety: all methods may be called from any thread.

#ifndef KGSTORE_STORAGE_PROBE_CACHE_H_
#define KGSTORE_STORAGE_PROBE_CACHE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "storage/quad_index.h"

namespace kg {

class ProbeCache {
 public:
  using Rows = std::shared_ptr<const std::vector<QuadIds>>;
  // Probes with more quads are not kept, so that one entry (32 bytes a
  // row: 128 KiB at most) stays a small part of a shard's generation. Not
  // 256, as at first: a hit saves the RocksDB scan's ~200 ns per row as
  // well as its seek, and two-hop queries through hubs probe many
  // neighbours with hundreds of edges each (q07 at 1M: 65 of a hub's 1,955
  // neighbours have over 256, half the rows; 17 -> 6.6 ms once cached).
  static constexpr size_t kMaxRows = 4096;

  // `budget_bytes` = 0 disables the cache.
  explicit ProbeCache(size_t budget_bytes)
      : shard_budget_(budget_bytes / kShards) {}

  bool enabled() const { return shard_budget_ > 0; }
  size_t budget_bytes() const { return shard_budget_ * kShards; }

  // Which scan: the bound positions and their ids (the others zero).
  // PlanScan is a function of the two, so equal keys are equal scans.
  struct ProbeKey {
    QuadIds ids;
    uint8_t mask = 0;
    friend bool operator==(const ProbeKey&, const ProbeKey&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const ProbeKey& k) {
      return H::combine(std::move(h), k.ids.s, k.ids.p, k.ids.o, k.ids.g,
                        k.mask);
    }
  };
  // The key of the scan of `pattern` on the positions in `bound_mask`.
  static ProbeKey Key(const QuadIds& pattern, unsigned bound_mask);

  // The quads cached for `key` at snapshot sequence `sequence`, or null.
  Rows Find(uint64_t sequence, const ProbeKey& key);
  // Caches the complete result of the probe `key` at `sequence` (at most
  // kMaxRows quads; longer results are not kept) and returns it, shared.
  Rows Insert(uint64_t sequence, const ProbeKey& key,
              std::vector<QuadIds> rows);

  // Entries held now, over all shards, and the lookups answered so far
  // (for tests and tuning).
  size_t entries() const;
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    uint64_t sequence = 0;
    absl::flat_hash_map<ProbeKey, Rows> newer, older;
    size_t newer_bytes = 0;
  };
  // Bytes an entry takes: the map slot (56) at a load factor of 7/8, the
  // shared vector's control block and header (rows are stored at exact
  // capacity).
  static size_t Cost(size_t rows) { return 160 + rows * sizeof(QuadIds); }
  Shard& ShardOf(const ProbeKey& key);
  // Adds an entry to the newer generation, rotating first when it is full
  // (mutex held).
  void AddNewer(Shard& s, const ProbeKey& key, Rows rows);

  const size_t shard_budget_;
  Shard shards_[kShards];
  std::atomic<uint64_t> hits_{0};
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_PROBE_CACHE_H_
