// WriteTxn: the writer's reads (the snapshot plus its own writes, through
// a RocksDB WriteBatchWithIndex), inserts and removals with their
// statistics, and the one atomic commit.

#include "storage/write_txn.h"

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/packed_block.h"
#include "storage/quad_iterators.h"
#include "storage/store.h"

namespace kg {

WriteTxn::WriteTxn(Store* store, std::unique_lock<std::mutex> lock)
    : store_(store),
      lock_(std::move(lock)),
      view_(store->NewReadView()),
      batch_(store->kv()->NewBatch(/*readable=*/true)),
      stats_(store->Statistics()),
      next_id_(store->next_id()) {}

WriteTxn::~WriteTxn() { Abort(); }

absl::Status WriteTxn::FailedPart(const absl::Status& error) {
  Abort();
  return absl::Status(
      error.code(),
      absl::StrCat(error.message(),
                   " (the transaction is aborted: part of the change was "
                   "made when it failed)"));
}

void WriteTxn::Abort() {
  if (finished_) return;
  finished_ = true;
  batch_->Clear();
  view_.reset();
  if (lock_.owns_lock()) lock_.unlock();
}

absl::StatusOr<std::optional<TermId>> WriteTxn::Lookup(
    const Term& term) const {
  if (finished_) return absl::FailedPreconditionError("transaction finished");
  if (term.is_blank()) {
    auto it = blank_labels_.find(term.lexical);
    if (it != blank_labels_.end()) return std::optional<TermId>(it->second);
    auto id = Store::ParseBlankLabel(term.lexical);
    if (id && PayloadOf(*id) < next_id_) return id;
    return std::optional<TermId>();
  }
  if (auto inl = TryInline(term)) return inl;
  std::string serialized;
  SerializeTerm(term, &serialized);
  auto it = new_terms_.find(serialized);
  if (it != new_terms_.end()) return std::optional<TermId>(it->second);
  return view_->Lookup(term);
}

absl::StatusOr<TermId> WriteTxn::Intern(const Term& term) {
  auto found = Lookup(term);
  if (!found.ok()) return found.status();
  if (found->has_value()) return **found;
  if (next_id_ >= kPayloadMask)
    return absl::ResourceExhaustedError("term id space exhausted");
  TermId id = MakeId(DictionaryTagFor(term), next_id_++);
  if (term.is_blank()) {
    blank_labels_.emplace(term.lexical, id);
    return id;
  }
  std::string serialized;
  SerializeTerm(term, &serialized);
  new_terms_.emplace(std::move(serialized), id);
  new_terms_by_id_.emplace(id, term);
  return id;
}

absl::StatusOr<Term> WriteTxn::Resolve(TermId id) const {
  auto it = new_terms_by_id_.find(id);
  if (it != new_terms_by_id_.end()) return it->second;
  return view_->Resolve(id);
}

absl::StatusOr<bool> WriteTxn::PrefixExists(const QuadIds& q,
                                            unsigned mask) const {
  auto it = Scan(q, mask);
  if (it->Valid()) return true;
  if (!it->status().ok())
    return WithContext(it->status(), "statistics probe");
  return false;
}

std::unique_ptr<QuadIdIterator> WriteTxn::Scan(const QuadIds& pattern,
                                               unsigned bound_mask) const {
  const ScanPlan plan = PlanScan(pattern, bound_mask);
  const Permutation perm = plan.perm;
  std::string prefix;
  EncodePrefix(perm, pattern, plan.prefix_mask, &prefix);
  auto it = std::make_unique<PrefixQuadIterator>(perm, std::move(prefix),
                                                plan.default_graph_only);
  it->Start([&](std::string_view upper_bound) {
    return NewCursor(perm, upper_bound);
  });
  return it;
}

std::shared_ptr<const PredicateAdjacency> WriteTxn::AdjacencyFor(
    TermId /*predicate*/, unsigned /*bound_mask*/) const {
  return nullptr;
}

std::unique_ptr<QuadIdIterator> WriteTxn::ScanRange(
    Permutation perm, std::string lower, std::string upper,
    bool default_graph_only) const {
  return std::make_unique<PooledIterator>(
      nullptr, perm, std::move(lower), std::move(upper), default_graph_only,
      NewCursor(perm, std::string_view()));
}

std::unique_ptr<IndexCursor> WriteTxn::NewCursor(
    Permutation perm, std::string_view upper_bound) const {
  // Merged with the batch: the transaction reads its own writes. (The
  // batch's entries are not bounded: callers check their own bounds.)
  // As in ReadView::NewCursor: no upper bound for the blocks.
  const KvSnapshot* snapshot = view_->snapshot_.get();
  return std::make_unique<IndexCursor>(
      batch_->NewIterator(IndexSpace(perm),
                          KvReadOptions{.snapshot = snapshot,
                                        .upper_bound = upper_bound}),
      view_->blocks_ && store_->has_blocks_space(perm)
          ? batch_->NewIterator(BlocksSpace(perm),
                                KvReadOptions::At(snapshot))
          : nullptr,
      PermutationName(perm));
}

namespace {

// No entries (the plain side of a cursor that asks only the blocks).
class EmptyKvIterator final : public KvIterator {
 public:
  void Seek(std::string_view) override {}
  void SeekToFirst() override {}
  void Next() override {}
  std::string_view value() const override { return {}; }
};

}  // namespace

absl::StatusOr<bool> WriteTxn::Holds(const std::string& spog_key) const {
  const KvSnapshot* snapshot = view_->snapshot_.get();
  std::string value;
  auto found = batch_->Get(snapshot, KeySpace::kSpog, spog_key, &value);
  if (!found.ok()) return WithContext(found.status(), "existence check");
  if (*found) return true;
  if (!view_->blocks_ || !store_->has_blocks_space(Permutation::kSPOG))
    return false;
  // Only the blocks side: the plain side was just asked.
  IndexCursor blocks(std::make_unique<EmptyKvIterator>(),
                     batch_->NewIterator(KeySpace::kSpogBlocks,
                                         KvReadOptions::At(snapshot)),
                     PermutationName(Permutation::kSPOG));
  const bool held = blocks.BlocksHold(spog_key);
  absl::Status status = blocks.status();
  if (!status.ok()) return status;
  return held;
}

absl::Status WriteTxn::RemoveFromBlocks(Permutation perm,
                                        const std::string& key) {
  if (!view_->blocks_ || !store_->has_blocks_space(perm))
    return absl::OkStatus();
  const KeySpace space = BlocksSpace(perm);
  std::unique_ptr<KvIterator> it = batch_->NewIterator(
      space, KvReadOptions::At(view_->snapshot_.get()));
  it->Seek(key);  // the one block that may hold key (packed_block.h)
  if (!it->Valid()) return WithContext(it->status(), "remove");
  // Rebuild the block without the key. The iterator's slices die with the
  // batch writes below: copy first.
  const std::string old_key(it->key());
  const std::string old_value(it->value());
  it.reset();
  PackedBlockReader reader;
  PackedBlockWriter writer;
  bool found = false;
  for (reader.Reset(old_key, old_value); reader.Valid(); reader.Next()) {
    if (reader.key() == key) {
      found = true;
    } else {
      writer.Add(reader.key());
    }
  }
  if (reader.corrupt())
    return absl::DataLossError(absl::StrCat(
        "malformed packed block in index ", Sv(PermutationName(perm))));
  if (!found) return absl::OkStatus();
  absl::Status s;
  if (writer.entries() == 0 || writer.key() != old_key)
    s = batch_->Delete(space, old_key);
  if (s.ok() && writer.entries() > 0)
    s = batch_->Put(space, writer.key(), writer.value());
  return WithContext(s, "remove");
}

absl::StatusOr<bool> WriteTxn::Insert(const QuadIds& q) {
  if (finished_) return absl::FailedPreconditionError("transaction finished");
  std::string key;
  EncodeQuadKey(Permutation::kSPOG, q, &key);
  auto held = Holds(key);
  if (!held.ok()) return held.status();
  if (*held) return false;
  absl::Status s;
  // Before any change: a failure leaves the transaction as it was.
  auto subject_known = PrefixExists(q, 0b0011);
  if (!subject_known.ok()) return WithContext(subject_known.status(), "insert");
  auto object_known = PrefixExists(q, 0b0110);
  if (!object_known.ok()) return WithContext(object_known.status(), "insert");
  const bool new_subject = !*subject_known;
  const bool new_object = !*object_known;
  for (int i = 0; i < kNumPermutations; ++i) {
    Permutation perm = static_cast<Permutation>(i);
    if (!IndexHolds(perm, q.g)) continue;
    key.clear();
    EncodeQuadKey(perm, q, &key);
    s = batch_->Put(IndexSpace(perm), key, std::string_view());
    if (!s.ok()) return WithContext(s, "insert");
  }
  PredicateStats& ps = stats_.predicates[q.p];
  const bool new_predicate = ps.quads == 0;
  ++ps.quads;
  if (new_subject) ++ps.distinct_subjects;
  if (new_object) ++ps.distinct_objects;
  if (new_predicate) {
    auto counts = std::make_shared<ObjectCounts>();
    (*counts)[q.o] = 1;
    owned_object_counts_[q.p] = counts.get();
    stats_.object_counts[q.p] = std::move(counts);
  } else if (ps.distinct_objects > kMaxCountedObjects) {
    stats_.object_counts.erase(q.p);  // unknown from now on
    owned_object_counts_.erase(q.p);
  } else if (ObjectCounts* counts = MutableObjectCounts(q.p)) {
    ++(*counts)[q.o];
  }
  ++stats_.total_quads;
  ++stats_.graphs[q.g];
  dirty_predicates_.insert(q.p);
  dirty_graphs_.insert(q.g);
  return true;
}

absl::StatusOr<bool> WriteTxn::Remove(const QuadIds& q) {
  if (finished_) return absl::FailedPreconditionError("transaction finished");
  std::string key;
  EncodeQuadKey(Permutation::kSPOG, q, &key);
  auto held = Holds(key);
  if (!held.ok()) return held.status();
  if (!*held) return false;
  for (int i = 0; i < kNumPermutations; ++i) {
    Permutation perm = static_cast<Permutation>(i);
    if (!IndexHolds(perm, q.g)) continue;
    key.clear();
    EncodeQuadKey(perm, q, &key);
    absl::Status s = batch_->Delete(IndexSpace(perm), key);
    s = s.ok() ? RemoveFromBlocks(perm, key) : WithContext(s, "remove");
    if (!s.ok()) return FailedPart(s);
  }
  // After the deletions: whether other quads keep the prefixes.
  auto subject_kept = PrefixExists(q, 0b0011);
  if (!subject_kept.ok())
    return FailedPart(WithContext(subject_kept.status(), "remove"));
  auto object_kept = PrefixExists(q, 0b0110);
  if (!object_kept.ok())
    return FailedPart(WithContext(object_kept.status(), "remove"));
  PredicateStats& ps = stats_.predicates[q.p];
  --ps.quads;
  if (!*subject_kept) --ps.distinct_subjects;
  if (!*object_kept) --ps.distinct_objects;
  if (ps.quads == 0) {
    stats_.predicates.erase(q.p);
    stats_.object_counts.erase(q.p);
    owned_object_counts_.erase(q.p);
  } else if (ObjectCounts* counts = MutableObjectCounts(q.p)) {
    auto it = counts->find(q.o);
    if (it != counts->end() && --it->second == 0) counts->erase(it);
  }
  --stats_.total_quads;
  if (--stats_.graphs[q.g] == 0) stats_.graphs.erase(q.g);
  dirty_predicates_.insert(q.p);
  dirty_graphs_.insert(q.g);
  return true;
}

ObjectCounts* WriteTxn::MutableObjectCounts(TermId predicate) {
  auto it = stats_.object_counts.find(predicate);
  if (it == stats_.object_counts.end()) return nullptr;
  auto owned = owned_object_counts_.find(predicate);
  if (owned != owned_object_counts_.end()) return owned->second;
  auto copy = std::make_shared<ObjectCounts>(*it->second);
  ObjectCounts* counts = copy.get();
  it->second = std::move(copy);
  owned_object_counts_[predicate] = counts;
  return counts;
}

absl::Status WriteTxn::Commit() {
  if (finished_) return absl::FailedPreconditionError("transaction finished");
  absl::Status s;
  for (const auto& [serialized, id] : new_terms_) {
    char buf[kMaxEncodedIdSize];
    const std::string_view encoded(buf, EncodeId(id, buf));
    s = batch_->Put(KeySpace::kId2Term, encoded, serialized);
    if (s.ok())
      s = batch_->Put(KeySpace::kTerm2Id, Store::TermHashKey(serialized),
                      encoded);
    if (!s.ok()) {
      Abort();
      return WithContext(s, "commit");
    }
  }
  for (const auto& [key, value] : Store::MetaEntries(
           next_id_, stats_, &dirty_predicates_, &dirty_graphs_)) {
    s = value ? batch_->Put(KeySpace::kMeta, key, *value)
              : batch_->Delete(KeySpace::kMeta, key);
    if (!s.ok()) {
      Abort();
      return WithContext(s, "commit");
    }
  }
  s = store_->kv()->Write(*batch_, store_->options().sync_commits);
  if (!s.ok()) {
    Abort();
    return WithContext(s, "commit");
  }
  store_->Published(next_id_, std::move(stats_));
  finished_ = true;
  batch_->Clear();
  view_.reset();
  lock_.unlock();
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const StoreStatistics>> WriteTxn::Statistics()
    const {
  // The copy shares the per-object counts: later changes copy them first.
  owned_object_counts_.clear();
  return std::make_shared<const StoreStatistics>(stats_);
}

}  // namespace kg
