// What the steps of BulkLoader::Commit share (bulk_loader_commit.cc and
// bulk_loader_finish.cc): not part of the loader's interface.

#ifndef KGSTORE_STORAGE_BULK_LOADER_INTERNAL_H_
#define KGSTORE_STORAGE_BULK_LOADER_INTERNAL_H_

#include <chrono>
#include <cstdio>
#include <latch>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "storage/bulk_loader.h"

namespace kg {

// What the steps of one Commit share.
// The loaded quads per (P,O) of the predicates with at most
// kMaxCountedObjects distinct objects among them; the others are only
// named, as beyond counting.
struct BulkLoader::ObjectTally {
  absl::flat_hash_map<TermId, ObjectCounts> counts;
  absl::flat_hash_set<TermId> too_many;
};

struct BulkLoader::CommitState {
  uint64_t input_quads = 0;
  // Every run's orders and every term2id run, mapped from the sorters'
  // files (after SortLastChunk).
  std::vector<RunSet> runs;
  std::vector<std::span<const HashEntry>> hash_runs;
  // After MergeSpog: distinct quads of the input, quads to write (n, the
  // size of quads_) and where SPOG splits in two.
  size_t distinct_quads = 0, n = 0, spog_mid = 0;
  // Opened by MergeSpog; the SPOG jobs wait on it. Into an empty store the
  // merge runs while a worker already writes POSG and OSPG from the runs.
  std::latch spog_ready{1};
  // MergeSpog's outcome when it runs beside the workers (it reads the
  // runs back, which can fail).
  absl::Status spog_status;
  // The chunks' POSG and OSPG runs hold exactly quads_ (with duplicates)
  // unless MergeSpog dropped quads already stored; then those orders are
  // sorted from quads_ instead.
  bool runs_usable = true;
  // Every SST written, per column family, and the entries of each index
  // (a cross-check against n).
  std::mutex files_mu;
  std::vector<std::string> index_files[kNumPermutations];
  uint64_t index_entries[kNumPermutations] = {};
  // Into an empty store the graph-last indexes are written as packed
  // blocks (packed_block.h), into their *_blocks families.
  bool packed = false;
  std::vector<std::string> block_files[3];
  std::vector<std::string> id2term_files, term2id_files;
  // (S,P) / (P,O) groups new to the store, per predicate: the distinct
  // subject and object deltas. One map per job that writes part of SPOG
  // (0, 1) or POSG (2, 3); whole-index jobs use the first.
  absl::flat_hash_map<TermId, uint64_t> group_counts[4];
  // The loaded quads per (P,O), one per job writing part of POSG (whole-
  // index jobs use the first).
  ObjectTally object_tally[2];
  // Whether SPOG streams from the runs (the common case, into an empty
  // store) instead of from quads_, which then stays empty; the statistics
  // then come from POSG's jobs, which count each predicate's quads, one
  // map per half.
  bool spog_streamed = false;
  absl::flat_hash_map<TermId, uint64_t> predicate_quads[2];
  // Whole POSG/OSPG orders, when they cannot stream from the runs.
  std::vector<IdTuple> posg_buf, ospg_buf;
  // KG_TRACE_LOAD=1 prints the time of each step (for tuning).
  bool trace = false;
  std::chrono::steady_clock::time_point phase_start;
  void Phase(const char* name) {
    if (!trace) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "bulk load: %-28s %8.3f s\n", name,
                 std::chrono::duration<double>(now - phase_start).count());
    phase_start = now;
  }
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_BULK_LOADER_INTERNAL_H_
