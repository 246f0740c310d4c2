// ExtendOp (BIND): binds a variable to an expression's value per row,
// leaving it unbound on an error; a seed value of the variable keeps only
// the rows computing it (or none); the row counter of BNODE(str) moves
// once per solution; a computed term over the memory cap ends the query.

#include "engine/exec/extend_op.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
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

algebra::Expr Call(const std::string& name, std::vector<algebra::Expr> args) {
  algebra::Expr e;
  e.kind = Kind::kFunction;
  e.name = name;
  e.args = std::move(args);
  return e;
}

// Slots: 0 = ?a, 1 = ?b, 2 = ?c.
const std::vector<Strings> kRows = {
    {"a", "1", "-"}, {"b", "-", "-"}, {"c", "'x'", "-"}, {"d", "41", "-"}};

TEST_CASE("Extend binds the value, unbound on an error", "[exec][extend]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  // BIND(?b + 1 AS ?c): unbound ?b and "x" + 1 are errors.
  ExtendOp bind(f.ctx(), f.Values(kRows), 2,
                BinaryExpr(Kind::kAdd, VarExpr(1), CellExpr("1")), &ev, "?c",
                true);
  const Strings want = {"a 1 2", "b - -", "c 'x' -", "d 41 42"};
  CHECK(f.Drain(bind, 3) == want);
  CHECK(f.Drain(bind, 3) == want);  // reopened
  CHECK(bind.Describe() == "Bind ?c");
  // BIND(?b AS ?c) copies the id, unbound included.
  ExtendOp copy(f.ctx(), f.Values(kRows), 2, VarExpr(1), &ev, "?c", true);
  CHECK(f.Drain(copy, 3) == Strings{"a 1 1", "b - -", "c 'x' 'x'", "d 41 41"});
  // A computed term the store lacks reads back as itself.
  ExtendOp concat(f.ctx(), f.Values({{"a", "'x'", "-"}}), 2,
                  Call("CONCAT", {VarExpr(1), CellExpr("'yz'")}), &ev, "?c", true);
  CHECK(f.Drain(concat, 3) == Strings{"a 'x' 'xyz'"});
}

TEST_CASE("Extend: a seed value of the variable filters the rows",
          "[exec][extend]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  OpPtr child = f.Values(kRows);
  Operator* values = child.get();
  ExtendOp bind(f.ctx(), std::move(child), 2,
                BinaryExpr(Kind::kAdd, VarExpr(1), CellExpr("1")), &ev, "?c",
                true);
  // ?c = 2: the row computing 2 stays, rows computing another value go,
  // rows whose expression errs (?c unbound) take the seed's value.
  CHECK(f.Drain(bind, 3, f.Row({"-", "-", "2"})) ==
        Strings{"a 1 2", "b - 2", "c 'x' 2"});
  CHECK(f.Drain(bind, 3, f.Row({"-", "-", "5"})) ==
        Strings{"b - 5", "c 'x' 5"});
  // Other seed bindings go to the child.
  CHECK(f.Drain(bind, 3, f.Row({"d", "-", "-"})) == Strings{"d 41 42"});
  CHECK(f.Drain(bind, 3, f.Row({"d", "-", "43"})).empty());
  CHECK(values->opens() == 4);
}

TEST_CASE("Extend: the first bind of a solution moves the row counter",
          "[exec][extend]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  const uint64_t before = f.ctx()->fn.row;
  ExtendOp first(f.ctx(), f.Values(kRows), 2, VarExpr(0), &ev, "?c",
                 /*new_solution=*/true);
  CHECK(f.Drain(first, 3).size() == 4);
  CHECK(f.ctx()->fn.row == before + 4);
  ExtendOp later(f.ctx(), f.Values(kRows), 2, VarExpr(0), &ev, "?c",
                 /*new_solution=*/false);
  CHECK(f.Drain(later, 3).size() == 4);
  CHECK(f.ctx()->fn.row == before + 4);
}

TEST_CASE("Extend ends the query when computed terms exceed the memory cap",
          "[exec][extend]") {
  QueryOptions options;
  options.memory_limit_bytes = 1000;
  ExecFixture f("", options);
  Evaluator ev(f.ctx(), NoExists);
  std::vector<Strings> rows;
  for (int i = 0; i < 100; ++i) rows.push_back({std::to_string(i), "-"});
  // BIND(CONCAT(STR(?a), "...") AS ?b): a new temporary term per row,
  // each charged to the cap. Integers are inline: the input costs nothing.
  ExtendOp bind(f.ctx(), f.Values(rows), 1,
                Call("CONCAT", {Call("STR", {VarExpr(0)}),
                                CellExpr("'-a-suffix-of-some-length'")}),
                &ev, "?b", true);
  bind.Open(f.Row({"-", "-"}));
  IdRow row;
  int got = 0;
  while (bind.Next(&row)) {
    CHECK(f.Cell(row[1]) ==
          absl::StrCat("'", got, "-a-suffix-of-some-length'"));
    ++got;
  }
  CHECK(got > 0);
  CHECK(got < 100);
  CHECK(f.ctx()->status.code() == absl::StatusCode::kResourceExhausted);
  CHECK_FALSE(bind.Next(&row));
}

}  // namespace
}  // namespace kg::exec
