// The in-memory selections (selection.h).

#include "engine/export/selection.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "engine/query_result.h"

namespace kg::export_internal {
namespace {

QuadPattern WithGraph(QuadPattern p, const std::optional<Term>& graph) {
  if (graph) p.graph = GraphSelector::Named(*graph);
  return p;
}

std::string TermKey(const Term& t) { return t.ToNTriples(); }

bool IsRdfType(const Term& t) { return t.is_iri() && t.lexical == kRdfType; }

}  // namespace

absl::StatusOr<std::vector<Quad>> SelectConstruct(const Database& db,
                                                  const ExportOptions& o,
                                                  PrefixMap* query_prefixes) {
  auto result = db.Query(o.query, o.query_options);
  if (!result.ok()) return result.status();
  if ((*result)->kind() != QueryResult::Kind::kGraph)
    return absl::InvalidArgumentError(
        "the export query must be a CONSTRUCT or DESCRIBE query");
  *query_prefixes = (*result)->prefixes();
  std::vector<Quad> quads;
  Quad t;
  while (true) {
    auto more = (*result)->NextTriple(&t);
    if (!more.ok()) return more.status();
    if (!*more) break;
    QuadPattern p;
    p.subject = t.subject;
    p.predicate = t.predicate;
    p.object = t.object;
    bool found = false;
    for (auto c = db.Match(WithGraph(p, o.graph)); c->Valid(); c->Next()) {
      found = true;
      quads.push_back(c->quad());
    }
    if (!found && !o.graph) {
      t.graph.reset();
      quads.push_back(t);
    }
  }
  return quads;
}

absl::StatusOr<std::vector<Quad>> SelectAround(const Database& db,
                                               const ExportOptions& o) {
  if (o.around->is_literal())
    return absl::InvalidArgumentError("--around needs an IRI or a blank node");
  absl::flat_hash_set<std::string> seen = {TermKey(*o.around)};
  std::vector<Term> nodes = {*o.around};
  std::vector<Term> frontier = {*o.around};
  for (int hop = 0; hop < o.hops && !frontier.empty(); ++hop) {
    std::vector<Term> next;
    for (const Term& n : frontier) {
      for (int dir = 0; dir < 2; ++dir) {
        QuadPattern p;
        (dir == 0 ? p.subject : p.object) = n;
        for (auto c = db.Match(WithGraph(p, o.graph)); c->Valid(); c->Next()) {
          const Quad& q = c->quad();
          if (IsRdfType(q.predicate)) continue;
          const Term& other = dir == 0 ? q.object : q.subject;
          if (other.is_literal()) continue;
          if (seen.insert(TermKey(other)).second) {
            next.push_back(other);
            nodes.push_back(other);
          }
        }
      }
    }
    frontier = std::move(next);
  }
  // The induced subgraph: every quad from a selected node to a literal, a
  // class or another selected node.
  std::vector<Quad> quads;
  for (const Term& n : nodes) {
    QuadPattern p;
    p.subject = n;
    for (auto c = db.Match(WithGraph(p, o.graph)); c->Valid(); c->Next()) {
      const Quad& q = c->quad();
      if (q.object.is_literal() || IsRdfType(q.predicate) ||
          seen.contains(TermKey(q.object)))
        quads.push_back(q);
    }
  }
  return quads;
}

}  // namespace kg::export_internal
