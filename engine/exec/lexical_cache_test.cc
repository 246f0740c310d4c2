// LexicalCache: what is added is found unchanged, views stay valid while
// the arena grows (short entries across chunks, long ones in their own),
// and Clear forgets everything.

#include "engine/exec/lexical_cache.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace kg::exec {
namespace {

TEST_CASE("LexicalCache keeps lexical forms with views that stay valid",
          "[exec]") {
  LexicalCache cache;
  CHECK_FALSE(cache.Find(1).has_value());
  std::vector<std::string> texts;
  std::vector<std::string_view> views;
  // 60,000 short IRIs (more than two 1 MiB chunks), a long literal among
  // them (a chunk of its own), and an empty string.
  for (int i = 0; i < 60000; ++i) {
    std::string t = i == 777 ? std::string(700000, 'x')
                    : i == 778
                        ? std::string()
                        : absl::StrCat("https://kgstore.example/id/person-", i);
    views.push_back(cache.Add(static_cast<TermId>(i + 1), t));
    texts.push_back(std::move(t));
  }
  CHECK(cache.size() == 60000);
  uint64_t expected_bytes = 0;
  for (int i = 0; i < 60000; ++i) {
    CAPTURE(i);
    // The views handed out earlier still read the right text.
    CHECK(views[i] == texts[i]);
    auto found = cache.Find(static_cast<TermId>(i + 1));
    REQUIRE(found.has_value());
    CHECK(*found == texts[i]);
    expected_bytes += LexicalCache::EntryCost(texts[i].size());
  }
  CHECK(cache.bytes() == expected_bytes);
  CHECK_FALSE(cache.Find(60001).has_value());
  cache.Clear();
  CHECK(cache.size() == 0);
  CHECK(cache.bytes() == 0);
  CHECK_FALSE(cache.Find(1).has_value());
  // Usable again after Clear.
  CHECK(cache.Add(5, "again") == "again");
  CHECK(cache.Find(5) == std::optional<std::string_view>("again"));
}

}  // namespace
}  // namespace kg::exec
