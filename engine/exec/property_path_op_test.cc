// PropertyPathOp: a path pattern per input row, breadth-first from the
// bound end, from every node when neither is; the seed binds ends; a
// triple in several graphs is one step of the default graph (the union);
// GRAPH ?g evaluates per named graph; zero-length paths match a constant
// end whatever it is, a variable end only at nodes of the graph; the
// memory cap ends the query.

#include "engine/exec/property_path_op.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;
using K = ast::Path::Kind;
using Strings = std::vector<std::string>;

const char kData[] = R"(
:a :next :b . :b :next :c . :c :next :d .
:x :next :y .
:g1 { :d :next :e . }
:g2 { :a :next :b . :b :next :c . }
)";

Strings Sorted(Strings rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

PathIds Iri(ExecFixture& f, const std::string& name) {
  PathIds p;
  p.kind = K::kIri;
  p.iri = f.ctx()->EncodeConstant(*ExecFixture::TermOf(name));
  return p;
}
PathIds Of(K kind, std::vector<PathIds> children) {
  PathIds p;
  p.kind = kind;
  p.children = std::move(children);
  return p;
}

Position Var(int v) { return {v, kUnbound}; }
// As the planner resolves a path's constant end: a term the store lacks
// gets a temporary id (it still matches a zero-length path).
Position Const(ExecFixture& f, const std::string& name) {
  return {-1, f.ctx()->Encode(*ExecFixture::TermOf(name))};
}

// `s path o` over a singleton (the seed is the one input row).
std::unique_ptr<PropertyPathOp> Path(ExecFixture& f, Position s, PathIds path,
                                     Position o, GraphSpec graph = {}) {
  return std::make_unique<PropertyPathOp>(
      f.ctx(), std::make_unique<SingletonOp>(f.ctx()), s, std::move(path), o,
      graph, "?s <path> ?o");
}

TEST_CASE("PropertyPath from a bound end, in breadth-first order",
          "[exec][path]") {
  ExecFixture f(kData);
  // Slots: 0 = ?s, 1 = ?o. :a :next+ ?o reaches :e through :g1's quad.
  auto plus = Path(f, Var(0), Of(K::kOneOrMore, {Iri(f, "next")}), Var(1));
  CHECK(f.Drain(*plus, 2, f.Row({"a", "-"})) ==
        Strings{"a b", "a c", "a d", "a e"});
  CHECK(f.Drain(*plus, 2, f.Row({"-", "d"})) == Strings{"c d", "b d", "a d"});
  CHECK(f.Drain(*plus, 2, f.Row({"a", "d"})) == Strings{"a d"});
  CHECK(f.Drain(*plus, 2, f.Row({"a", "y"})).empty());
  CHECK(f.Drain(*plus, 2, f.Row({"e", "-"})).empty());
  CHECK(plus->Describe() == "PathTraversal ?s <path> ?o");
  // A constant end leaves its slot alone.
  auto from_a =
      Path(f, Const(f, "a"), Of(K::kOneOrMore, {Iri(f, "next")}), Var(1));
  CHECK(f.Drain(*from_a, 2) == Strings{"- b", "- c", "- d", "- e"});
  // :a :next/:next ?o: :a :next :b is in two graphs, yet one step.
  auto two = Path(f, Const(f, "a"),
                  Of(K::kSequence, {Iri(f, "next"), Iri(f, "next")}), Var(1));
  CHECK(f.Drain(*two, 2) == Strings{"- c"});
  // ?s ^:next :b, i.e. :b :next ?s.
  auto inverse =
      Path(f, Var(0), Of(K::kInverse, {Iri(f, "next")}), Const(f, "b"));
  CHECK(f.Drain(*inverse, 2) == Strings{"c -"});
}

TEST_CASE("PropertyPath with neither end bound streams every start node",
          "[exec][path]") {
  ExecFixture f(kData);
  auto plus = Path(f, Var(0), Of(K::kOneOrMore, {Iri(f, "next")}), Var(1));
  const Strings all = {"a b", "a c", "a d", "a e", "b c", "b d",
                       "b e", "c d", "c e", "d e", "x y"};
  CHECK(Sorted(f.Drain(*plus, 2)) == all);
  // Opened again after one row: the pass starts over.
  plus->Open(f.Row({"-", "-"}));
  IdRow row;
  REQUIRE(plus->Next(&row));
  CHECK(Sorted(f.Drain(*plus, 2)) == all);
  // Input rows from a child: each row's own start.
  PropertyPathOp per_row(
      f.ctx(), f.Values({{"x", "-"}, {"e", "-"}, {"c", "-"}}), Var(0),
      Of(K::kOneOrMore, {Iri(f, "next")}), Var(1), GraphSpec{}, "?s <path> ?o");
  CHECK(f.Drain(per_row, 2) == Strings{"x y", "c d", "c e"});
}

TEST_CASE("PropertyPath: zero-length paths and the store's default graph",
          "[exec][path]") {
  ExecFixture f(kData);
  PathIds star = Of(K::kZeroOrMore, {Iri(f, "next")});
  // :zz is in no quad: as a constant it still reaches itself...
  auto constant = Path(f, Const(f, "zz"), star, Var(1));
  CHECK(f.Drain(*constant, 2) == Strings{"- zz"});
  // ...as a variable's value it does not (not a node of the graph).
  auto variable = Path(f, Var(0), star, Var(1));
  CHECK(f.Drain(*variable, 2, f.Row({"zz", "-"})).empty());
  CHECK(f.Drain(*variable, 2, f.Row({"d", "-"})) == Strings{"d d", "d e"});
  // A predicate the store lacks: only the zero-length path.
  auto absent =
      Path(f, Const(f, "a"), Of(K::kZeroOrMore, {Iri(f, "nope")}), Var(1));
  CHECK(f.Drain(*absent, 2) == Strings{"- a"});

  QueryOptions strict;
  strict.strict_dataset = true;
  ExecFixture s(kData, strict);
  // Only the store's default graph: :d :next :e (in :g1) is not a step.
  auto plus = Path(s, Var(0), Of(K::kOneOrMore, {Iri(s, "next")}), Var(1));
  CHECK(s.Drain(*plus, 2, s.Row({"b", "-"})) == Strings{"b c", "b d"});
}

TEST_CASE("PropertyPath in GRAPH ?g and GRAPH <g>", "[exec][path]") {
  ExecFixture f(kData);
  // Slots: 0 = ?s, 1 = ?o, 2 = ?g.
  GraphSpec var_graph;
  var_graph.kind = GraphSpec::Kind::kNamedVar;
  var_graph.var = 2;
  auto plus =
      Path(f, Var(0), Of(K::kOneOrMore, {Iri(f, "next")}), Var(1), var_graph);
  CHECK(Sorted(f.Drain(*plus, 3)) ==
        Strings{"a b g2", "a c g2", "b c g2", "d e g1"});
  CHECK(f.Drain(*plus, 3, f.Row({"-", "-", "g1"})) == Strings{"d e g1"});
  CHECK(f.Drain(*plus, 3, f.Row({"a", "-", "-"})) ==
        Strings{"a b g2", "a c g2"});
  GraphSpec g2;
  g2.kind = GraphSpec::Kind::kNamedConst;
  g2.id = f.ctx()->EncodeConstant(*ExecFixture::TermOf("g2"));
  auto in_g2 = Path(f, Var(0), Of(K::kOneOrMore, {Iri(f, "next")}), Var(1), g2);
  CHECK(f.Drain(*in_g2, 3, f.Row({"a", "-", "-"})) ==
        Strings{"a b -", "a c -"});
  CHECK(f.Drain(*in_g2, 3, f.Row({"c", "-", "-"})).empty());
  // A ?g bound to a term that names no graph (:zz is not in the store, :a
  // is a node): no solution, not even a zero-length path's.
  auto star = Path(f, Const(f, "a"), Of(K::kZeroOrMore, {Iri(f, "next")}),
                   Var(1), var_graph);
  CHECK(f.Drain(*star, 3, f.Row({"-", "-", "zz"})).empty());
  CHECK(f.Drain(*star, 3, f.Row({"-", "-", "a"})).empty());
  CHECK(f.Drain(*star, 3, f.Row({"-", "-", "g1"})) == Strings{"- a g1"});
  GraphSpec node_a;
  node_a.kind = GraphSpec::Kind::kNamedConst;
  node_a.id = f.ctx()->EncodeConstant(*ExecFixture::TermOf("a"));
  auto in_a = Path(f, Const(f, "a"), Of(K::kZeroOrMore, {Iri(f, "next")}),
                   Var(1), node_a);
  CHECK(f.Drain(*in_a, 3).empty());
  // FROM NAMED :g1, as SetUpContext sets up the scope: ?g ranges over :g1,
  // and a ?g bound to :g2 by an earlier pattern finds nothing.
  const TermId g1 = f.ctx()->EncodeConstant(*ExecFixture::TermOf("g1"));
  GraphScope& scope = f.ctx()->scope;
  scope.named_restricted = true;
  scope.named_set = {g1};
  scope.named_list = {g1};
  CHECK(Sorted(f.Drain(*plus, 3)) == Strings{"d e g1"});
  CHECK(f.Drain(*plus, 3, f.Row({"-", "-", "g2"})).empty());
}

TEST_CASE("PropertyPath ends the query over the memory cap", "[exec][path]") {
  QueryOptions options;
  options.memory_limit_bytes = 40;
  ExecFixture f(kData, options);
  auto plus = Path(f, Var(0), Of(K::kOneOrMore, {Iri(f, "next")}), Var(1));
  plus->Open(f.Row({"a", "-"}));
  IdRow row;
  CHECK_FALSE(plus->Next(&row));
  CHECK(f.ctx()->status.code() == absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace kg::exec
