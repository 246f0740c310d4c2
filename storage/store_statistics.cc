// The Store's statistics: reading them at open, the meta entries a commit
// or a load writes, publishing a commit's, and recounting them from the
// indexes (docs/STORAGE.md, "Statistics").

#include <algorithm>

#include "storage/meta_keys.h"
#include "storage/store.h"

namespace kg {

absl::Status Store::LoadStatistics() {
  uint64_t next_id = 1;
  auto stats = ReadStatistics(*kv_, KvReadOptions(), &next_id);
  if (!stats.ok()) return stats.status();
  next_id_ = next_id;
  auto snapshot = std::make_shared<const StoreStatistics>(*std::move(stats));
  std::lock_guard<std::mutex> l(stats_mu_);
  stats_ = std::move(snapshot);
  // Read at the latest state: no writer yet.
  stats_sequence_ = kv_->LatestSequence();
  return absl::OkStatus();
}

absl::StatusOr<StoreStatistics> Store::ReadStatistics(
    const OrderedKv& kv, const KvReadOptions& options, uint64_t* next_id_out) {
  StoreStatistics stats;
  uint64_t next_id = 1;
  std::unique_ptr<KvIterator> it = kv.NewIterator(KeySpace::kMeta, options);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key = it->key();
    const std::string_view val = it->value();
    if (key == meta::kNextIdKey && val.size() == 8) {
      next_id = meta::GetFixed64(val);
    } else if (key == meta::kTotalKey && val.size() == 8) {
      stats.total_quads = meta::GetFixed64(val);
    } else if (key.starts_with(meta::kPredicatePrefix) && val.size() == 24) {
      std::string_view enc = key.substr(meta::kPredicatePrefix.size());
      TermId p;
      if (!DecodeId(&enc, &p)) return absl::DataLossError("bad stat key");
      stats.predicates[p] = {meta::GetFixed64(val),
                             meta::GetFixed64(val.substr(8)),
                             meta::GetFixed64(val.substr(16))};
    } else if (key.starts_with(meta::kGraphPrefix) && val.size() == 8) {
      std::string_view enc = key.substr(meta::kGraphPrefix.size());
      TermId g;
      if (!DecodeId(&enc, &g)) return absl::DataLossError("bad stat key");
      stats.graphs[g] = meta::GetFixed64(val);
    } else if (key.starts_with(meta::kObjectCountsPrefix) && !val.empty()) {
      std::string_view enc = key.substr(meta::kObjectCountsPrefix.size());
      TermId p;
      if (!DecodeId(&enc, &p)) return absl::DataLossError("bad stat key");
      auto counts = std::make_shared<ObjectCounts>();
      for (std::string_view rest = val; !rest.empty(); rest.remove_prefix(8)) {
        TermId o;
        if (!DecodeId(&rest, &o) || rest.size() < 8)
          return absl::DataLossError("bad per-object counts");
        (*counts)[o] = meta::GetFixed64(rest);
      }
      stats.object_counts[p] = std::move(counts);
    }
  }
  if (!it->status().ok())
    return WithContext(it->status(), "read statistics");
  if (next_id_out != nullptr) *next_id_out = next_id;
  return stats;
}

std::vector<Store::MetaEntry> Store::MetaEntries(
    uint64_t next_id, const StoreStatistics& stats,
    const absl::flat_hash_set<TermId>* dirty_predicates,
    const absl::flat_hash_set<TermId>* dirty_graphs) {
  std::vector<MetaEntry> out;
  std::string v;
  meta::PutFixed64(&v, next_id);
  out.emplace_back(std::string(meta::kNextIdKey), v);
  v.clear();
  meta::PutFixed64(&v, stats.total_quads);
  out.emplace_back(std::string(meta::kTotalKey), v);
  auto predicate_entry = [&](TermId p) {
    std::string key(meta::kPredicatePrefix);
    AppendEncodedId(p, &key);
    auto it = stats.predicates.find(p);
    if (it == stats.predicates.end() || it->second.quads == 0) {
      out.emplace_back(key, std::nullopt);
      std::string objects_key(meta::kObjectCountsPrefix);
      AppendEncodedId(p, &objects_key);
      out.emplace_back(objects_key, std::nullopt);
      return;
    }
    std::string val;
    meta::PutFixed64(&val, it->second.quads);
    meta::PutFixed64(&val, it->second.distinct_subjects);
    meta::PutFixed64(&val, it->second.distinct_objects);
    out.emplace_back(key, val);
    // Written even when not kept (empty), so that a bulk load, which can
    // only add entries, overrides counts the load made unknown.
    std::string objects_key(meta::kObjectCountsPrefix);
    AppendEncodedId(p, &objects_key);
    val.clear();
    auto counts = stats.object_counts.find(p);
    if (counts != stats.object_counts.end()) {
      std::vector<std::pair<TermId, uint64_t>> sorted(counts->second->begin(),
                                                      counts->second->end());
      std::sort(sorted.begin(), sorted.end());
      for (const auto& [o, n] : sorted) {
        AppendEncodedId(o, &val);
        meta::PutFixed64(&val, n);
      }
    }
    out.emplace_back(objects_key, val);
  };
  auto graph_entry = [&](TermId g) {
    std::string key(meta::kGraphPrefix);
    AppendEncodedId(g, &key);
    auto it = stats.graphs.find(g);
    if (it == stats.graphs.end() || it->second == 0) {
      out.emplace_back(key, std::nullopt);
      return;
    }
    std::string val;
    meta::PutFixed64(&val, it->second);
    out.emplace_back(key, val);
  };
  if (dirty_predicates) {
    for (TermId p : *dirty_predicates) predicate_entry(p);
  } else {
    for (const auto& [p, unused] : stats.predicates) predicate_entry(p);
  }
  if (dirty_graphs) {
    for (TermId g : *dirty_graphs) graph_entry(g);
  } else {
    for (const auto& [g, unused] : stats.graphs) graph_entry(g);
  }
  std::sort(out.begin(), out.end(),
            [](const MetaEntry& a, const MetaEntry& b) {
              return a.first < b.first;
            });
  return out;
}

void Store::Published(uint64_t next_id, StoreStatistics stats) {
  // Adjacencies are per snapshot: warming up the old one is wasted work.
  warm_stop_ = true;
  next_id_ = next_id;
  auto snapshot = std::make_shared<const StoreStatistics>(std::move(stats));
  // The writer lock is held: the latest sequence number is the commit's.
  const uint64_t sequence = kv_->LatestSequence();
  std::lock_guard<std::mutex> l(stats_mu_);
  stats_ = std::move(snapshot);
  stats_sequence_ = sequence;
}

std::shared_ptr<const StoreStatistics> Store::StatisticsAtSequence(
    uint64_t sequence) const {
  std::lock_guard<std::mutex> l(stats_mu_);
  return sequence == stats_sequence_ ? stats_ : nullptr;
}

StoreStatistics Store::Statistics() const { return *StatisticsSnapshot(); }

std::shared_ptr<const StoreStatistics> Store::StatisticsSnapshot() const {
  std::lock_guard<std::mutex> l(stats_mu_);
  return stats_;
}

PredicateStats Store::StatisticsOf(TermId predicate) const {
  auto stats = StatisticsSnapshot();
  auto it = stats->predicates.find(predicate);
  return it == stats->predicates.end() ? PredicateStats{} : it->second;
}

absl::StatusOr<StoreStatistics> Store::RecountStatistics() const {
  auto view = NewReadView();
  StoreStatistics stats;
  {
    auto it = view->ScanIndex(Permutation::kSPOG);
    QuadIds prev;
    bool first = true;
    for (; it->Valid(); it->Next()) {
      const QuadIds& q = it->quad();
      ++stats.total_quads;
      PredicateStats& ps = stats.predicates[q.p];
      ++ps.quads;
      if (first || prev.s != q.s || prev.p != q.p) ++ps.distinct_subjects;
      ++stats.graphs[q.g];
      prev = q;
      first = false;
    }
    if (!it->status().ok()) return it->status();
  }
  {
    // POSG holds each predicate's objects together: its counts are kept
    // while it has at most kMaxCountedObjects of them.
    auto it = view->ScanIndex(Permutation::kPOSG);
    QuadIds prev;
    bool first = true;
    std::shared_ptr<ObjectCounts> counts;
    auto finish = [&] {
      if (counts != nullptr) stats.object_counts[prev.p] = std::move(counts);
      counts = nullptr;
    };
    for (; it->Valid(); it->Next()) {
      const QuadIds& q = it->quad();
      if (first || prev.p != q.p) {
        finish();
        counts = std::make_shared<ObjectCounts>();
      }
      if (first || prev.p != q.p || prev.o != q.o) {
        if (++stats.predicates[q.p].distinct_objects > kMaxCountedObjects)
          counts = nullptr;
      }
      if (counts != nullptr) ++(*counts)[q.o];
      prev = q;
      first = false;
    }
    finish();
    if (!it->status().ok()) return it->status();
  }
  return stats;
}

}  // namespace kg
