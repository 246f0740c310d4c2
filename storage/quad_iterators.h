// The QuadIdIterators behind ReadView and WriteTxn scans (internal to
// storage/; quad_reader.h is the interface):
//
//   PrefixQuadIterator   one key prefix of one index, on a cursor of its own
//   PooledIterator       a key range of one index, on a cursor borrowed from
//                        a ReadView's pool (or owned), charging its rows to
//                        the predicate's adjacency demand
//   PointIterator        a fully bound pattern: one point lookup
//   CancellableIterator  ends once a flag is set (background builds)
//   CachedProbeIterator  a probe answered by the ProbeCache
//   RecordingIterator    passes a probe through and caches its quads

#ifndef KGSTORE_STORAGE_QUAD_ITERATORS_H_
#define KGSTORE_STORAGE_QUAD_ITERATORS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "storage/index_cursor.h"
#include "storage/probe_cache.h"
#include "storage/quad_index.h"
#include "storage/quad_reader.h"

namespace kg {

class ReadView;

// Iterates one prefix of one index through an IndexCursor of its own,
// bounded above by the prefix's successor.
class PrefixQuadIterator final : public QuadIdIterator {
 public:
  // `default_graph_only`: skip quads of named graphs (PlanScan).
  PrefixQuadIterator(Permutation perm, std::string prefix,
                     bool default_graph_only = false)
      : perm_(perm), prefix_(std::move(prefix)),
        upper_(PrefixSuccessor(prefix_)),
        default_graph_only_(default_graph_only) {}

  // `make` creates the cursor given an upper bound (empty: none) that
  // points at this object's storage.
  template <typename Make>
  void Start(Make make) {
    it_ = make(std::string_view(upper_));
    it_->Seek(prefix_);
    Load();
  }
  bool Valid() const override { return valid_; }
  const QuadIds& quad() const override { return quad_; }
  void Next() override;
  absl::Status status() const override { return status_; }

 private:
  void Load();

  Permutation perm_;
  std::string prefix_;
  std::string upper_;
  bool default_graph_only_;
  std::unique_ptr<IndexCursor> it_;
  QuadIds quad_;
  bool valid_ = false;
  absl::Status status_;
};

// A fully bound pattern: one point lookup (bloom filter, no iterator).
class PointIterator final : public QuadIdIterator {
 public:
  PointIterator(const QuadIds& q, bool found, absl::Status status)
      : quad_(q), valid_(found), status_(std::move(status)) {}
  bool Valid() const override { return valid_; }
  const QuadIds& quad() const override { return quad_; }
  void Next() override { valid_ = false; }
  absl::Status status() const override { return status_; }

 private:
  QuadIds quad_;
  bool valid_;
  absl::Status status_;
};

// A key-range scan [lower, upper) (upper empty: to the end of the index)
// on an iterator borrowed from the view's pool and returned when the scan is
// destroyed, or owned when `view` is null (transactions). The iterator has no
// upper bound of its own, since pooled iterators are shared by scans of
// different ranges: Load() stops at `upper`.
class PooledIterator final : public QuadIdIterator {
 public:
  PooledIterator(const ReadView* view, Permutation perm, std::string lower,
                 std::string upper, bool default_graph_only,
                 std::unique_ptr<IndexCursor> owned = nullptr);
  ~PooledIterator() override;
  // Reports this scan's rows to the predicate's adjacency demand when the
  // iterator is destroyed.
  void ChargeTo(TermId predicate) { demand_predicate_ = predicate; }
  bool Valid() const override { return valid_; }
  const QuadIds& quad() const override { return quad_; }
  void Next() override;
  absl::Status status() const override { return status_; }

 private:
  void Load();

  const ReadView* view_;
  TermId demand_predicate_ = 0;
  uint64_t rows_ = 0;
  Permutation perm_;
  std::string lower_, upper_;
  bool default_graph_only_;
  std::unique_ptr<IndexCursor> it_;
  QuadIds quad_;
  bool valid_ = false;
  absl::Status status_;
};

// Ends (with status Cancelled) once *cancel is true: lets a background
// adjacency build stop within one step.
class CancellableIterator final : public QuadIdIterator {
 public:
  CancellableIterator(std::unique_ptr<QuadIdIterator> it,
                      const std::atomic<bool>* cancel)
      : it_(std::move(it)), cancel_(cancel) {}
  bool Valid() const override {
    return it_->Valid() && !cancel_->load(std::memory_order_relaxed);
  }
  const QuadIds& quad() const override { return it_->quad(); }
  void Next() override { it_->Next(); }
  absl::Status status() const override;

 private:
  std::unique_ptr<QuadIdIterator> it_;
  const std::atomic<bool>* cancel_;
};

// The quads of a probe answered by the ProbeCache.
class CachedProbeIterator final : public QuadIdIterator {
 public:
  explicit CachedProbeIterator(ProbeCache::Rows rows)
      : rows_(std::move(rows)) {}
  bool Valid() const override { return pos_ < rows_->size(); }
  const QuadIds& quad() const override { return (*rows_)[pos_]; }
  void Next() override { ++pos_; }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  ProbeCache::Rows rows_;
  size_t pos_ = 0;
};

// Passes a RocksDB probe through and, if it is read to its end without an
// error and yields at most ProbeCache::kMaxRows quads, caches its quads.
class RecordingIterator final : public QuadIdIterator {
 public:
  RecordingIterator(std::unique_ptr<QuadIdIterator> inner, ProbeCache* cache,
                    uint64_t sequence, const ProbeCache::ProbeKey& key);
  bool Valid() const override { return inner_->Valid(); }
  const QuadIds& quad() const override { return inner_->quad(); }
  void Next() override;
  absl::Status status() const override { return inner_->status(); }

 private:
  void Record();

  std::unique_ptr<QuadIdIterator> inner_;
  ProbeCache* cache_;
  uint64_t sequence_;
  ProbeCache::ProbeKey key_;
  std::vector<QuadIds> rows_;
  bool recording_ = true;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_QUAD_ITERATORS_H_
