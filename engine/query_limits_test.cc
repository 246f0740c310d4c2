// Query limits (timeout, memory cap, cancellation), streaming LIMIT, EXPLAIN
// and PROFILE, and syntax errors through the API.

#include <atomic>
#include <catch2/catch.hpp>
#include <sstream>
#include <thread>

#include "engine/database.h"
#include "engine/query_result.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

using testing::TempDir;

// A chain of n nodes, each linked to the next: :n0 :next :n1 ...
std::unique_ptr<Database> Chain(const TempDir& dir, int n) {
  auto db = Database::Open(dir.file("store"), {.durable_commits = false});
  REQUIRE(db.ok());
  std::ostringstream nt;
  for (int i = 0; i + 1 < n; ++i)
    nt << "<urn:n" << i << "> <urn:next> <urn:n" << i + 1 << "> .\n";
  std::istringstream in(nt.str());
  LoadOptions lo;
  lo.format = RdfFormat::kNTriples;
  REQUIRE((*db)->LoadStream(in, lo).ok());
  return *std::move(db);
}

absl::StatusOr<uint64_t> CountRows(QueryResult& r) {
  Row row;
  uint64_t n = 0;
  while (true) {
    auto more = r.NextRow(&row);
    if (!more.ok()) return more.status();
    if (!*more) return n;
    ++n;
  }
}

TEST_CASE("a query over its time limit ends with DeadlineExceeded",
          "[query][limits]") {
  TempDir dir;
  auto db = Chain(dir, 2000);
  QueryOptions qo;
  qo.timeout_ms = 50;
  // All pairs of the transitive closure: about 2 million rows, slowly.
  auto r = db->Query("SELECT * { ?a <urn:next>+ ?b }", qo);
  REQUIRE(r.ok());
  auto n = CountRows(**r);
  REQUIRE_FALSE(n.ok());
  CHECK(n.status().code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(std::string(n.status().message()).find("50 ms") != std::string::npos);
  // The store is unharmed.
  auto again = db->Query("ASK { <urn:n0> <urn:next> <urn:n1> }");
  REQUIRE(again.ok());
  CHECK((*again)->boolean());
}

TEST_CASE("a query over its memory cap ends with ResourceExhausted",
          "[query][limits]") {
  TempDir dir;
  auto db = Chain(dir, 3000);
  QueryOptions qo;
  qo.memory_limit_bytes = 64 * 1024;
  auto r = db->Query("SELECT ?b { <urn:n0> <urn:next>* ?b } ORDER BY ?b", qo);
  absl::Status s = r.ok() ? CountRows(**r).status() : r.status();
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == absl::StatusCode::kResourceExhausted);
}

TEST_CASE("the memory cap holds while a request's text is read",
          "[query][limits]") {
  TempDir dir;
  auto db = Chain(dir, 10);
  // 100,000 rows of two terms each: about 30 MB once parsed, planned and
  // run, from a 2.6 MB text.
  std::string values = "VALUES (?s ?o) {";
  for (int i = 0; i < 100000; ++i)
    values += " (<urn:x" + std::to_string(i) + "> \"v" + std::to_string(i) +
              "\")";
  values += " }";
  const std::string query =
      "SELECT (COUNT(*) AS ?n) WHERE { " + values + " }";
  QueryOptions capped;
  capped.memory_limit_bytes = 4 << 20;
  auto r = db->Query(query, capped);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK(std::string(r.status().message())
            .find("memory limit of 4194304 bytes while its text was being "
                  "read") != std::string::npos);
  // So does EXPLAIN, and an update request, which then changes nothing.
  CHECK(db->Explain(query, false, capped).status().code() ==
        absl::StatusCode::kResourceExhausted);
  std::string insert = "INSERT DATA {";
  for (int i = 0; i < 100000; ++i)
    insert += " <urn:x" + std::to_string(i) + "> <urn:p> \"v" +
              std::to_string(i) + "\" .";
  insert += " }";
  auto u = db->Update(insert, capped);
  REQUIRE_FALSE(u.ok());
  CHECK(u.status().code() == absl::StatusCode::kResourceExhausted);
  auto n = db->Query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }");
  REQUIRE(n.ok());
  Row row;
  REQUIRE(*(*n)->NextRow(&row));
  CHECK(row[0]->lexical == "9");
  // With room (or no cap) the same texts run.
  QueryOptions roomy;
  roomy.memory_limit_bytes = 256 << 20;
  auto ok = db->Query(query, roomy);
  REQUIRE(ok.ok());
  REQUIRE(*(*ok)->NextRow(&row));
  CHECK(row[0]->lexical == "100000");
  CHECK(db->Update(insert, roomy).ok());
}

TEST_CASE("a running query can be cancelled from another thread",
          "[query][limits]") {
  TempDir dir;
  auto db = Chain(dir, 2000);
  std::atomic<bool> cancel{false};
  QueryOptions qo;
  qo.cancel = &cancel;
  auto r = db->Query("SELECT * { ?a <urn:next>* ?b }", qo);
  REQUIRE(r.ok());
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    cancel = true;
  });
  auto n = CountRows(**r);
  t.join();
  REQUIRE_FALSE(n.ok());
  CHECK(n.status().code() == absl::StatusCode::kCancelled);
}

TEST_CASE("LIMIT streams: the first rows come without computing the rest",
          "[query]") {
  TempDir dir;
  auto db = Chain(dir, 3000);
  QueryOptions qo;
  qo.timeout_ms = 5000;  // the whole closure would take far longer
  auto r = db->Query("SELECT * { ?a <urn:next>+ ?b } LIMIT 10", qo);
  REQUIRE(r.ok());
  auto n = CountRows(**r);
  REQUIRE(n.ok());
  CHECK(*n == 10);
}

TEST_CASE("EXPLAIN shows operators with indexes and estimates, PROFILE adds "
          "actual rows",
          "[query][explain]") {
  TempDir dir;
  auto db = Chain(dir, 100);
  auto plan = db->Explain(
      "SELECT ?b ?c { <urn:n5> <urn:next> ?b . ?b <urn:next> ?c }", false);
  REQUIRE(plan.ok());
  INFO(*plan);
  CHECK(plan->find("IndexScan") != std::string::npos);
  CHECK(plan->find("index=spog") != std::string::npos);
  CHECK(plan->find("est=") != std::string::npos);
  CHECK(plan->find("rows=") == std::string::npos);
  auto profile = db->Explain(
      "SELECT ?b ?c { <urn:n5> <urn:next> ?b . ?b <urn:next> ?c }", true);
  REQUIRE(profile.ok());
  INFO(*profile);
  CHECK(profile->find("rows=1") != std::string::npos);
  CHECK(profile->find("1 result rows") != std::string::npos);
}

TEST_CASE("syntax errors carry line, column and a caret", "[query]") {
  TempDir dir;
  auto db = Chain(dir, 3);
  auto r = db->Query("SELECT ?x\nWHERE { ?x <urn:next> ?y \n  FILTR(?y) }");
  REQUIRE_FALSE(r.ok());
  std::string msg(r.status().message());
  INFO(msg);
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(msg.find("line 3") != std::string::npos);
  CHECK(msg.find("^") != std::string::npos);
  auto u = db->Update("INSERT DATA { <urn:a> <urn:b> }");
  REQUIRE_FALSE(u.ok());
  // A failed update changes nothing.
  auto count = db->Query("SELECT * { ?s ?p ?o }");
  REQUIRE(count.ok());
  CHECK(*CountRows(**count) == 2);
}

TEST_CASE("an update request is all or nothing", "[update]") {
  TempDir dir;
  auto db = Chain(dir, 3);
  // The second operation fails (DROP of a graph that does not exist), so the
  // first must not apply either.
  auto u = db->Update(
      "INSERT DATA { <urn:x> <urn:y> <urn:z> } ; DROP GRAPH <urn:nothing>");
  REQUIRE_FALSE(u.ok());
  auto r = db->Query("ASK { <urn:x> <urn:y> <urn:z> }");
  REQUIRE(r.ok());
  CHECK_FALSE((*r)->boolean());
  auto problems = db->Check();
  REQUIRE(problems.ok());
  CHECK(problems->empty());
}

TEST_CASE("LOAD needs file access enabled", "[update]") {
  TempDir dir;
  auto db = Chain(dir, 3);
  auto u = db->Update("LOAD <file:///etc/hostname>");
  REQUIRE_FALSE(u.ok());
  CHECK(u.status().code() == absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace kg
