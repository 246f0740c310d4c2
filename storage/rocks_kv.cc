// RocksKv (rocks_kv.h): the key-value seam on RocksDB. Reads, batches,
// commits, ingestion and upkeep; opening is in rocks_kv_open.cc, the file
// system under the database in rocks_kv_files.cc.

#include "storage/rocks_kv.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/file_system.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_writer.h"
#include "rocksdb/utilities/write_batch_with_index.h"
#include "storage/rocks_kv_internal.h"
#include "storage/rocks_status.h"

namespace kg {

using rocks_kv_internal::S;

namespace {

class RocksKvSnapshot final : public KvSnapshot {
 public:
  explicit RocksKvSnapshot(rocksdb::DB* db)
      : db_(db), snapshot_(db->GetSnapshot()) {}
  ~RocksKvSnapshot() override { db_->ReleaseSnapshot(snapshot_); }
  uint64_t sequence() const override {
    return snapshot_->GetSequenceNumber();
  }
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

const rocksdb::Snapshot* Raw(const KvSnapshot* snapshot) {
  return snapshot ? static_cast<const RocksKvSnapshot*>(snapshot)->get()
                  : nullptr;
}

// A RocksDB iterator (of the database, or of a batch over it) with its
// upper bound's bytes.
//
// RocksDB 7.8's merging iterator can drop the error of one of the table
// files it merges (a block it could not read) and go on with the others,
// still valid and with an OK status: a scan would silently miss keys, and
// an update acting on its rows would change the wrong quads (found by
// tests/faults; fixed upstream in RocksDB 8.6, facebook/rocksdb#11782). So
// every move also checks the store's count of failed table reads: one
// since the last seek ends the scan with an error. (A failed read of
// another thread's, at the same moment, ends it too: rare, and a retry
// works.)
class RocksKvIterator final : public KvIterator {
 public:
  RocksKvIterator(const KvReadOptions& options, RocksKv::ReadErrors* errors)
      : upper_(S(options.upper_bound)), errors_(errors) {
    ro_.snapshot = Raw(options.snapshot);
    ro_.fill_cache = options.fill_cache;
    if (!options.upper_bound.empty()) ro_.iterate_upper_bound = &upper_;
  }
  // The options for the iterator to wrap: they point into this object.
  const rocksdb::ReadOptions& read_options() const { return ro_; }
  void Wrap(rocksdb::Iterator* it) { it_.reset(it); }

  void Seek(std::string_view target) override {
    errors_seen_ = errors_->count.load(std::memory_order_acquire);
    it_->Seek(S(target));
    Sync();
  }
  void SeekToFirst() override {
    errors_seen_ = errors_->count.load(std::memory_order_acquire);
    it_->SeekToFirst();
    Sync();
  }
  void Next() override {
    it_->Next();
    Sync();
  }
  std::string_view value() const override {
    const rocksdb::Slice v = it_->value();
    return std::string_view(v.data(), v.size());
  }

 private:
  void Sync() {
    if (errors_->count.load(std::memory_order_acquire) != errors_seen_)
        [[unlikely]] {
      valid_ = false;
      status_ = absl::UnavailableError(absl::StrCat(
          "a read of the store failed during the scan (", errors_->Last(),
          "); the scan stops rather than skip what could not be read"));
      return;
    }
    valid_ = it_->Valid();
    if (valid_) [[likely]] {
      const rocksdb::Slice k = it_->key();
      key_ = std::string_view(k.data(), k.size());
      if (!status_.ok()) status_ = absl::OkStatus();
      return;
    }
    status_ = FromRocks(it_->status());
  }

  rocksdb::Slice upper_;
  rocksdb::ReadOptions ro_;
  std::unique_ptr<rocksdb::Iterator> it_;
  RocksKv::ReadErrors* errors_;
  uint64_t errors_seen_ = 0;
};

class RocksKvBatch final : public KvBatch {
 public:
  RocksKvBatch(const RocksKv* kv, bool readable) : kv_(kv) {
    if (readable)
      indexed_ = std::make_unique<rocksdb::WriteBatchWithIndex>(
          rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true);
  }
  absl::Status Put(KeySpace space, std::string_view key,
                   std::string_view value) override {
    rocksdb::ColumnFamilyHandle* cf = kv_->handle(space);
    return FromRocks(indexed_ ? indexed_->Put(cf, S(key), S(value))
                              : plain_.Put(cf, S(key), S(value)));
  }
  absl::Status Delete(KeySpace space, std::string_view key) override {
    rocksdb::ColumnFamilyHandle* cf = kv_->handle(space);
    return FromRocks(indexed_ ? indexed_->Delete(cf, S(key))
                              : plain_.Delete(cf, S(key)));
  }
  absl::Status DeleteRange(KeySpace space, std::string_view begin,
                           std::string_view end) override {
    if (indexed_)
      return absl::UnimplementedError("range deletion in a readable batch");
    return FromRocks(plain_.DeleteRange(kv_->handle(space), S(begin), S(end)));
  }
  void Clear() override {
    if (indexed_) {
      indexed_->Clear();
    } else {
      plain_.Clear();
    }
  }
  absl::StatusOr<bool> Get(const KvSnapshot* snapshot, KeySpace space,
                           std::string_view key,
                           std::string* value) const override {
    if (!indexed_) return absl::FailedPreconditionError("batch not readable");
    rocksdb::ReadOptions ro;
    ro.snapshot = Raw(snapshot);
    rocksdb::Status s = indexed_->GetFromBatchAndDB(
        kv_->db(), ro, kv_->handle(space), S(key), value);
    if (s.ok()) return true;
    if (s.IsNotFound()) return false;
    return FromRocks(s);
  }
  std::unique_ptr<KvIterator> NewIterator(
      KeySpace space, const KvReadOptions& options) const override {
    if (!indexed_) return nullptr;
    // The bound goes to the database's iterator; the batch's entries are
    // merged in unbounded (callers check their own bounds).
    auto it = std::make_unique<RocksKvIterator>(options, kv_->read_errors());
    rocksdb::ColumnFamilyHandle* cf = kv_->handle(space);
    it->Wrap(indexed_->NewIteratorWithBase(
        cf, kv_->db()->NewIterator(it->read_options(), cf)));
    return it;
  }
  rocksdb::WriteBatch* batch() {
    return indexed_ ? indexed_->GetWriteBatch() : &plain_;
  }

 private:
  const RocksKv* kv_;
  rocksdb::WriteBatch plain_;
  std::unique_ptr<rocksdb::WriteBatchWithIndex> indexed_;
};

// Writes sorted (key, value) pairs of one column family to an SST file.
// invalidate_page_cache off: by default the writer drops every written
// megabyte from the OS page cache (fadvise), which costs a system call
// per megabyte and makes the first queries after a load read the fresh
// files back from disk.
// `compression`: the files are ingested into the bottom level, so the
// writer would take the column family's bottommost compression (ZSTD);
// this replaces it.
class RocksKvFileWriter final : public KvFileWriter {
 public:
  static rocksdb::Options WithCompression(rocksdb::Options o,
                                          rocksdb::CompressionType c) {
    o.bottommost_compression = c;
    return o;
  }
  RocksKvFileWriter(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                    std::string path, rocksdb::CompressionType compression)
      : writer_(rocksdb::EnvOptions(),
                WithCompression(db->GetOptions(cf), compression), cf,
                /*invalidate_page_cache=*/false),
        path_(std::move(path)) {}
  absl::Status Put(std::string_view key, std::string_view value) override {
    if (!open_) {
      rocksdb::Status s = writer_.Open(path_);
      if (!s.ok()) return FromRocks(s, "bulk load: create SST");
      open_ = true;
    }
    rocksdb::Status s = writer_.Put(S(key), S(value));
    if (s.ok()) [[likely]]
      return absl::OkStatus();
    return FromRocks(s, "bulk load: write SST");
  }
  absl::StatusOr<std::string> Finish() override {
    if (!open_) return std::string();
    rocksdb::Status s = writer_.Finish();
    if (!s.ok()) return FromRocks(s, "bulk load: finish SST");
    return path_;
  }

 private:
  rocksdb::SstFileWriter writer_;
  std::string path_;
  bool open_ = false;
};

}  // namespace

RocksKv::~RocksKv() {
  if (db_) {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close().PermitUncheckedError();
  }
}

bool RocksKv::HasSpace(KeySpace space) const {
  return handle(space) != nullptr;
}

std::unique_ptr<KvSnapshot> RocksKv::GetSnapshot() const {
  return std::make_unique<RocksKvSnapshot>(db_.get());
}

absl::StatusOr<bool> RocksKv::Get(const KvSnapshot* snapshot, KeySpace space,
                                  std::string_view key,
                                  std::string* value) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = Raw(snapshot);
  rocksdb::PinnableSlice pinned;
  rocksdb::Status s = db_->Get(ro, handle(space), S(key), &pinned);
  if (s.ok()) {
    value->assign(pinned.data(), pinned.size());
    return true;
  }
  if (s.IsNotFound()) return false;
  return FromRocks(s);
}

std::unique_ptr<KvIterator> RocksKv::NewIterator(
    KeySpace space, const KvReadOptions& options) const {
  auto it = std::make_unique<RocksKvIterator>(options, read_errors());
  it->Wrap(db_->NewIterator(it->read_options(), handle(space)));
  return it;
}

std::unique_ptr<KvBatch> RocksKv::NewBatch(bool readable) const {
  return std::make_unique<RocksKvBatch>(this, readable);
}

// After an I/O error of a commit (writing or syncing the write-ahead log,
// or its folder) or of an ingestion (linking, syncing, the MANIFEST), the
// change may or may not be on disk, and RocksDB's own state is in doubt
// too: RocksDB 7.8, resumed after a failed sync, gave the next commit the
// sequence numbers of the failed one, in the same log, and the next open
// died on an assertion replaying it (found by tests/faults). So nothing
// more is written until the store is reopened: the open replays the log
// and settles the doubt (the failed change is then wholly there or wholly
// absent).
absl::Status RocksKv::WritesStopped() const {
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (writes_stopped_.ok()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the store takes no more writes until it is reopened: an earlier "
      "write failed (", writes_stopped_.message(),
      "); what was committed before that is kept"));
}

absl::Status RocksKv::WriteFailed(const rocksdb::Status& s) {
  absl::Status error = FromRocks(s);
  if (!s.IsIOError() && !s.IsCorruption()) return error;
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (writes_stopped_.ok()) writes_stopped_ = error;
  }
  return absl::Status(
      error.code(),
      absl::StrCat(error.message(),
                   " (the store takes no more writes until it is reopened, "
                   "which settles whether this change is in; what was "
                   "committed before it is kept)"));
}

absl::Status RocksKv::CompactionFailed(const rocksdb::Status& s) {
  absl::Status error = FromRocks(s);
  // A compaction's I/O error stops RocksDB's writes (until Resume, which
  // clears what it can: a compaction leaves the data as it was).
  if (!db_->Resume().ok())
    return absl::Status(
        error.code(),
        absl::StrCat(error.message(),
                     " (the store takes no more writes until it is "
                     "reopened; its data is as before the compaction)"));
  return error;
}

absl::Status RocksKv::Write(KvBatch& batch, bool sync) {
  if (absl::Status stopped = WritesStopped(); !stopped.ok()) return stopped;
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  rocksdb::Status s =
      db_->Write(wo, static_cast<RocksKvBatch&>(batch).batch());
  return s.ok() ? absl::OkStatus() : WriteFailed(s);
}

std::unique_ptr<KvFileWriter> RocksKv::NewFileWriter(
    KeySpace space, std::string path, bool compress_for_size) const {
  // LZ4 by default: ZSTD took a fifth of the load's CPU time for 30%
  // smaller files, and a compaction can make that trade later.
  return std::make_unique<RocksKvFileWriter>(
      db_.get(), handle(space), std::move(path),
      compress_for_size ? rocksdb::kZSTD : rocksdb::kLZ4Compression);
}

std::string RocksKv::ManifestState() const {
  rocksdb::FileSystem* fs = fs_->target();
  const rocksdb::IOOptions io;
  std::vector<std::string> children;
  if (!fs->GetChildren(db_->GetName(), io, &children, nullptr).ok()) return {};
  std::sort(children.begin(), children.end());
  std::string state;
  for (const std::string& name : children) {
    if (name != "CURRENT" && !name.starts_with("MANIFEST-")) continue;
    uint64_t size = 0;
    fs->GetFileSize(db_->GetName() + "/" + name, io, &size, nullptr)
        .PermitUncheckedError();
    absl::StrAppend(&state, name, ":", size, " ");
  }
  return state;
}

absl::Status RocksKv::IngestFiles(std::vector<SpaceFiles> files) {
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (auto& [space, paths] : files) {
    if (paths.empty()) continue;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = handle(space);
    arg.external_files = std::move(paths);
    arg.options.move_files = true;
    arg.options.snapshot_consistency = true;
    arg.options.allow_global_seqno = true;
    arg.options.allow_blocking_flush = true;
    args.push_back(std::move(arg));
  }
  if (absl::Status stopped = WritesStopped(); !stopped.ok()) return stopped;
  // It writes the MANIFEST synchronously: nothing else to sync.
  fs_->Take();
  const std::string manifests_before = ManifestState();
  rocksdb::Status s = db_->IngestExternalFiles(args);
  const std::vector<std::pair<std::string, std::string>> links = fs_->Take();
  if (s.ok()) return absl::OkStatus();
  // RocksDB 7.8 links the files into the store, appends the change to its
  // MANIFEST and syncs it; when that write or sync fails, it deletes the
  // linked files, although the MANIFEST record naming them may be on disk
  // (a sync that failed after the bytes were written): the next open then
  // fails ("No such file ... in file MANIFEST-..."), and the store could
  // not be opened at all (found by tests/faults). The files are linked
  // back from their originals, which a failed ingestion leaves in place:
  // if the record is on disk, the next open finds them and the load is
  // wholly in the store (like a commit whose log sync failed, it was in
  // doubt); if not, the next open deletes them as files nothing names.
  // Only when a MANIFEST changed on disk meanwhile can it name them;
  // otherwise the linked files are rightly gone.
  if (!links.empty() && ManifestState() != manifests_before) {
    rocksdb::FileSystem* fs = fs_->target();
    const rocksdb::IOOptions io;
    bool relinked = false;
    for (const auto& [src, dst] : links) {
      if (fs->FileExists(dst, io, nullptr).ok()) continue;
      relinked = fs->LinkFile(src, dst, io, nullptr).ok() || relinked;
    }
    std::unique_ptr<rocksdb::FSDirectory> dir;
    if (relinked &&
        fs->NewDirectory(db_->GetName(), io, &dir, nullptr).ok())
      dir->Fsync(io, nullptr).PermitUncheckedError();
  }
  return WriteFailed(s);
}

uint64_t RocksKv::LatestSequence() const {
  return db_->GetLatestSequenceNumber();
}

absl::Status RocksKv::CompactRange(KeySpace space, std::string_view begin,
                                   std::string_view end) {
  rocksdb::CompactRangeOptions cro;
  const rocksdb::Slice b = S(begin), e = S(end);
  if (absl::Status stopped = WritesStopped(); !stopped.ok()) return stopped;
  rocksdb::Status s = db_->CompactRange(cro, handle(space), &b, &e);
  return s.ok() ? absl::OkStatus() : CompactionFailed(s);
}

absl::Status RocksKv::CompactAll() {
  if (absl::Status stopped = WritesStopped(); !stopped.ok()) return stopped;
  rocksdb::CompactRangeOptions cro;
  cro.bottommost_level_compaction =
      rocksdb::BottommostLevelCompaction::kForceOptimized;
  for (auto* h : handles_) {
    rocksdb::Status s = db_->CompactRange(cro, h, nullptr, nullptr);
    if (!s.ok()) return CompactionFailed(s);
  }
  return absl::OkStatus();
}

absl::Status RocksKv::VerifyChecksums() const {
  rocksdb::Status s = db_->VerifyChecksum();
  // A read-only open beside a live writer process lists the files of its
  // open; the writer's compactions may have deleted some since. Reading
  // one afresh then finds no file: that is the writer's progress, not
  // damage (this open's reads use the copies it holds open, and check
  // their blocks' checksums as they read them).
  if (read_only_ && s.IsPathNotFound()) return absl::OkStatus();
  return FromRocks(s);
}

uint64_t RocksKv::LiveBytes() const {
  uint64_t total = 0;
  for (auto* h : handles_) {
    uint64_t v = 0;
    if (db_->GetIntProperty(h, "rocksdb.live-sst-files-size", &v)) total += v;
  }
  return total;
}

}  // namespace kg

