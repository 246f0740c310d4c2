// From quads to the property graph the writers see (graph_model.h), in
// three passes over a QuadSource that hold one subject's quads at a time:
//
//   0. attribute keys (literal-valued predicates) with their types, and the
//      classes (objects of rdf:type) with their colours: the Header;
//   1. nodes: every subject, merged in number order with every IRI or blank
//      object that is not a subject, so each node is written once;
//   2. edges: one per quad whose object is a node (rdf:type aside).
//
// The mapping itself is documented in engine/graph_export.h.
//
// Not a public API (kg_export only).

#ifndef KGSTORE_ENGINE_EXPORT_GRAPH_BUILDER_H_
#define KGSTORE_ENGINE_EXPORT_GRAPH_BUILDER_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "engine/export/graph_model.h"
#include "engine/export/quad_source.h"
#include "engine/graph_export.h"
#include "engine/iri_prefixes.h"

namespace kg::export_internal {

// Writes the graph of `source` through `writer` (which writes to `out`),
// IRIs shortened with `prefixes`. Unavailable when writing to `out` fails;
// the source's errors. `summary` (optional) receives the counts.
absl::Status BuildGraph(const QuadSource& source, const PrefixMap& prefixes,
                        const std::string& title, GraphWriter& writer,
                        std::ostream& out, ExportSummary* summary);

}  // namespace kg::export_internal

#endif  // KGSTORE_ENGINE_EXPORT_GRAPH_BUILDER_H_
