// IndexCursor (index_cursor.h).

#include "storage/index_cursor.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/rocks_status.h"

namespace kg {

IndexCursor::IndexCursor(std::unique_ptr<rocksdb::Iterator> plain,
                         std::unique_ptr<rocksdb::Iterator> blocks,
                         std::string_view name)
    : plain_(std::move(plain)), blocks_(std::move(blocks)), name_(name) {}

void IndexCursor::MarkMalformed() {
  block_valid_ = false;
  rocksdb::Slice k = blocks_->key();
  corruption_ = absl::DataLossError(absl::StrCat(
      "malformed packed block in index ", Sv(name_), " at key ",
      absl::BytesToHexString(Sv(std::string_view(k.data(), k.size())))));
}

void IndexCursor::LoadBlock() {
  block_valid_ = false;
  if (!blocks_->Valid()) return;
  // Copies: the reader walks the block over many Next calls, and in a
  // transaction a block it rewrote lives in the write batch's buffer,
  // which a later write of the transaction may move.
  rocksdb::Slice k = blocks_->key(), v = blocks_->value();
  block_key_.assign(k.data(), k.size());
  block_value_.assign(v.data(), v.size());
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
  const rocksdb::Slice t(target.data(), target.size());
  plain_->Seek(t);
  if (blocks_ && corruption_.ok()) {
    // Blocks are keyed by their last key: the first block whose key is not
    // below target holds the first key >= target.
    blocks_->Seek(t);
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
  blocks_->Seek(rocksdb::Slice(key.data(), key.size()));
  if (!blocks_->Valid()) return false;
  rocksdb::Slice k = blocks_->key(), v = blocks_->value();
  bool corrupt = false;
  const bool held =
      PackedBlockHolds(std::string_view(k.data(), k.size()),
                       std::string_view(v.data(), v.size()), key, &corrupt);
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
  rocksdb::Slice pk = plain_->key();
  const int c = std::string_view(pk.data(), pk.size()).compare(block_.key());
  current_ = c < 0 ? kPlain : c > 0 ? kBlock : kBoth;
}

absl::Status IndexCursor::status() const {
  if (!corruption_.ok()) return corruption_;
  if (!plain_->status().ok()) return FromRocks(plain_->status(), "scan");
  if (blocks_ && !blocks_->status().ok())
    return FromRocks(blocks_->status(), "scan");
  return absl::OkStatus();
}

}  // namespace kg
