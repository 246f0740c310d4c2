// Fault injection (fault_cases.h): a failed commit, update, load or
// compaction is reported and leaves the store as it was; and each bug
// those cases found, pinned.

#include <catch2/catch.hpp>

#include "tests/faults/fault_cases.h"

namespace kg::testing {
namespace {

struct Tally {
  uint64_t cases = 0, injected = 0, failed = 0, absorbed = 0, in_doubt = 0;
  // After a failure, with the faults gone: a commit on the same open
  // store went through, or was refused until the store is reopened.
  uint64_t kept_writing = 0, refused_until_reopen = 0;
};


// One operation under one kind of fault, at several calls: each case
// starts from a copy of the base store.
void RunFaultCases(const Operation& op, FaultOp kind, bool no_space,
                   const std::string& base, const TempDir& dir,
                   uint64_t max_picks, std::mt19937_64& rng, Tally* tally) {
  // KG_FAULT_ONLY=update/sync runs the cases of one operation and kind.
  const char* only = std::getenv("KG_FAULT_ONLY");
  if (only != nullptr &&
      absl::StrCat(op.name, "/", FaultOpName(kind), no_space ? "/full" : "") !=
          only)
    return;
  const std::string work = dir.file("work");
  auto fs = std::make_shared<FaultyFileSystem>();
  // Before and after, without faults; how many calls of `kind` it makes.
  CopyStore(base, work);
  const QuadSet before = ReopenPlain(work).quads;
  // RocksDB 7.8 does not check its reads of a file it ingests (the load's
  // own files, in bulk-load-tmp): a failed one aborts the process on an
  // assertion, or is not seen (docs/SAFETY.md). Those reads are left out.
  const std::string excludes = kind == FaultOp::kRead ? "bulk-load-tmp" : "";
  uint64_t calls = 0;
  QuadSet after;
  {
    auto db = OpenWithFileSystem(work, Quiet(), fs);
    REQUIRE(db.ok());
    fs->SetRules({FaultRule{.op = kind, .path_excludes = excludes}});
    REQUIRE(op.run(**db).ok());
    calls = fs->RuleCalls(0);
    fs->ClearRules();
  }
  Reopened clean = ReopenPlain(work);
  REQUIRE(clean.problems.empty());
  after = clean.quads;
  if (op.name != "compaction") REQUIRE(after != before);
  if (std::getenv("KG_FAULT_VERBOSE"))
    std::cout << op.name << ": " << calls << " " << FaultOpName(kind)
              << " calls\n";

  for (uint64_t n : Picks(calls, max_picks, rng)) {
    CopyStore(base, work);
    absl::Status s;
    std::string fault;
    bool after_commit = false;
    {
      auto db = OpenWithFileSystem(work, Quiet(), fs);
      REQUIRE(db.ok());
      fs->SetRules({FaultRule{.op = kind,
                              .nth = n,
                              .no_space = no_space,
                              .path_excludes = excludes}},
                   n);
      const uint64_t injected_before = fs->injected();
      s = op.run(**db);
      const bool hit = fs->injected() > injected_before;
      fault = fs->last_fault();
      fs->ClearRules();
      ++tally->cases;
      if (hit) ++tally->injected;
      INFO(op.name << ", " << FaultOpName(kind) << " fault at call " << n
                   << " of " << calls << " (" << fault << "): "
                   << s.ToString());
      if (!s.ok()) {
        ++tally->failed;
        // Clear: the code of an I/O failure, the operation named, the
        // file system's words kept.
        if (no_space) {
          CHECK(s.code() == absl::StatusCode::kResourceExhausted);
        } else {
          CHECK((s.code() == absl::StatusCode::kUnavailable ||
                 s.code() == absl::StatusCode::kResourceExhausted));
        }
        CHECK(std::any_of(op.says.begin(), op.says.end(),
                          [&](const std::string& word) {
                            return absl::StrContains(s.message(), word);
                          }));
        CHECK(absl::StrContains(s.message(), "injected fault"));
        // The open store shows the state before the operation.
        absl::Status read;
        QuadSet now = AllQuads(**db, &read);
        if (read.ok()) CHECK(now == before);
        // The faults are gone: the store takes a commit again, or says
        // it will not until reopened.
        absl::Status next =
            (*db)->Update(absl::StrCat("INSERT DATA { ", kAfterQuad, " }"))
                .status();
        if (next.ok()) {
          ++tally->kept_writing;
          after_commit = true;
        } else {
          if (std::getenv("KG_FAULT_VERBOSE"))
            std::cout << "next commit: " << next.ToString() << "\n";
          INFO("the next commit: " << next.ToString());
          CHECK(absl::StrContains(next.message(), "until it is reopened"));
          ++tally->refused_until_reopen;
        }
      } else if (hit) {
        ++tally->absorbed;
      }
    }
    INFO("reopen after " << op.name << ", " << FaultOpName(kind)
                         << " fault at call " << n << " (" << fault
                         << "): " << s.ToString());
    if (const char* keep = std::getenv("KG_FAULT_KEEP")) {
      fs::remove_all(keep);
      fs::copy(work, keep, fs::copy_options::recursive);
    }
    Reopened r = ReopenPlain(work);
    if (after_commit) {
      const std::string line = ParseQuad(kAfterQuad)->ToNQuads();
      CHECK(r.quads.contains(line));
      r.quads.erase(line);
    }
    INFO(op.name << ", " << FaultOpName(kind) << " fault at call " << n
                 << " of " << calls << " (" << fault << "): " << s.ToString()
                 << "; reopened: " << Describe(r.quads, s.ok() ? after : before));
    INFO("check: " << (r.problems.empty() ? "clean" : r.problems.front()));
    CHECK(r.problems.empty());
    if (s.ok()) {
      CHECK(r.quads == after);
    } else if (r.quads != before) {
      // A commit whose write-ahead log was written but whose sync failed
      // is in doubt, as in every database: the bytes may have reached the
      // disk. It must then be there whole.
      CHECK(kind == FaultOp::kSync);
      CHECK(r.quads == after);
      ++tally->in_doubt;
    }
  }
}

TEST_CASE("a failed commit update load or compaction is reported and leaves "
          "the store as it was",
          "[faults]") {
  UseMemoryTemp();
  TempDir dir;
  fs::create_directories(dir.path());
  const std::string base = dir.file("base"), empty = dir.file("empty");
  MakeBase(base, false);
  MakeBase(empty, true);
  std::mt19937_64 rng(17);
  const uint64_t picks = 8 * static_cast<uint64_t>(Rounds());
  Tally tally;
  for (const Operation& op : Operations()) {
    const std::string& from = op.on_empty_store ? empty : base;
    for (FaultOp kind : {FaultOp::kWrite, FaultOp::kSync, FaultOp::kRead,
                         FaultOp::kCreate, FaultOp::kRename}) {
      RunFaultCases(op, kind, /*no_space=*/false, from, dir, picks, rng,
                    &tally);
    }
    // A full disk: writes and syncs that fail with ENOSPC.
    for (FaultOp kind : {FaultOp::kWrite, FaultOp::kSync})
      RunFaultCases(op, kind, /*no_space=*/true, from, dir, picks / 2, rng,
                    &tally);
  }
  std::cout << "faults: failed operations: " << tally.cases << " cases, "
            << tally.injected << " faults injected, " << tally.failed
            << " reported as errors, " << tally.absorbed
            << " absorbed by RocksDB (operation succeeded), "
            << tally.in_doubt
            << " commits in doubt after a failed sync (there whole); after "
               "a failure the same store took the next commit "
            << tally.kept_writing << " times and refused it until reopened "
            << tally.refused_until_reopen << " times; 0 losses\n";
}


// ---- regressions: each bug the cases above found, pinned ------------------

// Runs `op` on a copy of `from` with a fault at each of the matching calls
// in turn (all of them), reopens, and requires: no crash, a sound store,
// and the quads of before the operation (after it, when it succeeded or
// was in doubt and `doubt_ok`).
void EveryCall(const std::string& from, const TempDir& dir, const Operation& op,
               FaultRule rule, bool doubt_ok, uint64_t* failures) {
  const std::string work = dir.file("work");
  auto fs = std::make_shared<FaultyFileSystem>();
  CopyStore(from, work);
  const QuadSet before = ReopenPlain(work).quads;
  uint64_t calls = 0;
  {
    auto db = OpenWithFileSystem(work, Quiet(), fs);
    REQUIRE(db.ok());
    FaultRule count = rule;
    count.nth = 0;
    fs->SetRules({count});
    REQUIRE(op.run(**db).ok());
    calls = fs->RuleCalls(0);
  }
  const QuadSet after = ReopenPlain(work).quads;
  REQUIRE(calls > 0);
  for (uint64_t n = 1; n <= calls; ++n) {
    CopyStore(from, work);
    absl::Status s;
    {
      auto db = OpenWithFileSystem(work, Quiet(), fs);
      REQUIRE(db.ok());
      rule.nth = n;
      fs->SetRules({rule});
      s = op.run(**db);
      fs->ClearRules();
      if (!s.ok()) {
        ++*failures;
        // The next commit is refused until the store is reopened, or
        // goes through; either way nothing of it may mix with the failed
        // one (RocksDB 7.8 reused its sequence numbers: an assertion
        // killed the process at the next open).
        (*db)->Update(absl::StrCat("INSERT DATA { ", kAfterQuad, " }"))
            .status()
            .IgnoreError();
      }
    }
    Reopened r = ReopenPlain(work);
    r.quads.erase(ParseQuad(kAfterQuad)->ToNQuads());
    INFO(op.name << ", " << FaultOpName(rule.op) << " fault at call " << n
                 << " of " << calls << ": " << s.ToString() << "; reopened: "
                 << Describe(r.quads, s.ok() ? after : before)
                 << "; check: "
                 << (r.problems.empty() ? "clean" : r.problems.front()));
    CHECK(r.problems.empty());
    if (s.ok() || (doubt_ok && r.quads == after)) {
      CHECK(r.quads == after);
    } else {
      CHECK(r.quads == before);
    }
  }
}

TEST_CASE("a failed MANIFEST sync during a bulk load leaves a store that "
          "opens",
          "[faults]") {
  // RocksDB 7.8 deleted the files it had linked in while its MANIFEST
  // record naming them could be on disk: the store never opened again.
  UseMemoryTemp();
  TempDir dir;
  fs::create_directories(dir.path());
  MakeBase(dir.file("empty"), true);
  MakeBase(dir.file("base"), false);
  uint64_t failures = 0;
  for (const Operation& op : Operations()) {
    if (!absl::StartsWith(op.name, "bulk load")) continue;
    for (bool full : {false, true})
      EveryCall(dir.file(op.on_empty_store ? "empty" : "base"), dir, op,
                FaultRule{.op = FaultOp::kSync,
                          .no_space = full,
                          .path_contains = "MANIFEST"},
                /*doubt_ok=*/true, &failures);
  }
  CHECK(failures > 0);
}

TEST_CASE("a failed commit stops writes until the store is reopened",
          "[faults]") {
  // A commit whose log was synced but whose folder sync failed; RocksDB
  // 7.8, resumed, gave the next commit the same sequence numbers, and the
  // next open died on an assertion replaying both.
  UseMemoryTemp();
  TempDir dir;
  fs::create_directories(dir.path());
  MakeBase(dir.file("base"), false);
  uint64_t failures = 0;
  for (const Operation& op : Operations()) {
    if (op.name != "update" && op.name != "transaction commit") continue;
    for (FaultOp kind : {FaultOp::kWrite, FaultOp::kSync})
      for (bool full : {false, true})
        EveryCall(dir.file("base"), dir, op,
                  FaultRule{.op = kind, .no_space = full},
                  /*doubt_ok=*/kind == FaultOp::kSync, &failures);
  }
  CHECK(failures > 0);
}

TEST_CASE("a read error in a transaction update or load fails it instead of "
          "changing part of what it matched or miscounting",
          "[faults]") {
  // RocksDB 7.8's merging iterator can skip a block it failed to read and
  // end with an OK status: an update changed 8 of its 15 matches, and the
  // statistics probes of transactions and of loads into non-empty stores
  // read a failed probe as "no such subject".
  UseMemoryTemp();
  TempDir dir;
  fs::create_directories(dir.path());
  MakeBase(dir.file("base"), false);
  uint64_t failures = 0;
  for (const Operation& op : Operations()) {
    if (op.on_empty_store || op.name == "compaction") continue;
    EveryCall(dir.file("base"), dir, op,
              FaultRule{.op = FaultOp::kRead, .path_excludes = "bulk-load-tmp"},
              /*doubt_ok=*/false, &failures);
  }
  CHECK(failures > 0);
}

}  // namespace
}  // namespace kg::testing
