// QueryCache: hits share one translation, keys include the parse options,
// eviction is least recently used, errors are not kept; and through the
// Database, a cached query still sees every commit.

#include "engine/query_cache.h"

#include <catch2/catch.hpp>
#include <atomic>
#include <thread>
#include <vector>

#include "engine/database.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

const char kSelect[] = "SELECT ?o WHERE { <http://e/s> <http://e/p> ?o }";

TEST_CASE("query cache: a text sent again gets the same translation",
          "[engine][query_cache]") {
  QueryCache cache(4);
  auto a = cache.Get(kSelect, {});
  auto b = cache.Get(kSelect, {});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->get() == b->get());
  CHECK(cache.size() == 1);

  // The base IRI and the predeclared prefixes change what a text means.
  QueryParseOptions based;
  based.base_iri = "http://other/";
  auto c = cache.Get(kSelect, based);
  REQUIRE(c.ok());
  CHECK(c->get() != a->get());
  QueryParseOptions prefixed;
  prefixed.prefixes["e"] = "http://e/";
  auto d = cache.Get(kSelect, prefixed);
  REQUIRE(d.ok());
  CHECK(d->get() != a->get());
  CHECK(d->get() != c->get());
  CHECK(cache.size() == 3);
}

TEST_CASE("query cache: least recently used out first, errors not kept",
          "[engine][query_cache]") {
  QueryCache cache(2);
  auto q = [](int i) {
    return "SELECT ?o WHERE { <http://e/s" + std::to_string(i) +
           "> <http://e/p> ?o }";
  };
  auto first = cache.Get(q(1), {});
  REQUIRE(first.ok());
  REQUIRE(cache.Get(q(2), {}).ok());
  // Using q(1) again makes q(2) the oldest: q(3) evicts it.
  auto again = cache.Get(q(1), {});
  REQUIRE(again.ok());
  CHECK(again->get() == first->get());
  REQUIRE(cache.Get(q(3), {}).ok());
  CHECK(cache.size() == 2);
  auto still = cache.Get(q(1), {});
  REQUIRE(still.ok());
  CHECK(still->get() == first->get());

  auto bad = cache.Get("SELECT ?o WHERE { ?s ?p }", {});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(cache.size() == 2);
  // The same error again, from the parser again.
  auto bad_again = cache.Get("SELECT ?o WHERE { ?s ?p }", {});
  CHECK(bad_again.status() == bad.status());

  QueryCache off(0);
  auto x = off.Get(kSelect, {});
  auto y = off.Get(kSelect, {});
  REQUIRE(x.ok());
  REQUIRE(y.ok());
  CHECK(x->get() != y->get());
  CHECK(off.size() == 0);
}

TEST_CASE("query cache: threads sharing a small cache get correct "
          "translations while entries are evicted",
          "[engine][query_cache]") {
  QueryCache cache(2);
  const std::string texts[3] = {
      "SELECT ?a WHERE { ?a <http://e/p> ?b }",
      "SELECT ?a ?b WHERE { ?a <http://e/q> ?b }",
      "ASK { <http://e/s> ?p ?o }"};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const int k = (i + t) % 3;
        auto q = cache.Get(texts[k], {});
        const size_t columns = k == 0 ? 1 : k == 1 ? 2 : 0;
        if (!q.ok() || (*q)->projection.size() != columns) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(wrong == 0);
  CHECK(cache.size() == 2);
}

std::vector<std::string> Labels(Database& db, const std::string& q) {
  auto rows = testing::QueryRows(db, q);
  REQUIRE(rows.ok());
  std::vector<std::string> out;
  for (const Row& row : *rows)
    out.push_back(row.at(0) ? row.at(0)->lexical : "UNDEF");
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("a cached query sees every commit, even of terms it names that "
          "did not exist when it was first run",
          "[engine][query_cache]") {
  testing::TempDir dir;
  auto db = testing::StoreFromTrig(
      dir, "<http://e/a> <http://e/label> \"A\" .\n");
  REQUIRE(db.ok());
  const std::string q =
      "SELECT ?l WHERE { <http://e/new> <http://e/label> ?l }";
  const std::string all = "SELECT ?l WHERE { ?s <http://e/label> ?l }";
  CHECK(Labels(**db, q).empty());
  CHECK(Labels(**db, all) == std::vector<std::string>{"A"});
  auto u = (*db)->Update(
      "INSERT DATA { <http://e/new> <http://e/label> \"New\" }");
  REQUIRE(u.ok());
  CHECK(Labels(**db, q) == std::vector<std::string>{"New"});
  CHECK(Labels(**db, all) == std::vector<std::string>{"A", "New"});
  u = (*db)->Update("DELETE DATA { <http://e/a> <http://e/label> \"A\" }");
  REQUIRE(u.ok());
  CHECK(Labels(**db, all) == std::vector<std::string>{"New"});
  // EXPLAIN shares the cache and plans with the current statistics.
  auto plan = (*db)->Explain(all, /*profile=*/true);
  REQUIRE(plan.ok());
  CHECK(plan->find("1 result rows") != std::string::npos);
}

}  // namespace
}  // namespace kg
