// The selections ExportGraph holds in memory (the whole store streams
// instead, quad_source.h): a CONSTRUCT/DESCRIBE result with each triple's
// provenance, or the neighbourhood of an entity. Both read the store
// through the public API only (Database::Query, Database::Match).
//
// Not a public API (kg_export only).

#ifndef KGSTORE_ENGINE_EXPORT_SELECTION_H_
#define KGSTORE_ENGINE_EXPORT_SELECTION_H_

#include <vector>

#include "absl/status/statusor.h"
#include "engine/database.h"
#include "engine/graph_export.h"
#include "engine/iri_prefixes.h"
#include "storage/rdf/term.h"

namespace kg::export_internal {

// The triples of options.query, each once per graph that states it (only
// options.graph when set), or once without a graph when no graph does and
// options.graph is unset. The query's own PREFIXes go to *query_prefixes.
absl::StatusOr<std::vector<Quad>> SelectConstruct(const Database& db,
                                                  const ExportOptions& options,
                                                  PrefixMap* query_prefixes);

// The nodes within options.hops edges of *options.around, both directions
// (rdf:type is not an edge; only options.graph when set), and every quad
// from one of them to a literal, a class or another of them.
absl::StatusOr<std::vector<Quad>> SelectAround(const Database& db,
                                               const ExportOptions& options);

}  // namespace kg::export_internal

#endif  // KGSTORE_ENGINE_EXPORT_SELECTION_H_
