// Database::Query, Explain and Update: parse, translate, plan, run. An
// update request runs in one write transaction: every operation applies or
// none does.

#include <chrono>
#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "engine/executor.h"
#include "engine/query_cache.h"
#include "query/algebra.h"
#include "query/parser.h"
#include "storage/base/absl_compat.h"
#include "storage/store.h"

namespace kg {
namespace {

// The parse options of a request that arrived at `started`: its time
// limit holds while its text is read too.
QueryParseOptions ParseOptionsFor(const QueryOptions& options,
                                  std::chrono::steady_clock::time_point started) {
  QueryParseOptions po;
  po.base_iri = options.base_iri;
  po.prefixes = options.prefixes;
  if (options.timeout_ms > 0)
    po.deadline = started + std::chrono::milliseconds(options.timeout_ms);
  po.memory_limit_bytes = options.memory_limit_bytes;
  return po;
}

// A parse that ran out of time, said as the evaluation says it (the
// parser says a memory limit that way itself).
absl::Status ParseFailed(const absl::Status& s, const QueryOptions& options) {
  if (!absl::IsDeadlineExceeded(s)) return s;
  return absl::DeadlineExceededError(
      absl::StrCat("query exceeded its time limit of ", options.timeout_ms,
                   " ms while its text was being read"));
}

// Applies writes of one update request through the transaction, counting.
class Writer {
 public:
  explicit Writer(WriteTxn* txn) : txn_(txn) {}
  absl::Status Insert(const Quad& q) {
    if (q.subject.is_literal() || !q.predicate.is_iri() ||
        (q.graph && q.graph->is_literal()))
      return absl::OkStatus();  // not a valid triple: skipped, as SPARQL says
    QuadIds ids;
    const Term* terms[3] = {&q.subject, &q.predicate, &q.object};
    for (int i = 0; i < 3; ++i) {
      auto id = txn_->Intern(*terms[i]);
      if (!id.ok()) return id.status();
      ids.at(i) = *id;
    }
    if (q.graph) {
      auto id = txn_->Intern(*q.graph);
      if (!id.ok()) return id.status();
      ids.g = *id;
    }
    auto added = txn_->Insert(ids);
    if (!added.ok()) return added.status();
    if (*added) ++inserted;
    return absl::OkStatus();
  }
  absl::Status Remove(const Quad& q) {
    QuadIds ids;
    const Term* terms[3] = {&q.subject, &q.predicate, &q.object};
    for (int i = 0; i < 3; ++i) {
      auto id = txn_->Lookup(*terms[i]);
      if (!id.ok()) return id.status();
      if (!id->has_value()) return absl::OkStatus();
      ids.at(i) = **id;
    }
    if (q.graph) {
      auto id = txn_->Lookup(*q.graph);
      if (!id.ok()) return id.status();
      if (!id->has_value()) return absl::OkStatus();
      ids.g = **id;
    }
    auto removed = txn_->Remove(ids);
    if (!removed.ok()) return removed.status();
    if (*removed) ++this->removed;
    return absl::OkStatus();
  }
  // Removes every quad of one graph (kDefaultGraph for the default graph).
  absl::Status ClearGraph(TermId g) {
    QuadIds pattern;
    pattern.g = g;
    std::vector<QuadIds> victims;
    for (auto it = txn_->Scan(pattern, 8); it->Valid(); it->Next())
      victims.push_back(it->quad());
    for (const QuadIds& q : victims) {
      auto r = txn_->Remove(q);
      if (!r.ok()) return r.status();
      if (*r) ++removed;
    }
    return absl::OkStatus();
  }
  // Every quad of a graph as terms.
  absl::StatusOr<std::vector<Quad>> GraphQuads(TermId g) {
    QuadIds pattern;
    pattern.g = g;
    std::vector<Quad> out;
    for (auto it = txn_->Scan(pattern, 8); it->Valid(); it->Next()) {
      Quad q;
      auto s = txn_->Resolve(it->quad().s);
      auto p = txn_->Resolve(it->quad().p);
      auto o = txn_->Resolve(it->quad().o);
      if (!s.ok()) return s.status();
      if (!p.ok()) return p.status();
      if (!o.ok()) return o.status();
      out.push_back({*s, *p, *o, std::nullopt});
    }
    return out;
  }
  std::vector<TermId> NamedGraphs(const StoreStatistics& stats) {
    std::vector<TermId> out;
    for (const auto& [g, n] : stats.graphs)
      if (g != kDefaultGraph) out.push_back(g);
    return out;
  }

  uint64_t inserted = 0, removed = 0;

 private:
  WriteTxn* txn_;
};

// The graph a GraphTarget names, as an id; std::nullopt when the store does
// not know it (so it is empty).
absl::StatusOr<std::optional<TermId>> TargetGraph(WriteTxn* txn,
                                                  const ast::GraphTarget& t) {
  if (t.kind == ast::GraphTarget::Kind::kDefault)
    return std::optional<TermId>(kDefaultGraph);
  return txn->Lookup(Term::Iri(t.iri));
}

// Instantiates a quad template for one solution. False when a variable is
// unbound or the result is not a valid quad.
bool Instantiate(const ast::QuadTemplate& tpl,
                 const std::vector<std::string>& names,
                 const std::vector<std::optional<Term>>& row,
                 const std::optional<Term>& with_graph,
                 absl::flat_hash_map<std::string, Term>* bnodes,
                 uint64_t* bnode_counter, Quad* out) {
  auto value = [&](const ast::VarOrTerm& v) -> std::optional<Term> {
    if (const ast::Var* var = std::get_if<ast::Var>(&v)) {
      for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == var->name) return row[i];
      return std::nullopt;
    }
    const Term& t = std::get<Term>(v);
    if (t.is_blank()) {
      auto [it, inserted] = bnodes->try_emplace(t.lexical);
      if (inserted)
        it->second = Term::BlankNode(absl::StrCat("u", ++*bnode_counter));
      return it->second;
    }
    return t;
  };
  auto s = value(tpl.triple.subject);
  auto o = value(tpl.triple.object);
  std::optional<Term> p;
  if (const ast::Var* pv = std::get_if<ast::Var>(&tpl.triple.predicate)) {
    p = value(*pv);
  } else {
    p = Term::Iri(std::get<ast::Path>(tpl.triple.predicate).iri);
  }
  if (!s || !p || !o) return false;
  std::optional<Term> g = with_graph;
  if (tpl.graph) {
    g = value(*tpl.graph);
    if (!g) return false;
  }
  *out = {*s, *p, *o, g};
  return true;
}

// The WHERE of DELETE WHERE, built from its quad templates.
ast::GroupPattern PatternOfTemplates(const std::vector<ast::QuadTemplate>& q) {
  ast::GroupPattern group;
  ast::PatternElement triples;
  triples.kind = ast::PatternElement::Kind::kTriples;
  for (const auto& t : q) {
    if (!t.graph) {
      triples.triples.push_back(t.triple);
      continue;
    }
    ast::PatternElement graph;
    graph.kind = ast::PatternElement::Kind::kGraph;
    graph.graph = *t.graph;
    ast::GroupPattern inner;
    ast::PatternElement el;
    el.kind = ast::PatternElement::Kind::kTriples;
    el.triples.push_back(t.triple);
    inner.elements.push_back(std::move(el));
    graph.groups.push_back(std::move(inner));
    group.elements.push_back(std::move(graph));
  }
  if (!triples.triples.empty())
    group.elements.insert(group.elements.begin(), std::move(triples));
  return group;
}

}  // namespace

absl::StatusOr<std::unique_ptr<QueryResult>> Database::Query(
    std::string_view text, const QueryOptions& options) const {
  const auto started = std::chrono::steady_clock::now();
  auto translated = query_cache_->Get(text, ParseOptionsFor(options, started));
  if (!translated.ok()) return ParseFailed(translated.status(), options);
  std::shared_ptr<const QuadReader> source = store_->NewReadView();
  return ExecuteQuery(std::move(source), store_->StatisticsSnapshot(),
                      *std::move(translated), options, started);
}

absl::StatusOr<std::string> Database::Explain(std::string_view text,
                                              bool profile,
                                              const QueryOptions& options) const {
  const auto started = std::chrono::steady_clock::now();
  auto translated = query_cache_->Get(text, ParseOptionsFor(options, started));
  if (!translated.ok()) return ParseFailed(translated.status(), options);
  std::shared_ptr<const QuadReader> source = store_->NewReadView();
  return ExplainQuery(std::move(source), store_->StatisticsSnapshot(),
                      *std::move(translated), options, profile, started);
}

absl::StatusOr<UpdateSummary> Database::Update(std::string_view text,
                                               const QueryOptions& options) {
  auto start = std::chrono::steady_clock::now();
  auto parsed = ParseUpdate(text, ParseOptionsFor(options, start));
  if (!parsed.ok()) return ParseFailed(parsed.status(), options);
  auto txn_or = store_->BeginWrite();
  if (!txn_or.ok()) return txn_or.status();
  std::unique_ptr<WriteTxn> txn = *std::move(txn_or);
  Writer w(txn.get());
  uint64_t bnode_counter = 0;
  // Statistics as the transaction changes them are not visible here; the
  // planner's estimates use the committed ones, which only affects speed.
  std::shared_ptr<const StoreStatistics> stats = store_->StatisticsSnapshot();

  for (const ast::UpdateOperation& op : parsed->operations) {
    using K = ast::UpdateOperation::Kind;
    absl::Status st;
    switch (op.kind) {
      case K::kInsertData:
      case K::kDeleteData: {
        absl::flat_hash_map<std::string, Term> bnodes;
        for (const auto& tpl : op.kind == K::kInsertData ? op.insert : op.remove) {
          Quad q;
          if (!Instantiate(tpl, {}, {}, std::nullopt, &bnodes, &bnode_counter,
                           &q))
            continue;
          st = op.kind == K::kInsertData ? w.Insert(q) : w.Remove(q);
          if (!st.ok()) return st;
        }
        break;
      }
      case K::kDeleteWhere:
      case K::kModify: {
        ast::GroupPattern where = op.kind == K::kDeleteWhere
                                      ? PatternOfTemplates(op.remove)
                                      : op.where;
        std::vector<std::string> names;
        auto node = algebra::TranslatePattern(where, &names);
        if (!node.ok()) return node.status();
        algebra::Dataset dataset;
        std::optional<Term> with;
        if (op.with) with = Term::Iri(*op.with);
        if (!op.using_graphs.empty() || !op.using_named.empty()) {
          dataset.has_from = true;
          for (const auto& g : op.using_graphs)
            dataset.default_graphs.push_back(Term::Iri(g));
          for (const auto& g : op.using_named)
            dataset.named_graphs.push_back(Term::Iri(g));
        } else if (with) {
          dataset.has_from = true;
          dataset.default_graphs.push_back(*with);
          for (TermId g : w.NamedGraphs(*stats)) {
            auto t = txn->Resolve(g);
            if (t.ok()) dataset.named_graphs.push_back(*t);
          }
        }
        // Not owned: the transaction outlives the evaluation.
        std::shared_ptr<const QuadReader> source(txn.get(),
                                                 [](const QuadReader*) {});
        auto rows = EvaluatePattern(source, stats, *node, names.size(), dataset,
                                    options, start);
        if (!rows.ok()) return rows.status();
        // Every deletion is computed from the solutions before any insert.
        std::vector<Quad> to_remove, to_insert;
        for (const auto& row : *rows) {
          absl::flat_hash_map<std::string, Term> bnodes;
          for (const auto& tpl : op.remove) {
            Quad q;
            if (Instantiate(tpl, names, row, with, &bnodes, &bnode_counter, &q))
              to_remove.push_back(std::move(q));
          }
          for (const auto& tpl : op.insert) {
            Quad q;
            if (Instantiate(tpl, names, row, with, &bnodes, &bnode_counter, &q))
              to_insert.push_back(std::move(q));
          }
        }
        for (const Quad& q : to_remove)
          if (!(st = w.Remove(q)).ok()) return st;
        for (const Quad& q : to_insert)
          if (!(st = w.Insert(q)).ok()) return st;
        break;
      }
      case K::kClear:
      case K::kDrop: {
        std::vector<TermId> graphs;
        switch (op.target.kind) {
          case ast::GraphTarget::Kind::kDefault:
            graphs = {kDefaultGraph};
            break;
          case ast::GraphTarget::Kind::kNamed:
            graphs = w.NamedGraphs(*stats);
            break;
          case ast::GraphTarget::Kind::kAll:
            graphs = w.NamedGraphs(*stats);
            graphs.push_back(kDefaultGraph);
            break;
          case ast::GraphTarget::Kind::kGraph: {
            auto id = TargetGraph(txn.get(), op.target);
            if (!id.ok()) return id.status();
            if (!id->has_value()) {
              if (!op.silent && op.kind == K::kDrop)
                return absl::NotFoundError(
                    absl::StrCat("DROP: graph <", op.target.iri,
                                 "> does not exist"));
              break;
            }
            graphs = {**id};
            break;
          }
        }
        for (TermId g : graphs)
          if (!(st = w.ClearGraph(g)).ok()) return st;
        break;
      }
      case K::kCreate:
        // Graphs exist when they hold quads; an empty CREATE has nothing to
        // record. CREATE of a graph that holds quads is an error.
        if (!op.silent) {
          auto id = TargetGraph(txn.get(), op.target);
          if (!id.ok()) return id.status();
          if (id->has_value() && stats->graphs.contains(**id))
            return absl::AlreadyExistsError(absl::StrCat(
                "CREATE: graph <", op.target.iri, "> already exists"));
        }
        break;
      case K::kAdd:
      case K::kMove:
      case K::kCopy: {
        auto from = TargetGraph(txn.get(), op.from);
        if (!from.ok()) return from.status();
        auto to = TargetGraph(txn.get(), op.target);
        if (!to.ok()) return to.status();
        bool same = op.from.kind == op.target.kind && op.from.iri == op.target.iri;
        if (same) break;
        std::vector<Quad> quads;
        if (from->has_value()) {
          auto q = w.GraphQuads(**from);
          if (!q.ok()) return q.status();
          quads = *std::move(q);
        } else if (!op.silent) {
          return absl::NotFoundError(absl::StrCat("graph <", op.from.iri,
                                                  "> does not exist"));
        }
        if (op.kind != K::kAdd && to->has_value())
          if (!(st = w.ClearGraph(**to)).ok()) return st;
        std::optional<Term> target;
        if (op.target.kind == ast::GraphTarget::Kind::kGraph)
          target = Term::Iri(op.target.iri);
        for (Quad q : quads) {
          q.graph = target;
          if (!(st = w.Insert(q)).ok()) return st;
        }
        if (op.kind == K::kMove && from->has_value())
          if (!(st = w.ClearGraph(**from)).ok()) return st;
        break;
      }
      case K::kLoad: {
        if (!options.allow_file_access) {
          if (op.silent) break;
          return absl::PermissionDeniedError(
              "LOAD is disabled: the host application has not enabled file "
              "access (QueryOptions::allow_file_access)");
        }
        std::string path = op.source;
        if (absl::StartsWith(path, "file://")) path = path.substr(7);
        auto format = RdfFormatFromPath(path);
        std::ifstream in(path, std::ios::binary);
        if (!format.ok() || !in) {
          if (op.silent) break;
          return absl::NotFoundError(
              absl::StrCat("LOAD: cannot read ", op.source,
                           format.ok() ? "" : " (unknown format)"));
        }
        ParseOptions po;
        po.source_name = path;
        po.base_iri = op.source;
        if (op.into) po.default_graph = Term::Iri(*op.into);
        st = ParseRdf(in, *format, po, [&](const Quad& q) { return w.Insert(q); });
        if (!st.ok() && !op.silent) return st;
        break;
      }
    }
  }
  absl::Status committed = txn->Commit();
  if (!committed.ok()) return committed;
  UpdateSummary summary;
  summary.inserted = w.inserted;
  summary.removed = w.removed;
  summary.seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  return summary;
}

}  // namespace kg
