// Store, ReadView and WriteTxn over RocksDB.

#include "storage/store.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/write_batch_with_index.h"
#include "storage/rocks_status.h"

#define XXH_INLINE_ALL
#include "xxhash.h"

namespace kg {
namespace {

constexpr std::string_view kFormatKey = "format";
// kgstore-2: integral xsd:decimal literals ("42") are inline (term_id.h);
// a kgstore-1 store holds them in the dictionary, so its ids differ.
// kgstore-3: the graph-first indexes hold only quads of named graphs
// (quad_index.h); a kgstore-2 store also holds the default graph's there,
// which reads never use, and is upgraded in place when opened writable.
// kgstore-4: the graph-last indexes may also hold packed blocks, in three
// more column families (packed_block.h). A kgstore-3 store is one without
// them: opened writable it gets the (empty) families and the new marker.
constexpr std::string_view kFormatValue = "kgstore-4";
constexpr std::string_view kFormatWithoutBlocks = "kgstore-3";
constexpr std::string_view kFormatWithDefaultGraphFirst = "kgstore-2";
constexpr std::string_view kNextIdKey = "next_id";
constexpr std::string_view kTotalKey = "stat:total";
constexpr std::string_view kPredicatePrefix = "stat:p:";
constexpr std::string_view kGraphPrefix = "stat:g:";
constexpr std::string_view kBlankPrefix = "kgb";

void PutFixed64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>(v >> (8 * i)));
}

uint64_t GetFixed64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

// Iterates one prefix of one index through a RocksDB iterator.
class RocksQuadIterator : public QuadIdIterator {
 public:
  // `default_graph_only`: skip quads of named graphs (PlanScan).
  RocksQuadIterator(Permutation perm, std::string prefix,
                    bool default_graph_only = false)
      : perm_(perm), prefix_(std::move(prefix)),
        upper_(PrefixSuccessor(prefix_)),
        default_graph_only_(default_graph_only) {}

  // `make` creates the cursor given read options whose upper bound points
  // at this object's storage.
  template <typename Make>
  void Start(rocksdb::ReadOptions ro, Make make) {
    if (!upper_.empty()) {
      upper_slice_ = rocksdb::Slice(upper_);
      ro.iterate_upper_bound = &upper_slice_;
    }
    it_ = make(ro);
    it_->Seek(prefix_);
    Load();
  }
  bool Valid() const override { return valid_; }
  const QuadIds& quad() const override { return quad_; }
  void Next() override {
    it_->Next();
    Load();
  }
  absl::Status status() const override { return status_; }

 private:
  void Load() {
    valid_ = false;
    for (;; it_->Next()) {
      if (!it_->Valid()) {
        status_ = it_->status();
        return;
      }
      const std::string_view key = it_->key();
      if (!key.starts_with(prefix_)) return;
      if (!DecodeQuadKey(perm_, key, &quad_)) {
        status_ = absl::DataLossError(absl::StrCat(
            "malformed key in index ", Sv(PermutationName(perm_))));
        return;
      }
      if (default_graph_only_ && quad_.g != kDefaultGraph) continue;
      valid_ = true;
      return;
    }
  }

  Permutation perm_;
  std::string prefix_;
  std::string upper_;
  bool default_graph_only_;
  rocksdb::Slice upper_slice_;
  std::unique_ptr<IndexCursor> it_;
  QuadIds quad_;
  bool valid_ = false;
  absl::Status status_;
};

// A fully bound pattern: one point lookup (bloom filter, no iterator).
class PointIterator : public QuadIdIterator {
 public:
  PointIterator(const QuadIds& q, bool found, absl::Status status)
      : quad_(q), valid_(found), status_(std::move(status)) {}
  bool Valid() const override { return valid_; }
  const QuadIds& quad() const override { return quad_; }
  void Next() override { valid_ = false; }
  absl::Status status() const override { return status_; }

 private:
  QuadIds quad_;
  bool valid_;
  absl::Status status_;
};

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

// "default" is spelled out: rocksdb::kDefaultColumnFamilyName is a global
// whose initialisation order relative to ours is unspecified.
// The packed-block families come last: a kgstore-3 store lacks them.
const std::vector<std::string> kCfNames = {
    "default", "meta",  "id2term", "term2id",     "spog",        "posg",
    "ospg",    "gspo",  "gpos",    "gosp",        "spog_blocks", "posg_blocks",
    "ospg_blocks"};
constexpr size_t kFirstBlocksCf = 10;

}  // namespace

// A key-range scan [lower, upper) (upper empty: to the end of the index)
// on an iterator borrowed from the view's pool and returned when the scan is
// destroyed, or owned when `view` is null (transactions). The iterator has no
// RocksDB upper bound, since pooled iterators are shared by scans of
// different ranges: Load() stops at `upper`.
class PooledIterator : public QuadIdIterator {
 public:
  PooledIterator(const ReadView* view, Permutation perm, std::string lower,
                 std::string upper, bool default_graph_only,
                 std::unique_ptr<IndexCursor> owned = nullptr)
      : view_(view), perm_(perm), lower_(std::move(lower)),
        upper_(std::move(upper)), default_graph_only_(default_graph_only) {
    if (owned) {
      it_ = std::move(owned);
    } else {
      it_ = view_->Borrow(perm);
    }
    it_->Seek(lower_);
    Load();
  }
  ~PooledIterator() override {
    if (view_ && demand_predicate_ != 0)
      view_->NoteScanCost(demand_predicate_, rows_);
    if (view_ && it_ && it_->status().ok()) view_->Return(perm_, std::move(it_));
  }
  // Reports this scan's rows to the predicate's adjacency demand when the
  // iterator is destroyed.
  void ChargeTo(TermId predicate) { demand_predicate_ = predicate; }
  bool Valid() const override { return valid_; }
  const QuadIds& quad() const override { return quad_; }
  void Next() override {
    it_->Next();
    Load();
  }
  absl::Status status() const override { return status_; }

 private:
  void Load() {
    valid_ = false;
    for (;; it_->Next()) {
      if (!it_->Valid()) {
        status_ = it_->status();
        return;
      }
      const std::string_view key = it_->key();
      if (!upper_.empty() && key >= upper_) return;
      if (!DecodeQuadKey(perm_, key, &quad_)) {
        status_ = absl::DataLossError(absl::StrCat(
            "malformed key in index ", Sv(PermutationName(perm_))));
        return;
      }
      ++rows_;
      if (default_graph_only_ && quad_.g != kDefaultGraph) continue;
      valid_ = true;
      return;
    }
  }

  const ReadView* view_;
  TermId demand_predicate_ = 0;
  uint64_t rows_ = 0;
  Permutation perm_;
  std::string lower_, upper_;
  bool default_graph_only_;
  std::unique_ptr<IndexCursor> it_;
  QuadIds quad_;
  bool valid_ = false;
  absl::Status status_;
};

// Ends (with status Cancelled) once *cancel is true: lets a background
// adjacency build stop within one step.
class CancellableIterator : public QuadIdIterator {
 public:
  CancellableIterator(std::unique_ptr<QuadIdIterator> it,
                      const std::atomic<bool>* cancel)
      : it_(std::move(it)), cancel_(cancel) {}
  bool Valid() const override {
    return it_->Valid() && !cancel_->load(std::memory_order_relaxed);
  }
  const QuadIds& quad() const override { return it_->quad(); }
  void Next() override { it_->Next(); }
  absl::Status status() const override {
    if (cancel_->load(std::memory_order_relaxed))
      return absl::CancelledError("adjacency build cancelled");
    return it_->status();
  }

 private:
  std::unique_ptr<QuadIdIterator> it_;
  const std::atomic<bool>* cancel_;
};

// ---- Store ---------------------------------------------------------------

std::string Store::BlankLabel(TermId id) {
  return absl::StrCat(Sv(kBlankPrefix), absl::Hex(PayloadOf(id)));
}

std::optional<TermId> Store::ParseBlankLabel(std::string_view label) {
  if (label.substr(0, kBlankPrefix.size()) != kBlankPrefix) return std::nullopt;
  label.remove_prefix(kBlankPrefix.size());
  if (label.empty() || label.size() > 14 || label[0] == '0')
    return std::nullopt;
  uint64_t v = 0;
  for (char c : label) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else return std::nullopt;
    v = v * 16 + d;
  }
  return MakeId(TermTag::kBlankNode, v);
}

std::string Store::TermHashKey(std::string_view serialized) {
  XXH128_hash_t h = XXH3_128bits(serialized.data(), serialized.size());
  std::string key;
  key.reserve(16);
  PutFixed64(&key, h.high64);
  PutFixed64(&key, h.low64);
  return key;
}

namespace {

// The memory this process may use: physical memory, or less when a
// container's cgroup (v2 or v1) limits it, or the address-space limit.
// 0 when none can be read.
size_t UsableMemoryBytes() {
  size_t bytes = 0;
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0)
    bytes = static_cast<size_t>(pages) * static_cast<size_t>(page_size);
  auto cap = [&bytes](size_t limit) {
    if (limit > 0 && (bytes == 0 || limit < bytes)) bytes = limit;
  };
  for (const char* file : {"/sys/fs/cgroup/memory.max",
                           "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    // "max" (no limit) or a byte count; v1 spells "no limit" as a huge
    // number, which the physical size caps.
    if (FILE* f = std::fopen(file, "r")) {
      unsigned long long limit = 0;
      if (std::fscanf(f, "%llu", &limit) == 1) cap(limit);
      std::fclose(f);
    }
  }
  rlimit as;
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    cap(as.rlim_cur);
  return bytes;
}

}  // namespace

size_t DefaultAdjacencyCacheBytes() {
  // Read once per process: every default-constructed options struct asks.
  static const size_t bytes = [] {
    constexpr size_t kFloor = size_t{256} << 20;
    const size_t usable = UsableMemoryBytes();
    return usable == 0 ? kFloor : std::max(kFloor, usable / 4);
  }();
  return bytes;
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path,
                                                   const StoreOptions& opts) {
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
    if (exists && !fs::is_empty(path, ec))
      return absl::FailedPreconditionError(absl::StrCat(
          path, " exists and is not a kgstore store (no CURRENT file); "
                "choose an empty or new directory"));
  }

  if (!has_db && !exists) {
    fs::create_directories(path, ec);
    if (ec)
      return absl::UnavailableError(
          absl::StrCat("cannot create store directory ", path, ": ",
                       ec.message()));
  }
  auto store = std::unique_ptr<Store>(new Store());
  store->path_ = path;
  store->options_ = opts;

  rocksdb::DBOptions dbo;
  dbo.create_if_missing = opts.create_if_missing;
  dbo.create_missing_column_families = true;
  dbo.max_background_jobs = 2;
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
    if (!s.ok()) return FromRocks(s, absl::StrCat("open ", path));
    for (const std::string& name : existing) {
      if (std::find(kCfNames.begin(), kCfNames.end(), name) == kCfNames.end())
        return absl::FailedPreconditionError(absl::StrCat(
            path, " is a RocksDB database but not a kgstore store (column "
                  "family '", name, "')"));
    }
    // Every family but the packed-block ones, which a kgstore-3 store
    // lacks (a writable open creates them; a read-only one goes without).
    for (size_t i = 0; i < kFirstBlocksCf; ++i) {
      if (std::find(existing.begin(), existing.end(), kCfNames[i]) ==
          existing.end())
        return absl::FailedPreconditionError(absl::StrCat(
            path, " is a RocksDB database but not a kgstore store"));
    }
    if (opts.read_only) {
      std::erase_if(cfs, [&](const rocksdb::ColumnFamilyDescriptor& d) {
        return std::find(existing.begin(), existing.end(), d.name) ==
               existing.end();
      });
    }
  }

  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      opts.read_only
          ? rocksdb::DB::OpenForReadOnly(dbo, path, cfs, &store->handles_, &raw)
          : rocksdb::DB::Open(dbo, path, cfs, &store->handles_, &raw);
  if (!s.ok()) {
    // Leave no half-made store behind when this call created it.
    if (!has_db && !exists) fs::remove_all(path, ec);
    if (s.IsIOError() && absl::StrContains(s.ToString(), "lock"))
      return absl::FailedPreconditionError(absl::StrCat(
          "store ", path, " is in use by another process (its lock is held); "
          "close that process or open the store read-only"));
    return FromRocks(s, absl::StrCat("open ", path));
  }
  store->db_.reset(raw);
  store->meta_cf_ = store->handles_[1];
  store->id2term_cf_ = store->handles_[2];
  store->term2id_cf_ = store->handles_[3];
  for (int i = 0; i < kNumPermutations; ++i)
    store->index_cfs_[i] = store->handles_[4 + i];
  // By name: a read-only open may lack some (a kgstore-3 store).
  for (rocksdb::ColumnFamilyHandle* h : store->handles_) {
    for (int i = 0; i < 3; ++i) {
      if (h->GetName() != kCfNames[kFirstBlocksCf + i]) continue;
      store->blocks_cfs_[i] = h;
      std::unique_ptr<rocksdb::Iterator> it(
          store->db_->NewIterator(rocksdb::ReadOptions(), h));
      it->SeekToFirst();
      if (!it->status().ok())
        return FromRocks(it->status(), absl::StrCat("open ", path));
      if (it->Valid()) store->has_blocks_ = true;
    }
  }
  store->term_cache_ = std::make_unique<TermCache>(opts.term_cache_bytes);
  store->adjacency_cache_ =
      std::make_unique<AdjacencyCache>(opts.adjacency_cache_bytes);
  store->probe_cache_ = std::make_unique<ProbeCache>(opts.probe_cache_bytes);
  absl::Status meta = store->LoadMeta();
  if (!meta.ok()) {
    if (!has_db && !exists) {
      store.reset();
      fs::remove_all(path, ec);
    }
    return meta;
  }
  return store;
}

Store::~Store() {
  warm_stop_ = true;
  if (warm_thread_.joinable()) warm_thread_.join();
  if (db_) {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close().PermitUncheckedError();
  }
}

absl::Status Store::LoadMeta() {
  rocksdb::ReadOptions ro;
  std::string value;
  rocksdb::Status s = db_->Get(ro, meta_cf_, kFormatKey, &value);
  if (s.IsNotFound()) {
    if (options_.read_only)
      return absl::FailedPreconditionError(
          absl::StrCat(path_, " has no kgstore format marker"));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    s = db_->Put(wo, meta_cf_, kFormatKey, kFormatValue);
    if (!s.ok()) return FromRocks(s, "write format marker");
  } else if (!s.ok()) {
    return FromRocks(s, "read format marker");
  } else if (value == kFormatWithDefaultGraphFirst) {
    if (options_.read_only) {
      graph_first_has_default_ = true;  // readable as it is
    } else {
      absl::Status up = UpgradeGraphFirstIndexes();
      if (!up.ok()) return up;
    }
  } else if (value == kFormatWithoutBlocks) {
    if (!options_.read_only) {  // Open created the (empty) block families
      rocksdb::WriteOptions wo;
      wo.sync = true;
      s = db_->Put(wo, meta_cf_, kFormatKey, kFormatValue);
      if (!s.ok()) return FromRocks(s, "upgrade to kgstore-4");
    }
  } else if (value != kFormatValue) {
    return absl::FailedPreconditionError(absl::StrCat(
        path_, " has store format '", value, "'; this build reads '",
        Sv(kFormatValue), "'",
        value == "kgstore-1"
            ? ": dump it with the kgstore build that wrote it (kg dump) and "
              "load the dump into a new store"
            : ""));
  }

  StoreStatistics stats;
  uint64_t next_id = 1;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, meta_cf_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    std::string_view val(it->value().data(), it->value().size());
    if (key == kNextIdKey && val.size() == 8) {
      next_id = GetFixed64(val);
    } else if (key == kTotalKey && val.size() == 8) {
      stats.total_quads = GetFixed64(val);
    } else if (key.starts_with(kPredicatePrefix) && val.size() == 24) {
      std::string_view enc = key.substr(kPredicatePrefix.size());
      TermId p;
      if (!DecodeId(&enc, &p)) return absl::DataLossError("bad stat key");
      stats.predicates[p] = {GetFixed64(val), GetFixed64(val.substr(8)),
                             GetFixed64(val.substr(16))};
    } else if (key.starts_with(kGraphPrefix) && val.size() == 8) {
      std::string_view enc = key.substr(kGraphPrefix.size());
      TermId g;
      if (!DecodeId(&enc, &g)) return absl::DataLossError("bad stat key");
      stats.graphs[g] = GetFixed64(val);
    }
  }
  if (!it->status().ok()) return FromRocks(it->status(), "read statistics");
  next_id_ = next_id;
  auto snapshot = std::make_shared<const StoreStatistics>(std::move(stats));
  std::lock_guard<std::mutex> l(stats_mu_);
  stats_ = std::move(snapshot);
  return absl::OkStatus();
}

std::vector<Store::MetaEntry> Store::MetaEntries(
    uint64_t next_id, const StoreStatistics& stats,
    const absl::flat_hash_set<TermId>* dirty_predicates,
    const absl::flat_hash_set<TermId>* dirty_graphs) {
  std::vector<MetaEntry> out;
  std::string v;
  PutFixed64(&v, next_id);
  out.emplace_back(std::string(kNextIdKey), v);
  v.clear();
  PutFixed64(&v, stats.total_quads);
  out.emplace_back(std::string(kTotalKey), v);
  auto predicate_entry = [&](TermId p) {
    std::string key(kPredicatePrefix);
    AppendEncodedId(p, &key);
    auto it = stats.predicates.find(p);
    if (it == stats.predicates.end() || it->second.quads == 0) {
      out.emplace_back(key, std::nullopt);
      return;
    }
    std::string val;
    PutFixed64(&val, it->second.quads);
    PutFixed64(&val, it->second.distinct_subjects);
    PutFixed64(&val, it->second.distinct_objects);
    out.emplace_back(key, val);
  };
  auto graph_entry = [&](TermId g) {
    std::string key(kGraphPrefix);
    AppendEncodedId(g, &key);
    auto it = stats.graphs.find(g);
    if (it == stats.graphs.end() || it->second == 0) {
      out.emplace_back(key, std::nullopt);
      return;
    }
    std::string val;
    PutFixed64(&val, it->second);
    out.emplace_back(key, val);
  };
  if (dirty_predicates) {
    for (TermId p : *dirty_predicates) predicate_entry(p);
  } else {
    for (const auto& [p, unused] : stats.predicates) predicate_entry(p);
  }
  if (dirty_graphs) {
    for (TermId g : *dirty_graphs) graph_entry(g);
  } else {
    for (const auto& [g, unused] : stats.graphs) graph_entry(g);
  }
  std::sort(out.begin(), out.end(),
            [](const MetaEntry& a, const MetaEntry& b) {
              return a.first < b.first;
            });
  return out;
}

void Store::Published(uint64_t next_id, StoreStatistics stats) {
  // Adjacencies are per snapshot: warming up the old one is wasted work.
  warm_stop_ = true;
  next_id_ = next_id;
  auto snapshot = std::make_shared<const StoreStatistics>(std::move(stats));
  std::lock_guard<std::mutex> l(stats_mu_);
  stats_ = std::move(snapshot);
}

absl::Status Store::AdvanceSequence(uint64_t next_id) {
  std::string value;
  PutFixed64(&value, next_id);
  rocksdb::WriteOptions wo;
  wo.sync = options().sync_commits;
  rocksdb::Status s = db_->Put(wo, meta_cf_, kNextIdKey, value);
  return s.ok() ? absl::OkStatus() : FromRocks(s, "advance sequence");
}

StoreStatistics Store::Statistics() const { return *StatisticsSnapshot(); }

std::shared_ptr<const StoreStatistics> Store::StatisticsSnapshot() const {
  std::lock_guard<std::mutex> l(stats_mu_);
  return stats_;
}

PredicateStats Store::StatisticsOf(TermId predicate) const {
  auto stats = StatisticsSnapshot();
  auto it = stats->predicates.find(predicate);
  return it == stats->predicates.end() ? PredicateStats{} : it->second;
}

absl::StatusOr<StoreStatistics> Store::RecountStatistics() const {
  auto view = NewReadView();
  StoreStatistics stats;
  {
    auto it = view->ScanIndex(Permutation::kSPOG);
    QuadIds prev;
    bool first = true;
    for (; it->Valid(); it->Next()) {
      const QuadIds& q = it->quad();
      ++stats.total_quads;
      PredicateStats& ps = stats.predicates[q.p];
      ++ps.quads;
      if (first || prev.s != q.s || prev.p != q.p) ++ps.distinct_subjects;
      ++stats.graphs[q.g];
      prev = q;
      first = false;
    }
    if (!it->status().ok()) return it->status();
  }
  {
    auto it = view->ScanIndex(Permutation::kPOSG);
    QuadIds prev;
    bool first = true;
    for (; it->Valid(); it->Next()) {
      const QuadIds& q = it->quad();
      if (first || prev.p != q.p || prev.o != q.o)
        ++stats.predicates[q.p].distinct_objects;
      prev = q;
      first = false;
    }
    if (!it->status().ok()) return it->status();
  }
  return stats;
}

std::pair<std::string, std::string> Store::DefaultGraphFirstRange() {
  char buf[kMaxEncodedIdSize];
  std::string begin(buf, EncodeId(kDefaultGraph, buf));
  std::string end = PrefixSuccessor(begin);
  return {std::move(begin), std::move(end)};
}

absl::Status Store::UpgradeGraphFirstIndexes() {
  // One atomic batch: the range deletions and the new marker. A crash
  // before it leaves a kgstore-2 store, after it a kgstore-4 one (Open has
  // created the block families, the other kgstore-3 -> 4 change).
  const auto [begin, end] = DefaultGraphFirstRange();
  rocksdb::WriteBatch batch;
  for (Permutation perm :
       {Permutation::kGSPO, Permutation::kGPOS, Permutation::kGOSP}) {
    rocksdb::Status s = batch.DeleteRange(index_cf(perm), begin, end);
    if (!s.ok()) return FromRocks(s, "upgrade from kgstore-2");
  }
  rocksdb::Status s = batch.Put(meta_cf_, kFormatKey, kFormatValue);
  if (!s.ok()) return FromRocks(s, "upgrade from kgstore-2");
  rocksdb::WriteOptions wo;
  wo.sync = true;
  s = db_->Write(wo, &batch);
  if (!s.ok()) return FromRocks(s, "upgrade from kgstore-2");
  // Give the space back now rather than at some later compaction.
  rocksdb::CompactRangeOptions cro;
  const rocksdb::Slice b(begin), e(end);
  // The upgrade is done and durable: a failed compaction only leaves the
  // space to a later one, so it is not an error of Open.
  for (Permutation perm :
       {Permutation::kGSPO, Permutation::kGPOS, Permutation::kGOSP}) {
    db_->CompactRange(cro, index_cf(perm), &b, &e).PermitUncheckedError();
  }
  return absl::OkStatus();
}

absl::Status Store::Compact() {
  rocksdb::CompactRangeOptions cro;
  cro.bottommost_level_compaction =
      rocksdb::BottommostLevelCompaction::kForceOptimized;
  for (auto* h : handles_) {
    rocksdb::Status s = db_->CompactRange(cro, h, nullptr, nullptr);
    if (!s.ok()) return FromRocks(s, "compact");
  }
  return absl::OkStatus();
}

uint64_t Store::DiskSize() const {
  uint64_t total = 0;
  for (auto* h : handles_) {
    uint64_t v = 0;
    if (db_->GetIntProperty(h, "rocksdb.live-sst-files-size", &v)) total += v;
  }
  return total;
}

std::unique_ptr<ReadView> Store::NewReadView() const {
  return std::unique_ptr<ReadView>(new ReadView(this));
}

absl::StatusOr<std::unique_ptr<WriteTxn>> Store::BeginWrite() {
  if (options_.read_only)
    return absl::FailedPreconditionError(
        absl::StrCat("store ", path_, " is open read-only"));
  std::unique_lock<std::mutex> lock(writer_mu_);
  return std::unique_ptr<WriteTxn>(new WriteTxn(this, std::move(lock)));
}

// ---- ReadView --------------------------------------------------------------

namespace {

// The quads of a probe answered by the ProbeCache.
class CachedProbeIterator : public QuadIdIterator {
 public:
  explicit CachedProbeIterator(ProbeCache::Rows rows)
      : rows_(std::move(rows)) {}
  bool Valid() const override { return pos_ < rows_->size(); }
  const QuadIds& quad() const override { return (*rows_)[pos_]; }
  void Next() override { ++pos_; }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  ProbeCache::Rows rows_;
  size_t pos_ = 0;
};

// Passes a RocksDB probe through and, if it is read to its end without an
// error and yields at most ProbeCache::kMaxRows quads, caches its quads.
class RecordingIterator : public QuadIdIterator {
 public:
  RecordingIterator(std::unique_ptr<QuadIdIterator> inner, ProbeCache* cache,
                    uint64_t sequence, const ProbeCache::ProbeKey& key)
      : inner_(std::move(inner)), cache_(cache), sequence_(sequence),
        key_(key) {
    Record();
  }
  bool Valid() const override { return inner_->Valid(); }
  const QuadIds& quad() const override { return inner_->quad(); }
  void Next() override {
    inner_->Next();
    Record();
  }
  absl::Status status() const override { return inner_->status(); }

 private:
  void Record() {
    if (!recording_) return;
    if (inner_->Valid()) {
      if (rows_.size() == ProbeCache::kMaxRows) {
        recording_ = false;  // too long to keep
        rows_ = {};
        return;
      }
      rows_.push_back(inner_->quad());
      return;
    }
    recording_ = false;
    if (inner_->status().ok()) cache_->Insert(sequence_, key_, std::move(rows_));
  }

  std::unique_ptr<QuadIdIterator> inner_;
  ProbeCache* cache_;
  uint64_t sequence_;
  ProbeCache::ProbeKey key_;
  std::vector<QuadIds> rows_;
  bool recording_ = true;
};

}  // namespace

// The adjacency cost model (predicate_adjacency.h): what a RocksDB scan
// costs per seek and per row with its blocks cached, and what building an
// adjacency costs per quad, on the development machine (bench/RESULTS.md,
// "In-memory adjacencies").
constexpr double kSeekNs = 2000, kRowNs = 200, kBuildNsPerQuad = 400;

ReadView::ReadView(const Store* store)
    : store_(store), next_id_(store->next_id()) {
  snapshot_ = store->db()->GetSnapshot();
  // After the snapshot: a load sets the flag before it ingests its blocks,
  // so a snapshot that can see them finds the flag set. (Read before, the
  // flag could predate a load that the snapshot then sees.)
  blocks_ = store->has_blocks();
  sequence_ = snapshot_->GetSequenceNumber();
}

ReadView::~ReadView() {
  for (auto& pool : pool_) pool.clear();  // before the snapshot goes
  store_->db()->ReleaseSnapshot(snapshot_);
}

absl::StatusOr<Term> ReadView::Resolve(TermId id) const {
  Term term;
  if (IsInline(id)) {
    if (!DecodeInline(id, &term))
      return absl::DataLossError(absl::StrCat("bad inline id ", absl::Hex(id)));
    return term;
  }
  if (TagOf(id) == TermTag::kBlankNode)
    return Term::BlankNode(Store::BlankLabel(id));
  if (id == kDefaultGraph)
    return absl::InvalidArgumentError("the default graph has no term");
  if (store_->term_cache()->Get(id, &term)) return term;
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  char buf[kMaxEncodedIdSize];
  size_t n = EncodeId(id, buf);
  std::string value;
  rocksdb::Status s =
      store_->db()->Get(ro, store_->id2term_cf(), rocksdb::Slice(buf, n), &value);
  if (s.IsNotFound())
    return absl::NotFoundError(
        absl::StrCat("term id ", absl::Hex(id), " is not in the dictionary"));
  if (!s.ok()) return FromRocks(s, "dictionary lookup");
  if (!DeserializeTerm(value, &term))
    return absl::DataLossError(
        absl::StrCat("malformed dictionary entry for id ", absl::Hex(id)));
  store_->term_cache()->Put(id, term);
  return term;
}

absl::StatusOr<std::optional<TermId>> ReadView::Lookup(const Term& term) const {
  if (auto inl = TryInline(term)) return inl;
  if (term.is_blank()) {
    auto id = Store::ParseBlankLabel(term.lexical);
    if (id && PayloadOf(*id) < store_->next_id()) return id;
    return std::optional<TermId>();
  }
  std::string serialized;
  SerializeTerm(term, &serialized);
  return LookupSerialized(serialized);
}

absl::StatusOr<std::optional<TermId>> ReadView::LookupSerialized(
    std::string_view serialized) const {
  const std::string key = Store::TermHashKey(serialized);
  TermId id;
  // A cached id is only used when this snapshot can see it: a term
  // committed later has an id at or above next_id_.
  if (store_->term_cache()->GetId(key, &id) && PayloadOf(id) < next_id_)
    return std::optional<TermId>(id);
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::string value;
  rocksdb::Status s = store_->db()->Get(ro, store_->term2id_cf(), key, &value);
  if (s.IsNotFound()) return std::optional<TermId>();
  if (!s.ok()) return FromRocks(s, "dictionary lookup");
  std::string_view v(value);
  if (!DecodeId(&v, &id))
    return absl::DataLossError("malformed term2id entry");
  store_->term_cache()->PutId(key, id);
  return std::optional<TermId>(id);
}

std::unique_ptr<QuadIdIterator> ReadView::Scan(const QuadIds& pattern,
                                               unsigned bound_mask) const {
  if (bound_mask & 2) {
    if (auto adj = AdjacencyFor(pattern.p, bound_mask))
      return PredicateAdjacency::Scan(std::move(adj), pattern, bound_mask);
  }
  ProbeCache* probes = store_->probe_cache();
  if ((bound_mask & 5) != 0 && probes->enabled()) {
    // A probe by subject or object: its answer is usually a few quads.
    const ProbeCache::ProbeKey key = ProbeCache::Key(pattern, bound_mask);
    if (ProbeCache::Rows rows = probes->Find(sequence_, key)) {
      // Charged as the RocksDB scan it replaces: the cache changes no
      // decision of when an adjacency is built (one serves a predicate's
      // probes several times faster still), it only makes the wait cheap.
      if (bound_mask & 2) NoteScanCost(pattern.p, rows->size());
      return std::make_unique<CachedProbeIterator>(std::move(rows));
    }
    auto it = ScanIndexes(pattern, bound_mask);
    if ((bound_mask & 7) == 7) {
      // S, P and O bound: at most one quad per graph, and the caller often
      // only asks whether there is one, never reading to the end: read it
      // all now, so that the cache gets it.
      std::vector<QuadIds> rows;
      for (; it->Valid() && rows.size() <= ProbeCache::kMaxRows; it->Next())
        rows.push_back(it->quad());
      if (!it->status().ok()) return it;
      if (!it->Valid())
        return std::make_unique<CachedProbeIterator>(
            probes->Insert(sequence_, key, std::move(rows)));
      return ScanIndexes(pattern, bound_mask);  // in > kMaxRows graphs
    }
    return std::make_unique<RecordingIterator>(std::move(it), probes,
                                               sequence_, key);
  }
  return ScanIndexes(pattern, bound_mask);
}

std::shared_ptr<const PredicateAdjacency> ReadView::AdjacencyFor(
    TermId predicate, unsigned /*bound_mask: any shape with P bound*/) const {
  AdjacencyCache* cache = store_->adjacency_cache();
  if (cache->budget_bytes() == 0) return nullptr;
  PredicateStats ps;
  {
    std::lock_guard<std::mutex> l(memo_mu_);
    auto memo = adjacency_.find(predicate);
    if (memo != adjacency_.end()) return memo->second;
    if (auto adj = cache->Find(predicate, sequence_)) {
      adjacency_.emplace(predicate, adj);
      return adj;
    }
    auto st = predicate_stats_.find(predicate);
    if (st == predicate_stats_.end())
      st = predicate_stats_.emplace(predicate, store_->StatisticsOf(predicate))
               .first;
    ps = st->second;
  }
  if (ps.quads == 0) return nullptr;
  // Build once the time finished RocksDB scans of the predicate took
  // (NoteScanCost) reaches the time a build takes: a scan of the
  // predicate, a sort and two hash indexes.
  const size_t bytes = PredicateAdjacency::EstimateBytes(
      ps.quads, ps.distinct_subjects + ps.distinct_objects);
  if (!cache->Wanted(predicate,
                     kBuildNsPerQuad * static_cast<double>(ps.quads), bytes))
    return nullptr;
  // Wanted claimed the build: Insert (in BuildAdjacency) ends the claim,
  // and otherwise this does, on every way out (an error, an exception).
  bool inserted = false;
  absl::Cleanup release = [&] {
    if (!inserted) cache->ResetDemand(predicate);
  };
  auto built = BuildAdjacency(predicate);
  if (!built.ok()) return nullptr;  // the RocksDB scan reports the error
  inserted = true;
  return *built;
}

absl::StatusOr<std::shared_ptr<const PredicateAdjacency>>
ReadView::BuildAdjacency(TermId predicate, const std::atomic<bool>* cancel,
                         bool memoize) const {
  static const bool trace = getenv("KG_TRACE_ADJACENCY") != nullptr;
  const auto start = std::chrono::steady_clock::now();
  QuadIds p;
  p.p = predicate;
  std::unique_ptr<QuadIdIterator> it = ScanIndexes(p, 2, /*charge=*/false);
  if (cancel) it = std::make_unique<CancellableIterator>(std::move(it), cancel);
  auto built = PredicateAdjacency::Build(predicate, *it);
  if (!built.ok()) return built.status();
  store_->adjacency_cache()->Insert(sequence_, *built);
  if (memoize) {
    std::lock_guard<std::mutex> l(memo_mu_);
    adjacency_.emplace(predicate, *built);
  }
  if (trace) {
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    fprintf(stderr,
            "kg: adjacency of predicate %llx: %llu quads, %.1f MiB, %.1f ms "
            "(%.0f ns/quad)\n",
            static_cast<unsigned long long>(predicate),
            static_cast<unsigned long long>((*built)->quads()),
            (*built)->bytes() / 1048576.0, ms,
            ms * 1e6 / std::max<uint64_t>(1, (*built)->quads()));
  }
  return *built;
}

absl::StatusOr<size_t> Store::PreloadAdjacencies() const {
  return BuildAdjacencies(nullptr);
}

void Store::WarmAdjacenciesInBackground() {
  if (warm_thread_.joinable() || warm_stop_ ||
      adjacency_cache_->budget_bytes() == 0)
    return;
  warm_thread_ = std::thread([this] {
    // Below the threads that run queries: warming must not slow them. (The
    // second builder thread inherits the priority.)
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    BuildAdjacencies(&warm_stop_).IgnoreError();
  });
}

absl::StatusOr<size_t> Store::BuildAdjacencies(
    const std::atomic<bool>* stop) const {
  std::vector<std::pair<TermId, PredicateStats>> preds;
  {
    auto stats = StatisticsSnapshot();
    preds.assign(stats->predicates.begin(), stats->predicates.end());
  }
  std::sort(preds.begin(), preds.end(), [](const auto& a, const auto& b) {
    return a.second.quads < b.second.quads;
  });
  // The smallest predicates that fit the budget together.
  size_t bytes = adjacency_cache_->bytes(), fit = 0;
  for (; fit < preds.size(); ++fit) {
    const PredicateStats& ps = preds[fit].second;
    bytes += PredicateAdjacency::EstimateBytes(
        ps.quads, ps.distinct_subjects + ps.distinct_objects);
    if (bytes > adjacency_cache_->budget_bytes()) break;
  }
  // Two builders (the machine this targets has two cores) share one
  // snapshot; a view's iterator pool and memo are locked for that.
  std::shared_ptr<ReadView> view = NewReadView();
  std::atomic<size_t> built{0};
  std::atomic<bool> failed{false};
  absl::Status first_error;
  std::mutex error_mu;
  // Next: the predicate queries have asked for most (they are running
  // meanwhile), else the smallest left. The demand map holds only the
  // predicates scanned through RocksDB and not built since: usually few.
  std::mutex pick_mu;
  std::vector<bool> claimed(fit, false);
  absl::flat_hash_map<TermId, size_t> position;
  for (size_t i = 0; i < fit; ++i) position.emplace(preds[i].first, i);
  size_t smallest = 0;  // all below are claimed
  auto pick = [&]() -> std::optional<size_t> {
    const auto demands = adjacency_cache_->Demands();
    std::lock_guard<std::mutex> l(pick_mu);
    std::optional<size_t> best;
    double best_demand = 0;
    for (const auto& [p, demand] : demands) {
      auto at = position.find(p);
      if (at == position.end() || claimed[at->second]) continue;
      if (demand > best_demand) {
        best = at->second;
        best_demand = demand;
      }
    }
    if (!best) {
      while (smallest < fit && claimed[smallest]) ++smallest;
      if (smallest < fit) best = smallest;
    }
    if (best) claimed[*best] = true;
    return best;
  };
  auto builder = [&] {
    for (std::optional<size_t> next; (next = pick());) {
      const size_t i = *next;
      if ((stop && *stop) || failed) return;
      // Not if a query is building it (or built it) meanwhile.
      if (!adjacency_cache_->NeedsBuild(preds[i].first, view->sequence_))
        continue;
      auto adj = view->BuildAdjacency(preds[i].first, stop, /*memoize=*/false);
      if (!adj.ok()) {
        std::lock_guard<std::mutex> l(error_mu);
        if (!failed.exchange(true)) first_error = adj.status();
        return;
      }
      ++built;
    }
  };
  std::thread other(builder);
  builder();
  other.join();
  if (failed) return first_error;
  return built.load();
}

void ReadView::NoteScanCost(TermId predicate, uint64_t rows) const {
  store_->adjacency_cache()->AddDemand(
      predicate, kSeekNs + kRowNs * static_cast<double>(rows));
}

std::unique_ptr<QuadIdIterator> ReadView::ScanIndexes(const QuadIds& pattern,
                                                      unsigned bound_mask,
                                                      bool charge) const {
  const ScanPlan plan = PlanScan(pattern, bound_mask);
  const Permutation perm = plan.perm;
  std::string prefix;
  EncodePrefix(perm, pattern, plan.prefix_mask, &prefix);
  const bool charge_predicate = charge && (bound_mask & 2) != 0;
  if (plan.prefix_mask == 15) {
    if (charge_predicate) NoteScanCost(pattern.p, 0);
    auto held = Holds(perm, prefix);
    if (!held.ok())
      return std::make_unique<PointIterator>(pattern, false, held.status());
    return std::make_unique<PointIterator>(pattern, *held, absl::OkStatus());
  }
  std::string upper = PrefixSuccessor(prefix);
  auto it = std::make_unique<PooledIterator>(
      this, perm, std::move(prefix), std::move(upper), plan.default_graph_only);
  if (charge_predicate) it->ChargeTo(pattern.p);
  return it;
}

std::unique_ptr<QuadIdIterator> ReadView::ScanRange(
    Permutation perm, std::string lower, std::string upper,
    bool default_graph_only) const {
  return std::make_unique<PooledIterator>(this, perm, std::move(lower),
                                          std::move(upper), default_graph_only);
}

std::unique_ptr<IndexCursor> ReadView::Borrow(Permutation perm) const {
  {
    std::lock_guard<std::mutex> l(pool_mu_);
    auto& pool = pool_[static_cast<int>(perm)];
    if (!pool.empty()) {
      auto it = std::move(pool.back());
      pool.pop_back();
      return it;
    }
  }
  return NewCursor(perm, rocksdb::ReadOptions());
}

std::unique_ptr<IndexCursor> ReadView::NewCursor(
    Permutation perm, const rocksdb::ReadOptions& options) const {
  rocksdb::ReadOptions ro = options;
  ro.snapshot = snapshot_;
  // No upper bound for the blocks: a block is keyed by its last key, which
  // may lie above the bound while earlier keys of the block do not.
  rocksdb::ReadOptions blocks_ro = ro;
  blocks_ro.iterate_upper_bound = nullptr;
  rocksdb::ColumnFamilyHandle* blocks =
      blocks_ ? store_->blocks_cf(perm) : nullptr;
  return std::make_unique<IndexCursor>(
      std::unique_ptr<rocksdb::Iterator>(
          store_->db()->NewIterator(ro, store_->index_cf(perm))),
      blocks ? std::unique_ptr<rocksdb::Iterator>(
                   store_->db()->NewIterator(blocks_ro, blocks))
             : nullptr,
      PermutationName(perm));
}

absl::StatusOr<bool> ReadView::Holds(Permutation perm,
                                     std::string_view key) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  rocksdb::PinnableSlice value;
  rocksdb::Status s = store_->db()->Get(ro, store_->index_cf(perm),
                                        rocksdb::Slice(key.data(), key.size()),
                                        &value);
  if (s.ok()) return true;
  if (!s.IsNotFound()) return FromRocks(s, "point lookup");
  if (!blocks_ || store_->blocks_cf(perm) == nullptr) return false;
  std::unique_ptr<IndexCursor> cursor = Borrow(perm);
  const bool held = cursor->BlocksHold(key);
  absl::Status status = cursor->status();
  if (status.ok()) Return(perm, std::move(cursor));
  if (!status.ok()) return status;
  return held;
}

void ReadView::Return(Permutation perm,
                      std::unique_ptr<IndexCursor> it) const {
  std::lock_guard<std::mutex> l(pool_mu_);
  auto& pool = pool_[static_cast<int>(perm)];
  if (pool.size() < 8) pool.push_back(std::move(it));
}

std::unique_ptr<QuadIdIterator> ReadView::ScanIndex(Permutation perm) const {
  auto it = std::make_unique<RocksQuadIterator>(perm, std::string());
  it->Start(rocksdb::ReadOptions(), [&](const rocksdb::ReadOptions& o) {
    return NewCursor(perm, o);
  });
  return it;
}

// ---- WriteTxn --------------------------------------------------------------

WriteTxn::WriteTxn(Store* store, std::unique_lock<std::mutex> lock)
    : store_(store),
      lock_(std::move(lock)),
      view_(store->NewReadView()),
      batch_(std::make_unique<rocksdb::WriteBatchWithIndex>(
          rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true)),
      stats_(store->Statistics()),
      next_id_(store->next_id()) {}

WriteTxn::~WriteTxn() { Abort(); }

void WriteTxn::Abort() {
  if (finished_) return;
  finished_ = true;
  batch_->Clear();
  view_.reset();
  if (lock_.owns_lock()) lock_.unlock();
}

absl::StatusOr<std::optional<TermId>> WriteTxn::Lookup(const Term& term) {
  if (finished_) return absl::FailedPreconditionError("transaction finished");
  if (term.is_blank()) {
    auto it = blank_labels_.find(term.lexical);
    if (it != blank_labels_.end()) return std::optional<TermId>(it->second);
    auto id = Store::ParseBlankLabel(term.lexical);
    if (id && PayloadOf(*id) < next_id_) return id;
    return std::optional<TermId>();
  }
  if (auto inl = TryInline(term)) return inl;
  std::string serialized;
  SerializeTerm(term, &serialized);
  auto it = new_terms_.find(serialized);
  if (it != new_terms_.end()) return std::optional<TermId>(it->second);
  return view_->Lookup(term);
}

absl::StatusOr<TermId> WriteTxn::Intern(const Term& term) {
  auto found = Lookup(term);
  if (!found.ok()) return found.status();
  if (found->has_value()) return **found;
  if (next_id_ >= kPayloadMask)
    return absl::ResourceExhaustedError("term id space exhausted");
  TermId id = MakeId(DictionaryTagFor(term), next_id_++);
  if (term.is_blank()) {
    blank_labels_.emplace(term.lexical, id);
    return id;
  }
  std::string serialized;
  SerializeTerm(term, &serialized);
  new_terms_.emplace(std::move(serialized), id);
  new_terms_by_id_.emplace(id, term);
  return id;
}

absl::StatusOr<Term> WriteTxn::Resolve(TermId id) const {
  auto it = new_terms_by_id_.find(id);
  if (it != new_terms_by_id_.end()) return it->second;
  return view_->Resolve(id);
}

bool WriteTxn::PrefixExists(Permutation perm, const QuadIds& q,
                            unsigned mask) const {
  auto it = Scan(q, mask);
  (void)perm;
  return it->Valid();
}

std::unique_ptr<QuadIdIterator> WriteTxn::Scan(const QuadIds& pattern,
                                               unsigned bound_mask) const {
  const ScanPlan plan = PlanScan(pattern, bound_mask);
  const Permutation perm = plan.perm;
  std::string prefix;
  EncodePrefix(perm, pattern, plan.prefix_mask, &prefix);
  auto it = std::make_unique<RocksQuadIterator>(perm, std::move(prefix),
                                                plan.default_graph_only);
  it->Start(rocksdb::ReadOptions(), [&](const rocksdb::ReadOptions& o) {
    return NewCursor(perm, o);
  });
  return it;
}

std::unique_ptr<QuadIdIterator> WriteTxn::ScanRange(
    Permutation perm, std::string lower, std::string upper,
    bool default_graph_only) const {
  return std::make_unique<PooledIterator>(
      nullptr, perm, std::move(lower), std::move(upper), default_graph_only,
      NewCursor(perm, rocksdb::ReadOptions()));
}

std::unique_ptr<IndexCursor> WriteTxn::NewCursor(
    Permutation perm, const rocksdb::ReadOptions& options) const {
  // Merged with the batch: the transaction reads its own writes. (The
  // merged iterator checks bounds itself; the base iterator gets them.)
  rocksdb::ReadOptions ro = options;
  ro.snapshot = view_->snapshot_;
  // As in ReadView::NewCursor: no upper bound for the blocks.
  rocksdb::ReadOptions blocks_ro = ro;
  blocks_ro.iterate_upper_bound = nullptr;
  auto merged = [&](rocksdb::ColumnFamilyHandle* cf,
                    const rocksdb::ReadOptions& o) {
    return std::unique_ptr<rocksdb::Iterator>(
        batch_->NewIteratorWithBase(cf, store_->db()->NewIterator(o, cf)));
  };
  rocksdb::ColumnFamilyHandle* blocks =
      view_->blocks_ ? store_->blocks_cf(perm) : nullptr;
  return std::make_unique<IndexCursor>(
      merged(store_->index_cf(perm), ro),
      blocks ? merged(blocks, blocks_ro) : nullptr, PermutationName(perm));
}

absl::StatusOr<bool> WriteTxn::Holds(const std::string& spog_key) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = view_->snapshot_;
  std::string value;
  rocksdb::Status s = batch_->GetFromBatchAndDB(
      store_->db(), ro, store_->index_cf(Permutation::kSPOG), spog_key,
      &value);
  if (s.ok()) return true;
  if (!s.IsNotFound()) return FromRocks(s, "existence check");
  rocksdb::ColumnFamilyHandle* cf = store_->blocks_cf(Permutation::kSPOG);
  if (!view_->blocks_ || cf == nullptr) return false;
  // Only the blocks side: the plain side was just asked.
  IndexCursor blocks(
      std::unique_ptr<rocksdb::Iterator>(rocksdb::NewEmptyIterator()),
      std::unique_ptr<rocksdb::Iterator>(
          batch_->NewIteratorWithBase(cf, store_->db()->NewIterator(ro, cf))),
      PermutationName(Permutation::kSPOG));
  const bool held = blocks.BlocksHold(spog_key);
  absl::Status status = blocks.status();
  if (!status.ok()) return status;
  return held;
}

absl::Status WriteTxn::RemoveFromBlocks(Permutation perm,
                                        const std::string& key) {
  rocksdb::ColumnFamilyHandle* cf = store_->blocks_cf(perm);
  if (!view_->blocks_ || cf == nullptr) return absl::OkStatus();
  rocksdb::ReadOptions ro;
  ro.snapshot = view_->snapshot_;
  std::unique_ptr<rocksdb::Iterator> it(
      batch_->NewIteratorWithBase(cf, store_->db()->NewIterator(ro, cf)));
  it->Seek(key);  // the one block that may hold key (packed_block.h)
  if (!it->Valid()) return FromRocks(it->status(), "remove");
  // Rebuild the block without the key. The iterator's slices die with the
  // batch writes below: copy first.
  const std::string old_key = it->key().ToString();
  const std::string old_value = it->value().ToString();
  it.reset();
  PackedBlockReader reader;
  PackedBlockWriter writer;
  bool found = false;
  for (reader.Reset(old_key, old_value); reader.Valid(); reader.Next()) {
    if (reader.key() == key) {
      found = true;
    } else {
      writer.Add(reader.key());
    }
  }
  if (reader.corrupt())
    return absl::DataLossError(absl::StrCat(
        "malformed packed block in index ", Sv(PermutationName(perm))));
  if (!found) return absl::OkStatus();
  rocksdb::Status s;
  if (writer.entries() == 0 || writer.key() != old_key)
    s = batch_->Delete(cf, old_key);
  if (s.ok() && writer.entries() > 0)
    s = batch_->Put(cf, rocksdb::Slice(writer.key().data(),
                                       writer.key().size()),
                    rocksdb::Slice(writer.value().data(),
                                   writer.value().size()));
  return s.ok() ? absl::OkStatus() : FromRocks(s, "remove");
}

absl::StatusOr<bool> WriteTxn::Insert(const QuadIds& q) {
  if (finished_) return absl::FailedPreconditionError("transaction finished");
  std::string key;
  EncodeQuadKey(Permutation::kSPOG, q, &key);
  auto held = Holds(key);
  if (!held.ok()) return held.status();
  if (*held) return false;
  rocksdb::Status s;
  bool new_subject = !PrefixExists(Permutation::kSPOG, q, 0b0011);
  bool new_object = !PrefixExists(Permutation::kPOSG, q, 0b0110);
  for (int i = 0; i < kNumPermutations; ++i) {
    Permutation perm = static_cast<Permutation>(i);
    if (!IndexHolds(perm, q.g)) continue;
    key.clear();
    EncodeQuadKey(perm, q, &key);
    s = batch_->Put(store_->index_cf(perm), key, rocksdb::Slice());
    if (!s.ok()) return FromRocks(s, "insert");
  }
  PredicateStats& ps = stats_.predicates[q.p];
  ++ps.quads;
  if (new_subject) ++ps.distinct_subjects;
  if (new_object) ++ps.distinct_objects;
  ++stats_.total_quads;
  ++stats_.graphs[q.g];
  dirty_predicates_.insert(q.p);
  dirty_graphs_.insert(q.g);
  return true;
}

absl::StatusOr<bool> WriteTxn::Remove(const QuadIds& q) {
  if (finished_) return absl::FailedPreconditionError("transaction finished");
  std::string key;
  EncodeQuadKey(Permutation::kSPOG, q, &key);
  auto held = Holds(key);
  if (!held.ok()) return held.status();
  if (!*held) return false;
  for (int i = 0; i < kNumPermutations; ++i) {
    Permutation perm = static_cast<Permutation>(i);
    if (!IndexHolds(perm, q.g)) continue;
    key.clear();
    EncodeQuadKey(perm, q, &key);
    rocksdb::Status s = batch_->Delete(store_->index_cf(perm), key);
    if (!s.ok()) return FromRocks(s, "remove");
    absl::Status removed = RemoveFromBlocks(perm, key);
    if (!removed.ok()) return removed;
  }
  PredicateStats& ps = stats_.predicates[q.p];
  --ps.quads;
  if (!PrefixExists(Permutation::kSPOG, q, 0b0011)) --ps.distinct_subjects;
  if (!PrefixExists(Permutation::kPOSG, q, 0b0110)) --ps.distinct_objects;
  if (ps.quads == 0) stats_.predicates.erase(q.p);
  --stats_.total_quads;
  if (--stats_.graphs[q.g] == 0) stats_.graphs.erase(q.g);
  dirty_predicates_.insert(q.p);
  dirty_graphs_.insert(q.g);
  return true;
}

absl::Status WriteTxn::Commit() {
  if (finished_) return absl::FailedPreconditionError("transaction finished");
  rocksdb::Status s;
  for (const auto& [serialized, id] : new_terms_) {
    char buf[kMaxEncodedIdSize];
    size_t n = EncodeId(id, buf);
    s = batch_->Put(store_->id2term_cf(), rocksdb::Slice(buf, n), serialized);
    if (s.ok())
      s = batch_->Put(store_->term2id_cf(), Store::TermHashKey(serialized),
                      rocksdb::Slice(buf, n));
    if (!s.ok()) {
      Abort();
      return FromRocks(s, "commit");
    }
  }
  for (const auto& [key, value] : Store::MetaEntries(
           next_id_, stats_, &dirty_predicates_, &dirty_graphs_)) {
    s = value ? batch_->Put(store_->meta_cf(), key, *value)
              : batch_->Delete(store_->meta_cf(), key);
    if (!s.ok()) {
      Abort();
      return FromRocks(s, "commit");
    }
  }
  rocksdb::WriteOptions wo;
  wo.sync = store_->options().sync_commits;
  s = store_->db()->Write(wo, batch_->GetWriteBatch());
  if (!s.ok()) {
    Abort();
    return FromRocks(s, "commit");
  }
  store_->Published(next_id_, std::move(stats_));
  finished_ = true;
  batch_->Clear();
  view_.reset();
  lock_.unlock();
  return absl::OkStatus();
}

}  // namespace kg
