// ReadView: a consistent snapshot of the store for reading, with the
// in-memory adjacencies and the probe cache in front of the indexes.

#ifndef KGSTORE_STORAGE_READ_VIEW_H_
#define KGSTORE_STORAGE_READ_VIEW_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "storage/index_cursor.h"
#include "storage/ordered_kv.h"
#include "storage/predicate_adjacency.h"
#include "storage/quad_index.h"
#include "storage/quad_reader.h"
#include "storage/rdf/term.h"
#include "storage/store_statistics.h"
#include "storage/term_id.h"

namespace kg {

class Store;

// A consistent snapshot of the store for reading. Cheap to create.
// Thread-safety: one thread at a time. Must not outlive its Store.
class ReadView final : public QuadReader {
 public:
  ~ReadView() override;
  absl::StatusOr<Term> Resolve(TermId id) const override;
  absl::Status ResolveMany(absl::Span<const TermId> ids,
                           std::vector<Term>* terms) const override;
  absl::StatusOr<std::optional<TermId>> Lookup(const Term& term) const override;
  // The same for a term that is neither inline nor a blank node, given as
  // SerializeTerm wrote it.
  absl::StatusOr<std::optional<TermId>> LookupSerialized(
      std::string_view serialized) const;
  // Answered by the in-memory adjacency of the predicate when there is one
  // (AdjacencyFor), else by the probe cache when S or O is bound, else by
  // the indexes.
  std::unique_ptr<QuadIdIterator> Scan(const QuadIds& pattern,
                                       unsigned bound_mask) const override;
  // Scans a whole index in key order (for checks and dumps). The
  // graph-first indexes hold only quads of named graphs (quad_index.h).
  std::unique_ptr<QuadIdIterator> ScanIndex(Permutation perm) const;
  std::unique_ptr<QuadIdIterator> ScanRange(
      Permutation perm, std::string lower, std::string upper,
      bool default_graph_only = false) const override;
  // The in-memory adjacency of `predicate` (predicate_adjacency.h) when it
  // is cached for this snapshot, or when the demand of one scan with
  // `bound_mask` (P bound) makes building it worthwhile now; null
  // otherwise (then use Scan). Scan calls this itself; the query engine
  // calls it directly to intersect neighbour lists.
  // The statistics at this view's snapshot, read once from the meta
  // family and kept.
  absl::StatusOr<std::shared_ptr<const StoreStatistics>> Statistics()
      const override;
  std::shared_ptr<const PredicateAdjacency> AdjacencyFor(
      TermId predicate, unsigned bound_mask) const override {
    return AdjacencyForProbes(predicate, bound_mask, 0, 0);
  }
  // With a forecast that the query alone will spend more on RocksDB scans
  // of the predicate than building its adjacency costs, the build starts
  // once the demand reaches kTrustedShare of that cost instead of all of
  // it: ski rental with a prediction (Purohit, Svitkina and Kumar,
  // "Improving Online Algorithms via ML Predictions", NeurIPS 2018). A
  // right forecast then costs at most 1 + kTrustedShare times the better
  // of building at once and never; a wrong one at most 1 + 1 /
  // kTrustedShare times, against 2 without forecasts.
  std::shared_ptr<const PredicateAdjacency> AdjacencyForProbes(
      TermId predicate, unsigned bound_mask, double probes,
      double rows) const override;
  static constexpr double kTrustedShare = 0.25;
  // The adjacency cost model (predicate_adjacency.h): what a RocksDB scan
  // costs per seek and per row with its blocks cached, and what building
  // an adjacency costs per quad, on the development machine
  // (bench/RESULTS.md, "In-memory adjacencies"). Builds were re-measured
  // with KG_TRACE_ADJACENCY=1 in session 15: 110-205 ns/quad at 10M
  // quads, 287 at 100M (larger arrays, more cache misses); 400 was session
  // 2's figure, before the radix sort.
  static constexpr double kSeekNs = 2000, kRowNs = 200,
                          kBuildNsPerQuad = 250;
  // Walks posg's keys of the predicate (QuadReader's comment). Charged to
  // the predicate's adjacency demand at what the walk costs per quad, so
  // that counting often still leads to building the adjacency.
  absl::StatusOr<bool> CountObjectRuns(
      TermId predicate, bool store_default_only, ObjectRunFn f,
      absl::FunctionRef<bool()> keep_going) const override;
  // Builds the adjacency of `predicate` now and caches it (for
  // Store::PreloadAdjacencies). With `cancel`: gives up with Cancelled as
  // soon as *cancel is true. With `memoize` false the view does not keep
  // it (the store's cache still may): for builders that only fill the
  // cache and should not hold what it evicts.
  absl::StatusOr<std::shared_ptr<const PredicateAdjacency>> BuildAdjacency(
      TermId predicate, const std::atomic<bool>* cancel = nullptr,
      bool memoize = true) const;

 private:
  friend class Store;
  friend class WriteTxn;
  friend class PooledIterator;
  friend class BulkLoader;
  ReadView(const Store* store);
  // The error for a dictionary id without an entry: DataLoss when the
  // store handed the id out (it is damaged), NotFound otherwise.
  absl::Status MissingTerm(TermId id) const;
  // Scan without the in-memory adjacencies: always the indexes.
  // `charge`: count the scan's cost toward its predicate's adjacency
  // demand (NoteScanCost).
  std::unique_ptr<QuadIdIterator> ScanIndexes(const QuadIds& pattern,
                                              unsigned bound_mask,
                                              bool charge = true) const;
  // Adds the cost of a finished RocksDB scan of `rows` rows (0: a point
  // lookup) to the predicate's adjacency demand.
  void NoteScanCost(TermId predicate, uint64_t rows) const;
  // RocksDB iterators are costly to create (about a microsecond) and cheap
  // to re-seek, and a nested-loop join opens the same index over and over:
  // finished iterators go back to a pool per index.
  std::unique_ptr<IndexCursor> Borrow(Permutation perm) const;
  void Return(Permutation perm, std::unique_ptr<IndexCursor> it) const;
  // A new cursor over `perm` at this view's snapshot; its plain keys end
  // below `upper_bound` (empty: no bound), whose bytes must outlive it.
  // `fill_cache`: KvReadOptions::fill_cache.
  std::unique_ptr<IndexCursor> NewCursor(Permutation perm,
                                         std::string_view upper_bound,
                                         bool fill_cache = true) const;
  // Whether the index `perm` holds `key` (a full key): a point lookup
  // (bloom filter) of the plain keys, then of the packed blocks.
  absl::StatusOr<bool> Holds(Permutation perm, std::string_view key) const;

  const Store* store_;
  std::unique_ptr<KvSnapshot> snapshot_;
  mutable std::shared_ptr<const StoreStatistics> statistics_;  // Statistics()
  uint64_t sequence_ = 0;  // the snapshot's sequence number
  // Store::next_id() before the snapshot was taken: every dictionary id
  // below it was committed before the snapshot (for the term->id cache).
  uint64_t next_id_ = 0;
  // Per-view memos, so that a nested loop looks up its predicate's
  // adjacency in the store's cache once. Guarded by memo_mu_ (the bulk
  // loader's two threads share a view; uncontended otherwise).
  mutable absl::flat_hash_map<TermId, std::shared_ptr<const PredicateAdjacency>>
      adjacency_;
  mutable absl::flat_hash_map<TermId, PredicateStats> predicate_stats_;
  mutable std::mutex memo_mu_;
  mutable std::mutex pool_mu_;
  // Whether packed blocks existed when the view was made (a load that
  // writes them sets the store's flag before they become visible).
  bool blocks_ = false;
  mutable std::vector<std::unique_ptr<IndexCursor>> pool_[kNumPermutations];
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_READ_VIEW_H_
