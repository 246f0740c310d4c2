// What a killed process leaves behind, made on purpose with raw RocksDB
// (as tests/stress/crash_recovery.cc found it by killing writers): a store
// whose creation stopped midway, a bulk load's temporary files. Each must
// open, and a writable open must finish the job.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "engine/database.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "tests/util/run_command.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Creates a RocksDB database at `path` with these column families, as
// RocksDB's creation leaves it after each step, and writes `puts` into
// "default" (key = value).
void RawDatabase(const std::string& path, const std::vector<std::string>& families,
                 const std::vector<std::string>& puts = {}) {
  fs::create_directories(path);
  rocksdb::DBOptions o;
  o.create_if_missing = true;
  o.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const std::string& f : families)
    cfs.emplace_back(f, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(o, path, cfs, &handles, &raw);
  INFO(opened.ToString());
  REQUIRE(opened.ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  for (const std::string& k : puts)
    REQUIRE(db->Put(rocksdb::WriteOptions(), k, k).ok());
  for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  REQUIRE(db->Close().ok());
}

// A writable open completes it: the store works and checks sound, and
// opens again.
void ExpectCompletedByWritableOpen(const std::string& path) {
  {
    auto db = Database::Open(path, {});
    INFO((db.ok() ? std::string("ok") : db.status().ToString()));
    REQUIRE(db.ok());
    auto txn = (*db)->BeginTransaction();
    REQUIRE(txn.ok());
    REQUIRE((*txn)->Insert(Quad{Term::Iri("urn:s"), Term::Iri("urn:p"),
                                Term::Literal("o"), {}})
                .ok());
    REQUIRE((*txn)->Commit().ok());
    auto problems = (*db)->Check();
    REQUIRE(problems.ok());
    CHECK(problems->empty());
  }
  auto again = Database::Open(path, {.read_only = true});
  REQUIRE(again.ok());
  CHECK(testing::Lines(*(*again)->Match({})).size() == 1);
}

const std::vector<std::string> kAllFamilies = {
    "default", "meta",  "id2term", "term2id",     "spog",        "posg",
    "ospg",    "gspo",  "gpos",    "gosp",        "spog_blocks", "posg_blocks",
    "ospg_blocks"};

TEST_CASE("a store whose creation was killed midway opens", "[crash]") {
  TempDir dir;
  const std::string path = dir.file("store");

  SECTION("killed while creating the column families") {
    RawDatabase(path, {"default", "meta", "id2term"});
    auto ro = Database::Open(path, {.read_only = true});
    REQUIRE_FALSE(ro.ok());
    CHECK(ro.status().code() == absl::StatusCode::kNotFound);
    CHECK(testing::Has(std::string(ro.status().message()),
                       "creation was interrupted"));
    ExpectCompletedByWritableOpen(path);
  }
  SECTION("killed before CURRENT was written") {
    RawDatabase(path, {"default"});
    fs::remove(fs::path(path) / "CURRENT");
    ExpectCompletedByWritableOpen(path);
  }
  SECTION("killed before the format marker was written") {
    RawDatabase(path, kAllFamilies);
    auto ro = Database::Open(path, {.read_only = true});
    REQUIRE_FALSE(ro.ok());
    CHECK(ro.status().code() == absl::StatusCode::kNotFound);
    CHECK(testing::Has(std::string(ro.status().message()),
                       "creation was interrupted"));
    ExpectCompletedByWritableOpen(path);
  }
  SECTION("but a database that holds data is not taken over") {
    RawDatabase(path, {"default", "meta"}, {"a", "b"});
    {  // flushed: a table file
      rocksdb::DB* raw = nullptr;
      std::vector<rocksdb::ColumnFamilyHandle*> handles;
      rocksdb::DBOptions o;
      REQUIRE(rocksdb::DB::Open(o, path,
                                {{"default", {}}, {"meta", {}}}, &handles,
                                &raw)
                  .ok());
      REQUIRE(raw->Flush(rocksdb::FlushOptions()).ok());
      for (auto* h : handles) REQUIRE(raw->DestroyColumnFamilyHandle(h).ok());
      delete raw;
    }
    auto db = Database::Open(path, {});
    REQUIRE_FALSE(db.ok());
    CHECK(db.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(testing::Has(std::string(db.status().message()),
                       "not a kgstore store"));
    // Nor one without CURRENT.
    fs::remove(fs::path(path) / "CURRENT");
    auto again = Database::Open(path, {});
    REQUIRE_FALSE(again.ok());
    CHECK(again.status().code() == absl::StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("a killed load's temporary files go at the next writable open",
          "[crash]") {
  TempDir dir;
  const std::string path = dir.file("store");
  { REQUIRE(Database::Open(path, {}).ok()); }
  fs::create_directories(fs::path(path) / "bulk-load-tmp");
  std::ofstream(fs::path(path) / "bulk-load-tmp" / "spog-0.sst") << "partial";
  {
    auto ro = Database::Open(path, {.read_only = true});
    REQUIRE(ro.ok());  // a reader leaves them: a load may be running
    CHECK(fs::exists(fs::path(path) / "bulk-load-tmp"));
  }
  auto db = Database::Open(path, {});
  REQUIRE(db.ok());
  CHECK_FALSE(fs::exists(fs::path(path) / "bulk-load-tmp"));
}

}  // namespace
}  // namespace kg
