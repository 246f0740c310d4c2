// CheckLogFile on a store's write-ahead log: sound, with the last
// record's length damaged (which RocksDB's recovery would take for a
// record cut by a crash, dropping finished commits), and cut by a crash.

#include "storage/log_file_check.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/util/test_store.h"

namespace kg {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

rocksdb::FileSystem* Fs() { return rocksdb::FileSystem::Default().get(); }

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A store whose write-ahead log holds three commits; its path.
std::string StoreWithLog(const TempDir& dir, std::string* log) {
  const std::string store = dir.file("store");
  {
    auto db = Database::Open(store, OpenOptions{});
    REQUIRE(db.ok());
    for (int i = 0; i < 3; ++i)
      REQUIRE((*db)->Update("INSERT DATA { <urn:s" + std::to_string(i) +
                            "> <urn:p> \"commit " + std::to_string(i) +
                            "\" }")
                  .ok());
  }
  for (const auto& e : fs::directory_iterator(store))
    if (e.path().extension() == ".log" && fs::file_size(e.path()) > 0)
      *log = e.path().string();
  REQUIRE(!log->empty());
  return store;
}

// The offset of the log's last record: the header whose length reaches
// exactly the end of the file.
size_t LastRecord(const std::string& bytes) {
  for (size_t at = bytes.size() - 7; at > 0; --at) {
    const size_t length = static_cast<uint8_t>(bytes[at + 4]) |
                          static_cast<uint8_t>(bytes[at + 5]) << 8;
    if (bytes[at + 6] == 1 && at + 7 + length == bytes.size()) return at;
  }
  FAIL("no last record");
  return 0;
}

TEST_CASE("a sound write-ahead log passes", "[log_file_check]") {
  TempDir dir;
  std::string log;
  const std::string store = StoreWithLog(dir, &log);
  CHECK(CheckLogFile(Fs(), log).ok());
  CHECK(CheckLogFiles(Fs(), store).ok());
}

TEST_CASE("a damaged record length that looks like a crash is data loss",
          "[log_file_check]") {
  TempDir dir;
  std::string log;
  const std::string store = StoreWithLog(dir, &log);
  const std::string sound = ReadAll(log);
  const size_t last = LastRecord(sound);
  INFO("last record at " << last << " of " << sound.size() << " bytes");
  for (const uint8_t mask : {0x01, 0x02, 0x10, 0x40, 0x80}) {
    // A flip that lengthens the record (past the end of the file); one
    // that shortens it is a checksum mismatch, RocksDB's to report.
    if (static_cast<uint8_t>(sound[last + 5]) & mask) continue;
    std::string damaged = sound;
    damaged[last + 5] = static_cast<char>(damaged[last + 5] ^ mask);
    WriteAll(log, damaged);
    const absl::Status s = CheckLogFile(Fs(), log);
    INFO(s);
    CHECK(absl::IsDataLoss(s));
    CHECK(s.message().find("damaged length") != std::string::npos);
    auto db = Database::Open(store, OpenOptions{});
    REQUIRE_FALSE(db.ok());
    CHECK(absl::IsDataLoss(db.status()));
    CHECK(db.status().message().find("restore it from a copy") !=
          std::string::npos);
  }
  WriteAll(log, sound);
  auto db = Database::Open(store, OpenOptions{});
  REQUIRE(db.ok());
  auto n = (*db)->Query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }");
  REQUIRE(n.ok());
}

TEST_CASE("a log whose last record a crash cut short opens without it",
          "[log_file_check]") {
  TempDir dir;
  std::string log;
  const std::string store = StoreWithLog(dir, &log);
  const std::string sound = ReadAll(log);
  const size_t last = LastRecord(sound);
  for (size_t cut = last + 7; cut < sound.size(); cut += 7) {
    WriteAll(log, sound.substr(0, cut));
    INFO("cut at " << cut);
    CHECK(CheckLogFile(Fs(), log).ok());
  }
  WriteAll(log, sound.substr(0, last + 7 + 3));
  auto db = Database::Open(store, OpenOptions{});
  REQUIRE(db.ok());
  auto rows = (*db)->Query("ASK { <urn:s1> <urn:p> \"commit 1\" }");
  REQUIRE(rows.ok());
  CHECK((*rows)->boolean());
  auto gone = (*db)->Query("ASK { <urn:s2> <urn:p> \"commit 2\" }");
  REQUIRE(gone.ok());
  CHECK_FALSE((*gone)->boolean());
}

TEST_CASE("a MANIFEST whose record length is damaged is data loss",
          "[log_file_check]") {
  // The MANIFEST is a log too: read as cut, RocksDB opened the store as
  // an older file set (tests/faults: the bulk load's tables gone, queries
  // answering from empty indexes).
  TempDir dir;
  std::string log;
  const std::string store = StoreWithLog(dir, &log);
  std::ifstream current(fs::path(store) / "CURRENT");
  std::string name;
  REQUIRE(std::getline(current, name));
  const std::string manifest = (fs::path(store) / name).string();
  const std::string sound = ReadAll(manifest);
  REQUIRE(sound.size() < 32768);  // one block, the last
  CHECK(CheckManifest(Fs(), store).ok());
  const size_t last = LastRecord(sound);
  INFO("last record at " << last << " of " << sound.size() << " bytes");
  int damaged_cases = 0;
  for (const uint8_t mask : {0x01, 0x02, 0x10, 0x40, 0x80}) {
    if (static_cast<uint8_t>(sound[last + 5]) & mask) continue;
    std::string damaged = sound;
    damaged[last + 5] = static_cast<char>(damaged[last + 5] ^ mask);
    WriteAll(manifest, damaged);
    const absl::Status s = CheckManifest(Fs(), store);
    INFO(s);
    CHECK(absl::IsDataLoss(s));
    CHECK(s.message().find("MANIFEST") != std::string::npos);
    auto db = Database::Open(store, OpenOptions{});
    REQUIRE_FALSE(db.ok());
    CHECK(absl::IsDataLoss(db.status()));
    ++damaged_cases;
  }
  CHECK(damaged_cases > 0);
  // Cut inside its last record, as a crash during a change of the file
  // set leaves it: not damage.
  WriteAll(manifest, sound.substr(0, last + 7 + 2));
  CHECK(CheckManifest(Fs(), store).ok());
  WriteAll(manifest, sound);
  auto db = Database::Open(store, OpenOptions{});
  REQUIRE(db.ok());
  auto rows = (*db)->Query("ASK { <urn:s2> <urn:p> \"commit 2\" }");
  REQUIRE(rows.ok());
  CHECK((*rows)->boolean());
}

}  // namespace
}  // namespace kg
