// A bounded in-memory map from dictionary ids to their terms, and from
// terms (by their term2id hash key) to ids, shared by every reader of one
// Store.
//
// Why: decoding a result cell or a function argument costs a RocksDB Get on
// id2term (about 2 µs with the block cached); queries decode the same
// subjects, labels and classes over and over, across queries too.
//
// Correctness without invalidation: a dictionary id is assigned once, its
// entry is never rewritten or deleted, and only terms read from committed
// dictionary entries (ReadView::Resolve) are inserted. An id's term can
// therefore never change while the store is open. The other direction
// holds only terms found in the dictionary: a term that has an id keeps
// it. (A reader whose snapshot predates the term's commit may be told its
// id; no quad of that snapshot mentions it, so no answer changes.)
//
// Memory: 16 shards, each with a share of the byte budget
// (StoreOptions::term_cache_bytes); a full shard evicts about a quarter of
// its entries, chosen by hash order (effectively at random).
//
// Thread-safety: all methods may be called from any thread.

#ifndef KGSTORE_STORAGE_TERM_CACHE_H_
#define KGSTORE_STORAGE_TERM_CACHE_H_

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "storage/rdf/term.h"
#include "storage/term_id.h"

namespace kg {

class TermCache {
 public:
  // `budget_bytes` = 0 disables the cache.
  explicit TermCache(size_t budget_bytes)
      : shard_budget_(budget_bytes / kShards) {}

  // Copies the term of `id` into `*out`; false if it is not cached.
  bool Get(TermId id, Term* out) const;
  // Caches the term of `id` (a committed dictionary entry).
  void Put(TermId id, const Term& term);
  // The id of the term whose term2id key is `hash_key`, if cached.
  bool GetId(std::string_view hash_key, TermId* out) const;
  void PutId(std::string_view hash_key, TermId id);

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<TermId, Term> map;
    absl::flat_hash_map<std::string, TermId> ids;
    size_t bytes = 0;
  };
  static size_t Cost(const Term& t) {
    return 64 + sizeof(Term) + t.lexical.size() + t.datatype.size() +
           t.language.size();
  }
  Shard& ShardOf(TermId id) const {
    return shards_[(id * 0x9E3779B97F4A7C15ull) >> 60];
  }

  static constexpr size_t kIdCost = 96;
  Shard& ShardOfKey(std::string_view key) const {
    uint64_t h = 0;
    for (size_t i = 0; i < key.size() && i < 8; ++i)
      h = (h << 8) | static_cast<unsigned char>(key[i]);
    return shards_[h >> 60];  // the key is a hash: its top bits are uniform
  }
  // Evicts about a quarter of the shard's bytes (mutex held).
  void Evict(Shard& s) const;

  const size_t shard_budget_;
  mutable Shard shards_[kShards];
};

inline bool TermCache::Get(TermId id, Term* out) const {
  if (shard_budget_ == 0) return false;
  Shard& s = ShardOf(id);
  std::lock_guard<std::mutex> l(s.mu);
  auto it = s.map.find(id);
  if (it == s.map.end()) return false;
  *out = it->second;
  return true;
}

inline void TermCache::Put(TermId id, const Term& term) {
  const size_t cost = Cost(term);
  if (shard_budget_ == 0 || cost > shard_budget_ / 4) return;
  Shard& s = ShardOf(id);
  std::lock_guard<std::mutex> l(s.mu);
  if (s.bytes + cost > shard_budget_) Evict(s);
  if (s.map.emplace(id, term).second) s.bytes += cost;
}

inline void TermCache::Evict(Shard& s) const {
  const size_t target = shard_budget_ * 3 / 4;
  for (auto it = s.map.begin(); it != s.map.end() && s.bytes > target;) {
    s.bytes -= Cost(it->second);
    s.map.erase(it++);
  }
  for (auto it = s.ids.begin(); it != s.ids.end() && s.bytes > target;) {
    s.bytes -= kIdCost + it->first.size();
    s.ids.erase(it++);
  }
}

inline bool TermCache::GetId(std::string_view hash_key, TermId* out) const {
  if (shard_budget_ == 0) return false;
  Shard& s = ShardOfKey(hash_key);
  std::lock_guard<std::mutex> l(s.mu);
  auto it = s.ids.find(std::string(hash_key));  // 16 bytes: no allocation
  if (it == s.ids.end()) return false;
  *out = it->second;
  return true;
}

inline void TermCache::PutId(std::string_view hash_key, TermId id) {
  if (shard_budget_ == 0) return;
  Shard& s = ShardOfKey(hash_key);
  std::lock_guard<std::mutex> l(s.mu);
  const size_t cost = kIdCost + hash_key.size();
  if (s.bytes + cost > shard_budget_) Evict(s);
  if (s.ids.emplace(std::string(hash_key), id).second) s.bytes += cost;
}

}  // namespace kg

#endif  // KGSTORE_STORAGE_TERM_CACHE_H_
