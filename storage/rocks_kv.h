// RocksKv: the OrderedKv (ordered_kv.h) on RocksDB, one column family per
// key space, with the tuning docs/STORAGE.md describes ("Compression and
// tuning"). The only backend; Store::Open opens it.

#ifndef KGSTORE_STORAGE_ROCKS_KV_H_
#define KGSTORE_STORAGE_ROCKS_KV_H_

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/ordered_kv.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Env;
class Status;
}  // namespace rocksdb

namespace kg {

struct RocksKvOptions {
  bool create_if_missing = true;
  bool read_only = false;
  size_t block_cache_bytes = size_t{256} << 20;
  // Null: RocksDB's default Env (StoreOptions::env).
  rocksdb::Env* env = nullptr;
};

class RocksKv final : public OrderedKv {
 public:
  // Opens (or creates) the RocksDB database in directory `path` with the
  // store's column families. A database with families of other names is
  // refused; one without the packed-block families (kgstore-3) gets them,
  // or goes without when opened read-only (HasSpace says).
  // Errors: NotFound (no store, create_if_missing false or read-only);
  // FailedPrecondition (a file, a non-empty directory without a database,
  // a RocksDB database of something else, or the lock is held); DataLoss
  // (a damaged store: a MANIFEST, log record or table file that fails its
  // checksum; table files are checked before RocksDB parses them,
  // table_file_check.h); Unavailable (a read-only open whose store's file
  // set kept changing under a writer in another process through every
  // attempt: try again); others for I/O. A failed open removes a
  // directory it created.
  static absl::StatusOr<std::unique_ptr<RocksKv>> Open(
      const std::string& path, const RocksKvOptions& options);
  ~RocksKv() override;

  // Whether Open created the store's directory (so that a later failure
  // of the store's own open can remove it again).
  bool created_directory() const { return created_directory_; }

  bool HasSpace(KeySpace space) const override;
  std::unique_ptr<KvSnapshot> GetSnapshot() const override;
  absl::StatusOr<bool> Get(const KvSnapshot* snapshot, KeySpace space,
                           std::string_view key,
                           std::string* value) const override;
  std::unique_ptr<KvIterator> NewIterator(
      KeySpace space, const KvReadOptions& options) const override;
  std::unique_ptr<KvBatch> NewBatch(bool readable) const override;
  absl::Status Write(KvBatch& batch, bool sync) override;
  std::unique_ptr<KvFileWriter> NewFileWriter(
      KeySpace space, std::string path, bool compress_for_size) const override;
  absl::Status IngestFiles(std::vector<SpaceFiles> files) override;
  uint64_t LatestSequence() const override;
  absl::Status CompactRange(KeySpace space, std::string_view begin,
                            std::string_view end) override;
  absl::Status CompactAll() override;
  uint64_t LiveBytes() const override;
  absl::Status VerifyChecksums() const override;

  // Failed reads of table files, which every iterator watches (rocks_kv.cc:
  // RocksKvIterator says why). For rocks_kv.cc's own classes.
  struct ReadErrors;
  ReadErrors* read_errors() const;

  // Past the seam, for tests that look at RocksDB itself (SST properties,
  // a planted corruption). Null for a key space the store lacks.
  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* handle(KeySpace space) const {
    return spaces_[static_cast<int>(space)];
  }

 private:
  RocksKv() = default;
  // OK, or the refusal of every write after an I/O error of a commit or
  // an ingestion (rocks_kv.cc says why).
  absl::Status WritesStopped() const;
  // The error of a failed Write or IngestFiles; stops writes after an I/O
  // error or corruption.
  absl::Status WriteFailed(const rocksdb::Status& s);
  // The error of a failed compaction; says when RocksDB stopped writes.
  absl::Status CompactionFailed(const rocksdb::Status& s);
  // The names and sizes of the MANIFEST files and CURRENT on disk (what
  // a failed ingestion may have changed).
  std::string ManifestState() const;

  // The file system under the database, which notes the files an
  // ingestion links in (IngestFiles says why) and counts failed reads of
  // table files (RocksKvIterator says why), and the Env over it.
  // Declared before db_: they must outlive it.
  class WatchingFileSystem;
  std::shared_ptr<WatchingFileSystem> fs_;
  std::unique_ptr<rocksdb::Env> env_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // all, "default" too
  rocksdb::ColumnFamilyHandle* spaces_[kNumKeySpaces] = {};
  bool created_directory_ = false;
  bool read_only_ = false;
  mutable std::mutex stop_mu_;
  absl::Status writes_stopped_;  // the error that stopped writes
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_ROCKS_KV_H_
