// QueryContext's decode cache: charged to the query's memory, kept under
// its budget, and given up before a charge would fail the query.

#include "engine/exec/query_context.h"

#include <catch2/catch.hpp>

#include <string>

#include "absl/strings/str_cat.h"
#include "tests/util/exec_fixture.h"

namespace kg::exec {
namespace {

using testing::ExecFixture;

// A store with `n` IRIs as subjects (<http://ex.org/eI>), and their ids.
std::string ManyIris(int n) {
  std::string trig;
  for (int i = 0; i < n; ++i) absl::StrAppend(&trig, ":e", i, " :p 1 .\n");
  return trig;
}

TEST_CASE("the decode cache is charged, bounded, and gives way to a charge",
          "[exec][limits]") {
  QueryOptions options;
  options.memory_limit_bytes = 400000;
  ExecFixture f(ManyIris(3000), options);
  QueryContext& ctx = *f.ctx();
  std::vector<TermId> ids;
  for (int i = 0; i < 3000; ++i)
    ids.push_back(f.Row({absl::StrCat("e", i)})[0]);
  // Comparisons decode every IRI: the cache never passes its budget (a
  // quarter of the limit here), and is counted in the query's memory.
  for (int i = 1; i < 3000; ++i) {
    const auto c = ctx.CompareLexical(ids[i - 1], ids[i]);
    REQUIRE(c.has_value());
    CHECK(*c == (absl::StrCat("e", i - 1) < absl::StrCat("e", i) ? -1 : 1));
    CHECK(ctx.decode_cache_bytes <= options.memory_limit_bytes / 4);
  }
  CHECK(ctx.decode_cache_bytes > 0);
  CHECK(ctx.memory == ctx.decode_cache_bytes);
  // A charge that fits only without the cache succeeds and empties it.
  const uint64_t generation = ctx.decode_generation;
  CHECK(ctx.Charge(options.memory_limit_bytes - 100));
  CHECK(ctx.decode_cache_bytes == 0);
  CHECK(ctx.decode_generation > generation);
  CHECK(ctx.ok());
  // One that does not fit still fails the query.
  CHECK_FALSE(ctx.Charge(200));
  CHECK_FALSE(ctx.ok());
}

TEST_CASE("comparisons stay right when the decode cache holds one term",
          "[exec][limits]") {
  QueryOptions options;
  options.memory_limit_bytes = 300;  // a budget of 75 bytes: one IRI
  ExecFixture f(ManyIris(50), options);
  QueryContext& ctx = *f.ctx();
  for (int i = 1; i < 50; ++i) {
    const TermId x = f.Row({absl::StrCat("e", i - 1)})[0];
    const TermId y = f.Row({absl::StrCat("e", i)})[0];
    const auto c = ctx.CompareLexical(x, y);
    REQUIRE(c.has_value());
    CHECK(*c == (absl::StrCat("e", i - 1) < absl::StrCat("e", i) ? -1 : 1));
    CHECK(ctx.CompareLexical(y, x) == -*c);
    CHECK(ctx.decode_cache.size() <= 1);
  }
  CHECK(ctx.ok());
}

}  // namespace
}  // namespace kg::exec
