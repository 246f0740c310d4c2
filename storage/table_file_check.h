// A check of the blocks of a RocksDB table file that RocksDB 7.8 trusts
// before it has verified them, run on every table file of a store before
// RocksDB opens it (rocks_kv_open.cc).
//
// Why: opening a store, RocksDB reads each table file's properties block
// *without* verifying its checksum first (table/meta_blocks.cc,
// ReadTablePropertiesHelper: the block's global sequence number may have
// been rewritten by an ingestion, so the check comes after the parse), and
// parsing a damaged block can trip an assertion (`num_buckets_ > 0` in
// DataBlockHashIndex::Initialize), which Debian's librocksdb keeps: one
// flipped byte in a table file aborted the host process instead of
// failing the open (found by tests/faults). This check verifies the
// footer's two handles and both meta blocks the way RocksDB would, before
// RocksDB parses anything, so such damage is a DataLoss error.
//
// The table file layout it reads (block-based tables of format versions
// 1 to 5, the ones kgstore writes; see rocksdb/table.h):
//
//   [data blocks][filter][index][properties][metaindex][footer]
//
//   footer (53 bytes, at the end of the file):
//     checksum type         1 byte (0 none, 1 CRC32c, 2 xxHash,
//                                   3 xxHash64, 4 XXH3)
//     metaindex handle      varint64 offset, varint64 size
//     index handle          varint64 offset, varint64 size
//     padding               to byte 41
//     format version        fixed32 little-endian
//     magic number          fixed64 0x88e241b785f4cff7
//
//   every block is followed by a 5-byte trailer: its compression type
//   (1 byte) and a fixed32 checksum of the block and that byte.
//
//   a block: entries (varint32 shared key length, varint32 unshared key
//   length, varint32 value length, the unshared key bytes, the value),
//   then fixed32 restart offsets, then a fixed32 count of them (its top
//   bit says whether a hash index follows the entries).
//
//   the metaindex block maps "rocksdb.properties" to the properties
//   block's handle; the properties block maps property names to values,
//   among them "rocksdb.external_sst_file.global_seqno" (a fixed64 that
//   ingestion rewrites in place, so the checksum is also tried with it
//   set back to 0, as RocksDB does).
//
// Files whose footer is not (yet) there are left to RocksDB: a file a
// writer in another process is still writing has no magic number at its
// end, and a cut file makes RocksDB fail cleanly ("bad table magic
// number"). So do other table formats and format versions.

#ifndef KGSTORE_STORAGE_TABLE_FILE_CHECK_H_
#define KGSTORE_STORAGE_TABLE_FILE_CHECK_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "rocksdb/file_system.h"

namespace kg {

// Where a table file's meta blocks are (offsets and sizes without the
// trailer). Known only for files CheckTableFile verified.
struct TableFileLayout {
  bool checked = false;  // false: left to RocksDB (see above)
  uint64_t file_size = 0;
  uint64_t metaindex_offset = 0, metaindex_size = 0;
  uint64_t properties_offset = 0, properties_size = 0;
};

// Checks the table file `path` read through `fs`: OK (also for a file
// left to RocksDB, or one that no longer exists: a writer deleted it);
// DataLoss naming the file and the block when its footer's handles point
// outside it or a meta block fails its checksum; the file system's error
// (Unavailable or another code, from FromRocks) when a read fails.
// Fills `layout` when given. Thread-compatible.
absl::Status CheckTableFile(rocksdb::FileSystem* fs, const std::string& path,
                            TableFileLayout* layout = nullptr);

// CheckTableFile over every "*.sst" file in the directory `dir`: the
// first error. Reads three small pieces of each file.
absl::Status CheckTableFiles(rocksdb::FileSystem* fs, const std::string& dir);

}  // namespace kg

#endif  // KGSTORE_STORAGE_TABLE_FILE_CHECK_H_
