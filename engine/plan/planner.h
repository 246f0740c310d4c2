// The planner: turns the SPARQL algebra (query/algebra.h) into a tree of
// physical operators (engine/exec/). Join order within a basic graph
// pattern comes from the statistics' estimates (cardinality.h), FILTERs
// are placed after the scan binding their last variable
// (filter_placement.h), a seed constrains only the variables an operator
// is certain to bind (certain_vars.h), and subqueries that aggregate or
// slice run once and join by hash.

#ifndef KGSTORE_ENGINE_PLAN_PLANNER_H_
#define KGSTORE_ENGINE_PLAN_PLANNER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/exec/evaluator.h"
#include "engine/exec/hash_aggregate_op.h"
#include "engine/exec/intersect_scan_op.h"
#include "engine/exec/operator.h"
#include "engine/exec/path_traversal.h"
#include "engine/exec/pattern_position.h"
#include "query/algebra.h"

namespace kg::plan {

// Plans the nodes of one query; owns the evaluator its operators share
// (which plans EXISTS patterns through it on first use). Lives as long as
// the operators it made.
class Planner {
 public:
  // `names`: the query's variable names by slot (must outlive the planner).
  Planner(exec::QueryContext* ctx, const std::vector<std::string>& names);

  exec::Evaluator* evaluator() { return ev_.get(); }
  size_t width() const { return names_.size(); }

  // The operators for `n` in `graph`. `bound`: variables bound by the time
  // this node runs (from the seed).
  exec::OpPtr Plan(const algebra::Node& n, exec::GraphSpec graph,
                   std::vector<int> bound);

 private:
  // A right side planned to run without the left rows' bindings (only the
  // graph slot of an enclosing GRAPH ?g passes).
  exec::OpPtr PlanApart(const algebra::Node& right,
                        const exec::GraphSpec& graph);
  exec::OpPtr Singleton();
  // Plan(n, graph, bound) for an operator opened once per row of a left
  // side of `rows` rows (opens_ scaled meanwhile).
  exec::OpPtr PlanOpenedPerRow(const algebra::Node& n,
                               const exec::GraphSpec& graph,
                               std::vector<int> bound, double rows);
  std::string VarName(int v) const;
  exec::Position Resolve(const algebra::Slot& s);

  // Orders the patterns greedily (cheapest next given what is bound, which
  // favours patterns connected to the bound variables) and chains them as
  // index nested-loop joins on top of `input`.
  exec::OpPtr PlanBgp(const std::vector<algebra::Pattern>& patterns,
                      const std::vector<algebra::Expr>& conjunctions,
                      exec::GraphSpec graph, std::vector<int> bound,
                      exec::OpPtr input);

  // The shape HashAggregateOp::CountRuns answers from an adjacency, if `n`
  // is it: GROUP BY ?k over one pattern ?s <p> ?o (in the store's default
  // graph or the union of all graphs) with ?k one of its ends and only
  // non-DISTINCT COUNT(*) / COUNT(?s) / COUNT(?o).
  std::optional<exec::HashAggregateOp::CountRuns> CountRunsFor(
      const algebra::Node& n, const exec::GraphSpec& graph);

  // The shape HashAggregateOp::StatisticsCount answers from the store's
  // statistics, if `n` is it and the statistics at planning allow it (the
  // operator checks again against its snapshot's): COUNT(*), COUNT(?x)
  // and COUNT(DISTINCT ?s / ?o) over one pattern ?s ?p ?o grouped by ?p,
  // or over ?s <p> ?o, or COUNT(*) over ?s ?p ?o, in the default graph.
  std::optional<exec::HashAggregateOp::StatisticsCount> StatisticsCountFor(
      const algebra::Node& n, const exec::GraphSpec& graph);

  // A pattern that can take part in an intersection on variable `v`:
  // constant predicate, no path, `v` at exactly one end and the other end
  // known (a constant, or a variable in `bound`).
  bool Intersectable(const algebra::Pattern& p, int v,
                     const std::vector<int>& bound);
  // The unused patterns that close a cycle through the variable pattern
  // `best` binds (see IntersectScanOp), when `best` can generate it.
  std::vector<size_t> ClosingPatterns(
      const std::vector<algebra::Pattern>& patterns, size_t best,
      const std::vector<bool>& used, const exec::GraphSpec& graph,
      const std::vector<int>& bound);
  exec::IntersectScanOp::Part PartOf(const algebra::Pattern& p, int v);

  // Records the graph the EXISTS patterns in `n`'s expressions run in.
  void NoteExistsGraph(const algebra::Node& n, const exec::GraphSpec& graph);

  exec::PathIds ResolvePath(const algebra::Path& p);

  exec::QueryContext* ctx_;
  const std::vector<std::string>& names_;
  // How many times the operator being planned is expected to be opened:
  // the product of the left sides' estimates of the nested-loop joins
  // (and OPTIONALs) it is the right side of. For scans' forecasts.
  double opens_ = 1;
  absl::flat_hash_map<const algebra::Node*, exec::GraphSpec> exists_graph_;
  // ORDER BY nodes under a LIMIT: how many rows of their order are read.
  absl::flat_hash_map<const algebra::Node*, uint64_t> top_k_;
  std::unique_ptr<exec::Evaluator> ev_;
};

}  // namespace kg::plan

#endif  // KGSTORE_ENGINE_PLAN_PLANNER_H_
