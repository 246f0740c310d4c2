// RocksKv::Open's read-only open beside a writer that keeps rewriting the
// store: it retries while the store's file set changes under it, then
// gives up with Unavailable instead of returning a view that mixes two
// states (rocks_kv_open.cc, OpenReadOnlyStable).

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>

#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "storage/rocks_kv.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

// A file system that grows the MANIFEST by a byte whenever RocksDB opens
// it for reading, as a writer appending to it meanwhile would.
class GrowingManifest final : public rocksdb::FileSystemWrapper {
 public:
  explicit GrowingManifest(std::shared_ptr<rocksdb::FileSystem> base)
      : FileSystemWrapper(std::move(base)) {}
  const char* Name() const override { return "GrowingManifest"; }
  rocksdb::IOStatus NewSequentialFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSSequentialFile>* file,
      rocksdb::IODebugContext* dbg) override {
    if (name.find("MANIFEST-") != std::string::npos) {
      std::ofstream(name, std::ios::app | std::ios::binary).put('\0');
      ++opens;
    }
    return target()->NewSequentialFile(name, options, file, dbg);
  }
  int opens = 0;
};

TEST_CASE("a read-only open gives up with Unavailable when the store keeps "
          "changing under it",
          "[rocks_kv]") {
  testing::TempDir dir;
  const std::string path = dir.file("store");
  {
    auto kv = RocksKv::Open(path, RocksKvOptions{});
    REQUIRE(kv.ok());
  }
  auto fs = std::make_shared<GrowingManifest>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  RocksKvOptions options;
  options.read_only = true;
  options.env = env.get();
  const auto start = std::chrono::steady_clock::now();
  auto kv = RocksKv::Open(path, options);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(kv.ok());
  INFO(kv.status());
  CHECK(absl::IsUnavailable(kv.status()));
  CHECK(kv.status().message().find("faster than a read-only open") !=
        std::string::npos);
  CHECK(kv.status().message().find("try again") != std::string::npos);
  CHECK(fs->opens >= 25);
  // Bounded: 25 attempts with short pauses, not a hang.
  CHECK(took < std::chrono::seconds(30));
}

TEST_CASE("a read-only open succeeds when the store holds still",
          "[rocks_kv]") {
  testing::TempDir dir;
  const std::string path = dir.file("store");
  {
    auto kv = RocksKv::Open(path, RocksKvOptions{});
    REQUIRE(kv.ok());
  }
  RocksKvOptions options;
  options.read_only = true;
  auto kv = RocksKv::Open(path, options);
  REQUIRE(kv.ok());
}

}  // namespace
}  // namespace kg
