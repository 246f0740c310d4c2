// The Builder: semantic actions of the SPARQL grammar, building the plain
// AST (query/ast.h), plus the static checks of the SPARQL 1.1
// specification (section 18.2.1 scoping, 11.4 aggregate projection rules,
// 19.6 blank node labels, update data restrictions).

#include "query/grammar/builder.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "query/functions.h"
#include "query/grammar/words.h"
#include "storage/rdf/iri.h"

namespace kg::grammar {
namespace {

constexpr int kMaxDepth = 200;
// Operators inside one another in one expression (see Builder::Deepen).
constexpr uint32_t kMaxExprDepth = 1000;

std::string RdfIri(const char* local) { return std::string(kRdf) + local; }

// Variables a pattern element puts in scope (SPARQL 1.1 section 18.2.1).
void AddScope(const ast::GroupPattern& g, std::set<std::string>* out);
void AddNodeScope(const ast::VarOrTerm& n, std::set<std::string>* out) {
  if (auto* v = std::get_if<ast::Var>(&n)) out->insert(v->name);
}
void AddElementScope(const ast::PatternElement& el,
                     std::set<std::string>* out) {
  using K = ast::PatternElement::Kind;
  switch (el.kind) {
    case K::kTriples:
      for (const auto& t : el.triples) {
        AddNodeScope(t.subject, out);
        if (auto* v = std::get_if<ast::Var>(&t.predicate)) {
          out->insert(v->name);
        }
        AddNodeScope(t.object, out);
      }
      break;
    case K::kOptional:
    case K::kUnion:
    case K::kGroup:
      for (const auto& g : el.groups) AddScope(g, out);
      break;
    case K::kGraph:
      AddNodeScope(el.graph, out);
      for (const auto& g : el.groups) AddScope(g, out);
      break;
    case K::kBind:
      out->insert(el.var.name);
      break;
    case K::kValues:
      for (const auto& v : el.values.vars) out->insert(v.name);
      break;
    case K::kSubSelect:
      if (el.subquery->select_all) {
        AddScope(el.subquery->where, out);
      } else {
        for (const auto& p : el.subquery->projections) {
          out->insert(p.var.name);
        }
      }
      break;
    case K::kFilter:
    case K::kMinus:
      break;
  }
}
void AddScope(const ast::GroupPattern& g, std::set<std::string>* out) {
  for (const auto& el : g.elements) AddElementScope(el, out);
}

bool HasAggregate(const ast::Expr& e) {
  if (e.kind == ast::Expr::Kind::kAggregate) return true;
  for (const auto& a : e.args) {
    if (HasAggregate(a)) return true;
  }
  return false;
}

// The first variable of `e` used outside aggregates that is not in `ok`.
std::optional<std::string> UngroupedVar(const ast::Expr& e,
                                        const std::set<std::string>& ok) {
  using K = ast::Expr::Kind;
  if (e.kind == K::kAggregate) return std::nullopt;
  if (e.kind == K::kVar && !ok.count(e.var.name)) return e.var.name;
  for (const auto& a : e.args) {
    if (auto v = UngroupedVar(a, ok)) return v;
  }
  return std::nullopt;
}

const char* SkipSpace(const char* p, const char* end) {
  while (p < end) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
      ++p;
    } else if (*p == '#') {
      while (p < end && *p != '\n') ++p;
    } else {
      break;
    }
  }
  return p;
}

}  // namespace

Builder::Builder(std::string_view text, const QueryParseOptions& options)
    : base(options.base_iri),
      prefixes(options.prefixes),
      begin_(text.data()),
      end_(text.data() + text.size()) {
  agg_allowed.push_back(false);
}

void Builder::Enter(const char* pos) {
  if (++depth_ > kMaxDepth) {
    throw GrammarError{pos, "nesting too deep (more than " +
                                std::to_string(kMaxDepth) + " levels)"};
  }
}

std::string Builder::ResolveIri(std::string_view rel) const {
  // An absolute IRI is taken as written (as the Turtle reader does), so
  // that query and data spell the same IRI the same way.
  if (base.empty() || rdf_internal::IsAbsoluteIri(rel)) return std::string(rel);
  std::string out;
  rdf_internal::ResolveIri(base, rel, &out);
  return out;
}

std::string Builder::ExpandPrefixed(const std::string& prefix,
                                    const std::string& local,
                                    const char* pos) const {
  auto it = prefixes.find(prefix);
  if (it == prefixes.end()) {
    if (any_prefix) return local;
    throw GrammarError{pos, "undeclared prefix '" + prefix + ":'"};
  }
  return it->second + local;
}

void Builder::PushVar(std::string name, const char* pos) {
  if (no_vars_) {
    throw GrammarError{pos,
                       "variables are not allowed in INSERT DATA and "
                       "DELETE DATA"};
  }
  last_var_pos_ = pos;
  nodes.push_back(ast::Var{std::move(name)});
}

void Builder::PushBlank(std::string label, const char* pos) {
  if (no_blanks_) {
    throw GrammarError{pos,
                       "blank nodes are not allowed in DELETE "
                       "templates and DELETE DATA"};
  }
  CheckBlankScope(label, pos);
  nodes.push_back(Term::BlankNode(std::move(label)));
}

void Builder::PushAnon(const char* pos) { nodes.push_back(FreshBlank(pos)); }

Term Builder::FreshBlank(const char* pos) {
  if (no_blanks_) {
    throw GrammarError{pos,
                       "blank nodes are not allowed in DELETE "
                       "templates and DELETE DATA"};
  }
  return Term::BlankNode("anon" + std::to_string(anon_counter_++));
}

void Builder::CheckBlankScope(const std::string& label, const char* pos) {
  bool in_template = !sinks_.empty() && sinks_.back() == Sink::kTemplate;
  // Labels in INSERT/DELETE and CONSTRUCT templates are fresh per solution;
  // only the data of INSERT DATA shares labels across the request.
  if (in_template && !no_vars_ && template_scope_ >= 0) return;
  auto& labels = in_template ? template_labels_ : pattern_labels_;
  int scope = in_template ? template_scope_
                          : (bgp_scope_.empty() ? 0 : bgp_scope_.back());
  auto [it, inserted] = labels.emplace(label, scope);
  if (!inserted && it->second != scope) {
    throw GrammarError{pos, "blank node label _:" + label +
                                " is used in more than one basic graph "
                                "pattern (or update operation)"};
  }
}

// ---- prologue
// ------------------------------------------------------------------
void Builder::SetBase(const char*, const char*) {}

void Builder::DeclarePrefix(const char*, const char*) {
  prefixes[pending_prefix_] = std::get<Term>(nodes.back()).lexical;
  nodes.pop_back();
}

// ---- expressions
// -------------------------------------------------------------
void Builder::NodeToExpr(const char*, const char*) {
  ast::Expr e;
  if (auto* v = std::get_if<ast::Var>(&nodes.back())) {
    e.kind = ast::Expr::Kind::kVar;
    e.var = std::move(*v);
  } else {
    e.kind = ast::Expr::Kind::kConstant;
    e.term = std::move(std::get<Term>(nodes.back()));
  }
  nodes.pop_back();
  exprs.push_back(std::move(e));
}

// An expression's depth from its arguments'; refuses one deeper than
// kMaxExprDepth. Long chains of a binary operator ("1 + 1 + ... + 1",
// "?x = 1 || ?x = 2 || ...") grow one level per operator without any
// parentheses, so the nesting limit of Enter() does not bound them.
void Builder::Deepen(ast::Expr& e, const char* pos) {
  uint32_t below = 0;
  for (const ast::Expr& a : e.args) below = std::max(below, a.depth);
  e.depth = below + 1;
  if (e.depth > kMaxExprDepth) {
    throw GrammarError{
        pos, "expression nested too deeply (more than " +
                 std::to_string(kMaxExprDepth) +
                 " operators inside one another); for a long list of "
                 "alternatives write ?x IN (...) or VALUES"};
  }
}

void Builder::Binary(ast::Expr::Kind kind, const char* pos) {
  ast::Expr rhs = std::move(exprs.back());
  exprs.pop_back();
  ast::Expr e;
  e.kind = kind;
  e.args.push_back(std::move(exprs.back()));
  e.args.push_back(std::move(rhs));
  Deepen(e, pos);
  exprs.back() = std::move(e);
}

void Builder::Unary(ast::Expr::Kind kind) {
  ast::Expr& operand = exprs.back();
  // "-1" is a negative numeric literal, not the negation of 1.
  if (kind == ast::Expr::Kind::kNegate &&
      operand.kind == ast::Expr::Kind::kConstant && operand.term.is_literal() &&
      (operand.term.datatype == kXsdInteger ||
       operand.term.datatype == kXsdDecimal ||
       operand.term.datatype == kXsdDouble) &&
      !operand.term.lexical.empty() && operand.term.lexical[0] != '-' &&
      operand.term.lexical[0] != '+') {
    operand.term.lexical.insert(0, "-");
    return;
  }
  ast::Expr e;
  e.kind = kind;
  e.args.push_back(std::move(operand));
  e.depth = e.args[0].depth + 1;
  exprs.back() = std::move(e);
}

std::vector<ast::Expr> Builder::PopMarkedExprs() {
  size_t m = marks.back();
  marks.pop_back();
  std::vector<ast::Expr> out(std::make_move_iterator(exprs.begin() + m),
                             std::make_move_iterator(exprs.end()));
  exprs.resize(m);
  return out;
}

void Builder::NilMark(const char*, const char*) {
  nodes.pop_back();
  marks.push_back(exprs.size());
}

void Builder::InList(const char* b, const char*) {
  std::vector<ast::Expr> list = PopMarkedExprs();
  ast::Expr e;
  e.kind = ast::Expr::Kind::kIn;
  e.args.push_back(std::move(exprs.back()));
  for (auto& x : list) e.args.push_back(std::move(x));
  Deepen(e, b);
  exprs.back() = std::move(e);
}

void Builder::NotInList(const char* b, const char* e) {
  InList(b, e);
  exprs.back().kind = ast::Expr::Kind::kNotIn;
}

void Builder::IriToName(const char*, const char*) {
  names.push_back(std::move(std::get<Term>(nodes.back()).lexical));
  nodes.pop_back();
}

void Builder::NameToConst(const char*, const char*) {
  ast::Expr e;
  e.kind = ast::Expr::Kind::kConstant;
  e.term = Term::Iri(std::move(names.back()));
  names.pop_back();
  exprs.push_back(std::move(e));
}

void Builder::FinishCall(const char* b, const char*) {
  ast::Expr e;
  e.kind = ast::Expr::Kind::kFunction;
  e.name = std::move(names.back());
  names.pop_back();
  e.args = PopMarkedExprs();
  e.distinct = call_distinct_;
  call_distinct_ = false;
  for (const BuiltinFunction& a : kBuiltins) {
    if (e.name != a.name) continue;
    int n = static_cast<int>(e.args.size());
    if (n < a.min_args || (a.max_args >= 0 && n > a.max_args)) {
      std::string want =
          a.min_args == a.max_args ? std::to_string(a.min_args)
          : a.max_args < 0 ? "at least " + std::to_string(a.min_args)
                           : std::to_string(a.min_args) + " to " +
                                 std::to_string(a.max_args);
      throw GrammarError{b, e.name + " takes " + want + " argument(s), not " +
                                std::to_string(n)};
    }
    if (e.name == "BOUND" && e.args[0].kind != ast::Expr::Kind::kVar) {
      throw GrammarError{b, "BOUND takes a variable"};
    }
  }
  // REGEX(text, pattern, flags?) and REPLACE(text, pattern, by, flags?)
  // with a constant pattern and flags: a pattern that cannot compile is an
  // error here, not a FILTER that silently matches nothing.
  if (e.name == "REGEX" || e.name == "REPLACE") {
    const size_t flags_at = e.name == "REGEX" ? 2 : 3;
    auto constant_string = [&](size_t i) {
      return i < e.args.size() &&
             e.args[i].kind == ast::Expr::Kind::kConstant &&
             e.args[i].term.is_literal() && e.args[i].term.datatype.empty() &&
             e.args[i].term.language.empty();
    };
    if (constant_string(1) &&
        (e.args.size() <= flags_at || constant_string(flags_at))) {
      const std::string problem = RegexProblem(
          e.args[1].term.lexical,
          e.args.size() > flags_at ? e.args[flags_at].term.lexical : "");
      if (!problem.empty()) {
        throw GrammarError{b, e.name + ": the regular expression \"" +
                                  e.args[1].term.lexical +
                                  "\" cannot be used: " + problem};
      }
    }
  }
  Deepen(e, b);
  exprs.push_back(std::move(e));
}

void Builder::BeginAggregate(const char* b, const char* e) {
  b = SkipSpace(b, e);
  std::string name(b, e);
  for (char& c : name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (!agg_allowed.back()) {
    throw GrammarError{b, "aggregate " + name +
                              " is not allowed here (only in SELECT, "
                              "HAVING and ORDER BY, and not nested)"};
  }
  ast::Expr agg;
  agg.kind = ast::Expr::Kind::kAggregate;
  agg.name = std::move(name);
  aggs.push_back(std::move(agg));
  agg_allowed.push_back(false);
}

void Builder::FinishAggregate(const char* b, const char*) {
  ast::Expr agg = std::move(aggs.back());
  aggs.pop_back();
  agg_allowed.pop_back();
  if (!agg.star) {
    agg.args.push_back(std::move(exprs.back()));
    exprs.pop_back();
  }
  Deepen(agg, b);
  exprs.push_back(std::move(agg));
}

void Builder::FinishExists(const char*, const char*) {
  ast::Expr e;
  e.kind = ast::Expr::Kind::kExists;
  e.pattern = std::make_shared<ast::GroupPattern>(std::move(done.back()));
  done.pop_back();
  exprs.push_back(std::move(e));
}

void Builder::FinishNotExists(const char* b, const char* e) {
  FinishExists(b, e);
  exprs.back().kind = ast::Expr::Kind::kNotExists;
}

// ---- triples
// -------------------------------------------------------------------
void Builder::NodeToSubject(const char*, const char*) {
  subjects.push_back(std::move(nodes.back()));
  nodes.pop_back();
}

void Builder::AnonSubject(const char* b, const char*) {
  subjects.push_back(FreshBlank(b));
}

void Builder::SubjectToNode(const char*, const char*) {
  nodes.push_back(std::move(subjects.back()));
  subjects.pop_back();
}

void Builder::VarVerb(const char*, const char*) {
  verbs.push_back(std::get<ast::Var>(std::move(nodes.back())));
  nodes.pop_back();
}

void Builder::PathVerb(const char*, const char*) {
  verbs.push_back(std::move(paths.back()));
  paths.pop_back();
}

void Builder::EmitObject(const char* b, const char*) {
  ast::TriplePattern t{subjects.back(), verbs.back(), std::move(nodes.back())};
  nodes.pop_back();
  Emit(std::move(t), b);
}

void Builder::Emit(ast::TriplePattern t, const char* pos) {
  if (!sinks_.empty() && sinks_.back() == Sink::kTemplate) {
    if (auto* p = std::get_if<ast::Path>(&t.predicate);
        p != nullptr && p->kind != ast::Path::Kind::kIri) {
      throw GrammarError{SkipSpace(pos, end_),
                         "property paths are not allowed in templates"};
    }
    template_.push_back(ast::QuadTemplate{std::move(t), quad_graph_});
    return;
  }
  auto& g = groups.back();
  if (g.elements.empty() ||
      g.elements.back().kind != ast::PatternElement::Kind::kTriples) {
    g.elements.emplace_back();
    g.elements.back().kind = ast::PatternElement::Kind::kTriples;
  }
  g.elements.back().triples.push_back(std::move(t));
}

void Builder::PushNil(const char*, const char*) {
  nodes.push_back(Term::Iri(RdfIri("nil")));
}

void Builder::FinishCollection(const char* b, const char*) {
  size_t m = marks.back();
  marks.pop_back();
  std::vector<ast::VarOrTerm> items(std::make_move_iterator(nodes.begin() + m),
                                    std::make_move_iterator(nodes.end()));
  nodes.resize(m);
  std::vector<Term> cells;
  for (size_t i = 0; i < items.size(); ++i) cells.push_back(FreshBlank(b));
  const ast::Path first{ast::Path::Kind::kIri, RdfIri("first"), {}, {}};
  const ast::Path rest{ast::Path::Kind::kIri, RdfIri("rest"), {}, {}};
  for (size_t i = 0; i < items.size(); ++i) {
    Emit({cells[i], first, std::move(items[i])}, b);
    Emit({cells[i], rest,
          i + 1 < cells.size() ? cells[i + 1] : Term::Iri(RdfIri("nil"))},
         b);
  }
  nodes.push_back(cells.empty() ? Term::Iri(RdfIri("nil")) : cells[0]);
}

// ---- paths
// -----------------------------------------------------------------------
void Builder::PathIri(const char*, const char*) {
  ast::Path p;
  p.iri = std::move(std::get<Term>(nodes.back()).lexical);
  nodes.pop_back();
  paths.push_back(std::move(p));
}

void Builder::PathA(const char*, const char*) {
  ast::Path p;
  p.iri = std::string(kRdfType);
  paths.push_back(std::move(p));
}

void Builder::PathInverse(const char*, const char*) {
  ast::Path p;
  p.kind = ast::Path::Kind::kInverse;
  p.children.push_back(std::move(paths.back()));
  paths.back() = std::move(p);
}

static void Combine(std::vector<ast::Path>& paths, ast::Path::Kind kind) {
  ast::Path rhs = std::move(paths.back());
  paths.pop_back();
  ast::Path& lhs = paths.back();
  if (lhs.kind != kind) {
    ast::Path p;
    p.kind = kind;
    p.children.push_back(std::move(lhs));
    lhs = std::move(p);
  }
  lhs.children.push_back(std::move(rhs));
}

void Builder::PathSequence(const char*, const char*) {
  Combine(paths, ast::Path::Kind::kSequence);
}

void Builder::PathAlternative(const char*, const char*) {
  Combine(paths, ast::Path::Kind::kAlternative);
}

void Builder::PathMod(const char*, const char* e) {
  ast::Path p;
  p.kind = e[-1] == '*'   ? ast::Path::Kind::kZeroOrMore
           : e[-1] == '+' ? ast::Path::Kind::kOneOrMore
                          : ast::Path::Kind::kZeroOrOne;
  p.children.push_back(std::move(paths.back()));
  paths.back() = std::move(p);
}

void Builder::NegatedBegin(const char*, const char*) {
  ast::Path p;
  p.kind = ast::Path::Kind::kNegatedSet;
  paths.push_back(std::move(p));
  negated_inverse_ = false;
}

void Builder::NegatedIri(const char*, const char*) {
  paths.back().negated.emplace_back(
      std::move(std::get<Term>(nodes.back()).lexical), negated_inverse_);
  nodes.pop_back();
  negated_inverse_ = false;
}

void Builder::NegatedA(const char*, const char*) {
  paths.back().negated.emplace_back(std::string(kRdfType), negated_inverse_);
  negated_inverse_ = false;
}

// ---- group patterns
// ----------------------------------------------------------
void Builder::BeginGroup(const char*, const char*) {
  groups.emplace_back();
  group_ids_.push_back(next_group_id_++);
  sinks_.push_back(Sink::kGroup);
  bgp_scope_.push_back(next_scope_++);
}

void Builder::EndGroup(const char*, const char*) {
  done.push_back(std::move(groups.back()));
  groups.pop_back();
  group_ids_.pop_back();
  sinks_.pop_back();
  bgp_scope_.pop_back();
}

void Builder::AddElement(ast::PatternElement el) {
  using K = ast::PatternElement::Kind;
  // Anything but a FILTER ends the current basic graph pattern.
  if (el.kind != K::kTriples && el.kind != K::kFilter) {
    bgp_scope_.back() = next_scope_++;
  }
  groups.back().elements.push_back(std::move(el));
}

static ast::PatternElement GroupElement(ast::PatternElement::Kind kind,
                                        ast::GroupPattern g) {
  ast::PatternElement el;
  el.kind = kind;
  el.groups.push_back(std::move(g));
  return el;
}

void Builder::AddOptional(const char*, const char*) {
  AddElement(GroupElement(ast::PatternElement::Kind::kOptional,
                          std::move(done.back())));
  done.pop_back();
}

void Builder::AddMinus(const char*, const char*) {
  AddElement(
      GroupElement(ast::PatternElement::Kind::kMinus, std::move(done.back())));
  done.pop_back();
}

void Builder::AddGroupOrUnion(const char*, const char*) {
  size_t m = marks.back();
  marks.pop_back();
  ast::PatternElement el;
  el.kind = done.size() - m == 1 ? ast::PatternElement::Kind::kGroup
                                 : ast::PatternElement::Kind::kUnion;
  for (size_t i = m; i < done.size(); ++i) {
    el.groups.push_back(std::move(done[i]));
  }
  done.resize(m);
  AddElement(std::move(el));
}

void Builder::AddGraph(const char*, const char*) {
  ast::PatternElement el =
      GroupElement(ast::PatternElement::Kind::kGraph, std::move(done.back()));
  done.pop_back();
  el.graph = std::move(nodes.back());
  nodes.pop_back();
  AddElement(std::move(el));
}

void Builder::AddFilter(const char*, const char*) {
  ast::PatternElement el;
  el.kind = ast::PatternElement::Kind::kFilter;
  el.expr = std::move(exprs.back());
  exprs.pop_back();
  AddElement(std::move(el));
}

void Builder::AddBind(const char*, const char*) {
  ast::PatternElement el;
  el.kind = ast::PatternElement::Kind::kBind;
  el.var = std::get<ast::Var>(std::move(nodes.back()));
  nodes.pop_back();
  el.expr = std::move(exprs.back());
  exprs.pop_back();
  // The variables in scope so far, kept between the BINDs of one group so
  // that a group of 20,000 BINDs is not quadratic (issue 17). The last
  // element counted is scanned again: a block of triples may have grown.
  const uint64_t group = group_ids_.back();
  const auto& elements = groups.back().elements;
  if (bind_scope_.group != group || bind_scope_.counted > elements.size())
    bind_scope_ = BindScope{group, 0, {}};
  for (size_t i = bind_scope_.counted == 0 ? 0 : bind_scope_.counted - 1;
       i < elements.size(); ++i)
    AddElementScope(elements[i], &bind_scope_.names);
  bind_scope_.counted = elements.size();
  if (bind_scope_.names.count(el.var.name)) {
    throw GrammarError{last_var_pos_, "BIND: variable ?" + el.var.name +
                                          " is already in scope"};
  }
  AddElement(std::move(el));
}

void Builder::Service(const char* b, const char* e) {
  throw GrammarError{SkipSpace(b, e), "SERVICE is not supported"};
}

// ---- VALUES
// ------------------------------------------------------------------------
void Builder::BeginValues(const char*, const char*) {
  values.emplace_back();
  values_one_var_ = false;
}

void Builder::ValuesOneVar(const char* b, const char* e) {
  ValuesVar(b, e);
  values_one_var_ = true;
}

void Builder::ValuesVar(const char*, const char*) {
  values.back().vars.push_back(std::get<ast::Var>(std::move(nodes.back())));
  nodes.pop_back();
}

static std::optional<Term> ValueOf(ast::VarOrTerm n) {
  if (std::holds_alternative<ast::Var>(n)) return std::nullopt;  // UNDEF
  return std::get<Term>(std::move(n));
}

void Builder::CheckRow(size_t n, const char* pos) {
  if (n != values.back().vars.size()) {
    throw GrammarError{
        SkipSpace(pos, end_),
        "a VALUES row has " + std::to_string(n) + " values but there are " +
            std::to_string(values.back().vars.size()) + " variables"};
  }
}

void Builder::NilRow(const char* b, const char*) {
  nodes.pop_back();
  if (values_one_var_) {
    throw GrammarError{SkipSpace(b, end_), "expected a value, found '()'"};
  }
  CheckRow(0, b);
  values.back().rows.emplace_back();
}

void Builder::ValuesRow(const char* b, const char*) {
  size_t m = marks.back();
  marks.pop_back();
  if (values_one_var_) {
    throw GrammarError{SkipSpace(b, end_),
                       "expected a value for the single VALUES variable"};
  }
  CheckRow(nodes.size() - m, b);
  std::vector<std::optional<Term>> row;
  for (size_t i = m; i < nodes.size(); ++i) {
    row.push_back(ValueOf(std::move(nodes[i])));
  }
  nodes.resize(m);
  values.back().rows.push_back(std::move(row));
}

void Builder::ValuesOneVarValue(const char* b, const char*) {
  if (!values_one_var_) {
    throw GrammarError{SkipSpace(b, end_), "expected '(' to start a row"};
  }
  std::vector<std::optional<Term>> row;
  row.push_back(ValueOf(std::move(nodes.back())));
  nodes.pop_back();
  values.back().rows.push_back(std::move(row));
}

void Builder::AddInlineValues(const char*, const char*) {
  ast::PatternElement el;
  el.kind = ast::PatternElement::Kind::kValues;
  el.values = std::move(values.back());
  values.pop_back();
  AddElement(std::move(el));
}

void Builder::TrailingValues(const char*, const char*) {
  queries.back().values = std::move(values.back());
  values.pop_back();
}

// ---- queries
// -----------------------------------------------------------------------
void Builder::BeginQuery(const char*, const char*) { queries.emplace_back(); }

void Builder::ProjectVar(const char*, const char*) {
  ast::Projection p;
  p.var = std::get<ast::Var>(std::move(nodes.back()));
  nodes.pop_back();
  queries.back().projections.push_back(std::move(p));
}

void Builder::ProjectExpr(const char*, const char*) {
  ast::Projection p;
  p.var = std::get<ast::Var>(std::move(nodes.back()));
  nodes.pop_back();
  p.expr = std::move(exprs.back());
  exprs.pop_back();
  queries.back().projections.push_back(std::move(p));
}

void Builder::From(const char*, const char*) {
  queries.back().from.push_back(std::get<Term>(nodes.back()).lexical);
  nodes.pop_back();
}

void Builder::FromNamed(const char*, const char*) {
  queries.back().from_named.push_back(std::get<Term>(nodes.back()).lexical);
  nodes.pop_back();
}

void Builder::SetWhere(const char*, const char*) {
  queries.back().where = std::move(done.back());
  done.pop_back();
}

void Builder::BeginTemplate(const char*, const char*) {
  sinks_.push_back(Sink::kTemplate);
  template_.clear();
  quad_graph_.reset();
  template_scope_ = next_scope_++;
}

void Builder::EndConstructTemplate(const char*, const char*) {
  sinks_.pop_back();
  for (auto& q : template_) {
    queries.back().construct_template.push_back(std::move(q.triple));
  }
  template_.clear();
}

void Builder::ConstructWhereBegin(const char* b, const char* e) {
  BeginGroup(b, e);
}

void Builder::ConstructWhereEnd(const char* b, const char* e) {
  EndGroup(b, e);
  ast::Query& q = queries.back();
  q.where = std::move(done.back());
  done.pop_back();
  for (const auto& el : q.where.elements) {
    for (const auto& t : el.triples) {
      if (auto* p = std::get_if<ast::Path>(&t.predicate);
          p != nullptr && p->kind != ast::Path::Kind::kIri) {
        throw GrammarError{SkipSpace(b, end_),
                           "property paths are not allowed in "
                           "CONSTRUCT WHERE"};
      }
      q.construct_template.push_back(t);
    }
  }
}

void Builder::DescribeTerm(const char*, const char*) {
  queries.back().describe.push_back(std::move(nodes.back()));
  nodes.pop_back();
}

void Builder::GroupByExpr(const char*, const char*) {
  ast::GroupKey k;
  k.expr = std::move(exprs.back());
  exprs.pop_back();
  queries.back().group_by.push_back(std::move(k));
}

void Builder::GroupByAs(const char*, const char*) {
  ast::GroupKey k;
  k.as = std::get<ast::Var>(std::move(nodes.back()));
  nodes.pop_back();
  k.expr = std::move(exprs.back());
  exprs.pop_back();
  queries.back().group_by.push_back(std::move(k));
}

void Builder::Having(const char*, const char*) {
  queries.back().having.push_back(std::move(exprs.back()));
  exprs.pop_back();
}

void Builder::OrderAsc(const char*, const char*) {
  queries.back().order_by.push_back({std::move(exprs.back()), false});
  exprs.pop_back();
}

void Builder::OrderDesc(const char*, const char*) {
  queries.back().order_by.push_back({std::move(exprs.back()), true});
  exprs.pop_back();
}

static uint64_t ParseCount(const char* b, const char* e, const char* end) {
  b = SkipSpace(b, end);
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(b, e, v);
  if (ec != std::errc()) throw GrammarError{b, "number out of range"};
  return v;
}

void Builder::Limit(const char* b, const char* e) {
  queries.back().limit = ParseCount(b, e, end_);
}

void Builder::Offset(const char* b, const char* e) {
  queries.back().offset = ParseCount(b, e, end_);
}

void Builder::FinishSubSelect(const char* b, const char*) {
  auto q = std::make_shared<ast::Query>(std::move(queries.back()));
  queries.pop_back();
  if (auto err = CheckQuery(*q)) {
    throw GrammarError{SkipSpace(b, end_), err->message};
  }
  ast::PatternElement el;
  el.kind = ast::PatternElement::Kind::kSubSelect;
  el.subquery = std::move(q);
  AddElement(std::move(el));
}

void Builder::FinishQuery(const char*, const char*) {
  queries.back().prefixes = prefixes;
  queries.back().base = base;
}

// ---- updates
// ---------------------------------------------------------------------
void Builder::BeginOperation(ast::UpdateOperation::Kind kind, const char*) {
  update_.operations.emplace_back();
  op().kind = kind;
  template_scope_ = next_scope_++;
}

void Builder::BeginQuadData(const char*, const char*) {
  bool is_delete = op().kind == ast::UpdateOperation::Kind::kDeleteData;
  sinks_.push_back(Sink::kTemplate);
  template_.clear();
  quad_graph_.reset();
  no_vars_ = true;
  no_blanks_ = is_delete;
  template_is_delete_ = is_delete;
}

void Builder::BeginQuadPattern(bool is_delete, const char*) {
  sinks_.push_back(Sink::kTemplate);
  template_.clear();
  quad_graph_.reset();
  no_vars_ = false;
  no_blanks_ = is_delete;
  template_is_delete_ = is_delete;
}

void Builder::EndQuads(const char*, const char*) {
  sinks_.pop_back();
  no_vars_ = no_blanks_ = false;
  (template_is_delete_ ? op().remove : op().insert) = std::move(template_);
  template_.clear();
}

void Builder::QuadsGraph(const char*, const char*) {
  quad_graph_ = std::move(nodes.back());
  nodes.pop_back();
}

void Builder::EndDeleteWhere(const char* b, const char* e) {
  EndQuads(b, e);
  // The WHERE pattern is the template itself: default-graph triples as
  // a basic graph pattern, the others inside GRAPH elements.
  ast::GroupPattern& where = op().where;
  for (const auto& q : op().remove) {
    using K = ast::PatternElement::Kind;
    ast::GroupPattern* target = &where;
    if (q.graph) {
      if (where.elements.empty() || where.elements.back().kind != K::kGraph ||
          !(where.elements.back().graph == *q.graph)) {
        ast::PatternElement el;
        el.kind = K::kGraph;
        el.graph = *q.graph;
        el.groups.emplace_back();
        where.elements.push_back(std::move(el));
      }
      target = &where.elements.back().groups[0];
    }
    if (target->elements.empty() ||
        target->elements.back().kind != K::kTriples) {
      target->elements.emplace_back();
      target->elements.back().kind = K::kTriples;
    }
    target->elements.back().triples.push_back(q.triple);
  }
}

void Builder::With(const char*, const char*) {
  op().with = std::get<Term>(nodes.back()).lexical;
  nodes.pop_back();
}

void Builder::UsingGraph(const char*, const char*) {
  op().using_graphs.push_back(std::get<Term>(nodes.back()).lexical);
  nodes.pop_back();
}

void Builder::UsingNamed(const char*, const char*) {
  op().using_named.push_back(std::get<Term>(nodes.back()).lexical);
  nodes.pop_back();
}

void Builder::ModifyWhere(const char*, const char*) {
  op().where = std::move(done.back());
  done.pop_back();
}

void Builder::LoadSource(const char*, const char*) {
  op().source = std::get<Term>(nodes.back()).lexical;
  nodes.pop_back();
}

void Builder::LoadInto(const char*, const char*) {
  op().into = std::get<Term>(nodes.back()).lexical;
  nodes.pop_back();
}

void Builder::Target(ast::GraphTarget::Kind kind) {
  op().target.kind = kind;
  op().target.iri.clear();
  if (kind == ast::GraphTarget::Kind::kGraph) {
    op().target.iri = std::get<Term>(nodes.back()).lexical;
    nodes.pop_back();
  }
}

void Builder::SourceToFrom(const char*, const char*) {
  op().from = op().target;
  op().target = {};
}

void Builder::FinishOperation(const char*, const char*) {}

ast::Query Builder::TakeQuery() { return std::move(queries.front()); }

ast::UpdateRequest Builder::TakeUpdate() {
  update_.prefixes = prefixes;
  return std::move(update_);
}

// ---- whole-query checks
// ------------------------------------------------------
std::optional<StaticError> CheckQuery(const ast::Query& q) {
  std::set<std::string> in_where;
  AddScope(q.where, &in_where);
  // (expr AS ?v): ?v must be new (SPARQL 1.1 section 18.2.4.1).
  std::set<std::string> projected;
  for (const auto& p : q.projections) {
    if (p.expr) {
      if (in_where.count(p.var.name) || projected.count(p.var.name)) {
        return StaticError{"variable ?" + p.var.name +
                               " is already in scope and cannot be "
                               "assigned by (expression AS ?" +
                               p.var.name + ")",
                           p.var.name};
      }
    }
    projected.insert(p.var.name);
  }
  // Grouping: only grouped variables (and aggregates of others) may be
  // projected (section 11.4).
  bool grouped = !q.group_by.empty();
  for (const auto& p : q.projections) {
    if (p.expr && HasAggregate(*p.expr)) grouped = true;
  }
  for (const auto& h : q.having) grouped = grouped || HasAggregate(h);
  for (const auto& o : q.order_by) grouped = grouped || HasAggregate(o.expr);
  if (grouped) {
    if (q.select_all && q.form == ast::QueryForm::kSelect) {
      return StaticError{
          "SELECT * is not allowed with GROUP BY or "
          "aggregates",
          ""};
    }
    std::set<std::string> ok;
    for (const auto& k : q.group_by) {
      if (k.as) {
        ok.insert(k.as->name);
      } else if (k.expr.kind == ast::Expr::Kind::kVar) {
        ok.insert(k.expr.var.name);
      }
    }
    for (const auto& p : q.projections) {
      if (!p.expr) {
        if (!ok.count(p.var.name)) {
          return StaticError{"variable ?" + p.var.name +
                                 " is projected but not grouped (use GROUP "
                                 "BY ?" +
                                 p.var.name +
                                 " or an aggregate such as SAMPLE)",
                             p.var.name};
        }
      } else if (auto v = UngroupedVar(*p.expr, ok)) {
        return StaticError{
            "variable ?" + *v + " is used in SELECT but not grouped", *v};
      }
      ok.insert(p.var.name);
    }
  }
  return std::nullopt;
}

}  // namespace kg::grammar
