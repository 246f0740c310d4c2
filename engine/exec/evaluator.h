// The expression evaluator: FILTER conditions, BIND and SELECT
// expressions, ORDER BY keys and aggregate arguments over IdRows, with
// EXISTS run through plans the planner supplies.

#ifndef KGSTORE_ENGINE_EXEC_EVALUATOR_H_
#define KGSTORE_ENGINE_EXEC_EVALUATOR_H_

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/exec/materialized_side.h"
#include "engine/exec/operator.h"
#include "query/algebra.h"
#include "query/functions.h"

namespace kg::exec {

// The plan of an EXISTS pattern, as the planner makes it.
struct ExistsPlan {
  OpPtr plan;
  // The graph slot of an enclosing GRAPH ?g (-1: none).
  int graph_var = -1;
  // The pattern takes no bindings from the row (a subquery that aggregates
  // or slices): it is evaluated once per graph and probed.
  bool runs_apart = false;
  // Every variable the pattern mentions (patterns, expressions, nested
  // EXISTS): a row that binds none of them gets the same answer as any
  // other, so the answer is kept per graph.
  std::vector<int> mentioned;
};

// Plans an EXISTS pattern on first use (the planner's, see
// plan::Planner).
using SubplanFactory =
    std::function<ExistsPlan(const std::shared_ptr<algebra::Node>&)>;

// Evaluates expressions over rows of ids. Terms are decoded only where an
// operator or function needs them: comparisons of ids, inline numbers and
// dates, and STR() of stored terms are answered on ids.
class Evaluator {
 public:
  Evaluator(QueryContext* ctx, SubplanFactory subplans)
      : ctx_(ctx), subplans_(std::move(subplans)) {}

  // The value of `e` for `row`; std::nullopt on an error or unbound.
  Value Eval(const algebra::Expr& e, const IdRow& row);

  // Whether `e`'s effective boolean value is true (a FILTER passes).
  bool Test(const algebra::Expr& e, const IdRow& row) {
    const std::optional<bool> b = Truth(e, row);
    return b && *b;
  }

  // The effective boolean value of `e`, std::nullopt on an error. Logical
  // operators and comparisons are answered without building the boolean
  // terms Eval returns (a FILTER tests every row).
  std::optional<bool> Truth(const algebra::Expr& e, const IdRow& row);

 private:
  // Defined in evaluator.cc, inline there.
  static inline Term Bool(bool b);
  // Whether `op` holds between two values whose comparison has sign `c`.
  static inline bool Holds(CompareOp op, int c);
  inline std::optional<bool> CmpTruth(CompareOp op, const algebra::Expr& e,
                                      const IdRow& row);
  // The sign of STR(a) vs STR(b) when the comparison is of that form over
  // two dictionary terms other than blank nodes; std::nullopt otherwise.
  inline std::optional<int> CompareStrOfVars(const algebra::Expr& e,
                                             const IdRow& row);
  // The inline id of a variable's value or of a constant (kUnbound when
  // it has none).
  inline TermId InlineIdOf(const algebra::Expr& e, const IdRow& row);
  TermId IdOf(const algebra::Expr& e, const IdRow& row) {
    return e.kind == algebra::Expr::Kind::kVar ? row[e.var] : kUnbound;
  }
  // The id of a variable's value or of a constant IRI (kUnbound for other
  // expressions), and whether it is an IRI or a blank node. Ids are
  // canonical within a query (dictionary ids, else one temporary id per
  // term), so two different ids are two different terms.
  struct NodeId {
    TermId id = kUnbound;
    bool is_node = false;
  };
  inline NodeId NodeIdOf(const algebra::Expr& e, const IdRow& row);
  inline Value Arith(ArithOp op, const algebra::Expr& e, const IdRow& row);
  inline bool Exists(const algebra::Expr& e, const IdRow& row);
  inline Value Call(const algebra::Expr& e, const IdRow& row);

  QueryContext* ctx_;
  SubplanFactory subplans_;
  struct ExistsState {
    ExistsPlan p;
    std::unique_ptr<MaterializedSide> side;     // runs_apart
    absl::flat_hash_map<TermId, bool> answers;  // uncorrelated, per graph
  };
  absl::flat_hash_map<const algebra::Expr*, ExistsState> exists_plans_;
  absl::flat_hash_map<const algebra::Expr*, TermId> constant_ids_;
  absl::flat_hash_map<const algebra::Expr*, TermId> node_constant_ids_;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_EVALUATOR_H_
