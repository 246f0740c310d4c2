// Fault injection (fault_cases.h): a full disk during a load fails with
// ResourceExhausted and leaves no temporary file behind.

#include <catch2/catch.hpp>

#include "tests/faults/fault_cases.h"

namespace kg::testing {
namespace {

// ---- a full disk ---------------------------------------------------------

// Table files in the store's folder that RocksDB does not count as live:
// what a failed load would leave behind.
std::vector<std::string> StrayTables(Database& db, const std::string& path) {
  auto* kv = static_cast<RocksKv*>(StoreOf(db)->kv());
  // The reopened store may be flushing what its log replayed, or
  // compacting: the file such a job is writing is not live yet. Let the
  // jobs finish (and remove what they made obsolete) before listing.
  REQUIRE(kv->db()->PauseBackgroundWork().ok());
  std::vector<rocksdb::LiveFileMetaData> live;
  kv->db()->GetLiveFilesMetaData(&live);
  std::set<std::string> names;
  for (const auto& f : live) names.insert(fs::path(f.name).filename().string());
  std::vector<std::string> stray;
  for (const std::string& file : StoreFiles(path, ".sst"))
    if (!names.contains(fs::path(file).filename().string()))
      stray.push_back(file);
  REQUIRE(kv->db()->ContinueBackgroundWork().ok());
  return stray;
}

TEST_CASE("a full disk during a load fails with ResourceExhausted and leaves "
          "no temporary file",
          "[faults]") {
  UseMemoryTemp();
  TempDir dir;
  fs::create_directories(dir.path());
  const std::string empty = dir.file("empty"), base = dir.file("base"),
                    work = dir.file("work");
  MakeBase(empty, true);
  MakeBase(base, false);
  std::mt19937_64 rng(5);
  // A load of 6,000 quads, some in named graphs: every index, the
  // dictionary and the temporary files of the bulk loader.
  const std::string text = Quads(0, 6000, true, "big");
  uint64_t cases = 0, failed = 0, stopped = 0;
  for (const std::string& from : {empty, base}) {
    CopyStore(from, work);
    const QuadSet before = ReopenPlain(work).quads;
    auto fs = std::make_shared<FaultyFileSystem>();
    uint64_t writes = 0;
    {
      auto db = OpenWithFileSystem(work, Quiet(), fs);
      REQUIRE(db.ok());
      fs->SetRules({FaultRule{.op = FaultOp::kWrite}});
      REQUIRE(Load(**db, text).ok());
      writes = fs->RuleCalls(0);
    }
    const QuadSet after = ReopenPlain(work).quads;
    for (uint64_t n : Picks(writes, 8 * static_cast<uint64_t>(Rounds()), rng)) {
      CopyStore(from, work);
      absl::Status s;
      {
        auto db = OpenWithFileSystem(work, Quiet(), fs);
        REQUIRE(db.ok());
        // The disk is full from the nth write on, for every file.
        fs->SetRules({FaultRule{.op = FaultOp::kWrite,
                                .nth = n,
                                .sticky = true,
                                .no_space = true}},
                     n);
        s = Load(**db, text);
        INFO((from == empty ? "empty" : "non-empty") << " store, disk full at write "
             << n << " of " << writes << ": " << s.ToString());
        ++cases;
        if (!s.ok()) {
          ++failed;
          CHECK(s.code() == absl::StatusCode::kResourceExhausted);
          CHECK(absl::StrContains(s.message(), "bulk load"));
          CHECK(absl::StrContains(s.message(), "No space left on device"));
          // The load's temporary files are gone at once.
          CHECK(!fs::exists(fs::path(work) / "bulk-load-tmp"));
        }
        // Room again: the store takes a commit (or, if the full disk
        // stopped RocksDB's own writes, says it will once reopened).
        fs->ClearRules();
        absl::Status next =
            (*db)->Update(absl::StrCat("INSERT DATA { ", kAfterQuad, " }"))
                .status();
        if (!next.ok()) {
          INFO("the next commit: " << next.ToString());
          CHECK(absl::StrContains(next.message(), "until it is reopened"));
          ++stopped;
        }
      }
      // Reopened, no table file is left that the store does not count
      // (RocksDB's own half-written files of the full disk included).
      {
        auto db = Database::Open(work, Quiet());
        REQUIRE(db.ok());
        const auto stray = StrayTables(**db, work);
        INFO("stray table file: " << (stray.empty() ? "" : stray.front()));
        CHECK(stray.empty());
      }
      Reopened r = ReopenPlain(work);
      r.quads.erase(ParseQuad(kAfterQuad)->ToNQuads());
      INFO("reopened: " << Describe(r.quads, s.ok() ? after : before));
      CHECK(r.problems.empty());
      CHECK(r.quads == (s.ok() ? after : before));
    }
  }
  std::cout << "faults: full disk during a load: " << cases << " loads, "
            << failed << " failed with ResourceExhausted and left no "
               "temporary file (and, reopened, no stray table file), "
            << stopped << " stopped the store's writes until reopened\n";
}

}  // namespace
}  // namespace kg::testing
