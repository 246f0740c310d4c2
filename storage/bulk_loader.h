// BulkLoader: the fast path for loading many quads at once.
//
// Instead of writing every quad through the write-ahead log and memtables
// six times, the loader
//   1. encodes terms to ids as statements arrive (an in-memory map of the
//      terms seen in this load; terms not seen before are looked up in the
//      store once, then new ones get fresh ids),
//   2. keeps the quads as 32-byte id tuples in memory,
//   3. at Commit sorts them once per permutation (two threads), drops
//      duplicates and quads the store already has, computes the statistics
//      deltas from the sorted runs,
//   4. writes one SST file per column family (the six indexes, the two
//      dictionary directions and the meta entries) and
//   5. ingests all of them with one atomic IngestExternalFiles call: either
//      every index, the dictionary and the statistics change, or nothing does.
// Memory: about 32 bytes per quad plus the new terms' text, twice during the
// parallel sort. Nothing reaches the store before Commit; Abort (or
// destruction) leaves the store unchanged and removes the temporary files.
//
// Thread-safety: one thread at a time. The loader holds the store's writer
// lock from construction to Commit/Abort, so other writers wait; readers go on.

#ifndef KGSTORE_STORAGE_BULK_LOADER_H_
#define KGSTORE_STORAGE_BULK_LOADER_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/quad_index.h"
#include "storage/store.h"
#include "storage/term.h"

namespace kg {

struct BulkLoadResult {
  uint64_t quads_added = 0;       // quads new to the store
  uint64_t quads_duplicate = 0;   // repeated in the input or already stored
  uint64_t terms_added = 0;       // new dictionary entries
};

class BulkLoader {
 public:
  // Takes the writer lock (waits for the current writer). Fails with
  // FailedPrecondition on a read-only store.
  static absl::StatusOr<std::unique_ptr<BulkLoader>> Start(Store* store);
  ~BulkLoader();

  // Starts a new document: blank node labels are scoped to a document, so
  // _:b1 in two files are two nodes. Every loaded blank node is a new node.
  void NewDocument();
  // Adds one quad (copied). Errors only on dictionary read failures.
  absl::Status Add(const Quad& quad);
  uint64_t quads_buffered() const { return quads_.size(); }

  // Makes every added quad durable in the store atomically. The loader is
  // finished afterwards, whatever the outcome.
  absl::StatusOr<BulkLoadResult> Commit();
  // Drops everything added. Idempotent.
  void Abort();

 private:
  BulkLoader(Store* store, std::unique_lock<std::mutex> lock);
  absl::StatusOr<TermId> Encode(const Term& term);
  absl::StatusOr<TermId> EncodeGraph(const std::optional<Term>& graph);

  Store* store_;
  std::unique_lock<std::mutex> lock_;
  std::unique_ptr<ReadView> view_;
  bool store_was_empty_;
  uint64_t next_id_;
  // 128-bit term hash -> id, for every non-inline term seen in this load.
  struct HashKey {
    uint64_t hi, lo;
    friend bool operator==(const HashKey&, const HashKey&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const HashKey& k) {
      return H::combine(std::move(h), k.hi, k.lo);
    }
  };
  absl::flat_hash_map<HashKey, TermId> term_ids_;
  absl::flat_hash_map<std::string, TermId> blank_labels_;  // this document
  // New dictionary entries, in allocation order.
  struct NewTerm {
    TermId id;
    HashKey hash;
    std::string serialized;
  };
  std::vector<NewTerm> new_terms_;
  std::vector<QuadIds> quads_;
  // The previous statement and its ids (see Add).
  struct LastQuad {
    Term subject, predicate, object;
    std::optional<Term> graph;
    const Term& at(int i) const {
      return i == 0 ? subject : i == 1 ? predicate : object;
    }
  } last_;
  QuadIds last_ids_;
  bool have_last_ = false;
  std::string scratch_;
  std::string tmp_dir_;
  bool finished_ = false;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_BULK_LOADER_H_
