// IndexScanOp: one pattern joined to its input rows through the index its
// bound positions select; a triple in several graphs counts once in the
// default graph (the union of all graphs); an object range scans only the
// objects a FILTER can accept.

#include "engine/exec/index_scan_op.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "engine/plan/filter_placement.h"
#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::BinaryExpr;
using testing::ConstExpr;
using testing::ExecFixture;
using testing::VarExpr;
using Strings = std::vector<std::string>;

// The rows of `op` in sorted order (a scan's order is its index's).
Strings SortedRows(ExecFixture& f, Operator& op, size_t width,
                   IdRow seed = {}) {
  Strings rows = f.Drain(op, width, std::move(seed));
  std::sort(rows.begin(), rows.end());
  return rows;
}

const char kData[] = R"(
:a :knows :b , :c .
:b :knows :c .
:a :age 30 . :b :age 41 . :c :age 25 . :d :age "old" .
:g1 { :a :knows :b . :c :knows :a . }
)";

Position Var(int v) { return {v, kUnbound}; }
Position Const(ExecFixture& f, const std::string& name) {
  return {-1, f.ctx()->EncodeConstant(*ExecFixture::TermOf(name))};
}

TEST_CASE("IndexScan: the default graph merges graphs, a seed constrains",
          "[exec][scan]") {
  ExecFixture f(kData);
  // ?x :knows ?y, slots 0 and 1.
  Position pos[3] = {Var(0), Const(f, "knows"), Var(1)};
  IndexScanOp scan(f.ctx(), std::make_unique<SingletonOp>(f.ctx()), pos,
                   GraphSpec{}, "?x :knows ?y");
  // :a :knows :b is in the default graph and in :g1: once.
  CHECK(SortedRows(f, scan, 2) == Strings{"a b", "a c", "b c", "c a"});
  CHECK(SortedRows(f, scan, 2, f.Row({"a", "-"})) == Strings{"a b", "a c"});
  CHECK(f.Drain(scan, 2, f.Row({"a", "c"})) == Strings{"a c"});
  CHECK(f.Drain(scan, 2, f.Row({"d", "-"})).empty());
  CHECK(scan.Describe() == "IndexScan ?x :knows ?y  index=spog");
}

TEST_CASE("IndexScan in a named graph binds the graph variable",
          "[exec][scan]") {
  ExecFixture f(kData);
  Position pos[3] = {Var(0), Const(f, "knows"), Var(1)};
  GraphSpec graph;
  graph.kind = GraphSpec::Kind::kNamedVar;
  graph.var = 2;
  IndexScanOp scan(f.ctx(), std::make_unique<SingletonOp>(f.ctx()), pos, graph,
                   "?x :knows ?y  graph=?g");
  CHECK(SortedRows(f, scan, 3) == Strings{"a b g1", "c a g1"});
}

TEST_CASE("IndexScan with an object range reads only the range's objects",
          "[exec][scan]") {
  ExecFixture f(kData);
  Position pos[3] = {Var(0), Const(f, "age"), Var(1)};
  IndexScanOp scan(f.ctx(), std::make_unique<SingletonOp>(f.ctx()), pos,
                   GraphSpec{}, "?x :age ?n");
  // FILTER(?n > 28 && ?n < 45): the range [28, 45] on integers and
  // decimals; objects of other tags (the string) are still scanned, for
  // the FILTER above to test.
  const Term n28 = *ExecFixture::TermOf("28"), n45 = *ExecFixture::TermOf("45");
  std::vector<algebra::Expr> filters = {BinaryExpr(
      algebra::Expr::Kind::kAnd,
      BinaryExpr(algebra::Expr::Kind::kGt, VarExpr(1), ConstExpr(n28)),
      BinaryExpr(algebra::Expr::Kind::kLt, VarExpr(1), ConstExpr(n45)))};
  auto range = plan::ObjectRangeFor(1, filters);
  REQUIRE(range);
  scan.set_bound_mask(2);
  scan.set_object_range(range);
  CHECK(SortedRows(f, scan, 2) == Strings{"a 30", "b 41", "d 'old'"});
  CHECK(scan.Describe() == "IndexScan ?x :age ?n  index=posg  object-range");
}

}  // namespace
}  // namespace kg::exec
