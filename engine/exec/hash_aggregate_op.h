// HashAggregateOp: GROUP BY and aggregates, grouping rows by hash (or
// counting from a predicate's adjacency when the shape allows).

#ifndef KGSTORE_ENGINE_EXEC_HASH_AGGREGATE_OP_H_
#define KGSTORE_ENGINE_EXEC_HASH_AGGREGATE_OP_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/exec/evaluator.h"
#include "engine/exec/operator.h"
#include "query/algebra.h"
#include "storage/predicate_adjacency.h"

namespace kg::exec {

// Groups the child's rows on the GROUP BY expressions (on ids, no
// decoding, for variables) and computes the node's aggregates per group,
// all at Open; rows are the groups.
class HashAggregateOp final : public Operator {
 public:
  HashAggregateOp(QueryContext* ctx, OpPtr child, const algebra::Node* node,
                  Evaluator* ev, std::vector<int> pass)
      : Operator(ctx), child_(std::move(child)), node_(node), ev_(ev),
        pass_(std::move(pass)) {}
  std::string Describe() const override;
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

  // GROUP BY one end of a single triple pattern ?s <p> ?o with only
  // COUNT(*) / COUNT(?s) / COUNT(?o) (not DISTINCT): the counts are the
  // run lengths of the predicate's adjacency, one per key, when it is in
  // memory and every quad is in the default graph (so no triple counts
  // twice across graphs). Without the adjacency, GROUP BY ?o counts the
  // runs of posg's keys (QuadReader::CountObjectRuns) when the reader can,
  // without making a row per quad. Set by the planner.
  struct CountRuns {
    TermId predicate = kUnbound;
    bool key_is_subject = false;
  };
  void set_count_runs(std::optional<CountRuns> runs) { count_runs_ = runs; }

  // COUNTs over the single pattern ?s ?p ?o (GROUP BY ?p, or no GROUP BY),
  // ?s <p> ?o (GROUP BY ?o, or no GROUP BY) or ?s <p> <o> in the query's
  // default graph: the answer is in the store's statistics (quads per
  // predicate, distinct subjects and objects, quads in all, quads per
  // object of a predicate with few objects), read at Open for exactly the
  // snapshot the query reads. Used only when no triple can be counted
  // twice: the union default graph over at most one graph, or the store's
  // default graph with no named graph; otherwise, and when the snapshot
  // does not keep the per-object counts needed, the rows are counted as
  // usual. Set by the planner.
  struct StatisticsCount {
    enum class Counts { kQuads, kDistinctSubjects, kDistinctObjects };
    bool per_predicate = false;  // GROUP BY ?p
    TermId predicate = kUnbound;  // kUnbound: ?p, a variable; kAbsent: none
    bool per_object = false;  // GROUP BY ?o, with the predicate bound
    TermId object = kUnbound;  // a bound object (kAbsent: none in store)
    bool strict_default = false;  // the store's default graph only
    std::vector<Counts> counts;  // one per aggregate
  };
  void set_statistics_count(std::optional<StatisticsCount> count) {
    statistics_count_ = std::move(count);
  }

  // No GROUP BY and every aggregate COUNT(*) (not DISTINCT): no column of
  // the child's rows is read, so a child that can count its rows
  // (Operator::CanCount) is asked for the count instead of the rows.
  bool CountsChildRows() const;

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  std::optional<CountRuns> count_runs_;
  bool from_posg_runs_ = false;  // the last Open counted posg's runs

  std::optional<StatisticsCount> statistics_count_;

  inline bool CountFromAdjacency(const IdRow& seed);
  // True when the groups came from QuadReader::CountObjectRuns (or the
  // query failed); false: nothing done, count the rows.
  bool CountFromObjectRuns(const IdRow& seed);
  // GROUP BY variables with only COUNT(*) / COUNT(?x), not DISTINCT: the
  // groups as flat arrays of keys and counts, no accumulator per group.
  bool CountsOnly() const;
  void CountGroups(const IdRow& seed);
  // False (nothing done) when the snapshot has more graphs than the
  // counts allow.
  bool CountFromStatistics(const IdRow& seed);
  TermId CountId(uint64_t count);

  OpPtr child_;
  const algebra::Node* node_;
  Evaluator* ev_;
  std::vector<int> pass_;  // seed bindings the child sees (the graph slot)
  // Where DoNext takes its rows: out_, or made one at a time from the
  // adjacency's runs or the counts-only groups (a million groups need no
  // million rows held).
  enum class Source { kRows, kRuns, kGroups };
  Source source_ = Source::kRows;
  IdRow seed_;  // the seed of the last Open, for rows made in DoNext
  std::shared_ptr<const PredicateAdjacency> runs_;  // kRuns
  std::vector<TermId> group_keys_;  // kGroups: group_exprs.size() per group
  std::vector<uint64_t> group_counts_;  // kGroups: one per aggregate
  size_t groups_ = 0;  // kRuns: runs; kGroups: groups
  bool NextRun(IdRow* row);
  bool NextGroup(IdRow* row);
  // The groups' rows one after another, each as wide as the seed: one
  // allocation for them all rather than one per group.
  std::vector<TermId> out_;
  size_t out_rows_ = 0;
  size_t pos_ = 0;  // the next row DoNext gives
  IdRow scratch_;  // the row being built
  // scratch_, cleared to the seed's width.
  IdRow& NewRow(const IdRow& seed);
  // Appends scratch_, merged with the seed, unless they conflict.
  void EmitRow(const IdRow& seed);
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_HASH_AGGREGATE_OP_H_
