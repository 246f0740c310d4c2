// NamedGraphsOp and GraphVarOp (GRAPH ?g): the named graphs in scope bound
// to ?g, each once, a seed value of ?g picking one; GraphVarOp joins a
// pattern's own ?g with the graph it runs in (a hidden slot) and clears
// the hidden slot.

#include "engine/exec/graph_ops.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "engine/exec/index_scan_op.h"
#include "engine/exec/nested_loop_join_op.h"
#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;
using Strings = std::vector<std::string>;

Strings Sorted(Strings rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

const char kData[] = R"(
:s :p :o .
:g1 { :g1 :owner :alice . :g2 :owner :bob . }
:g2 { :g2 :owner :carol . :s :p :o . }
)";

TEST_CASE("NamedGraphs binds the variable to each named graph",
          "[exec][graph]") {
  ExecFixture f(kData);
  // Slots: 0 = ?g, 1 = ?x.
  NamedGraphsOp graphs(f.ctx(), 0);
  CHECK(Sorted(f.Drain(graphs, 2)) == Strings{"g1 -", "g2 -"});
  CHECK(Sorted(f.Drain(graphs, 2)) == Strings{"g1 -", "g2 -"});  // reopened
  CHECK(graphs.Describe() == "NamedGraphs");
  // A seed value of ?g keeps that graph, or none if it is not one.
  CHECK(f.Drain(graphs, 2, f.Row({"g2", "-"})) == Strings{"g2 -"});
  CHECK(f.Drain(graphs, 2, f.Row({"s", "-"})).empty());
  // Other seed bindings are carried into every row.
  CHECK(Sorted(f.Drain(graphs, 2, f.Row({"-", "a"}))) ==
        Strings{"g1 a", "g2 a"});
  // Opened again in the middle of a pass: it starts over.
  graphs.Open(f.Row({"-", "-"}));
  IdRow row;
  REQUIRE(graphs.Next(&row));
  CHECK(f.Drain(graphs, 2).size() == 2);
}

TEST_CASE("NamedGraphs: no named graph, no row", "[exec][graph]") {
  ExecFixture f(":s :p :o .");
  NamedGraphsOp graphs(f.ctx(), 0);
  CHECK(f.Drain(graphs, 1).empty());
  ExecFixture empty;
  NamedGraphsOp none(empty.ctx(), 0);
  CHECK(empty.Drain(none, 1).empty());
}

TEST_CASE("GraphVar joins the pattern's ?g with the graph it ran in",
          "[exec][graph]") {
  ExecFixture f(kData);
  // Slots: 0 = ?g, 1 = ?x, 2 = the hidden graph slot. Rows as a pattern
  // inside GRAPH ?g gives them: the graph in the hidden slot, and ?g bound
  // or not by the pattern itself.
  GraphVarOp graph(f.ctx(),
                   f.Values({{"-", "a", "g1"},   // ?g not in P: the graph
                             {"g1", "b", "g1"},  // P's ?g is the graph
                             {"g2", "c", "g1"},  // P's ?g another: no
                             {"-", "d", "g2"}}),
                   0, 2, "?g");
  CHECK(f.Drain(graph, 3) == Strings{"g1 a -", "g1 b -", "g2 d -"});
  CHECK(f.Drain(graph, 3) == Strings{"g1 a -", "g1 b -", "g2 d -"});
  CHECK(graph.Describe() == "Graph ?g");
  // A seed value of ?g goes to the hidden slot: it picks the graph.
  CHECK(f.Drain(graph, 3, f.Row({"g2", "-", "-"})) == Strings{"g2 d -"});
  CHECK(f.Drain(graph, 3, f.Row({"g1", "b", "-"})) == Strings{"g1 b -"});
}

TEST_CASE("GraphVar: the child sees the seed's ?g in the hidden slot only",
          "[exec][graph]") {
  ExecFixture f(kData);
  // A singleton gives back the seed it was opened with.
  GraphVarOp graph(f.ctx(), std::make_unique<SingletonOp>(f.ctx()), 0, 2, "?g");
  CHECK(f.Drain(graph, 3, f.Row({"g2", "x", "-"})) == Strings{"g2 x -"});
  // No graph at all (nothing in the hidden slot): ?g stays unbound.
  CHECK(f.Drain(graph, 3, f.Row({"-", "x", "-"})) == Strings{"- x -"});
}

TEST_CASE("GRAPH ?g { ?g :owner ?x } as the planner builds it",
          "[exec][graph]") {
  ExecFixture f(kData);
  // Slots: 0 = ?g, 1 = ?x, 2 = hidden. The named graphs go to the hidden
  // slot; the pattern runs in each, its own ?g an ordinary variable.
  Position pos[3] = {
      {0, kUnbound},
      {-1, f.ctx()->EncodeConstant(*ExecFixture::TermOf("owner"))},
      {1, kUnbound}};
  GraphSpec in_hidden;
  in_hidden.kind = GraphSpec::Kind::kNamedVar;
  in_hidden.var = 2;
  auto scan = std::make_unique<IndexScanOp>(
      f.ctx(), std::make_unique<SingletonOp>(f.ctx()), pos, in_hidden,
      "?g :owner ?x  graph=?hidden");
  auto join = std::make_unique<NestedLoopJoinOp>(
      f.ctx(), std::make_unique<NamedGraphsOp>(f.ctx(), 2), std::move(scan),
      std::vector<int>{2});
  GraphVarOp graph(f.ctx(), std::move(join), 0, 2, "?g");
  // :g2 :owner :bob is in :g1, not in :g2: not an answer.
  CHECK(Sorted(f.Drain(graph, 3)) == Strings{"g1 alice -", "g2 carol -"});
  CHECK(f.Drain(graph, 3, f.Row({"g2", "-", "-"})) == Strings{"g2 carol -"});
  CHECK(f.Drain(graph, 3, f.Row({"s", "-", "-"})).empty());
}

}  // namespace
}  // namespace kg::exec
