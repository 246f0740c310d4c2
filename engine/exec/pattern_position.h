// How a triple pattern's positions are resolved for the operators that
// match it (IndexScanOp, IntersectScanOp, PropertyPathOp): a variable slot
// or a constant's id, and where the graph position comes from.

#ifndef KGSTORE_ENGINE_EXEC_PATTERN_POSITION_H_
#define KGSTORE_ENGINE_EXEC_PATTERN_POSITION_H_

#include "engine/exec/id_row.h"

namespace kg::exec {

// Where a pattern's graph position comes from.
struct GraphSpec {
  enum class Kind { kDefault, kNamedConst, kNamedVar };
  Kind kind = Kind::kDefault;
  TermId id = kUnbound;  // kNamedConst
  int var = -1;          // kNamedVar
};

// A resolved triple pattern position.
struct Position {
  int var = -1;
  TermId id = kUnbound;  // constant (kAbsent if not in store)
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_PATTERN_POSITION_H_
