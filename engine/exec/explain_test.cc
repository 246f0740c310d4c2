// ExplainTree: each operator a line as it describes itself, indented by
// depth, with the planner's estimate and, for PROFILE, what the run
// counted.

#include "engine/exec/explain.h"

#include <catch2/catch.hpp>

#include "engine/exec/distinct_op.h"
#include "engine/exec/slice_op.h"
#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;

TEST_CASE("ExplainTree prints the tree, PROFILE adds rows and opens",
          "[exec][explain]") {
  ExecFixture f;
  auto distinct = std::make_unique<DistinctOp>(
      f.ctx(), f.Values({{"1"}, {"1"}, {"2"}, {"3"}}), false);
  distinct->estimate = 3;
  SliceOp slice(f.ctx(), std::move(distinct), 1, 1);
  slice.estimate = 1;
  CHECK(ExplainTree(&slice, /*profile=*/false) ==
        "Slice offset=1 limit=1  est=1\n"
        "  Distinct  est=3\n"
        "    Values (4 rows)  est=4\n");

  f.ctx()->profile = true;
  CHECK(f.Drain(slice, 1) == std::vector<std::string>{"2"});
  std::string text = ExplainTree(&slice, /*profile=*/true);
  // Times vary; the counts do not.
  CHECK(text.find("Slice offset=1 limit=1  est=1  rows=1  opens=1  time=") ==
        0);
  CHECK(text.find("\n  Distinct  est=3  rows=2  opens=1  time=") !=
        std::string::npos);
  CHECK(text.find("\n    Values (4 rows)  est=4  rows=3  opens=1  time=") !=
        std::string::npos);
}

}  // namespace
}  // namespace kg::exec
