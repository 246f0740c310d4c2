// Sorted runs (each chunk three ways, merged without duplicates), the
// background queue that builds them, and the bulk loader on top of both:
// many small chunks, duplicates across chunks, named graphs, loads into
// empty and non-empty stores all give the store a direct load would.

#include "storage/sorted_runs.h"

#include <catch2/catch.hpp>
#include <atomic>
#include <thread>
#include <chrono>
#include <random>
#include <numeric>
#include <set>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/table_properties.h"

#include "storage/background_queue.h"
#include "storage/bulk_loader.h"
#include "storage/rocks_kv.h"
#include "storage/store.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

TEST_CASE("RunMerger yields each distinct element once, ascending",
          "[storage][load]") {
  std::mt19937 rng(3);
  // Tree shapes: one run, a power of two, odd counts, many runs; empty
  // runs among them, and runs that end long before the others.
  for (int k : {1, 2, 3, 5, 8, 13, 40}) {
    CAPTURE(k);
    std::vector<std::vector<int>> runs(k);
    std::multiset<int> all;
    for (auto& run : runs) {
      const int n = static_cast<int>(rng() % 50);
      for (int i = 0; i < n; ++i) {
        run.push_back(static_cast<int>(rng() % 60));
        all.insert(run.back());
      }
      std::sort(run.begin(), run.end());
    }
    runs.emplace_back();  // an empty run is fine
    std::vector<std::span<const int>> parts;
    for (const auto& r : runs) parts.emplace_back(r);
    RunMerger<int> merge(std::move(parts));
    std::vector<int> out;
    int v;
    while (merge.Next(&v)) out.push_back(v);
    const std::set<int> distinct(all.begin(), all.end());
    CHECK(out == std::vector<int>(distinct.begin(), distinct.end()));
    CHECK_FALSE(merge.Next(&v));
  }
  // A custom order (descending).
  std::vector<int> a{9, 7, 3}, b{8, 7, 1};
  RunMerger<int, std::greater<int>> down(
      {std::span<const int>(a), std::span<const int>(b)});
  std::vector<int> out;
  int v;
  while (down.Next(&v)) out.push_back(v);
  CHECK(out == std::vector<int>{9, 8, 7, 3, 1});

  RunMerger<int> none({});
  CHECK_FALSE(none.Next(&v));
}

TEST_CASE("SortChunk sorts a chunk in SPOG, POSG and OSPG order",
          "[storage][load]") {
  std::mt19937 rng(5);
  std::vector<QuadIds> chunk;
  for (int i = 0; i < 300; ++i)
    chunk.push_back({rng() % 7 + 1, rng() % 3 + 1, rng() % 9 + 1, rng() % 2});
  // A second chunk with ids of several kinds and payloads of many bytes
  // (every radix pass), and more predicates than the counting sort takes.
  std::vector<QuadIds> wide;
  for (int i = 0; i < 20000; ++i) {
    auto id = [&] {
      return (static_cast<TermId>(rng() % 4 + 1) << 56) |
             (static_cast<TermId>(rng()) << 20 | rng() % 5);
    };
    wide.push_back({id(), rng() % 6000 + 1, id(), rng() % 3});
  }
  for (const std::vector<QuadIds>* input : {&chunk, &wide}) {
    SortedRun run = SortChunk(*input);
    REQUIRE(run.spog.size() == input->size());
    CHECK(std::is_sorted(run.spog.begin(), run.spog.end(), SpogLess{}));
    CHECK(std::is_sorted(run.posg.begin(), run.posg.end()));
    CHECK(std::is_sorted(run.ospg.begin(), run.ospg.end()));
    std::multiset<IdTuple> want_spog, want_posg, want_ospg, got_spog,
        got_posg(run.posg.begin(), run.posg.end()),
        got_ospg(run.ospg.begin(), run.ospg.end());
    for (const QuadIds& q : run.spog) got_spog.insert({q.s, q.p, q.o, q.g});
    for (const QuadIds& q : *input) {
      want_spog.insert({q.s, q.p, q.o, q.g});
      want_posg.insert({q.p, q.o, q.s, q.g});
      want_ospg.insert({q.o, q.s, q.p, q.g});
    }
    CHECK(got_spog == want_spog);
    CHECK(got_posg == want_posg);
    CHECK(got_ospg == want_ospg);
  }
  // Few predicates (the counting sort) with the same ids.
  for (QuadIds& q : wide) q.p = q.p % 7 + 1;
  SortedRun run = SortChunk(wide);
  CHECK(std::is_sorted(run.spog.begin(), run.spog.end(), SpogLess{}));
  CHECK(std::is_sorted(run.posg.begin(), run.posg.end()));
  CHECK(std::is_sorted(run.ospg.begin(), run.ospg.end()));
  CHECK(std::multiset<IdTuple>(run.posg.begin(), run.posg.end()).size() ==
        wide.size());
}

TEST_CASE("BackgroundQueue runs tasks in order, Drain waits, Cancel drops",
          "[storage][load]") {
  BackgroundQueue queue;
  std::vector<int> seen;  // touched only by tasks until Drain
  for (int i = 0; i < 100; ++i) queue.Add([&seen, i] { seen.push_back(i); });
  queue.Drain();
  std::vector<int> want(100);
  std::iota(want.begin(), want.end(), 0);
  CHECK(seen == want);
  // Usable again after Drain; Cancel never runs more than was queued.
  for (int i = 0; i < 100; ++i) queue.Add([&seen, i] { seen.push_back(i); });
  queue.Cancel();
  CHECK(seen.size() <= 200);
  queue.Drain();  // nothing left: returns at once

  // A bounded queue: Add waits while max_pending tasks wait, and resumes.
  BackgroundQueue bounded(2);
  std::atomic<int> ran{0};
  std::atomic<bool> release{false};
  bounded.Add([&] {
    while (!release) std::this_thread::yield();
    ++ran;
  });
  std::thread producer([&] {
    for (int i = 0; i < 10; ++i) bounded.Add([&] { ++ran; });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(ran == 0);  // the first task still runs; the producer is blocked
  release = true;
  producer.join();
  bounded.Drain();
  CHECK(ran == 11);
}

// Every quad of every index, as a set per index.
std::vector<std::vector<QuadIds>> AllIndexes(Store& store) {
  std::vector<std::vector<QuadIds>> out;
  auto view = store.NewReadView();
  for (int i = 0; i < kNumPermutations; ++i) {
    out.emplace_back();
    auto it = view->ScanIndex(static_cast<Permutation>(i));
    for (; it->Valid(); it->Next()) out.back().push_back(it->quad());
    REQUIRE(it->status().ok());
    std::sort(out.back().begin(), out.back().end(), SpogLess{});
  }
  return out;
}

std::vector<Quad> RandomQuads(std::mt19937& rng, int n, bool named = true) {
  std::vector<Quad> quads;
  for (int i = 0; i < n; ++i) {
    Quad q;
    q.subject = Term::Iri(absl::StrCat("urn:s", rng() % 40));
    q.predicate = Term::Iri(absl::StrCat("urn:p", rng() % 4));
    q.object = rng() % 2 ? Term::Iri(absl::StrCat("urn:s", rng() % 40))
                         : Term::Literal(absl::StrCat("v", rng() % 30));
    if (named && rng() % 4 == 0) q.graph = Term::Iri(absl::StrCat("urn:g", rng() % 3));
    quads.push_back(q);
  }
  return quads;
}

TEST_CASE("bulk loads through many small sorted chunks equal transactional "
          "inserts",
          "[storage][load]") {
  std::mt19937 rng(11);
  // Without named graphs the loader splits every index between its two
  // workers; with them (or with quads already stored) it writes whole ones.
  const bool named = GENERATE(false, true);
  // Two batches with repeats inside and across them.
  std::vector<Quad> first = RandomQuads(rng, 700, named);
  std::vector<Quad> second = RandomQuads(rng, 500, named);
  for (int i = 0; i < 100; ++i) second.push_back(first[rng() % first.size()]);
  // Kinds of terms (dictionary tags) first seen late in a load, while the
  // background thread still writes the earlier batches' terms.
  for (int i = 0; i < 50; ++i) {
    first.push_back({Term::Iri(absl::StrCat("urn:s", i)), Term::Iri("urn:p9"),
                     Term::LangLiteral(absl::StrCat("w", i), "en"),
                     std::nullopt});
    first.push_back({Term::Iri(absl::StrCat("urn:s", i)), Term::Iri("urn:p9"),
                     Term::Literal(absl::StrCat(1900 + i),
                                   "http://www.w3.org/2001/XMLSchema#gYear"),
                     std::nullopt});
  }

  testing::TempDir dir;
  auto loaded = Store::Open(dir.file("loaded"), {});
  auto inserted = Store::Open(dir.file("inserted"), {});
  REQUIRE(loaded.ok());
  REQUIRE(inserted.ok());
  for (const auto* batch : {&first, &second}) {
    {
      auto loader = BulkLoader::Start(loaded->get());
      REQUIRE(loader.ok());
      (*loader)->set_chunk_quads_for_testing(37);
      // Batches of 5 statements: many hand-overs to the encoder, a full
      // encoder queue, reuse of the previous statement's ids across them.
      (*loader)->set_batch_statements_for_testing(5);
      for (const Quad& q : *batch) REQUIRE((*loader)->Add(q).ok());
      auto result = (*loader)->Commit();
      REQUIRE(result.ok());
    }
    auto txn = (*inserted)->BeginWrite();
    REQUIRE(txn.ok());
    for (const Quad& q : *batch) {
      QuadIds ids;
      ids.s = *(*txn)->Intern(q.subject);
      ids.p = *(*txn)->Intern(q.predicate);
      ids.o = *(*txn)->Intern(q.object);
      if (q.graph) ids.g = *(*txn)->Intern(*q.graph);
      REQUIRE((*txn)->Insert(ids).ok());
    }
    REQUIRE((*txn)->Commit().ok());
    // Same quads in every index (ids coincide: both stores hand out ids
    // in first-seen order), same statistics.
    CHECK(AllIndexes(**loaded) == AllIndexes(**inserted));
    CHECK((*loaded)->Statistics() == (*inserted)->Statistics());
    auto recount = (*loaded)->RecountStatistics();
    REQUIRE(recount.ok());
    CHECK(*recount == (*loaded)->Statistics());
  }
}

TEST_CASE("an aborted bulk load with sorting under way leaves nothing",
          "[storage][load]") {
  std::mt19937 rng(13);
  testing::TempDir dir;
  auto store = Store::Open(dir.file("s"), {});
  REQUIRE(store.ok());
  {
    auto loader = BulkLoader::Start(store->get());
    REQUIRE(loader.ok());
    (*loader)->set_chunk_quads_for_testing(10);
    (*loader)->set_batch_statements_for_testing(3);
    for (const Quad& q : RandomQuads(rng, 2000))
      REQUIRE((*loader)->Add(q).ok());
    // Destroyed without Commit, with encoding and sorting queued.
  }
  CHECK((*store)->Statistics().total_quads == 0);
  for (const auto& index : AllIndexes(**store)) CHECK(index.empty());
  CHECK_FALSE(std::filesystem::exists(dir.file("s/bulk-load-tmp")));
}

TEST_CASE("bulk loads write LZ4 files, or ZSTD ones when asked, and id2term "
          "with ZSTD always",
          "[storage][load]") {
  std::mt19937 rng(17);
  const std::vector<Quad> quads = RandomQuads(rng, 500);
  for (const bool small : {false, true}) {
    CAPTURE(small);
    testing::TempDir dir;
    auto store = Store::Open(dir.file("s"), {});
    REQUIRE(store.ok());
    BulkLoadOptions options;
    options.compress_for_size = small;
    auto loader = BulkLoader::Start(store->get(), options);
    REQUIRE(loader.ok());
    for (const Quad& q : quads) REQUIRE((*loader)->Add(q).ok());
    REQUIRE((*loader)->Commit().ok());
    // Past the seam: the files' compression is RocksDB's business.
    auto* rocks = dynamic_cast<RocksKv*>((*store)->kv());
    REQUIRE(rocks != nullptr);
    for (KeySpace space :
         {KeySpace::kSpog, KeySpace::kTerm2Id, KeySpace::kId2Term}) {
      rocksdb::TablePropertiesCollection tables;
      REQUIRE(rocks->db()
                  ->GetPropertiesOfAllTables(rocks->handle(space), &tables)
                  .ok());
      REQUIRE_FALSE(tables.empty());
      const bool zstd = small || space == KeySpace::kId2Term;
      for (const auto& [file, props] : tables)
        CHECK(props->compression_name == (zstd ? "ZSTD" : "LZ4"));
    }
    CHECK((*store)->Statistics().total_quads > 0);
  }
}

TEST_CASE("bulk loads scope blank nodes to their document", "[storage][load]") {
  // Batch sizes around the document boundaries: a boundary inside a
  // batch, exactly at its end, and documents that span batches.
  const size_t batch = GENERATE(1, 2, 3, 4096);
  CAPTURE(batch);
  testing::TempDir dir;
  auto store = Store::Open(dir.file("s"), {});
  REQUIRE(store.ok());
  auto loader = BulkLoader::Start(store->get());
  REQUIRE(loader.ok());
  (*loader)->set_batch_statements_for_testing(batch);
  (*loader)->set_chunk_quads_for_testing(4);
  auto add = [&](const std::string& s, const std::string& o) {
    Quad q;
    q.subject = Term::BlankNode(s);
    q.predicate = Term::Iri("urn:p");
    q.object = o.starts_with("_") ? Term::BlankNode(o.substr(1))
                                  : Term::Iri(o);
    REQUIRE((*loader)->Add(q).ok());
  };
  (*loader)->NewDocument();  // before anything
  add("b1", "urn:x");
  add("b1", "_b2");  // b1 again: the same node
  (*loader)->NewDocument();
  (*loader)->NewDocument();  // twice in a row
  add("b1", "urn:x");  // a new b1: same text as the previous statement
  add("b2", "_b1");
  (*loader)->NewDocument();
  add("b1", "urn:y");
  (*loader)->NewDocument();  // at the end
  auto result = (*loader)->Commit();
  REQUIRE(result.ok());
  CHECK(result->quads_added == 5);
  // Documents: {b1 -> x, b1 -> b2}, {b1' -> x, b2' -> b1'}, {b1'' -> y}:
  // five distinct blank nodes.
  auto view = (*store)->NewReadView();
  std::set<TermId> blanks;
  auto it = view->ScanIndex(Permutation::kSPOG);
  for (; it->Valid(); it->Next()) {
    for (TermId id : {it->quad().s, it->quad().o})
      if (TagOf(id) == TermTag::kBlankNode) blanks.insert(id);
  }
  REQUIRE(it->status().ok());
  CHECK(blanks.size() == 5);
}

}  // namespace
}  // namespace kg
