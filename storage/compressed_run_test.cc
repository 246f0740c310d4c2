// CompressedRun: sorted id tuples written delta-coded to a spill file come
// back unchanged, whole or in any sub-range, searched by LowerBound, and
// a damaged block is an error, not wrong tuples.

#include "storage/compressed_run.h"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "storage/term_id.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

// Ascending tuples with the shapes a load gives: long runs of one first
// id, ids of several tags (far apart), repeats, zeros (the default graph)
// and the largest ids.
std::vector<IdTuple> SampleTuples(std::mt19937_64& rng, size_t n) {
  const TermId tags[] = {MakeId(TermTag::kIri, 0),
                         MakeId(TermTag::kBlankNode, 0),
                         std::numeric_limits<TermId>::max() - 1000, 0};
  std::vector<IdTuple> v(n);
  for (IdTuple& t : v)
    for (TermId& id : t) id = tags[rng() % 4] + rng() % 500;
  for (size_t k = 1; k < n; k += 3) v[k] = v[k - 1];  // repeats
  v.push_back({std::numeric_limits<TermId>::max(),
               std::numeric_limits<TermId>::max(), 0,
               std::numeric_limits<TermId>::max()});
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<IdTuple> ReadAll(const CompressedRun& run, size_t begin,
                             size_t end) {
  CompressedRunReader reader(&run, begin, end);
  std::vector<IdTuple> out;
  for (auto piece = reader.Next(); !piece.empty(); piece = reader.Next())
    out.insert(out.end(), piece.begin(), piece.end());
  REQUIRE(reader.status().ok());
  return out;
}

TEST_CASE("CompressedRun: tuples come back unchanged, in any range",
          "[storage][load]") {
  testing::TempDir dir;
  dir.Create();
  std::mt19937_64 rng(7);
  auto file = SpillFile::Create(dir.file("kg-compressed-run"));
  REQUIRE(file.ok());
  // Runs of less than a block, exactly one, several with a short last one,
  // and an empty one, one after another in the same file.
  std::vector<std::vector<IdTuple>> inputs;
  std::vector<CompressedRun> runs;
  for (size_t n : {size_t{5}, kCompressedRunBlock - 1,
                   3 * kCompressedRunBlock + 17, size_t{0}}) {
    inputs.push_back(n == 0 ? std::vector<IdTuple>{} : SampleTuples(rng, n));
    auto run = WriteCompressedRun(file->get(), inputs.back());
    REQUIRE(run.ok());
    CHECK(run->count == inputs.back().size());
    runs.push_back(*std::move(run));
  }
  // Smaller than the raw tuples.
  CHECK((*file)->size() < 32 * (inputs[1].size() + inputs[2].size()) / 2);
  for (size_t r = 0; r < runs.size(); ++r) {
    CAPTURE(r);
    const auto& in = inputs[r];
    CHECK(ReadAll(runs[r], 0, in.size()) == in);
    // Sub-ranges that start and end inside blocks and on their edges.
    for (auto [b, e] : {std::pair<size_t, size_t>{1, 3},
                        {kCompressedRunBlock - 2, kCompressedRunBlock + 2},
                        {kCompressedRunBlock, 2 * kCompressedRunBlock},
                        {17, in.size()}}) {
      if (b > in.size()) continue;
      e = std::min(e, in.size());
      CHECK(ReadAll(runs[r], b, e) ==
            std::vector<IdTuple>(in.begin() + b, in.begin() + e));
    }
    CHECK(ReadAll(runs[r], in.size(), in.size()).empty());
    // LowerBound agrees with std::lower_bound for present and absent
    // tuples, below, between and above everything.
    std::vector<IdTuple> probes = {IdTuple{0, 0, 0, 0},
                                   IdTuple{std::numeric_limits<TermId>::max(),
                                           std::numeric_limits<TermId>::max(),
                                           std::numeric_limits<TermId>::max(),
                                           std::numeric_limits<TermId>::max()}};
    for (int k = 0; k < 50 && !in.empty(); ++k) {
      IdTuple t = in[rng() % in.size()];
      probes.push_back(t);
      t[3] += 1;
      probes.push_back(t);
    }
    for (const IdTuple& v : probes) {
      auto at = LowerBound(runs[r], v);
      REQUIRE(at.ok());
      CHECK(*at == static_cast<size_t>(
                       std::lower_bound(in.begin(), in.end(), v) - in.begin()));
    }
  }
}

TEST_CASE("CompressedRun: a block that does not decode is DataLoss",
          "[storage][load]") {
  testing::TempDir dir;
  dir.Create();
  std::mt19937_64 rng(9);
  auto file = SpillFile::Create(dir.file("kg-compressed-bad"));
  REQUIRE(file.ok());
  const auto in = SampleTuples(rng, 100);
  auto run = WriteCompressedRun(file->get(), in);
  REQUIRE(run.ok());
  // A run that claims more tuples than its block holds.
  CompressedRun longer = *run;
  longer.count += 1;
  CompressedRunReader reader(&longer, 0, longer.count);
  CHECK(reader.Next().empty());
  CHECK(reader.status().code() == absl::StatusCode::kDataLoss);
  // One that claims fewer: bytes left over.
  CompressedRun shorter = *run;
  shorter.count -= 1;
  std::string bytes;
  std::vector<IdTuple> out;
  CHECK(DecodeCompressedBlock(shorter, 0, &bytes, &out).code() ==
        absl::StatusCode::kDataLoss);
  // A block that ends past the file: the read fails.
  CompressedRun beyond = *run;
  beyond.end += 100;
  CHECK(DecodeCompressedBlock(beyond, 0, &bytes, &out).code() ==
        absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace kg
