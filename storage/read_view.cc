// ReadView: snapshot reads of the dictionary and the indexes, with the
// in-memory adjacencies (and the demand that decides when to build them)
// and the probe cache in front.

#include "storage/read_view.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "storage/quad_iterators.h"
#include "storage/store.h"

namespace kg {

// What CountObjectRuns costs per quad (it steps keys without decoding
// them; bench/RESULTS.md, "First runs at 10M: degree counts from posg's
// keys, ...", session 15).
constexpr double kRunRowNs = 20;

ReadView::ReadView(const Store* store)
    : store_(store), next_id_(store->next_id()) {
  snapshot_ = store->kv()->GetSnapshot();
  // After the snapshot: a load sets the flag before it ingests its blocks,
  // so a snapshot that can see them finds the flag set. (Read before, the
  // flag could predate a load that the snapshot then sees.)
  blocks_ = store->has_blocks();
  sequence_ = snapshot_->sequence();
}

absl::StatusOr<std::shared_ptr<const StoreStatistics>> ReadView::Statistics()
    const {
  if (statistics_ == nullptr)
    statistics_ = store_->StatisticsAtSequence(sequence_);
  if (statistics_ == nullptr) {
    auto stats = Store::ReadStatistics(*store_->kv(),
                                       KvReadOptions::At(snapshot_.get()));
    if (!stats.ok()) return stats.status();
    statistics_ = std::make_shared<const StoreStatistics>(*std::move(stats));
  }
  return statistics_;
}

ReadView::~ReadView() {
  for (auto& pool : pool_) pool.clear();  // before the snapshot goes
}

absl::Status ReadView::MissingTerm(TermId id) const {
  // An id the store handed out always has its entry: without it the
  // store is damaged (a query must not read that as "no such term").
  if (PayloadOf(id) < next_id_)
    return absl::DataLossError(absl::StrCat("the store is damaged: term id ",
                                            absl::Hex(id),
                                            " is not in the dictionary"));
  return absl::NotFoundError(
      absl::StrCat("term id ", absl::Hex(id), " is not in the dictionary"));
}

absl::StatusOr<Term> ReadView::Resolve(TermId id) const {
  Term term;
  if (IsInline(id)) {
    if (!DecodeInline(id, &term))
      return absl::DataLossError(absl::StrCat("bad inline id ", absl::Hex(id)));
    return term;
  }
  if (TagOf(id) == TermTag::kBlankNode)
    return Term::BlankNode(Store::BlankLabel(id));
  if (id == kDefaultGraph)
    return absl::InvalidArgumentError("the default graph has no term");
  if (store_->term_cache()->Get(id, &term)) return term;
  char buf[kMaxEncodedIdSize];
  size_t n = EncodeId(id, buf);
  std::string value;
  auto found = store_->kv()->Get(snapshot_.get(), KeySpace::kId2Term,
                                 std::string_view(buf, n), &value);
  if (!found.ok()) return WithContext(found.status(), "dictionary lookup");
  if (!*found) return MissingTerm(id);
  if (!DeserializeTerm(value, &term))
    return absl::DataLossError(
        absl::StrCat("malformed dictionary entry for id ", absl::Hex(id)));
  store_->term_cache()->Put(id, term);
  return term;
}

absl::Status ReadView::ResolveMany(absl::Span<const TermId> ids,
                                   std::vector<Term>* terms) const {
  terms->resize(ids.size());
  // What neither the id nor the term cache answers: (id, position).
  std::vector<std::pair<TermId, size_t>> misses;
  for (size_t i = 0; i < ids.size(); ++i) {
    const TermId id = ids[i];
    if (IsInline(id) || TagOf(id) == TermTag::kBlankNode ||
        id == kDefaultGraph) {  // no dictionary entry: Resolve says
      auto t = Resolve(id);
      if (!t.ok()) return t.status();
      (*terms)[i] = *std::move(t);
      continue;
    }
    if (store_->term_cache()->Get(id, &(*terms)[i])) continue;
    misses.emplace_back(id, i);
  }
  if (misses.empty()) return absl::OkStatus();
  std::sort(misses.begin(), misses.end());
  // One cursor over the dictionary in id order: an id one entry past the
  // previous one is a Next (terms met together got their ids together, so
  // a batch's ids often are), any other a Seek, which RocksDB answers
  // from the current block when that holds the key. (A MultiGet was
  // slower: it searched the index and the filter once per key; q10 at
  // 10M decoded its rows in ~730 ms against ~450.)
  auto it = store_->kv()->NewIterator(KeySpace::kId2Term,
                                      KvReadOptions::At(snapshot_.get()));
  for (size_t k = 0; k < misses.size(); ++k) {
    const auto [id, pos] = misses[k];
    if (k > 0 && misses[k - 1].first == id) {
      (*terms)[pos] = (*terms)[misses[k - 1].second];
      continue;
    }
    char buf[kMaxEncodedIdSize];
    const std::string_view target(buf, EncodeId(id, buf));
    if (it->Valid() && it->key() < target) {
      it->Next();
      if (it->Valid() && it->key() < target) it->Seek(target);
    } else if (!it->Valid() || it->key() != target) {
      it->Seek(target);
    }
    if (!it->status().ok())
      return WithContext(it->status(), "dictionary lookup");
    if (!it->Valid() || it->key() != target) return MissingTerm(id);
    Term& term = (*terms)[pos];
    if (!DeserializeTerm(it->value(), &term))
      return absl::DataLossError(
          absl::StrCat("malformed dictionary entry for id ", absl::Hex(id)));
    store_->term_cache()->Put(id, term);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<TermId>> ReadView::Lookup(const Term& term) const {
  if (auto inl = TryInline(term)) return inl;
  if (term.is_blank()) {
    auto id = Store::ParseBlankLabel(term.lexical);
    if (id && PayloadOf(*id) < store_->next_id()) return id;
    return std::optional<TermId>();
  }
  std::string serialized;
  SerializeTerm(term, &serialized);
  return LookupSerialized(serialized);
}

absl::StatusOr<std::optional<TermId>> ReadView::LookupSerialized(
    std::string_view serialized) const {
  const std::string key = Store::TermHashKey(serialized);
  TermId id;
  // A cached id is only used when this snapshot can see it: a term
  // committed later has an id at or above next_id_.
  if (store_->term_cache()->GetId(key, &id) && PayloadOf(id) < next_id_)
    return std::optional<TermId>(id);
  std::string value;
  auto found =
      store_->kv()->Get(snapshot_.get(), KeySpace::kTerm2Id, key, &value);
  if (!found.ok()) return WithContext(found.status(), "dictionary lookup");
  if (!*found) return std::optional<TermId>();
  std::string_view v(value);
  if (!DecodeId(&v, &id))
    return absl::DataLossError("malformed term2id entry");
  store_->term_cache()->PutId(key, id);
  return std::optional<TermId>(id);
}

std::unique_ptr<QuadIdIterator> ReadView::Scan(const QuadIds& pattern,
                                               unsigned bound_mask) const {
  if (bound_mask & 2) {
    if (auto adj = AdjacencyFor(pattern.p, bound_mask))
      return PredicateAdjacency::Scan(std::move(adj), pattern, bound_mask);
  }
  ProbeCache* probes = store_->probe_cache();
  if ((bound_mask & 5) != 0 && probes->enabled()) {
    // A probe by subject or object: its answer is usually a few quads.
    const ProbeCache::ProbeKey key = ProbeCache::Key(pattern, bound_mask);
    if (ProbeCache::Rows rows = probes->Find(sequence_, key)) {
      // Charged as the RocksDB scan it replaces: the cache changes no
      // decision of when an adjacency is built (one serves a predicate's
      // probes several times faster still), it only makes the wait cheap.
      if (bound_mask & 2) NoteScanCost(pattern.p, rows->size());
      return std::make_unique<CachedProbeIterator>(std::move(rows));
    }
    auto it = ScanIndexes(pattern, bound_mask);
    if ((bound_mask & 7) == 7) {
      // S, P and O bound: at most one quad per graph, and the caller often
      // only asks whether there is one, never reading to the end: read it
      // all now, so that the cache gets it.
      std::vector<QuadIds> rows;
      for (; it->Valid() && rows.size() <= ProbeCache::kMaxRows; it->Next())
        rows.push_back(it->quad());
      if (!it->status().ok()) return it;
      if (!it->Valid())
        return std::make_unique<CachedProbeIterator>(
            probes->Insert(sequence_, key, std::move(rows)));
      return ScanIndexes(pattern, bound_mask);  // in > kMaxRows graphs
    }
    return std::make_unique<RecordingIterator>(std::move(it), probes,
                                               sequence_, key);
  }
  return ScanIndexes(pattern, bound_mask);
}

std::shared_ptr<const PredicateAdjacency> ReadView::AdjacencyForProbes(
    TermId predicate, unsigned /*bound_mask: any shape with P bound*/,
    double probes, double rows) const {
  AdjacencyCache* cache = store_->adjacency_cache();
  if (cache->budget_bytes() == 0) return nullptr;
  PredicateStats ps;
  {
    std::lock_guard<std::mutex> l(memo_mu_);
    auto memo = adjacency_.find(predicate);
    if (memo != adjacency_.end()) return memo->second;
    if (auto adj = cache->Find(predicate, sequence_)) {
      adjacency_.emplace(predicate, adj);
      return adj;
    }
    auto st = predicate_stats_.find(predicate);
    if (st == predicate_stats_.end())
      st = predicate_stats_.emplace(predicate, store_->StatisticsOf(predicate))
               .first;
    ps = st->second;
  }
  if (ps.quads == 0) return nullptr;
  // Build once the time finished RocksDB scans of the predicate took
  // (NoteScanCost) reaches the time a build takes: a scan of the
  // predicate, a sort and two hash indexes.
  const size_t bytes = PredicateAdjacency::EstimateBytes(
      ps.quads, ps.distinct_subjects + ps.distinct_objects);
  const double build_ns = kBuildNsPerQuad * static_cast<double>(ps.quads);
  const double forecast_ns = probes * kSeekNs + rows * kRowNs;
  if (!cache->Wanted(predicate,
                     forecast_ns >= build_ns ? kTrustedShare * build_ns
                                             : build_ns,
                     bytes))
    return nullptr;
  // Wanted claimed the build: Insert (in BuildAdjacency) ends the claim,
  // and otherwise this does, on every way out (an error, an exception).
  bool inserted = false;
  absl::Cleanup release = [&] {
    if (!inserted) cache->ResetDemand(predicate);
  };
  auto built = BuildAdjacency(predicate);
  if (!built.ok()) return nullptr;  // the RocksDB scan reports the error
  inserted = true;
  return *built;
}

absl::StatusOr<std::shared_ptr<const PredicateAdjacency>>
ReadView::BuildAdjacency(TermId predicate, const std::atomic<bool>* cancel,
                         bool memoize) const {
  static const bool trace = getenv("KG_TRACE_ADJACENCY") != nullptr;
  const auto start = std::chrono::steady_clock::now();
  QuadIds p;
  p.p = predicate;
  // A cursor of its own that leaves the block cache alone: the build reads
  // each of the predicate's blocks once, and the adjacency answers what
  // would read them again (cached, they evicted the blocks that queries
  // running meanwhile, or next, read: the warm-up's builds made the first
  // queries after an open several times slower).
  const ScanPlan plan = PlanScan(p, 2);
  std::string prefix;
  EncodePrefix(plan.perm, p, plan.prefix_mask, &prefix);
  auto scan = std::make_unique<PrefixQuadIterator>(plan.perm, std::move(prefix),
                                                   plan.default_graph_only);
  scan->Start([&](std::string_view upper_bound) {
    return NewCursor(plan.perm, upper_bound, /*fill_cache=*/false);
  });
  std::unique_ptr<QuadIdIterator> it = std::move(scan);
  if (cancel) it = std::make_unique<CancellableIterator>(std::move(it), cancel);
  const PredicateStats ps = store_->StatisticsOf(predicate);
  auto built = PredicateAdjacency::Build(
      predicate, *it,
      {.quads = ps.quads,
       .subjects = ps.distinct_subjects,
       .objects = ps.distinct_objects});
  if (!built.ok()) return built.status();
  store_->adjacency_cache()->Insert(sequence_, *built);
  if (memoize) {
    std::lock_guard<std::mutex> l(memo_mu_);
    adjacency_.emplace(predicate, *built);
  }
  if (trace) {
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    fprintf(stderr,
            "kg: adjacency of predicate %llx: %llu quads, %.1f MiB, %.1f ms "
            "(%.0f ns/quad)\n",
            static_cast<unsigned long long>(predicate),
            static_cast<unsigned long long>((*built)->quads()),
            (*built)->bytes() / 1048576.0, ms,
            ms * 1e6 / std::max<uint64_t>(1, (*built)->quads()));
  }
  return *built;
}

void ReadView::NoteScanCost(TermId predicate, uint64_t rows) const {
  store_->adjacency_cache()->AddDemand(
      predicate, kSeekNs + kRowNs * static_cast<double>(rows));
}

std::unique_ptr<QuadIdIterator> ReadView::ScanIndexes(const QuadIds& pattern,
                                                      unsigned bound_mask,
                                                      bool charge) const {
  const ScanPlan plan = PlanScan(pattern, bound_mask);
  const Permutation perm = plan.perm;
  std::string prefix;
  EncodePrefix(perm, pattern, plan.prefix_mask, &prefix);
  const bool charge_predicate = charge && (bound_mask & 2) != 0;
  if (plan.prefix_mask == 15) {
    if (charge_predicate) NoteScanCost(pattern.p, 0);
    auto held = Holds(perm, prefix);
    if (!held.ok())
      return std::make_unique<PointIterator>(pattern, false, held.status());
    return std::make_unique<PointIterator>(pattern, *held, absl::OkStatus());
  }
  std::string upper = PrefixSuccessor(prefix);
  auto it = std::make_unique<PooledIterator>(
      this, perm, std::move(prefix), std::move(upper), plan.default_graph_only);
  if (charge_predicate) it->ChargeTo(pattern.p);
  return it;
}

absl::StatusOr<bool> ReadView::CountObjectRuns(
    TermId predicate, bool store_default_only, ObjectRunFn f,
    absl::FunctionRef<bool()> keep_going) const {
  char buf[kMaxEncodedIdSize];
  const std::string prefix(buf, EncodeId(predicate, buf));
  std::unique_ptr<IndexCursor> cursor = Borrow(Permutation::kPOSG);
  cursor->Seek(prefix);
  // posg keys are p o s g, each id a header byte (tag << 3 | n) and n
  // payload bytes: the object's bytes are compared, not decoded, from one
  // key to the next, and the graph is the default one exactly when its
  // header byte is 0 (tag 0, no payload).
  // Short byte strings: compared inline (a call to memcmp per key cost
  // more than the rest of the loop).
  auto same = [](const char* a, const char* b, size_t n) {
    for (size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  };
  char object_bytes[kMaxEncodedIdSize];
  size_t object_size = 0;
  TermId object = 0;
  uint64_t n = 0, quads = 0;
  bool complete = true;
  absl::Status malformed;
  for (; cursor->Valid(); cursor->Next()) {
    const std::string_view key = cursor->key();
    if (key.size() < prefix.size() ||
        !same(key.data(), prefix.data(), prefix.size()))
      break;
    const std::string_view rest = key.substr(prefix.size());
    const size_t o_size = rest.empty() ? 0 : 1 + (rest[0] & 7);
    const size_t s_size =
        rest.size() <= o_size ? 0 : 1 + (rest[o_size] & 7);
    if (o_size == 0 || s_size == 0 || rest.size() <= o_size + s_size) {
      malformed = absl::DataLossError(
          absl::StrCat("malformed posg key of predicate ", absl::Hex(predicate)));
      break;
    }
    if ((++quads & 4095) == 0 && !keep_going()) {
      complete = false;
      n = 0;
      break;
    }
    if (rest[o_size + s_size] != 0) {  // a named graph's quad
      if (store_default_only) continue;
      complete = false;
      break;
    }
    const std::string_view o = rest.substr(0, o_size);
    if (n > 0 && o_size == object_size &&
        same(o.data(), object_bytes, o_size)) {
      ++n;
      continue;
    }
    if (n > 0 && !f(object, n)) {
      complete = false;
      n = 0;
      break;
    }
    std::memcpy(object_bytes, o.data(), o_size);
    object_size = o_size;
    std::string_view in = o;
    if (!DecodeId(&in, &object)) {
      malformed = absl::DataLossError(
          absl::StrCat("malformed object id in posg of predicate ",
                       absl::Hex(predicate)));
      break;
    }
    n = 1;
  }
  absl::Status status = cursor->status();
  if (status.ok()) Return(Permutation::kPOSG, std::move(cursor));
  if (!status.ok()) return status;
  if (!malformed.ok()) return malformed;
  store_->adjacency_cache()->AddDemand(
      predicate, kSeekNs + kRunRowNs * static_cast<double>(quads));
  if (complete && n > 0 && !f(object, n)) complete = false;
  return complete;
}

std::unique_ptr<QuadIdIterator> ReadView::ScanRange(
    Permutation perm, std::string lower, std::string upper,
    bool default_graph_only) const {
  return std::make_unique<PooledIterator>(this, perm, std::move(lower),
                                          std::move(upper), default_graph_only);
}

std::unique_ptr<IndexCursor> ReadView::Borrow(Permutation perm) const {
  {
    std::lock_guard<std::mutex> l(pool_mu_);
    auto& pool = pool_[static_cast<int>(perm)];
    if (!pool.empty()) {
      auto it = std::move(pool.back());
      pool.pop_back();
      return it;
    }
  }
  return NewCursor(perm, std::string_view());
}

std::unique_ptr<IndexCursor> ReadView::NewCursor(Permutation perm,
                                                std::string_view upper_bound,
                                                bool fill_cache) const {
  OrderedKv* kv = store_->kv();
  // No upper bound for the blocks: a block is keyed by its last key, which
  // may lie above the bound while earlier keys of the block do not.
  return std::make_unique<IndexCursor>(
      kv->NewIterator(IndexSpace(perm),
                      KvReadOptions{.snapshot = snapshot_.get(),
                                    .upper_bound = upper_bound,
                                    .fill_cache = fill_cache}),
      blocks_ && store_->has_blocks_space(perm)
          ? kv->NewIterator(BlocksSpace(perm),
                            KvReadOptions{.snapshot = snapshot_.get(),
                                          .fill_cache = fill_cache})
          : nullptr,
      PermutationName(perm));
}

absl::StatusOr<bool> ReadView::Holds(Permutation perm,
                                     std::string_view key) const {
  std::string value;
  auto found =
      store_->kv()->Get(snapshot_.get(), IndexSpace(perm), key, &value);
  if (!found.ok()) return WithContext(found.status(), "point lookup");
  if (*found) return true;
  if (!blocks_ || !store_->has_blocks_space(perm)) return false;
  std::unique_ptr<IndexCursor> cursor = Borrow(perm);
  const bool held = cursor->BlocksHold(key);
  absl::Status status = cursor->status();
  if (status.ok()) Return(perm, std::move(cursor));
  if (!status.ok()) return status;
  return held;
}

void ReadView::Return(Permutation perm,
                      std::unique_ptr<IndexCursor> it) const {
  std::lock_guard<std::mutex> l(pool_mu_);
  auto& pool = pool_[static_cast<int>(perm)];
  if (pool.size() < 8) pool.push_back(std::move(it));
}

std::unique_ptr<QuadIdIterator> ReadView::ScanIndex(Permutation perm) const {
  auto it = std::make_unique<PrefixQuadIterator>(perm, std::string());
  it->Start([&](std::string_view upper_bound) {
    return NewCursor(perm, upper_bound);
  });
  return it;
}

}  // namespace kg
