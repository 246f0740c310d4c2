// The store's statistics: exact counts of quads in all, per predicate (with
// distinct subjects and objects), per graph, and per object of the
// predicates with few distinct objects, kept by every commit and persisted
// with it in the meta column family (docs/STORAGE.md, "Statistics"). The
// planner orders joins by them and answers counts from them; the adjacency
// cache sizes its builds by them.

#ifndef KGSTORE_STORAGE_STORE_STATISTICS_H_
#define KGSTORE_STORAGE_STORE_STATISTICS_H_

#include <cstdint>
#include <memory>
#include <optional>

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

// Quads per object of one predicate: every object with a quad, and only
// those.
using ObjectCounts = absl::flat_hash_map<TermId, uint64_t>;

// The most distinct objects a predicate may have for its per-object counts
// to be kept (rdf:type's classes, a status, a country; not names or
// dates). A predicate's counts are one meta value, rewritten by each commit
// that changes the predicate, so this bounds that write (about 12 KiB).
inline constexpr uint64_t kMaxCountedObjects = 1024;

// Exact counts, maintained by every commit and persisted with it.
struct StoreStatistics {
  uint64_t total_quads = 0;
  absl::flat_hash_map<TermId, PredicateStats> predicates;
  // Quads per graph (kDefaultGraph for the default graph); graphs with no
  // quads are absent.
  absl::flat_hash_map<TermId, uint64_t> graphs;
  // Quads per object, for some of the predicates with at most
  // kMaxCountedObjects distinct objects; never null. A predicate is absent
  // when it has more objects, and also when it once had more and has fewer
  // since (dropping counts is exact; getting them back needs a recount, as
  // a load into an empty store does): absent means unknown, never zero.
  // Shared and immutable, so copying the statistics (every write
  // transaction starts from a copy) does not copy the counts.
  absl::flat_hash_map<TermId, std::shared_ptr<const ObjectCounts>>
      object_counts;

  // The quads of `predicate` with object `object` in all graphs, if this
  // is known: 0 for a predicate without quads.
  std::optional<uint64_t> QuadsWithObject(TermId predicate,
                                          TermId object) const {
    auto it = object_counts.find(predicate);
    if (it == object_counts.end())
      return predicates.contains(predicate) ? std::nullopt
                                            : std::optional<uint64_t>(0);
    auto o = it->second->find(object);
    return o == it->second->end() ? 0 : o->second;
  }

  // Deep: two statistics are equal when their counts are.
  friend bool operator==(const StoreStatistics& a, const StoreStatistics& b) {
    if (a.total_quads != b.total_quads || a.predicates != b.predicates ||
        a.graphs != b.graphs || a.object_counts.size() != b.object_counts.size())
      return false;
    for (const auto& [p, counts] : a.object_counts) {
      auto it = b.object_counts.find(p);
      if (it == b.object_counts.end() || *it->second != *counts) return false;
    }
    return true;
  }
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_STORE_STATISTICS_H_
