// ProbeCache: see probe_cache.h.

#include "storage/probe_cache.h"

#include <utility>

#include "absl/hash/hash.h"

namespace kg {

ProbeCache::ProbeKey ProbeCache::Key(const QuadIds& pattern,
                                     unsigned bound_mask) {
  ProbeKey key;
  key.mask = static_cast<uint8_t>(bound_mask);
  key.ids.g = 0;
  for (int pos = 0; pos < 4; ++pos)
    if (bound_mask & (1u << pos)) key.ids.at(pos) = pattern.at(pos);
  return key;
}

ProbeCache::Shard& ProbeCache::ShardOf(const ProbeKey& key) {
  // The top bits: the shard's own hash map takes the low ones.
  return shards_[absl::Hash<ProbeKey>{}(key) >> 60];
}

ProbeCache::Rows ProbeCache::Find(uint64_t sequence, const ProbeKey& key) {
  if (!enabled()) return nullptr;
  Shard& s = ShardOf(key);
  std::lock_guard<std::mutex> l(s.mu);
  if (s.sequence != sequence) return nullptr;
  if (auto it = s.newer.find(key); it != s.newer.end()) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return it->second;
  }
  auto it = s.older.find(key);
  if (it == s.older.end()) return nullptr;
  hits_.fetch_add(1, std::memory_order_relaxed);
  Rows rows = it->second;
  const ProbeKey k = it->first;
  s.older.erase(it);
  AddNewer(s, k, rows);
  return rows;
}

ProbeCache::Rows ProbeCache::Insert(uint64_t sequence, const ProbeKey& key,
                                   std::vector<QuadIds> rows) {
  rows.shrink_to_fit();  // Cost counts the rows at exact capacity
  auto shared = std::make_shared<const std::vector<QuadIds>>(std::move(rows));
  // Nor an entry larger than a quarter of a generation (with a budget
  // below the default's 32 MiB): a few of those would push out every
  // small probe.
  if (!enabled() || shared->size() > kMaxRows ||
      Cost(shared->size()) > shard_budget_ / 8)
    return shared;
  Shard& s = ShardOf(key);
  std::lock_guard<std::mutex> l(s.mu);
  if (sequence < s.sequence) return shared;  // older snapshot: stale for others
  if (sequence > s.sequence) {
    s.newer.clear();
    s.older.clear();
    s.newer_bytes = 0;
    s.sequence = sequence;
  }
  if (s.newer.contains(key)) return shared;
  s.older.erase(key);
  AddNewer(s, key, shared);
  return shared;
}

void ProbeCache::AddNewer(Shard& s, const ProbeKey& key, Rows rows) {
  const size_t cost = Cost(rows->size());
  if (s.newer_bytes + cost > shard_budget_ / 2) {
    s.older = std::move(s.newer);
    s.newer = {};
    s.newer_bytes = 0;
  }
  s.newer_bytes += cost;
  s.newer.emplace(key, std::move(rows));
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
