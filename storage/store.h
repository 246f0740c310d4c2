// Store: the RocksDB database behind a kgstore directory, its column
// families, the term dictionary, statistics, snapshot reads and the single
// writer. This is the storage layer's face to the engine; the public API
// (engine/database.h) wraps it.
//
// Column families (on-disk format in docs/STORAGE.md):
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
#include "storage/index_cursor.h"
#include "storage/predicate_adjacency.h"
#include "storage/probe_cache.h"
#include "storage/quad_index.h"
#include "storage/rdf/term.h"
#include "storage/term_cache.h"
#include "storage/term_id.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Snapshot;
class Iterator;
class Cache;
class WriteBatchWithIndex;
struct ReadOptions;
}  // namespace rocksdb

namespace kg {

// A quarter of the memory this process may use (physical memory, capped by
// a cgroup limit or RLIMIT_AS), at least 256 MiB: the default adjacency
// budget. Also declared in engine/database.h, the public header.
size_t DefaultAdjacencyCacheBytes();

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
  // adjacency (probe_cache.h); 0 disables. Default: 32 MiB.
  size_t probe_cache_bytes = size_t{32} << 20;
};

struct PredicateStats {
  uint64_t quads = 0;
  uint64_t distinct_subjects = 0;
  uint64_t distinct_objects = 0;
  friend bool operator==(const PredicateStats&, const PredicateStats&) =
      default;
};

// Exact counts, maintained by every commit and persisted with it.
struct StoreStatistics {
  uint64_t total_quads = 0;
  absl::flat_hash_map<TermId, PredicateStats> predicates;
  // Quads per graph (kDefaultGraph for the default graph); graphs with no
  // quads are absent.
  absl::flat_hash_map<TermId, uint64_t> graphs;
  friend bool operator==(const StoreStatistics&, const StoreStatistics&) =
      default;
};

class Store;

// Iterates the quads matching one prefix of one index, in index order.
// Usage: for (; it->Valid(); it->Next()) use(it->quad()); then check status().
class QuadIdIterator {
 public:
  virtual ~QuadIdIterator() = default;
  virtual bool Valid() const = 0;
  // The current quad; valid until the next call to Next().
  virtual const QuadIds& quad() const = 0;
  virtual void Next() = 0;
  // OK, or the error that ended the iteration early (Corruption, IOError).
  virtual absl::Status status() const = 0;
};

// A consistent snapshot of the store for reading. Cheap to create.
// Thread-safety: one thread at a time. Must not outlive its Store.
class ReadView {
 public:
  ~ReadView();
  // The text of an id. NotFound if the id is unknown (a sign of corruption
  // when it came from an index).
  absl::StatusOr<Term> Resolve(TermId id) const;
  // The id of a term if the store has it; std::nullopt otherwise (then no
  // quad mentions the term).
  absl::StatusOr<std::optional<TermId>> Lookup(const Term& term) const;
  // The same for a term that is neither inline nor a blank node, given as
  // SerializeTerm wrote it.
  absl::StatusOr<std::optional<TermId>> LookupSerialized(
      std::string_view serialized) const;
  // All quads whose positions in `bound_mask` (bit 0=S,1=P,2=O,3=G) equal
  // those of `pattern`; one prefix scan over the chosen index.
  std::unique_ptr<QuadIdIterator> Scan(const QuadIds& pattern,
                                       unsigned bound_mask) const;
  // Scans a whole index in key order (for checks and dumps). The
  // graph-first indexes hold only quads of named graphs (quad_index.h).
  std::unique_ptr<QuadIdIterator> ScanIndex(Permutation perm) const;
  // The quads whose key in `perm` lies in [lower, upper) (upper empty: to
  // the end), only those of the default graph when `default_graph_only`
  // (see PlanScan). Keys are encoded as in quad_index.h; used for range
  // scans over order-preserving inline values.
  std::unique_ptr<QuadIdIterator> ScanRange(
      Permutation perm, std::string lower, std::string upper,
      bool default_graph_only = false) const;
  // The in-memory adjacency of `predicate` (predicate_adjacency.h) when it
  // is cached for this snapshot, or when the demand of one scan with
  // `bound_mask` (P bound) makes building it worthwhile now; null
  // otherwise (then use Scan). Scan calls this itself; the query engine
  // calls it directly to intersect neighbour lists.
  std::shared_ptr<const PredicateAdjacency> AdjacencyFor(
      TermId predicate, unsigned bound_mask) const;
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
  // Scan without the in-memory adjacencies: always RocksDB.
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
  // A new cursor over `perm` at this view's snapshot, with `ro`'s other
  // settings (an upper bound, say).
  std::unique_ptr<IndexCursor> NewCursor(Permutation perm,
                                         const rocksdb::ReadOptions& ro) const;
  // Whether the index `perm` holds `key` (a full key): a point lookup
  // (bloom filter) of the plain keys, then of the packed blocks.
  absl::StatusOr<bool> Holds(Permutation perm, std::string_view key) const;

  const Store* store_;
  const rocksdb::Snapshot* snapshot_;
  uint64_t sequence_ = 0;  // the snapshot's RocksDB sequence number
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

// The one write transaction. Reads see the snapshot taken at Begin plus the
// transaction's own writes. Nothing is visible to others until Commit, which
// applies every change (indexes, dictionary, statistics) in one atomic
// RocksDB write. Destroying an uncommitted WriteTxn aborts it.
// Thread-safety: one thread at a time.
class WriteTxn {
 public:
  ~WriteTxn();
  // The id of `term`, allocating one (and a dictionary entry at commit) if
  // the store does not have it. Blank nodes: a label of the form the store
  // hands out ("kgb" + hex) refers to that stored node; any other label names
  // a new node, the same one for the same label within this transaction.
  absl::StatusOr<TermId> Intern(const Term& term);
  // Like Intern but never allocates.
  absl::StatusOr<std::optional<TermId>> Lookup(const Term& term);
  // Inserts a quad; false if it was already present.
  absl::StatusOr<bool> Insert(const QuadIds& quad);
  // Removes a quad from every index; false if it was absent.
  absl::StatusOr<bool> Remove(const QuadIds& quad);
  absl::StatusOr<Term> Resolve(TermId id) const;
  // Scans, seeing this transaction's own writes.
  std::unique_ptr<QuadIdIterator> Scan(const QuadIds& pattern,
                                       unsigned bound_mask) const;
  std::unique_ptr<QuadIdIterator> ScanRange(
      Permutation perm, std::string lower, std::string upper,
      bool default_graph_only = false) const;
  // Applies all changes atomically (and durably per StoreOptions). After a
  // failed commit nothing was applied. The transaction is finished either way.
  absl::Status Commit();
  // Discards all changes. Idempotent.
  void Abort();

 private:
  friend class Store;
  WriteTxn(Store* store, std::unique_lock<std::mutex> lock);
  bool PrefixExists(Permutation perm, const QuadIds& q, unsigned mask) const;
  // A cursor over `perm` that sees this transaction's own writes.
  std::unique_ptr<IndexCursor> NewCursor(Permutation perm,
                                         const rocksdb::ReadOptions& ro) const;
  // Whether the SPOG key of `q` exists, counting this transaction's writes.
  absl::StatusOr<bool> Holds(const std::string& spog_key) const;
  // Takes `key` out of the packed block of `perm` that holds it, if any
  // (rewriting the block, or deleting it when it empties).
  absl::Status RemoveFromBlocks(Permutation perm, const std::string& key);

  Store* store_;
  std::unique_lock<std::mutex> lock_;
  std::unique_ptr<ReadView> view_;
  std::unique_ptr<rocksdb::WriteBatchWithIndex> batch_;
  absl::flat_hash_map<std::string, TermId> new_terms_;  // serialized -> id
  absl::flat_hash_map<TermId, Term> new_terms_by_id_;
  absl::flat_hash_map<std::string, TermId> blank_labels_;
  StoreStatistics stats_;  // the statistics as they will be after commit
  absl::flat_hash_set<TermId> dirty_predicates_;
  absl::flat_hash_set<TermId> dirty_graphs_;
  uint64_t next_id_;
  bool finished_ = false;
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
  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* index_cf(Permutation perm) const {
    return index_cfs_[static_cast<int>(perm)];
  }
  // The packed-block column family of a graph-last index; null for the
  // graph-first ones, and for all in a kgstore-3 store opened read-only
  // (which has none).
  rocksdb::ColumnFamilyHandle* blocks_cf(Permutation perm) const {
    const int i = static_cast<int>(perm);
    return i < 3 ? blocks_cfs_[i] : nullptr;
  }
  // Whether any packed block may exist. Never turns false again.
  bool has_blocks() const { return has_blocks_.load(); }
  // Called by a bulk load before it ingests packed blocks (writer lock
  // held), so every view that can see them looks for them.
  void NoteBlocksWritten() { has_blocks_.store(true); }
  rocksdb::ColumnFamilyHandle* meta_cf() const { return meta_cf_; }
  rocksdb::ColumnFamilyHandle* id2term_cf() const { return id2term_cf_; }
  rocksdb::ColumnFamilyHandle* term2id_cf() const { return term2id_cf_; }
  std::unique_lock<std::mutex> LockWriter() {
    return std::unique_lock<std::mutex>(writer_mu_);
  }
  uint64_t next_id() const { return next_id_.load(); }
  // Called by writers after a successful commit (writer lock held).
  void Published(uint64_t next_id, StoreStatistics stats);
  // Writes meta's next-id entry (`next_id`, the value it already holds):
  // a write whose only effect is to advance the RocksDB sequence number.
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

 private:
  Store() = default;
  absl::Status LoadMeta();
  // kgstore-2 -> kgstore-3 (see graph_first_has_default()).
  absl::Status UpgradeGraphFirstIndexes();
  // PreloadAdjacencies, stopping early once *stop is true.
  absl::StatusOr<size_t> BuildAdjacencies(const std::atomic<bool>* stop) const;

  std::string path_;
  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* meta_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* id2term_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* term2id_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* index_cfs_[kNumPermutations] = {};
  rocksdb::ColumnFamilyHandle* blocks_cfs_[3] = {};
  std::atomic<bool> has_blocks_{false};
  std::mutex writer_mu_;
  std::atomic<uint64_t> next_id_{1};
  mutable std::mutex stats_mu_;
  std::shared_ptr<const StoreStatistics> stats_ =
      std::make_shared<const StoreStatistics>();
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
