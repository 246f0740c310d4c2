// Where operators read quads: a snapshot (queries) or the write
// transaction (updates, which see their own earlier operations).

#ifndef KGSTORE_ENGINE_EXEC_QUAD_SOURCE_H_
#define KGSTORE_ENGINE_EXEC_QUAD_SOURCE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace kg::exec {

class QuadSource {
 public:
  virtual ~QuadSource() = default;
  virtual std::unique_ptr<QuadIdIterator> Scan(const QuadIds& pattern,
                                               unsigned bound_mask) const = 0;
  virtual std::unique_ptr<QuadIdIterator> ScanRange(
      Permutation perm, std::string lower, std::string upper,
      bool default_graph_only) const = 0;
  virtual absl::StatusOr<Term> Resolve(TermId id) const = 0;
  virtual absl::StatusOr<std::optional<TermId>> Lookup(
      const Term& term) const = 0;
  // The in-memory adjacency of a predicate (ReadView::AdjacencyFor), or
  // null: always for write transactions, which must see their own writes.
  virtual std::shared_ptr<const PredicateAdjacency> Adjacency(
      TermId predicate, unsigned bound_mask) const {
    (void)predicate;
    (void)bound_mask;
    return nullptr;
  }
};

// A snapshot's quads (ReadView).
std::unique_ptr<QuadSource> SourceFromView(std::shared_ptr<ReadView> view);
// The write transaction's quads, its own writes included.
std::unique_ptr<QuadSource> SourceFromTxn(WriteTxn* txn);

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_QUAD_SOURCE_H_
