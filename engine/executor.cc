// The entry points of executor.h and the QueryResult that pulls rows
// through the operator tree: the planner (engine/plan/) builds the tree
// from the algebra, the operators (engine/exec/) run it, and this file
// decodes the root's rows into terms, triples (CONSTRUCT, DESCRIBE) or a
// boolean (ASK), and prints EXPLAIN / PROFILE text.

#include "engine/executor.h"

#include <algorithm>
#include <chrono>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/exec/explain.h"
#include "engine/exec/operator.h"
#include "engine/exec/query_context.h"
#include "engine/plan/planner.h"

namespace kg {
namespace {

using exec::Clock;
using exec::ExplainTree;
using exec::IdRow;
using exec::kAbsent;
using exec::kTempTag;
using exec::kUnbound;
using exec::Operator;
using exec::OpPtr;
using exec::QueryContext;
using exec::SetUpContext;
using plan::Planner;

// The QueryResult behind Database::Query.
class ExecResult : public QueryResult {
 public:
  absl::Status Init(std::shared_ptr<const QuadReader> source,
                    std::shared_ptr<const StoreStatistics> stats,
                    std::shared_ptr<const algebra::Query> q,
                    const QueryOptions& options, bool profile,
                    bool run = true, Clock::time_point started = {}) {
    query_ = std::move(q);
    ctx_.profile = profile;
    absl::Status s = SetUpContext(&ctx_, std::move(source), std::move(stats),
                                  query_->dataset, options, started);
    if (!s.ok()) return s;
    if (!query_->base.empty()) ctx_.options.base_iri = query_->base;
    planner_ = std::make_unique<Planner>(&ctx_, query_->var_names);
    root_ = planner_->Plan(*query_->root, exec::GraphSpec{}, {});
    if (!ctx_.ok()) return ctx_.status;
    for (int slot : query_->projection)
      variables_.push_back(query_->var_names[slot]);
    // EXPLAIN plans only: opening would already run blocking operators
    // (aggregation, sort) to completion.
    if (!run) return ctx_.status;
    root_->Open(IdRow(query_->var_names.size(), kUnbound));
    if (query_->form == ast::QueryForm::kAsk) {
      IdRow r;
      boolean_ = root_->Next(&r);
      if (!ctx_.ok()) return ctx_.status;
    }
    return ctx_.status;
  }

  Kind kind() const override {
    switch (query_->form) {
      case ast::QueryForm::kSelect: return Kind::kBindings;
      case ast::QueryForm::kAsk: return Kind::kBoolean;
      default: return Kind::kGraph;
    }
  }
  const std::vector<std::string>& variables() const override {
    return variables_;
  }
  bool boolean() const override { return boolean_; }
  const std::map<std::string, std::string>& prefixes() const override {
    return query_->prefixes;
  }

  absl::StatusOr<bool> NextRow(Row* row) override {
    if (kind() != Kind::kBindings)
      return absl::FailedPreconditionError("not a SELECT result");
    if (batch_pos_ == batch_rows_) {
      if (!batch_end_) FillBatch();
      if (!ctx_.ok()) return ctx_.status;
      if (batch_pos_ == batch_rows_) return false;
    }
    const size_t width = query_->projection.size();
    row->resize(width);
    for (size_t i = 0; i < width; ++i)
      (*row)[i] = std::move(batch_cells_[batch_pos_ * width + i]);
    ++batch_pos_;
    return true;
  }

  absl::StatusOr<bool> NextTriple(Quad* triple) override {
    if (kind() != Kind::kGraph)
      return absl::FailedPreconditionError("not a graph result");
    while (true) {
      if (pending_pos_ < pending_.size()) {
        *triple = std::move(pending_[pending_pos_++]);
        return true;
      }
      pending_.clear();
      pending_pos_ = 0;
      IdRow r;
      if (!root_->Next(&r)) {
        if (!ctx_.ok()) return ctx_.status;
        return false;
      }
      if (query_->form == ast::QueryForm::kConstruct) {
        Instantiate(r);
      } else {
        Describe(r);
      }
      if (!ctx_.ok()) return ctx_.status;
    }
  }

  std::string Explain(bool profile) const {
    return ExplainTree(root_.get(), profile, 0);
  }

  // Pulls the next rows of a SELECT into batch_cells_, decoded: the
  // dictionary terms of a batch in one QuadReader::ResolveMany, which
  // reads the entries not cached in id order, each block once (a Get per
  // cell found and decompressed the block again for every term in it:
  // most of the first run of a query with many result rows). Batches
  // start small, so that a caller reading a few rows computes few more,
  // and double up to kMaxBatchRows rows, fewer when a batch's terms
  // passed kMaxBatchBytes (the rows held ahead are not charged to the
  // query's memory limit).
  void FillBatch() {
    const std::vector<int>& projection = query_->projection;
    batch_ids_.clear();
    batch_rows_ = batch_pos_ = 0;
    IdRow r;
    while (batch_rows_ < batch_size_) {
      if (!root_->Next(&r)) {
        batch_end_ = true;
        break;
      }
      for (int slot : projection) batch_ids_.push_back(r[slot]);
      ++batch_rows_;
    }
    batch_size_ = std::min(batch_size_ * 2, kMaxBatchRows);
    batch_cells_.assign(batch_ids_.size(), std::nullopt);
    lookup_ids_.clear();
    lookup_cells_.clear();
    for (size_t k = 0; k < batch_ids_.size(); ++k) {
      const TermId id = batch_ids_[k];
      if (id == kUnbound || id == kAbsent) continue;
      if (TagOf(id) == kTempTag || IsInline(id)) {
        batch_cells_[k] = ctx_.Decode(id);
        continue;
      }
      lookup_ids_.push_back(id);
      lookup_cells_.push_back(k);
    }
    if (lookup_ids_.empty()) return;
    absl::Status resolved = ctx_.source->ResolveMany(lookup_ids_, &terms_);
    if (!resolved.ok()) {
      ctx_.Fail(std::move(resolved));
      return;
    }
    size_t bytes = 0;
    for (size_t j = 0; j < lookup_ids_.size(); ++j) {
      bytes += terms_[j].lexical.size();
      batch_cells_[lookup_cells_[j]] = std::move(terms_[j]);
    }
    // Rows of large literals: smaller batches, so that what is held ahead
    // of the caller stays near kMaxBatchBytes.
    if (bytes > kMaxBatchBytes)
      batch_size_ = std::max<size_t>(1, batch_rows_ * kMaxBatchBytes / bytes);
  }
  static constexpr size_t kMaxBatchRows = 1024;
  static constexpr size_t kMaxBatchBytes = size_t{4} << 20;
  QueryContext& context() { return ctx_; }
  Operator* root() { return root_.get(); }

 private:
  std::optional<Term> SlotValue(const algebra::Slot& s, const IdRow& r,
                                absl::flat_hash_map<std::string, Term>* bnodes) {
    if (s.is_var()) return ctx_.Decode(r[s.var]);
    if (s.term.is_blank()) {
      auto [it, inserted] = bnodes->try_emplace(s.term.lexical);
      if (inserted)
        it->second = Term::BlankNode(absl::StrCat("c", ++blank_counter_));
      return it->second;
    }
    return s.term;
  }

  void Instantiate(const IdRow& r) {
    absl::flat_hash_map<std::string, Term> bnodes;
    for (const auto& p : query_->construct_template) {
      auto s = SlotValue(p.subject, r, &bnodes);
      auto pr = SlotValue(p.predicate, r, &bnodes);
      auto o = SlotValue(p.object, r, &bnodes);
      if (!s || !pr || !o || s->is_literal() || !pr->is_iri()) continue;
      Quad q{*s, *pr, *o, std::nullopt};
      Keep(std::move(q));
    }
  }

  // A triple not given before goes out; the set of triples given, which
  // removes duplicates, counts against the memory cap.
  void Keep(Quad q) {
    std::string key = q.ToNQuads();
    const uint64_t bytes = 64 + key.size();
    if (!seen_.insert(std::move(key)).second) return;
    if (!ctx_.Charge(bytes)) return;
    pending_.push_back(std::move(q));
  }

  void Describe(const IdRow& r) {
    for (const auto& slot : query_->describe) {
      TermId id = slot.is_var() ? r[slot.var] : ctx_.EncodeConstant(slot.term);
      if (id == kUnbound || id == kAbsent || TagOf(id) == kTempTag) continue;
      if (!described_.insert(id).second) continue;
      if (!ctx_.Charge(16)) return;
      QuadIds q;
      q.s = id;
      auto it = ctx_.source->Scan(q, 1);
      for (; it->Valid(); it->Next()) {
        auto s = ctx_.Decode(it->quad().s);
        auto p = ctx_.Decode(it->quad().p);
        auto o = ctx_.Decode(it->quad().o);
        if (!s || !p || !o) continue;
        Quad t{*s, *p, *o, std::nullopt};
        Keep(std::move(t));
        if (!ctx_.Tick()) return;
      }
      if (!it->status().ok()) ctx_.Fail(it->status());
    }
    // DESCRIBE without WHERE has one empty solution: constants only.
  }

  // Shared with the query cache: read only.
  std::shared_ptr<const algebra::Query> query_;
  QueryContext ctx_;
  std::unique_ptr<Planner> planner_;
  OpPtr root_;
  std::vector<std::string> variables_;
  bool boolean_ = false;
  std::vector<Quad> pending_;
  size_t pending_pos_ = 0;
  // SELECT rows pulled and decoded ahead (FillBatch): width cells a row.
  size_t batch_size_ = 16, batch_rows_ = 0, batch_pos_ = 0;
  bool batch_end_ = false;  // the root has no more rows
  std::vector<TermId> batch_ids_;
  std::vector<std::optional<Term>> batch_cells_;
  std::vector<TermId> lookup_ids_;
  std::vector<size_t> lookup_cells_;
  std::vector<Term> terms_;
  absl::flat_hash_set<std::string> seen_;
  absl::flat_hash_set<TermId> described_;
  uint64_t blank_counter_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<QueryResult>> ExecuteQuery(
    std::shared_ptr<const QuadReader> source,
    std::shared_ptr<const StoreStatistics> stats,
    std::shared_ptr<const algebra::Query> query, const QueryOptions& options,
    Clock::time_point started) {
  auto result = std::make_unique<ExecResult>();
  absl::Status s = result->Init(std::move(source), std::move(stats),
                                std::move(query), options,
                                /*profile=*/false, /*run=*/true, started);
  if (!s.ok()) return s;
  return std::unique_ptr<QueryResult>(std::move(result));
}

absl::StatusOr<std::string> ExplainQuery(
    std::shared_ptr<const QuadReader> source,
    std::shared_ptr<const StoreStatistics> stats,
    std::shared_ptr<const algebra::Query> query, const QueryOptions& options,
    bool profile, Clock::time_point started) {
  auto result = std::make_unique<ExecResult>();
  auto start = Clock::now();
  absl::Status s = result->Init(std::move(source), std::move(stats),
                                std::move(query), options,
                                profile, /*run=*/profile, started);
  if (!s.ok()) return s;
  uint64_t rows = 0;
  if (profile) {
    if (result->kind() == QueryResult::Kind::kBindings) {
      Row row;
      while (true) {
        auto more = result->NextRow(&row);
        if (!more.ok()) return more.status();
        if (!*more) break;
        ++rows;
      }
    } else if (result->kind() == QueryResult::Kind::kGraph) {
      Quad q;
      while (true) {
        auto more = result->NextTriple(&q);
        if (!more.ok()) return more.status();
        if (!*more) break;
        ++rows;
      }
    }
  }
  std::string text = result->Explain(profile);
  if (profile)
    absl::StrAppend(&text, absl::StrFormat(
                               "%d result rows in %.3f ms\n", rows,
                               std::chrono::duration<double, std::milli>(
                                   Clock::now() - start)
                                   .count()));
  return text;
}

absl::StatusOr<std::vector<std::vector<std::optional<Term>>>> EvaluatePattern(
    std::shared_ptr<const QuadReader> source,
    std::shared_ptr<const StoreStatistics> stats,
    const std::shared_ptr<algebra::Node>& pattern, size_t num_vars,
    const algebra::Dataset& dataset, const QueryOptions& options,
    Clock::time_point started) {
  QueryContext ctx;
  absl::Status s = SetUpContext(&ctx, std::move(source), std::move(stats),
                                dataset, options, started);
  if (!s.ok()) return s;
  std::vector<std::string> names(num_vars, "v");
  Planner planner(&ctx, names);
  OpPtr root = planner.Plan(*pattern, exec::GraphSpec{}, {});
  root->Open(IdRow(num_vars, kUnbound));
  std::vector<std::vector<std::optional<Term>>> out;
  IdRow r;
  // The solutions are all held (an update computes every change before
  // making any): they count against the memory cap.
  while (root->Next(&r)) {
    std::vector<std::optional<Term>> row(num_vars);
    uint64_t bytes = 32 + num_vars * sizeof(std::optional<Term>);
    for (size_t i = 0; i < num_vars; ++i) {
      row[i] = ctx.Decode(r[i]);
      if (row[i]) bytes += row[i]->lexical.size() + row[i]->datatype.size();
    }
    if (!ctx.Charge(bytes)) break;
    out.push_back(std::move(row));
  }
  if (!ctx.ok()) return ctx.status;
  return out;
}

}  // namespace kg
