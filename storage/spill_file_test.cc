// SpillFile (runs written, mapped, read back, given back) and RunMerger's
// release of consumed elements, which bulk loads rely on to keep spilled
// runs out of their resident memory.

#include "storage/spill_file.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "storage/sorted_runs.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

TEST_CASE("SpillFile appends runs, maps them and reads them back",
          "[storage][load]") {
  testing::TempDir dir;
  dir.Create();
  const std::string path = dir.file("kg-spill-test");
  {
    auto file = SpillFile::Create(path);
    REQUIRE(file.ok());
    SpillFile& f = **file;
    std::vector<uint64_t> a(100000), b(7);
    std::iota(a.begin(), a.end(), 1);
    std::iota(b.begin(), b.end(), 500);
    auto at_a = f.AppendAll<uint64_t>(a);
    auto at_b = f.AppendAll<uint64_t>(b);
    auto at_empty = f.AppendAll<uint64_t>(std::span<const uint64_t>());
    REQUIRE(at_a.ok());
    REQUIRE(at_b.ok());
    REQUIRE(at_empty.ok());
    CHECK(*at_a == 0);
    CHECK(*at_b == a.size() * sizeof(uint64_t));
    CHECK(*at_empty == f.size());
    CHECK(std::filesystem::file_size(path) == f.size());

    REQUIRE(f.Map().ok());
    REQUIRE(f.Map().ok());  // idempotent
    auto span_a = f.At<uint64_t>(*at_a, a.size());
    auto span_b = f.At<uint64_t>(*at_b, b.size());
    CHECK(std::vector<uint64_t>(span_a.begin(), span_a.end()) == a);
    CHECK(std::vector<uint64_t>(span_b.begin(), span_b.end()) == b);
    CHECK(f.Contains(&span_a[0]));
    CHECK(f.Contains(&span_b[6]));
    CHECK_FALSE(f.Contains(&a[0]));
    // Read goes through the file, not the mapping, and agrees with it.
    CHECK(f.Read(&span_a[12345]) == 12346);
    CHECK(f.Read(&span_b[3]) == 503);

    // Given back, the pages read again from the file, unchanged: from
    // the middle of a page to the end, and the whole file.
    f.Release(&span_a[1000], &span_a[60000]);
    CHECK(std::vector<uint64_t>(span_a.begin(), span_a.end()) == a);
    f.ReleaseAll();
    CHECK(std::vector<uint64_t>(span_b.begin(), span_b.end()) == b);
    CHECK(std::vector<uint64_t>(span_a.begin(), span_a.end()) == a);

    // No appends once mapped.
    auto late = f.AppendAll<uint64_t>(b);
    REQUIRE_FALSE(late.ok());
    CHECK(late.status().code() == absl::StatusCode::kFailedPrecondition);
  }
  // The destructor removes the file.
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE(
    "SpillFile: an empty file maps to nothing, a missing directory "
    "is an error naming the path",
    "[storage][load]") {
  testing::TempDir dir;
  dir.Create();
  const std::string path = dir.file("kg-spill-empty");
  {
    auto file = SpillFile::Create(path);
    REQUIRE(file.ok());
    REQUIRE((*file)->Map().ok());
    int x = 0;
    CHECK_FALSE((*file)->Contains(&x));
    (*file)->ReleaseAll();  // nothing to give back: no effect
  }
  CHECK_FALSE(std::filesystem::exists(path));

  const std::string missing = dir.file("no-such-dir/runs-0");
  auto bad = SpillFile::Create(missing);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kUnavailable);
  CHECK(bad.status().message().find(missing) != std::string::npos);
}

TEST_CASE(
    "SpillFile: a full disk is ResourceExhausted and says what a load "
    "needs",
    "[storage][load]") {
  testing::TempDir dir;
  dir.Create();
  // /dev/full fails every write with ENOSPC; through a symbolic link, so
  // that the destructor removes the link, not the device.
  REQUIRE(std::filesystem::exists("/dev/full"));  // Linux has it
  const std::string link = dir.file("kg-spill-full");
  std::filesystem::create_symlink("/dev/full", link);
  {
    auto file = SpillFile::Create(link);
    REQUIRE(file.ok());
    const std::vector<uint64_t> v(1000, 7);
    auto at = (*file)->AppendAll<uint64_t>(v);
    REQUIRE_FALSE(at.ok());
    CHECK(at.status().code() == absl::StatusCode::kResourceExhausted);
    CHECK(at.status().message().find("No space left on device") !=
          std::string::npos);
    CHECK(at.status().message().find("bytes of free disk per quad") !=
          std::string::npos);
  }
  CHECK_FALSE(std::filesystem::is_symlink(link));
  CHECK(std::filesystem::exists("/dev/full"));
}

TEST_CASE("SpillFile: raw elements appended after odd lengths are aligned",
          "[storage][load]") {
  testing::TempDir dir;
  dir.Create();
  auto file = SpillFile::Create(dir.file("kg-spill-align"));
  REQUIRE(file.ok());
  REQUIRE((*file)->Append("abc").ok());  // 3 bytes: misaligns what follows
  const std::vector<uint64_t> v = {1, 2, 3};
  auto at = (*file)->AppendAll<uint64_t>(v);
  REQUIRE(at.ok());
  CHECK(*at % alignof(uint64_t) == 0);
  REQUIRE((*file)->Map().ok());
  auto span = (*file)->At<uint64_t>(*at, v.size());
  CHECK(reinterpret_cast<uintptr_t>(span.data()) % alignof(uint64_t) == 0);
  CHECK(std::vector<uint64_t>(span.begin(), span.end()) == v);
}

TEST_CASE("RunMerger hands every consumed element to release exactly once",
          "[storage][load]") {
  std::mt19937 rng(11);
  // Runs long enough to be released in several steps (256 KiB of
  // uint64_t is 32,768 elements), short ones, and an empty one.
  std::vector<std::vector<uint64_t>> runs;
  for (size_t n : {100000, 40000, 5, 0, 70000}) {
    std::vector<uint64_t> r(n);
    for (auto& v : r) v = rng() % 1000000;
    std::sort(r.begin(), r.end());
    runs.push_back(std::move(r));
  }
  std::vector<std::span<const uint64_t>> parts;
  for (const auto& r : runs) parts.emplace_back(r);
  // Per run, the ranges released, in order.
  std::vector<std::vector<std::pair<const uint64_t*, const uint64_t*>>>
      released(runs.size());
  auto release = [&](const void* from, const void* to) {
    const auto* f = static_cast<const uint64_t*>(from);
    const auto* t = static_cast<const uint64_t*>(to);
    for (size_t r = 0; r < runs.size(); ++r)
      if (!runs[r].empty() && f >= runs[r].data() &&
          f < runs[r].data() + runs[r].size())
        released[r].emplace_back(f, t);
  };
  RunMerger<uint64_t> merge(parts, {}, release);
  std::vector<uint64_t> out;
  uint64_t v;
  size_t calls_midway = 0;
  while (merge.Next(&v)) {
    out.push_back(v);
    if (out.size() == 150000)
      for (const auto& r : released) calls_midway += r.size();
  }
  CHECK(std::is_sorted(out.begin(), out.end()));
  CHECK(calls_midway > 0);  // released along the way, not only at the end
  for (size_t r = 0; r < runs.size(); ++r) {
    CAPTURE(r);
    if (runs[r].empty()) {
      CHECK(released[r].empty());
      continue;
    }
    // Contiguous, in order, covering the whole run, none larger than the
    // release step.
    const uint64_t* at = runs[r].data();
    for (const auto& [from, to] : released[r]) {
      CHECK(from == at);
      CHECK(to > from);
      CHECK(static_cast<size_t>(to - from) <= (size_t{1} << 18) / 8);
      at = to;
    }
    CHECK(at == runs[r].data() + runs[r].size());
  }
}

}  // namespace
}  // namespace kg
