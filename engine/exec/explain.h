// EXPLAIN and PROFILE text: the operator tree, one operator a line as it
// describes itself, indented by depth.

#ifndef KGSTORE_ENGINE_EXEC_EXPLAIN_H_
#define KGSTORE_ENGINE_EXEC_EXPLAIN_H_

#include <string>

#include "engine/exec/operator.h"

namespace kg::exec {

// The tree under `op`: Describe() and the planner's estimate of rows per
// Open; with `profile`, also the rows, opens and time the run counted.
std::string ExplainTree(const Operator* op, bool profile, int depth = 0);

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_EXPLAIN_H_
