// The SPARQL algebra (SPARQL 1.1 section 18): what a query means, before
// any decision about how to run it. Translate() turns the AST into this
// tree; the engine's planner turns the tree into physical operators.
//
// Variables are numbered: every variable of the query (including the
// hidden ones the translation introduces for blank nodes in patterns,
// path sequences and aggregates) gets a slot index, so execution works on
// rows of term ids indexed by slot and never hashes names.
//
// Thread-safety: plain values.

#ifndef KGSTORE_QUERY_ALGEBRA_H_
#define KGSTORE_QUERY_ALGEBRA_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "query/ast.h"

namespace kg::algebra {

// A triple-pattern position: a variable slot, or a constant term.
struct Slot {
  int var = -1;  // >= 0: a variable slot
  Term term;     // when var < 0
  bool is_var() const { return var >= 0; }
  static Slot Var(int v) { return {v, {}}; }
  static Slot Const(Term t) { return {-1, std::move(t)}; }
};

struct Path {
  ast::Path::Kind kind = ast::Path::Kind::kIri;
  Term iri;
  std::vector<Path> children;
  std::vector<std::pair<Term, bool>> negated;  // (iri, inverse)
};

// A triple pattern whose predicate is a plain IRI or variable (path == null)
// or a property path.
struct Pattern {
  Slot subject, predicate, object;
  std::shared_ptr<Path> path;  // set for non-trivial paths; predicate unused
};

struct Node;

struct Expr {
  using Kind = ast::Expr::Kind;
  Kind kind = Kind::kConstant;
  int var = -1;       // kVar
  Term term;          // kConstant
  std::string name;   // kFunction
  std::vector<Expr> args;
  std::shared_ptr<Node> pattern;  // kExists / kNotExists
  int aggregate = -1;  // kAggregate: replaced by kVar of the aggregate's slot
};

struct Aggregate {
  std::string name;  // COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
  bool distinct = false;
  bool star = false;
  std::optional<Expr> arg;
  std::string separator = " ";
  int slot = -1;  // where the group operator puts the value
};

struct OrderKey {
  Expr expr;
  bool descending = false;
};

struct Node {
  enum class Kind {
    kUnit,      // one empty solution (the empty group pattern)
    kBgp,       // patterns (basic graph pattern, paths included)
    kJoin,      // children[0] join children[1]
    kLeftJoin,  // children[0] optional children[1], filter exprs (may be empty)
    kFilter,    // children[0] filtered by exprs (conjunction)
    kUnion,     // children[0] union children[1]
    kMinus,     // children[0] minus children[1]
    kExtend,    // children[0] extended with var := exprs[0]
    kValues,    // inline data: vars, rows
    kGraph,     // GRAPH graph { children[0] }; for a variable graph, var
                //   is a hidden slot for the graph's name while the child
                //   runs (the child's own ?g is then joined with it)
    kGroup,     // children[0] grouped by group_exprs (as group_vars), aggregates
    kOrderBy,   // children[0] ordered by order
    kProject,   // children[0] projected on vars (others become unbound)
    kDistinct,  // children[0] without duplicates
    kReduced,   // children[0], duplicates may be dropped
    kSlice,     // children[0] with offset/limit
  };
  Kind kind = Kind::kUnit;
  std::vector<std::shared_ptr<Node>> children;
  std::vector<Pattern> patterns;
  std::vector<Expr> exprs;
  int var = -1;
  std::vector<int> vars;
  std::vector<std::vector<std::optional<Term>>> rows;
  Slot graph;
  std::vector<Expr> group_exprs;
  std::vector<int> group_vars;  // slot per group expr
  std::vector<Aggregate> aggregates;
  std::vector<OrderKey> order;
  uint64_t offset = 0;
  std::optional<uint64_t> limit;
};

// Which quads a query reads (FROM / FROM NAMED, or the store default).
struct Dataset {
  // FROM graphs; empty means the store's default (see QueryOptions).
  std::vector<Term> default_graphs;
  std::vector<Term> named_graphs;
  bool has_from = false;  // FROM or FROM NAMED given
};

struct Query {
  ast::QueryForm form = ast::QueryForm::kSelect;
  std::shared_ptr<Node> root;
  std::vector<std::string> var_names;  // slot -> name ("" never)
  std::vector<int> projection;         // SELECT: slots of the result columns
  std::vector<Pattern> construct_template;
  std::vector<Slot> describe;
  Dataset dataset;
  std::map<std::string, std::string> prefixes;
  std::string base;  // the query's base IRI (BASE, or the caller's)
};

// Translates a parsed query. Errors: InvalidArgument for queries the engine
// does not support, with a message naming the construct.
absl::StatusOr<Query> Translate(const ast::Query& query);

// Translates a group graph pattern (for update WHERE clauses), adding
// variables to `var_names`.
absl::StatusOr<std::shared_ptr<Node>> TranslatePattern(
    const ast::GroupPattern& pattern, std::vector<std::string>* var_names);

// Translates a quad template with variables named as in `var_names` (new
// names are added).
Slot TranslateSlot(const ast::VarOrTerm& v, std::vector<std::string>* var_names);

}  // namespace kg::algebra

#endif  // KGSTORE_QUERY_ALGEBRA_H_
