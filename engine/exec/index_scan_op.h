// IndexScanOp: one triple pattern joined to its child's rows through an
// index (an index nested-loop join), with membership checks answered by a
// predicate's in-memory adjacency and object ranges from FILTERs.

#ifndef KGSTORE_ENGINE_EXEC_INDEX_SCAN_OP_H_
#define KGSTORE_ENGINE_EXEC_INDEX_SCAN_OP_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "engine/exec/operator.h"
#include "engine/exec/pattern_position.h"

namespace kg::exec {

// A range of inline values of one tag that the pattern's object must lie
// in for the FILTERs above to pass (the filters stay: objects of other
// tags, which the range cannot order, are still scanned and tested).
struct ObjectRange {
  // Per constrained tag (ascending), the inclusive id interval the
  // object must lie in; `empty`: no value of the tag qualifies.
  struct Part {
    TermTag tag;
    TermId lo = 0, hi = 0;
    bool empty = false;
  };
  std::vector<Part> parts;
};

// Index nested-loop join of the child's rows with one triple pattern: for
// each input row, the pattern's bound positions form a key prefix of the
// index that covers them.
class IndexScanOp final : public Operator {
 public:
  IndexScanOp(QueryContext* ctx, OpPtr child, Position pos[3],
              GraphSpec graph, std::string text)
      : Operator(ctx), child_(std::move(child)), graph_(graph),
        text_(std::move(text)) {
    for (int i = 0; i < 3; ++i) pos_[i] = pos[i];
  }
  std::string Describe() const override;
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }
  // The bound mask the planner expects (for EXPLAIN before running; a run
  // updates it to the mask of the last scan).
  void set_bound_mask(unsigned mask) { last_mask_ = mask; }
  // The planner's forecast for the whole query: `inputs` rows in (each a
  // probe of the index), `rows` quads read by them. It lets the view
  // build the predicate's adjacency early when the query alone pays for
  // it (QuadReader::AdjacencyForProbes).
  void set_forecast(double inputs, double rows) {
    forecast_inputs_ = inputs;
    forecast_rows_ = rows;
  }
  // Scan only the objects in `range` (P bound, O free), see ObjectRange.
  void set_object_range(std::optional<ObjectRange> range) {
    range_ = std::move(range);
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  // Defined in index_scan_op.cc, inline in its loop.
  inline bool BindVar(int var, TermId id, IdRow* row);
  inline bool Bind(const Position& p, TermId id, IdRow* row);
  inline bool GraphAllowed(TermId g);
  inline bool PointCheckAdjacency(TermId p, unsigned mask);
  inline bool StartScan();

  std::optional<ObjectRange> range_;
  unsigned last_mask_ = 0;
  double forecast_inputs_ = 0, forecast_rows_ = 0;

  OpPtr child_;
  Position pos_[3];
  GraphSpec graph_;
  std::string text_;
  IdRow input_;
  std::unique_ptr<QuadIdIterator> it_;
  std::vector<std::pair<std::string, std::string>> ranges_;
  // The same as inclusive id intervals, when the adjacency serves them.
  std::vector<std::pair<TermId, TermId>> id_ranges_;
  std::shared_ptr<const PredicateAdjacency> range_adj_;
  std::optional<TermId> range_graph_;
  size_t range_pos_ = 0;
  Permutation perm_ = Permutation::kPOSG;
  bool range_default_only_ = false;
  bool dedupe_ = false;
  bool have_prev_ = false;
  QuadIds prev_;
  // Membership checks (PointCheckAdjacency).
  std::shared_ptr<const PredicateAdjacency> point_adj_;
  TermId point_adj_predicate_ = kUnbound;
  uint64_t point_misses_ = 0;
  bool point_row_ = false;
  // Probes by subject or by object answered from point_adj_'s neighbour
  // list (no iterator is made): the list, the next position in it, and
  // the quad of the probe with the other end left to fill in.
  absl::Span<const TermId> neighbors_;
  size_t neighbors_pos_ = 0;
  bool neighbors_active_ = false;
  bool neighbors_by_subject_ = false;
  QuadIds neighbor_quad_;
  // NeighborsFrom's cursor, and the adjacency it is a position in (a probe
  // by subject and one by object in turn restart it: only slower).
  const PredicateAdjacency* neighbors_adj_ = nullptr;
  size_t neighbors_cursor_ = 0;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_INDEX_SCAN_OP_H_
