// Every one of the 16 bound/unbound combinations maps to an index whose key
// starts with exactly the bound positions.

#include "storage/quad_index.h"

#include <catch2/catch.hpp>

namespace kg {
namespace {

TEST_CASE("each pattern shape gets a prefix index", "[quad_index]") {
  for (unsigned mask = 0; mask < 16; ++mask) {
    Permutation perm = ChoosePermutation(mask);
    const auto& order = kPermutationOrder[static_cast<int>(perm)];
    int bound = __builtin_popcount(mask);
    for (int k = 0; k < 4; ++k) {
      bool is_bound = mask & (1u << order[k]);
      INFO("mask " << mask << " perm " << PermutationName(perm));
      CHECK(is_bound == (k < bound));
    }
  }
}

TEST_CASE("quad keys round-trip in every permutation", "[quad_index]") {
  QuadIds q{MakeId(TermTag::kIri, 5), MakeId(TermTag::kIri, 300),
            MakeId(TermTag::kInlineInteger, 1ull << 40), kDefaultGraph};
  for (int i = 0; i < kNumPermutations; ++i) {
    auto perm = static_cast<Permutation>(i);
    std::string key;
    EncodeQuadKey(perm, q, &key);
    QuadIds back;
    REQUIRE(DecodeQuadKey(perm, key, &back));
    CHECK(back == q);
    CHECK_FALSE(DecodeQuadKey(perm, key.substr(0, key.size() - 1), &back));
  }
}

TEST_CASE("prefix successor bounds a prefix scan", "[quad_index]") {
  CHECK(PrefixSuccessor("ab") == "ac");
  CHECK(PrefixSuccessor(std::string("a\xff", 2)) == "b");
  CHECK(PrefixSuccessor(std::string("\xff\xff", 2)).empty());
}

}  // namespace
}  // namespace kg
