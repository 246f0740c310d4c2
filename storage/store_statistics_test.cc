// The per-object counts of the statistics: kept for predicates with few
// objects by bulk loads (into empty and non-empty stores) and by commits,
// dropped once a predicate has too many objects, persisted, recounted and
// checked.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/bulk_loader.h"
#include "storage/store.h"
#include "storage/store_check.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

Quad Triple(const std::string& s, const std::string& p, const std::string& o) {
  return Quad{Term::Iri(s), Term::Iri(p), Term::Iri(o), std::nullopt};
}

void Load(Store* store, const std::vector<Quad>& quads, size_t chunk = 0) {
  auto loader = BulkLoader::Start(store);
  REQUIRE(loader.ok());
  if (chunk > 0) (*loader)->set_chunk_quads_for_testing(chunk);
  for (const Quad& q : quads) REQUIRE((*loader)->Add(q).ok());
  REQUIRE((*loader)->Commit().ok());
}

// Inserts (or removes) `quads` in one transaction.
void Write(Store* store, const std::vector<Quad>& quads, bool insert = true) {
  auto txn = store->BeginWrite();
  REQUIRE(txn.ok());
  for (const Quad& q : quads) {
    QuadIds ids;
    ids.s = *(*txn)->Intern(q.subject);
    ids.p = *(*txn)->Intern(q.predicate);
    ids.o = *(*txn)->Intern(q.object);
    if (insert)
      REQUIRE((*txn)->Insert(ids).ok());
    else
      REQUIRE((*txn)->Remove(ids).ok());
  }
  REQUIRE((*txn)->Commit().ok());
}

TermId Id(Store* store, const std::string& iri) {
  auto view = store->NewReadView();
  auto id = view->Lookup(Term::Iri(iri));
  REQUIRE(id.ok());
  REQUIRE(id->has_value());
  return **id;
}

std::unique_ptr<Store> OpenStore(const std::string& path) {
  auto opened = Store::Open(path, {});
  REQUIRE(opened.ok());
  return *std::move(opened);
}

// Objects of "urn:many": one more than are counted.
std::vector<Quad> ManyObjects(const std::string& prefix) {
  std::vector<Quad> quads;
  for (uint64_t i = 0; i <= kMaxCountedObjects; ++i)
    quads.push_back(Triple("urn:s", "urn:many", absl::StrCat(prefix, i)));
  return quads;
}

// The statistics equal a recount, `kg check` finds nothing, and a reopened
// store reads the same statistics.
void CheckConsistent(std::unique_ptr<Store>* store, const std::string& path) {
  auto recount = (*store)->RecountStatistics();
  REQUIRE(recount.ok());
  const StoreStatistics stats = (*store)->Statistics();
  // A recount may know counts the store dropped; the rest must agree.
  StoreStatistics known = *recount;
  for (auto it = known.object_counts.begin(); it != known.object_counts.end();)
    if (stats.object_counts.contains(it->first))
      ++it;
    else
      known.object_counts.erase(it++);
  CHECK(known == stats);
  auto problems = CheckStore(**store);
  REQUIRE(problems.ok());
  CHECK(problems->empty());
  store->reset();
  *store = OpenStore(path);
  CHECK((*store)->Statistics() == stats);
}

TEST_CASE("per-object counts from a bulk load, commits and a second load",
          "[storage][statistics]") {
  testing::TempDir dir;
  const std::string path = dir.file("s");
  std::unique_ptr<Store> store = OpenStore(path);
  std::vector<Quad> quads = ManyObjects("urn:o");
  for (int i = 0; i < 30; ++i)
    quads.push_back(Triple(absl::StrCat("urn:e", i), "urn:type",
                           i % 3 == 0 ? "urn:A" : "urn:B"));
  // Small chunks: many sorted runs, POSG written in two halves.
  Load(store.get(), quads, 97);
  const TermId type = Id(store.get(), "urn:type");
  const TermId a = Id(store.get(), "urn:A"), b = Id(store.get(), "urn:B");
  const TermId many = Id(store.get(), "urn:many");
  {
    const StoreStatistics stats = store->Statistics();
    CHECK(stats.QuadsWithObject(type, a) == 10u);
    CHECK(stats.QuadsWithObject(type, b) == 20u);
    CHECK(stats.QuadsWithObject(type, many) == 0u);  // not an object of it
    CHECK_FALSE(stats.QuadsWithObject(many, a).has_value());  // too many
    CHECK(stats.QuadsWithObject(Id(store.get(), "urn:e0"), a) == 0u);
  }
  CheckConsistent(&store, path);

  // Commits: a new object, a removal down to zero of one object.
  Write(store.get(), {Triple("urn:x", "urn:type", "urn:C")});
  Write(store.get(), {Triple("urn:e0", "urn:type", "urn:A")}, false);
  {
    const StoreStatistics stats = store->Statistics();
    CHECK(stats.QuadsWithObject(type, Id(store.get(), "urn:C")) == 1u);
    CHECK(stats.QuadsWithObject(type, a) == 9u);
    CHECK(stats.object_counts.at(type)->size() == 3);
  }
  CheckConsistent(&store, path);

  // A second load adds to the kept counts.
  Load(store.get(), {Triple("urn:y", "urn:type", "urn:A"),
                     Triple("urn:y", "urn:type", "urn:D"),
                     Triple("urn:e1", "urn:type", "urn:B")});  // a duplicate
  {
    const StoreStatistics stats = store->Statistics();
    CHECK(stats.QuadsWithObject(type, a) == 10u);
    CHECK(stats.QuadsWithObject(type, b) == 20u);
    CHECK(stats.QuadsWithObject(type, Id(store.get(), "urn:D")) == 1u);
  }
  CheckConsistent(&store, path);

  // A load that takes a kept predicate past the limit drops its counts.
  std::vector<Quad> more;
  for (uint64_t i = 0; i < kMaxCountedObjects; ++i)
    more.push_back(Triple("urn:z", "urn:type", absl::StrCat("urn:T", i)));
  Load(store.get(), more);
  CHECK_FALSE(store->Statistics().QuadsWithObject(type, a).has_value());
  CheckConsistent(&store, path);
}

TEST_CASE("per-object counts are dropped past the limit and stay unknown",
          "[storage][statistics]") {
  testing::TempDir dir;
  const std::string path = dir.file("s");
  std::unique_ptr<Store> store = OpenStore(path);
  std::vector<Quad> quads = ManyObjects("urn:o");
  const Quad last = quads.back();
  quads.pop_back();
  Write(store.get(), quads);  // exactly the limit: kept
  const TermId many = Id(store.get(), "urn:many");
  CHECK(store->Statistics().object_counts.at(many)->size() ==
        kMaxCountedObjects);
  CheckConsistent(&store, path);
  Write(store.get(), {last});  // one more: dropped
  CHECK_FALSE(store->Statistics().object_counts.contains(many));
  CheckConsistent(&store, path);
  Write(store.get(), {last}, false);  // fewer again: still unknown
  CHECK_FALSE(store->Statistics().object_counts.contains(many));
  CheckConsistent(&store, path);
  // Every quad of the predicate gone, then one back: counted afresh.
  Write(store.get(), quads, false);
  CHECK_FALSE(store->Statistics().predicates.contains(many));
  Write(store.get(), {Triple("urn:s", "urn:many", "urn:o1")});
  CHECK(store->Statistics().QuadsWithObject(many, Id(store.get(), "urn:o1")) ==
        1u);
  CheckConsistent(&store, path);
}

TEST_CASE("a transaction's statistics keep their per-object counts while it "
          "changes them",
          "[storage][statistics]") {
  testing::TempDir dir;
  auto store = Store::Open(dir.file("s"), {});
  REQUIRE(store.ok());
  Write(store->get(), {Triple("urn:a", "urn:type", "urn:A")});
  auto txn = (*store)->BeginWrite();
  REQUIRE(txn.ok());
  QuadIds ids;
  ids.s = *(*txn)->Intern(Term::Iri("urn:b"));
  ids.p = *(*txn)->Intern(Term::Iri("urn:type"));
  ids.o = *(*txn)->Intern(Term::Iri("urn:A"));
  REQUIRE(*(*txn)->Insert(ids));
  auto before = (*txn)->Statistics();
  REQUIRE(before.ok());
  ids.s = *(*txn)->Intern(Term::Iri("urn:c"));
  REQUIRE(*(*txn)->Insert(ids));
  auto after = (*txn)->Statistics();
  REQUIRE(after.ok());
  CHECK((*before)->QuadsWithObject(ids.p, ids.o) == 2u);
  CHECK((*after)->QuadsWithObject(ids.p, ids.o) == 3u);
  // The store's own statistics are the last commit's until this one.
  CHECK((*store)->Statistics().QuadsWithObject(ids.p, ids.o) == 1u);
  REQUIRE((*txn)->Commit().ok());
  CHECK((*store)->Statistics().QuadsWithObject(ids.p, ids.o) == 3u);
}

TEST_CASE("a snapshot's statistics are those of its own commit",
          "[storage][statistics]") {
  testing::TempDir dir;
  auto store = Store::Open(dir.file("s"), {});
  REQUIRE(store.ok());
  Write(store->get(), {Triple("urn:a", "urn:type", "urn:A")});
  auto before = (*store)->NewReadView();
  auto first = before->Statistics();  // the store's own, shared
  REQUIRE(first.ok());
  CHECK(*first == (*store)->StatisticsSnapshot());
  Write(store->get(), {Triple("urn:b", "urn:type", "urn:A")});
  auto after = (*store)->NewReadView();
  const TermId type = Id(store->get(), "urn:type");
  const TermId a = Id(store->get(), "urn:A");
  // A view opened before the commit but asking after it reads its own
  // snapshot's statistics from the store.
  auto late = (*store)->NewReadView();
  Write(store->get(), {Triple("urn:c", "urn:type", "urn:A")});
  auto late_stats = late->Statistics();
  REQUIRE(late_stats.ok());
  CHECK((*late_stats)->QuadsWithObject(type, a) == 2u);
  CHECK((*late_stats)->total_quads == 2);
  auto before_stats = before->Statistics();
  REQUIRE(before_stats.ok());
  CHECK((*before_stats)->QuadsWithObject(type, a) == 1u);
  auto after_stats = after->Statistics();
  REQUIRE(after_stats.ok());
  CHECK((*after_stats)->total_quads == 2);
  auto now = (*store)->NewReadView()->Statistics();
  REQUIRE(now.ok());
  CHECK((*now)->QuadsWithObject(type, a) == 3u);
}

}  // namespace
}  // namespace kg
