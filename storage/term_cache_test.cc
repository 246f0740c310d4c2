// The store-wide term cache: both directions, eviction within the budget,
// and the snapshot rule (a reader is never told the id of a term committed
// after its snapshot).

#include "storage/term_cache.h"

#include <catch2/catch.hpp>

#include "storage/store.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

TEST_CASE("term cache keeps both directions within its budget",
          "[storage][term_cache]") {
  TermCache cache(16 * 4096);
  Term t = Term::Iri("https://kgstore.example/id/a");
  Term out;
  CHECK_FALSE(cache.Get(7, &out));
  cache.Put(7, t);
  REQUIRE(cache.Get(7, &out));
  CHECK(out == t);
  TermId id = 0;
  CHECK_FALSE(cache.GetId("0123456789abcdef", &id));
  cache.PutId("0123456789abcdef", 7);
  REQUIRE(cache.GetId("0123456789abcdef", &id));
  CHECK(id == 7);
  // Far more than the budget: the cache evicts instead of growing.
  for (TermId i = 100; i < 20000; ++i) cache.Put(i, t);
  int kept = 0;
  for (TermId i = 100; i < 20000; ++i) kept += cache.Get(i, &out);
  CHECK(kept > 0);
  CHECK(kept < 19900);
  TermCache off(0);
  off.Put(1, t);
  CHECK_FALSE(off.Get(1, &out));
}

TEST_CASE("an older snapshot is not told the id of a newer term",
          "[storage][term_cache]") {
  testing::TempDir dir;
  auto store = Store::Open(dir.file("s"), StoreOptions{});
  REQUIRE(store.ok());
  const Term t = Term::Iri("https://kgstore.example/id/late");
  auto old_view = (*store)->NewReadView();
  {
    auto txn = (*store)->BeginWrite();
    REQUIRE(txn.ok());
    auto id = (*txn)->Intern(t);
    REQUIRE(id.ok());
    REQUIRE((*txn)->Insert({*id, *id, *id, kDefaultGraph}).ok());
    REQUIRE((*txn)->Commit().ok());
  }
  auto new_view = (*store)->NewReadView();
  auto seen = new_view->Lookup(t);  // fills the cache
  REQUIRE(seen.ok());
  REQUIRE(seen->has_value());
  auto again = new_view->Lookup(t);  // from the cache
  REQUIRE(again.ok());
  CHECK(*again == *seen);
  auto old_lookup = old_view->Lookup(t);
  REQUIRE(old_lookup.ok());
  CHECK_FALSE(old_lookup->has_value());
}

}  // namespace
}  // namespace kg
