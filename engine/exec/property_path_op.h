// PropertyPathOp: a triple pattern whose predicate is a property path,
// joined to its child's rows (the traversal is in path_traversal.h).

#ifndef KGSTORE_ENGINE_EXEC_PROPERTY_PATH_OP_H_
#define KGSTORE_ENGINE_EXEC_PROPERTY_PATH_OP_H_

#include <string>
#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/path_traversal.h"
#include "engine/exec/pattern_position.h"

namespace kg::exec {

// Evaluates a property path pattern for each input row: breadth-first from
// the bound end with a visited set; from every node of the graph when
// neither end is bound.
class PropertyPathOp final : public Operator {
 public:
  PropertyPathOp(QueryContext* ctx, OpPtr child, Position s, PathIds path,
                 Position o, GraphSpec graph, std::string text)
      : Operator(ctx), child_(std::move(child)), s_(s), o_(o),
        path_(std::move(path)), graph_(graph), text_(std::move(text)),
        walk_(ctx) {}
  std::string Describe() const override { return "PathTraversal " + text_; }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  // Streams: with neither end bound, one start node is expanded at a time,
  // so LIMIT over a huge closure stops early.
  bool DoNext(IdRow* row) override;

 private:
  TermId Value(const Position& p, const IdRow& row) const {
    return p.var >= 0 ? row[p.var] : p.id;
  }

  // The graphs to evaluate in for this row: a list (one entry per named
  // graph when GRAPH ?g is unbound) of (graph id or kUnbound for "the
  // default graph").
  std::vector<TermId> Graphs(const IdRow& row) const;
  bool InNamedScope(TermId g) const;
  void Emit(const IdRow& in, TermId g, TermId s, TermId o);
  // Starts evaluating the path for in_ in graph g (kUnbound: the default
  // graph): bound ends are expanded at once, otherwise the start nodes are
  // listed and expanded one per DoNext round.
  void StartGraph(TermId g);

  OpPtr child_;
  Position s_, o_;
  PathIds path_;
  GraphSpec graph_;
  std::string text_;
  PathTraversal walk_;  // its graph is the one being evaluated
  IdRow in_;
  std::vector<TermId> graphs_;
  size_t graph_pos_ = 0;
  std::vector<TermId> starts_;
  size_t start_pos_ = 0;
  std::vector<IdRow> out_;
  size_t pos_ = 0;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_PROPERTY_PATH_OP_H_
