// Query texts that try to break the process (issue 17): very wide and very
// deep shapes must answer or fail with a clear error, never crash.

#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "engine/query_result.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

using testing::TempDir;

std::unique_ptr<Database> OneTriple(const TempDir& dir) {
  auto db = testing::StoreFromTrig(dir, "<urn:a> <urn:p5> <urn:b> .");
  REQUIRE(db.ok());
  return *std::move(db);
}

TEST_CASE("a UNION of 20,000 branches answers (it crashed the process)",
          "[hostile][issue17]") {
  TempDir dir;
  auto db = OneTriple(dir);
  std::string q = "SELECT * {";
  for (int i = 0; i < 20000; ++i)
    absl::StrAppend(&q, i ? " UNION " : " ", "{ ?s <urn:p", i, "> ?o }");
  q += " }";
  auto rows = testing::QueryRows(*db, q);
  REQUIRE(rows.ok());
  CHECK(rows->size() == 1);
  // The tree is balanced: EXPLAIN is about 15 levels deep, not 20,000.
  auto plan = db->Explain(q, false);
  REQUIRE(plan.ok());
  size_t deepest = 0;
  for (size_t at = 0; at < plan->size();) {
    size_t spaces = 0;
    while (at + spaces < plan->size() && (*plan)[at + spaces] == ' ') ++spaces;
    deepest = std::max(deepest, spaces / 2);
    size_t nl = plan->find('\n', at);
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  CHECK(deepest < 40);
}

TEST_CASE("patterns nested too deeply are refused with a clear error",
          "[hostile][issue17]") {
  TempDir dir;
  auto db = OneTriple(dir);
  // (20,000 BINDs took a minute in the parser's scope check before the
  // depth check could refuse them.)
  for (const char* shape : {"OPTIONAL { ?s <urn:q%d> ?x%d }",
                            "MINUS { ?s <urn:q%d> ?x%d }",
                            "BIND(%d AS ?b%d)"}) {
    std::string q = "SELECT * { ?s ?p ?o ";
    for (int i = 0; i < 20000; ++i) {
      std::string part = shape;
      for (size_t at; (at = part.find("%d")) != std::string::npos;)
        part.replace(at, 2, std::to_string(i));
      q += part + " ";
    }
    q += "}";
    auto r = db->Query(q);
    INFO(shape);
    REQUIRE_FALSE(r.ok());
    CHECK(absl::IsInvalidArgument(r.status()));
    CHECK(std::string(r.status().message()).find("nested too deeply") !=
          std::string::npos);
  }
  // 900 OPTIONALs in a row are still fine.
  std::string q = "SELECT * { ?s ?p ?o ";
  for (int i = 0; i < 900; ++i)
    absl::StrAppend(&q, "OPTIONAL { ?s <urn:q", i, "> ?x", i, " } ");
  q += "}";
  auto rows = testing::QueryRows(*db, q);
  REQUIRE(rows.ok());
  CHECK(rows->size() == 1);
}

TEST_CASE("a path sequence of 20,000 steps plans in linear time",
          "[hostile][issue17]") {
  TempDir dir;
  auto db = OneTriple(dir);
  std::string q = "SELECT * { ?s ";
  for (int i = 0; i < 20000; ++i) absl::StrAppend(&q, i ? "/" : "", "<urn:p", i, ">");
  q += " ?o }";
  auto rows = testing::QueryRows(*db, q);
  REQUIRE(rows.ok());
  CHECK(rows->empty());
}

TEST_CASE("the time limit holds while a large pattern is planned",
          "[hostile][issue17]") {
  TempDir dir;
  auto db = OneTriple(dir);
  std::string q = "SELECT * {";
  for (int i = 0; i < 5000; ++i)
    absl::StrAppend(&q, i ? " . " : " ", "?s <urn:p", i, "> ?o", i);
  q += " }";
  QueryOptions options;
  options.timeout_ms = 200;
  auto rows = testing::QueryRows(*db, q, options);
  REQUIRE_FALSE(rows.ok());
  CHECK(absl::IsDeadlineExceeded(rows.status()));
}

}  // namespace
}  // namespace kg
