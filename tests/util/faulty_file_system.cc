// FaultyFileSystem (faulty_file_system.h): the fault rules, the files'
// synced lengths, the directories' unsynced entries and the power loss.

#include "tests/util/faulty_file_system.h"

#include <execinfo.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "engine/database_internal.h"
#include "storage/store.h"
#include "tests/util/test_store.h"

namespace kg::testing {

namespace fs = std::filesystem;
using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

const char* FaultOpName(FaultOp op) {
  switch (op) {
    case FaultOp::kWrite: return "write";
    case FaultOp::kSync: return "sync";
    case FaultOp::kRead: return "read";
    case FaultOp::kCreate: return "create";
    case FaultOp::kRename: return "rename";
    case FaultOp::kAnyChange: return "change";
  }
  return "?";
}

namespace {

std::string Normal(const std::string& path) {
  return fs::path(path).lexically_normal().string();
}
std::string DirOf(const std::string& path) {
  return fs::path(Normal(path)).parent_path().string();
}

// A file being written: faults on writes and syncs, and its size and
// synced size reported to the file system.
class FaultyWritableFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultyWritableFile(std::unique_ptr<rocksdb::FSWritableFile> target,
                     FaultyFileSystem* fs, std::string path, uint64_t size)
      : FSWritableFileOwnerWrapper(std::move(target)),
        fs_(fs),
        path_(std::move(path)),
        size_(size) {}

  IOStatus Append(const Slice& data, const IOOptions& o,
                  IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kWrite, path_);
    if (s.ok()) s = target()->Append(data, o, d);
    if (s.ok()) Grew(data.size());
    return s;
  }
  IOStatus Append(const Slice& data, const IOOptions& o,
                  const rocksdb::DataVerificationInfo& v,
                  IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kWrite, path_);
    if (s.ok()) s = target()->Append(data, o, v, d);
    if (s.ok()) Grew(data.size());
    return s;
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset,
                            const IOOptions& o, IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kWrite, path_);
    if (s.ok()) s = target()->PositionedAppend(data, offset, o, d);
    if (s.ok()) GrewTo(offset + data.size());
    return s;
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset,
                            const IOOptions& o,
                            const rocksdb::DataVerificationInfo& v,
                            IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kWrite, path_);
    if (s.ok()) s = target()->PositionedAppend(data, offset, o, v, d);
    if (s.ok()) GrewTo(offset + data.size());
    return s;
  }
  IOStatus Truncate(uint64_t size, const IOOptions& o,
                    IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kWrite, path_);
    if (s.ok()) s = target()->Truncate(size, o, d);
    if (s.ok()) {
      size_ = size;
      fs_->Truncated(path_, size);
    }
    return s;
  }
  IOStatus Sync(const IOOptions& o, IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kSync, path_);
    if (s.ok()) s = target()->Sync(o, d);
    if (s.ok()) fs_->Synced(path_, size_);
    return s;
  }
  IOStatus Fsync(const IOOptions& o, IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kSync, path_);
    if (s.ok()) s = target()->Fsync(o, d);
    if (s.ok()) fs_->Synced(path_, size_);
    return s;
  }
  // sync_file_range: no promise about the file's size or metadata, so
  // nothing becomes durable here (only Sync and Fsync count).
  IOStatus RangeSync(uint64_t offset, uint64_t nbytes, const IOOptions& o,
                     IODebugContext* d) override {
    return target()->RangeSync(offset, nbytes, o, d);
  }

 private:
  void Grew(uint64_t n) {
    size_ += n;
    fs_->Appended(path_, size_);
  }
  void GrewTo(uint64_t end) {
    size_ = std::max(size_, end);
    fs_->Appended(path_, size_);
  }

  FaultyFileSystem* fs_;
  const std::string path_;
  uint64_t size_;
};

class FaultyRandomAccessFile final
    : public rocksdb::FSRandomAccessFileOwnerWrapper {
 public:
  FaultyRandomAccessFile(std::unique_ptr<rocksdb::FSRandomAccessFile> target,
                         FaultyFileSystem* fs, std::string path)
      : FSRandomAccessFileOwnerWrapper(std::move(target)),
        fs_(fs),
        path_(std::move(path)) {}

  IOStatus Read(uint64_t offset, size_t n, const IOOptions& o, Slice* result,
                char* scratch, IODebugContext* d) const override {
    IOStatus s = fs_->Check(FaultOp::kRead, path_);
    if (!s.ok()) {
      *result = Slice();
      return s;
    }
    return target()->Read(offset, n, o, result, scratch, d);
  }
  IOStatus MultiRead(rocksdb::FSReadRequest* reqs, size_t num_reqs,
                     const IOOptions& o, IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kRead, path_);
    if (!s.ok()) {
      for (size_t i = 0; i < num_reqs; ++i) {
        reqs[i].result = Slice();
        reqs[i].status = s;
      }
      return s;
    }
    return target()->MultiRead(reqs, num_reqs, o, d);
  }
  IOStatus ReadAsync(rocksdb::FSReadRequest& req, const IOOptions& o,
                     std::function<void(const rocksdb::FSReadRequest&, void*)>
                         cb,
                     void* cb_arg, void** io_handle,
                     rocksdb::IOHandleDeleter* del_fn, IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kRead, path_);
    if (!s.ok()) return s;
    return target()->ReadAsync(req, o, cb, cb_arg, io_handle, del_fn, d);
  }

 private:
  FaultyFileSystem* fs_;
  const std::string path_;
};

class FaultySequentialFile final
    : public rocksdb::FSSequentialFileOwnerWrapper {
 public:
  FaultySequentialFile(std::unique_ptr<rocksdb::FSSequentialFile> target,
                       FaultyFileSystem* fs, std::string path)
      : FSSequentialFileOwnerWrapper(std::move(target)),
        fs_(fs),
        path_(std::move(path)) {}

  IOStatus Read(size_t n, const IOOptions& o, Slice* result, char* scratch,
                IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kRead, path_);
    if (!s.ok()) {
      *result = Slice();
      return s;
    }
    return target()->Read(n, o, result, scratch, d);
  }
  IOStatus PositionedRead(uint64_t offset, size_t n, const IOOptions& o,
                          Slice* result, char* scratch,
                          IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kRead, path_);
    if (!s.ok()) {
      *result = Slice();
      return s;
    }
    return target()->PositionedRead(offset, n, o, result, scratch, d);
  }

 private:
  FaultyFileSystem* fs_;
  const std::string path_;
};

// Writes in place (RocksDB rewrites an ingested file's global sequence
// number this way when asked to): faults only, no power-loss model.
class FaultyRandomRWFile final : public rocksdb::FSRandomRWFileOwnerWrapper {
 public:
  FaultyRandomRWFile(std::unique_ptr<rocksdb::FSRandomRWFile> target,
                     FaultyFileSystem* fs, std::string path)
      : FSRandomRWFileOwnerWrapper(std::move(target)),
        fs_(fs),
        path_(std::move(path)) {}

  IOStatus Write(uint64_t offset, const Slice& data, const IOOptions& o,
                 IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kWrite, path_);
    return s.ok() ? target()->Write(offset, data, o, d) : s;
  }
  IOStatus Read(uint64_t offset, size_t n, const IOOptions& o, Slice* result,
                char* scratch, IODebugContext* d) const override {
    IOStatus s = fs_->Check(FaultOp::kRead, path_);
    return s.ok() ? target()->Read(offset, n, o, result, scratch, d) : s;
  }
  IOStatus Sync(const IOOptions& o, IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kSync, path_);
    return s.ok() ? target()->Sync(o, d) : s;
  }
  IOStatus Fsync(const IOOptions& o, IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kSync, path_);
    return s.ok() ? target()->Fsync(o, d) : s;
  }

 private:
  FaultyFileSystem* fs_;
  const std::string path_;
};

class FaultyDirectory final : public rocksdb::FSDirectoryWrapper {
 public:
  FaultyDirectory(std::unique_ptr<rocksdb::FSDirectory> target,
                  FaultyFileSystem* fs, std::string path)
      : FSDirectoryWrapper(std::move(target)), fs_(fs), path_(std::move(path)) {}

  IOStatus Fsync(const IOOptions& o, IODebugContext* d) override {
    IOStatus s = fs_->Check(FaultOp::kSync, path_);
    if (s.ok()) s = FSDirectoryWrapper::Fsync(o, d);
    if (s.ok()) fs_->DirSynced(path_);
    return s;
  }
  IOStatus FsyncWithDirOptions(
      const IOOptions& o, IODebugContext* d,
      const rocksdb::DirFsyncOptions& options) override {
    IOStatus s = fs_->Check(FaultOp::kSync, path_);
    if (s.ok()) s = FSDirectoryWrapper::FsyncWithDirOptions(o, d, options);
    if (s.ok()) fs_->DirSynced(path_);
    return s;
  }

 private:
  FaultyFileSystem* fs_;
  const std::string path_;
};

std::optional<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

}  // namespace

FaultyFileSystem::FaultyFileSystem(std::shared_ptr<rocksdb::FileSystem> base)
    : FileSystemWrapper(std::move(base)) {
  // The Env must not own this object: it is owned by the test's
  // shared_ptr and outlives the Env (env_ is destroyed first).
  env_ = rocksdb::NewCompositeEnv(
      std::shared_ptr<rocksdb::FileSystem>(this, [](rocksdb::FileSystem*) {}));
}

FaultyFileSystem::~FaultyFileSystem() = default;

void FaultyFileSystem::SetRules(std::vector<FaultRule> rules, uint64_t seed) {
  std::lock_guard<std::mutex> lock(mu_);
  rules_ = std::move(rules);
  rule_calls_.assign(rules_.size(), 0);
  rule_fired_.assign(rules_.size(), false);
  rng_.seed(seed);
}

uint64_t FaultyFileSystem::RuleCalls(size_t i) const {
  std::lock_guard<std::mutex> lock(mu_);
  return i < rule_calls_.size() ? rule_calls_[i] : 0;
}

uint64_t FaultyFileSystem::injected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return injected_;
}

std::string FaultyFileSystem::last_fault() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_fault_;
}

uint64_t FaultyFileSystem::dropped_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_bytes_;
}

uint64_t FaultyFileSystem::dropped_files() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_files_;
}

IOStatus FaultyFileSystem::Check(FaultOp op, const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_ && op != FaultOp::kRead)
    return IOStatus::IOError("simulated power loss: the file system is off",
                             path);
  for (size_t i = 0; i < rules_.size(); ++i) {
    const FaultRule& rule = rules_[i];
    if (rule.op != op &&
        !(rule.op == FaultOp::kAnyChange && op != FaultOp::kRead))
      continue;
    if (!rule.path_contains.empty() &&
        path.find(rule.path_contains) == std::string::npos)
      continue;
    if (!rule.path_excludes.empty() &&
        path.find(rule.path_excludes) != std::string::npos)
      continue;
    const uint64_t call = ++rule_calls_[i];
    bool fail = (rule.sticky && rule_fired_[i]) ||
                (rule.nth != 0 && call == rule.nth);
    if (!fail && rule.probability > 0) {
      std::uniform_real_distribution<double> u(0, 1);
      fail = u(rng_) < rule.probability;
    }
    if (!fail) continue;
    rule_fired_[i] = true;
    ++injected_;
    if (std::getenv("KG_FAULT_BACKTRACE") != nullptr) {
      // Where the fault lands, for debugging (symbols need -rdynamic).
      void* frames[64];
      const int n = backtrace(frames, 64);
      std::fprintf(stderr, "injected %s fault on %s at:\n", FaultOpName(op),
                   path.c_str());
      backtrace_symbols_fd(frames, n, STDERR_FILENO);
    }
    if (rule.power_off) {
      stopped_ = true;
      last_fault_ = absl::StrCat("power off at ", FaultOpName(op), " #", call,
                                 " of ", path);
      return IOStatus::IOError("simulated power loss: the file system is off",
                               path);
    }
    last_fault_ = absl::StrCat(FaultOpName(op), " #", call, " of ", path,
                               rule.no_space ? " (no space)" : "");
    if (rule.no_space) {
      IOStatus s = IOStatus::NoSpace(
          absl::StrCat("injected fault: ", FaultOpName(op), " ", path),
          "No space left on device");
      s.SetRetryable(true);
      return s;
    }
    return IOStatus::IOError(
        absl::StrCat("injected fault: ", FaultOpName(op), " ", path),
        "Input/output error");
  }
  return IOStatus::OK();
}

void FaultyFileSystem::Appended(const std::string& path, uint64_t size_after) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(Normal(path));
  if (it != files_.end()) it->second.size = size_after;
}

void FaultyFileSystem::Truncated(const std::string& path, uint64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(Normal(path));
  if (it == files_.end()) return;
  it->second.size = size;
  it->second.synced = std::min(it->second.synced, size);
}

void FaultyFileSystem::Synced(const std::string& path, uint64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(Normal(path));
  if (it != files_.end()) it->second.synced = std::max(it->second.synced, size);
}

void FaultyFileSystem::DirSynced(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  unsynced_entries_.erase(Normal(dir));
}

FaultyFileSystem::Before FaultyFileSystem::DurableContent(
    const std::string& path) const {
  std::optional<std::string> bytes = ReadWhole(path);
  if (!bytes) return std::nullopt;
  auto it = files_.find(path);
  if (it != files_.end() && it->second.synced < bytes->size())
    bytes->resize(it->second.synced);
  return bytes;
}

void FaultyFileSystem::NoteEntryChange(const std::string& raw) {
  const std::string path = Normal(raw);
  auto& entries = unsynced_entries_[DirOf(path)];
  if (entries.contains(path)) return;
  entries.emplace(path, DurableContent(path));
}

uint64_t FaultyFileSystem::PowerLoss(const std::function<void()>& close) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
  }
  close();
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t dropped = 0;
  std::error_code ec;
  for (const auto& [path, state] : files_) {
    const uintmax_t size = fs::file_size(path, ec);
    if (ec || size <= state.synced) continue;
    fs::resize_file(path, state.synced, ec);
    if (!ec) dropped += size - state.synced;
  }
  for (const auto& [dir, entries] : unsynced_entries_) {
    for (const auto& [path, before] : entries) {
      if (!before) {
        if (fs::remove(path, ec)) ++dropped_files_;
        continue;
      }
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(before->data(), static_cast<std::streamsize>(before->size()));
    }
  }
  files_.clear();
  unsynced_entries_.clear();
  dropped_bytes_ += dropped;
  stopped_ = false;
  return dropped;
}

// ---- FileSystem ----------------------------------------------------------

IOStatus FaultyFileSystem::NewSequentialFile(
    const std::string& f, const rocksdb::FileOptions& o,
    std::unique_ptr<rocksdb::FSSequentialFile>* r, IODebugContext* d) {
  IOStatus s = Check(FaultOp::kRead, f);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSSequentialFile> file;
  s = target()->NewSequentialFile(f, o, &file, d);
  if (s.ok())
    *r = std::make_unique<FaultySequentialFile>(std::move(file), this, f);
  return s;
}

IOStatus FaultyFileSystem::NewRandomAccessFile(
    const std::string& f, const rocksdb::FileOptions& o,
    std::unique_ptr<rocksdb::FSRandomAccessFile>* r, IODebugContext* d) {
  IOStatus s = Check(FaultOp::kRead, f);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSRandomAccessFile> file;
  s = target()->NewRandomAccessFile(f, o, &file, d);
  if (s.ok())
    *r = std::make_unique<FaultyRandomAccessFile>(std::move(file), this, f);
  return s;
}

IOStatus FaultyFileSystem::NewWritableFile(
    const std::string& f, const rocksdb::FileOptions& o,
    std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* d) {
  IOStatus s = Check(FaultOp::kCreate, f);
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    NoteEntryChange(f);
  }
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->NewWritableFile(f, o, &file, d);
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    files_[Normal(f)] = FileState{};
  }
  *r = std::make_unique<FaultyWritableFile>(std::move(file), this, f, 0);
  return s;
}

IOStatus FaultyFileSystem::ReopenWritableFile(
    const std::string& f, const rocksdb::FileOptions& o,
    std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* d) {
  IOStatus s = Check(FaultOp::kCreate, f);
  if (!s.ok()) return s;
  std::error_code ec;
  const bool existed = fs::exists(f, ec);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!existed) NoteEntryChange(f);
  }
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->ReopenWritableFile(f, o, &file, d);
  if (!s.ok()) return s;
  const uint64_t size = existed ? fs::file_size(f, ec) : 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Bytes already there before this file system saw the file: durable.
    files_.try_emplace(Normal(f), FileState{size, size});
  }
  *r = std::make_unique<FaultyWritableFile>(std::move(file), this, f, size);
  return s;
}

IOStatus FaultyFileSystem::ReuseWritableFile(
    const std::string& f, const std::string& old,
    const rocksdb::FileOptions& o, std::unique_ptr<rocksdb::FSWritableFile>* r,
    IODebugContext* d) {
  IOStatus s = Check(FaultOp::kCreate, f);
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    NoteEntryChange(old);
    NoteEntryChange(f);
  }
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->ReuseWritableFile(f, old, o, &file, d);
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    files_.erase(Normal(old));
    files_[Normal(f)] = FileState{};
  }
  *r = std::make_unique<FaultyWritableFile>(std::move(file), this, f, 0);
  return s;
}

IOStatus FaultyFileSystem::NewRandomRWFile(
    const std::string& f, const rocksdb::FileOptions& o,
    std::unique_ptr<rocksdb::FSRandomRWFile>* r, IODebugContext* d) {
  IOStatus s = Check(FaultOp::kCreate, f);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSRandomRWFile> file;
  s = target()->NewRandomRWFile(f, o, &file, d);
  if (s.ok())
    *r = std::make_unique<FaultyRandomRWFile>(std::move(file), this, f);
  return s;
}

IOStatus FaultyFileSystem::NewDirectory(
    const std::string& name, const IOOptions& o,
    std::unique_ptr<rocksdb::FSDirectory>* r, IODebugContext* d) {
  std::unique_ptr<rocksdb::FSDirectory> dir;
  IOStatus s = target()->NewDirectory(name, o, &dir, d);
  if (s.ok())
    *r = std::make_unique<FaultyDirectory>(std::move(dir), this, name);
  return s;
}

IOStatus FaultyFileSystem::DeleteFile(const std::string& f,
                                      const IOOptions& o, IODebugContext* d) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_)
      return IOStatus::IOError("simulated power loss: the file system is off",
                               f);
  }
  IOStatus s = target()->DeleteFile(f, o, d);
  if (s.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    files_.erase(Normal(f));
  }
  return s;
}

IOStatus FaultyFileSystem::Truncate(const std::string& f, size_t size,
                                    const IOOptions& o, IODebugContext* d) {
  IOStatus s = Check(FaultOp::kWrite, f);
  if (s.ok()) s = target()->Truncate(f, size, o, d);
  if (s.ok()) Truncated(f, size);
  return s;
}

IOStatus FaultyFileSystem::CreateDir(const std::string& dir,
                                     const IOOptions& o, IODebugContext* d) {
  IOStatus s = Check(FaultOp::kCreate, dir);
  return s.ok() ? target()->CreateDir(dir, o, d) : s;
}

IOStatus FaultyFileSystem::CreateDirIfMissing(const std::string& dir,
                                              const IOOptions& o,
                                              IODebugContext* d) {
  IOStatus s = Check(FaultOp::kCreate, dir);
  return s.ok() ? target()->CreateDirIfMissing(dir, o, d) : s;
}

IOStatus FaultyFileSystem::RenameFile(const std::string& src,
                                      const std::string& dst,
                                      const IOOptions& o, IODebugContext* d) {
  IOStatus s = Check(FaultOp::kRename, absl::StrCat(src, " -> ", dst));
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    NoteEntryChange(src);
    NoteEntryChange(dst);
  }
  s = target()->RenameFile(src, dst, o, d);
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(Normal(src));
  if (it != files_.end()) {
    files_[Normal(dst)] = it->second;
    files_.erase(it);
  } else {
    files_.erase(Normal(dst));
  }
  return s;
}

IOStatus FaultyFileSystem::LinkFile(const std::string& src,
                                    const std::string& dst,
                                    const IOOptions& o, IODebugContext* d) {
  IOStatus s = Check(FaultOp::kRename, absl::StrCat(src, " -> ", dst));
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    NoteEntryChange(dst);
  }
  s = target()->LinkFile(src, dst, o, d);
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(Normal(src));
  if (it != files_.end()) files_[Normal(dst)] = it->second;
  return s;
}

// ---- helpers ---------------------------------------------------------------

absl::StatusOr<std::unique_ptr<Database>> OpenWithFileSystem(
    const std::string& path, const OpenOptions& options,
    const std::shared_ptr<FaultyFileSystem>& fs) {
  StoreOptions so = StoreOptionsFor(options);  // as Database::Open, plus:
  so.env = fs ? fs->env() : nullptr;
  auto store = Store::Open(path, so);
  if (!store.ok()) return store.status();
  return DatabaseInternals::OverStore(*std::move(store), options);
}

std::vector<std::string> StoreFiles(const std::string& store_path,
                                    const std::string& suffix_or_prefix) {
  std::vector<std::pair<uintmax_t, std::string>> found;
  std::error_code ec;
  for (const fs::directory_entry& e :
       fs::directory_iterator(store_path, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(suffix_or_prefix) &&
        !name.starts_with(suffix_or_prefix))
      continue;
    found.emplace_back(e.file_size(ec), e.path().string());
  }
  std::sort(found.begin(), found.end(), std::greater<>());
  std::vector<std::string> out;
  for (auto& [size, path] : found) out.push_back(std::move(path));
  return out;
}

void FlipByte(const std::string& file, uint64_t offset) {
  std::fstream f(file, std::ios::binary | std::ios::in | std::ios::out);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.get(c);
  c = static_cast<char>(~c);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(c);
}

void TruncateFile(const std::string& file, uint64_t size) {
  std::error_code ec;
  fs::resize_file(file, size, ec);
}

}  // namespace kg::testing
