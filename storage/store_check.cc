// CheckStore (store_check.h): recounts the indexes, resolves the
// dictionary and recounts the statistics, reporting every disagreement.

#include "storage/store_check.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"

#define XXH_INLINE_ALL
#include "xxhash.h"

namespace kg {

absl::StatusOr<std::vector<std::string>> CheckStore(Store& store) {
  std::vector<std::string> problems;
  // 0. Every stored byte against its checksum: damage that no read below
  //    meets (a filter block, the text of a term no quad uses) too.
  absl::Status sums = store.kv()->VerifyChecksums();
  if (!sums.ok())
    problems.push_back(absl::StrCat("the store's files fail their checksums: ",
                                    sums.message()));
  auto view = store.NewReadView();
  auto quad_hash = [](const QuadIds& q) {
    TermId ids[4] = {q.s, q.p, q.o, q.g};
    return XXH3_64bits(ids, sizeof ids);
  };
  // 1. The indexes hold the same set of quads, the graph-first ones only
  //    those of named graphs (quad_index.h): equal counts and equal
  //    order-independent fingerprints (sum of per-quad hashes).
  uint64_t counts[kNumPermutations] = {};
  uint64_t prints[kNumPermutations] = {};
  uint64_t named_count = 0, named_print = 0;
  absl::flat_hash_set<TermId> ids_seen;
  uint64_t max_payload = 0;
  const auto [default_first, default_end] = Store::DefaultGraphFirstRange();
  for (int i = 0; i < kNumPermutations; ++i) {
    auto perm = static_cast<Permutation>(i);
    if (!HoldsDefaultGraph(perm) && !store.graph_first_has_default()) {
      auto stray = view->ScanRange(perm, default_first, default_end);
      if (stray->Valid())
        problems.push_back(absl::StrCat(
            "index ", Sv(PermutationName(perm)),
            " holds quads of the default graph, which it must not"));
      else if (!stray->status().ok())
        problems.push_back(absl::StrCat("index ", Sv(PermutationName(perm)),
                                        " cannot be read: ",
                                        stray->status().message()));
    }
    // A kgstore-2 store opened read-only keeps default-graph quads in the
    // graph-first indexes: count only the named graphs' there.
    auto it = HoldsDefaultGraph(perm)
                  ? view->ScanIndex(perm)
                  : view->ScanRange(perm, default_end, "");
    for (; it->Valid(); it->Next()) {
      const QuadIds& q = it->quad();
      ++counts[i];
      prints[i] += quad_hash(q);
      if (i == 0 && q.g != kDefaultGraph) {
        ++named_count;
        named_print += quad_hash(q);
      }
      if (i == 0) {
        for (TermId id : {q.s, q.p, q.o, q.g}) {
          if (id == kDefaultGraph || IsInline(id)) continue;
          max_payload = std::max(max_payload, PayloadOf(id));
          if (TagOf(id) != TermTag::kBlankNode) ids_seen.insert(id);
        }
        if (q.g != kDefaultGraph && (IsInline(q.g) ||
                                     TagOf(q.g) == TermTag::kSimpleLiteral))
          problems.push_back(absl::StrCat("a quad has a literal graph name (id ",
                                          absl::Hex(q.g), ")"));
      }
    }
    if (!it->status().ok()) {
      problems.push_back(absl::StrCat("index ", Sv(PermutationName(perm)),
                                      " cannot be read: ",
                                      it->status().message()));
    }
  }
  for (int i = 1; i < kNumPermutations; ++i) {
    auto perm = static_cast<Permutation>(i);
    const bool all = HoldsDefaultGraph(perm);
    const uint64_t want_count = all ? counts[0] : named_count;
    const uint64_t want_print = all ? prints[0] : named_print;
    if (counts[i] != want_count || prints[i] != want_print)
      problems.push_back(absl::StrCat(
          "index ", Sv(PermutationName(perm)), " holds ", counts[i],
          " quads but spog holds ", want_count, all ? "" : " in named graphs",
          counts[i] == want_count ? " (same count, different quads)" : ""));
  }
  // 2. The dictionary resolves every id the indexes use.
  uint64_t unresolved = 0;
  for (TermId id : ids_seen) {
    auto term = view->Resolve(id);
    if (!term.ok()) {
      if (++unresolved <= 10)
        problems.push_back(absl::StrCat("id ", absl::Hex(id),
                                        " used in the indexes does not resolve: ",
                                        term.status().message()));
      continue;
    }
    if (DictionaryTagFor(*term) != TagOf(id))
      problems.push_back(absl::StrCat("id ", absl::Hex(id), " resolves to ",
                                      term->ToNTriples(),
                                      " whose kind does not match the id"));
    auto back = view->Lookup(*term);
    if (!back.ok() || !back->has_value() || **back != id)
      problems.push_back(absl::StrCat("term ", term->ToNTriples(),
                                      " does not map back to id ",
                                      absl::Hex(id)));
  }
  if (unresolved > 10)
    problems.push_back(absl::StrCat(unresolved - 10, " more unresolved ids"));
  if (max_payload >= store.next_id())
    problems.push_back(absl::StrCat("id counter ", store.next_id(),
                                    " is not above the largest id in use ",
                                    max_payload));
  // 3. The persisted statistics equal a recount.
  // (An index that cannot be read is a problem found, reported with the
  // others above, not a failure of the check.)
  auto recount = store.RecountStatistics();
  if (!recount.ok()) {
    problems.push_back(absl::StrCat("statistics cannot be recounted: ",
                                    recount.status().message()));
    return problems;
  }
  StoreStatistics stored = store.Statistics();
  if (stored.total_quads != recount->total_quads)
    problems.push_back(absl::StrCat("statistics say ", stored.total_quads,
                                    " quads; the indexes hold ",
                                    recount->total_quads));
  auto name = [&](TermId id) {
    auto t = view->Resolve(id);
    return t.ok() ? t->ToNTriples() : absl::StrCat("id ", absl::Hex(id));
  };
  for (const auto& [p, real] : recount->predicates) {
    auto it = stored.predicates.find(p);
    PredicateStats have = it == stored.predicates.end() ? PredicateStats{}
                                                        : it->second;
    if (!(have == real))
      problems.push_back(absl::StrCat(
          "statistics of predicate ", name(p), ": stored quads/subjects/objects ",
          have.quads, "/", have.distinct_subjects, "/", have.distinct_objects,
          ", recount ", real.quads, "/", real.distinct_subjects, "/",
          real.distinct_objects));
  }
  for (const auto& [p, have] : stored.predicates) {
    if (!recount->predicates.contains(p))
      problems.push_back(absl::StrCat("statistics list predicate ", name(p),
                                      " with ", have.quads,
                                      " quads; the indexes have none"));
  }
  // Per-object counts may be missing (once beyond counting); kept ones
  // must be exact.
  for (const auto& [p, have] : stored.object_counts) {
    auto it = recount->object_counts.find(p);
    if (it == recount->object_counts.end() || *it->second != *have)
      problems.push_back(absl::StrCat(
          "per-object counts of predicate ", name(p), " (", have->size(),
          " objects) differ from a recount"));
  }
  if (stored.graphs != recount->graphs)
    problems.push_back("per-graph quad counts differ from a recount");
  return problems;
}

}  // namespace kg
