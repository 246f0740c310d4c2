// CompressedRun: one sorted run of a bulk load's id tuples, written to a
// spill file in delta-coded blocks, and read back a block at a time.
//
// Why: a 100M-quad load spills three orders of every quad (96 bytes a
// quad, 9.6 GB). Raw, those files outgrew the page cache beside the input,
// and the commit's merges waited on the disk to read them back. Sorted
// tuples of ids differ little from their predecessors: delta-coded they
// take about a quarter of the space, and the encoding and decoding cost
// less than the reads they save.
//
// Format. A run is a sequence of blocks of kCompressedRunBlock tuples (the
// last may be shorter), each self-contained:
//   the first tuple: its four ids as varints;
//   each next tuple t after p (t >= p, the run is ascending): one byte k,
//     the first position where t and p differ (4: t equals p); if k < 4,
//     varint(t[k] - p[k]) (positive), then for each position j > k
//     varint(zigzag(t[j] - p[j])).
// Varints are little-endian base 128 (7 bits a byte, high bit = more);
// zigzag maps signed d to (d << 1) ^ (d >> 63). Where each block starts
// and its first tuple stay in memory (CompressedRun::blocks), so that a
// run is split or searched by decoding one block.
//
// Thread-safety: a CompressedRun is immutable once written; readers of one
// run (any number, each on one thread) may run at once.

#ifndef KGSTORE_STORAGE_COMPRESSED_RUN_H_
#define KGSTORE_STORAGE_COMPRESSED_RUN_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/sorted_runs.h"
#include "storage/spill_file.h"

namespace kg {

inline constexpr size_t kCompressedRunBlock = 4096;

struct CompressedRun {
  struct Block {
    uint64_t offset;  // in the file
    IdTuple first;
  };
  const SpillFile* file = nullptr;
  size_t count = 0;           // tuples
  std::vector<Block> blocks;  // ceil(count / kCompressedRunBlock)
  uint64_t end = 0;           // where the last block ends in the file

  // Bytes of block b in the file.
  uint64_t BlockBytes(size_t b) const {
    return (b + 1 < blocks.size() ? blocks[b + 1].offset : end) -
           blocks[b].offset;
  }
};

// Appends ascending `tuples` to `file` as one run. Errors: those of
// SpillFile::Append (a full disk).
absl::StatusOr<CompressedRun> WriteCompressedRun(
    SpillFile* file, std::span<const IdTuple> tuples);

// The tuples at positions [begin, end) of `run`, a block at a time, read
// with pread (nothing is mapped: a reader's memory is two blocks' worth).
class CompressedRunReader {
 public:
  CompressedRunReader(const CompressedRun* run, size_t begin, size_t end);
  // The next decoded tuples, empty at the end or after a failed read
  // (status() says which).
  std::span<const IdTuple> Next();
  const absl::Status& status() const { return status_; }

 private:
  const CompressedRun* run_;
  size_t pos_, end_;  // tuple positions
  std::string bytes_;
  std::vector<IdTuple> tuples_;
  absl::Status status_;
};

// Decodes block b of `run` into *out (cleared first), reading the file
// with pread into *bytes (scratch). Errors: Unavailable on a failed read,
// DataLoss when the bytes do not decode to the block's tuple count.
absl::Status DecodeCompressedBlock(const CompressedRun& run, size_t b,
                                   std::string* bytes,
                                   std::vector<IdTuple>* out);

// The first position of `run` whose tuple is not less than `v` (decodes
// at most one block). Errors: those of DecodeCompressedBlock.
absl::StatusOr<size_t> LowerBound(const CompressedRun& run, const IdTuple& v);

}  // namespace kg

#endif  // KGSTORE_STORAGE_COMPRESSED_RUN_H_
