// The probe cache: its own rules (snapshot sequence, size limit, budget),
// and through ReadView::Scan that a cached probe answers exactly what the
// indexes answer, before and after commits and bulk loads.

#include "storage/probe_cache.h"

#include <catch2/catch.hpp>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/bulk_loader.h"
#include "storage/store.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

// A store whose probes all go through the probe cache (no adjacencies).
std::unique_ptr<Store> OpenWithoutAdjacencies(const testing::TempDir& dir) {
  StoreOptions so;
  so.adjacency_cache_bytes = 0;
  auto store = Store::Open(dir.file("s"), so);
  REQUIRE(store.ok());
  return *std::move(store);
}

TermId Iri(WriteTxn& txn, std::string_view name) {
  auto id =
      txn.Intern(Term::Iri(absl::StrCat("https://kgstore.example/", Sv(name))));
  REQUIRE(id.ok());
  return *id;
}

// Iri of each name, interned left to right (a braced list's order).
template <typename... Names>
auto Iris(WriteTxn& txn, Names... names) {
  return std::tuple{Iri(txn, names)...};
}

QuadIds Ids(TermId s, TermId p, TermId o) {
  QuadIds q;
  q.s = s;
  q.p = p;
  q.o = o;
  return q;
}

TEST_CASE("probe cache keeps entries per snapshot sequence",
          "[storage][probe_cache]") {
  ProbeCache cache(1 << 20);
  const auto key = ProbeCache::Key(Ids(1, 2, 0), 3);
  CHECK(cache.Find(5, key) == nullptr);
  auto kept = cache.Insert(5, key, {Ids(1, 2, 3), Ids(1, 2, 4)});
  REQUIRE(kept->size() == 2);
  auto found = cache.Find(5, key);
  REQUIRE(found != nullptr);
  CHECK(*found == std::vector<QuadIds>{Ids(1, 2, 3), Ids(1, 2, 4)});
  // Another snapshot's reader finds nothing, and an older one cannot
  // insert.
  CHECK(cache.Find(6, key) == nullptr);
  CHECK(cache.Find(4, key) == nullptr);
  cache.Insert(4, key, {});
  CHECK(cache.Find(4, key) == nullptr);
  found = cache.Find(5, key);
  REQUIRE(found != nullptr);
  CHECK(found->size() == 2);  // not replaced by the older reader's answer
  // A newer snapshot's insert empties the shard it lands in; the entry of
  // the old sequence is never served again.
  for (TermId s = 100; s < 200; ++s)
    cache.Insert(6, ProbeCache::Key(Ids(s, 2, 0), 3), {Ids(s, 2, 3)});
  cache.Insert(6, key, {Ids(1, 2, 9)});
  CHECK(cache.Find(5, key) == nullptr);
  found = cache.Find(6, key);
  REQUIRE(found != nullptr);
  CHECK(*found == std::vector<QuadIds>{Ids(1, 2, 9)});
  CHECK(cache.Find(6, ProbeCache::Key(Ids(150, 2, 0), 3)) != nullptr);
  CHECK(cache.hits() == 4);
}

TEST_CASE("probe cache keys, size limit and budget", "[storage][probe_cache]") {
  // Same ids, different bound positions: different keys.
  CHECK(ProbeCache::Key(Ids(1, 2, 3), 3) != ProbeCache::Key(Ids(1, 2, 3), 6));
  CHECK(ProbeCache::Key(Ids(1, 2, 3), 7) != ProbeCache::Key(Ids(1, 2, 4), 7));

  ProbeCache cache(size_t{32} << 20);  // the default: kMaxRows rows fit
  std::vector<QuadIds> big(ProbeCache::kMaxRows + 1, Ids(1, 2, 3));
  const auto key = ProbeCache::Key(Ids(1, 2, 0), 3);
  CHECK(cache.Insert(1, key, big)->size() == big.size());  // returned...
  CHECK(cache.Find(1, key) == nullptr);                    // ...not kept
  big.pop_back();  // exactly kMaxRows: kept
  cache.Insert(1, key, big);
  REQUIRE(cache.Find(1, key) != nullptr);
  CHECK(cache.Find(1, key)->size() == ProbeCache::kMaxRows);

  // With a smaller budget, an entry over a quarter of a shard's newer
  // generation is not kept (shards of 64 KiB here: at most 8 KiB).
  ProbeCache tight(1 << 20);
  std::vector<QuadIds> mid(1024, Ids(1, 2, 3));  // 32 KiB
  tight.Insert(1, key, mid);
  CHECK(tight.Find(1, key) == nullptr);
  mid.resize(200);  // 6.4 KiB
  tight.Insert(1, key, mid);
  CHECK(tight.Find(1, key) != nullptr);

  // A small budget holds a bounded number of entries, and keeps the most
  // recently used.
  ProbeCache small(16 * 4096);
  const auto hot = ProbeCache::Key(Ids(7, 7, 0), 3);
  small.Insert(1, hot, {Ids(7, 7, 7)});
  for (TermId s = 1000; s < 21000; ++s) {
    small.Insert(1, ProbeCache::Key(Ids(s, 2, 0), 3), {Ids(s, 2, 3)});
    CHECK(small.Find(1, hot) != nullptr);
  }
  CHECK(small.entries() < 1000);

  ProbeCache off(0);
  CHECK_FALSE(off.enabled());
  off.Insert(1, key, {Ids(1, 2, 3)});
  CHECK(off.Find(1, key) == nullptr);
}

TEST_CASE("cached probes answer as the indexes do, across commits and loads",
          "[storage][probe_cache]") {
  testing::TempDir dir;
  auto store = OpenWithoutAdjacencies(dir);
  TermId p, q, a, b, c, many;
  {
    auto txn = store->BeginWrite();
    REQUIRE(txn.ok());
    WriteTxn& w = **txn;
    std::tie(p, q, a, b, c, many) = Iris(w, "p", "q", "a", "b", "c", "many");
    REQUIRE(*w.Insert(Ids(a, p, b)));
    REQUIRE(*w.Insert(Ids(a, p, c)));
    // More quads under one subject than the cache keeps.
    for (size_t i = 0; i < ProbeCache::kMaxRows + 10; ++i)
      REQUIRE(*w.Insert(Ids(many, q, Iri(w, absl::StrCat("o", i)))));
    REQUIRE(w.Commit().ok());
  }
  ProbeCache* cache = store->probe_cache();
  auto scan = [&](const QuadIds& pattern, unsigned mask) {
    auto view = store->NewReadView();
    auto it = view->Scan(pattern, mask);
    return testing::DrainQuads(*it);
  };
  const std::vector<QuadIds> a_p = {Ids(a, p, b), Ids(a, p, c)};
  CHECK(scan(Ids(a, p, 0), 3) == a_p);
  const size_t after_first = cache->entries();
  CHECK(after_first >= 1);
  const uint64_t hits = cache->hits();
  CHECK(scan(Ids(a, p, 0), 3) == a_p);  // from the cache
  CHECK(cache->hits() == hits + 1);
  CHECK(cache->entries() == after_first);

  // An existence check that reads only the first quad is cached too.
  {
    auto view = store->NewReadView();
    CHECK(view->Scan(Ids(a, p, c), 7)->Valid());
    CHECK_FALSE(view->Scan(Ids(a, p, a), 7)->Valid());
  }
  CHECK(cache->entries() == after_first + 2);
  CHECK(scan(Ids(a, p, c), 7) == std::vector<QuadIds>{Ids(a, p, c)});
  CHECK(scan(Ids(a, p, a), 7).empty());

  // A long probe is answered in full and not kept.
  CHECK(scan(Ids(many, q, 0), 3).size() == ProbeCache::kMaxRows + 10);
  CHECK(scan(Ids(many, q, 0), 3).size() == ProbeCache::kMaxRows + 10);
  CHECK(cache->entries() == after_first + 2);

  // A probe read in part (LIMIT 1) is not kept.
  {
    auto view = store->NewReadView();
    auto it = view->Scan(Ids(0, p, b), 6);
    REQUIRE(it->Valid());
  }
  CHECK(cache->entries() == after_first + 2);

  // A reader that began before a commit keeps its answers; readers after it
  // see the commit, although the old answers were cached.
  auto old_view = store->NewReadView();
  {
    auto txn = store->BeginWrite();
    REQUIRE(txn.ok());
    REQUIRE(*(*txn)->Insert(Ids(a, p, a)));
    REQUIRE(*(*txn)->Remove(Ids(a, p, c)));
    REQUIRE((*txn)->Commit().ok());
  }
  CHECK(scan(Ids(a, p, 0), 3) ==
        std::vector<QuadIds>{Ids(a, p, a), Ids(a, p, b)});
  CHECK(scan(Ids(a, p, c), 7).empty());
  CHECK(scan(Ids(a, p, a), 7) == std::vector<QuadIds>{Ids(a, p, a)});
  {
    auto it = old_view->Scan(Ids(a, p, 0), 3);
    CHECK(testing::DrainQuads(*it) == a_p);
  }
  old_view.reset();

  // The same after a bulk load.
  {
    auto loader = BulkLoader::Start(store.get());
    REQUIRE(loader.ok());
    Quad quad;
    quad.subject = Term::Iri("https://kgstore.example/a");
    quad.predicate = Term::Iri("https://kgstore.example/p");
    quad.object = Term::Iri("https://kgstore.example/c");
    REQUIRE((*loader)->Add(quad).ok());
    REQUIRE((*loader)->Commit().ok());
  }
  CHECK(scan(Ids(a, p, 0), 3) ==
        std::vector<QuadIds>{Ids(a, p, a), Ids(a, p, b), Ids(a, p, c)});
  CHECK(scan(Ids(a, p, c), 7) == std::vector<QuadIds>{Ids(a, p, c)});

  // Write transactions read their own writes, never the cache.
  {
    auto txn = store->BeginWrite();
    REQUIRE(txn.ok());
    REQUIRE(*(*txn)->Remove(Ids(a, p, b)));
    auto it = (*txn)->Scan(Ids(a, p, 0), 3);
    CHECK(testing::DrainQuads(*it) ==
          std::vector<QuadIds>{Ids(a, p, a), Ids(a, p, c)});
    (*txn)->Abort();
  }
}

TEST_CASE("cached probes keep graphs apart", "[storage][probe_cache]") {
  testing::TempDir dir;
  auto store = OpenWithoutAdjacencies(dir);
  TermId p, a, b, c, g;
  {
    auto txn = store->BeginWrite();
    REQUIRE(txn.ok());
    WriteTxn& w = **txn;
    std::tie(p, a, b, c, g) = Iris(w, "p", "a", "b", "c", "g");
    REQUIRE(*w.Insert(Ids(a, p, b)));  // default graph
    QuadIds named = Ids(a, p, c);
    named.g = g;
    REQUIRE(*w.Insert(named));
    named.o = b;  // (a p b) in both graphs
    REQUIRE(*w.Insert(named));
    REQUIRE(w.Commit().ok());
  }
  auto scan = [&](QuadIds pattern, unsigned mask) {
    auto view = store->NewReadView();
    auto it = view->Scan(pattern, mask);
    return testing::DrainQuads(*it);
  };
  QuadIds in_default = Ids(a, p, 0), in_g = Ids(a, p, 0);
  in_default.g = kDefaultGraph;
  in_g.g = g;
  QuadIds gb = Ids(a, p, b), gc = Ids(a, p, c);
  gb.g = g;
  gc.g = g;
  for (int round = 0; round < 2; ++round) {  // misses, then hits
    CAPTURE(round);
    CHECK(scan(Ids(a, p, 0), 3) == std::vector<QuadIds>{Ids(a, p, b), gb, gc});
    CHECK(scan(in_default, 11) == std::vector<QuadIds>{Ids(a, p, b)});
    CHECK(scan(in_g, 11) == std::vector<QuadIds>{gb, gc});
    CHECK(scan(Ids(a, p, b), 7) == std::vector<QuadIds>{Ids(a, p, b), gb});
    CHECK(scan(Ids(a, p, c), 7) == std::vector<QuadIds>{gc});
    QuadIds c_default = Ids(a, p, c);
    CHECK(scan(c_default, 15).empty());
  }
  CHECK(store->probe_cache()->hits() == 6);
}

}  // namespace
}  // namespace kg
