// ProjectOp (SELECT ?a ?c): unbinds every slot but the projected ones and
// keeps duplicates; a seed reaches the child only through projected
// variables, and the seed's other bindings are merged into the rows.

#include "engine/exec/project_op.h"

#include <catch2/catch.hpp>

#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;
using Strings = std::vector<std::string>;

// Passes its child's rows on and keeps the seed of the last Open.
class SeedRecorder final : public Operator {
 public:
  SeedRecorder(QueryContext* ctx, OpPtr child)
      : Operator(ctx), child_(std::move(child)) {}
  std::string Describe() const override { return "SeedRecorder"; }
  IdRow seed;

 protected:
  void DoOpen(const IdRow& s) override {
    seed = s;
    child_->Open(s);
  }
  bool DoNext(IdRow* row) override { return child_->Next(row); }

 private:
  OpPtr child_;
};

// Slots: 0 = ?a, 1 = ?b (not projected), 2 = ?c.
const std::vector<Strings> kRows = {
    {"x", "1", "p"}, {"x", "2", "p"}, {"y", "3", "-"}, {"z", "-", "q"}};

TEST_CASE("Project unbinds the slots it does not keep", "[exec][project]") {
  ExecFixture f;
  ProjectOp project(f.ctx(), f.Values(kRows), {0, 2}, 3);
  // The two x rows become equal: both stay (no DISTINCT here).
  const Strings want = {"x - p", "x - p", "y - -", "z - q"};
  CHECK(f.Drain(project, 3) == want);
  CHECK(f.Drain(project, 3) == want);  // reopened
  CHECK(project.Describe() == "Project");
  // Nothing projected: one empty row per solution.
  ProjectOp none(f.ctx(), f.Values(kRows), {}, 3);
  CHECK(f.Drain(none, 3) == Strings(4, "- - -"));
  // Every slot projected: the rows as they are.
  ProjectOp all(f.ctx(), f.Values(kRows), {0, 1, 2}, 3);
  CHECK(f.Drain(all, 3) == Strings{"x 1 p", "x 2 p", "y 3 -", "z - q"});
}

TEST_CASE("Project: the seed constrains through projected variables only",
          "[exec][project]") {
  ExecFixture f;
  OpPtr child = f.Values(kRows);
  Operator* values = child.get();
  ProjectOp project(f.ctx(), std::move(child), {0, 2}, 3);
  CHECK(f.Drain(project, 3, f.Row({"x", "-", "-"})) ==
        Strings{"x - p", "x - p"});
  // ?c = q also fills the y row's unbound ?c.
  CHECK(f.Drain(project, 3, f.Row({"-", "-", "q"})) ==
        Strings{"y - q", "z - q"});
  CHECK(f.Drain(project, 3, f.Row({"y", "-", "q"})) == Strings{"y - q"});
  // ?b = 7 is not projected: the inner ?b (1, 2, 3) is a different
  // variable, so the seed neither drops rows nor reaches the child; it is
  // merged into every row.
  CHECK(f.Drain(project, 3, f.Row({"x", "7", "-"})) ==
        Strings{"x 7 p", "x 7 p"});
  CHECK(f.Drain(project, 3, f.Row({"-", "7", "-"})) ==
        Strings{"x 7 p", "x 7 p", "y 7 -", "z 7 q"});
  CHECK(values->opens() == 5);
  CHECK(values->rows() == 2 + 2 + 1 + 2 + 4);
}

TEST_CASE("Project: the child sees the masked seed", "[exec][project]") {
  ExecFixture f;
  auto child = std::make_unique<SeedRecorder>(f.ctx(), f.Values(kRows));
  SeedRecorder* recorder = child.get();
  ProjectOp project(f.ctx(), std::move(child), {1}, 3);
  // Only ?b = 2 goes down (x 2 p matches, and z - q, whose ?b takes 2);
  // ?a and ?c come back from the seed.
  CHECK(f.Drain(project, 3, f.Row({"a", "2", "c"})) ==
        Strings{"a 2 c", "a 2 c"});
  CHECK(recorder->seed == f.Row({"-", "2", "-"}));
}

}  // namespace
}  // namespace kg::exec
