// UnionOp: the first side's rows, then the second's, each opened with the
// seed's bindings of its own certain variables and merged with the seed.

#include "engine/exec/union_op.h"

#include <catch2/catch.hpp>

#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;
using Strings = std::vector<std::string>;

TEST_CASE("Union: both sides in order, each merged with the seed",
          "[exec][union]") {
  ExecFixture f;
  // Slots: 0 = ?a (bound by the first side), 1 = ?b (by the second).
  auto make = [&] {
    return std::make_unique<UnionOp>(f.ctx(),
                                     f.Values({{"x", "-"}, {"y", "-"}}),
                                     f.Values({{"-", "1"}, {"-", "2"}}),
                                     std::vector<int>{0}, std::vector<int>{1});
  };
  auto both = make();
  CHECK(f.Drain(*both, 2) == Strings{"x -", "y -", "- 1", "- 2"});
  auto seeded = make();
  CHECK(f.Drain(*seeded, 2, f.Row({"x", "2"})) == Strings{"x 2", "x 2"});
  CHECK(both->Describe() == "Union");
}

}  // namespace
}  // namespace kg::exec
