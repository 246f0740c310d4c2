// QueryCache: an LRU of translated queries keyed by text and parse options.

#include "engine/query_cache.h"

#include "absl/strings/str_cat.h"

namespace kg {

std::string QueryCache::KeyOf(std::string_view text,
                              const QueryParseOptions& options) {
  // Lengths in front keep the parts apart whatever bytes they hold.
  std::string key = absl::StrCat(options.base_iri.size(), ":",
                                 options.base_iri, options.prefixes.size(), ":");
  for (const auto& [name, iri] : options.prefixes)
    absl::StrAppend(&key, name.size(), ":", name, iri.size(), ":", iri);
  key.append(text.data(), text.size());
  return key;
}

absl::StatusOr<std::shared_ptr<const algebra::Query>> QueryCache::Get(
    std::string_view text, const QueryParseOptions& options) {
  const bool cacheable = capacity_ > 0 && text.size() <= kMaxTextBytes;
  std::string key;
  if (cacheable) {
    key = KeyOf(text, options);
    std::lock_guard<std::mutex> l(mu_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->query;
    }
  }
  // Parsed outside the lock: another thread may parse the same text at
  // the same time; the second insert then finds the first and uses it.
  auto parsed = ParseQuery(text, options);
  if (!parsed.ok()) return parsed.status();
  auto translated = algebra::Translate(*parsed);
  if (!translated.ok()) return translated.status();
  auto query =
      std::make_shared<const algebra::Query>(*std::move(translated));
  if (!cacheable) return query;
  std::lock_guard<std::mutex> l(mu_);
  auto it = index_.find(key);
  if (it != index_.end()) return it->second->query;
  lru_.push_front(Entry{std::move(key), query});
  index_.emplace(lru_.front().key, lru_.begin());
  if (lru_.size() > capacity_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
  return query;
}

size_t QueryCache::size() const {
  std::lock_guard<std::mutex> l(mu_);
  return lru_.size();
}

}  // namespace kg
