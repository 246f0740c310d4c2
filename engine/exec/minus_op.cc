// MinusOp: left rows without a compatible right row sharing a variable.

#include "engine/exec/minus_op.h"

namespace kg::exec {

bool MinusOp::DoNext(IdRow* row) {
  while (left_->Next(row)) {
    bool removed = false;
    right_.ForEachCompatible(*row, /*require_shared=*/true,
                             [&](const IdRow&) {
                               removed = true;
                               return false;
                             });
    if (!ctx_->ok()) return false;  // over the memory limit
    if (!removed) return true;
    if (!ctx_->Tick()) return false;
  }
  return false;
}

}  // namespace kg::exec
