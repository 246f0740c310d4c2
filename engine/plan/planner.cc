// The Planner: algebra nodes to operators (engine/exec/), join order and
// shapes chosen from the estimates.

#include "engine/plan/planner.h"

#include <algorithm>
#include <functional>

#include "absl/strings/str_cat.h"
#include "engine/exec/distinct_op.h"
#include "engine/exec/extend_op.h"
#include "engine/exec/filter_op.h"
#include "engine/exec/graph_ops.h"
#include "engine/exec/hash_join_op.h"
#include "engine/exec/index_scan_op.h"
#include "engine/exec/left_join_op.h"
#include "engine/exec/minus_op.h"
#include "engine/exec/nested_loop_join_op.h"
#include "engine/exec/order_by_op.h"
#include "engine/exec/project_op.h"
#include "engine/exec/property_path_op.h"
#include "engine/exec/slice_op.h"
#include "engine/exec/union_op.h"
#include "engine/exec/values_op.h"
#include "engine/plan/cardinality.h"
#include "engine/plan/certain_vars.h"
#include "engine/plan/filter_placement.h"

namespace kg::plan {

using algebra::Node;
using algebra::Slot;
using exec::DistinctOp;
using exec::ExistsPlan;
using exec::ExtendOp;
using exec::FilterOp;
using exec::GraphScope;
using exec::GraphSpec;
using exec::GraphVarOp;
using exec::HashAggregateOp;
using exec::HashJoinOp;
using exec::IdRow;
using exec::IndexScanOp;
using exec::IntersectScanOp;
using exec::kAbsent;
using exec::kUnbound;
using exec::LeftJoinOp;
using exec::MinusOp;
using exec::NamedGraphsOp;
using exec::NestedLoopJoinOp;
using exec::Operator;
using exec::OpPtr;
using exec::OrderByOp;
using exec::PathIds;
using exec::Position;
using exec::ProjectOp;
using exec::PropertyPathOp;
using exec::SingletonOp;
using exec::SliceOp;
using exec::UnionOp;
using exec::ValuesOp;

namespace {

// A pattern position as EXPLAIN shows it.
std::string SlotText(const Slot& s, const std::vector<std::string>& names) {
  if (s.is_var()) {
    const std::string& n = names[s.var];
    return n[0] == ' ' ? absl::StrCat("?_", s.var) : "?" + n;
  }
  return s.term.ToNTriples();
}

int GraphVar(const GraphSpec& g) {
  return g.kind == GraphSpec::Kind::kNamedVar ? g.var : -1;
}

// The right side of a join or OPTIONAL is a subquery when its root,
// through DISTINCT/REDUCED/ORDER BY, is a projection. It runs apart from
// the left rows when the chain below (projections, SELECT expressions and
// aggregate values, HAVING) reaches an aggregation or a LIMIT/OFFSET:
// those never take bindings from outside (CertainVars is empty for
// them), so a nested loop would compute the same rows again for every
// left row.
const Node* SubqueryBody(const Node& n) {
  const Node* x = &n;
  while (x->kind == Node::Kind::kDistinct ||
         x->kind == Node::Kind::kReduced || x->kind == Node::Kind::kOrderBy)
    x = x->children[0].get();
  return x->kind == Node::Kind::kProject ? x : nullptr;
}

// See SubqueryBody.
bool RunsApart(const Node& n) {
  const Node* x = &n;
  while (true) {
    switch (x->kind) {
      case Node::Kind::kGroup:
      case Node::Kind::kSlice:
        return true;
      case Node::Kind::kProject:
      case Node::Kind::kDistinct:
      case Node::Kind::kReduced:
      case Node::Kind::kOrderBy:
      case Node::Kind::kExtend:  // an aggregate's value, a SELECT expression
      case Node::Kind::kFilter:  // HAVING
        x = x->children[0].get();
        continue;
      default:
        return false;
    }
  }
}

// Hash join rather than nested loop: always for a right side that runs
// apart; for another subquery when the left side is expected to give
// many rows (its bindings would select little each time, and the same
// values come again: once is cheaper).
constexpr double kHashSubqueryMinLeftRows = 100;
bool HashTheRight(const Node& right, const Operator& left) {
  if (SubqueryBody(right) == nullptr) return false;
  return RunsApart(right) || left.estimate >= kHashSubqueryMinLeftRows;
}

}  // namespace

Planner::Planner(exec::QueryContext* ctx, const std::vector<std::string>& names)
    : ctx_(ctx), names_(names),
      ev_(std::make_unique<exec::Evaluator>(
          ctx, [this](const std::shared_ptr<Node>& n) {
            // EXISTS runs in the graph of the pattern it is in.
            auto it = exists_graph_.find(n.get());
            GraphSpec g = it == exists_graph_.end() ? GraphSpec{} : it->second;
            ExistsPlan p;
            p.graph_var = GraphVar(g);
            p.runs_apart = RunsApart(*n);
            p.plan = p.runs_apart ? PlanApart(*n, g) : Plan(*n, g, {});
            MentionedVars(*n, &p.mentioned);
            p.mentioned.erase(std::remove(p.mentioned.begin(),
                                          p.mentioned.end(), p.graph_var),
                              p.mentioned.end());
            return p;
          })) {}

OpPtr Planner::Plan(const Node& n, GraphSpec graph, std::vector<int> bound) {
  if (graph.kind != GraphSpec::Kind::kDefault) NoteExistsGraph(n, graph);
  switch (n.kind) {
    case Node::Kind::kUnit:
      return Singleton();
    case Node::Kind::kBgp:
      return PlanBgp(n.patterns, {}, graph, bound, Singleton());
    case Node::Kind::kFilter:
      if (n.children[0]->kind == Node::Kind::kBgp) {
        // Filters go right after the scan that binds their last variable.
        return PlanBgp(n.children[0]->patterns, n.exprs, graph, bound,
                       Singleton());
      }
      return std::make_unique<FilterOp>(
          ctx_, Plan(*n.children[0], graph, bound), n.exprs, ev_.get());
    case Node::Kind::kJoin: {
      // A BGP on the right joins by substitution into its scans directly.
      OpPtr left = Plan(*n.children[0], graph, bound);
      std::vector<int> after = bound;
      for (int v : CertainVars(*n.children[0], GraphVar(graph)))
        AddUnique(&after, v);
      const Node& right = *n.children[1];
      if (right.kind == Node::Kind::kBgp)
        return PlanBgp(right.patterns, {}, graph, after, std::move(left));
      if (HashTheRight(right, *left))
        return std::make_unique<HashJoinOp>(
            ctx_, std::move(left), PlanApart(right, graph), GraphVar(graph),
            /*optional=*/false, std::vector<algebra::Expr>{}, ev_.get());
      std::vector<int> rc = CertainVars(right, GraphVar(graph));
      OpPtr r = PlanOpenedPerRow(right, graph, IntersectVars(after, rc),
                                 left->estimate);
      return std::make_unique<NestedLoopJoinOp>(ctx_, std::move(left),
                                                std::move(r), rc);
    }
    case Node::Kind::kLeftJoin: {
      OpPtr left = Plan(*n.children[0], graph, bound);
      std::vector<int> after = bound;
      for (int v : CertainVars(*n.children[0], GraphVar(graph)))
        AddUnique(&after, v);
      if (HashTheRight(*n.children[1], *left))
        return std::make_unique<HashJoinOp>(
            ctx_, std::move(left), PlanApart(*n.children[1], graph),
            GraphVar(graph), /*optional=*/true, n.exprs, ev_.get());
      std::vector<int> rc = CertainVars(*n.children[1], GraphVar(graph));
      OpPtr r = PlanOpenedPerRow(*n.children[1], graph,
                                 IntersectVars(after, rc), left->estimate);
      return std::make_unique<LeftJoinOp>(ctx_, std::move(left),
                                          std::move(r), rc, n.exprs,
                                          ev_.get());
    }
    case Node::Kind::kUnion: {
      std::vector<int> ca = CertainVars(*n.children[0], GraphVar(graph));
      std::vector<int> cb = CertainVars(*n.children[1], GraphVar(graph));
      return std::make_unique<UnionOp>(
          ctx_, Plan(*n.children[0], graph, IntersectVars(bound, ca)),
          Plan(*n.children[1], graph, IntersectVars(bound, cb)), ca, cb);
    }
    case Node::Kind::kMinus: {
      std::vector<int> pass;
      AddUnique(&pass, GraphVar(graph));
      return std::make_unique<MinusOp>(
          ctx_, Plan(*n.children[0], graph, bound),
          Plan(*n.children[1], graph, pass), GraphVar(graph));
    }
    case Node::Kind::kExtend: {
      std::vector<int> b = bound;
      b.erase(std::remove(b.begin(), b.end(), n.var), b.end());
      return std::make_unique<ExtendOp>(
          ctx_, Plan(*n.children[0], graph, b), n.var, n.exprs[0], ev_.get(),
          VarName(n.var), n.children[0]->kind != Node::Kind::kExtend);
    }
    case Node::Kind::kValues: {
      std::vector<IdRow> rows;
      for (const auto& r : n.rows) {
        IdRow row(width(), kUnbound);
        for (size_t i = 0; i < n.vars.size(); ++i)
          if (r[i]) row[n.vars[i]] = ctx_->Encode(*r[i]);
        rows.push_back(std::move(row));
      }
      // The block's rows are held for the whole query.
      ctx_->Charge(rows.size() * (32 + width() * sizeof(TermId)));
      auto op = std::make_unique<ValuesOp>(ctx_, std::move(rows));
      op->estimate = n.rows.size();
      return op;
    }
    case Node::Kind::kGraph: {
      GraphSpec inner;
      if (n.graph.is_var()) {
        inner.kind = GraphSpec::Kind::kNamedVar;
        inner.var = n.graph.var;
      } else {
        inner.kind = GraphSpec::Kind::kNamedConst;
        inner.id = ctx_->EncodeConstant(n.graph.term);
        if (inner.id != kAbsent && ctx_->scope.named_restricted &&
            !ctx_->scope.named_set.contains(inner.id))
          inner.id = kAbsent;
      }
      const Node& child = *n.children[0];
      if (HiddenGraphSlot(n)) {
        // Enumerate the named graphs into the hidden slot, run the
        // pattern in each, then join the pattern's own ?g with it.
        const int hidden = n.var;
        inner.var = hidden;
        auto graphs = std::make_unique<NamedGraphsOp>(ctx_, hidden);
        std::vector<int> rc = CertainVars(child, hidden);
        auto join = std::make_unique<NestedLoopJoinOp>(
            ctx_, std::move(graphs), Plan(child, inner, {hidden}), rc);
        return std::make_unique<GraphVarOp>(ctx_, std::move(join),
                                            n.graph.var, hidden,
                                            VarName(n.graph.var));
      }
      bool binds_graph = child.kind == Node::Kind::kBgp &&
                         !child.patterns.empty();
      if (inner.kind == GraphSpec::Kind::kNamedVar && !binds_graph &&
          !Contains(bound, inner.var)) {
        // Enumerate the named graphs first, then run the pattern in each.
        auto graphs = std::make_unique<NamedGraphsOp>(ctx_, inner.var);
        std::vector<int> b = bound;
        AddUnique(&b, inner.var);
        std::vector<int> rc = CertainVars(child, inner.var);
        AddUnique(&rc, inner.var);
        return std::make_unique<NestedLoopJoinOp>(ctx_, std::move(graphs),
                                                  Plan(child, inner, b), rc);
      }
      if (inner.kind == GraphSpec::Kind::kNamedConst &&
          child.kind == Node::Kind::kUnit) {
        // GRAPH <g> {}: one empty solution if the graph exists.
        bool exists = inner.id != kAbsent && ctx_->stats->graphs.contains(inner.id);
        if (!exists) return std::make_unique<ValuesOp>(ctx_, std::vector<IdRow>{});
      }
      return Plan(child, inner, bound);
    }
    case Node::Kind::kGroup: {
      // Inside GRAPH ?g the group is per graph: the graph slot is the
      // one binding the seed passes down.
      std::vector<int> pass;
      AddUnique(&pass, GraphVar(graph));
      auto op = std::make_unique<HashAggregateOp>(
          ctx_, Plan(*n.children[0], graph, pass), &n, ev_.get(), pass);
      op->set_count_runs(CountRunsFor(n, graph));
      op->set_statistics_count(StatisticsCountFor(n, graph));
      return op;
    }
    case Node::Kind::kOrderBy: {
      auto k = top_k_.find(&n);
      return std::make_unique<OrderByOp>(
          ctx_, Plan(*n.children[0], graph, bound), n.order, ev_.get(),
          k == top_k_.end() ? std::nullopt
                            : std::optional<uint64_t>(k->second));
    }
    case Node::Kind::kProject: {
      // The graph slot of an enclosing GRAPH ?g passes through.
      std::vector<int> vars = n.vars;
      AddUnique(&vars, GraphVar(graph));
      return std::make_unique<ProjectOp>(
          ctx_, Plan(*n.children[0], graph, IntersectVars(bound, vars)), vars,
          width());
    }
    case Node::Kind::kDistinct:
    case Node::Kind::kReduced:
      return std::make_unique<DistinctOp>(
          ctx_, Plan(*n.children[0], graph, bound),
          n.kind == Node::Kind::kReduced);
    case Node::Kind::kSlice: {
      // ORDER BY under LIMIT (through a projection, which keeps the row
      // count) only needs the first offset + limit rows sorted.
      const Node* below = n.children[0].get();
      if (below->kind == Node::Kind::kProject) below = below->children[0].get();
      if (below->kind == Node::Kind::kOrderBy && n.limit)
        top_k_[below] = n.offset > UINT64_MAX - *n.limit
                            ? UINT64_MAX
                            : n.offset + *n.limit;
      return std::make_unique<SliceOp>(ctx_, Plan(*n.children[0], graph, {}),
                                       n.offset, n.limit);
    }
  }
  return Singleton();
}

OpPtr Planner::PlanApart(const Node& right, const GraphSpec& graph) {
  std::vector<int> pass;
  AddUnique(&pass, GraphVar(graph));
  return Plan(right, graph, pass);
}

OpPtr Planner::Singleton() { return std::make_unique<SingletonOp>(ctx_); }

OpPtr Planner::PlanOpenedPerRow(const Node& n, const GraphSpec& graph,
                                std::vector<int> bound, double rows) {
  const double outer = opens_;
  opens_ *= std::max(1.0, rows);
  OpPtr op = Plan(n, graph, std::move(bound));
  opens_ = outer;
  return op;
}

std::string Planner::VarName(int v) const {
  return names_[v][0] == ' ' ? absl::StrCat("?_", v) : "?" + names_[v];
}

Position Planner::Resolve(const Slot& s) {
  if (s.is_var()) return {s.var, kUnbound};
  return {-1, ctx_->EncodeConstant(s.term)};
}

// Basic graph patterns with more patterns than this are ordered without
// the one-step lookahead, among the patterns connected to what is bound
// (see PlanBgp): quadratic lookahead over 20,000 patterns never ended.
constexpr size_t kLookaheadMaxPatterns = 64;

OpPtr Planner::PlanBgp(const std::vector<algebra::Pattern>& patterns,
                        const std::vector<algebra::Expr>& conjunctions,
                        GraphSpec graph, std::vector<int> bound,
                        OpPtr input) {
  // Each conjunct of the FILTERs is placed on its own, as soon as its
  // variables are bound.
  FilterPlacement filters(conjunctions);
  std::vector<bool> used(patterns.size(), false);
  const double input_rows = input ? std::max(1.0, input->estimate) : 1.0;
  OpPtr op = std::move(input);
  double rows = 1;
  // Which variables are bound, as a mask beside `bound` (a lookup per slot
  // instead of a search: a path sequence of 20,000 steps is a BGP of
  // 20,000 patterns). For such large BGPs the one-step lookahead is off
  // and only patterns that share a bound variable are candidates (all of
  // them when none does): ordering stays near-linear for chains, and the
  // query's time limit is checked while ordering (issue 17).
  std::vector<char> is_bound(width(), 0);
  for (int v : bound)
    if (v >= 0 && static_cast<size_t>(v) < is_bound.size()) is_bound[v] = 1;
  auto var_bound = [&](int v) { return v >= 0 && is_bound[v] != 0; };
  const bool large = patterns.size() > kLookaheadMaxPatterns;
  std::vector<std::vector<size_t>> by_var;  // large: var -> its patterns
  std::vector<size_t> frontier;             // large: connected candidates
  std::vector<char> in_frontier(patterns.size(), 0);
  if (large) {
    by_var.resize(width());
    for (size_t i = 0; i < patterns.size(); ++i)
      for (const Slot* sl : {&patterns[i].subject, &patterns[i].predicate,
                             &patterns[i].object})
        if (sl->is_var()) by_var[sl->var].push_back(i);
  }
  auto reach = [&](int v) {  // patterns of a newly bound variable
    if (!large) return;
    for (size_t j : by_var[v])
      if (!used[j] && !in_frontier[j]) {
        in_frontier[j] = 1;
        frontier.push_back(j);
      }
  };
  auto bind = [&](int v) {
    if (v < 0 || is_bound[v]) return;
    is_bound[v] = 1;
    bound.push_back(v);
    reach(v);
  };
  for (int v : bound)
    if (v >= 0) reach(v);
  size_t left = patterns.size();
  bool hurry = false;  // past the time limit: keep the written order
  while (left > 0) {
    size_t best = SIZE_MAX;
    double best_est = -1, best_score = -1;
    auto consider = [&](size_t i) {
      if (used[i]) return;
      if (hurry || !ctx_->Tick()) {
        hurry = true;
        if (best == SIZE_MAX) best = i;
        return;
      }
      double e = EstimatePatternRows(ctx_, patterns[i], var_bound);
      double lookahead = 1;
      if (e > 1 && !large) {
        // One step of lookahead: a pattern that fans out is worth it when
        // the variables it binds make another pattern selective (a join
        // that filters), not when they only feed more fan-out.
        std::vector<int> after = bound;
        for (const Slot* sl : {&patterns[i].subject, &patterns[i].predicate,
                               &patterns[i].object})
          if (sl->is_var()) AddUnique(&after, sl->var);
        double next = 1;
        for (size_t j = 0; j < patterns.size(); ++j) {
          if (j == i || used[j]) continue;
          bool uses_new = false;
          for (const Slot* sl : {&patterns[j].subject, &patterns[j].predicate,
                                 &patterns[j].object})
            if (sl->is_var() && !var_bound(sl->var) &&
                Contains(after, sl->var))
              uses_new = true;
          if (uses_new)
            next = std::min(next,
                            EstimatePatternRows(ctx_, patterns[j], after));
        }
        lookahead = std::max(next, 0.01);
      }
      bool connected = false;
      for (const Slot* s : {&patterns[i].subject, &patterns[i].predicate,
                            &patterns[i].object})
        if (s->is_var() && var_bound(s->var)) connected = true;
      if (!connected && !bound.empty()) e *= 1000;  // avoid cross products
      // A range FILTER on the object makes a predicate scan selective.
      const algebra::Pattern& cand = patterns[i];
      if (!cand.path && !cand.predicate.is_var() && cand.object.is_var() &&
          !var_bound(cand.object.var) &&
          (!cand.subject.is_var() || !var_bound(cand.subject.var)) &&
          ObjectRangeFor(cand.object.var, filters.conjuncts()))
        e *= 0.05;
      // Chosen by rows after this pattern and the most selective one it
      // enables; near-ties go to the pattern that produces fewer rows
      // itself (less work for the same result).
      double score = e * lookahead;
      if (best_est < 0 || score < best_score * 0.9 ||
          (score <= best_score * 1.1 && e < best_est)) {
        best_est = e;
        best_score = score;
        best = i;
      }
    };
    if (large) {
      // Drop placed patterns from the frontier, then pick among it.
      size_t keep = 0;
      for (size_t j : frontier)
        if (!used[j]) frontier[keep++] = j;
      frontier.resize(keep);
      for (size_t j : frontier) consider(j);
    }
    if (best == SIZE_MAX)
      for (size_t i = 0; i < patterns.size(); ++i) consider(i);
    --left;
    used[best] = true;
    const algebra::Pattern& p = patterns[best];
    Position pos[3] = {Resolve(p.subject), Resolve(p.predicate),
                       Resolve(p.object)};
    std::string text = absl::StrCat(
        SlotText(p.subject, names_), " ",
        p.path ? "<path>" : SlotText(p.predicate, names_), " ",
        SlotText(p.object, names_));
    if (graph.kind == GraphSpec::Kind::kNamedVar)
      absl::StrAppend(&text, "  graph=", VarName(graph.var));
    if (graph.kind == GraphSpec::Kind::kNamedConst)
      absl::StrAppend(&text, "  graph=(constant)");
    if (p.path) {
      // A constant end the store lacks still matches a zero-length path
      // to itself, so it gets a (temporary) id rather than kAbsent.
      for (int k : {0, 2}) {
        const Slot& end = k == 0 ? p.subject : p.object;
        if (!end.is_var()) pos[k].id = ctx_->Encode(end.term);
      }
      PathIds ids = ResolvePath(*p.path);
      op = std::make_unique<PropertyPathOp>(ctx_, std::move(op), pos[0],
                                            std::move(ids), pos[2], graph,
                                            text);
    } else if (auto closers = ClosingPatterns(patterns, best, used, graph,
                                              bound);
               !closers.empty()) {
      // Patterns that close a cycle through the variable this one binds
      // join it by intersection (worst-case-optimal step).
      const bool subj = p.subject.is_var() && !Contains(bound, p.subject.var);
      const int v = subj ? p.subject.var : p.object.var;
      std::vector<IntersectScanOp::Part> parts;
      std::string desc = VarName(v) + ": " + text;
      std::vector<int> with_v = bound;
      AddUnique(&with_v, v);
      for (size_t j : closers) {
        used[j] = true;
        --left;
        const algebra::Pattern& c = patterns[j];
        best_est *= std::min(1.0, EstimatePatternRows(ctx_, c, with_v));
        absl::StrAppend(&desc, " ∩ ", SlotText(c.subject, names_), " ",
                        SlotText(c.predicate, names_), " ",
                        SlotText(c.object, names_));
      }
      for (size_t j : closers) parts.push_back(PartOf(patterns[j], v));
      parts.insert(parts.begin(), PartOf(p, v));
      op = std::make_unique<IntersectScanOp>(ctx_, std::move(op), v,
                                             std::move(parts), desc);
      for (size_t j : closers)
        for (const Slot* sl : {&patterns[j].subject, &patterns[j].object})
          if (sl->is_var()) bind(sl->var);
    } else {
      auto scan =
          std::make_unique<IndexScanOp>(ctx_, std::move(op), pos, graph, text);
      // Rows in over the whole query: per open of this BGP, the rows so
      // far (times the input's, for a join's right side), times the opens.
      const double inputs = opens_ * input_rows * rows;
      scan->set_forecast(inputs, inputs * std::max(best_est, 0.001));
      unsigned mask = 0;
      if (!p.subject.is_var() || var_bound(p.subject.var)) mask |= 1;
      if (!p.predicate.is_var() || var_bound(p.predicate.var)) mask |= 2;
      if (!p.object.is_var() || var_bound(p.object.var)) mask |= 4;
      if (graph.kind == GraphSpec::Kind::kNamedConst ||
          (graph.kind == GraphSpec::Kind::kNamedVar &&
           var_bound(graph.var)) ||
          (graph.kind == GraphSpec::Kind::kDefault &&
           ctx_->scope.default_kind == GraphScope::DefaultKind::kStoreDefault))
        mask |= 8;
      scan->set_bound_mask(mask);
      if ((mask & 7) == 2 && p.object.is_var()) {
        auto range = ObjectRangeFor(p.object.var, filters.conjuncts());
        if (range) best_est *= 0.3;
        scan->set_object_range(std::move(range));
      }
      op = std::move(scan);
    }
    rows *= std::max(best_est, 0.001);
    op->estimate = rows;
    for (const Slot* s : {&p.subject, &p.predicate, &p.object})
      if (s->is_var()) bind(s->var);
    if (graph.kind == GraphSpec::Kind::kNamedVar) bind(graph.var);
    // Push each filter whose variables are now all bound.
    std::vector<algebra::Expr> ready = filters.TakeReady(bound);
    if (!ready.empty()) {
      op = std::make_unique<FilterOp>(ctx_, std::move(op), std::move(ready),
                                      ev_.get());
      rows *= 0.5;
      op->estimate = rows;
    }
  }
  std::vector<algebra::Expr> rest = filters.Rest();
  if (!rest.empty()) {
    op = std::make_unique<FilterOp>(ctx_, std::move(op), std::move(rest),
                                    ev_.get());
    op->estimate = rows * 0.5;
  }
  return op;
}

std::optional<HashAggregateOp::CountRuns> Planner::CountRunsFor(
    const Node& n, const GraphSpec& graph) {
  using K = algebra::Expr::Kind;
  if (graph.kind != GraphSpec::Kind::kDefault ||
      ctx_->scope.default_kind == GraphScope::DefaultKind::kSet)
    return std::nullopt;
  const Node& child = *n.children[0];
  if (child.kind != Node::Kind::kBgp || child.patterns.size() != 1 ||
      n.group_exprs.size() != 1 || n.group_exprs[0].kind != K::kVar ||
      n.aggregates.empty())
    return std::nullopt;
  const algebra::Pattern& p = child.patterns[0];
  if (p.path || p.predicate.is_var() || !p.subject.is_var() ||
      !p.object.is_var() || p.subject.var == p.object.var)
    return std::nullopt;
  const int key = n.group_exprs[0].var;
  if (key != p.subject.var && key != p.object.var) return std::nullopt;
  for (const auto& a : n.aggregates) {
    if (a.name != "COUNT" || a.distinct) return std::nullopt;
    if (!a.star && (!a.arg || a.arg->kind != K::kVar ||
                    (a.arg->var != p.subject.var &&
                     a.arg->var != p.object.var)))
      return std::nullopt;
  }
  HashAggregateOp::CountRuns runs;
  runs.predicate = ctx_->EncodeConstant(p.predicate.term);
  if (runs.predicate == kAbsent) return std::nullopt;
  runs.key_is_subject = key == p.subject.var;
  return runs;
}

std::optional<HashAggregateOp::StatisticsCount> Planner::StatisticsCountFor(
    const Node& n, const GraphSpec& graph) {
  using K = algebra::Expr::Kind;
  using Counts = HashAggregateOp::StatisticsCount::Counts;
  if (graph.kind != GraphSpec::Kind::kDefault ||
      ctx_->scope.default_kind == GraphScope::DefaultKind::kSet)
    return std::nullopt;
  const Node& child = *n.children[0];
  if (child.kind != Node::Kind::kBgp || child.patterns.size() != 1 ||
      n.aggregates.empty() || n.group_exprs.size() > 1)
    return std::nullopt;
  const algebra::Pattern& p = child.patterns[0];
  // ?s ?p ?o, ?s <p> ?o or ?s <p> <o>, three different variables.
  const bool object_bound = !p.object.is_var();
  if (p.path || !p.subject.is_var() ||
      (object_bound && p.predicate.is_var()) ||
      (!object_bound && p.subject.var == p.object.var) ||
      (p.predicate.is_var() && (p.predicate.var == p.subject.var ||
                                p.predicate.var == p.object.var)))
    return std::nullopt;
  HashAggregateOp::StatisticsCount sc;
  sc.strict_default =
      ctx_->scope.default_kind == GraphScope::DefaultKind::kStoreDefault;
  if (!p.predicate.is_var())
    sc.predicate = ctx_->EncodeConstant(p.predicate.term);
  if (object_bound) sc.object = ctx_->EncodeConstant(p.object.term);
  if (n.group_exprs.size() == 1) {
    if (n.group_exprs[0].kind != K::kVar || object_bound) return std::nullopt;
    const int g = n.group_exprs[0].var;
    if (p.predicate.is_var() && g == p.predicate.var) {
      sc.per_predicate = true;
    } else if (!p.predicate.is_var() && g == p.object.var) {
      sc.per_object = true;
    } else {
      return std::nullopt;
    }
  }
  const bool one_predicate = sc.per_predicate || !p.predicate.is_var();
  for (const auto& a : n.aggregates) {
    if (a.name != "COUNT") return std::nullopt;
    if (a.star && !a.distinct) {
      sc.counts.push_back(Counts::kQuads);
      continue;
    }
    if (a.star || !a.arg || a.arg->kind != K::kVar) return std::nullopt;
    const int v = a.arg->var;
    const bool is_s = v == p.subject.var;
    const bool is_o = !object_bound && v == p.object.var;
    const bool is_p = p.predicate.is_var() && v == p.predicate.var;
    if (!is_s && !is_o && !is_p) return std::nullopt;
    if (!a.distinct) {
      sc.counts.push_back(Counts::kQuads);  // bound in every row
    } else if (one_predicate && is_s) {
      sc.counts.push_back(Counts::kDistinctSubjects);
    } else if (one_predicate && is_o) {
      sc.counts.push_back(Counts::kDistinctObjects);
    } else {
      return std::nullopt;
    }
  }
  // As the operator will judge it, on the statistics at hand.
  const StoreStatistics& stats = *ctx_->stats;
  if (sc.strict_default) {
    for (const auto& [g, quads] : stats.graphs)
      if (g != kDefaultGraph && quads > 0) return std::nullopt;
  } else if (stats.graphs.size() > 1) {
    return std::nullopt;
  }
  // Per-object counts are kept for some predicates only.
  if ((sc.per_object || object_bound) &&
      !stats.QuadsWithObject(sc.predicate, sc.object).has_value())
    return std::nullopt;
  return sc;
}

bool Planner::Intersectable(const algebra::Pattern& p, int v,
                            const std::vector<int>& bound) {
  if (p.path || p.predicate.is_var()) return false;
  const bool s_is_v = p.subject.is_var() && p.subject.var == v;
  const bool o_is_v = p.object.is_var() && p.object.var == v;
  if (s_is_v == o_is_v) return false;
  const Slot& other = s_is_v ? p.object : p.subject;
  return !other.is_var() || Contains(bound, other.var);
}

std::vector<size_t> Planner::ClosingPatterns(
    const std::vector<algebra::Pattern>& patterns, size_t best,
    const std::vector<bool>& used, const GraphSpec& graph,
    const std::vector<int>& bound) {
  if (graph.kind != GraphSpec::Kind::kDefault ||
      ctx_->scope.default_kind == GraphScope::DefaultKind::kSet)
    return {};
  const algebra::Pattern& p = patterns[best];
  const bool s_new = p.subject.is_var() && !Contains(bound, p.subject.var);
  const bool o_new = p.object.is_var() && !Contains(bound, p.object.var);
  if (s_new == o_new) return {};
  const int v = s_new ? p.subject.var : p.object.var;
  if (!Intersectable(p, v, bound)) return {};
  std::vector<size_t> out;
  for (size_t j = 0; j < patterns.size(); ++j)
    if (j != best && !used[j] && Intersectable(patterns[j], v, bound))
      out.push_back(j);
  return out;
}

IntersectScanOp::Part Planner::PartOf(const algebra::Pattern& p, int v) {
  IntersectScanOp::Part part;
  part.predicate = ctx_->EncodeConstant(p.predicate.term);
  part.var_is_subject = p.subject.is_var() && p.subject.var == v;
  part.other = Resolve(part.var_is_subject ? p.object : p.subject);
  return part;
}

void Planner::NoteExistsGraph(const Node& n, const GraphSpec& graph) {
  std::function<void(const algebra::Expr&)> walk =
      [&](const algebra::Expr& e) {
        if (e.pattern) exists_graph_[e.pattern.get()] = graph;
        for (const auto& a : e.args) walk(a);
      };
  for (const auto& e : n.exprs) walk(e);
  for (const auto& e : n.group_exprs) walk(e);
  for (const auto& a : n.aggregates)
    if (a.arg) walk(*a.arg);
  for (const auto& k : n.order) walk(k.expr);
}

PathIds Planner::ResolvePath(const algebra::Path& p) {
  PathIds out;
  out.kind = p.kind;
  if (p.kind == ast::Path::Kind::kIri) out.iri = ctx_->EncodeConstant(p.iri);
  for (const auto& c : p.children) out.children.push_back(ResolvePath(c));
  for (const auto& [iri, inv] : p.negated)
    out.negated.emplace_back(ctx_->EncodeConstant(iri), inv);
  return out;
}

}  // namespace kg::plan
