// PropertyPathOp: per input row and graph, the path from the bound end
// (or from every node), streamed one start node at a time.

#include "engine/exec/property_path_op.h"

#include <algorithm>

namespace kg::exec {

void PropertyPathOp::DoOpen(const IdRow& seed) {
  child_->Open(seed);
  out_.clear();
  pos_ = 0;
  graphs_.clear();
  graph_pos_ = 0;
  starts_.clear();
  start_pos_ = 0;
}

bool PropertyPathOp::DoNext(IdRow* row) {
  while (ctx_->ok()) {
    if (pos_ < out_.size()) {
      *row = out_[pos_++];
      return true;
    }
    ctx_->Release(out_.size() * (in_.size() * 8 + 32));
    out_.clear();
    pos_ = 0;
    if (start_pos_ < starts_.size()) {
      if (!ctx_->Tick()) return false;
      TermId n = starts_[start_pos_++];
      for (TermId t : walk_.Eval(path_, n, true))
        Emit(in_, walk_.graph(), n, t);
      continue;
    }
    if (graph_pos_ < graphs_.size()) {
      StartGraph(graphs_[graph_pos_++]);
      continue;
    }
    if (!child_->Next(&in_)) return false;
    graphs_ = Graphs(in_);
    graph_pos_ = 0;
  }
  return false;
}

// A graph given by the query or bound by an earlier pattern is searched
// only when it is a named graph of the dataset: FROM NAMED leaves others
// out, and a term that names no graph has no GRAPH solution, not even a
// zero-length path's (as IndexScanOp::GraphAllowed for single patterns).
bool PropertyPathOp::InNamedScope(TermId g) const {
  const GraphScope& sc = ctx_->scope;
  if (g == kUnbound || g == kAbsent || g == kDefaultGraph) return false;
  if (sc.named_restricted) return sc.named_set.contains(g);
  return std::binary_search(sc.named_list.begin(), sc.named_list.end(), g);
}

std::vector<TermId> PropertyPathOp::Graphs(const IdRow& row) const {
  switch (graph_.kind) {
    case GraphSpec::Kind::kDefault:
      return {kUnbound};
    case GraphSpec::Kind::kNamedConst:
      if (!InNamedScope(graph_.id)) return {};
      return {graph_.id};
    case GraphSpec::Kind::kNamedVar:
      if (row[graph_.var] != kUnbound) {
        if (!InNamedScope(row[graph_.var])) return {};
        return {row[graph_.var]};
      }
      return ctx_->scope.named_list;
  }
  return {};
}

void PropertyPathOp::Emit(const IdRow& in, TermId g, TermId s, TermId o) {
  IdRow r = in;
  auto bind = [&](const Position& p, TermId v) {
    if (p.var < 0) return p.id == v;
    if (r[p.var] == kUnbound) {
      r[p.var] = v;
      return true;
    }
    return r[p.var] == v;
  };
  if (!bind(s_, s) || !bind(o_, o)) return;
  if (graph_.kind == GraphSpec::Kind::kNamedVar) {
    if (r[graph_.var] == kUnbound) r[graph_.var] = g;
    else if (r[graph_.var] != g) return;
  }
  if (ctx_->Charge(r.size() * 8 + 32)) out_.push_back(std::move(r));
}

void PropertyPathOp::StartGraph(TermId g) {
  starts_.clear();
  start_pos_ = 0;
  if (g == kAbsent) return;
  walk_.set_graph(g);
  TermId s = Value(s_, in_), o = Value(o_, in_);
  // A zero-length path from a node to itself: for a constant end any
  // term matches, but a variable ranges over the graph's nodes only
  // (18.4), also when an earlier pattern bound it to some other term.
  auto zero_ok = [&](const Position& end, TermId n) {
    return end.var < 0 || walk_.InGraph(n);
  };
  if (s != kUnbound) {
    for (TermId t : walk_.Eval(path_, s, /*forward=*/true))
      if ((o == kUnbound || o == t) && (t != s || zero_ok(s_, s)))
        Emit(in_, g, s, t);
  } else if (o != kUnbound) {
    for (TermId t : walk_.Eval(path_, o, /*forward=*/false))
      if (t != o || zero_ok(o_, o)) Emit(in_, g, t, o);
  } else {
    starts_ = walk_.AllNodes();
  }
}

}  // namespace kg::exec
