// VisitedSet: the same answers as a hash set whatever the ids, and a
// bitmap only once a tag's ids are dense enough.

#include "engine/exec/visited_set.h"

#include <catch2/catch.hpp>
#include <random>

#include "absl/container/flat_hash_set.h"

namespace kg::exec {
namespace {

TEST_CASE("VisitedSet answers as a hash set does, before and after it moves "
          "ids into bitmaps",
          "[exec][path]") {
  std::mt19937_64 rng(7);
  VisitedSet visited;
  absl::flat_hash_set<TermId> model;
  // IRIs and blank nodes with payloads below 2^16 (dense enough to move),
  // inline integers, and dictionary ids past the bitmap bound.
  auto draw = [&]() -> TermId {
    switch (rng() % 5) {
      case 0: case 1: return MakeId(TermTag::kIri, rng() % 65536);
      case 2: return MakeId(TermTag::kBlankNode, rng() % 65536);
      case 3: return MakeId(TermTag::kInlineInteger, rng() % 1000);
      default:
        return MakeId(TermTag::kIri,
                      VisitedSet::kMaxPayload + rng() % 1000);
    }
  };
  for (int i = 0; i < 200000; ++i) {
    const TermId id = draw();
    INFO("insert " << i << " id " << id);
    REQUIRE(visited.Insert(id) == model.insert(id).second);
    REQUIRE(visited.size() == model.size());
  }
  CHECK(visited.UsesBitmap(TermTag::kIri));
  CHECK(visited.UsesBitmap(TermTag::kBlankNode));
  CHECK_FALSE(visited.UsesBitmap(TermTag::kInlineInteger));
  // Everything inserted is still there.
  for (TermId id : model) CHECK_FALSE(visited.Insert(id));
  CHECK(visited.size() == model.size());
}

TEST_CASE("VisitedSet keeps few, sparse ids in its hash set", "[exec][path]") {
  VisitedSet visited;
  // 2,000 IRIs spread over payloads up to 2^25: a bitmap would need 2^19
  // words, far more than the ids.
  for (uint64_t i = 0; i < 2000; ++i)
    CHECK(visited.Insert(MakeId(TermTag::kIri, i << 14)));
  CHECK_FALSE(visited.UsesBitmap(TermTag::kIri));
  CHECK(visited.size() == 2000);
  CHECK(visited.bytes() < 64 * 1024);
  // A later dense run (more ids than the bitmap has words) moves them,
  // and every earlier id is still seen.
  for (uint64_t i = 0; i < 600000; ++i) visited.Insert(MakeId(TermTag::kIri, i));
  CHECK(visited.UsesBitmap(TermTag::kIri));
  for (uint64_t i = 0; i < 2000; ++i)
    CHECK_FALSE(visited.Insert(MakeId(TermTag::kIri, i << 14)));
}

}  // namespace
}  // namespace kg::exec
