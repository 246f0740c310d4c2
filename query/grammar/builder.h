// The parse state threaded through the X3 grammar (query/grammar/): the
// prologue, the stacks the semantic actions build the plain AST on
// (query/ast.h), and the static checks SPARQL requires that are easiest to do
// while parsing (they know the position of the offending token).
//
// The grammar's rules have no attributes; every semantic action calls one
// Builder method. This keeps the conversion to the plain AST in the Builder
// (builder.cc, and a builder_<area>.cc for each area of the grammar:
// expressions, triples, patterns, query, update) and keeps template
// instantiation cheap. The SPARQL grammar is LL(1), and the grammar only
// pushes onto these stacks after a construct has been recognised and
// commits with expectation points from there on, so a failed alternative
// never leaves partial state behind.

#ifndef KGSTORE_QUERY_GRAMMAR_BUILDER_H_
#define KGSTORE_QUERY_GRAMMAR_BUILDER_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "query/ast.h"
#include "query/parser.h"

namespace kg::grammar {

// Thrown by semantic actions and token scanners for errors that are not
// X3 expectation failures (static errors, too deep nesting, bad escapes).
// Caught in query/parser.cc; never leaves the parser API.
struct GrammarError {
  const char* pos;
  std::string message;
  bool at_end = false;
};

// Thrown by Builder::Tick when QueryParseOptions::deadline has passed.
// Caught in query/parser.cc (DeadlineExceeded); never leaves the parser API.
struct ParseDeadline {};

// Thrown by Builder::PushNode when the parsed form outgrows
// QueryParseOptions::memory_limit_bytes. Caught in query/parser.cc
// (ResourceExhausted); never leaves the parser API.
struct ParseMemory {};

using Verb = std::variant<ast::Var, ast::Path>;

class Builder {
 public:
  Builder(std::string_view text, const QueryParseOptions& options);

  const char* text_begin() const { return begin_; }
  const char* text_end() const { return end_; }

  // ---- the time limit --------------------------------------------------------
  // Called by the token scanners: every 1,024th call reads the clock and
  // throws ParseDeadline once the options' deadline has passed.
  void Tick() {
    if ((++ticks_ & 1023) == 0 && has_deadline_ &&
        std::chrono::steady_clock::now() >= deadline_)
      throw ParseDeadline{};
  }

  // ---- nesting guard -------------------------------------------------------
  void Enter(const char* pos);
  void Leave() { --depth_; }

  // ---- the memory limit ------------------------------------------------------
  // Every term and variable the parse reads goes through PushNode, which
  // charges what it will hold to QueryParseOptions::memory_limit_bytes
  // and throws ParseMemory once the total passes it. The charge per node
  // is kNodeCopies times the node and its strings: the syntax tree, the
  // algebra translated from it and the plan each hold a copy (measured:
  // a 12.8 MB VALUES query of a million terms peaked 320 MB above an
  // empty process, bench/RESULTS.md "Parse memory"). Nodes dominate
  // a large query's parsed form; the rest (operators, lists) is not
  // counted.
  static constexpr uint64_t kNodeCopies = 3;
  void PushNode(ast::VarOrTerm node);
  uint64_t charged_bytes() const { return charged_; }
  uint64_t memory_limit_bytes() const { return memory_limit_; }

  // ---- tokens (called by the scanners in tokens.cc) -------------------------
  void PushIri(std::string iri) { PushNode(Term::Iri(std::move(iri))); }
  std::string ResolveIri(std::string_view rel) const;
  // Expands prefix:local; throws GrammarError for an undeclared prefix.
  std::string ExpandPrefixed(const std::string& prefix,
                             const std::string& local, const char* pos) const;
  void PushVar(std::string name, const char* pos);
  void PushBlank(std::string label, const char* pos);  // "_:label"
  void PushAnon(const char* pos);                      // "[]"
  Term FreshBlank(const char* pos);

  // ---- prologue
  // --------------------------------------------------------------
  void SetBase(const char*, const char*);
  void SetPrefixName(std::string name) { pending_prefix_ = std::move(name); }
  void DeclarePrefix(const char*, const char*);

  // ---- expressions ---------------------------------------------------------
  void NodeToExpr(const char*, const char*);
  void Binary(ast::Expr::Kind kind, const char* pos);
  void Deepen(ast::Expr& e, const char* pos);
  void Unary(ast::Expr::Kind kind);
  void Mark(const char*, const char*) { marks.push_back(exprs.size()); }
  void NilMark(const char*, const char*);  // "()" as an empty list
  void InList(const char*, const char*);   // args[0] IN (marked...)
  void NotInList(const char*, const char*);
  void PushName(std::string name) { names.push_back(std::move(name)); }
  void IriToName(const char*, const char*);       // pops an IRI node
  void NameToConst(const char*, const char*);     // a plain IRI, not a call
  void FinishCall(const char* b, const char* e);  // pops name + mark
  void SetCallDistinct(const char*, const char*) { call_distinct_ = true; }
  void BeginAggregate(const char* b, const char* e);
  void AggregateStar(const char*, const char*) { aggs.back().star = true; }
  void AggregateDistinct(const char*, const char*) {
    aggs.back().distinct = true;
  }
  void AggregateSeparator(const char*, const char*) {
    aggs.back().separator = last_string;
  }
  void FinishAggregate(const char*, const char*);
  void FinishExists(const char*, const char*);
  void FinishNotExists(const char*, const char*);

  // ---- triples
  // ---------------------------------------------------------------
  void NodeToSubject(const char*, const char*);
  void PopSubject(const char*, const char*) { subjects.pop_back(); }
  void AnonSubject(const char* b, const char*);  // '[' of a property list
  void SubjectToNode(const char*, const char*);  // ']'
  void VarVerb(const char*, const char*);        // pops a Var node
  void PathVerb(const char*, const char*);       // pops a path
  void PopVerb(const char*, const char*) { verbs.pop_back(); }
  void EmitObject(const char* b, const char* e);        // pops the object node
  void FinishCollection(const char* b, const char* e);  // pops marked nodes
  void MarkNodes(const char*, const char*) { marks.push_back(nodes.size()); }
  void PushNil(const char*, const char*);

  // ---- paths
  // -------------------------------------------------------------------
  void PathIri(const char*, const char*);  // pops an IRI node
  void PathA(const char*, const char*);
  void PathInverse(const char*, const char*);
  void PathSequence(const char*, const char*);
  void PathAlternative(const char*, const char*);
  void PathMod(const char* b, const char* e);  // text is '*', '+' or '?'
  void NegatedBegin(const char*, const char*);
  void NegatedIri(const char*, const char*);  // pops an IRI node
  void NegatedA(const char*, const char*);
  void NegatedInverse(const char*, const char*) { negated_inverse_ = true; }

  // ---- group patterns -------------------------------------------------------
  void BeginGroup(const char* b, const char* e);
  void EndGroup(const char*, const char*);
  void AddOptional(const char*, const char*);
  void AddMinus(const char*, const char*);
  void MarkGroups(const char*, const char*) { marks.push_back(done.size()); }
  void AddGroupOrUnion(const char*, const char*);
  void AddGraph(const char*, const char*);  // pops graph node + group
  void AddFilter(const char*, const char*);
  void AddBind(const char* b, const char* e);  // pops expr + var node
  void Service(const char* b, const char* e);

  // ---- VALUES
  // ----------------------------------------------------------------
  void BeginValues(const char*, const char*);
  void ValuesVar(const char*, const char*);     // pops a var node
  void ValuesOneVar(const char*, const char*);  // VALUES ?x { ... }
  void PopNode(const char*, const char*) { nodes.pop_back(); }
  void NilRow(const char* b, const char* e);
  void ValuesUndef(const char*, const char*) { PushNode(ast::Var{}); }
  void ValuesRow(const char* b, const char* e);  // pops marked nodes
  void ValuesOneVarValue(const char* b, const char* e);
  void AddInlineValues(const char*, const char*);
  void TrailingValues(const char*, const char*);

  // ---- queries
  // -----------------------------------------------------------------
  void BeginQuery(const char* b, const char* e);  // also a subselect
  void SetForm(ast::QueryForm form) { queries.back().form = form; }
  void Distinct(const char*, const char*) { queries.back().distinct = true; }
  void Reduced(const char*, const char*) { queries.back().reduced = true; }
  void SelectAll(const char*, const char*) { queries.back().select_all = true; }
  void ProjectVar(const char* b, const char* e);
  void ProjectExpr(const char* b, const char* e);
  void AllowAggregates(const char*, const char*) {
    agg_allowed.push_back(true);
  }
  void DisallowAggregates(const char*, const char*) {
    agg_allowed.push_back(false);
  }
  void PopAggregateScope(const char*, const char*) { agg_allowed.pop_back(); }
  void From(const char*, const char*);       // pops an IRI node
  void FromNamed(const char*, const char*);  // pops an IRI node
  void SetWhere(const char*, const char*);   // pops the group
  void BeginTemplate(const char*, const char*);
  void EndConstructTemplate(const char*, const char*);
  void ConstructWhereBegin(const char* b, const char* e);
  void ConstructWhereEnd(const char*, const char*);
  void DescribeTerm(const char*, const char*);  // pops a node
  void GroupByExpr(const char*, const char*);
  void GroupByAs(const char*, const char*);
  void Having(const char*, const char*);
  void OrderAsc(const char*, const char*);
  void OrderDesc(const char*, const char*);
  void Limit(const char* b, const char* e);
  void Offset(const char* b, const char* e);
  void FinishSubSelect(const char* b, const char* e);
  void FinishQuery(const char* b, const char* e);

  // ---- updates
  // ------------------------------------------------------------------
  void BeginOperation(ast::UpdateOperation::Kind kind, const char* pos);
  void Silent(const char*, const char*) { op().silent = true; }
  void BeginQuadData(const char* b, const char* e);
  void BeginQuadPattern(bool is_delete, const char* pos);
  void EndQuads(const char*, const char*);
  void QuadsGraph(const char*, const char*);  // pops the graph node
  void QuadsGraphEnd(const char*, const char*) { quad_graph_.reset(); }
  void EndDeleteWhere(const char*, const char*);
  void With(const char*, const char*);         // pops an IRI
  void UsingGraph(const char*, const char*);   // pops an IRI
  void UsingNamed(const char*, const char*);   // pops an IRI
  void ModifyWhere(const char*, const char*);  // pops the group
  void LoadSource(const char*, const char*);   // pops an IRI
  void LoadInto(const char*, const char*);     // pops an IRI
  void Target(ast::GraphTarget::Kind kind);    // kGraph pops an IRI
  void SourceToFrom(const char*, const char*);
  void FinishOperation(const char* b, const char* e);

  // Results.
  ast::Query TakeQuery();
  ast::UpdateRequest TakeUpdate();

  // ---- stacks (public: the token scanners push directly) -------------------
  std::vector<ast::VarOrTerm> nodes;
  std::vector<ast::VarOrTerm> subjects;
  std::vector<Verb> verbs;
  std::vector<ast::Path> paths;
  std::vector<ast::Expr> exprs;
  std::vector<size_t> marks;
  std::vector<std::string> names;
  std::vector<ast::Expr> aggs;
  std::vector<bool> agg_allowed;
  // In-scope variables of the open group, for BIND's check (AddBind).
  struct BindScope {
    uint64_t group = UINT64_MAX;  // group_ids_ entry of the group counted
    size_t counted = 0;           // its elements counted so far
    std::set<std::string> names;
  };
  BindScope bind_scope_;
  std::vector<uint64_t> group_ids_;  // per open group: an id of its own
  uint64_t next_group_id_ = 1;
  std::vector<ast::GroupPattern> groups;  // open groups
  std::vector<ast::GroupPattern> done;    // closed, not yet consumed
  std::vector<ast::Query> queries;
  std::vector<ast::ValuesBlock> values;
  std::string last_string;  // the last string literal's lexical form

  std::string base;
  std::map<std::string, std::string> prefixes;
  // Set by the parser when it re-reads a text to test a fix for an error
  // message hint (query/parser.cc): an undeclared prefix is not an error.
  bool any_prefix = false;

 private:
  ast::UpdateOperation& op() { return update_.operations.back(); }
  void Emit(ast::TriplePattern t, const char* pos);
  void CheckBlankScope(const std::string& label, const char* pos);
  void AddElement(ast::PatternElement el);
  std::vector<ast::Expr> PopMarkedExprs();
  void CheckRow(size_t n, const char* pos);

  const char* begin_;
  const char* end_;
  std::chrono::steady_clock::time_point deadline_;
  bool has_deadline_ = false;
  uint64_t memory_limit_ = 0;  // 0: none
  uint64_t charged_ = 0;
  uint32_t ticks_ = 0;
  int depth_ = 0;
  std::string pending_prefix_;
  bool call_distinct_ = false;
  bool negated_inverse_ = false;
  bool values_one_var_ = false;
  const char* last_var_pos_ = nullptr;
  uint64_t anon_counter_ = 0;

  // Where triples go: the open group (a WHERE pattern) or a template.
  enum class Sink { kGroup, kTemplate };
  std::vector<Sink> sinks_;
  std::vector<ast::QuadTemplate> template_;
  std::optional<ast::VarOrTerm> quad_graph_;
  bool no_vars_ = false;    // INSERT DATA / DELETE DATA
  bool no_blanks_ = false;  // DELETE DATA / DELETE templates / DELETE WHERE
  bool in_delete_ = false;
  bool template_is_delete_ = false;

  // Blank node label scopes: a label may be used in one basic graph pattern
  // only (per query), and in one operation's data only (per request).
  std::map<std::string, int> pattern_labels_;
  std::map<std::string, int> template_labels_;
  std::vector<int> bgp_scope_;  // per open group: the current BGP's id
  int next_scope_ = 1;
  int template_scope_ = 0;

  ast::UpdateRequest update_;
};

// Static checks on a finished query that need the whole of it (projection
// scope, grouping). Returns an error message and the name of the variable
// involved, or std::nullopt. Implemented in query/grammar/static_checks.cc.
struct StaticError {
  std::string message;
  std::string var;  // to locate the error in the text, if any
};
std::optional<StaticError> CheckQuery(const ast::Query& query);

}  // namespace kg::grammar

#endif  // KGSTORE_QUERY_GRAMMAR_BUILDER_H_
