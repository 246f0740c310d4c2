// ExtendOp: a variable bound to an expression's value, row by row.

#include "engine/exec/extend_op.h"

namespace kg::exec {

void ExtendOp::DoOpen(const IdRow& seed) {
  // The variable must not be constrained below: the seed value is
  // checked here instead.
  seed_value_ = seed[var_];
  IdRow s = seed;
  s[var_] = kUnbound;
  child_->Open(s);
}

bool ExtendOp::DoNext(IdRow* row) {
  while (child_->Next(row)) {
    if (new_solution_) ++ctx_->fn.row;
    TermId id;
    if (expr_.kind == algebra::Expr::Kind::kVar) {
      // BIND(?x AS ?y), and every (aggregate AS ?y): the id as it is,
      // without decoding it to a term and encoding it back.
      id = (*row)[expr_.var];
    } else {
      Value v = ev_->Eval(expr_, *row);
      id = v ? ctx_->Encode(*v) : kUnbound;
      // Over a limit (a string too long, the memory cap): the BINDs above
      // must not go on computing from this row.
      if (!ctx_->ok()) return false;
    }
    if (seed_value_ != kUnbound && id != kUnbound && id != seed_value_)
      continue;
    (*row)[var_] = id != kUnbound ? id : seed_value_;
    return true;
  }
  return false;
}

}  // namespace kg::exec
