// Fault injection (fault_cases.h): flipped bytes and cut files are
// reported as corruption by Open, Check or the queries, never read as
// wrong answers.

#include <catch2/catch.hpp>

#include "tests/faults/fault_cases.h"

namespace kg::testing {
namespace {

// ---- damaged files --------------------------------------------------------

// The answers a store gives: every quad, and a few queries (each a sorted
// list of rows, or "error: ..." with the status).
struct Answers {
  absl::Status open;
  absl::Status match;  // of the scan of every quad
  QuadSet quads;
  std::vector<std::pair<absl::Status, std::vector<std::string>>> queries;
  std::vector<std::string> problems;  // Check's
  absl::Status check;
};

const std::vector<std::string>& Queries() {
  static const std::vector<std::string> queries = {
      "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
      "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
      "SELECT ?p ?o WHERE { <urn:load:s5> ?p ?o }",
      "ASK { <urn:load:s7> <urn:p1> \"text load 22\" }",
      "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p0> ?o }",
      "SELECT ?s ?o WHERE { ?s <urn:p0> ?o FILTER(?o > 100) }",
      "SELECT ?o WHERE { <urn:txn:s2> ?p ?o }",
  };
  return queries;
}

std::pair<absl::Status, std::vector<std::string>> Answer(
    const Database& db, const std::string& query) {
  auto result = db.Query(query);
  if (!result.ok()) return {result.status(), {}};
  std::vector<std::string> rows;
  if ((*result)->kind() == QueryResult::Kind::kBoolean)
    return {absl::OkStatus(), {(*result)->boolean() ? "true" : "false"}};
  Row row;
  while (true) {
    auto more = (*result)->NextRow(&row);
    if (!more.ok()) return {more.status(), {}};
    if (!*more) break;
    std::string line;
    for (const auto& t : row) line += (t ? t->ToNTriples() : "-") + " ";
    rows.push_back(line);
  }
  std::sort(rows.begin(), rows.end());
  return {absl::OkStatus(), rows};
}

Answers AnswersOf(const std::string& path) {
  Answers a;
  auto db = Database::Open(path, Quiet());
  a.open = db.status();
  if (!db.ok()) return a;
  a.quads = AllQuads(**db, &a.match);
  for (const std::string& q : Queries()) a.queries.push_back(Answer(**db, q));
  auto problems = (*db)->Check();
  a.check = problems.status();
  if (problems.ok()) a.problems = *problems;
  return a;
}

struct DamageTally {
  uint64_t cases = 0, refused_at_open = 0, found_by_check = 0,
           query_errors = 0, harmless = 0;
};

// A damaged copy must either be refused at open with DataLoss, or, opened,
// never give a wrong answer: each query answers as the sound store does or
// fails with DataLoss, and Check reports the damage when any read fails.
// `harmless_ok`: whether damage nothing notices is allowed (a byte of a
// block that no read ever checks: RocksDB's own checksum is the judge).
void CheckDamaged(const std::string& what, const Answers& sound,
                  const std::string& path, DamageTally* tally) {
  Answers got = AnswersOf(path);
  ++tally->cases;
  INFO(what << ": open " << got.open.ToString());
  if (!got.open.ok()) {
    CHECK(got.open.code() == absl::StatusCode::kDataLoss);
    ++tally->refused_at_open;
    return;
  }
  bool any_error = false;
  if (!got.match.ok()) {
    INFO("scan of every quad: " << got.match.ToString());
    CHECK(got.match.code() == absl::StatusCode::kDataLoss);
    any_error = true;
  } else {
    INFO("scan of every quad: " << Describe(got.quads, sound.quads));
    CHECK(got.quads == sound.quads);
  }
  for (size_t i = 0; i < Queries().size(); ++i) {
    const auto& [status, rows] = got.queries[i];
    INFO("query " << Queries()[i] << ": " << status.ToString());
    if (!status.ok()) {
      CHECK(status.code() == absl::StatusCode::kDataLoss);
      any_error = true;
    } else {
      CHECK(rows == sound.queries[i].second);
    }
  }
  REQUIRE(got.check.ok());
  INFO("check: " << (got.problems.empty() ? "clean" : got.problems.front()));
  if (any_error) {
    ++tally->query_errors;
    CHECK(!got.problems.empty());
  }
  if (!got.problems.empty()) ++tally->found_by_check;
  if (!any_error && got.problems.empty()) {
    ++tally->harmless;
    if (std::getenv("KG_FAULT_VERBOSE"))
      std::cout << "unnoticed: " << what << "\n";
  }
}

// A MANIFEST cut short: RocksDB 7.8 reads it as one whose last change was
// torn by a crash and opens the store as the changes before the cut left
// it, which a cut inside the file (damage, not a crash: every change is
// synced before the next) makes older than the last commits, possibly
// with its column families at different points (docs/SAFETY.md). What is
// checked: no crash, a refusal is DataLoss, and the outcome is counted.
struct CutTally {
  uint64_t cases = 0, refused = 0, same = 0, mixed_found = 0, older = 0;
};
void CheckCutManifest(const std::string& what, const Answers& sound,
                      const std::string& path, CutTally* tally) {
  Answers got = AnswersOf(path);
  ++tally->cases;
  INFO(what << ": open " << got.open.ToString());
  if (!got.open.ok()) {
    CHECK(got.open.code() == absl::StatusCode::kDataLoss);
    ++tally->refused;
    return;
  }
  REQUIRE(got.check.ok());
  if (got.match.ok() && got.quads == sound.quads && got.problems.empty()) {
    ++tally->same;
  } else if (!got.problems.empty()) {
    ++tally->mixed_found;
  } else {
    ++tally->older;
  }
  if (std::getenv("KG_FAULT_VERBOSE"))
    std::cout << what << ": " << got.match.ToString() << ", "
              << Describe(got.quads, sound.quads) << "; check: "
              << (got.problems.empty() ? "clean" : got.problems.front())
              << "\n";
}

// Where the logical records of a RocksDB log file (a write-ahead log or
// the MANIFEST) start: 32 KiB blocks of physical records, each a 7-byte
// header (checksum, length, type: 1 whole, 2 first, 3 middle, 4 last).
std::vector<uint64_t> LogRecordStarts(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string data((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  std::vector<uint64_t> starts;
  uint64_t pos = 0;
  while (pos + 7 <= data.size()) {
    const uint64_t left = 32768 - pos % 32768;
    if (left < 7) {
      pos += left;
      continue;
    }
    const auto* h = reinterpret_cast<const unsigned char*>(data.data() + pos);
    const uint64_t length = h[4] | (uint64_t{h[5]} << 8);
    const int type = h[6];
    if (type == 1 || type == 2) starts.push_back(pos);
    if (type == 0 && length == 0) break;
    pos += 7 + length;
  }
  return starts;
}

// The sound store: a packed load, a compaction (table files at the bottom
// level), then commits that stay in the write-ahead log.
void MakeDamageBase(const std::string& path) {
  auto db = Database::Open(path, Quiet());
  REQUIRE(db.ok());
  REQUIRE(Load(**db, Quads(0, 900, false, "load")).ok());
  REQUIRE((*db)->Update("INSERT DATA { GRAPH <urn:g1> { <urn:a> <urn:p1> "
                        "\"in a graph\" } }")
              .ok());
  REQUIRE((*db)->Compact().ok());
  for (int i = 0; i < 5; ++i) {
    auto txn = (*db)->BeginTransaction();
    REQUIRE(txn.ok());
    std::istringstream in(Quads(i * 12, 12, true, "txn"));
    std::string line;
    while (std::getline(in, line)) REQUIRE((*txn)->Insert(*ParseQuad(line)).ok());
    REQUIRE((*txn)->Commit().ok());
  }
}

TEST_CASE("flipped bytes and cut files are reported as corruption and never "
          "read as wrong answers",
          "[faults]") {
  UseMemoryTemp();
  TempDir dir;
  fs::create_directories(dir.path());
  const std::string base = dir.file("base"), work = dir.file("work");
  MakeDamageBase(base);
  // (On a copy: an open replays the log into a table file.)
  CopyStore(base, work);
  const Answers sound = AnswersOf(work);
  REQUIRE(sound.open.ok());
  REQUIRE(sound.problems.empty());
  for (const auto& [status, rows] : sound.queries) REQUIRE(status.ok());
  std::mt19937_64 rng(99);
  const int per_file = 6 * Rounds();
  DamageTally sst, manifest, wal;
  uint64_t wal_cuts = 0;
  CutTally manifest_cuts;

  // Table files: bytes flipped anywhere (data, index, filter, properties
  // blocks, the footer), and files cut short.
  const std::vector<std::string> tables = StoreFiles(base, ".sst");
  REQUIRE(tables.size() >= 3);
  for (const std::string& table : tables) {
    const uint64_t size = fs::file_size(table);
    const std::string name = fs::path(table).filename().string();
    std::vector<uint64_t> offsets = {0, size / 2, size - 1};
    while (offsets.size() < static_cast<size_t>(per_file))
      offsets.push_back(std::uniform_int_distribution<uint64_t>(0, size - 1)(rng));
    for (uint64_t offset : offsets) {
      CopyStore(base, work);
      FlipByte(fs::path(work) / name, offset);
      CheckDamaged(absl::StrCat(name, " byte ", offset, " of ", size, " flipped"),
                   sound, work, &sst);
    }
    CopyStore(base, work);
    TruncateFile(fs::path(work) / name, size / 2);
    CheckDamaged(absl::StrCat(name, " cut to ", size / 2, " bytes"), sound,
                 work, &sst);
  }

  // The MANIFEST: bytes flipped, and the file cut.
  const std::vector<std::string> manifests = StoreFiles(base, "MANIFEST-");
  REQUIRE(manifests.size() == 1);
  {
    const std::string name = fs::path(manifests[0]).filename().string();
    const uint64_t size = fs::file_size(manifests[0]);
    for (int i = 0; i < 2 * per_file; ++i) {
      const uint64_t offset =
          std::uniform_int_distribution<uint64_t>(0, size - 1)(rng);
      CopyStore(base, work);
      FlipByte(fs::path(work) / name, offset);
      CheckDamaged(absl::StrCat(name, " byte ", offset, " of ", size, " flipped"),
                   sound, work, &manifest);
    }
    // Cut inside the file, and exactly before its last record (a MANIFEST
    // that lost its last change whole).
    const std::vector<uint64_t> starts = LogRecordStarts(manifests[0]);
    REQUIRE(starts.size() > 2);
    for (uint64_t cut : {uint64_t{0}, size / 3, size - 1, starts.back(),
                         starts[starts.size() - 2]}) {
      CopyStore(base, work);
      TruncateFile(fs::path(work) / name, cut);
      CheckCutManifest(absl::StrCat(name, " cut to ", cut, " bytes of ", size),
                       sound, work, &manifest_cuts);
    }
  }

  // The write-ahead log, which holds the last five commits: a byte of each
  // of its last records flipped.
  const std::vector<std::string> logs = StoreFiles(base, ".log");
  REQUIRE(!logs.empty());
  {
    const std::string name = fs::path(logs[0]).filename().string();
    const uint64_t size = fs::file_size(logs[0]);
    REQUIRE(size > 1000);
    for (int i = 0; i < 2 * per_file; ++i) {
      const uint64_t offset =
          i == 0 ? size - 1
                 : std::uniform_int_distribution<uint64_t>(size / 2, size - 1)(rng);
      CopyStore(base, work);
      FlipByte(fs::path(work) / name, offset);
      CheckDamaged(absl::StrCat(name, " byte ", offset, " of ", size, " flipped"),
                   sound, work, &wal);
    }
    // Cut at a record's start: exactly what a crash before that commit's
    // write leaves, so nothing can tell it from one. The store must hold
    // the commits before the cut, whole, and none after it.
    const std::vector<uint64_t> starts = LogRecordStarts(logs[0]);
    REQUIRE(starts.size() >= 5);
    for (size_t k = 1; k <= 2; ++k) {
      CopyStore(base, work);
      TruncateFile(fs::path(work) / name, starts[starts.size() - k]);
      Answers got = AnswersOf(work);
      INFO(name << " cut before its last " << k << " records: "
                << got.open.ToString());
      REQUIRE(got.open.ok());
      QuadSet want = sound.quads;
      for (size_t t = 5 - k; t < 5; ++t)
        for (const std::string& q : Lines(Quads(static_cast<int>(t) * 12, 12,
                                                true, "txn")))
          want.erase(q);
      INFO(Describe(got.quads, want));
      CHECK(got.quads == want);
      CHECK(got.problems.empty());
      ++wal_cuts;
    }
  }
  std::cout << "faults: damaged files: table files " << sst.cases << " ("
            << sst.refused_at_open << " refused at open, " << sst.query_errors
            << " with DataLoss from queries, " << sst.found_by_check
            << " reported by Check, " << sst.harmless
            << " never read), MANIFEST " << manifest.cases << " ("
            << manifest.refused_at_open << " refused at open, "
            << manifest.harmless << " unnoticed; cut: " << manifest_cuts.cases
            << ", " << manifest_cuts.refused << " refused at open, "
            << manifest_cuts.same << " as before, " << manifest_cuts.mixed_found
            << " opened older and mixed (Check reports it), "
            << manifest_cuts.older
            << " opened older, unnoticed), write-ahead log " << wal.cases
            << " (" << wal.refused_at_open << " refused at open, " << wal.harmless
            << " unnoticed), " << wal_cuts
            << " write-ahead logs cut at a record (the commits before the "
               "cut kept whole); 0 wrong answers\n";
}

}  // namespace
}  // namespace kg::testing
