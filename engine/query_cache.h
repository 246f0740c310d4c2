// QueryCache: translated queries by text, so that a query sent again skips
// parsing and translation (what prepared statements give SQL clients).
//
// Why: a point lookup runs in a few microseconds once planned; parsing and
// translating its text took about as long again, on every run. Plans are
// not cached: they depend on the snapshot's statistics and on which
// constants the dictionary holds, and planning is cheap next to parsing.
//
// A translated query depends only on its text and on the parse options
// (base IRI, predeclared prefixes), never on the store's contents, so
// entries need no invalidation. Queries whose parse fails are not cached;
// neither are texts longer than kMaxTextBytes (to bound memory).
//
// Thread-safety: every method may be called from any thread.
#ifndef KGSTORE_ENGINE_QUERY_CACHE_H_
#define KGSTORE_ENGINE_QUERY_CACHE_H_

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "query/algebra.h"
#include "query/parser.h"

namespace kg {

class QueryCache {
 public:
  static constexpr size_t kMaxTextBytes = 16 * 1024;

  // Holds at most `capacity` queries, least recently used out first;
  // 0 caches nothing.
  explicit QueryCache(size_t capacity) : capacity_(capacity) {}

  // The translated query of `text` parsed with `options`: from the cache,
  // or parsed and translated now (and kept). Errors are those of
  // ParseQuery and algebra::Translate. The result is shared and must not
  // be modified.
  absl::StatusOr<std::shared_ptr<const algebra::Query>> Get(
      std::string_view text, const QueryParseOptions& options);

  size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const algebra::Query> query;
  };
  // The text plus whatever of the options changes its meaning.
  static std::string KeyOf(std::string_view text,
                           const QueryParseOptions& options);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recently used first
  absl::flat_hash_map<std::string_view, std::list<Entry>::iterator> index_;
};

}  // namespace kg

#endif  // KGSTORE_ENGINE_QUERY_CACHE_H_
