// FaultyFileSystem: a RocksDB FileSystem for tests that fails file
// operations on demand and simulates a power loss (docs/SAFETY.md, "Fault
// injection").
//
//   auto fs = std::make_shared<FaultyFileSystem>();
//   auto db = OpenWithFileSystem(path, {}, fs);     // every file through fs
//   fs->SetRules({{.op = FaultOp::kSync, .nth = 2}}, /*seed=*/1);
//   ... an operation, which must fail cleanly ...
//   fs->PowerLoss([&] { db->reset(); });  // unsynced data gone
//
// Faults. A rule names an operation kind and, optionally, a part of the
// path; it fails the nth matching call (counted from SetRules), or each
// one with a probability drawn from the seed, with an I/O error or a
// "no space left on device" error (as Linux's ENOSPC reaches RocksDB:
// IOStatus::NoSpace, retryable). A sticky rule keeps failing every later
// matching call once it has failed one (a disk that stays full). A failed
// write writes nothing; a failed sync leaves the bytes written but not
// durable; a failed creation or rename changes nothing.
//
// A rule with power_off cuts the power at a chosen call instead, in the
// middle of whatever RocksDB was doing.
//
// Power loss, the idea of RocksDB's FaultInjectionTestFS (none of its
// code): every file written through this file system remembers how many
// of its bytes were synced; each directory, which files were created in it
// (or renamed into it) since its last fsync, and what those names held
// before. PowerLoss stops the file system (every later write, sync,
// creation, rename and deletion fails, as on a machine that is off), runs
// the caller's close of the database, then cuts every file back to its
// synced length, removes the files whose directory entry was never
// synced, puts back what an unsynced rename replaced, and starts the file
// system again. Not modelled: unsynced deletions (a deleted file stays
// deleted), writes through RandomRWFile (faults only), and reordering
// within a sync (a sync makes everything before it durable).
//
// Thread-safe: RocksDB calls it from its background threads too.

#ifndef KGSTORE_TESTS_UTIL_FAULTY_FILE_SYSTEM_H_
#define KGSTORE_TESTS_UTIL_FAULTY_FILE_SYSTEM_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/database.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace kg::testing {

enum class FaultOp : uint8_t {
  kWrite,   // Append / PositionedAppend / Truncate of a file being written
  kSync,    // Sync / Fsync of a file, Fsync of a directory
  kRead,    // a read, or opening a file for reading
  kCreate,  // creating (or reopening) a file for writing, creating a folder
  kRename,  // RenameFile, LinkFile (bulk ingestion moves files by linking)
  kAnyChange,  // a rule only: any of write, sync, create, rename
};
const char* FaultOpName(FaultOp op);

struct FaultRule {
  FaultOp op = FaultOp::kWrite;
  // Fail the nth matching call (1 = the first) after SetRules; 0: none.
  uint64_t nth = 0;
  // Fail each matching call with this probability (from the seed).
  double probability = 0;
  // Once one call failed, fail every later matching call too.
  bool sticky = false;
  // "No space left on device" (IOStatus::NoSpace) instead of an I/O error.
  bool no_space = false;
  // The power goes off at that call instead: it and every later write,
  // sync, creation, rename and deletion fail until PowerLoss (which the
  // test then calls to drop what was not durable).
  bool power_off = false;
  // Only files whose path contains this; empty: every file.
  std::string path_contains;
  // Not files whose path contains this; empty: none left out.
  std::string path_excludes;
};

class FaultyFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit FaultyFileSystem(
      std::shared_ptr<rocksdb::FileSystem> base = rocksdb::FileSystem::Default());
  ~FaultyFileSystem() override;
  const char* Name() const override { return "FaultyFileSystem"; }

  // An Env whose file system is this one (for DBOptions::env); lives as
  // long as this object.
  rocksdb::Env* env() const { return env_.get(); }

  // Replaces the rules and restarts their counts. Empty: no faults.
  void SetRules(std::vector<FaultRule> rules, uint64_t seed = 1);
  void ClearRules() { SetRules({}); }
  // Matching calls of rule i since SetRules (a rule with nth 0 and
  // probability 0 only counts: how many calls an operation makes).
  uint64_t RuleCalls(size_t i) const;
  // Faults injected since construction, and a line for the last one.
  uint64_t injected() const;
  std::string last_fault() const;

  // Simulates a power loss: stops the file system, runs `close` (which
  // destroys the Database), drops what was not durable (see above) and
  // starts the file system again. Returns how many bytes were dropped.
  uint64_t PowerLoss(const std::function<void()>& close);
  // Bytes and files dropped by all power losses.
  uint64_t dropped_bytes() const;
  uint64_t dropped_files() const;

  // ---- FileSystem ----
  rocksdb::IOStatus NewSequentialFile(
      const std::string& f, const rocksdb::FileOptions& o,
      std::unique_ptr<rocksdb::FSSequentialFile>* r,
      rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus NewRandomAccessFile(
      const std::string& f, const rocksdb::FileOptions& o,
      std::unique_ptr<rocksdb::FSRandomAccessFile>* r,
      rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus NewWritableFile(
      const std::string& f, const rocksdb::FileOptions& o,
      std::unique_ptr<rocksdb::FSWritableFile>* r,
      rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus ReopenWritableFile(
      const std::string& f, const rocksdb::FileOptions& o,
      std::unique_ptr<rocksdb::FSWritableFile>* r,
      rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus ReuseWritableFile(
      const std::string& f, const std::string& old,
      const rocksdb::FileOptions& o,
      std::unique_ptr<rocksdb::FSWritableFile>* r,
      rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus NewRandomRWFile(
      const std::string& f, const rocksdb::FileOptions& o,
      std::unique_ptr<rocksdb::FSRandomRWFile>* r,
      rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus NewDirectory(
      const std::string& name, const rocksdb::IOOptions& o,
      std::unique_ptr<rocksdb::FSDirectory>* r,
      rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus DeleteFile(const std::string& f,
                               const rocksdb::IOOptions& o,
                               rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus Truncate(const std::string& f, size_t size,
                             const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus CreateDir(const std::string& dir,
                              const rocksdb::IOOptions& o,
                              rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus CreateDirIfMissing(const std::string& dir,
                                       const rocksdb::IOOptions& o,
                                       rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus RenameFile(const std::string& src, const std::string& dst,
                               const rocksdb::IOOptions& o,
                               rocksdb::IODebugContext* d) override;
  rocksdb::IOStatus LinkFile(const std::string& src, const std::string& dst,
                             const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* d) override;

  // ---- for the file and directory wrappers ----
  // OK, or the injected error for a call of `op` on `path`; also the
  // error of a stopped file system (except for reads).
  rocksdb::IOStatus Check(FaultOp op, const std::string& path);
  void Appended(const std::string& path, uint64_t size_after);
  void Truncated(const std::string& path, uint64_t size);
  void Synced(const std::string& path, uint64_t size);
  void DirSynced(const std::string& dir);

 private:
  struct FileState {
    uint64_t size = 0;    // bytes written
    uint64_t synced = 0;  // of which durable
  };
  // What a name held before its first change since its directory's last
  // fsync: nothing, or these bytes.
  using Before = std::optional<std::string>;
  // Records path's durable state before a change of its directory entry
  // (once per directory sync). mu_ held.
  void NoteEntryChange(const std::string& path);
  // The bytes of path that would survive a power loss now. mu_ held.
  Before DurableContent(const std::string& path) const;

  std::unique_ptr<rocksdb::Env> env_;
  mutable std::mutex mu_;
  bool stopped_ = false;
  std::vector<FaultRule> rules_;
  std::vector<uint64_t> rule_calls_;
  std::vector<bool> rule_fired_;
  std::mt19937_64 rng_;
  uint64_t injected_ = 0;
  std::string last_fault_;
  std::map<std::string, FileState> files_;  // written through this fs
  // directory -> (path -> what it held before)
  std::map<std::string, std::map<std::string, Before>> unsynced_entries_;
  uint64_t dropped_bytes_ = 0, dropped_files_ = 0;
};

// Opens `path` like Database::Open, with every file of the store going
// through `fs` (StoreOptions::env, a test-only seam).
absl::StatusOr<std::unique_ptr<Database>> OpenWithFileSystem(
    const std::string& path, const OpenOptions& options,
    const std::shared_ptr<FaultyFileSystem>& fs);

// The files of a store: its table files (*.sst), write-ahead logs
// (*.log) or MANIFEST-*, largest first.
std::vector<std::string> StoreFiles(const std::string& store_path,
                                    const std::string& suffix_or_prefix);
// Flips the bits of the byte at `offset` of `file` (in place).
void FlipByte(const std::string& file, uint64_t offset);
// Cuts `file` to `size` bytes.
void TruncateFile(const std::string& file, uint64_t size);

}  // namespace kg::testing

#endif  // KGSTORE_TESTS_UTIL_FAULTY_FILE_SYSTEM_H_
