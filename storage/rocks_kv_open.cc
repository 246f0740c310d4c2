// RocksKv::Open (rocks_kv.h): opening or creating a store: its column
// families and their options, a creation that was interrupted, a
// read-only open beside a live writer process, and the errors of an open
// that fails.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/options_util.h"
#include "storage/log_file_check.h"
#include "storage/rocks_kv.h"
#include "storage/rocks_kv_internal.h"
#include "storage/rocks_status.h"
#include "storage/table_file_check.h"

namespace kg {

namespace rocks_kv_internal {

rocksdb::ColumnFamilyOptions IndexOptions(std::shared_ptr<rocksdb::Cache> cache,
                                          bool point_lookups,
                                          size_t block_size) {
  rocksdb::ColumnFamilyOptions cf;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.block_size = block_size;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.format_version = 5;
  table.cache_index_and_filter_blocks = true;
  if (point_lookups)
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // A bulk load writes one large SST per column family; its filter and
  // index would be single blocks of many megabytes, larger than a cache
  // shard, and be re-read from disk on every lookup. Partitioned: small
  // blocks that cache like data blocks, with a pinned top level.
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = point_lookups;
  if (point_lookups) {
    // A hash index inside each data block answers Get without the binary
    // search over restart points that dominated point-lookup profiles.
    table.data_block_index_type =
        rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  }
  table.metadata_block_size = 4096;
  table.pin_top_level_index_and_filter = true;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf.compression = rocksdb::kLZ4Compression;
  cf.bottommost_compression = rocksdb::kZSTD;
  cf.write_buffer_size = 32 << 20;
  cf.level_compaction_dynamic_level_bytes = true;
  return cf;
}

}  // namespace rocks_kv_internal

using rocks_kv_internal::IndexOptions;
using rocks_kv_internal::kCfNames;
using rocks_kv_internal::kFirstBlocksCf;

namespace {

// Where a store's file set stands: the MANIFEST that CURRENT names and
// its size. Every change of the set of live files (a flush, a compaction,
// an ingestion, and so the deletion of the files they make obsolete:
// tables and write-ahead logs) appends to the MANIFEST or starts a new
// one; commits do not.
struct ManifestMark {
  std::string name;
  uint64_t size = 0;
  bool operator==(const ManifestMark&) const = default;
};

std::optional<ManifestMark> MarkOf(const std::string& path) {
  std::ifstream current(std::filesystem::path(path) / "CURRENT");
  ManifestMark mark;
  if (!std::getline(current, mark.name) || mark.name.empty())
    return std::nullopt;
  std::error_code ec;
  mark.size = std::filesystem::file_size(
      std::filesystem::path(path) / mark.name, ec);
  if (ec) return std::nullopt;
  return mark;
}

// A read-only open reads the MANIFEST, then opens the tables it lists and
// replays the write-ahead logs it finds. A writer process that flushes or
// compacts meanwhile deletes files this open still counts on: the open
// fails ("Can't access 000123.sst", reported as corruption), or, worse,
// succeeds with a view that mixes two states (a log deleted after its
// flush, whose data the MANIFEST read does not list yet: whole commits
// missing, or one column family's part of them). So the open counts only
// if the file set did not change while it ran; otherwise it is retried.
constexpr int kReadOnlyOpenAttempts = 25;

rocksdb::Status OpenReadOnlyStable(
    const rocksdb::DBOptions& dbo, const std::string& path,
    const std::vector<rocksdb::ColumnFamilyDescriptor>& cfs,
    std::vector<rocksdb::ColumnFamilyHandle*>* handles, rocksdb::DB** db,
    bool* unstable) {
  *unstable = false;
  rocksdb::Status s;
  for (int attempt = 0; attempt < kReadOnlyOpenAttempts; ++attempt) {
    if (attempt > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(
          std::min(2 * attempt, 20)));
    const std::optional<ManifestMark> before = MarkOf(path);
    s = rocksdb::DB::OpenForReadOnly(dbo, path, cfs, handles, db);
    const std::optional<ManifestMark> after = MarkOf(path);
    // (Both unreadable: a damaged store, not a changing one; s says so.)
    if (before == after) return s;
    if (s.ok()) {
      for (auto* h : *handles) (*db)->DestroyColumnFamilyHandle(h);
      handles->clear();
      delete *db;
      *db = nullptr;
    }
  }
  *unstable = true;
  return s;
}

// The error of an open that failed: a corruption says the store is
// damaged (DataLoss), whatever RocksDB was reading.
absl::Status OpenError(const std::string& path, const rocksdb::Status& s) {
  if (s.IsCorruption())
    return absl::DataLossError(absl::StrCat(
        "store ", path, " is damaged and cannot be opened (", s.ToString(),
        "); restore it from a copy"));
  return FromRocks(s, absl::StrCat("open ", path));
}

// Whether the latest OPTIONS file of the database at `path` names the
// column family `name`. RocksDB rewrites that file at every open, naming
// every family; the MANIFEST says which exist. A kgstore store whose
// MANIFEST lacks families its OPTIONS file names has a damaged (cut)
// MANIFEST: found by tests/faults, which until then read as "not a
// kgstore store".
bool OptionsName(const std::string& path, rocksdb::Env* env,
                 const std::string& name) {
  rocksdb::ConfigOptions config;
  config.env = env;
  config.ignore_unknown_options = true;
  rocksdb::DBOptions db_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  if (!rocksdb::LoadLatestOptions(config, path, &db_options, &families).ok())
    return false;
  return std::any_of(families.begin(), families.end(),
                     [&](const auto& f) { return f.name == name; });
}

// Whether `path` holds only what RocksDB writes while it creates a
// database, before anything is stored: the lock, logs, identity, options,
// MANIFEST and CURRENT files, empty write-ahead logs, no table file. A
// process killed while creating a store leaves that: no CURRENT yet, or
// some of the column families. Such a directory is completed by the next
// writable open instead of being refused as "not a kgstore store".
bool HoldsOnlyCreationFiles(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(path, ec)) {
    const std::string name = e.path().filename().string();
    if (name == "LOCK" || name == "LOG" || name == "IDENTITY" ||
        name == "CURRENT" || name.starts_with("LOG.old.") ||
        name.starts_with("MANIFEST-") || name.starts_with("OPTIONS-") ||
        name.ends_with(".dbtmp"))
      continue;
    if (name.ends_with(".log") && e.is_regular_file(ec) &&
        e.file_size(ec) == 0 && !ec)
      continue;
    return false;
  }
  return !ec;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RocksKv>> RocksKv::Open(
    const std::string& path, const RocksKvOptions& opts) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool exists = fs::exists(path, ec);
  if (exists && !fs::is_directory(path, ec))
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is a file, not a kgstore store directory"));
  bool has_db = exists && fs::exists(fs::path(path) / "CURRENT", ec);
  if (!has_db) {
    if (!opts.create_if_missing || opts.read_only)
      return absl::NotFoundError(absl::StrCat("no kgstore store at ", path));
    if (exists && !fs::is_empty(path, ec)) {
      if (!HoldsOnlyCreationFiles(path))
        return absl::FailedPreconditionError(absl::StrCat(
            path, " exists and is not a kgstore store (no CURRENT file); "
                  "choose an empty or new directory"));
      // RocksDB will not create a database beside a log file, even an
      // empty one.
      for (const fs::directory_entry& e : fs::directory_iterator(path, ec))
        if (e.path().extension() == ".log") fs::remove(e.path(), ec);
    }
  }

  if (!has_db && !exists) {
    fs::create_directories(path, ec);
    if (ec)
      return absl::UnavailableError(
          absl::StrCat("cannot create store directory ", path, ": ",
                       ec.message()));
  }
  auto kv = std::unique_ptr<RocksKv>(new RocksKv());
  kv->created_directory_ = !has_db && !exists;
  kv->read_only_ = opts.read_only;

  rocksdb::DBOptions dbo;
  kv->fs_ = std::make_shared<WatchingFileSystem>(
      opts.env != nullptr ? opts.env->GetFileSystem()
                          : rocksdb::FileSystem::Default());
  kv->env_ = rocksdb::NewCompositeEnv(kv->fs_);
  dbo.env = kv->env_.get();
  dbo.create_if_missing = opts.create_if_missing;
  dbo.create_missing_column_families = true;
  // A write-ahead log record that fails its checksum stops the open with
  // a corruption instead of ending the replay there, as RocksDB's default
  // (kPointInTimeRecovery) does: that silently dropped the commits from
  // the damaged record on, every one reported durable (found by
  // tests/faults). A record cut short at the end of the log, which a
  // crash or power loss during its write leaves, is still dropped
  // quietly: its commit never returned. (docs/SAFETY.md, "Fault
  // injection".)
  dbo.wal_recovery_mode =
      rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  dbo.max_background_jobs = 2;
  // Opening reads every table file's footer; RocksDB does it with 16 threads
  // per column family by default, which for a one-shot `kg query` on a
  // small store costs more (about 220 threads created) than the reads. One
  // thread: a store of a few hundred table files opens in milliseconds.
  dbo.max_file_opening_threads = 1;
  // No periodic statistics dumps: their timer thread is one more thread per
  // open, for a log nobody reads (info_log_level is WARN).
  dbo.stats_dump_period_sec = 0;
  dbo.stats_persist_period_sec = 0;
  dbo.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  dbo.keep_log_file_num = 2;
  auto cache = rocksdb::NewLRUCache(opts.block_cache_bytes, /*num_shard_bits=*/4);

  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const std::string& name : kCfNames) {
    bool point = name == "id2term" || name == "term2id" || name == "spog" ||
                 name == "meta";
    // Dictionary lookups read one small value: small blocks. Index scans
    // read runs of keys: larger blocks compress better.
    // spog also answers fully bound lookups (existence checks, ASK).
    // spog_blocks likewise (a lookup reads the one block that may hold
    // the key).
    bool small_blocks = name == "id2term" || name == "term2id" ||
                        name == "spog" || name == "spog_blocks";
    cfs.emplace_back(name, IndexOptions(cache, point,
                                        small_blocks ? 4 * 1024 : 16 * 1024));
  }
  if (has_db) {
    std::vector<std::string> existing;
    rocksdb::Status s = rocksdb::DB::ListColumnFamilies(dbo, path, &existing);
    if (!s.ok()) return OpenError(path, s);
    for (const std::string& name : existing) {
      if (std::find(kCfNames.begin(), kCfNames.end(), name) == kCfNames.end())
        return absl::FailedPreconditionError(absl::StrCat(
            path, " is a RocksDB database but not a kgstore store (column "
                  "family '", name, "')"));
    }
    // Every family but the packed-block ones, which a kgstore-3 store
    // lacks (a writable open creates them; a read-only one goes without).
    // Some missing and nothing stored: a creation that was interrupted,
    // which a writable open completes.
    for (size_t i = 0; i < kFirstBlocksCf; ++i) {
      if (std::find(existing.begin(), existing.end(), kCfNames[i]) !=
          existing.end())
        continue;
      if (!HoldsOnlyCreationFiles(path)) {
        if (OptionsName(path, dbo.env, kCfNames[i]))
          return absl::DataLossError(absl::StrCat(
              "store ", path, " is damaged and cannot be opened: its "
              "MANIFEST (the list of its files) lacks the column family '",
              kCfNames[i], "'; restore it from a copy"));
        return absl::FailedPreconditionError(absl::StrCat(
            path, " is a RocksDB database but not a kgstore store"));
      }
      if (opts.read_only)
        return absl::NotFoundError(absl::StrCat(
            "no kgstore store at ", path, " (its creation was interrupted "
            "before anything was stored; a writable open completes it)"));
      break;
    }
    if (opts.read_only) {
      std::erase_if(cfs, [&](const rocksdb::ColumnFamilyDescriptor& d) {
        return std::find(existing.begin(), existing.end(), d.name) ==
               existing.end();
      });
    }
  }

  // Before RocksDB reads the store: the blocks of table files it trusts
  // unchecked (table_file_check.h: one flipped byte aborted the process),
  // and damage to a log it would take for a crash (log_file_check.h: it
  // silently dropped finished commits).
  if (has_db) {
    absl::Status files = CheckTableFiles(kv->fs_.get(), path);
    if (files.ok()) files = CheckLogFiles(kv->fs_.get(), path);
    if (files.ok()) files = CheckManifest(kv->fs_.get(), path);
    if (absl::IsDataLoss(files))
      return absl::DataLossError(absl::StrCat(
          "store ", path, " is damaged and cannot be opened: ",
          files.message(), "; restore it from a copy"));
    if (!files.ok()) return files;
  }

  rocksdb::DB* raw = nullptr;
  bool unstable = false;
  rocksdb::Status s =
      opts.read_only
          ? OpenReadOnlyStable(dbo, path, cfs, &kv->handles_, &raw, &unstable)
          : rocksdb::DB::Open(dbo, path, cfs, &kv->handles_, &raw);
  if (unstable)
    return absl::UnavailableError(absl::StrCat(
        "store ", path, " is being rewritten by the process that writes it "
        "(flushes, compactions) faster than a read-only open can read it (",
        kReadOnlyOpenAttempts, " attempts); try again"));
  if (!s.ok()) {
    // Leave no half-made store behind when this call created it.
    if (kv->created_directory_) fs::remove_all(path, ec);
    // RocksDB's words: "lock hold by current process" (another RocksKv of
    // this process has it), "While lock file: ...: Resource temporarily
    // unavailable" (another process has it).
    if (s.IsIOError() && absl::StrContains(s.ToString(), "hold by current"))
      return absl::FailedPreconditionError(absl::StrCat(
          "store ", path, " is in use: already open for writing in this "
          "process; share that Database (it is thread-safe) or open this "
          "one read-only"));
    if (s.IsIOError() && absl::StrContains(s.ToString(), "lock"))
      return absl::FailedPreconditionError(absl::StrCat(
          "store ", path, " is in use by another process (its lock is held); "
          "close that process or open the store read-only"));
    return OpenError(path, s);
  }
  kv->db_.reset(raw);
  // By name: a read-only open may lack some (a kgstore-3 store).
  for (rocksdb::ColumnFamilyHandle* h : kv->handles_) {
    auto at = std::find(kCfNames.begin(), kCfNames.end(), h->GetName());
    if (at != kCfNames.begin() && at != kCfNames.end())
      kv->spaces_[at - kCfNames.begin() - 1] = h;
  }
  return kv;
}

}  // namespace kg
