// The store's statistics: exact counts of quads in all, per predicate (with
// distinct subjects and objects) and per graph, kept by every commit and
// persisted with it in the meta column family (docs/STORAGE.md,
// "Statistics"). The planner orders joins by them; the adjacency cache
// sizes its builds by them.

#ifndef KGSTORE_STORAGE_STORE_STATISTICS_H_
#define KGSTORE_STORAGE_STORE_STATISTICS_H_

#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "storage/term_id.h"

namespace kg {

struct PredicateStats {
  uint64_t quads = 0;
  uint64_t distinct_subjects = 0;
  uint64_t distinct_objects = 0;
  friend bool operator==(const PredicateStats&, const PredicateStats&) =
      default;
};

// Exact counts, maintained by every commit and persisted with it.
struct StoreStatistics {
  uint64_t total_quads = 0;
  absl::flat_hash_map<TermId, PredicateStats> predicates;
  // Quads per graph (kDefaultGraph for the default graph); graphs with no
  // quads are absent.
  absl::flat_hash_map<TermId, uint64_t> graphs;
  friend bool operator==(const StoreStatistics&, const StoreStatistics&) =
      default;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_STORE_STATISTICS_H_
