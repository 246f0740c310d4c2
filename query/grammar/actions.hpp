// Semantic actions that carry a parameter (an operator kind, a query form,
// an update kind), shared by the *_def.hpp files.

#ifndef KGSTORE_QUERY_GRAMMAR_ACTIONS_HPP_
#define KGSTORE_QUERY_GRAMMAR_ACTIONS_HPP_

#include "query/grammar/config.hpp"

namespace kg::grammar {

inline auto Bin(ast::Expr::Kind kind) {
  return [kind](auto& ctx) {
    state(ctx).Binary(kind, x3::_where(ctx).begin());
  };
}
inline auto Un(ast::Expr::Kind kind) {
  return [kind](auto& ctx) { state(ctx).Unary(kind); };
}
inline auto Form(ast::QueryForm form) {
  return [form](auto& ctx) { state(ctx).SetForm(form); };
}
inline auto BeginOp(ast::UpdateOperation::Kind kind) {
  return [kind](auto& ctx) {
    state(ctx).BeginOperation(kind, x3::_where(ctx).begin());
  };
}
inline auto TargetIs(ast::GraphTarget::Kind kind) {
  return [kind](auto& ctx) { state(ctx).Target(kind); };
}
inline auto QuadPattern(bool is_delete) {
  return [is_delete](auto& ctx) {
    state(ctx).BeginQuadPattern(is_delete, x3::_where(ctx).begin());
  };
}

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_ACTIONS_HPP_
