// Cardinality estimates: the rows a triple pattern is expected to give,
// from the store's persisted per-predicate statistics.

#ifndef KGSTORE_ENGINE_PLAN_CARDINALITY_H_
#define KGSTORE_ENGINE_PLAN_CARDINALITY_H_

#include <vector>

#include "absl/functional/function_ref.h"

#include "engine/exec/query_context.h"
#include "query/algebra.h"

namespace kg::plan {

// Estimated rows of pattern `p` per input row, given the variables bound
// by then (`bound`): a constant predicate's quads divided by its distinct
// subjects or objects for a bound end; rough constants for variable
// predicates and property paths; 0 for a predicate the store lacks.
double EstimatePatternRows(exec::QueryContext* ctx, const algebra::Pattern& p,
                           const std::vector<int>& bound);
// The same with "is variable v bound?" as a function (a mask lookup where
// the planner orders large basic graph patterns).
double EstimatePatternRows(exec::QueryContext* ctx, const algebra::Pattern& p,
                           absl::FunctionRef<bool(int)> var_is_bound);

}  // namespace kg::plan

#endif  // KGSTORE_ENGINE_PLAN_CARDINALITY_H_
