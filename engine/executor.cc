// Physical operators, the planner that builds them from the algebra, and
// the QueryResult that pulls rows through them.
//
// Operator contract: Open(seed) starts a pass whose rows are exactly
// { merge(seed, b) : b a solution of the operator compatible with seed }.
// Operators may use the seed's bindings as constraints (a scan substitutes
// them into its key prefix: an index nested-loop join); callers pass only
// bindings of variables the operator is certain to bind (CertainVars), so
// that using them as constraints cannot change the answer, and check the
// rest themselves.

#include "engine/executor.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <type_traits>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "query/functions.h"
#include "storage/base/absl_compat.h"
#include "storage/rdf/iri.h"

namespace kg {
namespace {

using algebra::Node;
using algebra::Slot;
using IdRow = std::vector<TermId>;
using Clock = std::chrono::steady_clock;

constexpr TermId kUnbound = 0;
// Ids of terms computed by expressions and not in the store.
constexpr TermTag kTempTag = static_cast<TermTag>(0x7f);
// A constant the store does not have: matches nothing.
constexpr TermId kAbsent = ~uint64_t{0};

// ---- sources -------------------------------------------------------------

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

// ---- execution context -----------------------------------------------------

// Which graphs the default graph and GRAPH ?g range over.
struct GraphScope {
  enum class DefaultKind { kUnionAll, kStoreDefault, kSet };
  DefaultKind default_kind = DefaultKind::kUnionAll;
  absl::flat_hash_set<TermId> default_set;
  bool named_restricted = false;
  absl::flat_hash_set<TermId> named_set;
  std::vector<TermId> named_list;  // every named graph in scope
};

struct Context {
  std::shared_ptr<QuadSource> source;
  std::shared_ptr<const StoreStatistics> stats;  // never null once set up
  QueryOptions options;
  FunctionContext fn;
  GraphScope scope;
  Clock::time_point deadline = Clock::time_point::max();
  uint64_t memory = 0;
  absl::Status status;
  uint64_t ticks = 0;
  // Temporary terms (tag 0x7f): id payload = index.
  std::vector<Term> temp_terms;
  absl::flat_hash_map<std::string, TermId> temp_ids;
  // Decoded dictionary terms of this query; node-based so that DecodeRef's
  // pointers stay valid until the cache is cleared (decode_generation).
  absl::node_hash_map<TermId, Term> decode_cache;
  uint64_t decode_generation = 0;
  bool profile = false;

  bool ok() const { return status.ok(); }
  void Fail(absl::Status s) {
    if (status.ok()) status = std::move(s);
  }
  // Called in every loop that may run long: deadline and cancellation.
  bool Tick() {
    if (!status.ok()) return false;
    if ((++ticks & 1023) == 0) {
      if (options.cancel && options.cancel->load()) {
        Fail(absl::CancelledError("query cancelled"));
        return false;
      }
      if (Clock::now() > deadline) {
        Fail(absl::DeadlineExceededError(absl::StrCat(
            "query exceeded its time limit of ", options.timeout_ms, " ms")));
        return false;
      }
    }
    return true;
  }
  bool Charge(uint64_t bytes) {
    memory += bytes;
    if (options.memory_limit_bytes && memory > options.memory_limit_bytes) {
      Fail(absl::ResourceExhaustedError(absl::StrCat(
          "query exceeded its memory limit of ", options.memory_limit_bytes,
          " bytes held by intermediate results")));
      return false;
    }
    return true;
  }
  void Release(uint64_t bytes) { memory -= std::min(memory, bytes); }

  std::optional<Term> Decode(TermId id) {
    if (id == kUnbound || id == kAbsent) return std::nullopt;
    if (TagOf(id) == kTempTag) return temp_terms[PayloadOf(id)];
    if (IsInline(id)) {
      Term t;
      if (DecodeInline(id, &t)) return t;
      return std::nullopt;
    }
    // A copy is returned anyway: on a miss the resolved term is handed
    // over as it is, not also kept in decode_cache (an output of 250,000
    // rows of mostly distinct terms spent a quarter of its time allocating
    // and freeing cache nodes and their copies). Repeats still hit the
    // store's term cache.
    auto it = decode_cache.find(id);
    if (it != decode_cache.end()) return it->second;
    auto t = source->Resolve(id);
    if (!t.ok()) {
      Fail(t.status());
      return std::nullopt;
    }
    return *std::move(t);
  }
  // The term of a dictionary id (not inline, not temporary) without a
  // copy; null on error. Valid until decode_generation changes.
  const Term* DecodeRef(TermId id) {
    auto it = decode_cache.find(id);
    if (it != decode_cache.end()) return &it->second;
    auto t = source->Resolve(id);
    if (!t.ok()) {
      Fail(t.status());
      return nullptr;
    }
    if (decode_cache.size() > 100000) {
      decode_cache.clear();
      ++decode_generation;
    }
    return &decode_cache.emplace(id, *std::move(t)).first->second;
  }
  // The id of a term: inline, stored, or a temporary id of this query.
  TermId Encode(const Term& t) {
    if (auto inl = TryInline(t)) return *inl;
    if (!t.is_blank() || Store::ParseBlankLabel(t.lexical)) {
      auto found = source->Lookup(t);
      if (!found.ok()) {
        Fail(found.status());
        return kUnbound;
      }
      if (found->has_value()) return **found;
    }
    std::string key = t.ToNTriples();
    auto it = temp_ids.find(key);
    if (it != temp_ids.end()) return it->second;
    TermId id = MakeId(kTempTag, temp_terms.size());
    temp_terms.push_back(t);
    temp_ids.emplace(std::move(key), id);
    return id;
  }
  // The sign of the comparison of two dictionary terms' lexical forms
  // (byte order, which for UTF-8 is code point order), decoded in place;
  // std::nullopt on a decoding error.
  std::optional<int> CompareLexical(TermId x, TermId y) {
    const Term* a = DecodeRef(x);
    const uint64_t gen = decode_generation;
    const Term* b = DecodeRef(y);
    if (a && decode_generation != gen) a = DecodeRef(x);  // cache was cleared
    if (!a || !b) return std::nullopt;
    const int c = a->lexical.compare(b->lexical);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  // For pattern constants: kAbsent when the store lacks the term.
  TermId EncodeConstant(const Term& t) {
    if (auto inl = TryInline(t)) return *inl;
    auto found = source->Lookup(t);
    if (!found.ok()) {
      Fail(found.status());
      return kAbsent;
    }
    return found->has_value() ? **found : kAbsent;
  }
};

bool Compatible(const IdRow& a, const IdRow& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != kUnbound && b[i] != kUnbound && a[i] != b[i]) return false;
  return true;
}

// b := merge(a, b) if compatible.
bool MergeInto(const IdRow& a, IdRow* b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == kUnbound) continue;
    if ((*b)[i] == kUnbound) {
      (*b)[i] = a[i];
    } else if ((*b)[i] != a[i]) {
      return false;
    }
  }
  return true;
}

IdRow Restrict(const IdRow& row, const std::vector<int>& vars) {
  IdRow out(row.size(), kUnbound);
  for (int v : vars) out[v] = row[v];
  return out;
}

// ---- operators ------------------------------------------------------------

class Operator {
 public:
  explicit Operator(Context* ctx) : ctx_(ctx) {}
  virtual ~Operator() = default;
  void Open(const IdRow& seed) {
    ++opens_;
    if (!ctx_->profile) {
      DoOpen(seed);
      return;
    }
    // Blocking operators (sort, aggregation, minus) do their work here, so
    // PROFILE counts Open time too. Times are inclusive of children.
    auto start = Clock::now();
    DoOpen(seed);
    nanos_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
                  Clock::now() - start)
                  .count();
  }
  bool Next(IdRow* row) {
    if (!ctx_->ok()) return false;
    if (!ctx_->profile) {
      bool got = DoNext(row);
      if (got) ++rows_;
      return got;
    }
    auto start = Clock::now();
    bool got = DoNext(row);
    nanos_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
                  Clock::now() - start)
                  .count();
    if (got) ++rows_;
    return got;
  }
  // EXPLAIN: what this operator is, and its children.
  virtual std::string Describe() const = 0;
  virtual std::vector<const Operator*> Children() const { return {}; }
  // Estimated rows per Open.
  double estimate = 1;
  uint64_t rows() const { return rows_; }
  uint64_t opens() const { return opens_; }
  double millis() const { return nanos_ / 1e6; }

 protected:
  virtual void DoOpen(const IdRow& seed) = 0;
  virtual bool DoNext(IdRow* row) = 0;
  Context* ctx_;

 private:
  uint64_t rows_ = 0, opens_ = 0;
  int64_t nanos_ = 0;
};

using OpPtr = std::unique_ptr<Operator>;

// One row: the seed.
class SingletonOp : public Operator {
 public:
  using Operator::Operator;
  std::string Describe() const override { return "Singleton"; }

 protected:
  void DoOpen(const IdRow& seed) override {
    seed_ = seed;
    done_ = false;
  }
  bool DoNext(IdRow* row) override {
    if (done_) return false;
    done_ = true;
    *row = seed_;
    return true;
  }

 private:
  IdRow seed_;
  bool done_ = true;
};

// Where a pattern's graph position comes from.
struct GraphSpec {
  enum class Kind { kDefault, kNamedConst, kNamedVar };
  Kind kind = Kind::kDefault;
  TermId id = kUnbound;  // kNamedConst
  int var = -1;          // kNamedVar
};

std::string SlotText(const Context& ctx, const Slot& s,
                     const std::vector<std::string>& names) {
  (void)ctx;
  if (s.is_var()) {
    const std::string& n = names[s.var];
    return n[0] == ' ' ? absl::StrCat("?_", s.var) : "?" + n;
  }
  return s.term.ToNTriples();
}

// A resolved triple pattern position.
struct Position {
  int var = -1;
  TermId id = kUnbound;  // constant (kAbsent if not in store)
};

// Index nested-loop join of the child's rows with one triple pattern: for
// each input row, the pattern's bound positions form a key prefix of the
// index that covers them.
class ScanOp : public Operator {
 public:
  ScanOp(Context* ctx, OpPtr child, Position pos[3], GraphSpec graph,
         std::string text)
      : Operator(ctx), child_(std::move(child)), graph_(graph),
        text_(std::move(text)) {
    for (int i = 0; i < 3; ++i) pos_[i] = pos[i];
  }
  std::string Describe() const override {
    // The graph position matters only as "the default graph or not"
    // (PlanScan); a named graph stands in as an id that is not 0.
    QuadIds shape;
    if (graph_.kind != GraphSpec::Kind::kDefault) shape.g = ~kDefaultGraph;
    const ScanPlan plan = PlanScan(shape, last_mask_);
    return absl::StrCat("IndexScan ", text_, "  index=",
                        Sv(PermutationName(plan.perm)),
                        plan.default_graph_only ? "  default-graph" : "",
                        range_ ? "  object-range" : "");
  }
  // A range of inline values of one tag that the pattern's object must lie
  // in for the FILTERs above to pass (the filters stay: objects of other
  // tags, which the range cannot order, are still scanned and tested).
  struct ObjectRange {
    // Per constrained tag (ascending), the inclusive id interval the
    // object must lie in; `empty`: no value of the tag qualifies.
    struct Part {
      TermTag tag;
      TermId lo = 0, hi = 0;
      bool empty = false;
    };
    std::vector<Part> parts;
  };
  std::optional<ObjectRange> range_;
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }
  // The bound mask the planner expects (for EXPLAIN before running).
  unsigned last_mask_ = 0;

 protected:
  void DoOpen(const IdRow& seed) override {
    child_->Open(seed);
    it_.reset();
    point_row_ = false;
  }
  bool DoNext(IdRow* row) override {
    while (ctx_->Tick()) {
      if (!it_ && !point_row_) {
        if (!child_->Next(&input_)) return false;
        if (!StartScan()) continue;
      }
      if (point_row_) {  // a membership check passed: the input row as is
        point_row_ = false;
        *row = input_;
        return true;
      }
      if (!it_->Valid()) {
        if (!it_->status().ok()) {
          ctx_->Fail(it_->status());
          return false;
        }
        if (range_adj_ && range_pos_ < id_ranges_.size()) {
          const auto& [lo, hi] = id_ranges_[range_pos_++];
          it_ = PredicateAdjacency::ScanObjectRange(range_adj_, lo, hi,
                                                    range_graph_);
          continue;
        }
        if (!range_adj_ && range_pos_ < ranges_.size()) {
          const auto& [lo, hi] = ranges_[range_pos_++];
          it_ = ctx_->source->ScanRange(perm_, lo, hi, range_default_only_);
          continue;
        }
        it_.reset();
        continue;
      }
      const QuadIds q = it_->quad();
      it_->Next();
      if (dedupe_) {
        if (have_prev_ && q.s == prev_.s && q.p == prev_.p && q.o == prev_.o)
          continue;
        prev_ = q;
        have_prev_ = true;
      }
      if (!GraphAllowed(q.g)) continue;
      *row = input_;
      if (!Bind(pos_[0], q.s, row) || !Bind(pos_[1], q.p, row) ||
          !Bind(pos_[2], q.o, row))
        continue;
      if (graph_.kind == GraphSpec::Kind::kNamedVar &&
          !BindVar(graph_.var, q.g, row))
        continue;
      return true;
    }
    return false;
  }

 private:
  bool BindVar(int var, TermId id, IdRow* row) {
    TermId& cell = (*row)[var];
    if (cell == kUnbound) {
      cell = id;
      return true;
    }
    return cell == id;
  }
  bool Bind(const Position& p, TermId id, IdRow* row) {
    return p.var < 0 || BindVar(p.var, id, row);
  }
  bool GraphAllowed(TermId g) {
    const GraphScope& sc = ctx_->scope;
    switch (graph_.kind) {
      case GraphSpec::Kind::kDefault:
        switch (sc.default_kind) {
          case GraphScope::DefaultKind::kUnionAll:
            return true;
          case GraphScope::DefaultKind::kStoreDefault:
            return g == kDefaultGraph;
          case GraphScope::DefaultKind::kSet:
            return sc.default_set.contains(g);
        }
        return true;
      case GraphSpec::Kind::kNamedConst:
      case GraphSpec::Kind::kNamedVar:
        if (g == kDefaultGraph) return false;
        return !sc.named_restricted || sc.named_set.contains(g);
    }
    return true;
  }
  // Whether point_adj_ answers membership checks of predicate p with the
  // bound mask `mask` (G bound: the store's default graph, which the
  // adjacency answers only if it holds no named graph). When it is absent
  // the view is asked again now and then: demand may build it meanwhile.
  bool PointCheckAdjacency(TermId p, unsigned mask) {
    if (!point_adj_ || point_adj_->predicate() != p) {
      if (point_misses_++ % 64 != 0 && point_adj_predicate_ == p) return false;
      point_adj_predicate_ = p;
      point_adj_ = ctx_->source->Adjacency(p, mask);
      if (!point_adj_) return false;
    }
    return !(mask & 8) || point_adj_->default_graph_only();
  }
  // Sets up the scan for input_; false when nothing can match.
  bool StartScan() {
    QuadIds q;
    unsigned mask = 0;
    for (int i = 0; i < 3; ++i) {
      TermId id = pos_[i].var >= 0 ? input_[pos_[i].var] : pos_[i].id;
      if (id == kAbsent) return false;
      if (id != kUnbound) {
        if (TagOf(id) == kTempTag) return false;  // not in the store
        q.at(i) = id;
        mask |= 1u << i;
      }
    }
    dedupe_ = false;
    switch (graph_.kind) {
      case GraphSpec::Kind::kDefault:
        if (ctx_->scope.default_kind ==
            GraphScope::DefaultKind::kStoreDefault) {
          q.g = kDefaultGraph;
          mask |= 8;
        } else {
          // The default graph is a merge of graphs: a triple stated in
          // several of them counts once. With G last in the chosen index,
          // such copies are adjacent.
          dedupe_ = true;
        }
        break;
      case GraphSpec::Kind::kNamedConst:
        if (graph_.id == kAbsent) return false;
        q.g = graph_.id;
        mask |= 8;
        break;
      case GraphSpec::Kind::kNamedVar: {
        TermId g = input_[graph_.var];
        if (g != kUnbound) {
          if (TagOf(g) == kTempTag || g == kAbsent) return false;
          q.g = g;
          mask |= 8;
        }
        break;
      }
    }
    last_mask_ = mask;
    // S, P and O bound in the default graph (all graphs, or the store's
    // own; not a FROM set): a membership check. With the predicate's
    // adjacency it is a hash lookup and a binary search, with no iterator,
    // no lock and no allocation (type checks per row).
    if ((mask & 7) == 7 && graph_.kind == GraphSpec::Kind::kDefault &&
        ctx_->scope.default_kind != GraphScope::DefaultKind::kSet &&
        PointCheckAdjacency(q.p, mask)) {
      if (!point_adj_->Contains(q.s, q.o)) return false;
      point_row_ = true;
      return true;
    }
    have_prev_ = false;
    ranges_.clear();
    id_ranges_.clear();
    range_adj_.reset();
    range_pos_ = 0;
    if (range_ && (mask == 2 || mask == 10)) {
      // P (and G) bound, object next in the key (posg / gpos): scan the
      // objects of every other tag, and of each constrained tag only its
      // interval, as a few key ranges in key order.
      // With the predicate's adjacency in memory: the same intervals as
      // id ranges over its objects.
      range_adj_ = ctx_->source->Adjacency(q.p, mask);
      if (range_adj_) {
        id_ranges_.clear();
        TermId gap_start = 0;
        for (const ObjectRange::Part& part : range_->parts) {
          const TermId tag_first = MakeId(part.tag, 0);
          if (tag_first > gap_start) id_ranges_.emplace_back(gap_start, tag_first - 1);
          if (!part.empty) id_ranges_.emplace_back(part.lo, part.hi);
          gap_start = MakeId(static_cast<TermTag>(static_cast<uint8_t>(part.tag) + 1), 0);
        }
        id_ranges_.emplace_back(gap_start, ~TermId{0});
        range_graph_ = (mask & 8) ? std::optional<TermId>(q.g) : std::nullopt;
        const auto& [lo, hi] = id_ranges_[0];
        it_ = PredicateAdjacency::ScanObjectRange(range_adj_, lo, hi,
                                                  range_graph_);
        range_pos_ = 1;
        return true;
      }
      const ScanPlan plan = PlanScan(q, mask);
      perm_ = plan.perm;
      range_default_only_ = plan.default_graph_only;
      std::string prefix;
      EncodePrefix(perm_, q, plan.prefix_mask, &prefix);
      // Everything outside the constrained tags, plus each tag's interval.
      std::string gap_start = prefix;
      for (const ObjectRange::Part& part : range_->parts) {
        const uint8_t tag = static_cast<uint8_t>(part.tag);
        std::string tag_start = prefix + static_cast<char>(tag << 3);
        ranges_.emplace_back(gap_start, tag_start);
        if (!part.empty) {
          std::string lo = prefix, hi = prefix;
          AppendEncodedId(part.lo, &lo);
          AppendEncodedId(part.hi, &hi);
          ranges_.emplace_back(std::move(lo), PrefixSuccessor(hi));
        }
        gap_start = prefix + static_cast<char>((tag + 1) << 3);
      }
      ranges_.emplace_back(gap_start, PrefixSuccessor(prefix));
      const auto& [first_lo, first_hi] = ranges_[0];
      it_ = ctx_->source->ScanRange(perm_, first_lo, first_hi,
                                    range_default_only_);
      range_pos_ = 1;
      return true;
    }
    it_ = ctx_->source->Scan(q, mask);
    return true;
  }

  OpPtr child_;
  Position pos_[3];
  GraphSpec graph_;
  std::string text_;
  IdRow input_;
  std::unique_ptr<QuadIdIterator> it_;
  std::vector<std::pair<std::string, std::string>> ranges_;
  // The same as inclusive id intervals, when the adjacency serves them.
  std::vector<std::pair<TermId, TermId>> id_ranges_;
  std::shared_ptr<const PredicateAdjacency> range_adj_;
  std::optional<TermId> range_graph_;
  size_t range_pos_ = 0;
  Permutation perm_ = Permutation::kPOSG;
  bool range_default_only_ = false;
  bool dedupe_ = false;
  bool have_prev_ = false;
  QuadIds prev_;
  // Membership checks (PointCheckAdjacency).
  std::shared_ptr<const PredicateAdjacency> point_adj_;
  TermId point_adj_predicate_ = kUnbound;
  uint64_t point_misses_ = 0;
  bool point_row_ = false;
};

// Binds one new variable ?v to the values every one of several triple
// patterns allows: the first pattern generates (?v is one end, the other
// end is known), the others close a cycle through ?v (their other end is
// known too). With the predicates' in-memory adjacencies this is a
// leapfrog intersection of sorted neighbour lists -- the step of a
// worst-case-optimal join, so a triangle costs min(deg) rather than the
// product of degrees. Without them (not built yet, named graphs, a write
// transaction) it falls back to a nested loop: scan the generator, probe
// each closing pattern. Only planned in the default graph, and not when
// the default graph is an explicit set of graphs (FROM).
class IntersectScanOp : public Operator {
 public:
  struct Part {
    TermId predicate = kUnbound;
    bool var_is_subject = false;  // ?v is the pattern's subject
    Position other;               // the known end
  };
  IntersectScanOp(Context* ctx, OpPtr child, int var, std::vector<Part> parts,
                  std::string text)
      : Operator(ctx), child_(std::move(child)), var_(var),
        parts_(std::move(parts)), text_(std::move(text)) {}
  std::string Describe() const override {
    return absl::StrCat("IntersectScan ", text_);
  }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    child_->Open(seed);
    values_.clear();
    pos_ = 0;
  }
  bool DoNext(IdRow* row) override {
    while (ctx_->Tick()) {
      if (pos_ < values_.size()) {
        *row = input_;
        (*row)[var_] = values_[pos_++];
        return true;
      }
      if (!child_->Next(&input_)) return false;
      values_.clear();
      pos_ = 0;
      Compute();
    }
    return false;
  }

 private:
  // The known end of a part in the current input row; kUnbound when the
  // store cannot have it (then nothing matches).
  TermId Known(const Part& part) const {
    TermId id = part.other.var >= 0 ? input_[part.other.var] : part.other.id;
    if (id == kUnbound || id == kAbsent || TagOf(id) == kTempTag)
      return kUnbound;
    return id;
  }
  // Fills values_ with the bindings of ?v for input_, ascending.
  void Compute() {
    const bool store_default = ctx_->scope.default_kind ==
                               GraphScope::DefaultKind::kStoreDefault;
    std::vector<TermId> keys(parts_.size());
    for (size_t i = 0; i < parts_.size(); ++i) {
      keys[i] = Known(parts_[i]);
      if (keys[i] == kUnbound || parts_[i].predicate == kAbsent) return;
    }
    const TermId preset = input_[var_];
    held_.clear();
    // Fast path: every part's adjacency is in memory (and, with the
    // default graph being the store's own, has no named graphs: then all
    // its quads qualify; in the union of all graphs every quad does).
    lists_.clear();
    bool fast = true;
    for (size_t i = 0; i < parts_.size() && fast; ++i) {
      unsigned mask = 2 | (parts_[i].var_is_subject ? 4 : 1);
      auto adj = ctx_->source->Adjacency(parts_[i].predicate, mask);
      if (!adj || (store_default && !adj->default_graph_only())) {
        fast = false;
        break;
      }
      lists_.push_back(adj->Neighbors(!parts_[i].var_is_subject, keys[i]));
      held_.push_back(std::move(adj));
    }
    if (fast) {
      Intersect(preset);
      return;
    }
    // Fallback: generate from the first part, probe the others.
    QuadIds q;
    q.p = parts_[0].predicate;
    q.at(parts_[0].var_is_subject ? 2 : 0) = keys[0];
    unsigned mask = 2 | (parts_[0].var_is_subject ? 4 : 1);
    if (store_default) {
      q.g = kDefaultGraph;
      mask |= 8;
    }
    TermId prev = kUnbound;
    auto it = ctx_->source->Scan(q, mask);
    for (; it->Valid(); it->Next()) {
      if (!ctx_->Tick()) return;
      TermId v = parts_[0].var_is_subject ? it->quad().s : it->quad().o;
      if (v == prev) continue;  // the same triple in another graph
      prev = v;
      if (preset != kUnbound && v != preset) continue;
      bool all = true;
      for (size_t i = 1; i < parts_.size() && all; ++i) {
        QuadIds c;
        c.p = parts_[i].predicate;
        c.at(parts_[i].var_is_subject ? 0 : 2) = v;
        c.at(parts_[i].var_is_subject ? 2 : 0) = keys[i];
        unsigned cmask = 7;
        if (store_default) {
          c.g = kDefaultGraph;
          cmask |= 8;
        }
        auto probe = ctx_->source->Scan(c, cmask);
        if (!probe->status().ok()) {
          ctx_->Fail(probe->status());
          return;
        }
        all = probe->Valid();
      }
      if (all) values_.push_back(v);
    }
    if (!it->status().ok()) ctx_->Fail(it->status());
  }
  // Leapfrog over lists_: walk the shortest, gallop in the others.
  void Intersect(TermId preset) {
    std::sort(lists_.begin(), lists_.end(),
              [](const auto& a, const auto& b) { return a.size() < b.size(); });
    if (lists_.empty() || lists_[0].empty()) return;
    std::vector<size_t> at(lists_.size(), 0);
    TermId prev = kUnbound;
    for (TermId v : lists_[0]) {
      if (v == prev) continue;  // the same triple in another graph
      prev = v;
      if (preset != kUnbound && v != preset) continue;
      bool all = true;
      for (size_t i = 1; i < lists_.size(); ++i) {
        const auto& l = lists_[i];
        // Gallop from the last position: lists are ascending.
        size_t lo = at[i], step = 1, hi = lo;
        while (hi < l.size() && l[hi] < v) {
          lo = hi + 1;
          hi += step;
          step *= 2;
        }
        hi = std::min(hi, l.size());
        at[i] = std::lower_bound(l.begin() + lo, l.begin() + hi, v) - l.begin();
        if (at[i] >= l.size()) return;  // nothing larger can match either
        if (l[at[i]] != v) {
          all = false;
          break;
        }
      }
      if (all) values_.push_back(v);
    }
  }

  OpPtr child_;
  int var_;
  std::vector<Part> parts_;
  std::string text_;
  IdRow input_;
  std::vector<TermId> values_;
  size_t pos_ = 0;
  std::vector<absl::Span<const TermId>> lists_;
  std::vector<std::shared_ptr<const PredicateAdjacency>> held_;
};

// ---- expressions -----------------------------------------------------------

struct RowHash {
  size_t operator()(const IdRow& r) const {
    return absl::HashOf(absl::MakeConstSpan(r));
  }
};

// The right side of a hash join, hash OPTIONAL, MINUS or EXISTS whose
// evaluation does not depend on the left row (other than through the graph
// of an enclosing GRAPH ?g): evaluated once per graph value and kept across
// Opens, so that a subquery next to a pattern of 10,000 rows runs once, not
// 10,000 times (issue 14). Its rows are indexed on the variables every one
// of them binds that the probing row binds too: a compatible row must then
// hold the probe's values there, so one hash lookup finds the candidates.
// A probe that binds none of those variables scans all rows.
class MaterializedSide {
 public:
  MaterializedSide(Context* ctx, Operator* plan, int graph_var)
      : ctx_(ctx), plan_(plan), graph_var_(graph_var) {}

  // Calls fn(row) for each row compatible with `probe` (and, with
  // require_shared, binding some variable `probe` binds, as MINUS needs)
  // until fn returns false. Stops early when the query fails (memory cap).
  template <typename Fn>
  void ForEachCompatible(const IdRow& probe, bool require_shared, Fn fn) {
    Rows& r = RowsFor(probe);
    if (!ctx_->ok()) return;
    uint64_t mask = 0;
    for (size_t j = 0; j < r.always_bound.size(); ++j)
      if (probe[r.always_bound[j]] != kUnbound) mask |= uint64_t{1} << j;
    if (mask != 0) {
      const Index& index = IndexFor(r, mask);
      KeyOf(r, mask, probe, &key_);
      auto hit = index.find(key_);
      if (hit == index.end()) return;
      for (uint32_t k : hit->second)
        if (Compatible(probe, r.rows[k]) && !fn(r.rows[k])) return;
      return;
    }
    for (const IdRow& y : r.rows) {
      if (require_shared) {
        bool shared = false;
        for (size_t i = 0; i < y.size(); ++i)
          if (y[i] != kUnbound && probe[i] != kUnbound &&
              static_cast<int>(i) != graph_var_)
            shared = true;
        if (!shared) continue;
      }
      if (Compatible(probe, y) && !fn(y)) return;
    }
  }

 private:
  using Index = absl::flat_hash_map<IdRow, std::vector<uint32_t>, RowHash>;
  struct Rows {
    std::vector<IdRow> rows;
    // Slots every row binds (not the graph variable), at most 64.
    std::vector<int> always_bound;
    // By the subset of always_bound a probe binds (a bit per position in
    // always_bound): the rows by their values in that subset.
    absl::flat_hash_map<uint64_t, Index> by_key;
  };

  Rows& RowsFor(const IdRow& probe) {
    TermId g = graph_var_ >= 0 ? probe[graph_var_] : kUnbound;
    auto [it, fresh] = by_graph_.try_emplace(g);
    Rows& r = it->second;
    if (!fresh) return r;
    IdRow seed(probe.size(), kUnbound);
    if (graph_var_ >= 0) seed[graph_var_] = g;
    plan_->Open(seed);
    IdRow x;
    while (plan_->Next(&x)) {
      if (!ctx_->Charge(x.size() * 8)) break;
      r.rows.push_back(x);
    }
    for (size_t i = 0; i < probe.size() && r.always_bound.size() < 64; ++i) {
      if (static_cast<int>(i) == graph_var_) continue;
      bool all = !r.rows.empty();
      for (const IdRow& y : r.rows)
        if (y[i] == kUnbound) {
          all = false;
          break;
        }
      if (all) r.always_bound.push_back(static_cast<int>(i));
    }
    return r;
  }

  const Index& IndexFor(Rows& r, uint64_t mask) {
    auto [it, fresh] = r.by_key.try_emplace(mask);
    if (!fresh) return it->second;
    IdRow key;
    for (uint32_t k = 0; k < r.rows.size(); ++k) {
      KeyOf(r, mask, r.rows[k], &key);
      if (!ctx_->Charge(key.size() * 8 + 16)) break;
      it->second[key].push_back(k);
    }
    return it->second;
  }

  static void KeyOf(const Rows& r, uint64_t mask, const IdRow& row,
                    IdRow* key) {
    key->clear();
    for (size_t j = 0; j < r.always_bound.size(); ++j)
      if (mask >> j & 1) key->push_back(row[r.always_bound[j]]);
  }

  Context* ctx_;
  Operator* plan_;
  int graph_var_;
  // Per graph value (kUnbound: outside GRAPH ?g).
  absl::flat_hash_map<TermId, Rows> by_graph_;
  IdRow key_;
};

// The plan of an EXISTS pattern, as the planner makes it.
struct ExistsPlan {
  OpPtr plan;
  // The graph slot of an enclosing GRAPH ?g (-1: none).
  int graph_var = -1;
  // The pattern takes no bindings from the row (a subquery that aggregates
  // or slices): it is evaluated once per graph and probed.
  bool runs_apart = false;
  // Every variable the pattern mentions (patterns, expressions, nested
  // EXISTS): a row that binds none of them gets the same answer as any
  // other, so the answer is kept per graph.
  std::vector<int> mentioned;
};

class Evaluator;
using SubplanFactory = std::function<ExistsPlan(const std::shared_ptr<Node>&)>;

class Evaluator {
 public:
  Evaluator(Context* ctx, SubplanFactory subplans)
      : ctx_(ctx), subplans_(std::move(subplans)) {}

  Value Eval(const algebra::Expr& e, const IdRow& row) {
    using K = algebra::Expr::Kind;
    switch (e.kind) {
      case K::kVar:
        return ctx_->Decode(row[e.var]);
      case K::kConstant:
        return e.term;
      case K::kOr:
      case K::kAnd:
      case K::kNot:
      case K::kEq:
      case K::kNe:
      case K::kLt:
      case K::kGt:
      case K::kLe:
      case K::kGe: {
        const std::optional<bool> t = Truth(e, row);
        if (!t) return std::nullopt;
        return Bool(*t);
      }
      case K::kAdd: return Arith(ArithOp::kAdd, e, row);
      case K::kSub: return Arith(ArithOp::kSub, e, row);
      case K::kMul: return Arith(ArithOp::kMul, e, row);
      case K::kDiv: return Arith(ArithOp::kDiv, e, row);
      case K::kNegate: return Negate(Eval(e.args[0], row));
      case K::kUnaryPlus: return UnaryPlus(Eval(e.args[0], row));
      case K::kIn:
      case K::kNotIn: {
        Value a = Eval(e.args[0], row);
        bool error = false;
        for (size_t i = 1; i < e.args.size(); ++i) {
          auto eq = Compare(CompareOp::kEq, a, Eval(e.args[i], row));
          if (!eq) {
            error = true;
          } else if (*eq) {
            return Bool(e.kind == K::kIn);
          }
        }
        if (error) return std::nullopt;
        return Bool(e.kind == K::kNotIn);
      }
      case K::kExists:
      case K::kNotExists: {
        bool found = Exists(e, row);
        return Bool(e.kind == K::kExists ? found : !found);
      }
      case K::kFunction:
        return Call(e, row);
      case K::kAggregate:
        return std::nullopt;  // replaced by slots during translation
    }
    return std::nullopt;
  }

  bool Test(const algebra::Expr& e, const IdRow& row) {
    const std::optional<bool> b = Truth(e, row);
    return b && *b;
  }

  // The effective boolean value of `e`, std::nullopt on an error. Logical
  // operators and comparisons are answered without building the boolean
  // terms Eval returns (a FILTER tests every row).
  std::optional<bool> Truth(const algebra::Expr& e, const IdRow& row) {
    using K = algebra::Expr::Kind;
    switch (e.kind) {
      case K::kOr: {
        const auto a = Truth(e.args[0], row);
        if (a && *a) return true;
        const auto b = Truth(e.args[1], row);
        if (b && *b) return true;
        if (a && b) return false;
        return std::nullopt;
      }
      case K::kAnd: {
        const auto a = Truth(e.args[0], row);
        if (a && !*a) return false;
        const auto b = Truth(e.args[1], row);
        if (b && !*b) return false;
        if (a && b) return true;
        return std::nullopt;
      }
      case K::kNot: {
        const auto a = Truth(e.args[0], row);
        if (!a) return std::nullopt;
        return !*a;
      }
      case K::kEq: return CmpTruth(CompareOp::kEq, e, row);
      case K::kNe: return CmpTruth(CompareOp::kNe, e, row);
      case K::kLt: return CmpTruth(CompareOp::kLt, e, row);
      case K::kGt: return CmpTruth(CompareOp::kGt, e, row);
      case K::kLe: return CmpTruth(CompareOp::kLe, e, row);
      case K::kGe: return CmpTruth(CompareOp::kGe, e, row);
      default:
        return EffectiveBooleanValue(Eval(e, row));
    }
  }

 private:
  static Term Bool(bool b) {
    return Term::Literal(b ? "true" : "false", std::string(kXsdBoolean));
  }
  // Whether `op` holds between two values whose comparison has sign `c`.
  static bool Holds(CompareOp op, int c) {
    switch (op) {
      case CompareOp::kEq: return c == 0;
      case CompareOp::kNe: return c != 0;
      case CompareOp::kLt: return c < 0;
      case CompareOp::kGt: return c > 0;
      case CompareOp::kLe: return c <= 0;
      case CompareOp::kGe: return c >= 0;
    }
    return false;
  }
  std::optional<bool> CmpTruth(CompareOp op, const algebra::Expr& e,
                               const IdRow& row) {
    // Same id: same term (ids are canonical), equal without decoding.
    if (op == CompareOp::kEq || op == CompareOp::kNe) {
      TermId a = IdOf(e.args[0], row), b = IdOf(e.args[1], row);
      if (a != kUnbound && a == b) return op == CompareOp::kEq;
    }
    // Two inline numbers (xsd:integer or xsd:decimal, exact) or two inline
    // dates: compared on their ids, no decoding.
    {
      const TermId a = InlineIdOf(e.args[0], row),
                   b = InlineIdOf(e.args[1], row);
      std::optional<int> c;
      if (a != kUnbound && b != kUnbound) {
        if (auto x = InlineNumericScaled(a)) {
          if (auto y = InlineNumericScaled(b))
            c = *x < *y ? -1 : *x > *y ? 1 : 0;
        } else if (TagOf(a) == TermTag::kInlineDate &&
                   TagOf(b) == TermTag::kInlineDate) {
          c = a < b ? -1 : a > b ? 1 : 0;
        }
      }
      if (c) return Holds(op, *c);
    }
    // STR(?x) op STR(?y) over stored IRIs and literals: both sides are
    // simple literals whose order is that of the lexical forms' code
    // points, which UTF-8 byte order preserves. Compared in place.
    if (std::optional<int> c = CompareStrOfVars(e, row)) return Holds(op, *c);
    return Compare(op, Eval(e.args[0], row), Eval(e.args[1], row));
  }
  // The sign of STR(a) vs STR(b) when the comparison is of that form over
  // two dictionary terms other than blank nodes; std::nullopt otherwise.
  std::optional<int> CompareStrOfVars(const algebra::Expr& e,
                                      const IdRow& row) {
    TermId ids[2];
    for (int i = 0; i < 2; ++i) {
      const algebra::Expr& a = e.args[i];
      if (a.kind != algebra::Expr::Kind::kFunction || a.name != "STR" ||
          a.args.size() != 1 || a.args[0].kind != algebra::Expr::Kind::kVar)
        return std::nullopt;
      ids[i] = row[a.args[0].var];
      const TermTag tag = TagOf(ids[i]);
      if (ids[i] == kUnbound || ids[i] == kAbsent ||
          (tag != TermTag::kIri && tag != TermTag::kSimpleLiteral &&
           tag != TermTag::kLangLiteral && tag != TermTag::kTypedLiteral))
        return std::nullopt;
    }
    if (ids[0] == ids[1]) return 0;
    return ctx_->CompareLexical(ids[0], ids[1]);
  }
  // The inline id of a variable's value or of a constant (kUnbound when
  // it has none).
  TermId InlineIdOf(const algebra::Expr& e, const IdRow& row) {
    if (e.kind == algebra::Expr::Kind::kVar)
      return IsInline(row[e.var]) ? row[e.var] : kUnbound;
    if (e.kind != algebra::Expr::Kind::kConstant) return kUnbound;
    auto it = constant_ids_.find(&e);
    if (it == constant_ids_.end())
      it = constant_ids_.emplace(&e, TryInline(e.term).value_or(kUnbound))
               .first;
    return it->second;
  }
  TermId IdOf(const algebra::Expr& e, const IdRow& row) {
    return e.kind == algebra::Expr::Kind::kVar ? row[e.var] : kUnbound;
  }
  Value Arith(ArithOp op, const algebra::Expr& e, const IdRow& row) {
    return Arithmetic(op, Eval(e.args[0], row), Eval(e.args[1], row));
  }
  bool Exists(const algebra::Expr& e, const IdRow& row) {
    auto it = exists_plans_.find(&e);
    if (it == exists_plans_.end())
      it = exists_plans_.emplace(&e, ExistsState{subplans_(e.pattern)}).first;
    ExistsState& st = it->second;
    if (st.p.runs_apart) {
      if (st.side == nullptr)
        st.side = std::make_unique<MaterializedSide>(ctx_, st.p.plan.get(),
                                                     st.p.graph_var);
      bool found = false;
      st.side->ForEachCompatible(row, /*require_shared=*/false,
                                 [&](const IdRow&) {
                                   found = true;
                                   return false;
                                 });
      return found;
    }
    bool uncorrelated = true;
    for (int v : st.p.mentioned)
      if (row[v] != kUnbound) uncorrelated = false;
    const TermId graph = st.p.graph_var >= 0 ? row[st.p.graph_var] : kUnbound;
    if (uncorrelated) {
      auto known = st.answers.find(graph);
      if (known != st.answers.end()) return known->second;
    }
    st.p.plan->Open(row);
    IdRow out;
    const bool found = st.p.plan->Next(&out);
    if (uncorrelated && ctx_->ok()) st.answers.emplace(graph, found);
    return found;
  }
  Value Call(const algebra::Expr& e, const IdRow& row) {
    const std::string& name = e.name;
    if (name == "BOUND") {
      if (e.args.empty() || e.args[0].kind != algebra::Expr::Kind::kVar)
        return std::nullopt;
      return Bool(row[e.args[0].var] != kUnbound);
    }
    if (name == "IF") {
      if (e.args.size() != 3) return std::nullopt;
      auto c = EffectiveBooleanValue(Eval(e.args[0], row));
      if (!c) return std::nullopt;
      return Eval(e.args[*c ? 1 : 2], row);
    }
    if (name == "COALESCE") {
      for (const auto& a : e.args) {
        Value v = Eval(a, row);
        if (v) return v;
      }
      return std::nullopt;
    }
    std::vector<Value> args;
    args.reserve(e.args.size());
    for (const auto& a : e.args) args.push_back(Eval(a, row));
    if ((name == "IRI" || name == "URI") && args.size() == 1 && args[0] &&
        args[0]->is_literal() && !ctx_->options.base_iri.empty() &&
        !rdf_internal::IsAbsoluteIri(args[0]->lexical)) {
      // A relative IRI resolves against the query's base (17.4.2.8).
      Value plain = CallFunction(name, args, ctx_->fn);  // checks the type
      if (!plain) return plain;
      std::string resolved;
      rdf_internal::ResolveIri(ctx_->options.base_iri, args[0]->lexical,
                               &resolved);
      return Term::Iri(resolved);
    }
    return CallFunction(name, args, ctx_->fn);
  }

  Context* ctx_;
  SubplanFactory subplans_;
  struct ExistsState {
    ExistsPlan p;
    std::unique_ptr<MaterializedSide> side;     // runs_apart
    absl::flat_hash_map<TermId, bool> answers;  // uncorrelated, per graph
  };
  absl::flat_hash_map<const algebra::Expr*, ExistsState> exists_plans_;
  absl::flat_hash_map<const algebra::Expr*, TermId> constant_ids_;
};

class FilterOp : public Operator {
 public:
  FilterOp(Context* ctx, OpPtr child, std::vector<algebra::Expr> exprs,
           Evaluator* ev)
      : Operator(ctx), child_(std::move(child)), exprs_(std::move(exprs)),
        ev_(ev) {}
  std::string Describe() const override {
    return absl::StrCat("Filter (", exprs_.size(), " condition",
                        exprs_.size() == 1 ? "" : "s", ")");
  }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override { child_->Open(seed); }
  bool DoNext(IdRow* row) override {
    while (child_->Next(row)) {
      bool pass = true;
      for (const auto& e : exprs_)
        if (!ev_->Test(e, *row)) {
          pass = false;
          break;
        }
      if (pass) return true;
      if (!ctx_->Tick()) return false;
    }
    return false;
  }

 private:
  OpPtr child_;
  std::vector<algebra::Expr> exprs_;
  Evaluator* ev_;
};

class ExtendOp : public Operator {
 public:
  // `new_solution`: this is the first of a chain of binds over one
  // solution, which bumps the row counter BNODE(str) keys on.
  ExtendOp(Context* ctx, OpPtr child, int var, algebra::Expr expr,
           Evaluator* ev, std::string name, bool new_solution)
      : Operator(ctx), child_(std::move(child)), var_(var),
        expr_(std::move(expr)), ev_(ev), name_(std::move(name)),
        new_solution_(new_solution) {}
  std::string Describe() const override { return "Bind " + name_; }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    // The variable must not be constrained below: the seed value is
    // checked here instead.
    seed_value_ = seed[var_];
    IdRow s = seed;
    s[var_] = kUnbound;
    child_->Open(s);
  }
  bool DoNext(IdRow* row) override {
    while (child_->Next(row)) {
      if (new_solution_) ++ctx_->fn.row;
      TermId id;
      if (expr_.kind == algebra::Expr::Kind::kVar) {
        // BIND(?x AS ?y), and every (aggregate AS ?y): the id as it is,
        // without decoding it to a term and encoding it back.
        id = (*row)[expr_.var];
      } else {
        Value v = ev_->Eval(expr_, *row);
        id = v ? ctx_->Encode(*v) : kUnbound;
      }
      if (seed_value_ != kUnbound && id != kUnbound && id != seed_value_)
        continue;
      (*row)[var_] = id != kUnbound ? id : seed_value_;
      return true;
    }
    return false;
  }

 private:
  OpPtr child_;
  int var_;
  algebra::Expr expr_;
  Evaluator* ev_;
  std::string name_;
  bool new_solution_;
  TermId seed_value_ = kUnbound;
};

// Nested-loop join: the right side is opened once per left row with the
// left row's bindings of the right side's certain variables as its seed.
class JoinOp : public Operator {
 public:
  JoinOp(Context* ctx, OpPtr left, OpPtr right, std::vector<int> right_certain)
      : Operator(ctx), left_(std::move(left)), right_(std::move(right)),
        right_certain_(std::move(right_certain)) {}
  std::string Describe() const override { return "NestedLoopJoin"; }
  std::vector<const Operator*> Children() const override {
    return {left_.get(), right_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    left_->Open(seed);
    have_left_ = false;
  }
  bool DoNext(IdRow* row) override {
    while (ctx_->Tick()) {
      if (!have_left_) {
        if (!left_->Next(&left_row_)) return false;
        right_->Open(Restrict(left_row_, right_certain_));
        have_left_ = true;
      }
      if (!right_->Next(row)) {
        have_left_ = false;
        continue;
      }
      if (MergeInto(left_row_, row)) return true;
    }
    return false;
  }

 private:
  OpPtr left_, right_;
  std::vector<int> right_certain_;
  IdRow left_row_;
  bool have_left_ = false;
};

class LeftJoinOp : public Operator {
 public:
  LeftJoinOp(Context* ctx, OpPtr left, OpPtr right,
             std::vector<int> right_certain, std::vector<algebra::Expr> exprs,
             Evaluator* ev)
      : Operator(ctx), left_(std::move(left)), right_(std::move(right)),
        right_certain_(std::move(right_certain)), exprs_(std::move(exprs)),
        ev_(ev) {}
  std::string Describe() const override {
    return exprs_.empty() ? "Optional"
                          : absl::StrCat("Optional with ", exprs_.size(),
                                         " filter(s)");
  }
  std::vector<const Operator*> Children() const override {
    return {left_.get(), right_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    left_->Open(seed);
    have_left_ = false;
  }
  bool DoNext(IdRow* row) override {
    while (ctx_->Tick()) {
      if (!have_left_) {
        if (!left_->Next(&left_row_)) return false;
        right_->Open(Restrict(left_row_, right_certain_));
        have_left_ = true;
        matched_ = false;
      }
      if (!right_->Next(row)) {
        have_left_ = false;
        if (!ctx_->ok()) return false;
        if (!matched_) {
          *row = left_row_;
          return true;
        }
        continue;
      }
      if (!MergeInto(left_row_, row)) continue;
      bool pass = true;
      for (const auto& e : exprs_)
        if (!ev_->Test(e, *row)) {
          pass = false;
          break;
        }
      if (!pass) continue;
      matched_ = true;
      return true;
    }
    return false;
  }

 private:
  OpPtr left_, right_;
  std::vector<int> right_certain_;
  std::vector<algebra::Expr> exprs_;
  Evaluator* ev_;
  IdRow left_row_;
  bool have_left_ = false, matched_ = false;
};

class UnionOp : public Operator {
 public:
  UnionOp(Context* ctx, OpPtr a, OpPtr b, std::vector<int> ca,
          std::vector<int> cb)
      : Operator(ctx), a_(std::move(a)), b_(std::move(b)), ca_(std::move(ca)),
        cb_(std::move(cb)) {}
  std::string Describe() const override { return "Union"; }
  std::vector<const Operator*> Children() const override {
    return {a_.get(), b_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    seed_ = seed;
    a_->Open(Restrict(seed, ca_));
    second_ = false;
  }
  bool DoNext(IdRow* row) override {
    while (ctx_->ok()) {
      Operator* cur = second_ ? b_.get() : a_.get();
      if (!cur->Next(row)) {
        if (second_ || !ctx_->ok()) return false;
        second_ = true;
        b_->Open(Restrict(seed_, cb_));
        continue;
      }
      if (MergeInto(seed_, row)) return true;
    }
    return false;
  }

 private:
  OpPtr a_, b_;
  std::vector<int> ca_, cb_;
  IdRow seed_;
  bool second_ = false;
};

// Inside GRAPH ?g (graph_var >= 0) both sides run in the same graph: the
// right side runs once per graph (seeded with the graph slot), and the
// graph slot is not a shared variable of the two sides.

// MINUS as a hash anti-join. A left row goes when some right row shares a
// bound variable with it and is compatible (SPARQL 1.1, 8.3). The right
// side never sees the left rows' bindings (MINUS is not a substitution),
// so it is materialised once per graph (a nested loop over all right rows
// per left row made "persons with no office" 2.5x slower than the
// OPTIONAL of the same shape).
class MinusOp : public Operator {
 public:
  MinusOp(Context* ctx, OpPtr left, OpPtr right, int graph_var)
      : Operator(ctx), left_(std::move(left)), right_child_(std::move(right)),
        right_(ctx, right_child_.get(), graph_var) {}
  std::string Describe() const override { return "Minus"; }
  std::vector<const Operator*> Children() const override {
    return {left_.get(), right_child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override { left_->Open(seed); }
  bool DoNext(IdRow* row) override {
    while (left_->Next(row)) {
      bool removed = false;
      right_.ForEachCompatible(*row, /*require_shared=*/true,
                               [&](const IdRow&) {
                                 removed = true;
                                 return false;
                               });
      if (!ctx_->ok()) return false;  // over the memory limit
      if (!removed) return true;
      if (!ctx_->Tick()) return false;
    }
    return false;
  }

 private:
  OpPtr left_, right_child_;
  MaterializedSide right_;
};

// Join and OPTIONAL by hash, for a right side evaluated apart from the left
// rows (a subquery): the planner picks it where the nested-loop JoinOp
// would open the right side again for every left row. Rows come out in the
// left side's order, each left row's matches together.
class HashJoinOp : public Operator {
 public:
  HashJoinOp(Context* ctx, OpPtr left, OpPtr right, int graph_var,
             bool optional, std::vector<algebra::Expr> exprs, Evaluator* ev)
      : Operator(ctx), left_(std::move(left)), right_child_(std::move(right)),
        right_(ctx, right_child_.get(), graph_var), optional_(optional),
        exprs_(std::move(exprs)), ev_(ev) {}
  std::string Describe() const override {
    std::string what = optional_ ? "HashOptional" : "HashJoin";
    if (!exprs_.empty())
      absl::StrAppend(&what, " with ", exprs_.size(), " filter(s)");
    return absl::StrCat(what, " (right side evaluated once)");
  }
  std::vector<const Operator*> Children() const override {
    return {left_.get(), right_child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    left_->Open(seed);
    matches_.clear();
    next_ = 0;
  }
  bool DoNext(IdRow* row) override {
    while (ctx_->Tick()) {
      if (next_ < matches_.size()) {
        *row = std::move(matches_[next_++]);
        return true;
      }
      if (!left_->Next(&left_row_)) return false;
      matches_.clear();
      next_ = 0;
      right_.ForEachCompatible(left_row_, /*require_shared=*/false,
                               [&](const IdRow& y) {
                                 IdRow merged = y;
                                 MergeInto(left_row_, &merged);
                                 for (const auto& e : exprs_)
                                   if (!ev_->Test(e, merged)) return true;
                                 matches_.push_back(std::move(merged));
                                 return true;
                               });
      if (!ctx_->ok()) return false;
      if (optional_ && matches_.empty()) {
        *row = left_row_;
        return true;
      }
    }
    return false;
  }

 private:
  OpPtr left_, right_child_;
  MaterializedSide right_;
  bool optional_;
  std::vector<algebra::Expr> exprs_;
  Evaluator* ev_;
  IdRow left_row_;
  std::vector<IdRow> matches_;  // of left_row_, not yet returned
  size_t next_ = 0;
};

class ValuesOp : public Operator {
 public:
  ValuesOp(Context* ctx, std::vector<IdRow> rows)
      : Operator(ctx), rows_(std::move(rows)) {}
  std::string Describe() const override {
    return absl::StrCat("Values (", rows_.size(), " rows)");
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    seed_ = seed;
    i_ = 0;
  }
  bool DoNext(IdRow* row) override {
    while (i_ < rows_.size()) {
      *row = rows_[i_++];
      if (MergeInto(seed_, row)) return true;
    }
    return false;
  }

 private:
  std::vector<IdRow> rows_;
  IdRow seed_;
  size_t i_ = 0;
};

// Binds a graph variable to each named graph in scope (GRAPH ?g with a
// pattern that binds nothing itself).
class NamedGraphsOp : public Operator {
 public:
  NamedGraphsOp(Context* ctx, int var) : Operator(ctx), var_(var) {}
  std::string Describe() const override { return "NamedGraphs"; }

 protected:
  void DoOpen(const IdRow& seed) override {
    seed_ = seed;
    i_ = 0;
  }
  bool DoNext(IdRow* row) override {
    const auto& list = ctx_->scope.named_list;
    while (i_ < list.size()) {
      *row = seed_;
      TermId g = list[i_++];
      if ((*row)[var_] != kUnbound && (*row)[var_] != g) continue;
      (*row)[var_] = g;
      return true;
    }
    return false;
  }

 private:
  int var_;
  IdRow seed_;
  size_t i_ = 0;
};

// GRAPH ?g { P } with the graph's name in a hidden slot while P runs:
// joins P's own ?g (an ordinary variable inside P) with the graph's name,
// then clears the hidden slot.
class GraphVarOp : public Operator {
 public:
  GraphVarOp(Context* ctx, OpPtr child, int var, int hidden, std::string name)
      : Operator(ctx), child_(std::move(child)), var_(var), hidden_(hidden),
        name_(std::move(name)) {}
  std::string Describe() const override { return "Graph " + name_; }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    // A seed value of ?g picks the graph; P itself does not see it.
    IdRow s = seed;
    s[hidden_] = seed[var_];
    s[var_] = kUnbound;
    child_->Open(s);
  }
  bool DoNext(IdRow* row) override {
    while (child_->Next(row)) {
      TermId g = (*row)[hidden_];
      (*row)[hidden_] = kUnbound;
      if ((*row)[var_] == kUnbound) {
        (*row)[var_] = g;
        return true;
      }
      if ((*row)[var_] == g) return true;
      if (!ctx_->Tick()) return false;
    }
    return false;
  }

 private:
  OpPtr child_;
  int var_, hidden_;
  std::string name_;
};

// ---- property paths --------------------------------------------------------

struct PathIds {
  ast::Path::Kind kind;
  TermId iri = kAbsent;
  std::vector<PathIds> children;
  std::vector<std::pair<TermId, bool>> negated;
};

// Evaluates a property path pattern for each input row: breadth-first from
// the bound end with a visited set; from every node of the graph when
// neither end is bound.
class PathOp : public Operator {
 public:
  PathOp(Context* ctx, OpPtr child, Position s, PathIds path, Position o,
         GraphSpec graph, std::string text)
      : Operator(ctx), child_(std::move(child)), s_(s), o_(o),
        path_(std::move(path)), graph_(graph), text_(std::move(text)) {}
  std::string Describe() const override {
    return "PathTraversal " + text_;
  }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    child_->Open(seed);
    out_.clear();
    pos_ = 0;
    graphs_.clear();
    graph_pos_ = 0;
    starts_.clear();
    start_pos_ = 0;
  }
  // Streams: with neither end bound, one start node is expanded at a time,
  // so LIMIT over a huge closure stops early.
  bool DoNext(IdRow* row) override {
    while (ctx_->ok()) {
      if (pos_ < out_.size()) {
        *row = out_[pos_++];
        return true;
      }
      ctx_->Release(out_.size() * (in_.size() * 8 + 32));
      out_.clear();
      pos_ = 0;
      if (start_pos_ < starts_.size()) {
        if (!ctx_->Tick()) return false;
        TermId n = starts_[start_pos_++];
        for (TermId t : Eval(path_, n, true)) Emit(in_, graph_id_, n, t);
        continue;
      }
      if (graph_pos_ < graphs_.size()) {
        StartGraph(graphs_[graph_pos_++]);
        continue;
      }
      if (!child_->Next(&in_)) return false;
      graphs_ = Graphs(in_);
      graph_pos_ = 0;
    }
    return false;
  }

 private:
  TermId Value(const Position& p, const IdRow& row) const {
    return p.var >= 0 ? row[p.var] : p.id;
  }

  // The graphs to evaluate in for this row: a list (one entry per named
  // graph when GRAPH ?g is unbound) of (graph id or kUnbound for "the
  // default graph").
  std::vector<TermId> Graphs(const IdRow& row) const {
    switch (graph_.kind) {
      case GraphSpec::Kind::kDefault:
        return {kUnbound};
      case GraphSpec::Kind::kNamedConst:
        return {graph_.id};
      case GraphSpec::Kind::kNamedVar:
        if (row[graph_.var] != kUnbound) return {row[graph_.var]};
        return ctx_->scope.named_list;
    }
    return {};
  }

  void Emit(const IdRow& in, TermId g, TermId s, TermId o) {
    IdRow r = in;
    auto bind = [&](const Position& p, TermId v) {
      if (p.var < 0) return p.id == v;
      if (r[p.var] == kUnbound) {
        r[p.var] = v;
        return true;
      }
      return r[p.var] == v;
    };
    if (!bind(s_, s) || !bind(o_, o)) return;
    if (graph_.kind == GraphSpec::Kind::kNamedVar) {
      if (r[graph_.var] == kUnbound) r[graph_.var] = g;
      else if (r[graph_.var] != g) return;
    }
    if (ctx_->Charge(r.size() * 8 + 32)) out_.push_back(std::move(r));
  }

  // Starts evaluating the path for in_ in graph g (kUnbound: the default
  // graph): bound ends are expanded at once, otherwise the start nodes are
  // listed and expanded one per DoNext round.
  void StartGraph(TermId g) {
    starts_.clear();
    start_pos_ = 0;
    if (g == kAbsent) return;
    graph_id_ = g;
    TermId s = Value(s_, in_), o = Value(o_, in_);
    // A zero-length path from a node to itself: for a constant end any
    // term matches, but a variable ranges over the graph's nodes only
    // (18.4), also when an earlier pattern bound it to some other term.
    auto zero_ok = [&](const Position& end, TermId n) {
      return end.var < 0 || InGraph(n);
    };
    if (s != kUnbound) {
      for (TermId t : Eval(path_, s, /*forward=*/true))
        if ((o == kUnbound || o == t) && (t != s || zero_ok(s_, s)))
          Emit(in_, g, s, t);
    } else if (o != kUnbound) {
      for (TermId t : Eval(path_, o, /*forward=*/false))
        if (t != o || zero_ok(o_, o)) Emit(in_, g, t, o);
    } else {
      starts_ = AllNodes();
    }
  }

  // True when `n` is a subject or object in the active graph.
  bool InGraph(TermId n) {
    bool found = false;
    auto hit = [&](const QuadIds&) {
      found = true;
      return false;
    };
    ForEach(n, kUnbound, kUnbound, hit);
    if (!found) ForEach(kUnbound, kUnbound, n, hit);
    return found;
  }

  // The quads of the active graph matching (s?, p?, o?); `f` may return
  // false to stop.
  template <typename F>
  void ForEach(TermId s, TermId p, TermId o, F f) {
    QuadIds q;
    unsigned mask = 0;
    if (s != kUnbound) { q.s = s; mask |= 1; }
    if (p != kUnbound) { q.p = p; mask |= 2; }
    if (o != kUnbound) { q.o = o; mask |= 4; }
    for (TermId id : {s, p, o})
      if (id == kAbsent || (id != kUnbound && TagOf(id) == kTempTag)) return;
    bool dedupe = false;
    if (graph_id_ != kUnbound) {
      q.g = graph_id_;
      mask |= 8;
    } else if (ctx_->scope.default_kind ==
               GraphScope::DefaultKind::kStoreDefault) {
      q.g = kDefaultGraph;
      mask |= 8;
    } else {
      dedupe = true;
    }
    auto it = ctx_->source->Scan(q, mask);
    QuadIds prev;
    bool have_prev = false;
    for (; it->Valid(); it->Next()) {
      if (!ctx_->Tick()) return;
      const QuadIds& x = it->quad();
      if (dedupe) {
        if (have_prev && x.s == prev.s && x.p == prev.p && x.o == prev.o)
          continue;
        prev = x;
        have_prev = true;
        if (ctx_->scope.default_kind == GraphScope::DefaultKind::kSet &&
            !ctx_->scope.default_set.contains(x.g))
          continue;
      } else if (graph_id_ != kUnbound && x.g != graph_id_) {
        continue;
      }
      if constexpr (std::is_same_v<decltype(f(x)), bool>) {
        if (!f(x)) break;
      } else {
        f(x);
      }
    }
    if (!it->status().ok()) ctx_->Fail(it->status());
  }

  std::vector<TermId> AllNodes() {
    absl::flat_hash_set<TermId> seen;
    std::vector<TermId> out;
    ForEach(kUnbound, kUnbound, kUnbound, [&](const QuadIds& q) {
      for (TermId t : {q.s, q.o})
        if (seen.insert(t).second) out.push_back(t);
    });
    ctx_->Charge(out.size() * 24);
    return out;
  }

  // One evaluation of `p` from `node`: the reachable ends (a bag for
  // sequences and alternatives, a set for closures).
  std::vector<TermId> Eval(const PathIds& p, TermId node, bool forward) {
    using K = ast::Path::Kind;
    std::vector<TermId> out;
    switch (p.kind) {
      case K::kIri:
        if (forward)
          ForEach(node, p.iri, kUnbound, [&](const QuadIds& q) { out.push_back(q.o); });
        else
          ForEach(kUnbound, p.iri, node, [&](const QuadIds& q) { out.push_back(q.s); });
        break;
      case K::kInverse:
        return Eval(p.children[0], node, !forward);
      case K::kSequence: {
        std::vector<TermId> frontier = {node};
        const size_t n = p.children.size();
        for (size_t i = 0; i < n; ++i) {
          const PathIds& c = p.children[forward ? i : n - 1 - i];
          std::vector<TermId> next;
          for (TermId t : frontier)
            for (TermId u : Eval(c, t, forward)) next.push_back(u);
          frontier = std::move(next);
        }
        return frontier;
      }
      case K::kAlternative:
        for (const PathIds& c : p.children)
          for (TermId t : Eval(c, node, forward)) out.push_back(t);
        break;
      case K::kZeroOrOne: {
        absl::flat_hash_set<TermId> seen = {node};
        out.push_back(node);
        for (TermId t : Eval(p.children[0], node, forward))
          if (seen.insert(t).second) out.push_back(t);
        break;
      }
      case K::kZeroOrMore:
      case K::kOneOrMore: {
        absl::flat_hash_set<TermId> visited;
        std::deque<TermId> queue;
        if (p.kind == K::kZeroOrMore) {
          visited.insert(node);
          out.push_back(node);
          queue.push_back(node);
        } else {
          for (TermId t : Eval(p.children[0], node, forward))
            if (visited.insert(t).second) {
              out.push_back(t);
              queue.push_back(t);
            }
        }
        while (!queue.empty() && ctx_->Tick()) {
          TermId cur = queue.front();
          queue.pop_front();
          for (TermId t : Eval(p.children[0], cur, forward))
            if (visited.insert(t).second) {
              if (!ctx_->Charge(24)) return out;
              out.push_back(t);
              queue.push_back(t);
            }
        }
        ctx_->Release(visited.size() * 24);
        break;
      }
      case K::kNegatedSet: {
        bool any_forward = false, any_inverse = false;
        for (const auto& [iri, inv] : p.negated)
          (inv ? any_inverse : any_forward) = true;
        auto excluded = [&](TermId pred, bool inv) {
          for (const auto& [iri, i] : p.negated)
            if (i == inv && iri == pred) return true;
          return false;
        };
        // !(a|^b) from `node` forward = forward steps not a, plus inverse
        // steps not b; evaluating backward swaps the two.
        if (any_forward || !any_inverse) {
          if (forward)
            ForEach(node, kUnbound, kUnbound, [&](const QuadIds& q) {
              if (!excluded(q.p, false)) out.push_back(q.o);
            });
          else
            ForEach(kUnbound, kUnbound, node, [&](const QuadIds& q) {
              if (!excluded(q.p, false)) out.push_back(q.s);
            });
        }
        if (any_inverse) {
          if (forward)
            ForEach(kUnbound, kUnbound, node, [&](const QuadIds& q) {
              if (!excluded(q.p, true)) out.push_back(q.s);
            });
          else
            ForEach(node, kUnbound, kUnbound, [&](const QuadIds& q) {
              if (!excluded(q.p, true)) out.push_back(q.o);
            });
        }
        break;
      }
    }
    return out;
  }

  OpPtr child_;
  Position s_, o_;
  PathIds path_;
  GraphSpec graph_;
  std::string text_;
  TermId graph_id_ = kUnbound;
  IdRow in_;
  std::vector<TermId> graphs_;
  size_t graph_pos_ = 0;
  std::vector<TermId> starts_;
  size_t start_pos_ = 0;
  std::vector<IdRow> out_;
  size_t pos_ = 0;
};

// ---- solution modifiers ----------------------------------------------------

class ProjectOp : public Operator {
 public:
  ProjectOp(Context* ctx, OpPtr child, std::vector<int> vars, size_t width)
      : Operator(ctx), child_(std::move(child)), keep_(width, false) {
    for (int v : vars) keep_[v] = true;
  }
  std::string Describe() const override { return "Project"; }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    seed_ = seed;
    child_->Open(Masked(seed));
  }
  bool DoNext(IdRow* row) override {
    while (child_->Next(row)) {
      for (size_t i = 0; i < row->size(); ++i)
        if (!keep_[i]) (*row)[i] = kUnbound;
      if (MergeInto(seed_, row)) return true;
    }
    return false;
  }

 private:
  IdRow Masked(const IdRow& r) const {
    IdRow out = r;
    for (size_t i = 0; i < out.size(); ++i)
      if (!keep_[i]) out[i] = kUnbound;
    return out;
  }
  OpPtr child_;
  std::vector<bool> keep_;
  IdRow seed_;
};

class DistinctOp : public Operator {
 public:
  DistinctOp(Context* ctx, OpPtr child, bool reduced)
      : Operator(ctx), child_(std::move(child)), reduced_(reduced) {}
  std::string Describe() const override {
    return reduced_ ? "Reduced" : "Distinct";
  }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    ctx_->Release(seen_.size() * 64);
    seen_.clear();
    child_->Open(seed);
  }
  bool DoNext(IdRow* row) override {
    while (child_->Next(row)) {
      if (seen_.insert(*row).second) {
        if (!ctx_->Charge(64 + row->size() * 8)) return false;
        return true;
      }
    }
    return false;
  }

 private:
  OpPtr child_;
  bool reduced_;
  absl::flat_hash_set<IdRow, RowHash> seen_;
};

class SliceOp : public Operator {
 public:
  SliceOp(Context* ctx, OpPtr child, uint64_t offset,
          std::optional<uint64_t> limit)
      : Operator(ctx), child_(std::move(child)), offset_(offset),
        limit_(limit) {}
  std::string Describe() const override {
    return absl::StrCat("Slice offset=", offset_,
                        limit_ ? absl::StrCat(" limit=", *limit_) : "");
  }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  void DoOpen(const IdRow& seed) override {
    child_->Open(seed);
    skipped_ = 0;
    given_ = 0;
  }
  bool DoNext(IdRow* row) override {
    // Stops pulling once the limit is reached: LIMIT 10 over a huge match
    // reads only what it returns.
    if (limit_ && given_ >= *limit_) return false;
    while (skipped_ < offset_) {
      if (!child_->Next(row)) return false;
      ++skipped_;
    }
    if (!child_->Next(row)) return false;
    ++given_;
    return true;
  }

 private:
  OpPtr child_;
  uint64_t offset_;
  std::optional<uint64_t> limit_;
  uint64_t skipped_ = 0, given_ = 0;
};

class OrderByOp : public Operator {
 public:
  // `top_k`: only the first top_k rows of the order are ever read (a
  // LIMIT above), so only they are sorted.
  OrderByOp(Context* ctx, OpPtr child, std::vector<algebra::OrderKey> keys,
            Evaluator* ev, std::optional<uint64_t> top_k)
      : Operator(ctx), child_(std::move(child)), keys_(std::move(keys)),
        ev_(ev), top_k_(top_k) {}
  std::string Describe() const override {
    return absl::StrCat("Sort (", keys_.size(), " key",
                        keys_.size() == 1 ? "" : "s", ")",
                        top_k_ ? absl::StrCat("  top ", *top_k_) : "");
  }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  // A row and its sort keys, evaluated only when a comparison needs them:
  // keys that are variables compare by id where ids order like the values
  // (same inline numeric or date tag) and by lexical form in place for
  // IRIs, so most rows are never decoded.
  struct Item {
    IdRow row;
    size_t index;
    std::vector<std::optional<Value>> keys;
  };
  void DoOpen(const IdRow& seed) override {
    ctx_->Release(held_);
    held_ = 0;
    rows_.clear();
    child_->Open(seed);
    auto less = [&](Item& a, Item& b) {
      for (size_t i = 0; i < keys_.size(); ++i) {
        int c = CompareKey(i, a, b);
        if (c != 0) return keys_[i].descending ? c > 0 : c < 0;
      }
      return a.index < b.index;  // stable
    };
    IdRow r;
    std::vector<Item> items;
    if (top_k_ && *top_k_ <= kHeapTopK) {
      // A small top k: keep the best k seen so far in a heap whose front
      // is the worst of them; a new row that does not beat it is dropped
      // without being stored. Memory and allocations O(k), not O(rows).
      const size_t k = static_cast<size_t>(*top_k_);
      items.reserve(k);
      Item candidate;
      size_t index = 0;
      while (k > 0 && child_->Next(&r)) {
        if (items.size() < k) {
          const uint64_t cost = 64 + r.size() * 8 + keys_.size() * 64;
          held_ += cost;
          if (!ctx_->Charge(cost)) return;
          items.push_back(Item{r, index++, {}});
          items.back().keys.resize(keys_.size());
          std::push_heap(items.begin(), items.end(), less);
          continue;
        }
        candidate.row = r;
        candidate.index = index++;
        candidate.keys.assign(keys_.size(), std::nullopt);
        if (!less(candidate, items.front())) continue;
        std::pop_heap(items.begin(), items.end(), less);
        std::swap(items.back(), candidate);
        std::push_heap(items.begin(), items.end(), less);
      }
      std::sort_heap(items.begin(), items.end(), less);
      for (auto& it : items) rows_.push_back(std::move(it.row));
      pos_ = 0;
      return;
    }
    while (child_->Next(&r)) {
      const uint64_t cost = 64 + r.size() * 8 + keys_.size() * 64;
      held_ += cost;
      if (!ctx_->Charge(cost)) return;
      items.push_back(Item{r, items.size(), {}});
      items.back().keys.resize(keys_.size());
    }
    if (top_k_ && *top_k_ < items.size()) {
      std::partial_sort(items.begin(), items.begin() + *top_k_, items.end(),
                        less);
      items.resize(*top_k_);
    } else {
      std::sort(items.begin(), items.end(), less);
    }
    for (auto& it : items) rows_.push_back(std::move(it.row));
    pos_ = 0;
  }
  bool DoNext(IdRow* row) override {
    if (pos_ >= rows_.size()) return false;
    *row = rows_[pos_++];
    return true;
  }

 private:
  const Value& KeyOf(size_t k, Item& item) {
    if (!item.keys[k]) item.keys[k] = ev_->Eval(keys_[k].expr, item.row);
    return *item.keys[k];
  }
  int CompareKey(size_t k, Item& a, Item& b) {
    const algebra::Expr& e = keys_[k].expr;
    if (e.kind == algebra::Expr::Kind::kVar) {
      const TermId x = a.row[e.var], y = b.row[e.var];
      if (x == y) return 0;  // ids are canonical: the same term
      const TermTag tx = TagOf(x), ty = TagOf(y);
      if (x != kUnbound && y != kUnbound) {
        // Inline numbers of different values compare by exact value;
        // equal values (2 and 2.0) go to OrderCompare, which breaks the
        // tie by lexical form and datatype. Inline dates compare by id
        // (the encoding keeps order; equal ids returned 0 above).
        if (auto vx = InlineNumericScaled(x)) {
          if (auto vy = InlineNumericScaled(y))
            if (*vx != *vy) return *vx < *vy ? -1 : 1;
        }
        if (tx == TermTag::kInlineDate && ty == TermTag::kInlineDate)
          return x < y ? -1 : 1;
      }
      if (x != kUnbound && y != kUnbound && tx == ty) {
        if (tx == TermTag::kIri) {
          if (auto c = ctx_->CompareLexical(x, y)) return *c;
        }
      }
    }
    return OrderCompare(KeyOf(k, a), KeyOf(k, b));
  }

  // Top k up to this many is kept in a heap while rows stream in; larger
  // ones sort every row (partial_sort).
  static constexpr uint64_t kHeapTopK = 4096;

  OpPtr child_;
  std::vector<algebra::OrderKey> keys_;
  Evaluator* ev_;
  std::optional<uint64_t> top_k_;
  std::vector<IdRow> rows_;
  size_t pos_ = 0;
  uint64_t held_ = 0;
};

// Accumulates one aggregate over the solutions of one group.
class Accumulator {
 public:
  explicit Accumulator(const algebra::Aggregate& agg) : agg_(agg) {}
  // COUNT over ids: no term is decoded (ids are canonical, so DISTINCT on
  // ids is DISTINCT on terms).
  void AddCount(bool bound, TermId id) {
    if (!bound && !agg_.star) return;
    if (agg_.distinct && !seen_.insert(id).second) return;
    ++count_;
  }
  void Add(const kg::Value& v, TermId id) {
    if (agg_.distinct) {
      if (!seen_.insert(id).second) return;
    }
    const std::string& n = agg_.name;
    if (n == "COUNT") {
      if (agg_.star || v) ++count_;
      return;
    }
    if (!v) {
      if (n != "SAMPLE" && n != "GROUP_CONCAT") error_ = true;
      if (n == "GROUP_CONCAT") error_ = true;
      return;
    }
    if (n == "SUM" || n == "AVG") {
      sum_ = count_ == 0 ? *v : Arithmetic(ArithOp::kAdd, sum_, v);
      if (!sum_) error_ = true;
      ++count_;
    } else if (n == "MIN" || n == "MAX") {
      if (!best_ || (n == "MIN" ? OrderCompare(v, best_) < 0
                                : OrderCompare(v, best_) > 0))
        best_ = v;
    } else if (n == "SAMPLE") {
      if (!best_) best_ = v;
    } else if (n == "GROUP_CONCAT") {
      if (!v->is_literal()) {
        error_ = true;
        return;
      }
      if (count_++) concat_ += agg_.separator;
      concat_ += v->lexical;
    }
  }
  kg::Value Result() const {
    const std::string& n = agg_.name;
    if (n == "COUNT")
      return Term::Literal(std::to_string(count_), std::string(kXsdInteger));
    if (error_) return std::nullopt;
    if (n == "SUM")
      return count_ == 0 ? Term::Literal("0", std::string(kXsdInteger)) : sum_;
    if (n == "AVG") {
      if (count_ == 0) return Term::Literal("0", std::string(kXsdInteger));
      return Arithmetic(ArithOp::kDiv, sum_,
                        Term::Literal(std::to_string(count_),
                                      std::string(kXsdInteger)));
    }
    // A simple literal, whatever the members' language tags (18.5.1.7
    // defines it as a string built with fn:concat).
    if (n == "GROUP_CONCAT") return Term::Literal(concat_);
    return best_;
  }

 private:
  const algebra::Aggregate& agg_;
  absl::flat_hash_set<TermId> seen_;
  uint64_t count_ = 0;
  kg::Value sum_, best_;
  bool error_ = false;
  std::string concat_;
};

class GroupOp : public Operator {
 public:
  GroupOp(Context* ctx, OpPtr child, const Node* node, Evaluator* ev,
          std::vector<int> pass)
      : Operator(ctx), child_(std::move(child)), node_(node), ev_(ev),
        pass_(std::move(pass)) {}
  std::string Describe() const override {
    return absl::StrCat("HashAggregate (", node_->group_exprs.size(),
                        " key(s), ", node_->aggregates.size(),
                        " aggregate(s))",
                        count_runs_ ? "  counts-from-adjacency" : "");
  }
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

  // GROUP BY one end of a single triple pattern ?s <p> ?o with only
  // COUNT(*) / COUNT(?s) / COUNT(?o) (not DISTINCT): the counts are the
  // run lengths of the predicate's adjacency, one per key, when it is in
  // memory and every quad is in the default graph (so no triple counts
  // twice across graphs). Set by the planner.
  struct CountRuns {
    TermId predicate = kUnbound;
    bool key_is_subject = false;
  };
  std::optional<CountRuns> count_runs_;

 protected:
  void DoOpen(const IdRow& seed) override {
    out_.clear();
    pos_ = 0;
    if (count_runs_ && CountFromAdjacency(seed)) return;
    child_->Open(Restrict(seed, pass_));
    struct Group {
      IdRow key;
      std::vector<Accumulator> accs;
    };
    absl::flat_hash_map<IdRow, size_t, RowHash> index;
    std::vector<Group> groups;
    IdRow r;
    IdRow key;
    size_t last = SIZE_MAX;
    while (child_->Next(&r)) {
      // Grouping on a variable groups on its id: no decoding.
      key.clear();
      for (const auto& e : node_->group_exprs) {
        if (e.kind == algebra::Expr::Kind::kVar) {
          key.push_back(r[e.var]);
          continue;
        }
        kg::Value v = ev_->Eval(e, r);
        key.push_back(v ? ctx_->Encode(*v) : kUnbound);
      }
      // Rows often arrive grouped (a scan in the order of the group key):
      // the same key as the previous row skips the hash lookup.
      if (last == SIZE_MAX || key != groups[last].key) {
        auto [it, inserted] = index.try_emplace(key, groups.size());
        if (inserted) {
          if (!ctx_->Charge(128 + key.size() * 8)) return;
          Group g{key, {}};
          for (const auto& a : node_->aggregates) g.accs.emplace_back(a);
          groups.push_back(std::move(g));
        }
        last = it->second;
      }
      Group& g = groups[last];
      for (size_t i = 0; i < node_->aggregates.size(); ++i) {
        const auto& a = node_->aggregates[i];
        if (a.name == "COUNT" &&
            (!a.arg || a.arg->kind == algebra::Expr::Kind::kVar)) {
          if (!a.arg) {
            g.accs[i].AddCount(
                true, a.distinct ? absl::HashOf(absl::MakeConstSpan(r)) : 0);
          } else {
            TermId x = r[a.arg->var];
            g.accs[i].AddCount(x != kUnbound, x);
          }
          continue;
        }
        // A solution that leaves the aggregated variable unbound gives no
        // value: it is left out of the multiset, for every aggregate (as
        // COUNT(?x) does, and as SQL treats NULL). An error from a
        // compound expression is not left out: it makes SUM, AVG, MIN,
        // MAX and GROUP_CONCAT unbound (docs/QUERY.md, "Aggregates over
        // unbound values and errors").
        if (a.arg && a.arg->kind == algebra::Expr::Kind::kVar &&
            r[a.arg->var] == kUnbound)
          continue;
        kg::Value v;
        TermId id = kUnbound;
        if (a.arg) {
          v = ev_->Eval(*a.arg, r);
          if (a.distinct && v) id = ctx_->Encode(*v);
        } else if (a.distinct) {
          id = absl::HashOf(absl::MakeConstSpan(r));
        }
        g.accs[i].Add(v, id);
      }
    }
    if (!ctx_->ok()) return;
    // No GROUP BY and no rows: one group (COUNT(*) is 0).
    if (groups.empty() && node_->group_exprs.empty()) {
      Group g{{}, {}};
      for (const auto& a : node_->aggregates) g.accs.emplace_back(a);
      groups.push_back(std::move(g));
    }
    for (const Group& g : groups) {
      IdRow row(seed.size(), kUnbound);
      for (size_t i = 0; i < g.key.size(); ++i)
        row[node_->group_vars[i]] = g.key[i];
      for (size_t i = 0; i < g.accs.size(); ++i) {
        kg::Value v = g.accs[i].Result();
        if (v) row[node_->aggregates[i].slot] = ctx_->Encode(*v);
      }
      if (MergeInto(seed, &row)) out_.push_back(std::move(row));
    }
  }
  bool DoNext(IdRow* row) override {
    if (pos_ >= out_.size()) return false;
    *row = out_[pos_++];
    return true;
  }

 private:
  bool CountFromAdjacency(const IdRow& seed) {
    auto adj = ctx_->source->Adjacency(count_runs_->predicate, 2);
    if (!adj || !adj->default_graph_only()) return false;
    const int key_var = node_->group_vars[0];
    adj->ForEachRun(count_runs_->key_is_subject,
                    [&](TermId key, uint64_t count) {
                      if (!ctx_->Tick() ||
                          !ctx_->Charge(128 + seed.size() * 8))
                        return;
                      IdRow row(seed.size(), kUnbound);
                      row[key_var] = key;
                      // Counts are inline integers: no term to build.
                      const auto inline_n =
                          InlineIntegerId(static_cast<int64_t>(count));
                      const TermId n =
                          inline_n ? *inline_n
                                   : ctx_->Encode(Term::Literal(
                                         absl::StrCat(count),
                                         std::string(kXsdInteger)));
                      for (const auto& a : node_->aggregates) row[a.slot] = n;
                      if (MergeInto(seed, &row)) out_.push_back(std::move(row));
                    });
    return true;
  }

  OpPtr child_;
  const Node* node_;
  Evaluator* ev_;
  std::vector<int> pass_;  // seed bindings the child sees (the graph slot)
  std::vector<IdRow> out_;
  size_t pos_ = 0;
};

// ---- planner ------------------------------------------------------------------

std::vector<int> Intersect(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<int> out;
  for (int v : a)
    if (std::find(b.begin(), b.end(), v) != b.end()) out.push_back(v);
  return out;
}

void AddUnique(std::vector<int>* out, int v) {
  if (v >= 0 && std::find(out->begin(), out->end(), v) == out->end())
    out->push_back(v);
}

// GRAPH ?g { P } runs P with the graph's name in a hidden slot (n.var),
// then joins P's own ?g with it, unless P is a plain basic graph pattern,
// where using ?g itself as the scans' graph position means the same.
bool HiddenGraphSlot(const Node& n) {
  if (n.kind != Node::Kind::kGraph || !n.graph.is_var() || n.var < 0)
    return false;
  const Node& child = *n.children[0];
  return !(child.kind == Node::Kind::kBgp && !child.patterns.empty());
}

std::vector<int> CertainVarsOf(const Node& n, int graph_var);

// Variables bound in every solution of `n` (so a seed may constrain them).
// Inside GRAPH ?g (graph_var >= 0) every solution carries the graph slot:
// the planner binds it before the pattern runs, and seeds carry it down.
std::vector<int> CertainVars(const Node& n, int graph_var) {
  std::vector<int> out = CertainVarsOf(n, graph_var);
  AddUnique(&out, graph_var);
  return out;
}

std::vector<int> CertainVarsOf(const Node& n, int graph_var) {
  std::vector<int> out;
  switch (n.kind) {
    case Node::Kind::kBgp:
      for (const auto& p : n.patterns) {
        if (p.subject.is_var()) AddUnique(&out, p.subject.var);
        if (!p.path && p.predicate.is_var()) AddUnique(&out, p.predicate.var);
        if (p.object.is_var()) AddUnique(&out, p.object.var);
      }
      if (!n.patterns.empty()) AddUnique(&out, graph_var);
      return out;
    case Node::Kind::kJoin:
      out = CertainVars(*n.children[0], graph_var);
      for (int v : CertainVars(*n.children[1], graph_var)) AddUnique(&out, v);
      return out;
    case Node::Kind::kLeftJoin:
    case Node::Kind::kMinus:
    case Node::Kind::kFilter:
    case Node::Kind::kOrderBy:
    case Node::Kind::kDistinct:
    case Node::Kind::kReduced:
      return CertainVars(*n.children[0], graph_var);
    case Node::Kind::kExtend: {
      out = CertainVars(*n.children[0], graph_var);
      out.erase(std::remove(out.begin(), out.end(), n.var), out.end());
      return out;
    }
    case Node::Kind::kUnion:
      return Intersect(CertainVars(*n.children[0], graph_var),
                       CertainVars(*n.children[1], graph_var));
    case Node::Kind::kGraph: {
      if (HiddenGraphSlot(n)) {
        out = CertainVars(*n.children[0], n.var);
        out.erase(std::remove(out.begin(), out.end(), n.var), out.end());
        AddUnique(&out, n.graph.var);
        return out;
      }
      int gv = n.graph.is_var() ? n.graph.var : -1;
      out = CertainVars(*n.children[0], gv);
      AddUnique(&out, gv);
      return out;
    }
    case Node::Kind::kProject:
      return Intersect(CertainVars(*n.children[0], graph_var), n.vars);
    case Node::Kind::kValues:
      for (size_t i = 0; i < n.vars.size(); ++i) {
        bool all = true;
        for (const auto& r : n.rows)
          if (!r[i]) all = false;
        if (all) AddUnique(&out, n.vars[i]);
      }
      return out;
    case Node::Kind::kGroup:  // aggregation and slicing must see every
    case Node::Kind::kSlice:  // solution: never constrain them from outside
    case Node::Kind::kUnit:
      return {};
  }
  return out;
}

// Every variable `n` mentions, into *out (once each).
void MentionedVars(const algebra::Expr& e, std::vector<int>* out);
void MentionedVars(const Node& n, std::vector<int>* out) {
  auto slot = [&](const Slot& s) {
    if (s.is_var()) AddUnique(out, s.var);
  };
  for (const auto& p : n.patterns) {
    slot(p.subject);
    slot(p.predicate);
    slot(p.object);
  }
  slot(n.graph);
  AddUnique(out, n.var);
  for (int v : n.vars) AddUnique(out, v);
  for (int v : n.group_vars) AddUnique(out, v);
  for (const auto& e : n.exprs) MentionedVars(e, out);
  for (const auto& e : n.group_exprs) MentionedVars(e, out);
  for (const auto& a : n.aggregates) {
    if (a.arg) MentionedVars(*a.arg, out);
    AddUnique(out, a.slot);
  }
  for (const auto& k : n.order) MentionedVars(k.expr, out);
  for (const auto& c : n.children) MentionedVars(*c, out);
}
void MentionedVars(const algebra::Expr& e, std::vector<int>* out) {
  AddUnique(out, e.var);
  for (const auto& a : e.args) MentionedVars(a, out);
  if (e.pattern) MentionedVars(*e.pattern, out);
}

class Planner {
 public:
  Planner(Context* ctx, const std::vector<std::string>& names)
      : ctx_(ctx), names_(names),
        ev_(std::make_unique<Evaluator>(
            ctx, [this](const std::shared_ptr<Node>& n) {
              // EXISTS runs in the graph of the pattern it is in.
              auto it = exists_graph_.find(n.get());
              GraphSpec g = it == exists_graph_.end() ? GraphSpec{} : it->second;
              ExistsPlan p;
              p.graph_var = GraphVar(g);
              p.runs_apart = RunsApart(*n);
              p.plan = p.runs_apart ? PlanApart(*n, g) : Plan(*n, g, {});
              MentionedVars(*n, &p.mentioned);
              p.mentioned.erase(std::remove(p.mentioned.begin(),
                                            p.mentioned.end(), p.graph_var),
                                p.mentioned.end());
              return p;
            })) {}

  Evaluator* evaluator() { return ev_.get(); }
  size_t width() const { return names_.size(); }

  // `bound`: variables bound by the time this node runs (from the seed).
  OpPtr Plan(const Node& n, GraphSpec graph, std::vector<int> bound) {
    if (graph.kind != GraphSpec::Kind::kDefault) NoteExistsGraph(n, graph);
    switch (n.kind) {
      case Node::Kind::kUnit:
        return Singleton();
      case Node::Kind::kBgp:
        return PlanBgp(n.patterns, {}, graph, bound, Singleton());
      case Node::Kind::kFilter:
        if (n.children[0]->kind == Node::Kind::kBgp) {
          // Filters go right after the scan that binds their last variable.
          return PlanBgp(n.children[0]->patterns, n.exprs, graph, bound,
                         Singleton());
        }
        return std::make_unique<FilterOp>(
            ctx_, Plan(*n.children[0], graph, bound), n.exprs, ev_.get());
      case Node::Kind::kJoin: {
        // A BGP on the right joins by substitution into its scans directly.
        OpPtr left = Plan(*n.children[0], graph, bound);
        std::vector<int> after = bound;
        for (int v : CertainVars(*n.children[0], GraphVar(graph)))
          AddUnique(&after, v);
        const Node& right = *n.children[1];
        if (right.kind == Node::Kind::kBgp)
          return PlanBgp(right.patterns, {}, graph, after, std::move(left));
        if (HashTheRight(right, *left))
          return std::make_unique<HashJoinOp>(
              ctx_, std::move(left), PlanApart(right, graph), GraphVar(graph),
              /*optional=*/false, std::vector<algebra::Expr>{}, ev_.get());
        std::vector<int> rc = CertainVars(right, GraphVar(graph));
        OpPtr r = Plan(right, graph, Intersect(after, rc));
        return std::make_unique<JoinOp>(ctx_, std::move(left), std::move(r),
                                        rc);
      }
      case Node::Kind::kLeftJoin: {
        OpPtr left = Plan(*n.children[0], graph, bound);
        std::vector<int> after = bound;
        for (int v : CertainVars(*n.children[0], GraphVar(graph)))
          AddUnique(&after, v);
        if (HashTheRight(*n.children[1], *left))
          return std::make_unique<HashJoinOp>(
              ctx_, std::move(left), PlanApart(*n.children[1], graph),
              GraphVar(graph), /*optional=*/true, n.exprs, ev_.get());
        std::vector<int> rc = CertainVars(*n.children[1], GraphVar(graph));
        OpPtr r = Plan(*n.children[1], graph, Intersect(after, rc));
        return std::make_unique<LeftJoinOp>(ctx_, std::move(left),
                                            std::move(r), rc, n.exprs,
                                            ev_.get());
      }
      case Node::Kind::kUnion: {
        std::vector<int> ca = CertainVars(*n.children[0], GraphVar(graph));
        std::vector<int> cb = CertainVars(*n.children[1], GraphVar(graph));
        return std::make_unique<UnionOp>(
            ctx_, Plan(*n.children[0], graph, Intersect(bound, ca)),
            Plan(*n.children[1], graph, Intersect(bound, cb)), ca, cb);
      }
      case Node::Kind::kMinus: {
        std::vector<int> pass;
        AddUnique(&pass, GraphVar(graph));
        return std::make_unique<MinusOp>(
            ctx_, Plan(*n.children[0], graph, bound),
            Plan(*n.children[1], graph, pass), GraphVar(graph));
      }
      case Node::Kind::kExtend: {
        std::vector<int> b = bound;
        b.erase(std::remove(b.begin(), b.end(), n.var), b.end());
        return std::make_unique<ExtendOp>(
            ctx_, Plan(*n.children[0], graph, b), n.var, n.exprs[0], ev_.get(),
            VarName(n.var), n.children[0]->kind != Node::Kind::kExtend);
      }
      case Node::Kind::kValues: {
        std::vector<IdRow> rows;
        for (const auto& r : n.rows) {
          IdRow row(width(), kUnbound);
          for (size_t i = 0; i < n.vars.size(); ++i)
            if (r[i]) row[n.vars[i]] = ctx_->Encode(*r[i]);
          rows.push_back(std::move(row));
        }
        auto op = std::make_unique<ValuesOp>(ctx_, std::move(rows));
        op->estimate = n.rows.size();
        return op;
      }
      case Node::Kind::kGraph: {
        GraphSpec inner;
        if (n.graph.is_var()) {
          inner.kind = GraphSpec::Kind::kNamedVar;
          inner.var = n.graph.var;
        } else {
          inner.kind = GraphSpec::Kind::kNamedConst;
          inner.id = ctx_->EncodeConstant(n.graph.term);
          if (inner.id != kAbsent && ctx_->scope.named_restricted &&
              !ctx_->scope.named_set.contains(inner.id))
            inner.id = kAbsent;
        }
        const Node& child = *n.children[0];
        if (HiddenGraphSlot(n)) {
          // Enumerate the named graphs into the hidden slot, run the
          // pattern in each, then join the pattern's own ?g with it.
          const int hidden = n.var;
          inner.var = hidden;
          auto graphs = std::make_unique<NamedGraphsOp>(ctx_, hidden);
          std::vector<int> rc = CertainVars(child, hidden);
          auto join = std::make_unique<JoinOp>(
              ctx_, std::move(graphs), Plan(child, inner, {hidden}), rc);
          return std::make_unique<GraphVarOp>(ctx_, std::move(join),
                                              n.graph.var, hidden,
                                              VarName(n.graph.var));
        }
        bool binds_graph = child.kind == Node::Kind::kBgp &&
                           !child.patterns.empty();
        if (inner.kind == GraphSpec::Kind::kNamedVar && !binds_graph &&
            !Contains(bound, inner.var)) {
          // Enumerate the named graphs first, then run the pattern in each.
          auto graphs = std::make_unique<NamedGraphsOp>(ctx_, inner.var);
          std::vector<int> b = bound;
          AddUnique(&b, inner.var);
          std::vector<int> rc = CertainVars(child, inner.var);
          AddUnique(&rc, inner.var);
          return std::make_unique<JoinOp>(ctx_, std::move(graphs),
                                          Plan(child, inner, b), rc);
        }
        if (inner.kind == GraphSpec::Kind::kNamedConst &&
            child.kind == Node::Kind::kUnit) {
          // GRAPH <g> {}: one empty solution if the graph exists.
          bool exists = inner.id != kAbsent && ctx_->stats->graphs.contains(inner.id);
          if (!exists) return std::make_unique<ValuesOp>(ctx_, std::vector<IdRow>{});
        }
        return Plan(child, inner, bound);
      }
      case Node::Kind::kGroup: {
        // Inside GRAPH ?g the group is per graph: the graph slot is the
        // one binding the seed passes down.
        std::vector<int> pass;
        AddUnique(&pass, GraphVar(graph));
        auto op = std::make_unique<GroupOp>(
            ctx_, Plan(*n.children[0], graph, pass), &n, ev_.get(), pass);
        op->count_runs_ = CountRunsFor(n, graph);
        return op;
      }
      case Node::Kind::kOrderBy: {
        auto k = top_k_.find(&n);
        return std::make_unique<OrderByOp>(
            ctx_, Plan(*n.children[0], graph, bound), n.order, ev_.get(),
            k == top_k_.end() ? std::nullopt
                              : std::optional<uint64_t>(k->second));
      }
      case Node::Kind::kProject: {
        // The graph slot of an enclosing GRAPH ?g passes through.
        std::vector<int> vars = n.vars;
        AddUnique(&vars, GraphVar(graph));
        return std::make_unique<ProjectOp>(
            ctx_, Plan(*n.children[0], graph, Intersect(bound, vars)), vars,
            width());
      }
      case Node::Kind::kDistinct:
      case Node::Kind::kReduced:
        return std::make_unique<DistinctOp>(
            ctx_, Plan(*n.children[0], graph, bound),
            n.kind == Node::Kind::kReduced);
      case Node::Kind::kSlice: {
        // ORDER BY under LIMIT (through a projection, which keeps the row
        // count) only needs the first offset + limit rows sorted.
        const Node* below = n.children[0].get();
        if (below->kind == Node::Kind::kProject) below = below->children[0].get();
        if (below->kind == Node::Kind::kOrderBy && n.limit)
          top_k_[below] = n.offset > UINT64_MAX - *n.limit
                              ? UINT64_MAX
                              : n.offset + *n.limit;
        return std::make_unique<SliceOp>(ctx_, Plan(*n.children[0], graph, {}),
                                         n.offset, n.limit);
      }
    }
    return Singleton();
  }

 private:
  // The right side of a join or OPTIONAL is a subquery when its root,
  // through DISTINCT/REDUCED/ORDER BY, is a projection. It runs apart from
  // the left rows when the chain below (projections, SELECT expressions and
  // aggregate values, HAVING) reaches an aggregation or a LIMIT/OFFSET:
  // those never take bindings from outside (CertainVars is empty for
  // them), so a nested loop would compute the same rows again for every
  // left row.
  static const Node* SubqueryBody(const Node& n) {
    const Node* x = &n;
    while (x->kind == Node::Kind::kDistinct ||
           x->kind == Node::Kind::kReduced || x->kind == Node::Kind::kOrderBy)
      x = x->children[0].get();
    return x->kind == Node::Kind::kProject ? x : nullptr;
  }
  static bool RunsApart(const Node& n) {
    const Node* x = &n;
    while (true) {
      switch (x->kind) {
        case Node::Kind::kGroup:
        case Node::Kind::kSlice:
          return true;
        case Node::Kind::kProject:
        case Node::Kind::kDistinct:
        case Node::Kind::kReduced:
        case Node::Kind::kOrderBy:
        case Node::Kind::kExtend:  // an aggregate's value, a SELECT expression
        case Node::Kind::kFilter:  // HAVING
          x = x->children[0].get();
          continue;
        default:
          return false;
      }
    }
  }
  // Hash join rather than nested loop: always for a right side that runs
  // apart; for another subquery when the left side is expected to give
  // many rows (its bindings would select little each time, and the same
  // values come again: once is cheaper).
  static constexpr double kHashSubqueryMinLeftRows = 100;
  static bool HashTheRight(const Node& right, const Operator& left) {
    if (SubqueryBody(right) == nullptr) return false;
    return RunsApart(right) || left.estimate >= kHashSubqueryMinLeftRows;
  }
  // A right side planned to run without the left rows' bindings (only the
  // graph slot of an enclosing GRAPH ?g passes).
  OpPtr PlanApart(const Node& right, const GraphSpec& graph) {
    std::vector<int> pass;
    AddUnique(&pass, GraphVar(graph));
    return Plan(right, graph, pass);
  }

  static bool Contains(const std::vector<int>& v, int x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }
  static int GraphVar(const GraphSpec& g) {
    return g.kind == GraphSpec::Kind::kNamedVar ? g.var : -1;
  }
  OpPtr Singleton() { return std::make_unique<SingletonOp>(ctx_); }
  std::string VarName(int v) const {
    return names_[v][0] == ' ' ? absl::StrCat("?_", v) : "?" + names_[v];
  }

  Position Resolve(const Slot& s) {
    if (s.is_var()) return {s.var, kUnbound};
    return {-1, ctx_->EncodeConstant(s.term)};
  }

  // Estimated rows of one pattern given the bound variables (from the
  // persisted per-predicate statistics).
  double Estimate(const algebra::Pattern& p, const std::vector<int>& bound) {
    auto is_bound = [&](const Slot& s) {
      return !s.is_var() || Contains(bound, s.var);
    };
    bool sb = is_bound(p.subject), ob = is_bound(p.object);
    double total = std::max<double>(1, ctx_->stats->total_quads);
    if (p.path) {
      if (sb || ob) return 50;
      return total * 10;
    }
    if (!p.predicate.is_var()) {
      TermId pid = ctx_->EncodeConstant(p.predicate.term);
      auto it = ctx_->stats->predicates.find(pid);
      if (pid == kAbsent || it == ctx_->stats->predicates.end()) return 0;
      double q = it->second.quads;
      double ds = std::max<double>(1, it->second.distinct_subjects);
      double dobj = std::max<double>(1, it->second.distinct_objects);
      // Both ends bound: the expected matches of one (s, o) pair.
      if (sb && ob) return std::min(1.0, q / (ds * dobj));
      if (sb) return q / ds;
      if (ob) return q / dobj;
      return q;
    }
    bool pb = is_bound(p.predicate);
    if (sb && ob) return pb ? 1 : 3;
    if (sb || ob) return pb ? 5 : 20;
    return pb ? total / std::max<size_t>(1, ctx_->stats->predicates.size())
              : total;
  }

  // Orders the patterns greedily (cheapest next given what is bound, which
  // favours patterns connected to the bound variables) and chains them as
  // index nested-loop joins on top of `input`.
  OpPtr PlanBgp(const std::vector<algebra::Pattern>& patterns,
                const std::vector<algebra::Expr>& conjunctions, GraphSpec graph,
                std::vector<int> bound, OpPtr input) {
    // FILTER(A && B) keeps a row iff A and B are both true (an error in
    // either drops it), which is FILTER(A) FILTER(B): each conjunct is
    // placed on its own, as soon as its variables are bound.
    std::vector<algebra::Expr> filters;
    std::function<void(const algebra::Expr&)> split =
        [&](const algebra::Expr& e) {
          if (e.kind == algebra::Expr::Kind::kAnd) {
            for (const auto& a : e.args) split(a);
          } else {
            filters.push_back(e);
          }
        };
    for (const auto& f : conjunctions) split(f);
    std::vector<bool> used(patterns.size(), false);
    std::vector<bool> filter_done(filters.size(), false);
    if (graph.kind == GraphSpec::Kind::kNamedVar &&
        Contains(bound, graph.var)) {
      // already bound: scans constrain it
    }
    OpPtr op = std::move(input);
    double rows = 1;
    while (std::find(used.begin(), used.end(), false) != used.end()) {
      size_t best = 0;
      double best_est = -1, best_score = -1;
      for (size_t i = 0; i < patterns.size(); ++i) {
        if (used[i]) continue;
        double e = Estimate(patterns[i], bound);
        double lookahead = 1;
        if (e > 1) {
          // One step of lookahead: a pattern that fans out is worth it when
          // the variables it binds make another pattern selective (a join
          // that filters), not when they only feed more fan-out.
          std::vector<int> after = bound;
          for (const Slot* sl : {&patterns[i].subject, &patterns[i].predicate,
                                 &patterns[i].object})
            if (sl->is_var()) AddUnique(&after, sl->var);
          double next = 1;
          for (size_t j = 0; j < patterns.size(); ++j) {
            if (j == i || used[j]) continue;
            bool uses_new = false;
            for (const Slot* sl : {&patterns[j].subject, &patterns[j].predicate,
                                   &patterns[j].object})
              if (sl->is_var() && !Contains(bound, sl->var) &&
                  Contains(after, sl->var))
                uses_new = true;
            if (uses_new) next = std::min(next, Estimate(patterns[j], after));
          }
          lookahead = std::max(next, 0.01);
        }
        bool connected = false;
        for (const Slot* s : {&patterns[i].subject, &patterns[i].predicate,
                              &patterns[i].object})
          if (s->is_var() && Contains(bound, s->var)) connected = true;
        if (!connected && !bound.empty()) e *= 1000;  // avoid cross products
        // A range FILTER on the object makes a predicate scan selective.
        const algebra::Pattern& cand = patterns[i];
        if (!cand.path && !cand.predicate.is_var() && cand.object.is_var() &&
            !Contains(bound, cand.object.var) &&
            (!cand.subject.is_var() || !Contains(bound, cand.subject.var)) &&
            ObjectRangeFor(cand.object.var, filters))
          e *= 0.05;
        // Chosen by rows after this pattern and the most selective one it
        // enables; near-ties go to the pattern that produces fewer rows
        // itself (less work for the same result).
        double score = e * lookahead;
        if (best_est < 0 || score < best_score * 0.9 ||
            (score <= best_score * 1.1 && e < best_est)) {
          best_est = e;
          best_score = score;
          best = i;
        }
      }
      used[best] = true;
      const algebra::Pattern& p = patterns[best];
      Position pos[3] = {Resolve(p.subject), Resolve(p.predicate),
                         Resolve(p.object)};
      std::string text = absl::StrCat(SlotText(*ctx_, p.subject, names_), " ",
                                      p.path ? "<path>"
                                             : SlotText(*ctx_, p.predicate, names_),
                                      " ", SlotText(*ctx_, p.object, names_));
      if (graph.kind == GraphSpec::Kind::kNamedVar)
        absl::StrAppend(&text, "  graph=", VarName(graph.var));
      if (graph.kind == GraphSpec::Kind::kNamedConst)
        absl::StrAppend(&text, "  graph=(constant)");
      if (p.path) {
        // A constant end the store lacks still matches a zero-length path
        // to itself, so it gets a (temporary) id rather than kAbsent.
        for (int k : {0, 2}) {
          const Slot& end = k == 0 ? p.subject : p.object;
          if (!end.is_var()) pos[k].id = ctx_->Encode(end.term);
        }
        PathIds ids = ResolvePath(*p.path);
        op = std::make_unique<PathOp>(ctx_, std::move(op), pos[0], std::move(ids),
                                      pos[2], graph, text);
      } else if (auto closers = ClosingPatterns(patterns, best, used, graph,
                                                bound);
                 !closers.empty()) {
        // Patterns that close a cycle through the variable this one binds
        // join it by intersection (worst-case-optimal step).
        const bool subj = p.subject.is_var() && !Contains(bound, p.subject.var);
        const int v = subj ? p.subject.var : p.object.var;
        std::vector<IntersectScanOp::Part> parts;
        std::string desc = VarName(v) + ": " + text;
        std::vector<int> with_v = bound;
        AddUnique(&with_v, v);
        for (size_t j : closers) {
          used[j] = true;
          const algebra::Pattern& c = patterns[j];
          best_est *= std::min(1.0, Estimate(c, with_v));
          absl::StrAppend(&desc, " ∩ ", SlotText(*ctx_, c.subject, names_),
                          " ", SlotText(*ctx_, c.predicate, names_), " ",
                          SlotText(*ctx_, c.object, names_));
        }
        for (size_t j : closers) parts.push_back(PartOf(patterns[j], v));
        parts.insert(parts.begin(), PartOf(p, v));
        op = std::make_unique<IntersectScanOp>(ctx_, std::move(op), v,
                                               std::move(parts), desc);
        for (size_t j : closers)
          for (const Slot* sl : {&patterns[j].subject, &patterns[j].object})
            if (sl->is_var()) AddUnique(&bound, sl->var);
      } else {
        auto scan = std::make_unique<ScanOp>(ctx_, std::move(op), pos, graph,
                                             text);
        unsigned mask = 0;
        if (!p.subject.is_var() || Contains(bound, p.subject.var)) mask |= 1;
        if (!p.predicate.is_var() || Contains(bound, p.predicate.var)) mask |= 2;
        if (!p.object.is_var() || Contains(bound, p.object.var)) mask |= 4;
        if (graph.kind == GraphSpec::Kind::kNamedConst ||
            (graph.kind == GraphSpec::Kind::kNamedVar &&
             Contains(bound, graph.var)) ||
            (graph.kind == GraphSpec::Kind::kDefault &&
             ctx_->scope.default_kind == GraphScope::DefaultKind::kStoreDefault))
          mask |= 8;
        scan->last_mask_ = mask;
        if ((mask & 7) == 2 && p.object.is_var()) {
          scan->range_ = ObjectRangeFor(p.object.var, filters);
          if (scan->range_) best_est *= 0.3;
        }
        op = std::move(scan);
      }
      rows *= std::max(best_est, 0.001);
      op->estimate = rows;
      for (const Slot* s : {&p.subject, &p.predicate, &p.object})
        if (s->is_var()) AddUnique(&bound, s->var);
      if (graph.kind == GraphSpec::Kind::kNamedVar) AddUnique(&bound, graph.var);
      // Push each filter whose variables are now all bound.
      std::vector<algebra::Expr> ready;
      for (size_t f = 0; f < filters.size(); ++f) {
        if (filter_done[f]) continue;
        std::vector<int> vars;
        bool exists = false;
        CollectVars(filters[f], &vars, &exists);
        bool all = !exists;
        for (int v : vars)
          if (!Contains(bound, v)) all = false;
        if (all) {
          ready.push_back(filters[f]);
          filter_done[f] = true;
        }
      }
      if (!ready.empty()) {
        op = std::make_unique<FilterOp>(ctx_, std::move(op), std::move(ready),
                                        ev_.get());
        rows *= 0.5;
        op->estimate = rows;
      }
    }
    std::vector<algebra::Expr> rest;
    for (size_t f = 0; f < filters.size(); ++f)
      if (!filter_done[f]) rest.push_back(filters[f]);
    if (!rest.empty()) {
      op = std::make_unique<FilterOp>(ctx_, std::move(op), std::move(rest),
                                      ev_.get());
      op->estimate = rows * 0.5;
    }
    return op;
  }

  // The shape GroupOp::CountRuns answers from an adjacency, if `n` is it:
  // GROUP BY ?k over one pattern ?s <p> ?o (in the store's default graph or
  // the union of all graphs) with ?k one of its ends and only non-DISTINCT
  // COUNT(*) / COUNT(?s) / COUNT(?o).
  std::optional<GroupOp::CountRuns> CountRunsFor(const Node& n,
                                                 const GraphSpec& graph) {
    using K = algebra::Expr::Kind;
    if (graph.kind != GraphSpec::Kind::kDefault ||
        ctx_->scope.default_kind == GraphScope::DefaultKind::kSet)
      return std::nullopt;
    const Node& child = *n.children[0];
    if (child.kind != Node::Kind::kBgp || child.patterns.size() != 1 ||
        n.group_exprs.size() != 1 || n.group_exprs[0].kind != K::kVar ||
        n.aggregates.empty())
      return std::nullopt;
    const algebra::Pattern& p = child.patterns[0];
    if (p.path || p.predicate.is_var() || !p.subject.is_var() ||
        !p.object.is_var() || p.subject.var == p.object.var)
      return std::nullopt;
    const int key = n.group_exprs[0].var;
    if (key != p.subject.var && key != p.object.var) return std::nullopt;
    for (const auto& a : n.aggregates) {
      if (a.name != "COUNT" || a.distinct) return std::nullopt;
      if (!a.star && (!a.arg || a.arg->kind != K::kVar ||
                      (a.arg->var != p.subject.var &&
                       a.arg->var != p.object.var)))
        return std::nullopt;
    }
    GroupOp::CountRuns runs;
    runs.predicate = ctx_->EncodeConstant(p.predicate.term);
    if (runs.predicate == kAbsent) return std::nullopt;
    runs.key_is_subject = key == p.subject.var;
    return runs;
  }

  // A pattern that can take part in an intersection on variable `v`:
  // constant predicate, no path, `v` at exactly one end and the other end
  // known (a constant, or a variable in `bound`).
  bool Intersectable(const algebra::Pattern& p, int v,
                     const std::vector<int>& bound) {
    if (p.path || p.predicate.is_var()) return false;
    const bool s_is_v = p.subject.is_var() && p.subject.var == v;
    const bool o_is_v = p.object.is_var() && p.object.var == v;
    if (s_is_v == o_is_v) return false;
    const Slot& other = s_is_v ? p.object : p.subject;
    return !other.is_var() || Contains(bound, other.var);
  }
  // The unused patterns that close a cycle through the variable pattern
  // `best` binds (see IntersectScanOp), when `best` can generate it.
  std::vector<size_t> ClosingPatterns(
      const std::vector<algebra::Pattern>& patterns, size_t best,
      const std::vector<bool>& used, const GraphSpec& graph,
      const std::vector<int>& bound) {
    if (graph.kind != GraphSpec::Kind::kDefault ||
        ctx_->scope.default_kind == GraphScope::DefaultKind::kSet)
      return {};
    const algebra::Pattern& p = patterns[best];
    const bool s_new = p.subject.is_var() && !Contains(bound, p.subject.var);
    const bool o_new = p.object.is_var() && !Contains(bound, p.object.var);
    if (s_new == o_new) return {};
    const int v = s_new ? p.subject.var : p.object.var;
    if (!Intersectable(p, v, bound)) return {};
    std::vector<size_t> out;
    for (size_t j = 0; j < patterns.size(); ++j)
      if (j != best && !used[j] && Intersectable(patterns[j], v, bound))
        out.push_back(j);
    return out;
  }
  IntersectScanOp::Part PartOf(const algebra::Pattern& p, int v) {
    IntersectScanOp::Part part;
    part.predicate = ctx_->EncodeConstant(p.predicate.term);
    part.var_is_subject = p.subject.is_var() && p.subject.var == v;
    part.other = Resolve(part.var_is_subject ? p.object : p.subject);
    return part;
  }

  // Records the graph the EXISTS patterns in `n`'s expressions run in.
  void NoteExistsGraph(const Node& n, const GraphSpec& graph) {
    std::function<void(const algebra::Expr&)> walk =
        [&](const algebra::Expr& e) {
          if (e.pattern) exists_graph_[e.pattern.get()] = graph;
          for (const auto& a : e.args) walk(a);
        };
    for (const auto& e : n.exprs) walk(e);
    for (const auto& e : n.group_exprs) walk(e);
    for (const auto& a : n.aggregates)
      if (a.arg) walk(*a.arg);
    for (const auto& k : n.order) walk(k.expr);
  }

  // The range the FILTERs' top-level conjuncts ?o < c, ?o >= c, c > ?o ...
  // put on variable `var`, for constants with an order-preserving inline
  // encoding: numbers (xsd:integer and xsd:decimal constants bound the
  // object's value across both inline tags) or dates. Only constants of the
  // first kind found are used.
  static std::optional<ScanOp::ObjectRange> ObjectRangeFor(
      int var, const std::vector<algebra::Expr>& filters) {
    using K = algebra::Expr::Kind;
    enum class Kind { kNone, kNumber, kDate } kind = Kind::kNone;
    std::optional<__int128> num_lo, num_hi;
    std::optional<TermId> date_lo, date_hi;
    std::function<void(const algebra::Expr&)> visit =
        [&](const algebra::Expr& e) {
          if (e.kind == K::kAnd) {
            for (const auto& a : e.args) visit(a);
            return;
          }
          if (e.kind != K::kLt && e.kind != K::kLe && e.kind != K::kGt &&
              e.kind != K::kGe)
            return;
          if (e.args.size() != 2) return;
          const algebra::Expr *v = &e.args[0], *c = &e.args[1];
          bool upper = e.kind == K::kLt || e.kind == K::kLe;  // ?o < c
          if (v->kind == K::kConstant && c->kind == K::kVar) {
            std::swap(v, c);
            upper = !upper;  // c < ?o is ?o > c
          }
          if (v->kind != K::kVar || v->var != var || c->kind != K::kConstant)
            return;
          auto id = TryInline(c->term);
          if (!id) return;
          if (auto scaled = InlineNumericScaled(*id)) {
            if (kind == Kind::kDate) return;
            kind = Kind::kNumber;
            // Inclusive bounds: the FILTER stays and decides strictness.
            auto& b = upper ? num_hi : num_lo;
            if (!b || (upper ? *scaled < *b : *scaled > *b)) b = *scaled;
          } else if (TagOf(*id) == TermTag::kInlineDate) {
            if (kind == Kind::kNumber) return;
            kind = Kind::kDate;
            auto& b = upper ? date_hi : date_lo;
            if (!b || (upper ? *id < *b : *id > *b)) b = *id;
          }
        };
    for (const auto& f : filters) visit(f);
    if (kind == Kind::kNone) return std::nullopt;
    ScanOp::ObjectRange range;
    if (kind == Kind::kDate) {
      ScanOp::ObjectRange::Part part{TermTag::kInlineDate};
      part.lo = date_lo.value_or(MakeId(TermTag::kInlineDate, 0));
      part.hi = date_hi.value_or(MakeId(TermTag::kInlineDate, kPayloadMask));
      part.empty = part.lo > part.hi;
      range.parts.push_back(part);
      return range;
    }
    for (TermTag tag : {TermTag::kInlineInteger, TermTag::kInlineDecimal}) {
      ScanOp::ObjectRange::Part part{tag};
      part.empty =
          !InlineNumericIdRange(tag, num_lo, num_hi, &part.lo, &part.hi);
      range.parts.push_back(part);
    }
    return range;
  }

  static void CollectVars(const algebra::Expr& e, std::vector<int>* out,
                          bool* has_exists) {
    if (e.kind == algebra::Expr::Kind::kVar) AddUnique(out, e.var);
    if (e.kind == algebra::Expr::Kind::kExists ||
        e.kind == algebra::Expr::Kind::kNotExists)
      *has_exists = true;
    // BOUND(?x) must see ?x unbound when it is: not pushed below its scan
    // either way, since all variables are bound when pushed.
    for (const auto& a : e.args) CollectVars(a, out, has_exists);
  }

  PathIds ResolvePath(const algebra::Path& p) {
    PathIds out;
    out.kind = p.kind;
    if (p.kind == ast::Path::Kind::kIri) out.iri = ctx_->EncodeConstant(p.iri);
    for (const auto& c : p.children) out.children.push_back(ResolvePath(c));
    for (const auto& [iri, inv] : p.negated)
      out.negated.emplace_back(ctx_->EncodeConstant(iri), inv);
    return out;
  }

  Context* ctx_;
  const std::vector<std::string>& names_;
  absl::flat_hash_map<const Node*, GraphSpec> exists_graph_;
  // ORDER BY nodes under a LIMIT: how many rows of their order are read.
  absl::flat_hash_map<const Node*, uint64_t> top_k_;
  std::unique_ptr<Evaluator> ev_;
};

// ---- running a query ----------------------------------------------------------

absl::Status SetUpContext(Context* ctx, std::shared_ptr<QuadSource> source,
                          std::shared_ptr<const StoreStatistics> stats,
                          const algebra::Dataset& dataset,
                          const QueryOptions& options) {
  ctx->source = std::move(source);
  ctx->stats = std::move(stats);
  ctx->options = options;
  if (options.timeout_ms > 0)
    ctx->deadline =
        Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  auto now = std::chrono::system_clock::now();
  ctx->fn.now_time = now;
  ctx->fn.now.clear();
  ctx->fn.rand_state ^= static_cast<uint64_t>(now.time_since_epoch().count());

  GraphScope& sc = ctx->scope;
  if (dataset.has_from) {
    sc.default_kind = GraphScope::DefaultKind::kSet;
    for (const Term& g : dataset.default_graphs) {
      TermId id = ctx->EncodeConstant(g);
      if (id != kAbsent) sc.default_set.insert(id);
    }
    sc.named_restricted = true;
    for (const Term& g : dataset.named_graphs) {
      TermId id = ctx->EncodeConstant(g);
      if (id != kAbsent && sc.named_set.insert(id).second)
        sc.named_list.push_back(id);
    }
  } else {
    sc.default_kind = options.strict_dataset
                          ? GraphScope::DefaultKind::kStoreDefault
                          : GraphScope::DefaultKind::kUnionAll;
    for (const auto& [g, n] : ctx->stats->graphs)
      if (g != kDefaultGraph) sc.named_list.push_back(g);
    std::sort(sc.named_list.begin(), sc.named_list.end());
  }
  return ctx->status;
}

std::string ExplainTree(const Operator* op, bool profile, int depth) {
  std::string line = std::string(2 * depth, ' ') + op->Describe();
  absl::StrAppend(&line, "  est=", absl::StrFormat("%.0f", op->estimate));
  if (profile)
    absl::StrAppend(&line, "  rows=", op->rows(), "  opens=", op->opens(),
                    absl::StrFormat("  time=%.3fms", op->millis()));
  line += "\n";
  for (const Operator* c : op->Children())
    line += ExplainTree(c, profile, depth + 1);
  return line;
}

// The QueryResult behind Database::Query.
class ExecResult : public QueryResult {
 public:
  absl::Status Init(std::shared_ptr<QuadSource> source,
                    std::shared_ptr<const StoreStatistics> stats,
                    std::shared_ptr<const algebra::Query> q,
                    const QueryOptions& options, bool profile,
                    bool run = true) {
    query_ = std::move(q);
    ctx_.profile = profile;
    absl::Status s = SetUpContext(&ctx_, std::move(source), std::move(stats),
                                  query_->dataset, options);
    if (!s.ok()) return s;
    if (!query_->base.empty()) ctx_.options.base_iri = query_->base;
    planner_ = std::make_unique<Planner>(&ctx_, query_->var_names);
    root_ = planner_->Plan(*query_->root, GraphSpec{}, {});
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
    IdRow r;
    if (!root_->Next(&r)) {
      if (!ctx_.ok()) return ctx_.status;
      return false;
    }
    row->assign(query_->projection.size(), std::nullopt);
    for (size_t i = 0; i < query_->projection.size(); ++i)
      (*row)[i] = ctx_.Decode(r[query_->projection[i]]);
    if (!ctx_.ok()) return ctx_.status;
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
  Context& context() { return ctx_; }
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
      if (seen_.insert(q.ToNQuads()).second) pending_.push_back(std::move(q));
    }
  }

  void Describe(const IdRow& r) {
    for (const auto& slot : query_->describe) {
      TermId id = slot.is_var() ? r[slot.var] : ctx_.EncodeConstant(slot.term);
      if (id == kUnbound || id == kAbsent || TagOf(id) == kTempTag) continue;
      if (!described_.insert(id).second) continue;
      QuadIds q;
      q.s = id;
      auto it = ctx_.source->Scan(q, 1);
      for (; it->Valid(); it->Next()) {
        auto s = ctx_.Decode(it->quad().s);
        auto p = ctx_.Decode(it->quad().p);
        auto o = ctx_.Decode(it->quad().o);
        if (!s || !p || !o) continue;
        Quad t{*s, *p, *o, std::nullopt};
        if (seen_.insert(t.ToNQuads()).second) pending_.push_back(std::move(t));
      }
    }
    // DESCRIBE without WHERE has one empty solution: constants only.
  }

  // Shared with the query cache: read only.
  std::shared_ptr<const algebra::Query> query_;
  Context ctx_;
  std::unique_ptr<Planner> planner_;
  OpPtr root_;
  std::vector<std::string> variables_;
  bool boolean_ = false;
  std::vector<Quad> pending_;
  size_t pending_pos_ = 0;
  absl::flat_hash_set<std::string> seen_;
  absl::flat_hash_set<TermId> described_;
  uint64_t blank_counter_ = 0;
};

}  // namespace

std::unique_ptr<QuadSource> SourceFromView(std::shared_ptr<ReadView> view) {
  return std::make_unique<ViewSource>(std::move(view));
}
std::unique_ptr<QuadSource> SourceFromTxn(WriteTxn* txn) {
  return std::make_unique<TxnSource>(txn);
}

absl::StatusOr<std::unique_ptr<QueryResult>> ExecuteQuery(
    std::shared_ptr<QuadSource> source,
    std::shared_ptr<const StoreStatistics> stats,
    std::shared_ptr<const algebra::Query> query, const QueryOptions& options) {
  auto result = std::make_unique<ExecResult>();
  absl::Status s = result->Init(std::move(source), std::move(stats),
                                std::move(query), options,
                                /*profile=*/false);
  if (!s.ok()) return s;
  return std::unique_ptr<QueryResult>(std::move(result));
}

absl::StatusOr<std::string> ExplainQuery(
    std::shared_ptr<QuadSource> source,
    std::shared_ptr<const StoreStatistics> stats,
    std::shared_ptr<const algebra::Query> query, const QueryOptions& options,
    bool profile) {
  auto result = std::make_unique<ExecResult>();
  auto start = Clock::now();
  absl::Status s = result->Init(std::move(source), std::move(stats),
                                std::move(query), options,
                                profile, /*run=*/profile);
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
    std::shared_ptr<QuadSource> source,
    std::shared_ptr<const StoreStatistics> stats,
    const std::shared_ptr<algebra::Node>& pattern, size_t num_vars,
    const algebra::Dataset& dataset, const QueryOptions& options) {
  Context ctx;
  absl::Status s = SetUpContext(&ctx, std::move(source), std::move(stats),
                                dataset, options);
  if (!s.ok()) return s;
  std::vector<std::string> names(num_vars, "v");
  Planner planner(&ctx, names);
  OpPtr root = planner.Plan(*pattern, GraphSpec{}, {});
  root->Open(IdRow(num_vars, kUnbound));
  std::vector<std::vector<std::optional<Term>>> out;
  IdRow r;
  while (root->Next(&r)) {
    std::vector<std::optional<Term>> row(num_vars);
    for (size_t i = 0; i < num_vars; ++i) row[i] = ctx.Decode(r[i]);
    out.push_back(std::move(row));
  }
  if (!ctx.ok()) return ctx.status;
  return out;
}

}  // namespace kg
