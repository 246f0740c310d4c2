// The expression evaluator: comparisons answered on ids where the ids
// order like the values, builtin functions through query/functions.h, EXISTS
// through the planner's subplans (once per graph when they run apart).

#include "engine/exec/evaluator.h"

#include "storage/rdf/iri.h"

namespace kg::exec {

Value Evaluator::Eval(const algebra::Expr& e, const IdRow& row) {
  using K = algebra::Expr::Kind;
  switch (e.kind) {
    case K::kVar:
      return ctx_->Decode(row[e.var]);
    case K::kConstant:
      return e.term;
    case K::kOr:
    case K::kAnd:
    case K::kNot:
    case K::kEq:
    case K::kNe:
    case K::kLt:
    case K::kGt:
    case K::kLe:
    case K::kGe: {
      const std::optional<bool> t = Truth(e, row);
      if (!t) return std::nullopt;
      return Bool(*t);
    }
    case K::kAdd: return Arith(ArithOp::kAdd, e, row);
    case K::kSub: return Arith(ArithOp::kSub, e, row);
    case K::kMul: return Arith(ArithOp::kMul, e, row);
    case K::kDiv: return Arith(ArithOp::kDiv, e, row);
    case K::kNegate: return Negate(Eval(e.args[0], row));
    case K::kUnaryPlus: return UnaryPlus(Eval(e.args[0], row));
    case K::kIn:
    case K::kNotIn: {
      Value a = Eval(e.args[0], row);
      bool error = false;
      for (size_t i = 1; i < e.args.size(); ++i) {
        auto eq = Compare(CompareOp::kEq, a, Eval(e.args[i], row));
        if (!eq) {
          error = true;
        } else if (*eq) {
          return Bool(e.kind == K::kIn);
        }
      }
      if (error) return std::nullopt;
      return Bool(e.kind == K::kNotIn);
    }
    case K::kExists:
    case K::kNotExists: {
      bool found = Exists(e, row);
      return Bool(e.kind == K::kExists ? found : !found);
    }
    case K::kFunction:
      return Call(e, row);
    case K::kAggregate:
      return std::nullopt;  // replaced by slots during translation
  }
  return std::nullopt;
}

std::optional<bool> Evaluator::Truth(const algebra::Expr& e,
                                     const IdRow& row) {
  using K = algebra::Expr::Kind;
  switch (e.kind) {
    case K::kOr: {
      const auto a = Truth(e.args[0], row);
      if (a && *a) return true;
      const auto b = Truth(e.args[1], row);
      if (b && *b) return true;
      if (a && b) return false;
      return std::nullopt;
    }
    case K::kAnd: {
      const auto a = Truth(e.args[0], row);
      if (a && !*a) return false;
      const auto b = Truth(e.args[1], row);
      if (b && !*b) return false;
      if (a && b) return true;
      return std::nullopt;
    }
    case K::kNot: {
      const auto a = Truth(e.args[0], row);
      if (!a) return std::nullopt;
      return !*a;
    }
    case K::kEq: return CmpTruth(CompareOp::kEq, e, row);
    case K::kNe: return CmpTruth(CompareOp::kNe, e, row);
    case K::kLt: return CmpTruth(CompareOp::kLt, e, row);
    case K::kGt: return CmpTruth(CompareOp::kGt, e, row);
    case K::kLe: return CmpTruth(CompareOp::kLe, e, row);
    case K::kGe: return CmpTruth(CompareOp::kGe, e, row);
    default:
      return EffectiveBooleanValue(Eval(e, row));
  }
}

Term Evaluator::Bool(bool b) {
  return Term::Literal(b ? "true" : "false", std::string(kXsdBoolean));
}

bool Evaluator::Holds(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kEq: return c == 0;
    case CompareOp::kNe: return c != 0;
    case CompareOp::kLt: return c < 0;
    case CompareOp::kGt: return c > 0;
    case CompareOp::kLe: return c <= 0;
    case CompareOp::kGe: return c >= 0;
  }
  return false;
}

std::optional<bool> Evaluator::CmpTruth(CompareOp op,
                                        const algebra::Expr& e,
                                        const IdRow& row) {
  // Same id: same term (ids are canonical), equal without decoding.
  if (op == CompareOp::kEq || op == CompareOp::kNe) {
    TermId a = IdOf(e.args[0], row), b = IdOf(e.args[1], row);
    if (a != kUnbound && a == b) return op == CompareOp::kEq;
    // Different terms, one of them an IRI or a blank node: RDFterm-equal is
    // false (it is an error only between two literals), so no decoding is
    // needed: FILTER(?x != <iri>) over a traversal's rows compares ids.
    const NodeId x = NodeIdOf(e.args[0], row), y = NodeIdOf(e.args[1], row);
    if (x.id != kUnbound && y.id != kUnbound && x.id != y.id &&
        (x.is_node || y.is_node))
      return op == CompareOp::kNe;
  }
  // Two inline numbers (xsd:integer or xsd:decimal, exact) or two inline
  // dates: compared on their ids, no decoding.
  {
    const TermId a = InlineIdOf(e.args[0], row),
                 b = InlineIdOf(e.args[1], row);
    std::optional<int> c;
    if (a != kUnbound && b != kUnbound) {
      if (auto x = InlineNumericScaled(a)) {
        if (auto y = InlineNumericScaled(b))
          c = *x < *y ? -1 : *x > *y ? 1 : 0;
      } else if (TagOf(a) == TermTag::kInlineDate &&
                 TagOf(b) == TermTag::kInlineDate) {
        c = a < b ? -1 : a > b ? 1 : 0;
      }
    }
    if (c) return Holds(op, *c);
  }
  // STR(?x) op STR(?y) over stored IRIs and literals: both sides are
  // simple literals whose order is that of the lexical forms' code
  // points, which UTF-8 byte order preserves. Compared in place.
  if (std::optional<int> c = CompareStrOfVars(e, row)) return Holds(op, *c);
  return Compare(op, Eval(e.args[0], row), Eval(e.args[1], row));
}

std::optional<int> Evaluator::CompareStrOfVars(const algebra::Expr& e,
                                               const IdRow& row) {
  TermId ids[2];
  for (int i = 0; i < 2; ++i) {
    const algebra::Expr& a = e.args[i];
    if (a.kind != algebra::Expr::Kind::kFunction || a.name != "STR" ||
        a.args.size() != 1 || a.args[0].kind != algebra::Expr::Kind::kVar)
      return std::nullopt;
    ids[i] = row[a.args[0].var];
    const TermTag tag = TagOf(ids[i]);
    if (ids[i] == kUnbound || ids[i] == kAbsent ||
        (tag != TermTag::kIri && tag != TermTag::kSimpleLiteral &&
         tag != TermTag::kLangLiteral && tag != TermTag::kTypedLiteral))
      return std::nullopt;
  }
  if (ids[0] == ids[1]) return 0;
  return ctx_->CompareLexical(ids[0], ids[1]);
}

Evaluator::NodeId Evaluator::NodeIdOf(const algebra::Expr& e,
                                      const IdRow& row) {
  NodeId out;
  if (e.kind == algebra::Expr::Kind::kVar) {
    out.id = row[e.var];
    if (out.id == kAbsent) out.id = kUnbound;
    const TermTag tag = TagOf(out.id);
    out.is_node = tag == TermTag::kIri || tag == TermTag::kBlankNode;
    return out;
  }
  if (e.kind != algebra::Expr::Kind::kConstant || !e.term.is_iri()) return out;
  auto it = node_constant_ids_.find(&e);
  if (it == node_constant_ids_.end())
    it = node_constant_ids_.emplace(&e, ctx_->Encode(e.term)).first;
  out.id = it->second;
  out.is_node = true;
  return out;
}

TermId Evaluator::InlineIdOf(const algebra::Expr& e, const IdRow& row) {
  if (e.kind == algebra::Expr::Kind::kVar)
    return IsInline(row[e.var]) ? row[e.var] : kUnbound;
  if (e.kind != algebra::Expr::Kind::kConstant) return kUnbound;
  auto it = constant_ids_.find(&e);
  if (it == constant_ids_.end())
    it = constant_ids_.emplace(&e, TryInline(e.term).value_or(kUnbound))
             .first;
  return it->second;
}

Value Evaluator::Arith(ArithOp op, const algebra::Expr& e,
                       const IdRow& row) {
  return Arithmetic(op, Eval(e.args[0], row), Eval(e.args[1], row));
}

bool Evaluator::Exists(const algebra::Expr& e, const IdRow& row) {
  auto it = exists_plans_.find(&e);
  if (it == exists_plans_.end())
    it = exists_plans_
             .emplace(&e, ExistsState{subplans_(e.pattern), nullptr, {}})
             .first;
  ExistsState& st = it->second;
  if (st.p.runs_apart) {
    if (st.side == nullptr)
      st.side = std::make_unique<MaterializedSide>(ctx_, st.p.plan.get(),
                                                   st.p.graph_var);
    bool found = false;
    st.side->ForEachCompatible(row, /*require_shared=*/false,
                               [&](const IdRow&) {
                                 found = true;
                                 return false;
                               });
    return found;
  }
  bool uncorrelated = true;
  for (int v : st.p.mentioned)
    if (row[v] != kUnbound) uncorrelated = false;
  const TermId graph = st.p.graph_var >= 0 ? row[st.p.graph_var] : kUnbound;
  if (uncorrelated) {
    auto known = st.answers.find(graph);
    if (known != st.answers.end()) return known->second;
  }
  st.p.plan->Open(row);
  IdRow out;
  const bool found = st.p.plan->Next(&out);
  if (uncorrelated && ctx_->ok()) st.answers.emplace(graph, found);
  return found;
}

Value Evaluator::Call(const algebra::Expr& e, const IdRow& row) {
  const std::string& name = e.name;
  if (name == "BOUND") {
    if (e.args.empty() || e.args[0].kind != algebra::Expr::Kind::kVar)
      return std::nullopt;
    return Bool(row[e.args[0].var] != kUnbound);
  }
  if (name == "IF") {
    if (e.args.size() != 3) return std::nullopt;
    auto c = EffectiveBooleanValue(Eval(e.args[0], row));
    if (!c) return std::nullopt;
    return Eval(e.args[*c ? 1 : 2], row);
  }
  if (name == "COALESCE") {
    for (const auto& a : e.args) {
      Value v = Eval(a, row);
      if (v) return v;
    }
    return std::nullopt;
  }
  std::vector<Value> args;
  args.reserve(e.args.size());
  for (const auto& a : e.args) args.push_back(Eval(a, row));
  if ((name == "IRI" || name == "URI") && args.size() == 1 && args[0] &&
      args[0]->is_literal() && !ctx_->options.base_iri.empty() &&
      !rdf_internal::IsAbsoluteIri(args[0]->lexical)) {
    // A relative IRI resolves against the query's base (17.4.2.8).
    Value plain = CallFunction(name, args, ctx_->fn);  // checks the type
    if (!plain) return plain;
    std::string resolved;
    rdf_internal::ResolveIri(ctx_->options.base_iri, args[0]->lexical,
                             &resolved);
    return Term::Iri(resolved);
  }
  Value v = CallFunction(name, args, ctx_->fn);
  if (ctx_->fn.string_too_long) {
    ctx_->Fail(absl::ResourceExhaustedError(absl::StrCat(
        name, " would compute a string longer than ",
        ctx_->fn.max_string_bytes,
        " bytes (the longest a query may compute: 256 MiB, or the memory "
        "limit when lower)")));
  }
  return v;
}

}  // namespace kg::exec
