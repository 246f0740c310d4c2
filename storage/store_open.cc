// Store::Open and what follows it: the key-value store (RocksKv, the one
// place that names the backend), the caches, the format marker (upgrading
// kgstore-2 and kgstore-3 stores in place) and the statistics; also
// Compact and DiskSize.

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/meta_keys.h"
#include "storage/rocks_kv.h"
#include "storage/store.h"

namespace kg {
namespace {

// Writes the current format marker, durably.
absl::Status WriteFormatMarker(OrderedKv& kv) {
  std::unique_ptr<KvBatch> batch = kv.NewBatch(/*readable=*/false);
  absl::Status s =
      batch->Put(KeySpace::kMeta, meta::kFormatKey, meta::kFormatValue);
  if (s.ok()) s = kv.Write(*batch, /*sync=*/true);
  return s;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path,
                                                   const StoreOptions& opts) {
  auto kv = RocksKv::Open(
      path, RocksKvOptions{.create_if_missing = opts.create_if_missing,
                           .read_only = opts.read_only,
                           .block_cache_bytes = opts.block_cache_bytes,
                           .env = opts.env});
  if (!kv.ok()) return kv.status();
  const bool created_directory = (*kv)->created_directory();
  if (!opts.read_only) {
    // A bulk load killed before its ingestion leaves its files in
    // bulk-load-tmp (bulk_loader.cc); no load runs now (this open holds
    // the lock), so they go, rather than waiting for the next load.
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(path) / "bulk-load-tmp",
                                ec);
  }
  auto store = std::unique_ptr<Store>(new Store());
  store->path_ = path;
  store->options_ = opts;
  store->kv_ = *std::move(kv);
  for (Permutation perm :
       {Permutation::kSPOG, Permutation::kPOSG, Permutation::kOSPG}) {
    if (!store->has_blocks_space(perm)) continue;
    std::unique_ptr<KvIterator> it =
        store->kv_->NewIterator(BlocksSpace(perm), KvReadOptions());
    it->SeekToFirst();
    if (!it->status().ok())
      return WithContext(it->status(), absl::StrCat("open ", path));
    if (it->Valid()) store->has_blocks_ = true;
  }
  store->term_cache_ = std::make_unique<TermCache>(opts.term_cache_bytes);
  store->adjacency_cache_ =
      std::make_unique<AdjacencyCache>(opts.adjacency_cache_bytes);
  store->probe_cache_ = std::make_unique<ProbeCache>(opts.probe_cache_bytes);
  absl::Status meta = store->LoadMeta();
  if (!meta.ok()) {
    if (created_directory) {
      store.reset();
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
    return meta;
  }
  return store;
}

Store::~Store() {
  warm_stop_ = true;
  if (warm_thread_.joinable()) warm_thread_.join();
}

absl::Status Store::LoadMeta() {
  std::string value;
  auto found = kv_->Get(nullptr, KeySpace::kMeta, meta::kFormatKey, &value);
  if (!found.ok()) return WithContext(found.status(), "read format marker");
  if (!*found) {
    if (options_.read_only)
      // Open writes it right after creating the store: a creation that
      // was interrupted, which a writable open completes.
      return absl::NotFoundError(absl::StrCat(
          "no kgstore store at ", path_, " (it has no format marker: its "
          "creation was interrupted; a writable open completes it)"));
    absl::Status s = WriteFormatMarker(*kv_);
    if (!s.ok()) return WithContext(s, "write format marker");
  } else if (value == meta::kFormatWithDefaultGraphFirst) {
    if (options_.read_only) {
      graph_first_has_default_ = true;  // readable as it is
    } else {
      absl::Status up = UpgradeGraphFirstIndexes();
      if (!up.ok()) return up;
    }
  } else if (value == meta::kFormatWithoutBlocks) {
    if (!options_.read_only) {  // Open created the (empty) block spaces
      absl::Status s = WriteFormatMarker(*kv_);
      if (!s.ok()) return WithContext(s, "upgrade to kgstore-4");
    }
  } else if (value != meta::kFormatValue) {
    return absl::FailedPreconditionError(absl::StrCat(
        path_, " has store format '", value, "'; this build reads '",
        Sv(meta::kFormatValue), "'",
        value == "kgstore-1"
            ? ": dump it with the kgstore build that wrote it (kg dump) and "
              "load the dump into a new store"
            : ""));
  }

  return LoadStatistics();
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
  // created the block spaces, the other kgstore-3 -> 4 change).
  const auto [begin, end] = DefaultGraphFirstRange();
  std::unique_ptr<KvBatch> batch = kv_->NewBatch(/*readable=*/false);
  absl::Status s;
  for (Permutation perm :
       {Permutation::kGSPO, Permutation::kGPOS, Permutation::kGOSP}) {
    if (s.ok()) s = batch->DeleteRange(IndexSpace(perm), begin, end);
  }
  if (s.ok())
    s = batch->Put(KeySpace::kMeta, meta::kFormatKey, meta::kFormatValue);
  if (s.ok()) s = kv_->Write(*batch, /*sync=*/true);
  if (!s.ok()) return WithContext(s, "upgrade from kgstore-2");
  // Give the space back now rather than at some later compaction. The
  // upgrade is done and durable: a failed compaction only leaves the
  // space to a later one, so it is not an error of Open.
  for (Permutation perm :
       {Permutation::kGSPO, Permutation::kGPOS, Permutation::kGOSP}) {
    kv_->CompactRange(IndexSpace(perm), begin, end).IgnoreError();
  }
  return absl::OkStatus();
}

absl::Status Store::Compact() {
  return WithContext(kv_->CompactAll(), "compact");
}

uint64_t Store::DiskSize() const { return kv_->LiveBytes(); }

}  // namespace kg
