// ExportGraph (engine/graph_export.h): the selection -> a quad source ->
// the builder's three passes -> the format's writer.

#include "engine/graph_export.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/export/graph_builder.h"
#include "engine/export/graph_model.h"
#include "engine/export/quad_source.h"
#include "engine/export/selection.h"
#include "engine/iri_prefixes.h"
#include "storage/base/absl_compat.h"

namespace kg {
namespace {

using export_internal::GraphWriter;
using export_internal::QuadSource;

// Binds `name` to `ns`; a name bound to `ns` before gives way, so the last
// one given for a namespace is the one shown.
void Bind(PrefixMap* prefixes, const std::string& name, const std::string& ns) {
  if (ns.empty()) return;
  std::erase_if(*prefixes, [&](const auto& entry) { return entry.second == ns; });
  (*prefixes)[name] = ns;
}

std::unique_ptr<GraphWriter> NewWriter(ExportFormat format, std::ostream& out) {
  switch (format) {
    case ExportFormat::kDot: return export_internal::NewDotWriter(out);
    case ExportFormat::kGraphMl: return export_internal::NewGraphMlWriter(out);
    case ExportFormat::kGexf: return export_internal::NewGexfWriter(out);
    case ExportFormat::kCytoscape: return export_internal::NewCytoscapeWriter(out);
    case ExportFormat::kHtml: return export_internal::NewHtmlWriter(out);
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<ExportFormat> ExportFormatFromName(std::string_view name) {
  if (name == "dot" || name == "gv") return ExportFormat::kDot;
  if (name == "graphml") return ExportFormat::kGraphMl;
  if (name == "gexf") return ExportFormat::kGexf;
  if (name == "cytoscape" || name == "json" || name == "cyjs")
    return ExportFormat::kCytoscape;
  if (name == "html") return ExportFormat::kHtml;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown export format '", Sv(name),
                   "' (expected dot, graphml, gexf, cytoscape or html)"));
}

absl::Status ExportGraph(Database& db, const ExportOptions& options,
                         std::ostream& out, ExportSummary* summary) {
  if (!options.query.empty() && options.around)
    return absl::InvalidArgumentError(
        "choose one selection: a query or a neighbourhood, not both");
  if (options.hops < 0)
    return absl::InvalidArgumentError("hops must be 0 or more");
  if (options.graph && options.graph->is_literal())
    return absl::InvalidArgumentError("a graph name is an IRI or a blank node");
  // The store's prefixes, then the caller's, then the query's.
  PrefixMap prefixes = StorePrefixes(db);
  for (const auto& [name, ns] : options.prefixes) Bind(&prefixes, name, ns);
  std::unique_ptr<QuadSource> source;
  if (!options.query.empty() || options.around) {
    PrefixMap query_prefixes;
    auto quads = options.around
                     ? export_internal::SelectAround(db, options)
                     : export_internal::SelectConstruct(db, options,
                                                        &query_prefixes);
    if (!quads.ok()) return quads.status();
    if (options.around && quads->empty())
      return absl::NotFoundError(absl::StrCat(
          "no quad mentions ", options.around->ToNTriples(),
          options.graph ? " in that graph" : ""));
    for (const auto& [name, ns] : query_prefixes) Bind(&prefixes, name, ns);
    source = export_internal::MemoryQuadSource(*quads);
  } else {
    std::unique_ptr<NumberedSnapshot> snapshot = db.NewNumberedSnapshot();
    std::optional<uint64_t> graph;
    if (options.graph) {
      auto number = snapshot->NumberOf(*options.graph);
      if (!number.ok()) return number.status();
      if (!*number)
        return absl::NotFoundError(absl::StrCat(
            "no graph ", options.graph->ToNTriples(), " in the store"));
      graph = **number;
    }
    source = export_internal::StoreQuadSource(std::move(snapshot), graph);
  }
  std::unique_ptr<GraphWriter> writer = NewWriter(options.format, out);
  if (writer == nullptr)
    return absl::InvalidArgumentError("unknown export format");
  return export_internal::BuildGraph(
      *source, prefixes,
      options.title.empty() ? "kgstore graph" : options.title, *writer, out,
      summary);
}

}  // namespace kg
