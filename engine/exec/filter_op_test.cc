// FilterOp: keeps the child's rows for which every condition is true; a
// condition that errs (an unbound variable, a type error) drops the row
// rather than counting as false; the seed goes to the child; a cancelled
// query stops a filter that rejects every row.

#include "engine/exec/filter_op.h"

#include <atomic>
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

algebra::Expr Not(algebra::Expr a) {
  algebra::Expr e;
  e.kind = Kind::kNot;
  e.args = {std::move(a)};
  return e;
}

// Slots: 0 = ?a, 1 = ?b.
const std::vector<Strings> kRows = {
    {"a", "1"}, {"b", "2"}, {"c", "-"}, {"d", "'x'"}, {"e", "3"}};

TEST_CASE("Filter keeps the rows its condition holds for", "[exec][filter]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  // FILTER(?b > 1): ?c's ?b is unbound and "x" > 1 a type error: both go.
  FilterOp gt(f.ctx(), f.Values(kRows),
              {BinaryExpr(Kind::kGt, VarExpr(1), CellExpr("1"))}, &ev);
  CHECK(f.Drain(gt, 2) == Strings{"b 2", "e 3"});
  CHECK(f.Drain(gt, 2) == Strings{"b 2", "e 3"});  // reopened
  CHECK(gt.Describe() == "Filter (1 condition)");
  // FILTER(!(?b > 1)): an error stays an error under NOT, so the negation
  // is not the complement.
  FilterOp negated(f.ctx(), f.Values(kRows),
                   {Not(BinaryExpr(Kind::kGt, VarExpr(1), CellExpr("1")))}, &ev);
  CHECK(f.Drain(negated, 2) == Strings{"a 1"});
}

TEST_CASE("Filter: several conditions are a conjunction", "[exec][filter]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  std::vector<algebra::Expr> both = {
      BinaryExpr(Kind::kGt, VarExpr(1), CellExpr("1")),
      BinaryExpr(Kind::kNe, VarExpr(0), CellExpr("e"))};
  FilterOp filter(f.ctx(), f.Values(kRows), both, &ev);
  CHECK(f.Drain(filter, 2) == Strings{"b 2"});
  CHECK(filter.Describe() == "Filter (2 conditions)");
  // No condition: every row.
  FilterOp none(f.ctx(), f.Values(kRows), {}, &ev);
  CHECK(f.Drain(none, 2).size() == kRows.size());
  CHECK(none.Describe() == "Filter (0 conditions)");
}

TEST_CASE("Filter passes the seed to its child", "[exec][filter]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  OpPtr child = f.Values(kRows);
  Operator* values = child.get();
  FilterOp filter(f.ctx(), std::move(child),
                  {BinaryExpr(Kind::kGt, VarExpr(1), CellExpr("1"))}, &ev);
  CHECK(f.Drain(filter, 2, f.Row({"e", "-"})) == Strings{"e 3"});
  CHECK(f.Drain(filter, 2, f.Row({"a", "-"})).empty());
  // The seed binds ?b of the row that had none: it then passes.
  CHECK(f.Drain(filter, 2, f.Row({"c", "5"})) == Strings{"c 5"});
  CHECK(values->opens() == 3);
  // The condition sees the merged row, and compares terms by value.
  FilterOp eq(f.ctx(), f.Values(kRows),
              {BinaryExpr(Kind::kEq, VarExpr(1), CellExpr("2"))}, &ev);
  CHECK(f.Drain(eq, 2) == Strings{"b 2"});
}

TEST_CASE("Filter stops when the query is cancelled", "[exec][filter]") {
  std::atomic<bool> cancel{true};
  QueryOptions options;
  options.cancel = &cancel;
  ExecFixture f("", options);
  Evaluator ev(f.ctx(), NoExists);
  std::vector<Strings> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back({std::to_string(i)});
  OpPtr child = f.Values(rows);
  Operator* values = child.get();
  // FILTER(?a < 0) rejects every row; the filter checks for cancellation
  // as it rejects them (every 1024th check looks at the flag).
  FilterOp filter(f.ctx(), std::move(child),
                  {BinaryExpr(Kind::kLt, VarExpr(0), CellExpr("0"))}, &ev);
  filter.Open(f.Row({"-"}));
  IdRow row;
  CHECK_FALSE(filter.Next(&row));
  CHECK(f.ctx()->status.code() == absl::StatusCode::kCancelled);
  CHECK(values->rows() < 5000);
  CHECK_FALSE(filter.Next(&row));
}

}  // namespace
}  // namespace kg::exec
