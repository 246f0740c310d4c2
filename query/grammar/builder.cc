// The Builder (builder.h): its state, the nesting guard, the terms the token
// scanners hand it (IRIs resolved and prefixed names expanded, variables,
// blank nodes with the label scope of SPARQL 1.1 section 19.6), the
// prologue, and the finished query or update. The semantic actions of each
// area of the grammar are in a file of their own, as the grammar's rules
// are: builder_expressions.cc, builder_triples.cc (triples and property
// paths), builder_patterns.cc (group patterns and VALUES),
// builder_query.cc (query forms and solution modifiers), builder_update.cc;
// the checks on a whole query (sections 18.2.1 and 11.4) are in
// static_checks.cc.

#include "query/grammar/builder.h"

#include <string>

#include "storage/rdf/iri.h"

namespace kg::grammar {
namespace {

constexpr int kMaxDepth = 200;

// The bytes a string holds on the heap (none when short enough to live
// inside the string object).
uint64_t HeapBytes(const std::string& s) {
  return s.capacity() > std::string().capacity() ? s.capacity() + 1 : 0;
}

}  // namespace

Builder::Builder(std::string_view text, const QueryParseOptions& options)
    : base(options.base_iri),
      prefixes(options.prefixes),
      begin_(text.data()),
      end_(text.data() + text.size()),
      deadline_(options.deadline),
      has_deadline_(options.deadline !=
                    std::chrono::steady_clock::time_point::max()),
      memory_limit_(options.memory_limit_bytes) {
  agg_allowed.push_back(false);
}

void Builder::PushNode(ast::VarOrTerm node) {
  uint64_t bytes = sizeof(node);
  if (const Term* t = std::get_if<Term>(&node))
    bytes += HeapBytes(t->lexical) + HeapBytes(t->datatype) +
             HeapBytes(t->language);
  else
    bytes += HeapBytes(std::get<ast::Var>(node).name);
  charged_ += kNodeCopies * bytes;
  if (memory_limit_ != 0 && charged_ > memory_limit_) throw ParseMemory{};
  nodes.push_back(std::move(node));
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
  PushNode(ast::Var{std::move(name)});
}

void Builder::PushBlank(std::string label, const char* pos) {
  if (no_blanks_) {
    throw GrammarError{pos,
                       "blank nodes are not allowed in DELETE "
                       "templates and DELETE DATA"};
  }
  CheckBlankScope(label, pos);
  PushNode(Term::BlankNode(std::move(label)));
}

void Builder::PushAnon(const char* pos) { PushNode(FreshBlank(pos)); }

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

// ---- prologue --------------------------------------------------------------
void Builder::SetBase(const char*, const char*) {}

void Builder::DeclarePrefix(const char*, const char*) {
  prefixes[pending_prefix_] = std::get<Term>(nodes.back()).lexical;
  nodes.pop_back();
}

// ---- results ---------------------------------------------------------------
ast::Query Builder::TakeQuery() { return std::move(queries.front()); }

ast::UpdateRequest Builder::TakeUpdate() {
  update_.prefixes = prefixes;
  return std::move(update_);
}

}  // namespace kg::grammar
