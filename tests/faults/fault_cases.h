// Shared by the fault-injection tests (tests/faults/*_test.cc; docs/SAFETY.md,
// "Fault injection"): every file of a store goes through a RocksDB file
// system that fails writes, syncs, reads, creations and renames at chosen
// calls, runs out of space, or loses its power
// (tests/util/faulty_file_system.h). The cases and what each proves:
//   failed_operations_test.cc  a failed transaction commit, update, bulk
//       load (into an empty and a non-empty store) or compaction is
//       reported as an error that says what failed, and the store,
//       reopened, holds what it held before (Check clean, the same quads);
//       and the bugs those cases found, pinned;
//   power_loss_test.cc  after a power loss at any write or sync, with
//       durable commits, every operation reported done is there, the one
//       in flight wholly or not at all;
//   damaged_files_test.cc  flipped bytes and cut files (table files, the
//       MANIFEST, the write-ahead log) are reported as DataLoss by Open,
//       Check or the queries, never read as wrong answers;
//   full_disk_test.cc  a full disk during a load fails with
//       ResourceExhausted and leaves no temporary file behind.
//
// Sizes: KG_FAULT_ROUNDS (default 1) multiplies the number of cases; the
// ctest entry fault_injection_stress (label "stress") runs 20. Each test
// prints its figures (faults injected, operations verified) on a line
// starting with "faults:".
//
// This header: the stores, quads and operations the cases share.

#ifndef KG_TESTS_FAULTS_FAULT_CASES_H_
#define KG_TESTS_FAULTS_FAULT_CASES_H_


#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "rocksdb/db.h"
#include "storage/rocks_kv.h"
#include "tests/util/faulty_file_system.h"
#include "tests/util/test_store.h"

namespace kg::testing {

namespace fs = std::filesystem;

inline int Rounds() {
  const char* env = std::getenv("KG_FAULT_ROUNDS");
  int n = env ? std::atoi(env) : 1;
  return n < 1 ? 1 : n;
}

// Stores live in memory (/dev/shm) unless TMPDIR says otherwise: the
// power-loss model is the wrapper's, not the disk's, and a real fsync per
// commit would make the cases ten times slower.
inline void UseMemoryTemp() {
  std::error_code ec;
  if (std::getenv("TMPDIR") == nullptr && fs::is_directory("/dev/shm", ec))
    setenv("TMPDIR", "/dev/shm", 1);
}

inline OpenOptions Quiet() {
  OpenOptions o;
  o.warm_adjacencies_in_background = false;  // no reads of its own
  o.block_cache_bytes = size_t{8} << 20;
  o.adjacency_cache_bytes = 0;  // every read goes to RocksDB
  o.probe_cache_bytes = 0;
  o.term_cache_bytes = 0;
  return o;
}

using QuadSet = std::set<std::string>;

inline QuadSet AllQuads(const Database& db, absl::Status* status = nullptr) {
  auto cursor = db.Match(QuadPattern{});
  QuadSet out;
  for (; cursor->Valid(); cursor->Next()) out.insert(cursor->quad().ToNQuads());
  if (status) *status = cursor->status();
  else REQUIRE(cursor->status().ok());
  return out;
}

inline std::string Describe(const QuadSet& have, const QuadSet& want) {
  size_t missing = 0, extra = 0;
  std::string first;
  for (const auto& q : want)
    if (!have.contains(q)) {
      if (first.empty()) first = "missing " + q;
      ++missing;
    }
  for (const auto& q : have)
    if (!want.contains(q)) {
      if (first.empty()) first = "extra " + q;
      ++extra;
    }
  return absl::StrCat(have.size(), " quads, ", missing, " missing, ", extra,
                      " extra; ", first);
}

// N-Quads text of `n` quads numbered from `first`: subject i has three
// predicates; every fourth quad is in a named graph when `named`.
inline std::string Quads(int first, int n, bool named, const std::string& tag) {
  std::string out;
  for (int i = first; i < first + n; ++i) {
    const int s = i / 3, p = i % 3;
    absl::StrAppend(&out, "<urn:", tag, ":s", s, "> <urn:p", p, "> ");
    if (p == 0)
      absl::StrAppend(&out, "\"", i,
                      "\"^^<http://www.w3.org/2001/XMLSchema#integer>");
    else if (p == 1) absl::StrAppend(&out, "\"text ", tag, " ", i, "\"");
    else absl::StrAppend(&out, "<urn:", tag, ":s", (s * 7) % (n / 3 + 1), ">");
    if (named && i % 4 == 0) absl::StrAppend(&out, " <urn:g", i % 3, ">");
    out += " .\n";
  }
  return out;
}

inline absl::Status Load(Database& db, const std::string& nquads) {
  std::istringstream in(nquads);
  LoadOptions lo;
  lo.format = RdfFormat::kNQuads;
  return db.LoadStream(in, lo).status();
}

inline absl::StatusOr<Quad> ParseQuad(const std::string& line) {
  std::optional<Quad> q;
  absl::Status s = ParseRdfString(line, RdfFormat::kNQuads, ParseOptions{},
                                  [&](const Quad& quad) {
                                    q = quad;
                                    return absl::OkStatus();
                                  });
  if (!s.ok()) return s;
  if (!q) return absl::InvalidArgumentError("no quad");
  return *q;
}

// ---- the operations under test ---------------------------------------------

struct Operation {
  std::string name;
  // What its error messages may name: the operation, or the step of it
  // that failed (a read of a transaction's: "dictionary lookup", "scan").
  std::vector<std::string> says;
  bool on_empty_store = false;
  std::function<absl::Status(Database&)> run;
};

inline std::vector<Operation> Operations() {
  std::vector<Operation> ops;
  const std::vector<std::string> txn_words = {
      "commit", "insert", "remove", "dictionary lookup", "scan"};
  ops.push_back({"transaction commit", txn_words, false, [](Database& db) {
                   auto txn = db.BeginTransaction();
                   if (!txn.ok()) return txn.status();
                   std::istringstream in(Quads(0, 60, true, "txn"));
                   std::string line;
                   while (std::getline(in, line)) {
                     auto q = ParseQuad(line);
                     if (!q.ok()) return q.status();
                     absl::Status s = (*txn)->Insert(*q);
                     if (!s.ok()) return s;
                   }
                   // Removals of packed quads: rewritten blocks.
                   std::istringstream old(Quads(30, 12, false, "base"));
                   while (std::getline(old, line)) {
                     auto q = ParseQuad(line);
                     if (!q.ok()) return q.status();
                     absl::Status s = (*txn)->Remove(*q);
                     if (!s.ok()) return s;
                   }
                   return (*txn)->Commit();
                 }});
  ops.push_back({"update", txn_words, false, [](Database& db) {
                   return db
                       .Update(
                           "DELETE { ?s <urn:p1> ?o } INSERT { ?s <urn:p9> ?o "
                           "} WHERE { ?s <urn:p1> ?o FILTER(STRENDS(STR(?o), "
                           "\"7\")) } ; INSERT DATA { <urn:u1> <urn:p9> "
                           "\"new\" . GRAPH <urn:g7> { <urn:u2> <urn:p9> 5 } }")
                       .status();
                 }});
  ops.push_back({"bulk load into an empty store", {"bulk load"}, true,
                 [](Database& db) {
                   return Load(db, Quads(0, 900, false, "load"));
                 }});
  ops.push_back({"bulk load into a non-empty store", {"bulk load"}, false,
                 [](Database& db) {
                   // Half already stored, some in named graphs.
                   return Load(db, Quads(150, 300, false, "base") +
                                       Quads(0, 300, true, "more"));
                 }});
  ops.push_back({"compaction", {"compact"}, false,
                 [](Database& db) { return db.Compact(); }});
  return ops;
}

// A store to start from: a packed bulk load, a transaction on top
// (plain keys, named graphs) and a removal (a rewritten block); or empty.
inline void MakeBase(const std::string& path, bool empty) {
  auto db = Database::Open(path, Quiet());
  REQUIRE(db.ok());
  if (empty) return;
  absl::Status loaded = Load(**db, Quads(0, 450, false, "base"));
  INFO(loaded.ToString());
  REQUIRE(loaded.ok());
  REQUIRE((*db)->Update("INSERT DATA { <urn:x> <urn:p1> \"x\" . GRAPH <urn:g1> "
                        "{ <urn:x> <urn:p2> 2 } }")
              .ok());
  REQUIRE((*db)->Update("DELETE DATA { <urn:base:s3> <urn:p0> 9 }").ok());
  REQUIRE(AllQuads(**db).size() == 451);
}

inline void CopyStore(const std::string& from, const std::string& to) {
  fs::remove_all(to);
  fs::copy(from, to, fs::copy_options::recursive);
}

struct Reopened {
  QuadSet quads;
  std::vector<std::string> problems;
};

inline Reopened ReopenPlain(const std::string& path) {
  auto db = Database::Open(path, Quiet());
  INFO((db.ok() ? "" : db.status().ToString()));
  REQUIRE(db.ok());
  Reopened r;
  r.quads = AllQuads(**db);
  auto problems = (*db)->Check();
  REQUIRE(problems.ok());
  r.problems = *problems;
  return r;
}

// The calls to pick for an operation that makes `total` of them: all when
// at most 24 (or max_picks), else the first, the last and random others.
inline std::vector<uint64_t> Picks(uint64_t total, uint64_t max_picks,
                            std::mt19937_64& rng) {
  std::vector<uint64_t> out;
  if (total == 0) return out;
  if (total <= std::max<uint64_t>(24, max_picks)) {
    for (uint64_t n = 1; n <= total; ++n) out.push_back(n);
    return out;
  }
  out.push_back(1);
  out.push_back(total);
  std::uniform_int_distribution<uint64_t> any(2, total - 1);
  while (out.size() < max_picks) out.push_back(any(rng));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

inline QuadSet Lines(const std::string& nquads) {
  QuadSet out;
  std::istringstream in(nquads);
  std::string line;
  while (std::getline(in, line)) {
    auto q = ParseQuad(line);
    REQUIRE(q.ok());
    out.insert(q->ToNQuads());
  }
  return out;
}

// The quad written after a fault, to see whether the same open store
// still takes commits.
inline constexpr char kAfterQuad[] =
    "<urn:after> <urn:p> \"written after the fault\" .";

}  // namespace kg::testing

#endif  // KG_TESTS_FAULTS_FAULT_CASES_H_
