// Splitting FILTERs into conjuncts, placing each once its variables are
// bound, and reading object ranges off range conditions.

#include "engine/plan/filter_placement.h"

#include <functional>

#include "engine/plan/certain_vars.h"

namespace kg::plan {
namespace {

// The variables of `e` into *out; *has_exists when it has an EXISTS.
void CollectVars(const algebra::Expr& e, std::vector<int>* out,
                 bool* has_exists) {
  if (e.kind == algebra::Expr::Kind::kVar) AddUnique(out, e.var);
  if (e.kind == algebra::Expr::Kind::kExists ||
      e.kind == algebra::Expr::Kind::kNotExists)
    *has_exists = true;
  // BOUND(?x) must see ?x unbound when it is: not pushed below its scan
  // either way, since all variables are bound when pushed.
  for (const auto& a : e.args) CollectVars(a, out, has_exists);
}

}  // namespace

FilterPlacement::FilterPlacement(const std::vector<algebra::Expr>& filters) {
  std::function<void(const algebra::Expr&)> split =
      [&](const algebra::Expr& e) {
        if (e.kind == algebra::Expr::Kind::kAnd) {
          for (const auto& a : e.args) split(a);
        } else {
          conjuncts_.push_back(e);
        }
      };
  for (const auto& f : filters) split(f);
  placed_.assign(conjuncts_.size(), false);
}

std::vector<algebra::Expr> FilterPlacement::TakeReady(
    const std::vector<int>& bound) {
  std::vector<algebra::Expr> ready;
  for (size_t f = 0; f < conjuncts_.size(); ++f) {
    if (placed_[f]) continue;
    std::vector<int> vars;
    bool exists = false;
    CollectVars(conjuncts_[f], &vars, &exists);
    bool all = !exists;
    for (int v : vars)
      if (!Contains(bound, v)) all = false;
    if (all) {
      ready.push_back(conjuncts_[f]);
      placed_[f] = true;
    }
  }
  return ready;
}

std::vector<algebra::Expr> FilterPlacement::Rest() const {
  std::vector<algebra::Expr> rest;
  for (size_t f = 0; f < conjuncts_.size(); ++f)
    if (!placed_[f]) rest.push_back(conjuncts_[f]);
  return rest;
}

std::optional<exec::ObjectRange> ObjectRangeFor(
    int var, const std::vector<algebra::Expr>& filters) {
  using K = algebra::Expr::Kind;
  enum class Kind { kNone, kNumber, kDate } kind = Kind::kNone;
  std::optional<__int128> num_lo, num_hi;
  std::optional<TermId> date_lo, date_hi;
  std::function<void(const algebra::Expr&)> visit =
      [&](const algebra::Expr& e) {
        if (e.kind == K::kAnd) {
          for (const auto& a : e.args) visit(a);
          return;
        }
        if (e.kind != K::kLt && e.kind != K::kLe && e.kind != K::kGt &&
            e.kind != K::kGe)
          return;
        if (e.args.size() != 2) return;
        const algebra::Expr *v = &e.args[0], *c = &e.args[1];
        bool upper = e.kind == K::kLt || e.kind == K::kLe;  // ?o < c
        if (v->kind == K::kConstant && c->kind == K::kVar) {
          std::swap(v, c);
          upper = !upper;  // c < ?o is ?o > c
        }
        if (v->kind != K::kVar || v->var != var || c->kind != K::kConstant)
          return;
        auto id = TryInline(c->term);
        if (!id) return;
        if (auto scaled = InlineNumericScaled(*id)) {
          if (kind == Kind::kDate) return;
          kind = Kind::kNumber;
          // Inclusive bounds: the FILTER stays and decides strictness.
          auto& b = upper ? num_hi : num_lo;
          if (!b || (upper ? *scaled < *b : *scaled > *b)) b = *scaled;
        } else if (TagOf(*id) == TermTag::kInlineDate) {
          if (kind == Kind::kNumber) return;
          kind = Kind::kDate;
          auto& b = upper ? date_hi : date_lo;
          if (!b || (upper ? *id < *b : *id > *b)) b = *id;
        }
      };
  for (const auto& f : filters) visit(f);
  if (kind == Kind::kNone) return std::nullopt;
  exec::ObjectRange range;
  if (kind == Kind::kDate) {
    exec::ObjectRange::Part part{TermTag::kInlineDate};
    part.lo = date_lo.value_or(MakeId(TermTag::kInlineDate, 0));
    part.hi = date_hi.value_or(MakeId(TermTag::kInlineDate, kPayloadMask));
    part.empty = part.lo > part.hi;
    range.parts.push_back(part);
    return range;
  }
  for (TermTag tag : {TermTag::kInlineInteger, TermTag::kInlineDecimal}) {
    exec::ObjectRange::Part part{tag};
    part.empty =
        !InlineNumericIdRange(tag, num_lo, num_hi, &part.lo, &part.hi);
    range.parts.push_back(part);
  }
  return range;
}

}  // namespace kg::plan
