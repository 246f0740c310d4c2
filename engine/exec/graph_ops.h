// The operators of GRAPH ?g: NamedGraphsOp enumerates the named graphs in
// scope, GraphVarOp joins a pattern's own ?g with the graph it runs in.

#ifndef KGSTORE_ENGINE_EXEC_GRAPH_OPS_H_
#define KGSTORE_ENGINE_EXEC_GRAPH_OPS_H_

#include <string>

#include "engine/exec/operator.h"

namespace kg::exec {

// Binds a graph variable to each named graph in scope (GRAPH ?g with a
// pattern that binds nothing itself).
class NamedGraphsOp final : public Operator {
 public:
  NamedGraphsOp(QueryContext* ctx, int var) : Operator(ctx), var_(var) {}
  std::string Describe() const override { return "NamedGraphs"; }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  int var_;
  IdRow seed_;
  size_t i_ = 0;
};

// GRAPH ?g { P } with the graph's name in a hidden slot while P runs:
// joins P's own ?g (an ordinary variable inside P) with the graph's name,
// then clears the hidden slot.
class GraphVarOp final : public Operator {
 public:
  GraphVarOp(QueryContext* ctx, OpPtr child, int var, int hidden,
             std::string name)
      : Operator(ctx), child_(std::move(child)), var_(var), hidden_(hidden),
        name_(std::move(name)) {}
  std::string Describe() const override { return "Graph " + name_; }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;

 private:
  OpPtr child_;
  int var_, hidden_;
  std::string name_;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_GRAPH_OPS_H_
