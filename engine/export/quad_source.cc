// The export's quad sources (quad_source.h).

#include "engine/export/quad_source.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"

namespace kg::export_internal {
namespace {

// Skips the quads of other graphs.
class GraphFilter : public NumberedQuadCursor {
 public:
  GraphFilter(std::unique_ptr<NumberedQuadCursor> in, uint64_t graph)
      : in_(std::move(in)), graph_(graph) {
    Skip();
  }
  bool Valid() const override { return in_->Valid(); }
  const NumberedQuad& quad() const override { return in_->quad(); }
  void Next() override {
    in_->Next();
    Skip();
  }
  absl::Status status() const override { return in_->status(); }

 private:
  void Skip() {
    while (in_->Valid() && in_->quad().graph != graph_) in_->Next();
  }
  std::unique_ptr<NumberedQuadCursor> in_;
  uint64_t graph_;
};

class StoreSource : public QuadSource {
 public:
  StoreSource(std::unique_ptr<NumberedSnapshot> snapshot,
              std::optional<uint64_t> graph)
      : snapshot_(std::move(snapshot)), graph_(graph) {}
  std::unique_ptr<NumberedQuadCursor> BySubject() const override {
    return Filter(snapshot_->Scan(QuadOrder::kSubjectFirst));
  }
  std::unique_ptr<NumberedQuadCursor> ByObject() const override {
    return Filter(snapshot_->Scan(QuadOrder::kObjectFirst));
  }
  absl::StatusOr<Term> Resolve(uint64_t number) const override {
    return snapshot_->TermOf(number);
  }
  std::optional<uint64_t> Find(const Term& term) const override {
    auto number = snapshot_->NumberOf(term);
    if (!number.ok()) return std::nullopt;
    return *number;
  }
  NumberedTermKind Kind(uint64_t number) const override {
    return NumberedSnapshot::KindOf(number);
  }

 private:
  std::unique_ptr<NumberedQuadCursor> Filter(
      std::unique_ptr<NumberedQuadCursor> it) const {
    if (!graph_) return it;
    return std::make_unique<GraphFilter>(std::move(it), *graph_);
  }
  std::unique_ptr<NumberedSnapshot> snapshot_;
  std::optional<uint64_t> graph_;
};

class VectorCursor : public NumberedQuadCursor {
 public:
  explicit VectorCursor(const std::vector<NumberedQuad>* v) : v_(v) {}
  bool Valid() const override { return i_ < v_->size(); }
  const NumberedQuad& quad() const override { return (*v_)[i_]; }
  void Next() override { ++i_; }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  const std::vector<NumberedQuad>* v_;
  size_t i_ = 0;
};

constexpr int kKindShift = 56;

class MemorySource : public QuadSource {
 public:
  explicit MemorySource(const std::vector<Quad>& quads) {
    for (const Quad& q : quads) {
      NumberedQuad n;
      n.subject = Intern(q.subject);
      n.predicate = Intern(q.predicate);
      n.object = Intern(q.object);
      n.graph = q.graph ? Intern(*q.graph) : 0;
      by_s_.push_back(n);
    }
    auto spog = [](const NumberedQuad& q) {
      return std::make_tuple(q.subject, q.predicate, q.object, q.graph);
    };
    auto ospg = [](const NumberedQuad& q) {
      return std::make_tuple(q.object, q.subject, q.predicate, q.graph);
    };
    std::sort(by_s_.begin(), by_s_.end(),
              [&](const NumberedQuad& a, const NumberedQuad& b) {
                return spog(a) < spog(b);
              });
    by_s_.erase(std::unique(by_s_.begin(), by_s_.end(),
                            [&](const NumberedQuad& a, const NumberedQuad& b) {
                              return spog(a) == spog(b);
                            }),
                by_s_.end());
    by_o_ = by_s_;
    std::sort(by_o_.begin(), by_o_.end(),
              [&](const NumberedQuad& a, const NumberedQuad& b) {
                return ospg(a) < ospg(b);
              });
  }
  std::unique_ptr<NumberedQuadCursor> BySubject() const override {
    return std::make_unique<VectorCursor>(&by_s_);
  }
  std::unique_ptr<NumberedQuadCursor> ByObject() const override {
    return std::make_unique<VectorCursor>(&by_o_);
  }
  absl::StatusOr<Term> Resolve(uint64_t number) const override {
    auto it = terms_.find(number);
    if (it == terms_.end()) return absl::InternalError("unknown id");
    return it->second;
  }
  std::optional<uint64_t> Find(const Term& term) const override {
    auto it = numbers_.find(term.ToNTriples());
    if (it == numbers_.end()) return std::nullopt;
    return it->second;
  }
  NumberedTermKind Kind(uint64_t number) const override {
    switch (number >> kKindShift) {
      case 1: return NumberedTermKind::kIri;
      case 2: return NumberedTermKind::kBlankNode;
      case 3:
      case 4: return NumberedTermKind::kPlainLiteral;
      default: return NumberedTermKind::kTypedLiteral;
    }
  }

 private:
  uint64_t Intern(const Term& t) {
    std::string key = t.ToNTriples();
    auto it = numbers_.find(key);
    if (it != numbers_.end()) return it->second;
    uint64_t kind = t.is_iri()                ? 1
                    : t.is_blank()            ? 2
                    : !t.language.empty()     ? 4
                    : !t.datatype.empty()     ? 5
                                              : 3;
    uint64_t number = (kind << kKindShift) | ++next_;
    numbers_.emplace(std::move(key), number);
    terms_.emplace(number, t);
    return number;
  }
  uint64_t next_ = 0;
  absl::flat_hash_map<std::string, uint64_t> numbers_;
  absl::flat_hash_map<uint64_t, Term> terms_;
  std::vector<NumberedQuad> by_s_, by_o_;
};

}  // namespace

std::unique_ptr<QuadSource> StoreQuadSource(
    std::unique_ptr<NumberedSnapshot> snapshot, std::optional<uint64_t> graph) {
  return std::make_unique<StoreSource>(std::move(snapshot), graph);
}

std::unique_ptr<QuadSource> MemoryQuadSource(const std::vector<Quad>& quads) {
  return std::make_unique<MemorySource>(quads);
}

}  // namespace kg::export_internal
