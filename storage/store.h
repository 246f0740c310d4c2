// Store: the database behind a kgstore directory, its key spaces, the
// term dictionary, statistics, snapshot reads and the single writer. This
// is the storage layer's face to the engine; the public API
// (engine/database.h) wraps it.
//
// Readers: ReadView (read_view.h, a snapshot) and WriteTxn (write_txn.h,
// the writer, reading its own writes), both QuadReaders (quad_reader.h).
// Underneath: an OrderedKv (ordered_kv.h), RocksDB's (rocks_kv.h), which
// Store::Open opens. Where the code is: store.cc (the Store's small
// parts), store_open.cc (open, format marker, upgrades, compaction),
// store_statistics.cc, adjacency_warmup.cc, read_view.cc, write_txn.cc,
// quad_iterators.cc.
//
// Key spaces, one RocksDB column family each (on-disk format in
// docs/STORAGE.md):
//   meta      format version, id counter, statistics
//   id2term   encoded TermId -> serialized term (dictionary, id to text)
//   term2id   XXH3-128 of serialized term -> encoded TermId
//   spog posg ospg gspo gpos gosp   the permutation indexes (quad_index.h)
//   spog_blocks posg_blocks ospg_blocks   packed blocks of the graph-last
//             indexes, written by bulk loads into empty stores
//             (packed_block.h); scans merge them with the plain keys
//             (index_cursor.h)
//
// Thread-safety: Store is safe for concurrent use. Any number of ReadViews
// may be used concurrently, each by one thread at a time. At most one writer
// (WriteTxn or BulkLoader) exists at a time; starting another blocks until
// the current one commits or aborts.

#ifndef KGSTORE_STORAGE_STORE_H_
#define KGSTORE_STORAGE_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/memory_budget.h"
#include "storage/ordered_kv.h"
#include "storage/predicate_adjacency.h"
#include "storage/probe_cache.h"
#include "storage/quad_index.h"
#include "storage/quad_reader.h"
#include "storage/rdf/term.h"
#include "storage/read_view.h"
#include "storage/store_statistics.h"
#include "storage/term_cache.h"
#include "storage/term_id.h"
#include "storage/write_txn.h"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace kg {

struct StoreOptions {
  // ---- behaviour ----
  // Create the store when the directory does not hold one. Default: true.
  bool create_if_missing = true;
  // Open without taking the write lock; writers fail with FailedPrecondition.
  // Several processes may open one store read-only at a time. Default: false.
  bool read_only = false;
  // Commits are durable (fsync of the write-ahead log) when Commit returns.
  // false trades durability of the last commits on power loss for speed;
  // a crash of the process alone loses nothing either way. Default: true.
  bool sync_commits = true;
  // ---- performance ----
  // Size of the block cache shared by all column families. Default: 256 MiB.
  size_t block_cache_bytes = size_t{256} << 20;
  // Decoded terms kept in memory (term_cache.h); 0 disables. Default:
  // 64 MiB.
  size_t term_cache_bytes = size_t{64} << 20;
  // In-memory adjacencies of frequently probed predicates
  // (predicate_adjacency.h); 0 disables. Default:
  // DefaultAdjacencyCacheBytes().
  size_t adjacency_cache_bytes = DefaultAdjacencyCacheBytes();
  // Decoded quads of small index probes of predicates without an
  // adjacency (probe_cache.h); 0 disables. Default:
  // DefaultProbeCacheBytes().
  size_t probe_cache_bytes = DefaultProbeCacheBytes();
  // ---- tests only ----
  // The RocksDB Env (and so the file system) every file of the store goes
  // through; null: the default. Fault-injection tests pass one that fails
  // operations and simulates power loss (tests/util/faulty_file_system.h).
  // It must outlive the store. Not reachable from the public API.
  rocksdb::Env* env = nullptr;
};

class Store {
 public:
  // Opens (or creates) the store in directory `path`.
  // Errors: NotFound if there is no store and create_if_missing is false;
  // FailedPrecondition if another process holds the store open for writing,
  // or the directory holds something that is not a kgstore store, or its
  // format version is unknown; other codes for I/O failures.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path,
                                                     const StoreOptions& opts);
  ~Store();

  std::unique_ptr<ReadView> NewReadView() const;
  // Starts the write transaction, waiting for the current writer to finish.
  // FailedPrecondition on a read-only store.
  absl::StatusOr<std::unique_ptr<WriteTxn>> BeginWrite();
  // A copy of the current statistics (as of the last commit).
  StoreStatistics Statistics() const;
  // The same without a copy: an immutable snapshot, replaced (not changed)
  // by each commit, so holders keep a consistent view for as long as they
  // like.
  std::shared_ptr<const StoreStatistics> StatisticsSnapshot() const;
  // Recounts the statistics by scanning the indexes.
  absl::StatusOr<StoreStatistics> RecountStatistics() const;
  // Flushes memtables and compacts every column family (for size reports
  // and before backups).
  absl::Status Compact();
  // Approximate bytes on disk of all live SST and log files.
  uint64_t DiskSize() const;
  // The statistics of one predicate (zeros when the store lacks it).
  PredicateStats StatisticsOf(TermId predicate) const;
  // The statistics as a snapshot with sequence number `sequence` sees
  // them, if they are the ones in memory (no write since); else null, and
  // the caller reads them from the snapshot. Thread-safe.
  std::shared_ptr<const StoreStatistics> StatisticsAtSequence(
      uint64_t sequence) const;
  // Builds the in-memory adjacency of every predicate, smallest first,
  // while they fit in the cache's budget, without waiting for demand
  // (predicate_adjacency.h), on two threads. For read-mostly stores: the
  // next commit makes them stale. Returns how many were built; errors are
  // those of the index scans.
  absl::StatusOr<size_t> PreloadAdjacencies() const;
  // The same, on background threads at low priority: returns at once, and
  // queries use each adjacency as soon as it is built. They stop
  // early at the first commit (which makes adjacencies stale), when the
  // budget is full, or when the Store is destroyed, which waits for it to
  // abandon the adjacency it is building (within one index step). It
  // runs once per Store: later calls, and calls after a commit, do
  // nothing. Errors are not reported: the first failed build ends the
  // warm-up, and the predicates left are built on demand.
  void WarmAdjacenciesInBackground();
  // The store-wide caches (never null; a zero budget disables one).
  TermCache* term_cache() const { return term_cache_.get(); }
  ProbeCache* probe_cache() const { return probe_cache_.get(); }
  AdjacencyCache* adjacency_cache() const { return adjacency_cache_.get(); }

  const std::string& path() const { return path_; }
  const StoreOptions& options() const { return options_; }
  // True for a kgstore-2 store opened read-only: its graph-first indexes
  // also hold the default graph's quads (under DefaultGraphFirstRange()),
  // which scans never read. Writable opens upgrade such a store to
  // kgstore-3 in place, removing them.
  bool graph_first_has_default() const { return graph_first_has_default_; }
  // The key range [first, second) of a graph-first index that the default
  // graph's quads would occupy.
  static std::pair<std::string, std::string> DefaultGraphFirstRange();

  // Label the store hands out for a blank node id, and the reverse.
  static std::string BlankLabel(TermId id);
  static std::optional<TermId> ParseBlankLabel(std::string_view label);

  // ---- for the storage layer's own writers (WriteTxn, BulkLoader) ----
  // The ordered key-value store under everything (ordered_kv.h).
  OrderedKv* kv() const { return kv_.get(); }
  // Whether index `perm` has a packed-block key space: false for the
  // graph-first ones, and for all in a kgstore-3 store opened read-only
  // (which has none).
  bool has_blocks_space(Permutation perm) const {
    return HasBlocksSpace(perm) && kv_->HasSpace(BlocksSpace(perm));
  }
  // Whether any packed block may exist. Never turns false again.
  bool has_blocks() const { return has_blocks_.load(); }
  // Called by a bulk load before it ingests packed blocks (writer lock
  // held), so every view that can see them looks for them.
  void NoteBlocksWritten() { has_blocks_.store(true); }
  std::unique_lock<std::mutex> LockWriter() {
    return std::unique_lock<std::mutex>(writer_mu_);
  }
  uint64_t next_id() const { return next_id_.load(); }
  // Called by writers after a successful commit (writer lock held).
  void Published(uint64_t next_id, StoreStatistics stats);
  // Writes meta's next-id entry (`next_id`, the value it already holds):
  // a write whose only effect is to advance the sequence number.
  // For the bulk loader, whose ingestion of SST files need not advance it,
  // while the caches keyed by it (adjacencies, probe answers) must see
  // every change of the data. Writer lock held.
  absl::Status AdvanceSequence(uint64_t next_id);
  // The meta column family entries that persist `stats` and `next_id`:
  // (key, value) pairs, value std::nullopt meaning "delete the key" (a
  // predicate or graph whose count dropped to zero). Only predicates and
  // graphs in the dirty sets are written; nullptr sets mean all of them.
  // Sorted by key.
  using MetaEntry = std::pair<std::string, std::optional<std::string>>;
  static std::vector<MetaEntry> MetaEntries(
      uint64_t next_id, const StoreStatistics& stats,
      const absl::flat_hash_set<TermId>* dirty_predicates,
      const absl::flat_hash_set<TermId>* dirty_graphs);
  // The term2id key of a serialized term.
  static std::string TermHashKey(std::string_view serialized);
  // The statistics (and the next id) persisted in the meta family as of
  // `options` (a snapshot, or the latest state).
  static absl::StatusOr<StoreStatistics> ReadStatistics(
      const OrderedKv& kv, const KvReadOptions& options,
      uint64_t* next_id = nullptr);

 private:
  Store() = default;
  // Checks (and upgrades) the format marker, then LoadStatistics.
  absl::Status LoadMeta();
  // Reads next_id and the statistics from meta.
  absl::Status LoadStatistics();
  // kgstore-2 -> kgstore-3 (see graph_first_has_default()).
  absl::Status UpgradeGraphFirstIndexes();
  // PreloadAdjacencies, stopping early once *stop is true.
  absl::StatusOr<size_t> BuildAdjacencies(const std::atomic<bool>* stop) const;

  std::string path_;
  StoreOptions options_;
  std::unique_ptr<OrderedKv> kv_;
  std::atomic<bool> has_blocks_{false};
  std::mutex writer_mu_;
  std::atomic<uint64_t> next_id_{1};
  mutable std::mutex stats_mu_;
  std::shared_ptr<const StoreStatistics> stats_ =
      std::make_shared<const StoreStatistics>();
  // The sequence number at which stats_ was read or published: a snapshot
  // with this number sees exactly stats_ (later writes advance it).
  uint64_t stats_sequence_ = 0;
  std::unique_ptr<TermCache> term_cache_;
  std::unique_ptr<ProbeCache> probe_cache_;
  std::unique_ptr<AdjacencyCache> adjacency_cache_;
  bool graph_first_has_default_ = false;
  // WarmAdjacenciesInBackground's thread; warm_stop_ ends it (a commit or
  // the destructor sets it).
  std::thread warm_thread_;
  std::atomic<bool> warm_stop_{false};
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_STORE_H_
