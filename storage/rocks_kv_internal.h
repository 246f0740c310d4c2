// Internal to RocksKv (rocks_kv.h), shared by its three files:
//   rocks_kv.cc        reads, batches, commits, ingestion and upkeep
//   rocks_kv_open.cc   opening (and creating) a store: the column families
//                      and their options, a read-only open beside a writer
//   rocks_kv_files.cc  the file system under the database, which watches
//                      failed reads and the files an ingestion links in
// Nothing outside those files includes this header.

#ifndef KG_STORAGE_ROCKS_KV_INTERNAL_H_
#define KG_STORAGE_ROCKS_KV_INTERNAL_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rocksdb/cache.h"
#include "rocksdb/file_system.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "storage/rocks_kv.h"

namespace kg {
namespace rocks_kv_internal {

inline rocksdb::Slice S(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

// "default" is spelled out: rocksdb::kDefaultColumnFamilyName is a global
// whose initialisation order relative to ours is unspecified.
// The packed-block families come last: a kgstore-3 store lacks them.
// kCfNames[i + 1] is the family of KeySpace i.
inline const std::vector<std::string> kCfNames = {
    "default", "meta",  "id2term", "term2id",     "spog",        "posg",
    "ospg",    "gspo",  "gpos",    "gosp",        "spog_blocks", "posg_blocks",
    "ospg_blocks"};
inline constexpr size_t kFirstBlocksCf = 10;

// The options of one column family of the store: block-based tables over
// the shared `cache`; bloom filters and hash indexes within data blocks
// when the family serves point lookups.
rocksdb::ColumnFamilyOptions IndexOptions(std::shared_ptr<rocksdb::Cache> cache,
                                          bool point_lookups,
                                          size_t block_size);

}  // namespace rocks_kv_internal

// Failed reads of the store's table files (WatchingFileSystem counts them).
struct RocksKv::ReadErrors {
  std::atomic<uint64_t> count{0};
  std::mutex mu;
  std::string last;  // the last one's words
  void Note(const rocksdb::IOStatus& s) {
    {
      std::lock_guard<std::mutex> lock(mu);
      last = s.ToString();
    }
    count.fetch_add(1, std::memory_order_release);
  }
  std::string Last() {
    std::lock_guard<std::mutex> lock(mu);
    return last;
  }
};

// Passes everything on to the file system under it; notes every file
// linked into the store (by ingestions: IngestFiles says why) and counts
// failed reads of table files (RocksKvIterator says why).
class RocksKv::WatchingFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  using rocksdb::FileSystemWrapper::FileSystemWrapper;
  const char* Name() const override { return "KgWatchingFileSystem"; }
  ReadErrors* read_errors() { return &read_errors_; }
  rocksdb::IOStatus NewRandomAccessFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSRandomAccessFile>* result,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus LinkFile(const std::string& src, const std::string& dst,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override;
  // The links (source, name in the store) made since the last call.
  std::vector<std::pair<std::string, std::string>> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(links_, {});
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> links_;
  ReadErrors read_errors_;
};

}  // namespace kg

#endif  // KG_STORAGE_ROCKS_KV_INTERNAL_H_
