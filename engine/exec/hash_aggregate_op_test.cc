// HashAggregateOp and Accumulator: groups by id, every aggregate leaves
// out solutions that leave its variable unbound, an error of a compound
// argument makes the value unbound, and no rows without GROUP BY is one
// group.

#include "engine/exec/hash_aggregate_op.h"

#include <catch2/catch.hpp>

#include "engine/exec/aggregate_accumulator.h"
#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::BinaryExpr;
using testing::ConstExpr;
using testing::ExecFixture;
using testing::NoExists;
using testing::VarExpr;
using Strings = std::vector<std::string>;

algebra::Aggregate Agg(std::string name, std::optional<algebra::Expr> arg,
                       int slot) {
  algebra::Aggregate a;
  a.name = std::move(name);
  a.star = !arg;
  a.arg = std::move(arg);
  a.slot = slot;
  return a;
}

// GROUP BY ?k (slot 0) over ?v (slot 1); aggregates into slots 2...
algebra::Node GroupByK(std::vector<algebra::Aggregate> aggregates) {
  algebra::Node n;
  n.kind = algebra::Node::Kind::kGroup;
  n.group_exprs = {VarExpr(0)};
  n.group_vars = {0};
  n.aggregates = std::move(aggregates);
  return n;
}

TEST_CASE("HashAggregate leaves unbound values out of every aggregate",
          "[exec][aggregate]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  algebra::Node node = GroupByK({
      Agg("COUNT", VarExpr(1), 2), Agg("SUM", VarExpr(1), 3),
      Agg("MIN", VarExpr(1), 4), Agg("MAX", VarExpr(1), 5),
      Agg("GROUP_CONCAT", VarExpr(1), 6),
      Agg("COUNT", std::nullopt, 7),  // COUNT(*) counts every solution
  });
  HashAggregateOp group(f.ctx(),
                        f.Values({{"a", "1"},
                                  {"a", "-"},
                                  {"b", "-"},
                                  {"a", "3"},
                                  {"c", "'x'"},
                                  {"c", "'y'"}}),
                        &node, &ev, /*pass=*/{});
  CHECK(f.Drain(group, 8) == Strings{
                                 "a - 2 4 1 3 '1 3' 3",
                                 // No value at all: COUNT 0, SUM 0, MIN and
                                 // MAX unbound, GROUP_CONCAT empty.
                                 "b - 0 0 - - '' 1",
                                 // Adding strings is an error: SUM unbound.
                                 "c - 2 - 'x' 'y' 'x y' 2",
                             });
  CHECK(group.Describe() == "HashAggregate (1 key(s), 6 aggregate(s))");
}

TEST_CASE("HashAggregate: an error in a compound argument is not left out",
          "[exec][aggregate]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  // SUM(?v + 1): the unbound ?v of the second row is an error, which makes
  // the sum unbound (docs/QUERY.md, aggregates over unbound values).
  algebra::Node node = GroupByK({
      Agg("SUM",
          BinaryExpr(algebra::Expr::Kind::kAdd, VarExpr(1),
                     ConstExpr(Term::Literal("1", std::string(kXsdInteger)))),
          2),
      Agg("COUNT", VarExpr(1), 3),
  });
  HashAggregateOp group(f.ctx(), f.Values({{"a", "1"}, {"a", "-"}, {"b", "4"}}),
                        &node, &ev, {});
  CHECK(f.Drain(group, 4) == Strings{"a - - 1", "b - 5 1"});
}

TEST_CASE("HashAggregate with only plain COUNTs groups on flat keys as the "
          "general path does",
          "[exec][aggregate]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  // GROUP BY ?k0 ?k1 (slots 0, 1) over ?v (slot 2): COUNT(*), COUNT(?v);
  // the same with a SAMPLE, which takes the general path.
  auto node = [](bool general) {
    algebra::Node n;
    n.kind = algebra::Node::Kind::kGroup;
    n.group_exprs = {VarExpr(0), VarExpr(1)};
    n.group_vars = {0, 1};
    n.aggregates = {Agg("COUNT", std::nullopt, 3), Agg("COUNT", VarExpr(2), 4)};
    if (general) n.aggregates.push_back(Agg("SAMPLE", VarExpr(0), 5));
    return n;
  };
  // Groups that come back after others, unbound keys, unbound values.
  const std::vector<std::vector<std::string>> rows = {
      {"a", "x", "1"}, {"a", "x", "-"}, {"a", "y", "2"}, {"b", "x", "3"},
      {"a", "x", "4"}, {"-", "x", "5"}, {"-", "x", "-"}, {"a", "-", "6"},
      {"b", "x", "-"}, {"a", "y", "7"}};
  const algebra::Node counts = node(false), general = node(true);
  HashAggregateOp flat(f.ctx(), f.Values(rows), &counts, &ev, {});
  HashAggregateOp full(f.ctx(), f.Values(rows), &general, &ev, {});
  const Strings expected = {"a x - 3 2", "a y - 2 2", "b x - 2 1",
                            "- x - 2 1", "a - - 1 1"};
  CHECK(f.Drain(flat, 5) == expected);
  Strings from_full;
  for (const std::string& row : f.Drain(full, 6))
    from_full.push_back(row.substr(0, row.rfind(' ')));  // without SAMPLE
  CHECK(from_full == expected);
  // No rows: no groups with GROUP BY; one group of zeros without.
  CHECK(f.Drain(flat, 5, {}).size() == 5);  // re-opened: same groups
  HashAggregateOp none(f.ctx(), f.Values({}), &counts, &ev, {});
  CHECK(f.Drain(none, 5).empty());
  algebra::Node whole = node(false);
  whole.group_exprs.clear();
  whole.group_vars.clear();
  HashAggregateOp zero(f.ctx(), f.Values({}), &whole, &ev, {});
  CHECK(f.Drain(zero, 5) == Strings{"- - - 0 0"});
  HashAggregateOp all(f.ctx(), f.Values(rows), &whole, &ev, {});
  CHECK(f.Drain(all, 5) == Strings{"- - - 10 7"});
}

TEST_CASE("HashAggregate without GROUP BY: no rows is one group",
          "[exec][aggregate]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  algebra::Node node;
  node.kind = algebra::Node::Kind::kGroup;
  node.aggregates = {Agg("COUNT", std::nullopt, 0), Agg("SUM", VarExpr(1), 1),
                     Agg("SAMPLE", VarExpr(1), 2)};
  HashAggregateOp group(f.ctx(), f.Values({}), &node, &ev, {});
  CHECK(f.Drain(group, 3) == Strings{"0 0 -"});
}

TEST_CASE("HashAggregate: a seed keeps only the matching groups",
          "[exec][aggregate]") {
  ExecFixture f;
  Evaluator ev(f.ctx(), NoExists);
  algebra::Node node = GroupByK({Agg("COUNT", std::nullopt, 2)});
  HashAggregateOp group(f.ctx(), f.Values({{"a", "1"}, {"b", "2"}, {"a", "3"}}),
                        &node, &ev, {});
  // The seed is not passed down (`pass` is empty): every row is grouped,
  // then the groups are merged with the seed.
  CHECK(f.Drain(group, 3, f.Row({"a", "-", "-"})) == Strings{"a - 2"});
}

TEST_CASE("Accumulator: DISTINCT on ids, MIN/MAX order, SAMPLE, AVG",
          "[exec][aggregate]") {
  ExecFixture f;
  auto integer = [](int v) {
    return Term::Literal(std::to_string(v), std::string(kXsdInteger));
  };
  algebra::Aggregate count = Agg("COUNT", VarExpr(0), 0);
  count.distinct = true;
  Accumulator distinct_count(count);
  for (int v : {1, 2, 2, 3, 1})
    distinct_count.AddCount(true, f.ctx()->Encode(integer(v)));
  distinct_count.AddCount(false, kUnbound);
  CHECK(distinct_count.Result()->lexical == "3");
  // Many dictionary IRIs (the remembered ids move to a bitmap once dense),
  // mixed with inline values and each sent three times.
  Accumulator many(count);
  for (int round = 0; round < 3; ++round)
    for (uint64_t i = 1; i <= 20000; ++i) {
      many.AddCount(true, MakeId(TermTag::kIri, i * 3));
      if (i % 100 == 0) many.AddCount(true, f.ctx()->Encode(integer(i)));
    }
  CHECK(many.Result()->lexical == "20200");

  algebra::Aggregate avg_agg = Agg("AVG", VarExpr(0), 0);
  Accumulator avg(avg_agg);
  for (int v : {1, 2, 6}) avg.Add(integer(v), kUnbound);
  REQUIRE(avg.Result());
  CHECK(avg.Result()->lexical == "3.0");  // xsd:decimal

  algebra::Aggregate max_agg = Agg("MAX", VarExpr(0), 0);
  Accumulator max(max_agg);
  for (int v : {4, 9, 2}) max.Add(integer(v), kUnbound);
  CHECK(max.Result()->lexical == "9");

  algebra::Aggregate sample_agg = Agg("SAMPLE", VarExpr(0), 0);
  Accumulator sample(sample_agg);
  sample.Add(std::nullopt, kUnbound);  // an error is skipped by SAMPLE
  sample.Add(integer(7), kUnbound);
  sample.Add(integer(8), kUnbound);
  CHECK(sample.Result()->lexical == "7");
}

}  // namespace
}  // namespace kg::exec
