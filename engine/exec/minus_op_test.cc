// MinusOp: a left row goes only when some right row shares a bound
// variable with it and is compatible (SPARQL 1.1, 8.3); the right side
// runs once.

#include "engine/exec/minus_op.h"

#include <catch2/catch.hpp>

#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;
using Strings = std::vector<std::string>;

TEST_CASE("Minus removes compatible rows that share a variable",
          "[exec][minus]") {
  ExecFixture f;
  // Slots: 0 = ?a, 1 = ?b, 2 = ?c.
  OpPtr right = f.Values({
      {"-", "1", "-"},  // removes x (shares ?b = 1)
      {"-", "-", "k"},  // shares no variable with any left row
      {"y", "5", "-"},  // shares ?a with y and z, compatible with neither
  });
  Operator* right_plan = right.get();
  MinusOp minus(
      f.ctx(),
      f.Values(
          {{"x", "1", "-"}, {"y", "2", "-"}, {"z", "-", "-"}, {"w", "3", "-"}}),
      std::move(right), /*graph_var=*/-1);
  CHECK(f.Drain(minus, 3) == Strings{"y 2 -", "z - -", "w 3 -"});
  CHECK(right_plan->opens() == 1);
  CHECK(minus.Describe() == "Minus");
}

TEST_CASE("Minus with an empty right side keeps every row", "[exec][minus]") {
  ExecFixture f;
  MinusOp minus(f.ctx(), f.Values({{"x", "1"}, {"y", "-"}}), f.Values({}), -1);
  CHECK(f.Drain(minus, 2) == Strings{"x 1", "y -"});
}

TEST_CASE("Minus inside GRAPH ?g: the graph slot is not a shared variable",
          "[exec][minus]") {
  ExecFixture f;
  // Slots: 0 = the graph, 1 = ?x. The right side is seeded with the graph.
  MinusOp minus(f.ctx(), f.Values({{"g1", "a"}, {"g1", "b"}, {"g2", "a"}}),
                f.Values({{"-", "a"}}), /*graph_var=*/0);
  CHECK(f.Drain(minus, 2) == Strings{"g1 b"});
  // A right row binding only the graph removes nothing.
  MinusOp only_graph(f.ctx(), f.Values({{"g1", "a"}}), f.Values({{"-", "-"}}),
                     0);
  CHECK(f.Drain(only_graph, 2) == Strings{"g1 a"});
}

}  // namespace
}  // namespace kg::exec
