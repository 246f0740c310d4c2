// ProbeCache: see probe_cache.h.

#include "storage/probe_cache.h"

#include <utility>

#include "absl/hash/hash.h"
#include "storage/absl_compat.h"

namespace kg {

std::string ProbeCache::Key(const QuadIds& pattern, unsigned bound_mask) {
  // The mask, then each bound id as 8 raw bytes: PlanScan is a function of
  // the two, so equal keys are equal scans.
  std::string key(1 + 4 * sizeof(TermId), '\0');
  key[0] = static_cast<char>(bound_mask);
  size_t len = 1;
  for (int pos = 0; pos < 4; ++pos) {
    if (!(bound_mask & (1u << pos))) continue;
    const TermId id = pattern.at(pos);
    for (int b = 0; b < 8; ++b)
      key[len++] = static_cast<char>(id >> (8 * b));
  }
  key.resize(len);
  return key;
}

ProbeCache::Shard& ProbeCache::ShardOf(std::string_view key) {
  // The top bits: the shard's own hash map takes the low ones.
  return shards_[absl::Hash<absl::string_view>{}(Sv(key)) >> 60];
}

ProbeCache::Rows ProbeCache::Find(uint64_t sequence, std::string_view key) {
  if (!enabled()) return nullptr;
  Shard& s = ShardOf(key);
  std::lock_guard<std::mutex> l(s.mu);
  if (s.sequence != sequence) return nullptr;
  if (auto it = s.newer.find(Sv(key)); it != s.newer.end()) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return it->second;
  }
  auto it = s.older.find(Sv(key));
  if (it == s.older.end()) return nullptr;
  hits_.fetch_add(1, std::memory_order_relaxed);
  Rows rows = it->second;
  auto node = s.older.extract(it);
  AddNewer(s, std::move(node.key()), rows);
  return rows;
}

ProbeCache::Rows ProbeCache::Insert(uint64_t sequence, std::string_view key,
                                   std::vector<QuadIds> rows) {
  rows.shrink_to_fit();  // Cost counts the rows at exact capacity
  auto shared = std::make_shared<const std::vector<QuadIds>>(std::move(rows));
  if (!enabled() || shared->size() > kMaxRows) return shared;
  Shard& s = ShardOf(key);
  std::lock_guard<std::mutex> l(s.mu);
  if (sequence < s.sequence) return shared;  // older snapshot: stale for others
  if (sequence > s.sequence) {
    s.newer.clear();
    s.older.clear();
    s.newer_bytes = 0;
    s.sequence = sequence;
  }
  if (s.newer.contains(Sv(key))) return shared;
  s.older.erase(Sv(key));
  AddNewer(s, std::string(key), shared);
  return shared;
}

void ProbeCache::AddNewer(Shard& s, std::string key, Rows rows) {
  const size_t cost = Cost(key, rows->size());
  if (s.newer_bytes + cost > shard_budget_ / 2) {
    s.older = std::move(s.newer);
    s.newer = {};
    s.newer_bytes = 0;
  }
  s.newer_bytes += cost;
  s.newer.emplace(std::move(key), std::move(rows));
}

size_t ProbeCache::entries() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard<std::mutex> l(s.mu);
    n += s.newer.size() + s.older.size();
  }
  return n;
}

}  // namespace kg
