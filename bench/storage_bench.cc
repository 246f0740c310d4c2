// Storage micro-benchmarks (Google Benchmark).
//
// Workloads, one line each:
//   BM_InlineEncode        TryInline on an xsd:integer literal
//   BM_KeyEncodeDecode     encode + decode one SPOG key
//   BM_FullyBound          fully bound pattern (S,P,O,G) on a warm store
//   BM_SubjectScan10       bound subject with exactly 10 quads, all read
//   BM_DictionaryResolve   id -> term (after the first pass: the term cache)
//   BM_DictionaryLookup    term -> id through the dictionary
//   *Uncached              the same on the same store opened read-only with
//                          the term and adjacency caches off (RocksDB only;
//                          the probe cache stays on)
//   BM_*Rocks/plain:0|1    every in-memory cache off, so each scan goes
//                          through IndexCursor and the key-value seam
//                          (ordered_kv.h) to RocksDB: on the shared store
//                          (plain:0, packed blocks) and on one loaded with
//                          plain keys (plain:1, as transactions write)
//     BM_SubjectScan10Rocks     bound subject, its 10 quads read
//     BM_PredicateScanRocks     bound predicate, its first 10,000 quads read
//                               (fewer in a store below 100,000 quads)
//     BM_FullyBoundRocks        fully bound pattern: one point lookup
//   BM_TxnSubjectScan10    bound subject read inside a write transaction
//                          (the batch merged over the snapshot)
// BM_FullyBound has P bound, so once its probes have paid for it the
// predicate's in-memory adjacency answers it (predicate_adjacency.h).
//
// The store is built once per process by the bulk loader from synthetic
// quads: KG_BENCH_QUADS (default 1,000,000) quads over subjects that have
// 10 quads each. Point at a bigger store with KG_BENCH_QUADS=10000000.
// Run: build/bench/storage_bench --benchmark_repetitions=5
//        --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "absl/strings/str_cat.h"
#include "storage/bulk_loader.h"
#include "storage/store.h"

namespace kg {
namespace {

constexpr int kPerSubject = 10;

uint64_t QuadCount() {
  const char* env = std::getenv("KG_BENCH_QUADS");
  return env ? std::strtoull(env, nullptr, 10) : 1000000;
}

Term Subject(uint64_t i) {
  return Term::Iri(absl::StrCat("https://kgstore.example/id/person/", i));
}
Term Predicate(uint64_t j) {
  return Term::Iri(absl::StrCat("https://kgstore.example/vocab#p", j));
}

// The store in `dir`, bulk loaded unless it is there already.
Store* BuildStore(const std::string& dir, BulkLoadOptions load_options) {
  bool exists = std::filesystem::exists(dir + "/CURRENT");
  auto s = Store::Open(dir, StoreOptions{});
  if (!s.ok() && exists && absl::IsFailedPrecondition(s.status())) {
    // A cached store this build cannot read (an older format): rebuild.
    std::filesystem::remove_all(dir);
    exists = false;
    s = Store::Open(dir, StoreOptions{});
  }
  if (!s.ok()) std::abort();
  Store* raw = s->release();
  if (!exists) {
    auto loader = BulkLoader::Start(raw, load_options);
    if (!loader.ok()) std::abort();
    uint64_t n = QuadCount();
    for (uint64_t i = 0; i < n; ++i) {
      Quad q{Subject(i / kPerSubject), Predicate(i % kPerSubject),
             Term::Literal(absl::StrCat(i * 7), std::string(kXsdInteger)),
             std::nullopt};
      if (!(*loader)->Add(q).ok()) std::abort();
    }
    if (!(*loader)->Commit().ok()) std::abort();
    if (!raw->Compact().ok()) std::abort();
  }
  return raw;
}

// One store shared by all benchmarks of the process.
Store* SharedStore() {
  static Store* store = BuildStore(
      (std::filesystem::temp_directory_path() /
       absl::StrCat("kg_storage_bench_", QuadCount()))
          .string(),
      BulkLoadOptions{});
  return store;
}

// The same quads as plain keys, one per quad and index (as transactions,
// and bulk loads into non-empty stores, write them).
Store* PlainStore() {
  static Store* store = BuildStore(
      (std::filesystem::temp_directory_path() /
       absl::StrCat("kg_storage_bench_plain_", QuadCount()))
          .string(),
      BulkLoadOptions{.packed_blocks = false});
  return store;
}

void BM_InlineEncode(benchmark::State& state) {
  Term t = Term::Literal("123456", std::string(kXsdInteger));
  for (auto _ : state) benchmark::DoNotOptimize(TryInline(t));
}
BENCHMARK(BM_InlineEncode);

void BM_KeyEncodeDecode(benchmark::State& state) {
  QuadIds q{MakeId(TermTag::kIri, 123456), MakeId(TermTag::kIri, 17),
            MakeId(TermTag::kInlineInteger, 99), kDefaultGraph};
  std::string key;
  QuadIds out;
  for (auto _ : state) {
    key.clear();
    EncodeQuadKey(Permutation::kSPOG, q, &key);
    benchmark::DoNotOptimize(DecodeQuadKey(Permutation::kSPOG, key, &out));
  }
}
BENCHMARK(BM_KeyEncodeDecode);

struct Resolved {
  std::vector<TermId> subjects;
  std::vector<TermId> predicates;
};

Resolved ResolveSome(Store* store) {
  auto view = store->NewReadView();
  Resolved r;
  std::mt19937_64 rng(42);
  uint64_t subjects = QuadCount() / kPerSubject;
  for (int i = 0; i < 1024; ++i) {
    auto id = view->Lookup(Subject(rng() % subjects));
    if (!id.ok() || !id->has_value()) std::abort();
    r.subjects.push_back(**id);
  }
  for (int j = 0; j < kPerSubject; ++j)
    r.predicates.push_back(**view->Lookup(Predicate(j)));
  return r;
}

// The shared store again, read-only, with the in-memory caches off.
Store* UncachedStore() {
  static Store* store = [] {
    Store* shared = SharedStore();
    StoreOptions o;
    o.read_only = true;
    o.term_cache_bytes = 0;
    o.adjacency_cache_bytes = 0;
    auto s = Store::Open(shared->path(), o);
    if (!s.ok()) std::abort();
    return s->release();
  }();
  return store;
}

// `source` (SharedStore or PlainStore) again, read-only, with every
// in-memory cache off: each scan reads RocksDB.
Store* RocksOnly(Store* source) {
  StoreOptions o;
  o.read_only = true;
  o.term_cache_bytes = 0;
  o.adjacency_cache_bytes = 0;
  o.probe_cache_bytes = 0;
  auto s = Store::Open(source->path(), o);
  if (!s.ok()) std::abort();
  return s->release();
}
Store* RocksOnlyStore(bool plain) {
  static Store* blocks = RocksOnly(SharedStore());
  static Store* plain_keys = RocksOnly(PlainStore());
  return plain ? plain_keys : blocks;
}

void FullyBound(benchmark::State& state, Store* store) {
  Resolved r = ResolveSome(store);
  auto view = store->NewReadView();
  std::vector<QuadIds> quads;
  for (size_t i = 0; i < r.subjects.size(); ++i) {
    QuadIds q;
    q.s = r.subjects[i];
    q.p = r.predicates[i % kPerSubject];
    auto it = view->Scan(q, 0b0011);
    q.o = it->quad().o;
    quads.push_back(q);
  }
  size_t i = 0;
  for (auto _ : state) {
    auto hit = view->Scan(quads[i++ % quads.size()], 0b1111);
    if (!hit->Valid()) std::abort();
  }
}
void BM_FullyBound(benchmark::State& state) { FullyBound(state, SharedStore()); }
BENCHMARK(BM_FullyBound);
void BM_FullyBoundUncached(benchmark::State& state) {
  FullyBound(state, UncachedStore());
}
BENCHMARK(BM_FullyBoundUncached);

void BM_SubjectScan10(benchmark::State& state) {
  Store* store = SharedStore();
  Resolved r = ResolveSome(store);
  auto view = store->NewReadView();
  size_t i = 0;
  for (auto _ : state) {
    QuadIds q;
    q.s = r.subjects[i++ % r.subjects.size()];
    int n = 0;
    for (auto it = view->Scan(q, 0b0001); it->Valid(); it->Next()) ++n;
    if (n != kPerSubject) std::abort();
  }
}
BENCHMARK(BM_SubjectScan10);

void BM_SubjectScan10Rocks(benchmark::State& state) {
  Store* store = RocksOnlyStore(state.range(0) != 0);
  Resolved r = ResolveSome(store);
  auto view = store->NewReadView();
  size_t i = 0;
  for (auto _ : state) {
    QuadIds q;
    q.s = r.subjects[i++ % r.subjects.size()];
    int n = 0;
    for (auto it = view->Scan(q, 0b0001); it->Valid(); it->Next()) ++n;
    if (n != kPerSubject) std::abort();
  }
}
BENCHMARK(BM_SubjectScan10Rocks)->ArgName("plain")->Arg(0)->Arg(1);

void BM_PredicateScanRocks(benchmark::State& state) {
  Store* store = RocksOnlyStore(state.range(0) != 0);
  Resolved r = ResolveSome(store);
  auto view = store->NewReadView();
  // 10,000, or all of a predicate's quads in a smaller store.
  const int64_t rows =
      std::min<int64_t>(10000, static_cast<int64_t>(QuadCount() / kPerSubject));
  size_t i = 0;
  for (auto _ : state) {
    QuadIds q;
    q.p = r.predicates[i++ % r.predicates.size()];
    int64_t n = 0;
    for (auto it = view->Scan(q, 0b0010); it->Valid() && n < rows;
         it->Next())
      ++n;
    if (n != rows) std::abort();
  }
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_PredicateScanRocks)->ArgName("plain")->Arg(0)->Arg(1);

void BM_FullyBoundRocks(benchmark::State& state) {
  FullyBound(state, RocksOnlyStore(state.range(0) != 0));
}
BENCHMARK(BM_FullyBoundRocks)->ArgName("plain")->Arg(0)->Arg(1);

void BM_TxnSubjectScan10(benchmark::State& state) {
  Store* store = SharedStore();
  Resolved r = ResolveSome(store);
  auto txn = store->BeginWrite();
  if (!txn.ok()) std::abort();
  size_t i = 0;
  for (auto _ : state) {
    QuadIds q;
    q.s = r.subjects[i++ % r.subjects.size()];
    int n = 0;
    for (auto it = (*txn)->Scan(q, 0b0001); it->Valid(); it->Next()) ++n;
    if (n != kPerSubject) std::abort();
  }
  (*txn)->Abort();
}
BENCHMARK(BM_TxnSubjectScan10);

void DictionaryResolve(benchmark::State& state, Store* store) {
  Resolved r = ResolveSome(store);
  auto view = store->NewReadView();
  size_t i = 0;
  for (auto _ : state) {
    auto t = view->Resolve(r.subjects[i++ % r.subjects.size()]);
    benchmark::DoNotOptimize(t);
  }
}
void BM_DictionaryResolve(benchmark::State& state) {
  DictionaryResolve(state, SharedStore());
}
BENCHMARK(BM_DictionaryResolve);
void BM_DictionaryResolveUncached(benchmark::State& state) {
  DictionaryResolve(state, UncachedStore());
}
BENCHMARK(BM_DictionaryResolveUncached);

void BM_DictionaryLookup(benchmark::State& state) {
  auto view = SharedStore()->NewReadView();
  std::vector<Term> terms;
  uint64_t subjects = QuadCount() / kPerSubject;
  for (uint64_t i = 0; i < 1024; ++i) terms.push_back(Subject(i * 7919 % subjects));
  size_t i = 0;
  for (auto _ : state) {
    auto id = view->Lookup(terms[i++ % terms.size()]);
    if (!id.ok() || !id->has_value()) std::abort();
  }
}
BENCHMARK(BM_DictionaryLookup);

}  // namespace
}  // namespace kg

BENCHMARK_MAIN();
