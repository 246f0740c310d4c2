// OrderByOp: a stable sort by the keys; with a top k (a LIMIT above) only
// the first k rows of the same order, whether kept in a heap (small k) or
// partially sorted (large k).

#include "engine/exec/order_by_op.h"

#include <catch2/catch.hpp>

#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;
using testing::NoExists;
using testing::VarExpr;
using Strings = std::vector<std::string>;

// Rows (?k, ?i): keys with many ties, some unbound and some IRIs; ?i is
// the row's position, so stability shows.
std::vector<Strings> Rows(int n) {
  std::vector<Strings> rows;
  uint32_t x = 12345;
  for (int i = 0; i < n; ++i) {
    x = x * 1103515245 + 12345;
    const int k = (x >> 16) % 23;
    std::string key = k == 0   ? "-"
                      : k == 1 ? "iri" + std::to_string((x >> 8) % 3)
                               : std::to_string(k % 9);
    rows.push_back({key, std::to_string(i)});
  }
  return rows;
}

std::vector<algebra::OrderKey> ByK(bool descending) {
  algebra::OrderKey key;
  key.expr = VarExpr(0);
  key.descending = descending;
  return {key};
}

Strings Sorted(ExecFixture& f, Evaluator& ev, const std::vector<Strings>& rows,
               bool descending, std::optional<uint64_t> top_k) {
  OrderByOp sort(f.ctx(), f.Values(rows), ByK(descending), &ev, top_k);
  return f.Drain(sort, 2);
}

TEST_CASE("Sort is stable: unbound first, then IRIs, then numbers",
          "[exec][orderby]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  OrderByOp sort(f.ctx(),
                 f.Values({{"3", "0"},
                           {"-", "1"},
                           {"b", "2"},
                           {"1", "3"},
                           {"3", "4"},
                           {"a", "5"},
                           {"-", "6"}}),
                 ByK(false), &ev, std::nullopt);
  CHECK(f.Drain(sort, 2) ==
        Strings{"- 1", "- 6", "a 5", "b 2", "1 3", "3 0", "3 4"});
  CHECK(sort.Describe() == "Sort (1 key)");
}

TEST_CASE("Sort top k equals the first k rows of the full sort",
          "[exec][orderby]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  const std::vector<Strings> rows = Rows(600);
  for (bool descending : {false, true}) {
    const Strings full = Sorted(f, ev, rows, descending, std::nullopt);
    REQUIRE(full.size() == rows.size());
    for (uint64_t k : {0, 1, 7, 100, 599, 600, 1000}) {
      INFO("k " << k << (descending ? " descending" : ""));
      Strings want(full.begin(),
                   full.begin() + std::min<size_t>(k, full.size()));
      CHECK(Sorted(f, ev, rows, descending, k) == want);
    }
  }
  OrderByOp sort(f.ctx(), f.Values({}), ByK(true), &ev, 10);
  CHECK(sort.Describe() == "Sort (1 key)  top 10");
}

TEST_CASE("Sort top k above the heap size sorts partially", "[exec][orderby]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  const std::vector<Strings> rows = Rows(5000);
  const Strings full = Sorted(f, ev, rows, false, std::nullopt);
  const Strings top = Sorted(f, ev, rows, false, 4500);  // > 4096: no heap
  REQUIRE(top.size() == 4500);
  CHECK(std::equal(top.begin(), top.end(), full.begin()));
}

}  // namespace
}  // namespace kg::exec
