// IntersectScanOp: binds ?z to the values every part allows, by leapfrog
// over the predicates' in-memory adjacencies or, without them, by a scan
// of the first part and probes of the others -- the same answers either
// way; a triple in several graphs gives its value once; a value of ?z in
// the input row keeps only itself; merge (lists of similar length) and
// galloping (a hub's list against a short one) agree with a brute-force
// intersection; CountRest counts what the rows would be.

#include "engine/exec/intersect_scan_op.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "storage/read_view.h"
#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;
using Part = IntersectScanOp::Part;
using Strings = std::vector<std::string>;

// The fixture's ReadView with its adjacencies handed out (`on`) or not,
// counting those handed out.
class AdjacencySwitch final : public QuadReader {
 public:
  explicit AdjacencySwitch(std::shared_ptr<const ReadView> view)
      : view_(std::move(view)) {}
  absl::StatusOr<Term> Resolve(TermId id) const override {
    return view_->Resolve(id);
  }
  absl::StatusOr<std::optional<TermId>> Lookup(const Term& t) const override {
    return view_->Lookup(t);
  }
  std::unique_ptr<QuadIdIterator> Scan(const QuadIds& q,
                                       unsigned mask) const override {
    return view_->Scan(q, mask);
  }
  std::unique_ptr<QuadIdIterator> ScanRange(Permutation perm, std::string lo,
                                            std::string hi,
                                            bool dg) const override {
    return view_->ScanRange(perm, std::move(lo), std::move(hi), dg);
  }
  std::shared_ptr<const PredicateAdjacency> AdjacencyFor(
      TermId p, unsigned mask) const override {
    if (!on) return nullptr;
    auto adj = view_->AdjacencyFor(p, mask);
    if (adj) ++served;
    return adj;
  }
  absl::StatusOr<std::shared_ptr<const StoreStatistics>> Statistics()
      const override {
    return view_->Statistics();
  }
  bool on = false;
  mutable int served = 0;

 private:
  std::shared_ptr<const ReadView> view_;
};

// Builds the adjacencies of `predicates` in f's view now (as
// Store::PreloadAdjacencies does), and puts the switch, off, in front.
AdjacencySwitch* Switch(ExecFixture& f, const Strings& predicates) {
  auto view = std::dynamic_pointer_cast<const ReadView>(f.ctx()->source);
  REQUIRE(view);
  for (const auto& p : predicates)
    REQUIRE(
        view->BuildAdjacency(f.ctx()->EncodeConstant(*ExecFixture::TermOf(p)))
            .ok());
  auto sw = std::make_shared<AdjacencySwitch>(view);
  f.ctx()->source = sw;
  return sw.get();
}

TermId Id(ExecFixture& f, const std::string& name) {
  return f.ctx()->EncodeConstant(*ExecFixture::TermOf(name));
}
// ?z is the object (the subject when `z_is_subject`) of `name`; the other
// end is slot `other`, or the constant `constant`.
Part P(ExecFixture& f, const std::string& name, bool z_is_subject, int other,
       const std::string& constant = "") {
  Part part;
  part.predicate = Id(f, name);
  part.var_is_subject = z_is_subject;
  part.other =
      other >= 0 ? Position{other, kUnbound} : Position{-1, Id(f, constant)};
  return part;
}

// Slots: 0 = ?x, 1 = ?y, 2 = ?z (bound by the operator); input rows as
// "x y -".
std::unique_ptr<IntersectScanOp> Intersect(ExecFixture& f, const Strings& input,
                                           std::vector<Part> parts) {
  std::vector<Strings> rows;
  for (const auto& r : input) rows.push_back(absl::StrSplit(r, ' '));
  return std::make_unique<IntersectScanOp>(f.ctx(), f.Values(rows), 2,
                                           std::move(parts), "?z: ...");
}

// The rows, sorted, checked against CountRest on a fresh pass (and on a
// pass with one row read).
Strings Rows(ExecFixture& f, IntersectScanOp& op) {
  Strings rows = f.Drain(op, 3);
  std::sort(rows.begin(), rows.end());
  op.Open(f.Row({"-", "-", "-"}));
  CHECK(op.CountRest() == std::optional<uint64_t>(rows.size()));
  CHECK(op.CountRest() == std::optional<uint64_t>(0));
  op.Open(f.Row({"-", "-", "-"}));
  IdRow row;
  if (op.Next(&row))
    CHECK(op.CountRest() == std::optional<uint64_t>(rows.size() - 1));
  return rows;
}

const char kTriangles[] = R"(
:a :knows :b , :c , :d .
:b :knows :c , :d .
:c :knows :d .
:d :knows :a .
)";

TEST_CASE("IntersectScan closes triangles, with and without adjacencies",
          "[exec][intersect]") {
  ExecFixture f(kTriangles);
  AdjacencySwitch* sw = Switch(f, {"knows"});
  for (bool on : {false, true}) {
    sw->on = on;
    sw->served = 0;
    // ?y :knows ?z . ?x :knows ?z: the common neighbours. A row without
    // ?y, or with a ?y the store lacks, has none.
    auto common =
        Intersect(f, {"a b -", "a c -", "b c -", "d a -", "c - -", "a zz -"},
                  {P(f, "knows", false, 1), P(f, "knows", false, 0)});
    CHECK(Rows(f, *common) == Strings{"a b c", "a b d", "a c d", "b c d"});
    // A value of ?z in the input row keeps only itself.
    auto preset = Intersect(f, {"a b d", "a b b", "b c d", "b c c"},
                            {P(f, "knows", false, 1), P(f, "knows", false, 0)});
    CHECK(Rows(f, *preset) == Strings{"a b d", "b c d"});
    // ?x :knows ?y . ?y :knows ?z . ?z :knows ?x over every edge: each
    // directed triangle once per rotation.
    auto cycle = Intersect(
        f, {"a b -", "a c -", "a d -", "b c -", "b d -", "c d -", "d a -"},
        {P(f, "knows", false, 1), P(f, "knows", true, 0)});
    CHECK(Rows(f, *cycle) ==
          Strings{"a b d", "a c d", "b d a", "c d a", "d a b", "d a c"});
    CHECK(cycle->CanCount());
    CHECK((sw->served > 0) == on);
  }
  auto op = Intersect(f, {}, {P(f, "knows", false, 1)});
  CHECK(op->Describe() == "IntersectScan ?z: ...");
  // A predicate the store lacks matches nothing.
  auto absent = Intersect(f, {"a b -"},
                          {P(f, "knows", false, 1), P(f, "nope", false, 0)});
  CHECK(Rows(f, *absent).empty());
}

// :c and :d are common neighbours of :a and :b in several graphs at once.
const char kGraphs[] = R"(
:a :knows :b , :c .
:b :knows :c .
:g1 { :a :knows :c , :d . :b :knows :c , :d . :c :kind :K . :d :kind :K . }
:g2 { :a :knows :c , :d . :b :knows :c . :d :kind :K . }
)";

TEST_CASE("IntersectScan: a triple in several graphs gives one value",
          "[exec][intersect]") {
  for (bool strict : {false, true}) {
    QueryOptions options;
    options.strict_dataset = strict;
    ExecFixture f(kGraphs, options);
    AdjacencySwitch* sw = Switch(f, {"knows", "kind"});
    // With strict_dataset the default graph is the store's own: only
    // :a :knows :c . :b :knows :c there, and no :kind at all.
    const Strings two = strict ? Strings{"a b c"} : Strings{"a b c", "a b d"};
    const Strings three = strict ? Strings{} : Strings{"a b c", "a b d"};
    for (bool on : {false, true}) {
      sw->on = on;
      // Two lists (merge), then three (galloping).
      auto pair = Intersect(f, {"a b -"},
                            {P(f, "knows", false, 0), P(f, "knows", false, 1)});
      CHECK(Rows(f, *pair) == two);
      auto triple = Intersect(f, {"a b -"},
                              {P(f, "knows", false, 0), P(f, "knows", false, 1),
                               P(f, "kind", true, -1, "K")});
      CHECK(Rows(f, *triple) == three);
      auto preset = Intersect(f, {"a b d"},
                              {P(f, "knows", false, 0), P(f, "knows", false, 1),
                               P(f, "kind", true, -1, "K")});
      CHECK(Rows(f, *preset) == (strict ? Strings{} : Strings{"a b d"}));
    }
  }
}

TEST_CASE("IntersectScan: a hub's list against short and long ones",
          "[exec][intersect]") {
  // :h knows :n0..:n119; :t every third, :u every second; :s and :w two
  // each (:m is no neighbour of :h).
  std::map<std::string, std::set<std::string>> out;
  for (int i = 0; i < 120; ++i) {
    const std::string n = absl::StrCat("n", i);
    out["h"].insert(n);
    if (i % 3 == 0) out["t"].insert(n);
    if (i % 2 == 0) out["u"].insert(n);
  }
  out["s"] = {"n5", "n77"};
  out["w"] = {"n7", "m"};
  std::string trig;
  for (const auto& [x, ns] : out)
    for (const auto& n : ns)
      absl::StrAppend(&trig, ":", x, " :knows :", n, " .\n");
  ExecFixture f(trig);
  AdjacencySwitch* sw = Switch(f, {"knows"});
  // Pairs of lists: 120 against 2 (galloping: the longer over 8 times the
  // shorter), 120 against 40 and 60 against 40 (merge), 2 against 2.
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"h", "s"}, {"s", "h"}, {"h", "w"}, {"h", "t"}, {"t", "u"},
      {"u", "h"}, {"s", "w"}, {"s", "t"}, {"w", "u"}};
  Strings input, want;
  for (const auto& [x, y] : pairs) {
    input.push_back(absl::StrCat(x, " ", y, " -"));
    for (const auto& z : out[x])
      if (out[y].count(z)) want.push_back(absl::StrCat(x, " ", y, " ", z));
  }
  std::sort(want.begin(), want.end());
  REQUIRE(want.size() == 2 + 2 + 1 + 40 + 20 + 60 + 0 + 0 + 0);
  for (bool on : {false, true}) {
    sw->on = on;
    sw->served = 0;
    auto op =
        Intersect(f, input, {P(f, "knows", false, 0), P(f, "knows", false, 1)});
    CHECK(Rows(f, *op) == want);
    CHECK((sw->served > 0) == on);
    // A preset ?z on either path: in both lists, or not.
    auto preset =
        Intersect(f, {"h s n77", "h s n6", "h t n3", "h t n4", "w h m"},
                  {P(f, "knows", false, 0), P(f, "knows", false, 1)});
    CHECK(Rows(f, *preset) == Strings{"h s n77", "h t n3"});
  }
}

}  // namespace
}  // namespace kg::exec
