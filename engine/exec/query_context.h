// The state of one running query that every operator shares: where quads
// come from, the statistics, the options, the graphs in scope, the
// deadline and memory cap, the query's temporary ids for computed terms,
// and a cache of decoded terms.

#ifndef KGSTORE_ENGINE_EXEC_QUERY_CONTEXT_H_
#define KGSTORE_ENGINE_EXEC_QUERY_CONTEXT_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "engine/exec/id_row.h"
#include "engine/exec/lexical_cache.h"
#include "query/algebra.h"
#include "query/functions.h"
#include "storage/quad_reader.h"
#include "storage/store.h"

namespace kg::exec {

using Clock = std::chrono::steady_clock;

// Which graphs the default graph and GRAPH ?g range over.
struct GraphScope {
  enum class DefaultKind { kUnionAll, kStoreDefault, kSet };
  DefaultKind default_kind = DefaultKind::kUnionAll;
  absl::flat_hash_set<TermId> default_set;
  bool named_restricted = false;
  absl::flat_hash_set<TermId> named_set;
  std::vector<TermId> named_list;  // every named graph in scope
};

// One query's shared state. Operators hold a pointer to it; the first
// error (Fail) ends the query.
struct QueryContext {
  // Where operators read quads (storage/quad_reader.h): a ReadView
  // (queries) or the write transaction (updates, which see their own
  // earlier operations).
  std::shared_ptr<const QuadReader> source;
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
  // The lexical forms of the dictionary terms this query compared
  // (CompareLexical); LexicalRef's views stay valid until the cache is
  // cleared (decode_generation).
  LexicalCache decode_cache;
  uint64_t decode_generation = 0;
  // What decode_cache holds, charged to `memory` (DecodeCacheBudget).
  uint64_t decode_cache_bytes = 0;
  static constexpr uint64_t kDecodeCacheMaxBytes = uint64_t{128} << 20;
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
    if (options.memory_limit_bytes && memory > options.memory_limit_bytes &&
        decode_cache_bytes > 0) {
      // The decode cache gives way before the query fails.
      DropDecodeCache();
    }
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
    // Not kept in decode_cache, which holds lexical forms only (an output
    // of 250,000 rows of mostly distinct terms spent a quarter of its time
    // allocating and freeing cache entries when it kept whole terms).
    // Repeats hit the store's term cache.
    auto t = source->Resolve(id);
    if (!t.ok()) {
      Fail(t.status());
      return std::nullopt;
    }
    return *std::move(t);
  }
  // The lexical form of a dictionary id (not inline, not temporary)
  // without a copy; nullopt on error. Valid until decode_generation
  // changes.
  std::optional<std::string_view> LexicalRef(TermId id) {
    if (auto hit = decode_cache.Find(id)) return hit;
    auto t = source->Resolve(id);
    if (!t.ok()) {
      Fail(t.status());
      return std::nullopt;
    }
    const uint64_t cost = LexicalCache::EntryCost(t->lexical.size());
    if (decode_cache_bytes + cost > DecodeCacheBudget()) DropDecodeCache();
    // Never fails the query: the budget leaves room below the limit, and
    // at worst the cache holds this one term.
    decode_cache_bytes += cost;
    memory += cost;
    return decode_cache.Add(id, t->lexical);
  }
  // Empties the decode cache (LexicalRef's views become invalid).
  void DropDecodeCache() {
    decode_cache.Clear();
    Release(decode_cache_bytes);
    decode_cache_bytes = 0;
    ++decode_generation;
  }
  // The most the decode cache may hold: 128 MiB, and at most a quarter of
  // what the memory limit leaves to the rest of the query. (A fixed count
  // of 100,000 terms was cleared over and over by a triangle query whose
  // STR() comparisons touch 250,000 people at 10M triples.)
  uint64_t DecodeCacheBudget() const {
    uint64_t budget = kDecodeCacheMaxBytes;
    if (options.memory_limit_bytes) {
      const uint64_t others = memory - std::min(memory, decode_cache_bytes);
      const uint64_t left = options.memory_limit_bytes > others
                                ? options.memory_limit_bytes - others
                                : 0;
      budget = std::min(budget, left / 4);
    }
    return budget;
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
    // A computed term is kept until the query ends (rows refer to it by
    // id): it counts against the memory cap, twice (the term and its key).
    Charge(96 + key.size() + t.lexical.size() + t.datatype.size() +
           t.language.size());
    TermId id = MakeId(kTempTag, temp_terms.size());
    temp_terms.push_back(t);
    temp_ids.emplace(std::move(key), id);
    return id;
  }
  // The sign of the comparison of two dictionary terms' lexical forms
  // (byte order, which for UTF-8 is code point order), decoded in place;
  // std::nullopt on a decoding error.
  std::optional<int> CompareLexical(TermId x, TermId y) {
    std::optional<std::string_view> a = LexicalRef(x);
    const uint64_t gen = decode_generation;
    std::optional<std::string_view> b = LexicalRef(y);
    if (!a || !b) return std::nullopt;
    std::optional<Term> copy;
    if (decode_generation != gen) {
      // Caching y emptied the cache, a with it: a copy of x, which does
      // not touch the cache (so b stays valid).
      copy = Decode(x);
      if (!copy) return std::nullopt;
      a = copy->lexical;
    }
    const int c = a->compare(*b);
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

// Sets up `ctx` for a query over `source` with `dataset` (FROM / FROM
// NAMED) and `options`: deadline (options.timeout_ms from `started`, when
// the request arrived: its parse counts too; the default, now), clock of
// NOW(), the graphs in scope.
absl::Status SetUpContext(QueryContext* ctx,
                          std::shared_ptr<const QuadReader> source,
                          std::shared_ptr<const StoreStatistics> stats,
                          const algebra::Dataset& dataset,
                          const QueryOptions& options,
                          Clock::time_point started = {});

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_QUERY_CONTEXT_H_
