// Property-path traversal: the ends a path reaches from a node over the
// quads of one graph, breadth-first with a visited set for closures.

#ifndef KGSTORE_ENGINE_EXEC_PATH_TRAVERSAL_H_
#define KGSTORE_ENGINE_EXEC_PATH_TRAVERSAL_H_

#include <memory>
#include <utility>
#include <vector>

#include "engine/exec/query_context.h"
#include "query/ast.h"

namespace kg {
class PredicateAdjacency;
}

namespace kg::exec {

// A property path with its IRIs resolved to ids (kAbsent: not in the
// store).
struct PathIds {
  ast::Path::Kind kind;
  TermId iri = kAbsent;
  std::vector<PathIds> children;
  std::vector<std::pair<TermId, bool>> negated;
};

// Walks property paths over the quads of the active graph: a named graph,
// or (kUnbound) the query's default graph.
class PathTraversal {
 public:
  explicit PathTraversal(QueryContext* ctx) : ctx_(ctx) {}

  void set_graph(TermId g) { graph_id_ = g; }
  TermId graph() const { return graph_id_; }

  // One evaluation of `p` from `node`: the reachable ends (a bag for
  // sequences and alternatives, a set for closures).
  std::vector<TermId> Eval(const PathIds& p, TermId node, bool forward);
  // True when `n` is a subject or object in the active graph.
  bool InGraph(TermId n);
  // Every subject and object of the active graph, once each.
  std::vector<TermId> AllNodes();

 private:
  // The quads of the active graph matching (s?, p?, o?); `f` may return
  // false to stop.
  template <typename F>
  void ForEach(TermId s, TermId p, TermId o, F f);
  // For a closure's step that is one IRI (forward or inverse): the
  // predicate's in-memory adjacency when the active graph lets its neighbour
  // lists stand for the step (the union default graph, or the store's
  // default graph when every quad of it is there), so each visited node
  // costs a hash probe instead of an index scan; null otherwise.
  // *key_is_subject: which half to read.
  std::shared_ptr<const PredicateAdjacency> StepAdjacency(const PathIds& step,
                                                          bool forward,
                                                          bool* key_is_subject);

  QueryContext* ctx_;
  TermId graph_id_ = kUnbound;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_PATH_TRAVERSAL_H_
