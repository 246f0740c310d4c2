// IntersectScanOp: binds one variable to the values several triple
// patterns allow, by leapfrog intersection of adjacency lists (a
// worst-case-optimal join step).

#ifndef KGSTORE_ENGINE_EXEC_INTERSECT_SCAN_OP_H_
#define KGSTORE_ENGINE_EXEC_INTERSECT_SCAN_OP_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "engine/exec/operator.h"
#include "engine/exec/pattern_position.h"

namespace kg::exec {

// Binds one new variable ?v to the values every one of several triple
// patterns allows: the first pattern generates (?v is one end, the other
// end is known), the others close a cycle through ?v (their other end is
// known too). With the predicates' in-memory adjacencies this is a
// leapfrog intersection of sorted neighbour lists -- the step of a
// worst-case-optimal join, so a triangle costs min(deg) rather than the
// product of degrees. Without them (not built yet, named graphs, a write
// transaction) it falls back to a nested loop: scan the generator, probe
// each closing pattern. Only planned in the default graph, and not when
// the default graph is an explicit set of graphs (FROM).
class IntersectScanOp final : public Operator {
 public:
  struct Part {
    TermId predicate = kUnbound;
    bool var_is_subject = false;  // ?v is the pattern's subject
    Position other;               // the known end
  };
  IntersectScanOp(QueryContext* ctx, OpPtr child, int var,
                  std::vector<Part> parts, std::string text)
      : Operator(ctx), child_(std::move(child)), var_(var),
        parts_(std::move(parts)), text_(std::move(text)) {}
  std::string Describe() const override;
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }
  // Counts without producing rows: the sizes of the intersections, one per
  // input row (a triangle count walks the adjacency lists once and builds
  // no row per triangle).
  bool CanCount() const override { return true; }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;
  std::optional<uint64_t> DoCountRest() override;

 private:
  // Defined in intersect_scan_op.cc, inline in its loop.
  inline TermId Known(const Part& part) const;
  inline void Compute();
  inline void Intersect(TermId preset);
  void LookUpAdjacencies();

  OpPtr child_;
  int var_;
  std::vector<Part> parts_;
  std::string text_;
  IdRow input_;
  std::vector<TermId> values_;
  size_t pos_ = 0;
  std::vector<absl::Span<const TermId>> lists_;
  // Every part's adjacency, once all are built (all_adjacent_); held for
  // the operator's life, so the lists in lists_ stay valid.
  std::vector<std::shared_ptr<const PredicateAdjacency>> adjacencies_;
  bool all_adjacent_ = false;
  std::vector<TermId> keys_;  // the parts' known ends for input_
  std::vector<size_t> at_;    // Intersect's position in each list
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_INTERSECT_SCAN_OP_H_
