// Where the export's quads come from: read as term numbers (the public
// NumberedSnapshot API, engine/database.h), in subject order and in object
// order with the same numbers, terms looked up only when written.
//
//   StoreQuadSource   the store itself (a snapshot), optionally one named
//                     graph: streams, memory does not grow with the store.
//   MemoryQuadSource  a selection held in memory (a CONSTRUCT result, a
//                     neighbourhood) with its own small dictionary.
//
// Not a public API (kg_export only).

#ifndef KGSTORE_ENGINE_EXPORT_QUAD_SOURCE_H_
#define KGSTORE_ENGINE_EXPORT_QUAD_SOURCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/database.h"
#include "storage/rdf/term.h"

namespace kg::export_internal {

class QuadSource {
 public:
  virtual ~QuadSource() = default;
  // Every quad once, ordered by (subject, predicate, object, graph) number.
  virtual std::unique_ptr<NumberedQuadCursor> BySubject() const = 0;
  // Every quad once, ordered by (object, subject, predicate, graph) number.
  virtual std::unique_ptr<NumberedQuadCursor> ByObject() const = 0;
  virtual absl::StatusOr<Term> Resolve(uint64_t number) const = 0;
  // std::nullopt when no quad of the source can mention `term`.
  virtual std::optional<uint64_t> Find(const Term& term) const = 0;
  // As NumberedSnapshot::KindOf: IRIs and blank nodes number below
  // literals in both sources.
  virtual NumberedTermKind Kind(uint64_t number) const = 0;
};

// The quads of `snapshot`; with `graph` (a number from it) only that
// graph's.
std::unique_ptr<QuadSource> StoreQuadSource(
    std::unique_ptr<NumberedSnapshot> snapshot, std::optional<uint64_t> graph);

// `quads` (duplicates dropped), numbered like a store numbers them: the
// kind in the top byte (1 IRI, 2 blank node, 3 simple literal, 4
// language-tagged, 5 other datatypes), then a sequence number in order of
// first appearance; so node ids look alike whatever the selection.
std::unique_ptr<QuadSource> MemoryQuadSource(const std::vector<Quad>& quads);

}  // namespace kg::export_internal

#endif  // KGSTORE_ENGINE_EXPORT_QUAD_SOURCE_H_
