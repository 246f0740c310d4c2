// Packed blocks (encoding, decoding, corruption) and IndexCursor's merge of
// plain keys with blocks, over in-memory iterators.

#include "storage/packed_block.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "storage/index_cursor.h"
#include "storage/ordered_kv.h"

namespace kg {
namespace {

// A KvIterator over a sorted map, for the cursor's two sides.
class MapIterator : public KvIterator {
 public:
  explicit MapIterator(const std::map<std::string, std::string>* m)
      : map_(m), it_(m->end()) {}
  void SeekToFirst() override {
    it_ = map_->begin();
    Sync();
  }
  void Seek(std::string_view t) override {
    it_ = map_->lower_bound(std::string(t));
    Sync();
  }
  void Next() override {
    ++it_;
    Sync();
  }
  std::string_view value() const override { return it_->second; }

 private:
  void Sync() {
    valid_ = it_ != map_->end();
    if (valid_) key_ = it_->first;
  }

  const std::map<std::string, std::string>* map_;
  std::map<std::string, std::string>::const_iterator it_;
};

// Keys as index keys would look: a few bytes, shared prefixes.
std::string K(int n) {
  std::string k = "\x09\x01";
  k.push_back(static_cast<char>(n / 256));
  k.push_back(static_cast<char>(n % 256));
  if (n % 3 == 0) k.push_back('\x00');  // keys of different lengths
  return k;
}

// Blocks of `per_block` keys from `keys` (ascending) into `blocks`.
void Pack(const std::vector<std::string>& keys, size_t per_block,
          std::map<std::string, std::string>* blocks) {
  PackedBlockWriter w;
  for (const std::string& k : keys) {
    w.Add(k);
    if (w.entries() == per_block) {
      (*blocks)[std::string(w.key())] = std::string(w.value());
      w.Clear();
    }
  }
  if (w.entries() > 0)
    (*blocks)[std::string(w.key())] = std::string(w.value());
}

std::vector<std::string> ReadAll(IndexCursor& c, const std::string& from) {
  std::vector<std::string> out;
  for (c.Seek(from); c.Valid(); c.Next()) out.emplace_back(c.key());
  REQUIRE(c.status().ok());
  return out;
}

TEST_CASE("packed block round trip", "[storage][packed_block]") {
  std::vector<std::string> keys;
  for (int n = 0; n < 300; n += 7) keys.push_back(K(n));
  keys.push_back(std::string(kMaxIndexKeySize, '\x7f'));
  PackedBlockWriter w;
  for (const auto& k : keys) w.Add(k);
  CHECK(w.entries() == keys.size());
  CHECK(w.key() == keys.back());  // blocks are keyed by their last key
  std::vector<std::string> back;
  PackedBlockReader r;
  REQUIRE(r.Reset(w.key(), w.value()));
  for (; r.Valid(); r.Next()) back.emplace_back(r.key());
  CHECK_FALSE(r.corrupt());
  CHECK(back == keys);
  // The last key stays readable past the end.
  CHECK(r.key() == keys.back());
  for (const auto& k : keys) CHECK(PackedBlockHolds(w.key(), w.value(), k));
  CHECK_FALSE(PackedBlockHolds(w.key(), w.value(), K(1)));
  CHECK_FALSE(PackedBlockHolds(w.key(), w.value(), ""));
  CHECK_FALSE(PackedBlockHolds(w.key(), w.value(), keys.back() + "x"));
  // A single-key block is just the format byte.
  w.Clear();
  w.Add(K(5));
  CHECK(w.value() == std::string(1, kPackedBlockFormat));
}

TEST_CASE("SkipBelow finds the first key not below any target",
          "[storage][packed_block]") {
  // Random keys over a small alphabet, so that keys share prefixes of
  // every length; targets: every key, and random strings between them.
  std::mt19937 rng(7);
  auto random_key = [&] {
    std::string k(1 + rng() % 6, '\0');
    for (char& c : k) c = static_cast<char>("\x00\x01\x7f\x80\xff"[rng() % 5]);
    return k;
  };
  for (int round = 0; round < 200; ++round) {
    std::set<std::string> set;
    const int n = 1 + static_cast<int>(rng() % 40);
    while (static_cast<int>(set.size()) < n) set.insert(random_key());
    const std::vector<std::string> keys(set.begin(), set.end());
    PackedBlockWriter w;
    for (const auto& k : keys) w.Add(k);
    std::vector<std::string> targets = keys;
    for (int t = 0; t < 20; ++t) targets.push_back(random_key());
    targets.push_back("");
    for (const std::string& target : targets) {
      PackedBlockReader r;
      REQUIRE(r.Reset(w.key(), w.value()));
      r.SkipBelow(target);
      auto want = std::lower_bound(keys.begin(), keys.end(), target);
      CAPTURE(round, target);
      REQUIRE_FALSE(r.corrupt());
      REQUIRE(r.Valid() == (want != keys.end()));
      if (r.Valid()) CHECK(r.key() == *want);
    }
  }
}

TEST_CASE("malformed packed blocks are reported, not read past",
          "[storage][packed_block]") {
  PackedBlockWriter w;
  w.Add(K(1));
  w.Add(K(2));
  const std::string good(w.value());
  PackedBlockReader r;
  bool corrupt = false;
  SECTION("wrong format tag") {
    CHECK_FALSE(r.Reset(K(1), "\x02"));
    CHECK(r.corrupt());
    CHECK_FALSE(PackedBlockHolds(K(1), "", K(1), &corrupt));
    CHECK(corrupt);
  }
  SECTION("truncated entry") {
    CHECK_FALSE(r.Reset(K(2), good.substr(0, good.size() - 1)));
    CHECK_FALSE(r.Valid());
    CHECK(r.corrupt());
  }
  SECTION("shared prefix longer than the previous key") {
    std::string bad = good;
    bad[1] = 40;
    CHECK_FALSE(r.Reset(K(2), bad));
    CHECK(r.corrupt());
  }
  SECTION("a key not above the previous one") {
    PackedBlockWriter down;
    down.Add(K(2));
    down.Add(K(1));  // the writer trusts its caller
    REQUIRE(r.Reset(down.key(), down.value()));
    CHECK(r.key() == K(2));
    r.Next();
    CHECK_FALSE(r.Valid());
    CHECK(r.corrupt());
    // Likewise between two entries of the value.
    PackedBlockWriter three;
    three.Add(K(5));
    three.Add(K(4));
    three.Add(K(9));
    REQUIRE(r.Reset(three.key(), three.value()));
    r.Next();
    CHECK(r.corrupt());
  }
  SECTION("empty unshared part") {
    std::string bad(1, kPackedBlockFormat);
    bad += std::string("\x00\x00", 2);
    CHECK_FALSE(r.Reset(K(1), bad));
    CHECK(r.corrupt());
  }
}

TEST_CASE("index cursor merges plain keys and packed blocks",
          "[storage][packed_block]") {
  // Even keys in blocks of 5, odd ones plain, and a few in both.
  std::vector<std::string> packed, all;
  std::map<std::string, std::string> plain, blocks;
  for (int n = 0; n < 100; ++n) {
    all.push_back(K(n));
    if (n % 2 == 0) packed.push_back(K(n));
    if (n % 2 == 1 || n % 10 == 4) plain[K(n)] = "";
  }
  Pack(packed, 5, &blocks);
  IndexCursor c(std::make_unique<MapIterator>(&plain),
                std::make_unique<MapIterator>(&blocks), "test");
  CHECK(ReadAll(c, "") == all);
  // Seeks: into a block, onto a block's first key, between two blocks,
  // onto a plain key, past everything.
  for (int from : {0, 3, 7, 10, 11, 19, 20, 42, 97, 99}) {
    CAPTURE(from);
    CHECK(ReadAll(c, K(from)) ==
          std::vector<std::string>(all.begin() + from, all.end()));
  }
  // Between two keys (K(n) + a byte sorts after K(n), before K(n+1)).
  CHECK(ReadAll(c, K(8) + "\xff").front() == K(9));
  CHECK(ReadAll(c, K(100)).empty());
  CHECK(c.BlocksHold(K(8)));
  CHECK(c.BlocksHold(K(4)));
  CHECK_FALSE(c.BlocksHold(K(9)));   // plain only
  CHECK_FALSE(c.BlocksHold(K(100)));
  CHECK(c.status().ok());
  // Without blocks: the plain keys alone.
  IndexCursor plain_only(std::make_unique<MapIterator>(&plain), nullptr, "t");
  CHECK(ReadAll(plain_only, "").size() == plain.size());
  // Blocks alone.
  std::map<std::string, std::string> none;
  IndexCursor blocks_only(std::make_unique<MapIterator>(&none),
                          std::make_unique<MapIterator>(&blocks), "t");
  CHECK(ReadAll(blocks_only, "") == packed);
  CHECK(ReadAll(blocks_only, K(9)).front() == K(10));
}

TEST_CASE("index cursor reports overlapping and malformed blocks",
          "[storage][packed_block]") {
  std::map<std::string, std::string> plain, blocks;
  Pack({K(1), K(2), K(5)}, 10, &blocks);
  SECTION("overlap") {
    Pack({K(3), K(4)}, 10, &blocks);  // inside the first block's range
    IndexCursor c(std::make_unique<MapIterator>(&plain),
                  std::make_unique<MapIterator>(&blocks), "spog");
    int read = 0;
    for (c.Seek(""); c.Valid(); c.Next()) ++read;
    CHECK(read == 2);  // K(3), K(4); then K(1) is not above K(4)
    CHECK(c.status().code() == absl::StatusCode::kDataLoss);
    CHECK(c.status().message().find("overlap") != std::string::npos);
  }
  SECTION("malformed value") {
    blocks[K(7)] = "\x01\x09";
    IndexCursor c(std::make_unique<MapIterator>(&plain),
                  std::make_unique<MapIterator>(&blocks), "spog");
    for (c.Seek(""); c.Valid(); c.Next()) {
    }
    CHECK(c.status().code() == absl::StatusCode::kDataLoss);
    CHECK(c.status().message().find("index spog") != std::string::npos);
  }
}

}  // namespace
}  // namespace kg
