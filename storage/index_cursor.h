// IndexCursor: the keys of one graph-last index in order, merged from its
// two column families: plain keys (one per quad, written by transactions
// and by bulk loads into non-empty stores) and packed blocks (written by
// bulk loads into empty stores; packed_block.h).
//
// A key present in both (which no writer produces, but which is harmless)
// is returned once. The cursor checks the blocks as it reads them: a
// malformed block, or one whose keys do not lie below the next block's,
// ends the walk with a DataLoss status, so `kg check` reports it.
//
// Thread-safety: none; one thread at a time (ReadView pools cursors).

#ifndef KGSTORE_STORAGE_INDEX_CURSOR_H_
#define KGSTORE_STORAGE_INDEX_CURSOR_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "storage/ordered_kv.h"
#include "storage/packed_block.h"

namespace kg {

class IndexCursor {
 public:
  // `plain` iterates the plain keys; `blocks` the packed blocks, or is
  // null when the index has none (every graph-first index; stores never
  // bulk loaded while empty). `name` names the index in errors.
  IndexCursor(std::unique_ptr<KvIterator> plain,
              std::unique_ptr<KvIterator> blocks, std::string_view name);

  // Positions at the first key >= target.
  void Seek(std::string_view target);
  // Whether positioned at a key. False at the end and on errors.
  bool Valid() const { return current_ != kNone; }
  // The current key; valid until the next Seek or Next.
  std::string_view key() const {
    return current_ == kPlain ? plain_->key() : block_.key();
  }
  // Moves to the next key.
  void Next();
  // Whether a packed block holds `key` (a full key): one Seek.
  // Leaves the cursor positioned nowhere in particular: Seek before
  // reading keys again. Errors show in status().
  bool BlocksHold(std::string_view key);
  // OK, or the error of either iterator, or DataLoss for a malformed
  // block.
  absl::Status status() const;

 private:
  enum Source { kNone, kPlain, kBlock, kBoth };
  // Records a malformed block at the blocks iterator's key.
  void MarkMalformed();
  // Loads the block the blocks iterator is at (or clears block_).
  void LoadBlock();
  // Steps the block reader, loading the next block past the last key.
  void NextBlockKey();
  void Pick();

  std::unique_ptr<KvIterator> plain_;
  std::unique_ptr<KvIterator> blocks_;
  std::string_view name_;
  PackedBlockReader block_;
  std::string block_key_, block_value_;  // the block block_ reads
  bool block_valid_ = false;
  // The key the next block must be above: the last key of the previous.
  std::string previous_last_;
  Source current_ = kNone;
  absl::Status corruption_;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_INDEX_CURSOR_H_
