// Packed index blocks: a run of consecutive index keys stored as one
// RocksDB entry of a graph-last index's `*_blocks` column family.
//
// Why: a bulk load into an empty store writes every quad as a key of three
// indexes, and RocksDB's table builder costs about 150 ns per key whatever
// the key's size: at 10M quads that was half the load's CPU time. A block
// of up to kPackedBlockEntries keys is one RocksDB entry, so the builder
// sees a sixty-fourth of the keys, and scans decode a block's keys from one
// value instead of stepping a RocksDB iterator per key.
//
// Format (frozen, docs/STORAGE.md "Packed blocks"). The RocksDB key is the
// block's LAST index key, exactly as the plain index would hold it, so
// that one Seek(k) finds the one block that may hold k: the first whose
// last key is not below k. The value is:
//
//   0x01                       format tag of this encoding
//   then, for every key but the last, in ascending order:
//     shared   (1 byte)        bytes in common with the previous key (0
//                              for the first)
//     unshared (1 byte, >= 1)  bytes that follow
//     the unshared bytes
//
// and the block's last key is the RocksDB key. Index keys are at most
// kMaxIndexKeySize (32) bytes, so both lengths fit a byte. Keys of one
// block strictly ascend, and every key of a block is above the previous
// block's RocksDB key: blocks never overlap.
//
// Thread-safety: none; each object is used by one thread.

#ifndef KGSTORE_STORAGE_PACKED_BLOCK_H_
#define KGSTORE_STORAGE_PACKED_BLOCK_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/term_id.h"

namespace kg {

inline constexpr size_t kMaxIndexKeySize = 4 * kMaxEncodedIdSize;
// Keys per block the bulk loader writes. Readers accept any count.
inline constexpr size_t kPackedBlockEntries = 64;
inline constexpr char kPackedBlockFormat = 0x01;

// Builds one block from ascending keys.
class PackedBlockWriter {
 public:
  PackedBlockWriter() { Clear(); }
  // Appends `key` (1 to kMaxIndexKeySize bytes, above the previous key;
  // the caller guarantees both).
  void Add(std::string_view key);
  size_t entries() const { return entries_; }
  // The block's RocksDB key (its last key) and value, once it has an
  // entry. Valid until the next Add or Clear.
  std::string_view key() const {
    return std::string_view(keys_[last_], sizes_[last_]);
  }
  std::string_view value() const { return value_; }
  // Starts a new, empty block.
  void Clear();

 private:
  // The value holds every key but the last, keys_[last_]; the other
  // buffer holds the key before it (the last one in the value), for the
  // prefix compression of the next.
  std::string value_;
  char keys_[2][kMaxIndexKeySize];
  size_t sizes_[2] = {0, 0};
  int last_ = 0;
  size_t entries_ = 0;
};

// Walks the keys of one block in order.
class PackedBlockReader {
 public:
  // Positions at the block's first key. `key` (the RocksDB key) and
  // `value` must outlive the reader's use of them (they are not copied).
  // Returns false, with corrupt() set, if the block is malformed there
  // (no format tag, a key empty or too long, a bad first entry).
  bool Reset(std::string_view key, std::string_view value);
  // Whether positioned at a key (false past the last one or when corrupt).
  bool Valid() const { return valid_; }
  // The current key; valid until the next Next or Reset. Once Next has
  // walked past the end (not corrupt), still the block's last key.
  std::string_view key() const { return std::string_view(key_, size_); }
  // Moves to the next key. At the end Valid() turns false. A malformed
  // entry (lengths out of range, past the value's end, a key not above the
  // previous one) also ends the walk and sets corrupt().
  void Next();
  bool corrupt() const { return corrupt_; }
  // Moves to the first key >= target (possibly none: !Valid()).
  void SkipBelow(std::string_view target);

 private:
  // Decodes the next entry of rest_ (or takes the block key after the
  // last) into key_, checking it ascends from the current one.
  void Step();

  char key_[kMaxIndexKeySize];
  size_t size_ = 0;
  std::string_view block_key_;
  std::string_view rest_;
  bool at_block_key_ = false;
  bool valid_ = false;
  bool corrupt_ = false;
};

// Whether the block with RocksDB key `block_key` and value `value` holds
// `key`. Sets *corrupt (if not null) when the block is malformed.
bool PackedBlockHolds(std::string_view block_key, std::string_view value,
                      std::string_view key, bool* corrupt = nullptr);

}  // namespace kg

#endif  // KGSTORE_STORAGE_PACKED_BLOCK_H_
