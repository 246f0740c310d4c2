// The planner's choices, as EXPLAIN shows them, on a small store: join
// order by the statistics' estimates, FILTER conjuncts right after the scan
// that binds their variables (and object ranges), a hash join for an
// aggregating subquery, IntersectScan where patterns close a cycle, and
// the solution modifiers' order.

#include "engine/plan/planner.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "tests/util/test_store.h"

namespace kg::plan {
namespace {

using testing::StoreFromTrig;
using testing::TempDir;

// 20 persons with a name, an age and three acquaintances each; two of
// them with a city; one named graph.
std::string People() {
  std::string trig = "@prefix : <http://ex.org/> .\n";
  for (int i = 0; i < 20; ++i) {
    absl::StrAppend(&trig, ":p", i, " :type :Person ; :name \"Person ", i,
                    "\" ; :age ", 20 + 3 * i, " .\n");
    for (int j : {1, 2, 5})
      absl::StrAppend(&trig, ":p", i, " :knows :p", (i + j) % 20, " .\n");
  }
  absl::StrAppend(&trig,
                  ":p0 :city :paris . :p1 :city :rome .\n"
                  ":paris :type :Place . :rome :type :Place .\n"
                  ":g1 { :p0 :knows :p3 . :p3 :city :paris . }\n");
  return trig;
}

class PlannerTest {
 public:
  PlannerTest() {
    auto db = StoreFromTrig(dir_, People());
    REQUIRE(db.ok());
    db_ = *std::move(db);
  }
  std::string Explain(const std::string& where, bool profile = false) {
    auto text = db_->Explain("PREFIX : <http://ex.org/> " + where, profile);
    REQUIRE(text.ok());
    return *text;
  }
  // The rows of a query, each as its values joined by spaces.
  std::vector<std::string> Rows(const std::string& query) {
    auto result = db_->Query("PREFIX : <http://ex.org/> " + query);
    REQUIRE(result.ok());
    std::vector<std::string> rows;
    Row row;
    while (true) {
      auto more = (*result)->NextRow(&row);
      REQUIRE(more.ok());
      if (!*more) break;
      std::string line;
      for (const auto& t : row)
        absl::StrAppend(&line, line.empty() ? "" : " ",
                        t ? t->lexical : "-");
      rows.push_back(line);
    }
    return rows;
  }

 private:
  TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_CASE("Planner: the pattern expected to give fewer rows runs first",
          "[plan]") {
  PlannerTest t;
  // Two persons have a city, twenty a name: the city scan comes first
  // (deepest), the name is then looked up per person (spog).
  CHECK(t.Explain("SELECT * { ?x :name ?s . ?x :city ?c }") ==
        "Project  est=1\n"
        "  IndexScan ?x <http://ex.org/name> ?s  index=spog  est=3\n"
        "    IndexScan ?x <http://ex.org/city> ?c  index=posg  est=3\n"
        "      Singleton  est=1\n");
  // A chain starts at its selective end.
  CHECK(t.Explain("SELECT * { ?x :name ?s . ?x :knows ?y . ?y :city ?c }") ==
        "Project  est=1\n"
        "  IndexScan ?x <http://ex.org/name> ?s  index=spog  est=9\n"
        "    IndexScan ?x <http://ex.org/knows> ?y  index=posg  est=9\n"
        "      IndexScan ?y <http://ex.org/city> ?c  index=posg  est=3\n"
        "        Singleton  est=1\n");
}

TEST_CASE("Planner: each FILTER conjunct right after the scan binding it",
          "[plan]") {
  PlannerTest t;
  // ?n > 40 goes above the age scan (which reads only its range), the
  // STRLEN condition above the name scan.
  CHECK(t.Explain("SELECT * { ?x :name ?s . ?x :age ?n "
                  "FILTER(STRLEN(?s) > 7 && ?n > 40) }") ==
        "Project  est=1\n"
        "  Filter (1 condition)  est=0\n"
        "    IndexScan ?x <http://ex.org/name> ?s  index=spog  est=0\n"
        "      Filter (1 condition)  est=0\n"
        "        IndexScan ?x <http://ex.org/age> ?n  index=posg  "
        "object-range  est=0\n"
        "          Singleton  est=1\n");
  // A range FILTER makes the predicate scan the cheaper start.
  CHECK(t.Explain("SELECT * { ?x :type :Person . ?x :age ?n "
                  "FILTER(?n >= 50) }") ==
        "Project  est=1\n"
        "  IndexScan ?x <http://ex.org/type> <http://ex.org/Person>  "
        "index=spog  est=0\n"
        "    Filter (1 condition)  est=0\n"
        "      IndexScan ?x <http://ex.org/age> ?n  index=posg  object-range"
        "  est=0\n"
        "        Singleton  est=1\n");
}

TEST_CASE("Planner: an aggregating subquery runs once and joins by hash",
          "[plan]") {
  PlannerTest t;
  const std::string query =
      "SELECT ?x ?k { ?x :type :Person . "
      "{ SELECT ?x (COUNT(?y) AS ?k) { ?x :knows ?y } GROUP BY ?x } }";
  CHECK(t.Explain(query) ==
        "Project  est=1\n"
        "  HashJoin (right side evaluated once)  est=1\n"
        "    IndexScan ?x <http://ex.org/type> <http://ex.org/Person>  "
        "index=posg  est=20\n"
        "      Singleton  est=1\n"
        "    Project  est=1\n"
        "      Bind ?k  est=1\n"
        "        HashAggregate (1 key(s), 1 aggregate(s))  "
        "counts-from-adjacency  est=1\n"
        "          IndexScan ?x <http://ex.org/knows> ?y  index=posg  "
        "est=61\n"
        "            Singleton  est=1\n");
  // PROFILE: twenty persons probe it, the subquery is opened once.
  const std::string profile = t.Explain(query, /*profile=*/true);
  INFO(profile);
  CHECK(profile.find("  HashJoin (right side evaluated once)  est=1  "
                     "rows=20  opens=1") != std::string::npos);
  CHECK(profile.find("\n    Project  est=1  rows=20  opens=1") !=
        std::string::npos);
}

TEST_CASE("Planner: IntersectScan where patterns close a cycle", "[plan]") {
  PlannerTest t;
  CHECK(t.Explain("SELECT * { :p0 :knows ?x . ?x :knows ?y . "
                  "?y :knows :p0 }") ==
        "Project  est=1\n"
        "  IntersectScan ?x: ?x <http://ex.org/knows> ?y ∩ "
        "<http://ex.org/p0> <http://ex.org/knows> ?x  est=1\n"
        "    IndexScan ?y <http://ex.org/knows> <http://ex.org/p0>  "
        "index=posg  est=3\n"
        "      Singleton  est=1\n");
  CHECK(t.Explain("SELECT * { :p0 :knows ?x . ?x :city :paris }") ==
        "Project  est=1\n"
        "  IntersectScan ?x: ?x <http://ex.org/city> <http://ex.org/paris> ∩ "
        "<http://ex.org/p0> <http://ex.org/knows> ?x  est=0\n"
        "    Singleton  est=1\n");
  // Not over an explicit dataset (FROM): index nested loops instead.
  CHECK(t.Explain("SELECT * FROM <http://ex.org/g1> "
                  "{ :p0 :knows ?x . ?x :city :paris }") ==
        "Project  est=1\n"
        "  IndexScan <http://ex.org/p0> <http://ex.org/knows> ?x  "
        "index=spog  est=0\n"
        "    IndexScan ?x <http://ex.org/city> <http://ex.org/paris>  "
        "index=posg  est=2\n"
        "      Singleton  est=1\n");
}

TEST_CASE("Planner: COUNT(*) over a cycle adds up intersections, no rows",
          "[plan]") {
  PlannerTest t;
  // a knows b knows c, and a knows c: the steps of :knows are 1, 2 and 5,
  // so 1 + 1 = 2 closes one such triangle at every person.
  const std::string where = "{ ?a :knows ?b . ?b :knows ?c . ?a :knows ?c }";
  const std::string explain = t.Explain("SELECT (COUNT(*) AS ?n) " + where);
  INFO(explain);
  CHECK(explain.find("HashAggregate (0 key(s), 1 aggregate(s))  "
                     "counts-child-rows") != std::string::npos);
  CHECK(explain.find("IntersectScan ?c") != std::string::npos);
  const std::vector<std::string> rows = t.Rows("SELECT * " + where);
  CHECK(rows.size() >= 20);
  const std::string n = std::to_string(rows.size());
  CHECK(t.Rows("SELECT (COUNT(*) AS ?n) " + where) ==
        std::vector<std::string>{n});
  // Two COUNT(*)s, and the counts of a pass per outer row (a subquery
  // grouped by ?a: its HashAggregate reads ?a, so rows are produced).
  CHECK(t.Rows("SELECT (COUNT(*) AS ?n) (COUNT(*) AS ?m) " + where) ==
        std::vector<std::string>{n + " " + n});
  // COUNT(?c) reads a column: the rows are produced, the answer the same.
  const std::string by_column =
      t.Explain("SELECT (COUNT(?c) AS ?n) " + where);
  CHECK(by_column.find("counts-child-rows") == std::string::npos);
  CHECK(t.Rows("SELECT (COUNT(?c) AS ?n) " + where) ==
        std::vector<std::string>{n});
  CHECK(t.Rows("SELECT (COUNT(DISTINCT *) AS ?n) " + where) ==
        std::vector<std::string>{n});
  // PROFILE counts the rows so counted at the IntersectScan.
  const std::string profile =
      t.Explain("SELECT (COUNT(*) AS ?n) " + where, /*profile=*/true);
  INFO(profile);
  CHECK(profile.find("IntersectScan ?c") != std::string::npos);
  CHECK(profile.find("rows=" + n + "  opens=1") != std::string::npos);
  // A FILTER between them reads columns: no counting.
  CHECK(t.Explain("SELECT (COUNT(*) AS ?n) { ?a :knows ?b . ?b :knows ?c . "
                  "?a :knows ?c FILTER(?c != :p3) }")
            .find("counts-child-rows") == std::string::npos);
}

TEST_CASE("Planner: OPTIONAL, MINUS, a top-k sort under LIMIT", "[plan]") {
  PlannerTest t;
  CHECK(t.Explain("SELECT ?x { ?x :type :Person . OPTIONAL { ?x :city ?c } "
                  "MINUS { ?x :age 23 } } ORDER BY ?x LIMIT 2") ==
        "Slice offset=0 limit=2  est=1\n"
        "  Project  est=1\n"
        "    Sort (1 key)  top 2  est=1\n"
        "      Minus  est=1\n"
        "        Optional  est=1\n"
        "          IndexScan ?x <http://ex.org/type> <http://ex.org/Person>  "
        "index=posg  est=20\n"
        "            Singleton  est=1\n"
        "          IndexScan ?x <http://ex.org/city> ?c  index=spog  est=1\n"
        "            Singleton  est=1\n"
        "        IndexScan ?x <http://ex.org/age> "
        "\"23\"^^<http://www.w3.org/2001/XMLSchema#integer>  index=posg  "
        "est=1\n"
        "          Singleton  est=1\n");
}

}  // namespace
}  // namespace kg::plan

namespace kg::plan {
namespace {

TEST_CASE("Planner: a type check of a large class is judged by its count",
          "[plan]") {
  // 100 labelled entities, 90 of class :Big and 10 of :Small. A check
  // `?x :type :Big` passes 90% of the entities, not half (1 / classes):
  // judged by the average, scanning every label and checking each type
  // looked cheaper than scanning the class and probing each label.
  std::string trig = "@prefix : <http://ex.org/> .\n";
  for (int i = 0; i < 100; ++i)
    absl::StrAppend(&trig, ":e", i, " :label \"e", i, "\" ; :type ",
                    i < 90 ? ":Big" : ":Small", " .\n");
  TempDir dir;
  auto db = StoreFromTrig(dir, trig);
  REQUIRE(db.ok());
  auto text = (*db)->Explain(
      "PREFIX : <http://ex.org/> SELECT * { ?x :label ?n . ?x :type :Big }",
      false);
  REQUIRE(text.ok());
  CHECK(*text ==
        "Project  est=1\n"
        "  IndexScan ?x <http://ex.org/label> ?n  index=spog  est=90\n"
        "    IndexScan ?x <http://ex.org/type> <http://ex.org/Big>  "
        "index=posg  est=90\n"
        "      Singleton  est=1\n");
}

}  // namespace
}  // namespace kg::plan
