// ValuesOp and SingletonOp: rows given rather than read. A VALUES row is
// merged with the seed (an incompatible one is dropped, an UNDEF cell
// takes the seed's value); the singleton's one row is the seed itself; a
// new Open starts over.

#include "engine/exec/values_op.h"

#include <catch2/catch.hpp>

#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;
using Strings = std::vector<std::string>;

TEST_CASE("Values gives its rows in order, each merged with the seed",
          "[exec][values]") {
  ExecFixture f;
  // Slots: 0 = ?a, 1 = ?b.
  OpPtr values = f.Values({{"x", "1"}, {"y", "-"}, {"-", "2"}, {"x", "3"}});
  const Strings all = {"x 1", "y -", "- 2", "x 3"};
  CHECK(f.Drain(*values, 2) == all);
  CHECK(f.Drain(*values, 2) == all);  // reopened: the same rows again
  CHECK(values->Describe() == "Values (4 rows)");
  // ?a = x: rows binding another ?a go, UNDEF takes x.
  CHECK(f.Drain(*values, 2, f.Row({"x", "-"})) == Strings{"x 1", "x 2", "x 3"});
  // ?a = x, ?b = 2: only the rows compatible with both.
  CHECK(f.Drain(*values, 2, f.Row({"x", "2"})) == Strings{"x 2"});
  // A seed that binds a slot no row binds is carried into every row.
  OpPtr narrow = f.Values({{"x", "-"}, {"y", "-"}});
  CHECK(f.Drain(*narrow, 2, f.Row({"-", "7"})) == Strings{"x 7", "y 7"});
  CHECK(f.Drain(*narrow, 2, f.Row({"z", "-"})).empty());
}

TEST_CASE("Values: an Open in the middle of a pass starts over",
          "[exec][values]") {
  ExecFixture f;
  OpPtr values = f.Values({{"1"}, {"2"}, {"3"}});
  values->Open(f.Row({"-"}));
  IdRow row;
  REQUIRE(values->Next(&row));
  REQUIRE(values->Next(&row));
  CHECK(f.Cell(row[0]) == "2");
  CHECK(f.Drain(*values, 1) == Strings{"1", "2", "3"});
  CHECK(values->opens() == 2);
  CHECK(values->rows() == 5);
  // Past the end Next stays false.
  CHECK_FALSE(values->Next(&row));
}

TEST_CASE("Values with no rows, and rows of terms the store lacks",
          "[exec][values]") {
  ExecFixture f(":s :p :a .");
  ValuesOp empty(f.ctx(), {});
  CHECK(f.Drain(empty, 2).empty());
  CHECK(empty.Describe() == "Values (0 rows)");
  // :zz and the literal are not in the store: temporary ids, read back.
  OpPtr values = f.Values({{"a", "'x'"}, {"zz", "'x'"}});
  CHECK(f.Drain(*values, 2) == Strings{"a 'x'", "zz 'x'"});
  CHECK(f.Drain(*values, 2, f.Row({"zz", "-"})) == Strings{"zz 'x'"});
  // A row of only UNDEF is the seed itself.
  OpPtr undef = f.Values({{"-", "-"}});
  CHECK(f.Drain(*undef, 2, f.Row({"a", "5"})) == Strings{"a 5"});
}

TEST_CASE("Singleton gives the seed once per Open", "[exec][values]") {
  ExecFixture f;
  SingletonOp one(f.ctx());
  CHECK(one.Describe() == "Singleton");
  CHECK(f.Drain(one, 2) == Strings{"- -"});
  CHECK(f.Drain(one, 2, f.Row({"a", "3"})) == Strings{"a 3"});
  CHECK(one.opens() == 2);
  // Before any Open it gives nothing; after its row, nothing more.
  SingletonOp fresh(f.ctx());
  IdRow row;
  CHECK_FALSE(fresh.Next(&row));
  fresh.Open(f.Row({"b"}));
  REQUIRE(fresh.Next(&row));
  CHECK(f.Cell(row[0]) == "b");
  CHECK_FALSE(fresh.Next(&row));
  CHECK_FALSE(fresh.Next(&row));
}

}  // namespace
}  // namespace kg::exec
