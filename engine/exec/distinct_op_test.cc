// DistinctOp: each row once, in the order of first occurrence; unbound
// cells take part in the comparison; a new Open forgets what it saw.

#include "engine/exec/distinct_op.h"

#include <catch2/catch.hpp>

#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;
using Strings = std::vector<std::string>;

TEST_CASE("Distinct keeps the first of equal rows", "[exec][distinct]") {
  ExecFixture f;
  // Slots: 0 = ?a, 1 = ?b.
  const std::vector<Strings> rows = {{"a", "1"}, {"b", "-"}, {"a", "1"},
                                     {"b", "-"}, {"a", "-"}, {"b", "2"},
                                     {"a", "1"}};
  DistinctOp distinct(f.ctx(), f.Values(rows), /*reduced=*/false);
  const Strings want = {"a 1", "b -", "a -", "b 2"};
  CHECK(f.Drain(distinct, 2) == want);
  CHECK(f.Drain(distinct, 2) == want);  // reopened: the same rows again
  CHECK(distinct.Describe() == "Distinct");

  DistinctOp reduced(f.ctx(), f.Values(rows), /*reduced=*/true);
  CHECK(f.Drain(reduced, 2) == want);
  CHECK(reduced.Describe() == "Reduced");
}

TEST_CASE("Distinct compares ids: equal terms from the store and computed",
          "[exec][distinct]") {
  ExecFixture f(":s :p :a .");
  // :a is in the store, :zz is not (a temporary id): both compare by id.
  DistinctOp distinct(f.ctx(), f.Values({{"a"}, {"zz"}, {"a"}, {"zz"}}), false);
  CHECK(f.Drain(distinct, 1) == Strings{"a", "zz"});
}

}  // namespace
}  // namespace kg::exec
