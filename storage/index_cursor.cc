// IndexCursor (index_cursor.h).

#include "storage/index_cursor.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"

namespace kg {

IndexCursor::IndexCursor(std::unique_ptr<KvIterator> plain,
                         std::unique_ptr<KvIterator> blocks,
                         std::string_view name)
    : plain_(std::move(plain)), blocks_(std::move(blocks)), name_(name) {}

void IndexCursor::MarkMalformed() {
  block_valid_ = false;
  corruption_ = absl::DataLossError(absl::StrCat(
      "malformed packed block in index ", Sv(name_), " at key ",
      absl::BytesToHexString(Sv(blocks_->key()))));
}

void IndexCursor::LoadBlock() {
  block_valid_ = false;
  if (!blocks_->Valid()) return;
  // Copies: the reader walks the block over many Next calls, and in a
  // transaction a block it rewrote lives in the write batch's buffer,
  // which a later write of the transaction may move.
  block_key_.assign(blocks_->key());
  block_value_.assign(blocks_->value());
  if (!block_.Reset(block_key_, block_value_)) {
    MarkMalformed();
    return;
  }
  block_valid_ = true;
}

void IndexCursor::NextBlockKey() {
  block_.Next();
  if (block_.Valid()) return;
  block_valid_ = false;
  if (block_.corrupt()) {
    MarkMalformed();
    return;
  }
  previous_last_.assign(block_.key());
  blocks_->Next();
  LoadBlock();
  if (block_valid_ && block_.key() <= previous_last_) {
    block_valid_ = false;
    corruption_ = absl::DataLossError(absl::StrCat(
        "packed blocks of index ", Sv(name_), " overlap at key ",
        absl::BytesToHexString(Sv(block_.key()))));
  }
}

void IndexCursor::Seek(std::string_view target) {
  plain_->Seek(target);
  if (blocks_ && corruption_.ok()) {
    // Blocks are keyed by their last key: the first block whose key is not
    // below target holds the first key >= target.
    blocks_->Seek(target);
    LoadBlock();
    if (block_valid_) {
      block_.SkipBelow(target);
      if (!block_.Valid()) MarkMalformed();  // its own key is >= target
    }
  }
  Pick();
}

bool IndexCursor::BlocksHold(std::string_view key) {
  current_ = kNone;
  block_valid_ = false;
  if (!blocks_ || !corruption_.ok()) return false;
  blocks_->Seek(key);
  if (!blocks_->Valid()) return false;
  bool corrupt = false;
  const bool held =
      PackedBlockHolds(blocks_->key(), blocks_->value(), key, &corrupt);
  if (corrupt) {
    MarkMalformed();
    return false;
  }
  return held;
}

void IndexCursor::Next() {
  switch (current_) {
    case kNone:
      return;
    case kPlain:
      plain_->Next();
      break;
    case kBlock:
      NextBlockKey();
      break;
    case kBoth:
      plain_->Next();
      NextBlockKey();
      break;
  }
  Pick();
}

void IndexCursor::Pick() {
  current_ = kNone;
  // An error of either side ends the walk (status() says which).
  if (!corruption_.ok() || (blocks_ && !blocks_->status().ok())) return;
  const bool plain = plain_->Valid();
  if (!plain && !plain_->status().ok()) return;
  if (!block_valid_) {
    if (plain) current_ = kPlain;
    return;
  }
  if (!plain) {
    current_ = kBlock;
    return;
  }
  const int c = plain_->key().compare(block_.key());
  current_ = c < 0 ? kPlain : c > 0 ? kBlock : kBoth;
}

absl::Status IndexCursor::status() const {
  if (!corruption_.ok()) return corruption_;
  if (!plain_->status().ok()) return WithContext(plain_->status(), "scan");
  if (blocks_ && !blocks_->status().ok())
    return WithContext(blocks_->status(), "scan");
  return absl::OkStatus();
}

}  // namespace kg
