// SliceOp: OFFSET and LIMIT, pulling no more rows from its child than it
// needs.

#include "engine/exec/slice_op.h"

#include <catch2/catch.hpp>

#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;
using Strings = std::vector<std::string>;

std::vector<Strings> Numbers(int n) {
  std::vector<Strings> rows;
  for (int i = 0; i < n; ++i) rows.push_back({std::to_string(i)});
  return rows;
}

TEST_CASE("Slice skips the offset and stops at the limit", "[exec][slice]") {
  ExecFixture f;
  OpPtr child = f.Values(Numbers(10));
  Operator* values = child.get();
  SliceOp slice(f.ctx(), std::move(child), /*offset=*/2, /*limit=*/3);
  CHECK(f.Drain(slice, 1) == Strings{"2", "3", "4"});
  CHECK(values->rows() == 5);  // nothing read past the limit
  CHECK(slice.Describe() == "Slice offset=2 limit=3");
  // A second Open starts over.
  CHECK(f.Drain(slice, 1) == Strings{"2", "3", "4"});
}

TEST_CASE("Slice edge cases: LIMIT 0, offset past the end, no limit",
          "[exec][slice]") {
  ExecFixture f;
  OpPtr child = f.Values(Numbers(4));
  Operator* values = child.get();
  SliceOp none(f.ctx(), std::move(child), 0, 0);
  CHECK(f.Drain(none, 1).empty());
  CHECK(values->rows() == 0);

  SliceOp past(f.ctx(), f.Values(Numbers(4)), 10, 5);
  CHECK(f.Drain(past, 1).empty());

  SliceOp rest(f.ctx(), f.Values(Numbers(4)), 1, std::nullopt);
  CHECK(f.Drain(rest, 1) == Strings{"1", "2", "3"});
  CHECK(rest.Describe() == "Slice offset=1");
}

}  // namespace
}  // namespace kg::exec
