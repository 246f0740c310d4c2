// AST -> SPARQL algebra, following section 18.2 of SPARQL 1.1.

#include "query/algebra.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace kg::algebra {
namespace {

using NodePtr = std::shared_ptr<Node>;

NodePtr MakeNode(Node::Kind kind) {
  auto n = std::make_shared<Node>();
  n->kind = kind;
  return n;
}

// A UNION of branches [begin, end) as a balanced tree of binary unions, in
// branch order: a query of 20,000 branches is 15 levels deep, not 20,000,
// so every recursive stage after this one (planner, operators, EXPLAIN)
// stays shallow, and whatever they compute per level is not repeated for
// each branch (a left-deep tree made the planner quadratic; issue 17).
NodePtr BalancedUnion(const std::vector<NodePtr>& branches, size_t begin,
                      size_t end) {
  if (end - begin == 1) return branches[begin];
  const size_t mid = begin + (end - begin) / 2;
  NodePtr n = MakeNode(Node::Kind::kUnion);
  n->children = {BalancedUnion(branches, begin, mid),
                 BalancedUnion(branches, mid, end)};
  return n;
}

NodePtr Join(NodePtr a, NodePtr b) {
  if (a->kind == Node::Kind::kUnit) return b;
  if (b->kind == Node::Kind::kUnit) return a;
  auto n = MakeNode(Node::Kind::kJoin);
  n->children = {std::move(a), std::move(b)};
  return n;
}

// Names starting with a space cannot come from query text: hidden variables.
bool IsHidden(const std::string& name) { return !name.empty() && name[0] == ' '; }

class Translator {
 public:
  Translator(std::vector<std::string>* names, Translator* outer,
             absl::flat_hash_set<std::string> shared, bool share_all)
      : names_(names), outer_(outer), shared_(std::move(shared)),
        share_all_(share_all) {}

  int VarSlot(const std::string& name) {
    auto it = slots_.find(name);
    if (it != slots_.end()) {
      if (!IsHidden(name) && in_expr_ == 0) AddToOrder(it->second);
      return it->second;
    }
    int slot;
    if (outer_ && !IsHidden(name) && (share_all_ || shared_.contains(name))) {
      slot = outer_->VarSlot(name);
    } else {
      slot = static_cast<int>(names_->size());
      names_->push_back(name);
    }
    slots_.emplace(name, slot);
    if (!IsHidden(name) && in_expr_ == 0) AddToOrder(slot);
    return slot;
  }
  void AddToOrder(int slot) {
    if (std::find(order_.begin(), order_.end(), slot) == order_.end())
      order_.push_back(slot);
  }
  int Hidden(std::string_view what) {
    int slot = static_cast<int>(names_->size());
    names_->push_back(absl::StrCat(" ", std::string(what), slot));
    return slot;
  }
  // Visible variables in order of first appearance (for SELECT *).
  const std::vector<int>& visible_order() const { return order_; }

  Slot SlotOf(const ast::VarOrTerm& v) {
    if (const ast::Var* var = std::get_if<ast::Var>(&v))
      return Slot::Var(VarSlot(var->name));
    const Term& t = std::get<Term>(v);
    if (t.is_blank()) return Slot::Var(VarSlot(" bnode " + t.lexical));
    return Slot::Const(t);
  }

  absl::Status AddPath(const Slot& s, const ast::Path& path, const Slot& o,
                       std::vector<Pattern>* out) {
    using K = ast::Path::Kind;
    switch (path.kind) {
      case K::kIri:
        out->push_back({s, Slot::Const(Term::Iri(path.iri)), o, nullptr});
        return absl::OkStatus();
      case K::kInverse:
        if (path.children.size() == 1 &&
            path.children[0].kind == K::kIri) {
          out->push_back(
              {o, Slot::Const(Term::Iri(path.children[0].iri)), s, nullptr});
          return absl::OkStatus();
        }
        break;
      case K::kSequence: {
        Slot from = s;
        for (size_t i = 0; i < path.children.size(); ++i) {
          Slot to = i + 1 == path.children.size() ? o
                                                  : Slot::Var(Hidden("path"));
          absl::Status st = AddPath(from, path.children[i], to, out);
          if (!st.ok()) return st;
          from = to;
        }
        return absl::OkStatus();
      }
      default:
        break;
    }
    Pattern p{s, Slot::Const(Term()), o, std::make_shared<Path>(Convert(path))};
    out->push_back(std::move(p));
    return absl::OkStatus();
  }

  Path Convert(const ast::Path& path) {
    Path p;
    p.kind = path.kind;
    if (path.kind == ast::Path::Kind::kIri) p.iri = Term::Iri(path.iri);
    for (const ast::Path& c : path.children) p.children.push_back(Convert(c));
    for (const auto& [iri, inverse] : path.negated)
      p.negated.emplace_back(Term::Iri(iri), inverse);
    return p;
  }

  // Variables used only in expressions (FILTER, BIND's expression, EXISTS
  // patterns) are not in scope for SELECT * (18.2.1).
  absl::StatusOr<Expr> ConvertExpr(const ast::Expr& e) {
    ++in_expr_;
    absl::StatusOr<Expr> out = ConvertExprIn(e);
    --in_expr_;
    return out;
  }

  absl::StatusOr<Expr> ConvertExprIn(const ast::Expr& e) {
    Expr out;
    out.kind = e.kind;
    out.term = e.term;
    out.name = e.name;
    switch (e.kind) {
      case ast::Expr::Kind::kVar:
        out.var = VarSlot(e.var.name);
        return out;
      case ast::Expr::Kind::kExists:
      case ast::Expr::Kind::kNotExists: {
        auto node = TranslateGroup(*e.pattern);
        if (!node.ok()) return node.status();
        out.pattern = *node;
        return out;
      }
      case ast::Expr::Kind::kAggregate: {
        if (!aggregates_)
          return absl::InvalidArgumentError(
              absl::StrCat("aggregate ", e.name, " is not allowed here"));
        Aggregate agg;
        agg.name = e.name;
        agg.distinct = e.distinct;
        agg.star = e.star;
        if (e.separator) agg.separator = *e.separator;
        if (!e.args.empty()) {
          // The aggregate's argument is evaluated per solution of the group:
          // it must not itself contain aggregates.
          auto saved = aggregates_;
          aggregates_ = nullptr;
          auto arg = ConvertExpr(e.args[0]);
          aggregates_ = saved;
          if (!arg.ok()) return arg.status();
          agg.arg = *arg;
        }
        agg.slot = Hidden("agg");
        out.kind = ast::Expr::Kind::kVar;
        out.var = agg.slot;
        aggregates_->push_back(std::move(agg));
        return out;
      }
      default:
        break;
    }
    for (const ast::Expr& a : e.args) {
      auto c = ConvertExpr(a);
      if (!c.ok()) return c.status();
      out.args.push_back(*std::move(c));
    }
    return out;
  }

  absl::StatusOr<NodePtr> TranslateGroup(const ast::GroupPattern& group) {
    NodePtr g = MakeNode(Node::Kind::kUnit);
    std::vector<Expr> filters;
    using K = ast::PatternElement::Kind;
    for (const ast::PatternElement& el : group.elements) {
      switch (el.kind) {
        case K::kTriples: {
          std::vector<Pattern> patterns;
          for (const ast::TriplePattern& t : el.triples) {
            // Slots are taken in subject, predicate, object order: that is
            // the order of first appearance SELECT * reports.
            Slot s = SlotOf(t.subject);
            const ast::Var* pv = std::get_if<ast::Var>(&t.predicate);
            Slot pslot = pv ? Slot::Var(VarSlot(pv->name)) : Slot();
            Slot o = SlotOf(t.object);
            if (pv) {
              patterns.push_back({s, pslot, o, nullptr});
            } else {
              absl::Status st =
                  AddPath(s, std::get<ast::Path>(t.predicate), o, &patterns);
              if (!st.ok()) return st;
            }
          }
          if (g->kind == Node::Kind::kBgp) {
            for (Pattern& p : patterns) g->patterns.push_back(std::move(p));
          } else {
            NodePtr bgp = MakeNode(Node::Kind::kBgp);
            bgp->patterns = std::move(patterns);
            g = Join(g, bgp);
          }
          break;
        }
        case K::kFilter: {
          auto e = ConvertExpr(el.expr);
          if (!e.ok()) return e.status();
          filters.push_back(*std::move(e));
          break;
        }
        case K::kOptional: {
          auto a = TranslateGroup(el.groups[0]);
          if (!a.ok()) return a.status();
          NodePtr lj = MakeNode(Node::Kind::kLeftJoin);
          NodePtr right = *a;
          if (right->kind == Node::Kind::kFilter) {
            lj->exprs = right->exprs;
            right = right->children[0];
          }
          lj->children = {g, right};
          g = lj;
          break;
        }
        case K::kMinus: {
          auto a = TranslateGroup(el.groups[0]);
          if (!a.ok()) return a.status();
          NodePtr m = MakeNode(Node::Kind::kMinus);
          m->children = {g, *a};
          g = m;
          break;
        }
        case K::kBind: {
          auto e = ConvertExpr(el.expr);
          if (!e.ok()) return e.status();
          NodePtr x = MakeNode(Node::Kind::kExtend);
          x->children = {g};
          x->var = VarSlot(el.var.name);
          x->exprs = {*std::move(e)};
          g = x;
          break;
        }
        case K::kUnion: {
          std::vector<NodePtr> branches;
          branches.reserve(el.groups.size());
          for (const ast::GroupPattern& branch : el.groups) {
            auto b = TranslateGroup(branch);
            if (!b.ok()) return b.status();
            branches.push_back(*std::move(b));
          }
          g = Join(g, BalancedUnion(branches, 0, branches.size()));
          break;
        }
        case K::kGraph: {
          auto inner = TranslateGroup(el.groups[0]);
          if (!inner.ok()) return inner.status();
          NodePtr n = MakeNode(Node::Kind::kGraph);
          n->graph = SlotOf(el.graph);
          // GRAPH ?g { P } joins P's solutions with ?g = the graph's name
          // (18.6): inside P, ?g is an ordinary variable. The engine runs P
          // with the graph's name in a hidden slot of its own.
          if (n->graph.is_var()) n->var = Hidden("graph");
          n->children = {*inner};
          g = Join(g, n);
          break;
        }
        case K::kValues: {
          g = Join(g, Values(el.values));
          break;
        }
        case K::kSubSelect: {
          auto sub = TranslateSubquery(*el.subquery);
          if (!sub.ok()) return sub.status();
          g = Join(g, *sub);
          break;
        }
        case K::kGroup: {
          auto inner = TranslateGroup(el.groups[0]);
          if (!inner.ok()) return inner.status();
          NodePtr in = *inner;
          if (in->kind == Node::Kind::kFilter && g->kind == Node::Kind::kUnit) {
            // { { P FILTER(e) } }: the filter belongs to the inner group
            // and must stay there (an OPTIONAL would otherwise take it as
            // its own condition, which sees the left side's variables).
            NodePtr j = MakeNode(Node::Kind::kJoin);
            j->children = {g, in};
            g = j;
          } else {
            g = Join(g, in);
          }
          break;
        }
      }
    }
    if (!filters.empty()) {
      NodePtr f = MakeNode(Node::Kind::kFilter);
      f->children = {g};
      f->exprs = std::move(filters);
      g = f;
    }
    return g;
  }

  NodePtr Values(const ast::ValuesBlock& values) {
    NodePtr v = MakeNode(Node::Kind::kValues);
    for (const ast::Var& var : values.vars) v->vars.push_back(VarSlot(var.name));
    v->rows = values.rows;
    return v;
  }

  absl::StatusOr<NodePtr> TranslateSubquery(const ast::Query& q) {
    absl::flat_hash_set<std::string> shared;
    for (const ast::Projection& p : q.projections) shared.insert(p.var.name);
    Translator inner(names_, this, std::move(shared), q.select_all);
    std::vector<int> projection;
    auto node = inner.TranslateQuery(q, &projection);
    if (!node.ok()) return node.status();
    // Variables of SELECT * in the subquery become visible outside.
    if (q.select_all)
      for (int slot : projection) {
        const std::string& name = (*names_)[slot];
        if (!slots_.contains(name)) {
          slots_.emplace(name, slot);
          order_.push_back(slot);
        }
      }
    return node;
  }

  // Translates a whole query (18.2.4); sets *projection to the result slots.
  absl::StatusOr<NodePtr> TranslateQuery(const ast::Query& q,
                                         std::vector<int>* projection) {
    auto where = TranslateGroup(q.where);
    if (!where.ok()) return where.status();
    NodePtr g = *where;
    if (q.values) g = Join(g, Values(*q.values));

    std::vector<Aggregate> aggregates;
    aggregates_ = &aggregates;
    std::vector<std::pair<int, Expr>> select_exprs;
    for (const ast::Projection& p : q.projections) {
      if (!p.expr) continue;
      auto e = ConvertExpr(*p.expr);
      if (!e.ok()) return e.status();
      select_exprs.emplace_back(VarSlot(p.var.name), *std::move(e));
    }
    std::vector<Expr> having;
    for (const ast::Expr& h : q.having) {
      auto e = ConvertExpr(h);
      if (!e.ok()) return e.status();
      having.push_back(*std::move(e));
    }
    std::vector<OrderKey> order;
    for (const ast::OrderKey& k : q.order_by) {
      auto e = ConvertExpr(k.expr);
      if (!e.ok()) return e.status();
      order.push_back({*std::move(e), k.descending});
    }
    aggregates_ = nullptr;

    if (!q.group_by.empty() || !aggregates.empty()) {
      NodePtr grp = MakeNode(Node::Kind::kGroup);
      grp->children = {g};
      for (const ast::GroupKey& k : q.group_by) {
        auto e = ConvertExpr(k.expr);
        if (!e.ok()) return e.status();
        int slot = k.as ? VarSlot(k.as->name)
                   : e->kind == Expr::Kind::kVar ? e->var
                                                 : Hidden("group");
        grp->group_exprs.push_back(*std::move(e));
        grp->group_vars.push_back(slot);
      }
      grp->aggregates = std::move(aggregates);
      g = grp;
    }
    if (!having.empty()) {
      NodePtr f = MakeNode(Node::Kind::kFilter);
      f->children = {g};
      f->exprs = std::move(having);
      g = f;
    }
    for (auto& [slot, e] : select_exprs) {
      NodePtr x = MakeNode(Node::Kind::kExtend);
      x->children = {g};
      x->var = slot;
      x->exprs = {std::move(e)};
      g = x;
    }
    if (!order.empty()) {
      NodePtr o = MakeNode(Node::Kind::kOrderBy);
      o->children = {g};
      o->order = std::move(order);
      g = o;
    }
    projection->clear();
    if (q.select_all) {
      *projection = order_;
    } else {
      for (const ast::Projection& p : q.projections)
        projection->push_back(VarSlot(p.var.name));
    }
    if (q.form == ast::QueryForm::kSelect) {
      NodePtr p = MakeNode(Node::Kind::kProject);
      p->children = {g};
      p->vars = *projection;
      g = p;
    }
    if (q.distinct) {
      NodePtr d = MakeNode(Node::Kind::kDistinct);
      d->children = {g};
      g = d;
    } else if (q.reduced) {
      NodePtr d = MakeNode(Node::Kind::kReduced);
      d->children = {g};
      g = d;
    }
    if (q.limit || q.offset) {
      NodePtr s = MakeNode(Node::Kind::kSlice);
      s->children = {g};
      s->limit = q.limit;
      s->offset = q.offset;
      g = s;
    }
    return g;
  }

  std::vector<Aggregate>* aggregates_ = nullptr;

 private:
  std::vector<std::string>* names_;
  Translator* outer_;
  absl::flat_hash_set<std::string> shared_;
  bool share_all_;
  absl::flat_hash_map<std::string, int> slots_;
  std::vector<int> order_;
  int in_expr_ = 0;  // > 0 while converting an expression
};

}  // namespace

namespace {

// How deep the operator tree may be, counting pattern nodes, the
// expressions inside them (EXISTS patterns included) and the triple
// patterns of each group (joined as a chain). Every stage after
// the algebra (planner, operators, EXPLAIN, expression evaluation) recurses
// once per level, and a host's thread may have a small stack: a query this
// deep is refused with a clear error rather than risking the process. (A
// wide UNION is balanced first, so 20,000 branches are 15 levels.)
constexpr size_t kMaxTreeDepth = 1000;

// The depth of the tree under `root`, found without recursion.
size_t TreeDepth(const Node& root) {
  struct Item {
    const Node* node;
    const Expr* expr;
    size_t depth;
  };
  std::vector<Item> to_visit = {{&root, nullptr, 1}};
  size_t deepest = 0;
  while (!to_visit.empty()) {
    Item it = to_visit.back();
    to_visit.pop_back();
    deepest = std::max(deepest, it.depth);
    if (deepest > kMaxTreeDepth) return deepest;
    auto expr = [&](const Expr& e) { to_visit.push_back({nullptr, &e, it.depth + 1}); };
    if (it.expr != nullptr) {
      for (const Expr& a : it.expr->args) expr(a);
      if (it.expr->pattern) to_visit.push_back({it.expr->pattern.get(), nullptr, it.depth + 1});
      continue;
    }
    const Node& n = *it.node;
    // The patterns of a group are joined as a chain, one operator inside
    // the next (a path sequence: one per step): each is a level too.
    if (n.kind == Node::Kind::kBgp && !n.patterns.empty()) {
      deepest = std::max(deepest, it.depth + n.patterns.size());
      if (deepest > kMaxTreeDepth) return deepest;
    }
    for (const auto& c : n.children) to_visit.push_back({c.get(), nullptr, it.depth + 1});
    for (const Expr& e : n.exprs) expr(e);
    for (const Expr& e : n.group_exprs) expr(e);
    for (const Aggregate& a : n.aggregates)
      if (a.arg) expr(*a.arg);
    for (const OrderKey& k : n.order) expr(k.expr);
  }
  return deepest;
}

absl::Status CheckDepth(const Node& root) {
  const size_t depth = TreeDepth(root);
  if (depth <= kMaxTreeDepth) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "the query is nested too deeply: more than ", kMaxTreeDepth,
      " levels of patterns and expressions (OPTIONAL, MINUS, FILTER, BIND, "
      "subqueries and operators inside one another; each triple pattern of "
      "a group, and each step of a property path sequence, joins one level "
      "deeper); split it or write long chains as VALUES or UNION"));
}

}  // namespace

absl::StatusOr<Query> Translate(const ast::Query& q) {
  Query out;
  out.form = q.form;
  out.prefixes = q.prefixes;
  out.base = q.base;
  Translator t(&out.var_names, nullptr, {}, false);
  auto root = t.TranslateQuery(q, &out.projection);
  if (!root.ok()) return root.status();
  if (absl::Status deep = CheckDepth(**root); !deep.ok()) return deep;
  out.root = *root;
  for (const ast::TriplePattern& tp : q.construct_template) {
    Pattern p;
    auto slot = [&](const ast::VarOrTerm& v) {
      if (const ast::Var* var = std::get_if<ast::Var>(&v))
        return Slot::Var(t.VarSlot(var->name));
      return Slot::Const(std::get<Term>(v));  // blank nodes stay templates
    };
    p.subject = slot(tp.subject);
    p.object = slot(tp.object);
    if (const ast::Var* pv = std::get_if<ast::Var>(&tp.predicate)) {
      p.predicate = Slot::Var(t.VarSlot(pv->name));
    } else {
      const ast::Path& path = std::get<ast::Path>(tp.predicate);
      if (path.kind != ast::Path::Kind::kIri)
        return absl::InvalidArgumentError(
            "a CONSTRUCT template cannot contain a property path");
      p.predicate = Slot::Const(Term::Iri(path.iri));
    }
    out.construct_template.push_back(std::move(p));
  }
  for (const ast::VarOrTerm& d : q.describe) out.describe.push_back(t.SlotOf(d));
  if (q.form == ast::QueryForm::kDescribe && q.select_all)
    for (int slot : t.visible_order()) out.describe.push_back(Slot::Var(slot));
  for (const std::string& g : q.from)
    out.dataset.default_graphs.push_back(Term::Iri(g));
  for (const std::string& g : q.from_named)
    out.dataset.named_graphs.push_back(Term::Iri(g));
  out.dataset.has_from = !q.from.empty() || !q.from_named.empty();
  return out;
}

absl::StatusOr<std::shared_ptr<Node>> TranslatePattern(
    const ast::GroupPattern& pattern, std::vector<std::string>* var_names) {
  Translator t(var_names, nullptr, {}, false);
  auto root = t.TranslateGroup(pattern);
  if (!root.ok()) return root.status();
  if (absl::Status deep = CheckDepth(**root); !deep.ok()) return deep;
  return root;
}

Slot TranslateSlot(const ast::VarOrTerm& v, std::vector<std::string>* names) {
  if (const ast::Var* var = std::get_if<ast::Var>(&v)) {
    for (size_t i = 0; i < names->size(); ++i)
      if ((*names)[i] == var->name) return Slot::Var(static_cast<int>(i));
    names->push_back(var->name);
    return Slot::Var(static_cast<int>(names->size() - 1));
  }
  return Slot::Const(std::get<Term>(v));
}

}  // namespace kg::algebra
