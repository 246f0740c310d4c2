// LeftJoinOp (OPTIONAL): the right side is opened per left row, seeded
// with the left row's bindings of its certain variables; right rows
// incompatible with the left row, or failing the OPTIONAL's filters (an
// error fails too), are skipped; a left row without a match comes out
// alone; an error on the right side ends the join.

#include "engine/exec/left_join_op.h"

#include <catch2/catch.hpp>

#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::BinaryExpr;
using testing::ConstExpr;
using testing::ExecFixture;
using testing::CellExpr;
using testing::NoExists;
using testing::VarExpr;
using Kind = algebra::Expr::Kind;
using Strings = std::vector<std::string>;

// Fails the query at its first Next.
class FailingOp final : public Operator {
 public:
  using Operator::Operator;
  std::string Describe() const override { return "Failing"; }

 protected:
  void DoOpen(const IdRow&) override {}
  bool DoNext(IdRow*) override {
    ctx_->Fail(absl::InternalError("right side broke"));
    return false;
  }
};

// Slots: 0 = ?a, 1 = ?b, 2 = ?c.
const std::vector<Strings> kLeft = {
    {"x", "1", "-"}, {"y", "-", "-"}, {"z", "-", "-"}, {"x", "5", "-"}};
const std::vector<Strings> kRight = {
    {"x", "1", "p"}, {"x", "2", "q"}, {"y", "3", "r"}};

TEST_CASE("LeftJoin joins each left row with its compatible right rows",
          "[exec][left_join]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  OpPtr right = f.Values(kRight);
  Operator* right_plan = right.get();
  LeftJoinOp optional(f.ctx(), f.Values(kLeft), std::move(right),
                      /*right_certain=*/{0}, {}, &ev);
  // x 1: only x 1 p agrees on ?b; x 5: no right row does, so it is alone.
  const Strings want = {"x 1 p", "y 3 r", "z - -", "x 5 -"};
  CHECK(f.Drain(optional, 3) == want);
  CHECK(right_plan->opens() == 4);
  CHECK(right_plan->rows() == 2 + 1 + 0 + 2);  // seeded with ?a
  CHECK(optional.Describe() == "Optional");
  // Unseeded, the right side gives every row; the merge still decides.
  LeftJoinOp unseeded(f.ctx(), f.Values(kLeft), f.Values(kRight), {}, {}, &ev);
  CHECK(f.Drain(unseeded, 3) == want);
  // No left rows: the right side is never opened.
  OpPtr unused = f.Values(kRight);
  Operator* unused_plan = unused.get();
  LeftJoinOp empty(f.ctx(), f.Values({}), std::move(unused), {0}, {}, &ev);
  CHECK(f.Drain(empty, 3).empty());
  CHECK(unused_plan->opens() == 0);
}

TEST_CASE(
    "LeftJoin filters the merged rows, and a failing or erring filter "
    "leaves the left row alone",
    "[exec][left_join]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  // OPTIONAL { ... FILTER(?c != :p) }: x's matches are x 1 p (false) and
  // x 2 with ?c unbound (an error): x comes out alone.
  LeftJoinOp filtered(
      f.ctx(), f.Values({{"x", "-", "-"}, {"y", "-", "-"}}),
      f.Values({{"x", "1", "p"}, {"x", "2", "-"}, {"y", "3", "r"}}), {0},
      {BinaryExpr(Kind::kNe, VarExpr(2), CellExpr("p"))}, &ev);
  CHECK(f.Drain(filtered, 3) == Strings{"x - -", "y 3 r"});
  CHECK(filtered.Describe() == "Optional with 1 filter(s)");
  // The filters see the left row's bindings too: FILTER(?b > ?n), ?b from
  // the right side, ?n (slot 3) from the left.
  LeftJoinOp both(
      f.ctx(), f.Values({{"x", "-", "-", "1"}, {"y", "-", "-", "4"}}),
      f.Values(
          {{"x", "1", "p", "-"}, {"x", "2", "q", "-"}, {"y", "3", "r", "-"}}),
      {0},
      {BinaryExpr(Kind::kGt, VarExpr(1), VarExpr(3)),
       BinaryExpr(Kind::kNe, VarExpr(0), CellExpr("z"))},
      &ev);
  CHECK(f.Drain(both, 4) == Strings{"x 2 q 1", "y - - 4"});
  CHECK(both.Describe() == "Optional with 2 filter(s)");
}

TEST_CASE("LeftJoin: the seed goes to the left side, and Open starts over",
          "[exec][left_join]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  LeftJoinOp optional(f.ctx(), f.Values(kLeft), f.Values(kRight), {0}, {}, &ev);
  CHECK(f.Drain(optional, 3, f.Row({"y", "-", "-"})) == Strings{"y 3 r"});
  CHECK(f.Drain(optional, 3, f.Row({"z", "-", "-"})) == Strings{"z - -"});
  CHECK(f.Drain(optional, 3, f.Row({"w", "-", "-"})).empty());
  // Opened again in the middle of a left row's matches.
  optional.Open(f.Row({"-", "-", "-"}));
  IdRow row;
  REQUIRE(optional.Next(&row));
  CHECK(f.Cell(row[2]) == "p");
  CHECK(f.Drain(optional, 3) == Strings{"x 1 p", "y 3 r", "z - -", "x 5 -"});
}

TEST_CASE("LeftJoin: an error on the right side ends the join",
          "[exec][left_join]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  LeftJoinOp optional(f.ctx(), f.Values({{"x"}, {"y"}}),
                      std::make_unique<FailingOp>(f.ctx()), {0}, {}, &ev);
  optional.Open(f.Row({"-"}));
  IdRow row;
  // The failed right side is not "no match": x does not come out alone.
  CHECK_FALSE(optional.Next(&row));
  CHECK(f.ctx()->status.code() == absl::StatusCode::kInternal);
  CHECK(f.ctx()->status.message() == "right side broke");
  CHECK_FALSE(optional.Next(&row));
}

}  // namespace
}  // namespace kg::exec
