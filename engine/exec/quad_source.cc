// The two QuadSource adapters: a ReadView (queries) and a WriteTxn
// (updates).

#include "engine/exec/quad_source.h"

namespace kg::exec {
namespace {

class ViewSource : public QuadSource {
 public:
  explicit ViewSource(std::shared_ptr<ReadView> v) : view_(std::move(v)) {}
  std::unique_ptr<QuadIdIterator> Scan(const QuadIds& p,
                                       unsigned m) const override {
    return view_->Scan(p, m);
  }
  std::unique_ptr<QuadIdIterator> ScanRange(
      Permutation perm, std::string lo, std::string hi,
      bool default_graph_only) const override {
    return view_->ScanRange(perm, std::move(lo), std::move(hi),
                           default_graph_only);
  }
  absl::StatusOr<Term> Resolve(TermId id) const override {
    return view_->Resolve(id);
  }
  absl::StatusOr<std::optional<TermId>> Lookup(const Term& t) const override {
    return view_->Lookup(t);
  }
  std::shared_ptr<const PredicateAdjacency> Adjacency(
      TermId p, unsigned mask) const override {
    return view_->AdjacencyFor(p, mask);
  }

 private:
  std::shared_ptr<ReadView> view_;
};

class TxnSource : public QuadSource {
 public:
  explicit TxnSource(WriteTxn* t) : txn_(t) {}
  std::unique_ptr<QuadIdIterator> Scan(const QuadIds& p,
                                       unsigned m) const override {
    return txn_->Scan(p, m);
  }
  std::unique_ptr<QuadIdIterator> ScanRange(
      Permutation perm, std::string lo, std::string hi,
      bool default_graph_only) const override {
    return txn_->ScanRange(perm, std::move(lo), std::move(hi),
                           default_graph_only);
  }
  absl::StatusOr<Term> Resolve(TermId id) const override {
    return txn_->Resolve(id);
  }
  absl::StatusOr<std::optional<TermId>> Lookup(const Term& t) const override {
    return txn_->Lookup(t);
  }

 private:
  WriteTxn* txn_;
};

}  // namespace

std::unique_ptr<QuadSource> SourceFromView(std::shared_ptr<ReadView> view) {
  return std::make_unique<ViewSource>(std::move(view));
}
std::unique_ptr<QuadSource> SourceFromTxn(WriteTxn* txn) {
  return std::make_unique<TxnSource>(txn);
}

}  // namespace kg::exec
