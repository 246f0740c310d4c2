// The plain syntax tree of a SPARQL 1.1 query or update request, as the
// parser (query/parser.h) produces it and the compiler consumes it.
//
// Everything is resolved at parse time: prefixed names and relative IRIs are
// absolute IRIs, literals carry their datatype (numeric literals get
// xsd:integer / xsd:decimal / xsd:double, booleans xsd:boolean), language
// tags are lower-case, 'a' is rdf:type. RDF collections "( ... )" in
// patterns and templates are expanded to rdf:first/rdf:rest triples with
// fresh blank nodes; "[ ... ]" property lists become triples on a fresh blank
// node. Blank nodes stay blank-node Terms (labels "_:x" keep their label;
// anonymous ones get labels starting with "anon"), so the compiler decides
// what they mean (a non-distinguished variable in a WHERE pattern, a fresh
// node in a CONSTRUCT template or INSERT).
//
// Plain values: copyable, no shared state.

#ifndef KGSTORE_QUERY_AST_H_
#define KGSTORE_QUERY_AST_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "storage/rdf/term.h"

namespace kg::ast {

struct Var {
  std::string name;  // without '?' or '$'
  friend bool operator==(const Var&, const Var&) = default;
};

// A position in a triple pattern: a variable or a constant term.
using VarOrTerm = std::variant<Var, Term>;

// ---- property paths --------------------------------------------------------
struct Path {
  enum class Kind {
    kIri,          // iri: one step along a predicate
    kInverse,      // ^children[0]
    kSequence,     // children[0] / children[1] / ...
    kAlternative,  // children[0] | children[1] | ...
    kZeroOrMore,   // children[0]*
    kOneOrMore,    // children[0]+
    kZeroOrOne,    // children[0]?
    kNegatedSet,   // !( iri | ^iri ... ): negated[i] = (iri, is_inverse)
  };
  Kind kind = Kind::kIri;
  std::string iri;
  std::vector<Path> children;
  std::vector<std::pair<std::string, bool>> negated;
};

// s p o, where the predicate is a variable or a path (a plain IRI predicate
// is a Path of kind kIri).
struct TriplePattern {
  VarOrTerm subject;
  std::variant<Var, Path> predicate;
  VarOrTerm object;
};

// ---- expressions ------------------------------------------------------------
struct GroupPattern;
struct Query;

struct Expr {
  enum class Kind {
    kVar,       // var
    kConstant,  // term
    kOr, kAnd, kNot,
    kEq, kNe, kLt, kGt, kLe, kGe,
    kAdd, kSub, kMul, kDiv, kNegate, kUnaryPlus,
    kIn, kNotIn,           // args[0] IN (args[1..])
    kFunction,             // name(args): builtin name upper-case ("STR",
                           // "REGEX", "COALESCE", ...) or an IRI for casts
                           // and extension functions (e.g. xsd:integer)
    kExists, kNotExists,   // pattern
    kAggregate,            // name: COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT;
                           // args empty for COUNT(*); distinct; separator
  };
  Kind kind = Kind::kConstant;
  Var var;
  Term term;
  std::string name;
  std::vector<Expr> args;
  std::shared_ptr<GroupPattern> pattern;  // EXISTS / NOT EXISTS
  bool distinct = false;                  // aggregates
  bool star = false;                      // COUNT(*)
  std::optional<std::string> separator;   // GROUP_CONCAT
  // Levels of operators and calls from here down (1 for a leaf). Set by
  // the parser, which refuses expressions deeper than it allows: every
  // later stage recurses once per level.
  uint32_t depth = 1;
};

// ---- graph patterns -------------------------------------------------------------
struct ValuesBlock {
  std::vector<Var> vars;
  // One row per solution; std::nullopt is UNDEF.
  std::vector<std::vector<std::optional<Term>>> rows;
};

struct PatternElement {
  enum class Kind {
    kTriples,   // triples (a basic graph pattern, possibly with paths)
    kFilter,    // expr
    kOptional,  // groups[0]
    kUnion,     // groups[0] UNION groups[1] UNION ...
    kMinus,     // groups[0]
    kBind,      // expr AS var
    kValues,    // values
    kGraph,     // GRAPH graph { groups[0] }
    kSubSelect, // subquery
    kGroup,     // a nested { groups[0] }
  };
  Kind kind = Kind::kTriples;
  std::vector<TriplePattern> triples;
  Expr expr;
  Var var;
  std::vector<GroupPattern> groups;
  VarOrTerm graph;
  ValuesBlock values;
  std::shared_ptr<Query> subquery;
};

struct GroupPattern {
  std::vector<PatternElement> elements;
};

// ---- queries ------------------------------------------------------------------
struct Projection {
  Var var;
  std::optional<Expr> expr;  // (expr AS ?var)
};

struct OrderKey {
  Expr expr;
  bool descending = false;
};

struct GroupKey {
  Expr expr;
  std::optional<Var> as;  // GROUP BY (expr AS ?v)
};

enum class QueryForm { kSelect, kAsk, kConstruct, kDescribe };

struct Query {
  QueryForm form = QueryForm::kSelect;
  // SELECT
  bool distinct = false;
  bool reduced = false;
  bool select_all = false;  // SELECT * (also DESCRIBE *)
  std::vector<Projection> projections;
  // CONSTRUCT (for "CONSTRUCT WHERE { ... }" the template is the pattern's
  // triples, filled in by the parser)
  std::vector<TriplePattern> construct_template;
  // DESCRIBE
  std::vector<VarOrTerm> describe;
  // Dataset
  std::vector<std::string> from;
  std::vector<std::string> from_named;
  GroupPattern where;
  std::vector<GroupKey> group_by;
  std::vector<Expr> having;
  std::vector<OrderKey> order_by;
  std::optional<uint64_t> limit;
  uint64_t offset = 0;
  std::optional<ValuesBlock> values;  // trailing VALUES
  // The prologue, for writers that shorten IRIs.
  std::map<std::string, std::string> prefixes;
  std::string base;
};

// ---- updates ----------------------------------------------------------------------
// A quad template / quad data: a triple plus the graph it is in
// (std::nullopt: the default graph, or WITH's graph).
struct QuadTemplate {
  TriplePattern triple;  // predicate is a Var or a kIri Path only
  std::optional<VarOrTerm> graph;
};

struct GraphTarget {
  enum class Kind { kDefault, kNamed, kAll, kGraph };
  Kind kind = Kind::kDefault;
  std::string iri;  // kGraph
};

struct UpdateOperation {
  enum class Kind {
    kInsertData, kDeleteData,  // insert / remove: quad data, no variables
    kDeleteWhere,              // remove: patterns (also the WHERE)
    kModify,                   // [WITH] DELETE {remove} INSERT {insert}
                               // [USING ...] WHERE {where}
    kLoad,                     // LOAD [SILENT] source [INTO GRAPH into]
    kClear, kDrop, kCreate,    // target (kCreate: kGraph only)
    kAdd, kMove, kCopy,        // from -> to (kDefault or kGraph targets)
  };
  Kind kind = Kind::kInsertData;
  bool silent = false;
  std::vector<QuadTemplate> remove;
  std::vector<QuadTemplate> insert;
  std::optional<std::string> with;
  std::vector<std::string> using_graphs;
  std::vector<std::string> using_named;
  GroupPattern where;
  GraphTarget target;
  GraphTarget from;  // ADD/MOVE/COPY source
  std::string source;                 // LOAD
  std::optional<std::string> into;    // LOAD ... INTO GRAPH
};

struct UpdateRequest {
  std::vector<UpdateOperation> operations;
  std::map<std::string, std::string> prefixes;
};

}  // namespace kg::ast

#endif  // KGSTORE_QUERY_AST_H_
