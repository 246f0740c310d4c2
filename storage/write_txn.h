// WriteTxn: the store's one write transaction.

#ifndef KGSTORE_STORAGE_WRITE_TXN_H_
#define KGSTORE_STORAGE_WRITE_TXN_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/index_cursor.h"
#include "storage/ordered_kv.h"
#include "storage/quad_index.h"
#include "storage/quad_reader.h"
#include "storage/rdf/term.h"
#include "storage/read_view.h"
#include "storage/store_statistics.h"
#include "storage/term_id.h"

namespace kg {

class Store;

// The one write transaction. Reads see the snapshot taken at Begin plus the
// transaction's own writes. Nothing is visible to others until Commit, which
// applies every change (indexes, dictionary, statistics) in one atomic
// write of its KvBatch. Destroying an uncommitted WriteTxn aborts it.
// Thread-safety: one thread at a time.
class WriteTxn final : public QuadReader {
 public:
  ~WriteTxn() override;
  // The id of `term`, allocating one (and a dictionary entry at commit) if
  // the store does not have it. Blank nodes: a label of the form the store
  // hands out ("kgb" + hex) refers to that stored node; any other label names
  // a new node, the same one for the same label within this transaction.
  absl::StatusOr<TermId> Intern(const Term& term);
  // Like Intern but never allocates.
  absl::StatusOr<std::optional<TermId>> Lookup(const Term& term) const override;
  // Inserts a quad; false if it was already present.
  absl::StatusOr<bool> Insert(const QuadIds& quad);
  // Removes a quad from every index; false if it was absent.
  absl::StatusOr<bool> Remove(const QuadIds& quad);
  absl::StatusOr<Term> Resolve(TermId id) const override;
  // Scans, seeing this transaction's own writes.
  std::unique_ptr<QuadIdIterator> Scan(const QuadIds& pattern,
                                       unsigned bound_mask) const override;
  std::unique_ptr<QuadIdIterator> ScanRange(
      Permutation perm, std::string lower, std::string upper,
      bool default_graph_only = false) const override;
  // Always null: an adjacency is a copy of a snapshot and would miss this
  // transaction's writes.
  std::shared_ptr<const PredicateAdjacency> AdjacencyFor(
      TermId predicate, unsigned bound_mask) const override;
  // The statistics with this transaction's writes counted (a copy).
  absl::StatusOr<std::shared_ptr<const StoreStatistics>> Statistics()
      const override;
  // Applies all changes atomically (and durably per StoreOptions). After a
  // failed commit nothing was applied. The transaction is finished either way.
  absl::Status Commit();
  // Discards all changes. Idempotent.
  void Abort();

 private:
  friend class Store;
  WriteTxn(Store* store, std::unique_lock<std::mutex> lock);
  // Whether a quad with the (S,P) or (P,O) prefix of `q` (`mask`) exists,
  // counting this transaction's writes; an error of the scan is an error
  // (read as "no", it would miscount the statistics).
  absl::StatusOr<bool> PrefixExists(const QuadIds& q, unsigned mask) const;
  // A cursor over `perm` that sees this transaction's own writes; its
  // plain keys of the store end below `upper_bound` (empty: no bound).
  std::unique_ptr<IndexCursor> NewCursor(Permutation perm,
                                         std::string_view upper_bound) const;
  // Aborts the transaction, with `error` saying so: for a failure after
  // part of a change went into the batch (a commit would apply that part).
  absl::Status FailedPart(const absl::Status& error);
  // Whether the SPOG key of `q` exists, counting this transaction's writes.
  absl::StatusOr<bool> Holds(const std::string& spog_key) const;
  // Takes `key` out of the packed block of `perm` that holds it, if any
  // (rewriting the block, or deleting it when it empties).
  absl::Status RemoveFromBlocks(Permutation perm, const std::string& key);
  // The per-object counts of `predicate` in stats_, made this
  // transaction's own to change (copied on the first change after
  // Statistics() handed them out); null when they are not kept.
  ObjectCounts* MutableObjectCounts(TermId predicate);

  Store* store_;
  std::unique_lock<std::mutex> lock_;
  std::unique_ptr<ReadView> view_;
  std::unique_ptr<KvBatch> batch_;  // readable: reads see its writes
  absl::flat_hash_map<std::string, TermId> new_terms_;  // serialized -> id
  absl::flat_hash_map<TermId, Term> new_terms_by_id_;
  absl::flat_hash_map<std::string, TermId> blank_labels_;
  StoreStatistics stats_;  // the statistics as they will be after commit
  absl::flat_hash_set<TermId> dirty_predicates_;
  // The counts in stats_.object_counts no one else holds: changed in place.
  mutable absl::flat_hash_map<TermId, ObjectCounts*> owned_object_counts_;
  absl::flat_hash_set<TermId> dirty_graphs_;
  uint64_t next_id_;
  bool finished_ = false;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_WRITE_TXN_H_
