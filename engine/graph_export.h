// Graph exports for visualisation: a store, a CONSTRUCT result or the
// neighbourhood of an entity, written as Graphviz DOT, GraphML, GEXF,
// Cytoscape.js JSON or one self-contained offline HTML page that draws it.
//
//   kg::ExportOptions o;
//   o.format = kg::ExportFormat::kGraphMl;
//   o.around = kg::Term::Iri("https://kgstore.example/id/madalina-lupu");
//   o.hops = 2;
//   std::ofstream out("lupu.graphml");
//   absl::Status s = kg::ExportGraph(*db, o, out);
//
// The mapping from RDF to a property graph:
//   - IRIs and blank nodes are nodes; literals never are.
//   - A quad whose object is an IRI or blank node is a directed edge from
//     subject to object, labelled with its predicate shortened to
//     prefix:local (see "Names" below). Parallel edges are kept: one edge
//     per quad, so the same triple stated by two graphs is two edges. The
//     graph a quad is in travels on its edge as the attribute "graph"
//     (empty for the default graph): the edge's provenance.
//   - A quad whose object is a literal becomes an attribute of its subject
//     node, named by the shortened predicate; several values of one
//     predicate on one node are joined with "; " (arrays in JSON).
//   - rdf:type is not drawn as an edge: its objects are the node's classes
//     (attribute "types"), the first one (in store order) is its "class",
//     which decides its colour. Colours come from a fixed palette, chosen
//     by a hash of the class IRI, so a class keeps its colour across
//     exports; the visual formats (DOT, HTML, GEXF viz:color) carry a legend
//     or the colours.
//   - A node's label is its rdfs:label (an English or untagged one first),
//     else its shortened IRI ("_:label" for blank nodes). "iri" holds the
//     full IRI; "graphs" the graphs that state facts about the node.
//   - Node ids in the output are "n" followed by a number (the store's
//     number of the term, NumberedSnapshot), edge ids "e" and a number;
//     both are valid XML NMTOKENs.
//
// Names: IRIs in labels, attribute names and class names are shortened by
// the rule of engine/iri_prefixes.h (PrefixedName; the IRI itself when no
// prefix fits) with, from first to last, StorePrefixes(db) (rdf, rdfs, xsd,
// owl; the example vocabulary's kg and ex when the store uses it; the
// prefixes the data declares), ExportOptions::prefixes and the query's
// PREFIXes; when two names are given for one namespace, the last one is
// shown.
//
// Memory: exporting the whole store (with or without `graph`) streams in
// every format: three passes over the store's indexes (attribute keys and
// classes; nodes; edges) that hold one subject's quads at a time, so the
// memory does not grow with the store (the HTML page and the JSON are still
// as large as the graph, on the output stream). A CONSTRUCT query or a
// neighbourhood is held in memory (it is a selection).
//
// Escaping: every format escapes its own special characters (DOT quotes
// and backslashes, XML & < > " and line breaks in attributes, JSON control
// characters and < > & so the JSON can sit inside an HTML <script>);
// characters XML forbids and invalid UTF-8 become U+FFFD. The visual
// formats (DOT, HTML) cut displayed labels longer than 80 characters with an
// ellipsis and keep the whole text in the tooltip / side panel.
//
// Thread-safety: ExportGraph reads the database through its public API
// (the whole store from one NumberedSnapshot); it may run concurrently with
// other readers and with writers.
//
// Link against the `kg_export` CMake target (engine/export/).

#ifndef KGSTORE_ENGINE_GRAPH_EXPORT_H_
#define KGSTORE_ENGINE_GRAPH_EXPORT_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/database.h"
#include "engine/iri_prefixes.h"
#include "storage/rdf/term.h"

namespace kg {

enum class ExportFormat {
  kDot,        // Graphviz DOT (render with dot, sfdp, neato ...)
  kGraphMl,    // GraphML 1.0 with typed <key> attributes (Gephi, yEd, Cytoscape)
  kGexf,       // GEXF 1.3 with viz:color (Gephi)
  kCytoscape,  // Cytoscape.js elements JSON {"elements":{"nodes":[..],"edges":[..]}}
  kHtml,       // one offline HTML page drawing the graph with Cytoscape.js
};

// "dot", "graphml", "gexf", "cytoscape" (or "json", "cyjs"), "html".
// InvalidArgument otherwise.
absl::StatusOr<ExportFormat> ExportFormatFromName(std::string_view name);

struct ExportOptions {
  ExportFormat format = ExportFormat::kDot;
  // ---- selection: at most one of `query` and `around` ----
  // A CONSTRUCT (or DESCRIBE) query; its triples are the graph. Each
  // triple's provenance is looked up in the store: one edge per graph that
  // states it, or one edge with an empty "graph" when no graph does (a
  // triple the template made up). Empty: the whole store.
  std::string query;
  // The neighbourhood of this IRI (or blank node): every node within `hops`
  // edges of it, following edges in both directions (rdf:type is not an
  // edge), and every edge between two of these nodes.
  std::optional<Term> around;
  int hops = 1;
  // Only quads in this named graph are read (nodes, attributes, labels,
  // types and edges). With `query`: only constructed triples this graph
  // states are kept. NotFound when the store has no such graph.
  std::optional<Term> graph;
  // Title of the graph (the HTML page's title, DOT's label, GEXF's
  // description). Empty: "kgstore graph".
  std::string title;
  // More prefixes (name without ':' -> namespace IRI) for shortening IRIs.
  PrefixMap prefixes;
  // Options for running `query` (timeout, memory cap, cancellation).
  QueryOptions query_options;
};

struct ExportSummary {
  uint64_t nodes = 0;
  uint64_t edges = 0;
  uint64_t classes = 0;
};

// Writes the selected graph to `out` in options.format. Errors:
// InvalidArgument (both `query` and `around`, hops < 0, a query that is not
// CONSTRUCT/DESCRIBE or does not parse), NotFound (no such graph), the
// query's own errors, Unavailable when writing to `out` fails, DataLoss when
// the store is damaged. On error `out` holds a partial document.
// `summary` (optional) receives the counts written.
absl::Status ExportGraph(Database& db, const ExportOptions& options,
                         std::ostream& out, ExportSummary* summary = nullptr);

// As ExportGraph, into the file `path`: written to a new file beside it
// (a fresh name, never an existing file or symbolic link) and renamed over
// it once complete, so `path` holds either the whole export or what it
// held before; nothing is left behind on error. The new file has a new
// file's permissions (0666 less the umask). Errors: ExportGraph's, and
// Unavailable "cannot write <path>: <reason>" when the file cannot be
// created, written or renamed.
absl::Status ExportGraphToFile(Database& db, const ExportOptions& options,
                               const std::string& path,
                               ExportSummary* summary = nullptr);

}  // namespace kg

#endif  // KGSTORE_ENGINE_GRAPH_EXPORT_H_
