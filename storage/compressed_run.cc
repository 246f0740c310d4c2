// CompressedRun (compressed_run.h).

#include "storage/compressed_run.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace kg {
namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

uint64_t ZigZag(uint64_t delta) {  // delta: t - p modulo 2^64
  const auto d = static_cast<int64_t>(delta);
  return (static_cast<uint64_t>(d) << 1) ^ static_cast<uint64_t>(d >> 63);
}

uint64_t UnZigZag(uint64_t z) { return (z >> 1) ^ (~(z & 1) + 1); }

// Reads a varint at *p (< end); false if it runs past end or over 10
// bytes.
bool GetVarint(const char*& p, const char* end, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    const auto byte = static_cast<uint8_t>(*p++);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<CompressedRun> WriteCompressedRun(
    SpillFile* file, std::span<const IdTuple> tuples) {
  CompressedRun run;
  run.file = file;
  run.count = tuples.size();
  run.end = file->size();
  std::string buf;
  for (size_t start = 0; start < tuples.size(); start += kCompressedRunBlock) {
    const size_t stop = std::min(tuples.size(), start + kCompressedRunBlock);
    buf.clear();
    const IdTuple& first = tuples[start];
    for (TermId id : first) PutVarint(id, &buf);
    for (size_t i = start + 1; i < stop; ++i) {
      const IdTuple& t = tuples[i];
      const IdTuple& p = tuples[i - 1];
      int k = 0;
      while (k < 4 && t[k] == p[k]) ++k;
      buf.push_back(static_cast<char>(k));
      if (k == 4) continue;
      PutVarint(t[k] - p[k], &buf);
      for (int j = k + 1; j < 4; ++j) PutVarint(ZigZag(t[j] - p[j]), &buf);
    }
    auto offset = file->Append(buf);
    if (!offset.ok()) return offset.status();
    run.blocks.push_back({*offset, first});
    run.end = file->size();
  }
  return run;
}

absl::Status DecodeCompressedBlock(const CompressedRun& run, size_t b,
                                   std::string* bytes,
                                   std::vector<IdTuple>* out) {
  out->clear();
  const uint64_t size = run.BlockBytes(b);
  bytes->resize(size);
  absl::Status s =
      run.file->ReadBytes(run.blocks[b].offset, bytes->data(), bytes->size());
  if (!s.ok()) return s;
  const size_t n =
      std::min(kCompressedRunBlock, run.count - b * kCompressedRunBlock);
  out->reserve(n);
  const char* p = bytes->data();
  const char* end = p + bytes->size();
  auto corrupt = [&] {
    return absl::DataLossError(
        absl::StrCat("bulk load: sorted run block at offset ",
                     run.blocks[b].offset, " does not decode"));
  };
  IdTuple t;
  for (TermId& id : t)
    if (!GetVarint(p, end, &id)) return corrupt();
  out->push_back(t);
  while (out->size() < n) {
    if (p == end) return corrupt();
    const int k = static_cast<uint8_t>(*p++);
    if (k > 4) return corrupt();
    if (k < 4) {
      uint64_t v;
      if (!GetVarint(p, end, &v)) return corrupt();
      t[k] += v;
      for (int j = k + 1; j < 4; ++j) {
        if (!GetVarint(p, end, &v)) return corrupt();
        t[j] += UnZigZag(v);
      }
    }
    out->push_back(t);
  }
  if (p != end) return corrupt();
  return absl::OkStatus();
}

CompressedRunReader::CompressedRunReader(const CompressedRun* run, size_t begin,
                                         size_t end)
    : run_(run), pos_(begin), end_(std::min(end, run->count)) {}

std::span<const IdTuple> CompressedRunReader::Next() {
  if (pos_ >= end_ || !status_.ok()) return {};
  const size_t b = pos_ / kCompressedRunBlock;
  status_ = DecodeCompressedBlock(*run_, b, &bytes_, &tuples_);
  if (!status_.ok()) return {};
  const size_t block_start = b * kCompressedRunBlock;
  const size_t from = pos_ - block_start;
  const size_t to = std::min(tuples_.size(), end_ - block_start);
  pos_ = block_start + to;
  return std::span<const IdTuple>(tuples_).subspan(from, to - from);
}

absl::StatusOr<size_t> LowerBound(const CompressedRun& run, const IdTuple& v) {
  // The last block whose first tuple is below v holds the answer, or the
  // answer is its end (the next block's first tuple is not below v).
  auto after = std::partition_point(
      run.blocks.begin(), run.blocks.end(),
      [&](const CompressedRun::Block& b) { return b.first < v; });
  if (after == run.blocks.begin()) return 0;
  const size_t b = static_cast<size_t>(after - run.blocks.begin()) - 1;
  std::string bytes;
  std::vector<IdTuple> tuples;
  absl::Status s = DecodeCompressedBlock(run, b, &bytes, &tuples);
  if (!s.ok()) return s;
  return b * kCompressedRunBlock +
         static_cast<size_t>(std::lower_bound(tuples.begin(), tuples.end(), v) -
                             tuples.begin());
}

}  // namespace kg
