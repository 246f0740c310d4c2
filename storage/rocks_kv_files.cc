// RocksKv::WatchingFileSystem (rocks_kv_internal.h): the file system under
// every store. It passes everything on to the file system below it (the
// default, or a test's fault-injecting one), counts failed reads of table
// files (RocksDB 7.8 can drop such an error inside a merging iterator:
// rocks_kv.cc, RocksKvIterator) and notes the files an ingestion links in
// (RocksKv::IngestFiles says why).

#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "rocksdb/file_system.h"
#include "storage/rocks_kv_internal.h"

namespace kg {

namespace {

// A table file whose failed reads are counted (RocksKvIterator says why).
class CountingRandomAccessFile final
    : public rocksdb::FSRandomAccessFileOwnerWrapper {
 public:
  CountingRandomAccessFile(std::unique_ptr<rocksdb::FSRandomAccessFile> file,
                           RocksKv::ReadErrors* errors)
      : FSRandomAccessFileOwnerWrapper(std::move(file)), errors_(errors) {}
  rocksdb::IOStatus Read(uint64_t offset, size_t n,
                         const rocksdb::IOOptions& options,
                         rocksdb::Slice* result, char* scratch,
                         rocksdb::IODebugContext* dbg) const override {
    rocksdb::IOStatus s =
        target()->Read(offset, n, options, result, scratch, dbg);
    if (!s.ok()) [[unlikely]]
      errors_->Note(s);
    return s;
  }
  rocksdb::IOStatus MultiRead(rocksdb::FSReadRequest* reqs, size_t num_reqs,
                              const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->MultiRead(reqs, num_reqs, options, dbg);
    if (!s.ok()) [[unlikely]] {
      errors_->Note(s);
      return s;
    }
    for (size_t i = 0; i < num_reqs; ++i) {
      if (!reqs[i].status.ok()) [[unlikely]] {
        errors_->Note(reqs[i].status);
        break;
      }
    }
    return s;
  }

 private:
  RocksKv::ReadErrors* errors_;
};


}  // namespace

rocksdb::IOStatus RocksKv::WatchingFileSystem::NewRandomAccessFile(
    const std::string& name, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSRandomAccessFile>* result,
    rocksdb::IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSRandomAccessFile> file;
  rocksdb::IOStatus s = target()->NewRandomAccessFile(name, options, &file, dbg);
  if (s.ok())
    *result = std::make_unique<CountingRandomAccessFile>(std::move(file),
                                                         &read_errors_);
  return s;
}

rocksdb::IOStatus RocksKv::WatchingFileSystem::LinkFile(
    const std::string& src, const std::string& dst,
    const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) {
  rocksdb::IOStatus s = target()->LinkFile(src, dst, options, dbg);
  if (s.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    links_.emplace_back(src, dst);
  }
  return s;
}

RocksKv::ReadErrors* RocksKv::read_errors() const {
  return fs_->read_errors();
}

}  // namespace kg
