// Test helpers: a temporary directory removed at scope exit, a store built
// from a few lines of inline Turtle/TriG, and the storage layer under a
// Database.

#ifndef KGSTORE_TESTS_UTIL_TEST_STORE_H_
#define KGSTORE_TESTS_UTIL_TEST_STORE_H_

#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/database.h"
#include "engine/query_result.h"
#include "storage/store.h"

namespace kg::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("kgtest-" + std::to_string(getpid()) + "-" +
              std::to_string(counter++)))
                .string();
    std::filesystem::remove_all(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Creates the directory (a TempDir only names it, for tests that create
  // a store there) and returns its path.
  const std::string& Create() const {
    std::filesystem::create_directories(path_);
    return path_;
  }

 private:
  std::string path_;
};

// The storage layer under a Database, for unit tests of storage internals
// (the public API does not expose it; Database befriends this struct).
struct DatabaseInternals {
  static Store* store(const Database& db) { return db.store_.get(); }
  // A Database over a store the test opened itself, with StoreOptions the
  // public API does not offer (a fault-injecting file system:
  // tests/util/faulty_file_system.h), set up as Database::Open does.
  static absl::StatusOr<std::unique_ptr<Database>> OverStore(
      std::unique_ptr<Store> store, const OpenOptions& options) {
    return Database::OverStore(std::move(store), options);
  }
};
inline Store* StoreOf(const Database& db) {
  return DatabaseInternals::store(db);
}

// Opens a fresh store under `dir`/store and loads `trig` (TriG, a superset
// of Turtle) into it. Aborts the test through the returned status.
inline absl::StatusOr<std::unique_ptr<Database>> StoreFromTrig(
    const TempDir& dir, const std::string& trig,
    OpenOptions options = OpenOptions{}) {
  auto db = Database::Open(dir.file("store"), options);
  if (!db.ok()) return db.status();
  std::istringstream in(trig);
  LoadOptions lo;
  lo.format = RdfFormat::kTriG;
  auto loaded = (*db)->LoadStream(in, lo);
  if (!loaded.ok()) return loaded.status();
  return db;
}

// All quads of a cursor as sorted N-Quads lines.
inline std::vector<std::string> Lines(QuadCursor& cursor) {
  std::vector<std::string> out;
  for (; cursor.Valid(); cursor.Next()) out.push_back(cursor.quad().ToNQuads());
  std::sort(out.begin(), out.end());
  return out;
}

// Every row of `query`, read to the end; the first error of the query or
// of reading its rows.
inline absl::StatusOr<std::vector<Row>> QueryRows(
    const Database& db, const std::string& query,
    const QueryOptions& options = QueryOptions{}) {
  auto result = db.Query(query, options);
  if (!result.ok()) return result.status();
  std::vector<Row> rows;
  Row row;
  while (true) {
    auto more = (*result)->NextRow(&row);
    if (!more.ok()) return more.status();
    if (!*more) return rows;
    rows.push_back(row);
  }
}

// Every quad of a storage-level scan, in order; fails the test if the scan
// ends with an error.
inline std::vector<QuadIds> DrainQuads(QuadIdIterator& it) {
  std::vector<QuadIds> out;
  for (; it.Valid(); it.Next()) out.push_back(it.quad());
  REQUIRE(it.status().ok());
  return out;
}

}  // namespace kg::testing

#endif  // KGSTORE_TESTS_UTIL_TEST_STORE_H_
