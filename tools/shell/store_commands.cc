// The dot commands on the store itself: .load adds a file's data, .stats
// and .schema describe what is there.

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/database.h"
#include "engine/iri_prefixes.h"
#include "engine/query_result.h"
#include "storage/rdf/term.h"
#include "tools/shell/shell.h"
#include "tools/shell/sigint_scope.h"

namespace kg::tools::shell {
namespace {

Term IntegerTerm(uint64_t n) {
  return Term::Literal(std::to_string(n), std::string(kXsdInteger));
}

}  // namespace

bool Shell::CmdLoad(std::string_view, const std::vector<std::string>& args) {
  if (args.empty() || args.size() > 2) return Usage(".load");
  LoadOptions lo;
  if (args.size() == 2) {
    std::string g = args[1];
    if (g.size() >= 2 && g.front() == '<' && g.back() == '>')
      g = g.substr(1, g.size() - 2);
    lo.graph = Term::Iri(g);
  }
  auto summary = db_->LoadFile(args[0], lo);
  if (!summary.ok()) {
    Error(cur_src_,
          absl::StrCat(summary.status().message(), " (nothing was loaded)"));
    return false;
  }
  vocabulary_loaded_ = false;
  AddStorePrefixes();
  if (interactive_ || timer_) {
    std::cerr << absl::StrFormat(
        "%d statements read, %d quads added, %d duplicates (%.3f s)\n",
        summary->statements, summary->quads_added, summary->duplicates,
        summary->seconds);
  }
  return true;
}

// The store's prefixes (StorePrefixes, engine/iri_prefixes.h) for the
// names the session has not bound: after a load adds data.
void Shell::AddStorePrefixes() {
  for (auto& [name, iri] : StorePrefixes(*db_)) prefixes_.emplace(name, iri);
}

bool Shell::CmdStats(std::string_view, const std::vector<std::string>&) {
  DatabaseStatistics st = db_->Statistics();
  std::ostream& o = Out();
  o << absl::StrFormat("quads %d, on disk %.1f MiB, %d graphs, %d predicates\n",
                       st.quads, static_cast<double>(st.disk_bytes) / (1 << 20),
                       st.graphs.size(), st.predicates.size());
  ResultTable graphs;
  graphs.variables = {"graph", "quads"};
  for (const GraphSummary& g : st.graphs) {
    graphs.rows.push_back(
        {g.graph.has_value()
             ? std::optional<Term>(*g.graph)
             : std::optional<Term>(Term::Literal("(default graph)")),
         IntegerTerm(g.quads)});
  }
  if (!WriteTable(std::move(graphs))) return false;
  ResultTable preds;
  preds.variables = {"predicate", "quads", "subjects", "objects"};
  for (const PredicateSummary& p : st.predicates) {
    preds.rows.push_back({p.predicate, IntegerTerm(p.quads),
                          IntegerTerm(p.distinct_subjects),
                          IntegerTerm(p.distinct_objects)});
  }
  return WriteTable(std::move(preds));
}

bool Shell::CmdSchema(std::string_view, const std::vector<std::string>&) {
  DatabaseStatistics st = db_->Statistics();
  ResultTable preds;
  preds.variables = {"predicate", "quads"};
  for (const PredicateSummary& p : st.predicates) {
    preds.rows.push_back({p.predicate, IntegerTerm(p.quads)});
  }
  if (!WriteTable(std::move(preds))) return false;
  auto classes = ClassCounts();
  if (!classes.ok()) {
    Error(cur_src_, classes.status().message());
    return false;
  }
  ResultTable table;
  table.variables = {"class", "instances"};
  for (auto& [iri, n] : *classes)
    table.rows.push_back({Term::Iri(iri), IntegerTerm(n)});
  return WriteTable(std::move(table));
}

// Classes (objects of rdf:type) with their instance counts, most first.
absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>>
Shell::ClassCounts() {
  QueryOptions qo = QueryOpts();
  SigintScope sigint;
  auto r = db_->Query(
      "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/1999/02/"
      "22-rdf-syntax-ns#type> ?c } GROUP BY ?c ORDER BY DESC(?n) ?c",
      qo);
  if (!r.ok()) return r.status();
  std::vector<std::pair<std::string, uint64_t>> out;
  Row row;
  for (;;) {
    auto more = (*r)->NextRow(&row);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (row.size() < 2 || !row[0] || !row[0]->is_iri()) continue;
    uint64_t n =
        row[1] ? std::strtoull(row[1]->lexical.c_str(), nullptr, 10) : 0;
    out.emplace_back(row[0]->lexical, n);
  }
  return out;
}

}  // namespace kg::tools::shell
