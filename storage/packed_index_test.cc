// Packed blocks through the Store: a bulk load into an empty store writes
// them; every scan shape, transactions that remove and re-add quads held in
// blocks, later bulk loads, a malformed block, and a kgstore-3 store
// without the block families.

#include <catch2/catch.hpp>

#include <set>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "storage/base/absl_compat.h"
#include "storage/bulk_loader.h"
#include "storage/packed_block.h"
#include "storage/store.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

using Model = std::set<std::tuple<TermId, TermId, TermId, TermId>>;

std::tuple<TermId, TermId, TermId, TermId> T(const QuadIds& q) {
  return {q.s, q.p, q.o, q.g};
}

// Scans go straight to the indexes: no adjacencies, no probe cache.
StoreOptions IndexOnly() {
  StoreOptions so;
  so.adjacency_cache_bytes = 0;
  so.probe_cache_bytes = 0;
  return so;
}

Term Name(int n) {
  return Term::Iri(absl::StrCat("https://kgstore.example/n", n));
}

// 40 subjects x 3 predicates x up to 4 objects: several blocks per index.
std::vector<Quad> Data() {
  std::vector<Quad> out;
  for (int s = 0; s < 40; ++s)
    for (int p = 0; p < 3; ++p)
      for (int o = 0; o < 1 + (s + p) % 4; ++o) {
        Quad q;
        q.subject = Name(s);
        q.predicate = Name(100 + p);
        q.object = o == 3 ? Term::Literal(absl::StrCat("v", s)) : Name(s * 7 % 50 + o);
        out.push_back(q);
      }
  return out;
}

absl::Status BulkLoad(Store* store, const std::vector<Quad>& quads,
                      BulkLoadOptions options = BulkLoadOptions{}) {
  auto loader = BulkLoader::Start(store, options);
  if (!loader.ok()) return loader.status();
  for (const Quad& q : quads) {
    absl::Status s = (*loader)->Add(q);
    if (!s.ok()) return s;
  }
  return (*loader)->Commit().status();
}

size_t CountEntries(Store* store, KeySpace space) {
  std::unique_ptr<KvIterator> it =
      store->kv()->NewIterator(space, KvReadOptions());
  size_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
  return n;
}

Model ReadModel(Store* store) {
  Model m;
  auto view = store->NewReadView();
  auto it = view->ScanIndex(Permutation::kSPOG);
  for (; it->Valid(); it->Next()) m.insert(T(it->quad()));
  REQUIRE(it->status().ok());
  return m;
}

// Every one of the 16 bound/unbound shapes, bound to the positions of
// each of `probes`, against the model.
template <typename Scan>
void CheckEveryShape(const Model& model, const std::vector<QuadIds>& probes,
                     Scan scan) {
  for (const QuadIds& probe : probes) {
    for (unsigned mask = 0; mask < 16; ++mask) {
      Model want, got;
      for (const auto& t : model) {
        const auto [s, p, o, g] = t;
        if ((mask & 1) && s != probe.s) continue;
        if ((mask & 2) && p != probe.p) continue;
        if ((mask & 4) && o != probe.o) continue;
        if ((mask & 8) && g != probe.g) continue;
        want.insert(t);
      }
      auto it = scan(probe, mask);
      for (; it->Valid(); it->Next()) got.insert(T(it->quad()));
      REQUIRE(it->status().ok());
      CAPTURE(mask, probe.s, probe.p, probe.o, got.size(), want.size());
      CHECK(got == want);
    }
  }
}

std::vector<QuadIds> Probes(const Model& model) {
  std::vector<QuadIds> out;
  size_t k = 0;
  for (const auto& [s, p, o, g] : model)
    if (k++ % 17 == 0) out.push_back(QuadIds{s, p, o, g});
  return out;
}

// Overwrites the first block of posg_blocks with a truncated value.
void BreakFirstPosgBlock(Store* store) {
  std::unique_ptr<KvIterator> it =
      store->kv()->NewIterator(KeySpace::kPosgBlocks, KvReadOptions());
  it->SeekToFirst();
  REQUIRE(it->Valid());
  const std::string key(it->key());
  it.reset();
  auto batch = store->kv()->NewBatch(/*readable=*/false);
  REQUIRE(batch->Put(KeySpace::kPosgBlocks, key, "\x01\x05").ok());
  REQUIRE(store->kv()->Write(*batch, /*sync=*/false).ok());
}

TEST_CASE("a bulk load into an empty store writes packed blocks",
          "[storage][packed_block]") {
  testing::TempDir dir;
  auto opened = Store::Open(dir.file("s"), IndexOnly());
  REQUIRE(opened.ok());
  Store* store = opened->get();
  CHECK_FALSE(store->has_blocks());
  const std::vector<Quad> data = Data();
  REQUIRE(BulkLoad(store, data).ok());
  CHECK(store->has_blocks());
  for (Permutation perm :
       {Permutation::kSPOG, Permutation::kPOSG, Permutation::kOSPG}) {
    CHECK(CountEntries(store, IndexSpace(perm)) == 0);
    const size_t blocks = CountEntries(store, BlocksSpace(perm));
    // Full blocks, but for the last of each of the load's two halves.
    const size_t full = (data.size() + kPackedBlockEntries - 1) / kPackedBlockEntries;
    CHECK(blocks >= full);
    CHECK(blocks <= full + 1);
  }
  Model model = ReadModel(store);
  REQUIRE(model.size() == data.size());
  auto view = store->NewReadView();
  CheckEveryShape(model, Probes(model), [&](const QuadIds& q, unsigned mask) {
    return view->Scan(q, mask);
  });
  auto recount = store->RecountStatistics();
  REQUIRE(recount.ok());
  CHECK(*recount == store->Statistics());

  SECTION("transactions remove quads held in blocks and add them back") {
    // Remove the first, a middle and the last quad of SPOG's first block,
    // and every quad of one subject (whole stretches of blocks).
    std::vector<QuadIds> in_order;
    for (const auto& [s, p, o, g] : model) in_order.push_back({s, p, o, g});
    std::vector<QuadIds> gone = {in_order[0], in_order[30], in_order[63],
                                 in_order[64], in_order.back()};
    for (const QuadIds& q : in_order)
      if (q.s == in_order[100].s) gone.push_back(q);
    {
      auto txn = store->BeginWrite();
      REQUIRE(txn.ok());
      for (const QuadIds& q : gone) {
        auto removed = (*txn)->Remove(q);
        REQUIRE(removed.ok());
        CHECK(*removed == model.count(T(q)) > 0);
        model.erase(T(q));
      }
      // Removing again is a no-op; the transaction sees its own removals.
      auto again = (*txn)->Remove(gone[0]);
      REQUIRE(again.ok());
      CHECK_FALSE(*again);
      CheckEveryShape(model, Probes(model),
                      [&](const QuadIds& q, unsigned mask) {
                        return (*txn)->Scan(q, mask);
                      });
      // Add one back inside the same transaction.
      auto added = (*txn)->Insert(gone[1]);
      REQUIRE(added.ok());
      CHECK(*added);
      model.insert(T(gone[1]));
      // A quad still in a block is not added twice.
      auto dup = (*txn)->Insert(in_order[10]);
      REQUIRE(dup.ok());
      CHECK_FALSE(*dup);
      REQUIRE((*txn)->Commit().ok());
    }
    CHECK(ReadModel(store) == model);
    auto after = store->NewReadView();
    CheckEveryShape(model, Probes(model), [&](const QuadIds& q, unsigned mask) {
      return after->Scan(q, mask);
    });
    // Fully bound lookups: removed, kept, re-added.
    CHECK_FALSE(after->Scan(gone[0], 15)->Valid());
    CHECK(after->Scan(gone[1], 15)->Valid());
    CHECK(after->Scan(in_order[10], 15)->Valid());
    recount = store->RecountStatistics();
    REQUIRE(recount.ok());
    CHECK(*recount == store->Statistics());

    // Remove everything: every block goes.
    {
      auto txn = store->BeginWrite();
      REQUIRE(txn.ok());
      for (const auto& [s, p, o, g] : model)
        REQUIRE((*txn)->Remove(QuadIds{s, p, o, g}).ok());
      REQUIRE((*txn)->Commit().ok());
    }
    for (Permutation perm :
         {Permutation::kSPOG, Permutation::kPOSG, Permutation::kOSPG})
      CHECK(CountEntries(store, BlocksSpace(perm)) == 0);
    CHECK(ReadModel(store).empty());
    CHECK(store->Statistics().total_quads == 0);
  }

  SECTION("a later bulk load writes plain keys and drops what blocks hold") {
    std::vector<Quad> more(data.begin(), data.begin() + 50);  // duplicates
    for (int s = 200; s < 230; ++s) {
      Quad q;
      q.subject = Name(s);
      q.predicate = Name(100);
      q.object = Name(3);
      more.push_back(q);
    }
    auto loader = BulkLoader::Start(store);
    REQUIRE(loader.ok());
    for (const Quad& q : more) REQUIRE((*loader)->Add(q).ok());
    auto result = (*loader)->Commit();
    REQUIRE(result.ok());
    CHECK(result->quads_added == 30);
    CHECK(CountEntries(store, IndexSpace(Permutation::kSPOG)) == 30);
    model = ReadModel(store);
    CHECK(model.size() == data.size() + 30);
    auto view2 = store->NewReadView();
    CheckEveryShape(model, Probes(model), [&](const QuadIds& q, unsigned mask) {
      return view2->Scan(q, mask);
    });
    recount = store->RecountStatistics();
    REQUIRE(recount.ok());
    CHECK(*recount == store->Statistics());
  }

  SECTION("a malformed block is an error of the scan, not a crash") {
    BreakFirstPosgBlock(store);
    auto bad = store->NewReadView()->ScanIndex(Permutation::kPOSG);
    while (bad->Valid()) bad->Next();
    CHECK(bad->status().code() == absl::StatusCode::kDataLoss);
  }
}

TEST_CASE("Database::Check (kg check) reports a malformed packed block",
          "[packed_block][check]") {
  testing::TempDir dir;
  auto db = testing::StoreFromTrig(
      dir, "<urn:a> <urn:p> <urn:b> . <urn:b> <urn:p> <urn:c> .");
  REQUIRE(db.ok());
  Store* store = testing::StoreOf(**db);
  REQUIRE(store->has_blocks());
  auto clean = (*db)->Check();
  REQUIRE(clean.ok());
  CHECK(clean->empty());
  BreakFirstPosgBlock(store);
  auto problems = (*db)->Check();
  REQUIRE(problems.ok());
  bool reported = false;
  for (const std::string& p : *problems)
    reported = reported || absl::StrContains(p, "malformed packed block in index posg");
  CHECK(reported);
}

TEST_CASE("packed_blocks = false writes one key per quad",
          "[storage][packed_block]") {
  testing::TempDir dir;
  auto opened = Store::Open(dir.file("s"), IndexOnly());
  REQUIRE(opened.ok());
  Store* store = opened->get();
  const std::vector<Quad> data = Data();
  REQUIRE(BulkLoad(store, data, BulkLoadOptions{.packed_blocks = false}).ok());
  CHECK_FALSE(store->has_blocks());
  for (Permutation perm :
       {Permutation::kSPOG, Permutation::kPOSG, Permutation::kOSPG}) {
    CHECK(CountEntries(store, IndexSpace(perm)) == data.size());
    CHECK(CountEntries(store, BlocksSpace(perm)) == 0);
  }
  CHECK(ReadModel(store).size() == data.size());
}

TEST_CASE("a kgstore-3 store (no block families) opens and upgrades",
          "[storage][packed_block]") {
  testing::TempDir dir;
  {
    auto store = Store::Open(dir.file("s"), IndexOnly());
    REQUIRE(store.ok());
    auto txn = (*store)->BeginWrite();
    REQUIRE(txn.ok());
    QuadIds q;
    auto a = (*txn)->Intern(Name(1));
    auto p = (*txn)->Intern(Name(2));
    REQUIRE(a.ok());
    REQUIRE(p.ok());
    q.s = q.o = *a;
    q.p = *p;
    REQUIRE((*txn)->Insert(q).ok());
    REQUIRE((*txn)->Commit().ok());
  }
  // Make it what a kgstore-3 build wrote: no block families, old marker.
  {
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.file("s"),
                                            &names)
                .ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), dir.file("s"), cfs,
                              &handles, &raw)
                .ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == "meta")
        REQUIRE(db->Put(rocksdb::WriteOptions(), handles[i], "format",
                        "kgstore-3")
                    .ok());
      if (absl::EndsWith(names[i], "_blocks"))
        REQUIRE(db->DropColumnFamily(handles[i]).ok());
    }
    for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
    REQUIRE(db->Close().ok());
  }
  {
    StoreOptions ro = IndexOnly();
    ro.read_only = true;
    auto store = Store::Open(dir.file("s"), ro);
    REQUIRE(store.ok());
    CHECK(!(*store)->has_blocks_space(Permutation::kSPOG));
    CHECK(ReadModel(store->get()).size() == 1);
  }
  {
    auto store = Store::Open(dir.file("s"), IndexOnly());
    REQUIRE(store.ok());
    CHECK((*store)->has_blocks_space(Permutation::kSPOG));
    CHECK(ReadModel(store->get()).size() == 1);
    std::string marker;
    auto found =
        (*store)->kv()->Get(nullptr, KeySpace::kMeta, "format", &marker);
    REQUIRE(found.ok());
    REQUIRE(*found);
    CHECK(marker == "kgstore-4");
  }
}

}  // namespace
}  // namespace kg
