// HashJoinOp (join and OPTIONAL by hash) and the MaterializedSide it
// probes: the right side runs once (per graph), rows come out in the left
// side's order, unbound probe values scan every right row.

#include "engine/exec/hash_join_op.h"

#include <catch2/catch.hpp>

#include "engine/exec/materialized_side.h"
#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::BinaryExpr;
using testing::ConstExpr;
using testing::ExecFixture;
using testing::NoExists;
using testing::VarExpr;
using Strings = std::vector<std::string>;

// Slots: 0 = ?a, 1 = ?b, 2 = ?c.
const std::vector<Strings> kLeft = {
    {"x", "1", "-"}, {"y", "2", "-"}, {"z", "9", "-"}, {"w", "-", "-"}};
const std::vector<Strings> kRight = {
    {"-", "1", "p"}, {"-", "1", "q"}, {"-", "2", "r"}};

TEST_CASE("HashJoin: left order, each left row's matches together",
          "[exec][hashjoin]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  OpPtr right = f.Values(kRight);
  Operator* right_plan = right.get();
  HashJoinOp join(f.ctx(), f.Values(kLeft), std::move(right),
                  /*graph_var=*/-1, /*optional=*/false, {}, &ev);
  // ?w leaves ?b unbound: compatible with every right row (a scan of all).
  CHECK(f.Drain(join, 3) ==
        Strings{"x 1 p", "x 1 q", "y 2 r", "w 1 p", "w 1 q", "w 2 r"});
  CHECK(right_plan->opens() == 1);
  // Kept across Opens: the right side is not evaluated again.
  CHECK(f.Drain(join, 3).size() == 6);
  CHECK(right_plan->opens() == 1);
  CHECK(join.Describe() == "HashJoin (right side evaluated once)");
}

TEST_CASE("HashOptional keeps unmatched left rows and applies its filter",
          "[exec][hashjoin]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  // OPTIONAL { ... FILTER(?c != :q) }
  std::vector<algebra::Expr> filter = {
      BinaryExpr(algebra::Expr::Kind::kNe, VarExpr(2),
                 ConstExpr(Term::Iri("http://ex.org/q")))};
  HashJoinOp join(f.ctx(), f.Values(kLeft), f.Values(kRight), -1,
                  /*optional=*/true, filter, &ev);
  CHECK(f.Drain(join, 3) ==
        Strings{"x 1 p", "y 2 r", "z 9 -", "w 1 p", "w 2 r"});
  CHECK(join.Describe() ==
        "HashOptional with 1 filter(s) (right side evaluated once)");
}

TEST_CASE("HashJoin with a seed: only compatible rows", "[exec][hashjoin]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  HashJoinOp join(f.ctx(), f.Values(kLeft), f.Values(kRight), -1, false, {},
                  &ev);
  CHECK(f.Drain(join, 3, f.Row({"-", "-", "q"})) == Strings{"x 1 q", "w 1 q"});
}

TEST_CASE("MaterializedSide: once per graph, indexed on always-bound slots",
          "[exec][hashjoin]") {
  ExecFixture f;
  // Slots: 0 = the graph, 1 = ?x, 2 = ?y.
  OpPtr plan = f.Values({{"-", "a", "1"}, {"-", "b", "2"}, {"-", "a", "-"}});
  MaterializedSide side(f.ctx(), plan.get(), /*graph_var=*/0);
  auto matches = [&](const Strings& probe, bool require_shared) {
    Strings out;
    side.ForEachCompatible(f.Row(probe), require_shared, [&](const IdRow& r) {
      out.push_back(f.Cell(r[0]) + " " + f.Cell(r[1]) + " " + f.Cell(r[2]));
      return true;
    });
    return out;
  };
  // ?x is bound in every row: the probe's ?x picks the candidates.
  CHECK(matches({"g1", "a", "-"}, false) == Strings{"g1 a 1", "g1 a -"});
  CHECK(matches({"g1", "a", "2"}, false) == Strings{"g1 a -"});
  CHECK(plan->opens() == 1);
  CHECK(matches({"g2", "b", "-"}, false) == Strings{"g2 b 2"});
  CHECK(plan->opens() == 2);  // a second graph: evaluated for it
  CHECK(matches({"g1", "b", "-"}, false) == Strings{"g1 b 2"});
  CHECK(plan->opens() == 2);
  // A probe binding nothing but the graph: every row, unless a shared
  // variable is required (MINUS), which the graph slot is not.
  CHECK(matches({"g1", "-", "-"}, false).size() == 3);
  CHECK(matches({"g1", "-", "-"}, true).empty());
  // Shared ?y = 2: only rows binding ?y count.
  CHECK(matches({"g1", "-", "2"}, true) == Strings{"g1 b 2"});
}

TEST_CASE("MaterializedSide stops at the memory limit", "[exec][hashjoin]") {
  QueryOptions options;
  options.memory_limit_bytes = 100;
  ExecFixture f("", options);
  std::vector<Strings> rows;
  for (int i = 0; i < 20; ++i) rows.push_back({std::to_string(i), "a"});
  OpPtr plan = f.Values(rows);
  MaterializedSide side(f.ctx(), plan.get(), -1);
  int seen = 0;
  side.ForEachCompatible(f.Row({"-", "a"}), false, [&](const IdRow&) {
    ++seen;
    return true;
  });
  CHECK(seen == 0);
  CHECK(f.ctx()->status.code() == absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace kg::exec
