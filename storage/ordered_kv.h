// OrderedKv: the ordered key-value store under the indexes, the
// dictionary and the statistics -- everything the storage layer needs
// from RocksDB, and no more (docs/STORAGE.md, "The key-value seam").
//
//   reads     Get (point lookup), NewIterator (Seek / SeekToFirst / Next
//             over one key space, optionally below an upper bound), both
//             at a snapshot or at the latest state
//   snapshot  GetSnapshot: a consistent point in time; its sequence number
//             changes with every write and ingestion
//   writes    KvBatch (puts, deletes, range deletes), applied by Write
//             atomically across key spaces; a readable batch also reads
//             through itself (a write transaction sees its own writes)
//   bulk      NewFileWriter writes one key space's sorted entries to a
//             file; IngestFiles adds many files, of several key spaces,
//             in one atomic step
//   upkeep    CompactRange, CompactAll, LiveBytes, VerifyChecksums
//
// Keys compare bytewise. Key spaces are the store's twelve (KeySpace): one
// RocksDB column family each in RocksKv (rocks_kv.h), the only backend.
// Opening a backend is the backend's own business (RocksKv::Open); Store
// names the backend in Store::Open and nowhere else.
//
// Errors carry the backend's own words (and status code); callers say
// what they were doing with WithContext. KvFileWriter's are the exception:
// they say it themselves.
//
// Thread-safety: an OrderedKv and its snapshots are safe for concurrent
// use; an iterator, a batch or a file writer is used by one thread at a
// time.

#ifndef KGSTORE_STORAGE_ORDERED_KV_H_
#define KGSTORE_STORAGE_ORDERED_KV_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/quad_index.h"

namespace kg {

// `s` with "what: " before its message; OK stays OK.
inline absl::Status WithContext(const absl::Status& s, std::string_view what) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat(Sv(what), ": ", s.message()));
}

// The store's key spaces (docs/STORAGE.md, "One store = one RocksDB
// database"). The numbering is not persisted.
enum class KeySpace : uint8_t {
  kMeta = 0,
  kId2Term,
  kTerm2Id,
  kSpog,  // the six indexes, in Permutation order
  kPosg,
  kOspg,
  kGspo,
  kGpos,
  kGosp,
  kSpogBlocks,  // the packed blocks of the three graph-last indexes
  kPosgBlocks,
  kOspgBlocks,
};
inline constexpr int kNumKeySpaces = 12;

// The key space of index `perm`.
inline KeySpace IndexSpace(Permutation perm) {
  return static_cast<KeySpace>(static_cast<int>(KeySpace::kSpog) +
                               static_cast<int>(perm));
}
// The packed-block key space of a graph-last index (perm < kGSPO).
inline KeySpace BlocksSpace(Permutation perm) {
  return static_cast<KeySpace>(static_cast<int>(KeySpace::kSpogBlocks) +
                               static_cast<int>(perm));
}
// Whether `perm` has a packed-block key space at all.
inline bool HasBlocksSpace(Permutation perm) {
  return static_cast<int>(perm) < 3;
}

// A consistent point in time. Release it (destroy it) before its store.
class KvSnapshot {
 public:
  virtual ~KvSnapshot() = default;
  // Grows with every write and ingestion: two snapshots with the same
  // number see the same data (the caches of adjacencies and probes are
  // keyed by it).
  virtual uint64_t sequence() const = 0;
};

struct KvReadOptions {
  // At `snapshot`, without a bound.
  static KvReadOptions At(const KvSnapshot* snapshot) {
    KvReadOptions o;
    o.snapshot = snapshot;
    return o;
  }
  // Null: the latest state.
  const KvSnapshot* snapshot = nullptr;
  // Keys at or above it are not returned; empty: no bound. The bytes must
  // outlive the iterator.
  std::string_view upper_bound;
  // Whether the blocks read are kept in the block cache. False for a scan
  // whose blocks will not be read again soon (building an adjacency reads
  // a whole predicate once): it would evict what queries read.
  bool fill_cache = true;
};

// An ordered cursor over one key space. Valid(), key() and status() are
// plain member reads (the implementation sets them on every move): a scan
// pays one virtual call per row, for Next.
class KvIterator {
 public:
  virtual ~KvIterator() = default;
  // Positions at the first key >= target.
  virtual void Seek(std::string_view target) = 0;
  virtual void SeekToFirst() = 0;
  // Requires Valid().
  virtual void Next() = 0;
  // The current entry's value; valid until the next move. Requires Valid().
  virtual std::string_view value() const = 0;

  // Whether positioned at an entry: false at the end and on errors.
  bool Valid() const { return valid_; }
  // The current key; valid until the next move. Requires Valid().
  std::string_view key() const { return key_; }
  // OK, or the error that ended the iteration (then !Valid()).
  const absl::Status& status() const { return status_; }

 protected:
  bool valid_ = false;
  std::string_view key_;
  absl::Status status_;
};

// Changes to apply together (OrderedKv::Write). A readable batch (a
// transaction's) also reads: its own changes over the store at a snapshot.
class KvBatch {
 public:
  virtual ~KvBatch() = default;
  virtual absl::Status Put(KeySpace space, std::string_view key,
                           std::string_view value) = 0;
  virtual absl::Status Delete(KeySpace space, std::string_view key) = 0;
  // Deletes every key in [begin, end). Not on readable batches
  // (Unimplemented).
  virtual absl::Status DeleteRange(KeySpace space, std::string_view begin,
                                   std::string_view end) = 0;
  // Forgets every change.
  virtual void Clear() = 0;
  // Readable batches only: like OrderedKv::Get and NewIterator, with this
  // batch's changes applied over the store's state at options.snapshot.
  // A write to the batch invalidates the current key and value of its open
  // iterators (copy them first). The upper bound applies to the store's
  // entries only (callers check their own bounds). Non-readable batches:
  // FailedPrecondition / null.
  virtual absl::StatusOr<bool> Get(const KvSnapshot* snapshot, KeySpace space,
                                   std::string_view key,
                                   std::string* value) const = 0;
  virtual std::unique_ptr<KvIterator> NewIterator(
      KeySpace space, const KvReadOptions& options) const = 0;
};

// Writes one key space's entries, in ascending key order without
// duplicates, to a file for IngestFiles.
class KvFileWriter {
 public:
  virtual ~KvFileWriter() = default;
  virtual absl::Status Put(std::string_view key, std::string_view value) = 0;
  // The file to ingest, or empty if nothing was written.
  virtual absl::StatusOr<std::string> Finish() = 0;
};

class OrderedKv {
 public:
  virtual ~OrderedKv() = default;

  // Whether the key space exists: all do, except in a store of an older
  // format opened read-only (a kgstore-3 store has no block spaces).
  virtual bool HasSpace(KeySpace space) const = 0;

  // ---- reads ----
  virtual std::unique_ptr<KvSnapshot> GetSnapshot() const = 0;
  // The value of `key` at `snapshot` (null: the latest state) into
  // *value; false (and *value untouched) if there is none.
  virtual absl::StatusOr<bool> Get(const KvSnapshot* snapshot, KeySpace space,
                                   std::string_view key,
                                   std::string* value) const = 0;
  // A cursor over `space`, positioned nowhere: Seek or SeekToFirst first.
  virtual std::unique_ptr<KvIterator> NewIterator(
      KeySpace space, const KvReadOptions& options) const = 0;

  // ---- writes ----
  // `readable`: the batch also reads (KvBatch::Get, NewIterator).
  virtual std::unique_ptr<KvBatch> NewBatch(bool readable) const = 0;
  // Applies every change of `batch` (made by this store's NewBatch)
  // atomically; with `sync`, durably before returning. The batch is left
  // as it was.
  virtual absl::Status Write(KvBatch& batch, bool sync) = 0;

  // ---- bulk ingestion ----
  // A writer of a file at `path` for `space`. `compress_for_size`: the
  // smaller, slower compression (docs/STORAGE.md, "Compression").
  virtual std::unique_ptr<KvFileWriter> NewFileWriter(
      KeySpace space, std::string path, bool compress_for_size) const = 0;
  // Adds the files (KvFileWriter::Finish's) atomically: a failure leaves
  // the store as it was, success makes every entry visible at once.
  // Entries shadow older ones with the same key. The files are moved in.
  using SpaceFiles = std::pair<KeySpace, std::vector<std::string>>;
  virtual absl::Status IngestFiles(std::vector<SpaceFiles> files) = 0;
  // The sequence number a snapshot taken now would have.
  virtual uint64_t LatestSequence() const = 0;

  // ---- upkeep ----
  // Compacts [begin, end) of `space`: gives back the room of deleted
  // entries there now rather than at some later compaction.
  virtual absl::Status CompactRange(KeySpace space, std::string_view begin,
                                    std::string_view end) = 0;
  // Compacts everything, the bottom level too (rewritten with the
  // bottommost compression).
  virtual absl::Status CompactAll() = 0;
  // Approximate bytes on disk of all live data files.
  virtual uint64_t LiveBytes() const = 0;
  // Reads every stored byte and checks it against its checksum: OK, or
  // the first damage found (DataLoss) or read error.
  virtual absl::Status VerifyChecksums() const = 0;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_ORDERED_KV_H_
