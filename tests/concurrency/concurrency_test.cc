// Concurrency: readers against a writer in one process, and two processes
// on one store (a second writer refused at once, a read-only open beside
// a live writer). Tag [concurrency]; the rules they check are in
// docs/SAFETY.md, "Concurrency".
//
// The data keeps invariants that only whole transactions preserve. A batch
// b is k pairs and a size quad:
//   <urn:s/b/i> <urn:a> "b/i" .  <urn:s/b/i> <urn:b> <urn:batch/b> .
//   <urn:batch/b> <urn:size> k .
// Every write (insert, removal, bulk load, SPARQL update) adds, removes or
// shrinks batches whole, so a reader that sees a consistent snapshot sees
// as many <urn:a> quads as <urn:b> quads, their number equal to the sum of
// the sizes, no subject with one quad of its pair, and in each batch as
// many pairs as its size says.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "tests/util/run_command.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

using testing::CommandResult;
using testing::Has;
using testing::KgBinary;
using testing::RunCommand;
using testing::ShellQuote;
using testing::TempDir;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

Term Int(int64_t v) {
  return Term::Literal(std::to_string(v), std::string(kXsdInteger));
}
std::string SubjectIri(int b, int i) { return absl::StrCat("urn:s/", b, "/", i); }
std::string BatchIri(int b) { return absl::StrCat("urn:batch/", b); }

std::vector<Quad> PairQuads(int b, int i) {
  return {Quad{Term::Iri(SubjectIri(b, i)), Term::Iri("urn:a"),
               Term::Literal(absl::StrCat(b, "/", i)), {}},
          Quad{Term::Iri(SubjectIri(b, i)), Term::Iri("urn:b"),
               Term::Iri(BatchIri(b)), {}}};
}
Quad SizeQuad(int b, int k) {
  return Quad{Term::Iri(BatchIri(b)), Term::Iri("urn:size"), Int(k), {}};
}

std::string Sparql(const std::vector<Quad>& quads) {
  std::string out;
  for (const Quad& q : quads)
    absl::StrAppend(&out, q.subject.ToNTriples(), " ", q.predicate.ToNTriples(),
                    " ", q.object.ToNTriples(), " .\n");
  return out;
}

// The writer's own view of the store: batch -> its live pair indices.
using Batches = std::map<int, std::set<int>>;

// Failures seen by threads (Catch2 assertions are not thread-safe).
class Problems {
 public:
  void Add(std::string p) {
    std::lock_guard<std::mutex> lock(mu_);
    if (list_.size() < 20) list_.push_back(std::move(p));
  }
  std::vector<std::string> list() const {
    std::lock_guard<std::mutex> lock(mu_);
    return list_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> list_;
};

int64_t IntOf(const std::optional<Term>& t) {
  int64_t v = -1;
  if (t && absl::SimpleAtoi(t->lexical, &v)) return v;
  return -1;
}

// One reader's round: four ways to look at one snapshot each; what is
// wrong goes to `problems`.
void ReadRound(const Database& db, Problems* problems) {
  // The three counts in one query, so one snapshot.
  auto counts = testing::QueryRows(db, R"(
      SELECT ?pa ?pb ?total WHERE {
        { SELECT (COUNT(*) AS ?pa) WHERE { ?s <urn:a> ?x } }
        { SELECT (COUNT(*) AS ?pb) WHERE { ?s <urn:b> ?y } }
        { SELECT (SUM(?n) AS ?total) WHERE { ?batch <urn:size> ?n } }
      })");
  if (!counts.ok() || counts->size() != 1) {
    problems->Add("count query: " + counts.status().ToString());
    return;
  }
  const Row& row = (*counts)[0];
  const int64_t pa = IntOf(row[0]), pb = IntOf(row[1]), total = IntOf(row[2]);
  if (pa != pb || pa != total)
    problems->Add(absl::StrCat("a snapshot with ", pa, " <urn:a> quads, ", pb,
                               " <urn:b> quads and sizes summing to ", total));

  // No half pair, either way.
  for (const char* q :
       {"SELECT ?s WHERE { ?s <urn:a> ?x FILTER NOT EXISTS { ?s <urn:b> ?y } } "
        "LIMIT 1",
        "SELECT ?s WHERE { ?s <urn:b> ?y FILTER NOT EXISTS { ?s <urn:a> ?x } } "
        "LIMIT 1"}) {
    auto half = testing::QueryRows(db, q);
    if (!half.ok()) {
      problems->Add("half-pair query: " + half.status().ToString());
    } else if (!half->empty()) {
      problems->Add("half a pair seen: " + (*half)[0][0]->ToNTriples());
    }
  }

  // Each batch has as many pairs as its size says (probes by object).
  auto per_batch = testing::QueryRows(db, R"(
      SELECT ?batch ?n (COUNT(?s) AS ?c) WHERE {
        ?batch <urn:size> ?n . OPTIONAL { ?s <urn:b> ?batch }
      } GROUP BY ?batch ?n)");
  if (!per_batch.ok()) {
    problems->Add("per-batch query: " + per_batch.status().ToString());
  } else {
    for (const Row& r : *per_batch)
      if (IntOf(r[1]) != IntOf(r[2]))
        problems->Add(absl::StrCat(r[0]->ToNTriples(), " says ", IntOf(r[1]),
                                   " pairs, the snapshot has ", IntOf(r[2])));
  }

  // A cursor over everything, slowed down midway: its snapshot holds.
  auto cursor = db.Match({});
  int64_t a = 0, b = 0, sizes = 0, n = 0;
  for (; cursor->Valid(); cursor->Next()) {
    const Quad& q = cursor->quad();
    if (q.predicate.lexical == "urn:a") ++a;
    if (q.predicate.lexical == "urn:b") ++b;
    if (q.predicate.lexical == "urn:size") sizes += IntOf(q.object);
    if (++n % 500 == 0) std::this_thread::yield();
  }
  if (!cursor->status().ok())
    problems->Add("cursor: " + cursor->status().ToString());
  if (a != b || a != sizes)
    problems->Add(absl::StrCat("a cursor saw ", a, " <urn:a> quads, ", b,
                               " <urn:b> quads, sizes summing to ", sizes));
}

// The writer: every kind of write, each keeping the invariants.
absl::Status WriteRound(Database& db, int round, Batches* batches,
                        std::mt19937* rng) {
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(*rng);
  };
  const int b = round;  // a new batch's number
  switch (round % 6) {
    case 0: {  // a transaction adding a batch
      const int k = pick(1, 40);
      auto txn = db.BeginTransaction();
      if (!txn.ok()) return txn.status();
      for (int i = 0; i < k; ++i)
        for (const Quad& q : PairQuads(b, i)) {
          absl::Status s = (*txn)->Insert(q);
          if (!s.ok()) return s;
        }
      absl::Status s = (*txn)->Insert(SizeQuad(b, k));
      if (!s.ok()) return s;
      s = (*txn)->Commit();
      if (!s.ok()) return s;
      for (int i = 0; i < k; ++i) (*batches)[b].insert(i);
      return s;
    }
    case 1: {  // SPARQL INSERT DATA of a batch
      const int k = pick(1, 200);
      std::vector<Quad> quads;
      for (int i = 0; i < k; ++i)
        for (const Quad& q : PairQuads(b, i)) quads.push_back(q);
      quads.push_back(SizeQuad(b, k));
      auto done = db.Update("INSERT DATA {\n" + Sparql(quads) + "}");
      if (!done.ok()) return done.status();
      for (int i = 0; i < k; ++i) (*batches)[b].insert(i);
      return absl::OkStatus();
    }
    case 2: {  // a bulk load into the non-empty store
      const int k = pick(50, 500);
      std::vector<Quad> quads;
      for (int i = 0; i < k; ++i)
        for (const Quad& q : PairQuads(b, i)) quads.push_back(q);
      quads.push_back(SizeQuad(b, k));
      std::string text;
      for (const Quad& q : quads) absl::StrAppend(&text, q.ToNQuads(), "\n");
      std::istringstream in(text);
      LoadOptions lo;
      lo.format = RdfFormat::kNQuads;
      auto loaded = db.LoadStream(in, lo);
      if (!loaded.ok()) return loaded.status();
      for (int i = 0; i < k; ++i) (*batches)[b].insert(i);
      return absl::OkStatus();
    }
    case 3:
    case 4: {  // shrink a batch (often batch 0, in packed blocks)
      const int victim = (round % 4 == 3 || batches->size() == 1)
                             ? batches->begin()->first
                             : std::next(batches->begin(),
                                         pick(0, batches->size() - 1))
                                   ->first;
      std::set<int>& live = (*batches)[victim];
      if (live.size() < 2) return absl::OkStatus();
      const int drop = pick(1, static_cast<int>(live.size()) / 2);
      std::vector<int> gone(live.begin(), live.end());
      std::shuffle(gone.begin(), gone.end(), *rng);
      gone.resize(drop);
      const int k = static_cast<int>(live.size());
      if (round % 6 == 3) {
        auto txn = db.BeginTransaction();
        if (!txn.ok()) return txn.status();
        absl::Status s;
        for (int i : gone)
          for (const Quad& q : PairQuads(victim, i))
            if (s.ok()) s = (*txn)->Remove(q);
        if (s.ok()) s = (*txn)->Remove(SizeQuad(victim, k));
        if (s.ok()) s = (*txn)->Insert(SizeQuad(victim, k - drop));
        if (s.ok()) s = (*txn)->Commit();
        if (!s.ok()) return s;
      } else {
        std::vector<Quad> quads;
        for (int i : gone)
          for (const Quad& q : PairQuads(victim, i)) quads.push_back(q);
        quads.push_back(SizeQuad(victim, k));
        auto done = db.Update("DELETE DATA {\n" + Sparql(quads) +
                              "} ;\nINSERT DATA {\n" +
                              Sparql({SizeQuad(victim, k - drop)}) + "}");
        if (!done.ok()) return done.status();
      }
      for (int i : gone) live.erase(i);
      return absl::OkStatus();
    }
    default: {  // DELETE WHERE of a whole batch (not batch 0)
      if (batches->size() < 3) return absl::OkStatus();
      const int victim =
          std::next(batches->begin(), pick(1, batches->size() - 1))->first;
      const std::string batch = "<" + BatchIri(victim) + ">";
      auto done = db.Update("DELETE WHERE { " + batch + " <urn:size> ?n . ?s "
                            "<urn:b> " + batch + " . ?s <urn:a> ?x }");
      if (!done.ok()) return done.status();
      if (done->removed != 2 * (*batches)[victim].size() + 1)
        return absl::InternalError(absl::StrCat(
            "DELETE WHERE removed ", done->removed, " quads of batch ",
            victim));
      batches->erase(victim);
      return absl::OkStatus();
    }
  }
}

TEST_CASE("readers see whole transactions and loads while a writer commits",
          "[concurrency]") {
  TempDir dir;
  OpenOptions oo;
  oo.durable_commits = false;  // isolation is the subject here, not fsync
  auto db = Database::Open(dir.file("store"), oo);
  REQUIRE(db.ok());
  Batches batches;
  {  // batch 0: a bulk load into the empty store, packed blocks
    std::string text;
    for (int i = 0; i < 2000; ++i) {
      for (const Quad& q : PairQuads(0, i))
        absl::StrAppend(&text, q.ToNQuads(), "\n");
      batches[0].insert(i);
    }
    absl::StrAppend(&text, SizeQuad(0, 2000).ToNQuads(), "\n");
    std::istringstream in(text);
    LoadOptions lo;
    lo.format = RdfFormat::kNQuads;
    REQUIRE((*db)->LoadStream(in, lo).ok());
    REQUIRE(testing::StoreOf(**db)->has_blocks());
  }

  Problems problems;
  constexpr int kRounds = 72;  // each kind of write 12 times
  std::atomic<bool> done{false};
  std::atomic<int> rounds{0};
  std::atomic<int> reads{0};
  std::thread writer([&] {
    std::mt19937 rng(17);
    for (int round = 1; round <= kRounds; ++round) {
      absl::Status s = WriteRound(**db, round, &batches, &rng);
      if (s.ok() && round % 30 == 0) s = (*db)->Compact();
      if (!s.ok()) {
        problems.Add(absl::StrCat("writer, round ", round, ": ", s.ToString()));
        break;
      }
      ++rounds;
    }
    done = true;
  });
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      // At least a few rounds each, however fast the writer is.
      for (int i = 0; !done || i < 3; ++i) {
        ReadRound(**db, &problems);
        ++reads;
      }
    });
  }
  writer.join();
  for (std::thread& t : readers) t.join();
  for (const std::string& p : problems.list()) UNSCOPED_INFO(p);
  CHECK(problems.list().empty());
  CHECK(rounds == kRounds);
  CHECK(reads >= 6);
  // And the end state is what the writer made.
  ReadRound(**db, &problems);
  CHECK(problems.list().empty());
  int64_t pairs = 0;
  for (const auto& [b, live] : batches) pairs += live.size();
  auto all = testing::QueryRows(
      **db, "SELECT (COUNT(*) AS ?c) WHERE { ?s <urn:a> ?x }");
  REQUIRE(all.ok());
  CHECK(IntOf((*all)[0][0]) == pairs);
  auto check = (*db)->Check();
  REQUIRE(check.ok());
  CHECK(check->empty());
}

// ---- two processes ----------------------------------------------------

// Another process (kg_store_writer), with a pipe to its standard input and
// one from its standard output.
class Helper {
 public:
  Helper(const std::string& mode, const std::string& store) {
    int in[2], out[2];
    REQUIRE(pipe2(in, O_CLOEXEC) == 0);
    REQUIRE(pipe2(out, O_CLOEXEC) == 0);
    const char* argv[] = {KG_STORE_WRITER, mode.c_str(), store.c_str(),
                          nullptr};
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      execv(KG_STORE_WRITER, const_cast<char* const*>(argv));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~Helper() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      Wait();
    }
    if (to_ >= 0) close(to_);
    if (from_ >= 0) close(from_);
  }
  // The next line it printed; "" after `timeout_s` or at its end.
  std::string ReadLine(double timeout_s = 30) {
    const auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
    while (true) {
      const size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
      if (left <= 0) return "";
      pollfd p{from_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left * 1000) + 1) <= 0) continue;
      char buf[4096];
      const ssize_t n = read(from_, buf, sizeof buf);
      if (n <= 0) return "";
      buffer_.append(buf, static_cast<size_t>(n));
    }
  }
  // Closes its standard input (the signal to finish) and waits; its exit
  // status.
  int Finish() {
    close(to_);
    to_ = -1;
    return Wait();
  }

 private:
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::string buffer_;
};

TEST_CASE("a second writer process is refused at once with a clear error",
          "[concurrency]") {
  TempDir dir;
  const std::string store = dir.file("store");
  {
    auto db = Database::Open(store, {});
    REQUIRE(db.ok());
  }
  Helper holder("hold", store);
  REQUIRE(holder.ReadLine() == "ready");

  const std::string kKg = KgBinary();
  auto started = Clock::now();
  CommandResult update = RunCommand(
      kKg + " update " + ShellQuote(store) +
      " 'INSERT DATA { <urn:x> <urn:y> <urn:z> }'");
  const double update_s = SecondsSince(started);
  INFO(update.out);
  CHECK(update.exit_code == 1);
  CHECK(Has(update.out, "is in use by another process"));
  CHECK(update_s < 5.0);  // at once: no waiting for the lock

  std::ofstream(dir.file("one.nt")) << "<urn:x> <urn:y> <urn:z> .\n";
  started = Clock::now();
  CommandResult load =
      RunCommand(kKg + " load " + ShellQuote(store) + " " + dir.file("one.nt"));
  INFO(load.out);
  CHECK(load.exit_code == 1);
  CHECK(Has(load.out, "is in use by another process"));
  CHECK(SecondsSince(started) < 5.0);

  started = Clock::now();
  auto second = Database::Open(store, {});
  CHECK(SecondsSince(started) < 5.0);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Has(std::string(second.status().message()),
            "is in use by another process"));
  // Not RocksDB's words.
  CHECK_FALSE(Has(std::string(second.status().message()), "While lock file"));

  // Readers open read-only beside the writer.
  CommandResult query = RunCommand(
      kKg + " query " + ShellQuote(store) + " 'ASK { ?s ?p ?o }'");
  INFO(query.out);
  CHECK(query.exit_code == 0);

  // Once the holder is gone, the store is free.
  CHECK(holder.Finish() == 0);
  CommandResult after = RunCommand(
      kKg + " update " + ShellQuote(store) +
      " 'INSERT DATA { <urn:x> <urn:y> <urn:z> }'");
  INFO(after.out);
  CHECK(after.exit_code == 0);
}

TEST_CASE("a second writable open in the same process says so",
          "[concurrency]") {
  TempDir dir;
  auto db = Database::Open(dir.file("store"), {});
  REQUIRE(db.ok());
  auto second = Database::Open(dir.file("store"), {});
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == absl::StatusCode::kFailedPrecondition);
  INFO(second.status().message());
  CHECK(Has(std::string(second.status().message()),
            "already open for writing in this process"));
}

struct Counts {
  int64_t pa = -1, pb = -1, total = -1, batches = -1;
};

absl::StatusOr<Counts> CountsOf(const Database& db) {
  auto rows = testing::QueryRows(db, R"(
      SELECT ?pa ?pb ?total ?batches WHERE {
        { SELECT (COUNT(*) AS ?pa) WHERE { ?s <urn:a> ?x } }
        { SELECT (COUNT(*) AS ?pb) WHERE { ?s <urn:b> ?y } }
        { SELECT (SUM(?n) AS ?total) (COUNT(*) AS ?batches)
          WHERE { ?batch <urn:size> ?n } }
      })");
  if (!rows.ok()) return rows.status();
  if (rows->size() != 1) return absl::InternalError("not one row");
  const Row& r = (*rows)[0];
  return Counts{IntOf(r[0]), IntOf(r[1]), IntOf(r[2]), IntOf(r[3])};
}

TEST_CASE("a read-only open beside a writer process sees the state at its open",
          "[concurrency]") {
  TempDir dir;
  const std::string store = dir.file("store");
  Helper writer("write", store);
  // Reads the writer's reports so far: the last "committed" figures.
  int64_t last_pairs = -1, last_batches = -1;
  int compactions = 0;
  auto drain = [&](double timeout_s) {
    std::string line = writer.ReadLine(timeout_s);
    if (line.starts_with("committed ")) {
      std::istringstream in(line.substr(10));
      in >> last_pairs >> last_batches;
    } else if (line == "compacted") {
      ++compactions;
    } else if (!line.empty()) {
      FAIL("the writer says: " << line);
    }
    return !line.empty();
  };
  REQUIRE(drain(60));  // the first load committed
  int opens = 0;
  std::vector<std::string> problems;
  const auto start = Clock::now();
  while (opens < 25 || SecondsSince(start) < 3) {
    while (drain(0)) {
    }
    // Everything reported before the open began must be seen.
    const int64_t floor_pairs = last_pairs, floor_batches = last_batches;
    OpenOptions ro;
    ro.read_only = true;
    ro.warm_adjacencies_in_background = false;
    auto db = Database::Open(store, ro);
    if (!db.ok()) {
      problems.push_back("open: " + db.status().ToString());
      continue;
    }
    ++opens;
    auto first = CountsOf(**db);
    if (!first.ok()) {
      problems.push_back("query: " + first.status().ToString());
      continue;
    }
    if (first->pa != first->pb || first->pa != first->total)
      problems.push_back(absl::StrCat("inconsistent: ", first->pa, " ",
                                      first->pb, " ", first->total));
    // No hole: the writer adds batches 0, 1, 2... and never removes one,
    // so a state at some moment holds 0..n-1.
    {
      QuadPattern sizes;
      sizes.predicate = Term::Iri("urn:size");
      int64_t count = 0, max = -1;
      auto cursor = (*db)->Match(sizes);
      for (; cursor->Valid(); cursor->Next()) {
        int64_t b = -1;
        absl::SimpleAtoi(cursor->quad().subject.lexical.substr(10), &b);
        max = std::max(max, b);
        ++count;
      }
      if (count != max + 1)
        problems.push_back(absl::StrCat("a hole: ", count,
                                        " batches, the last numbered ", max));
    }
    if (first->pa < floor_pairs || first->batches < floor_batches)
      problems.push_back(absl::StrCat(
          "stale: ", first->batches, " batches seen, ", floor_batches,
          " reported committed before the open"));
    // The open stays at its state while the writer goes on (and compacts,
    // deleting files this reader had open).
    for (int i = 0; i < 3; ++i) {
      while (drain(0.02)) {
      }
      auto again = CountsOf(**db);
      if (!again.ok()) {
        problems.push_back("query later: " + again.status().ToString());
        break;
      }
      if (again->pa != first->pa || again->batches != first->batches)
        problems.push_back("a read-only open changed under its reader");
    }
    auto check = (*db)->Check();
    if (!check.ok() || !check->empty())
      problems.push_back("check: " + (check.ok() ? (*check)[0]
                                                 : check.status().ToString()));
  }
  CHECK(writer.Finish() == 0);
  for (const std::string& p : problems) UNSCOPED_INFO(p);
  CHECK(problems.empty());
  CHECK(opens >= 25);
  CHECK(compactions >= 1);
  // The writer's last state, as a new open sees it.
  while (drain(1)) {
  }
  auto db = Database::Open(store, {.read_only = true});
  REQUIRE(db.ok());
  auto final = CountsOf(**db);
  REQUIRE(final.ok());
  CHECK(final->pa == last_pairs);
  CHECK(final->batches == last_batches);
}

}  // namespace
}  // namespace kg
