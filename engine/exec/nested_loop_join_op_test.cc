// NestedLoopJoinOp and LeftJoinOp: the right side is reopened for every
// left row, seeded with the left row's bindings of the right side's
// certain variables; OPTIONAL keeps left rows without a match.

#include "engine/exec/nested_loop_join_op.h"

#include <catch2/catch.hpp>

#include "engine/exec/left_join_op.h"
#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::BinaryExpr;
using testing::ConstExpr;
using testing::ExecFixture;
using testing::NoExists;
using testing::VarExpr;
using Strings = std::vector<std::string>;

// Slots: 0 = ?a, 1 = ?b.
const std::vector<Strings> kRight = {
    {"x", "1"}, {"x", "2"}, {"y", "3"}, {"z", "4"}};

TEST_CASE("NestedLoopJoin seeds the right side with each left row",
          "[exec][join]") {
  ExecFixture f;
  OpPtr right = f.Values(kRight);
  Operator* right_plan = right.get();
  NestedLoopJoinOp join(f.ctx(), f.Values({{"x", "-"}, {"y", "-"}, {"w", "-"}}),
                        std::move(right), /*right_certain=*/{0});
  CHECK(f.Drain(join, 2) == Strings{"x 1", "x 2", "y 3"});
  CHECK(right_plan->opens() == 3);
  // Bindings outside right_certain are not passed down, but still joined.
  NestedLoopJoinOp unseeded(f.ctx(), f.Values({{"x", "2"}, {"y", "-"}}),
                            f.Values(kRight), /*right_certain=*/{});
  CHECK(f.Drain(unseeded, 2) == Strings{"x 2", "y 3"});
  CHECK(join.Describe() == "NestedLoopJoin");
}

TEST_CASE("LeftJoin keeps unmatched left rows, filters the matches",
          "[exec][join]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  LeftJoinOp optional(f.ctx(), f.Values({{"x", "-"}, {"w", "-"}}),
                      f.Values(kRight), {0}, {}, &ev);
  CHECK(f.Drain(optional, 2) == Strings{"x 1", "x 2", "w -"});
  CHECK(optional.Describe() == "Optional");
  // OPTIONAL { ... FILTER(?b != 1) }: x keeps its other match; a left row
  // whose every match fails the filter comes out alone.
  std::vector<algebra::Expr> filter = {
      BinaryExpr(algebra::Expr::Kind::kNe, VarExpr(1),
                 ConstExpr(*ExecFixture::TermOf("1")))};
  LeftJoinOp filtered(f.ctx(), f.Values({{"x", "-"}, {"y", "-"}}),
                      f.Values({{"x", "1"}, {"x", "2"}, {"y", "1"}}), {0},
                      filter, &ev);
  CHECK(f.Drain(filtered, 2) == Strings{"x 2", "y -"});
  CHECK(filtered.Describe() == "Optional with 1 filter(s)");
}

}  // namespace
}  // namespace kg::exec
