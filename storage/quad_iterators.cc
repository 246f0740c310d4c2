// The scans' QuadIdIterators (quad_iterators.h).

#include "storage/quad_iterators.h"

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/read_view.h"

namespace kg {

void PrefixQuadIterator::Load() {
  valid_ = false;
  for (;; it_->Next()) {
    if (!it_->Valid()) {
      status_ = it_->status();
      return;
    }
    const std::string_view key = it_->key();
    if (!key.starts_with(prefix_)) return;
    if (!DecodeQuadKey(perm_, key, &quad_)) {
      status_ = absl::DataLossError(absl::StrCat(
          "malformed key in index ", Sv(PermutationName(perm_))));
      return;
    }
    if (default_graph_only_ && quad_.g != kDefaultGraph) continue;
    valid_ = true;
    return;
  }
}

PooledIterator::PooledIterator(const ReadView* view, Permutation perm,
                               std::string lower, std::string upper,
                               bool default_graph_only,
                               std::unique_ptr<IndexCursor> owned)
    : view_(view), perm_(perm), lower_(std::move(lower)),
      upper_(std::move(upper)), default_graph_only_(default_graph_only) {
  if (owned) {
    it_ = std::move(owned);
  } else {
    it_ = view_->Borrow(perm);
  }
  it_->Seek(lower_);
  Load();
}

PooledIterator::~PooledIterator() {
  if (view_ && demand_predicate_ != 0)
    view_->NoteScanCost(demand_predicate_, rows_);
  if (view_ && it_ && it_->status().ok()) view_->Return(perm_, std::move(it_));
}

void PooledIterator::Load() {
  valid_ = false;
  for (;; it_->Next()) {
    if (!it_->Valid()) {
      status_ = it_->status();
      return;
    }
    const std::string_view key = it_->key();
    if (!upper_.empty() && key >= upper_) return;
    if (!DecodeQuadKey(perm_, key, &quad_)) {
      status_ = absl::DataLossError(absl::StrCat(
          "malformed key in index ", Sv(PermutationName(perm_))));
      return;
    }
    ++rows_;
    if (default_graph_only_ && quad_.g != kDefaultGraph) continue;
    valid_ = true;
    return;
  }
}

void PrefixQuadIterator::Next() {
  it_->Next();
  Load();
}

void PooledIterator::Next() {
  it_->Next();
  Load();
}

absl::Status CancellableIterator::status() const {
  if (cancel_->load(std::memory_order_relaxed))
    return absl::CancelledError("adjacency build cancelled");
  return it_->status();
}

RecordingIterator::RecordingIterator(std::unique_ptr<QuadIdIterator> inner,
                                     ProbeCache* cache, uint64_t sequence,
                                     const ProbeCache::ProbeKey& key)
    : inner_(std::move(inner)), cache_(cache), sequence_(sequence), key_(key) {
  Record();
}

void RecordingIterator::Next() {
  inner_->Next();
  Record();
}

void RecordingIterator::Record() {
  if (!recording_) return;
  if (inner_->Valid()) {
    if (rows_.size() == ProbeCache::kMaxRows) {
      recording_ = false;  // too long to keep
      rows_ = {};
      return;
    }
    rows_.push_back(inner_->quad());
    return;
  }
  recording_ = false;
  if (inner_->status().ok()) cache_->Insert(sequence_, key_, std::move(rows_));
}

}  // namespace kg
