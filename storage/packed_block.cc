// Encoding and decoding of packed index blocks (packed_block.h).

#include "storage/packed_block.h"

#include <bit>
#include <cstring>

namespace kg {
namespace {

// The length of the common prefix, eight bytes at a time.
size_t Shared(const char* a, size_t a_size, const char* b, size_t b_size) {
  const size_t limit = a_size < b_size ? a_size : b_size;
  size_t n = 0;
  for (; n + 8 <= limit; n += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + n, 8);
    std::memcpy(&y, b + n, 8);
    if (x != y) {
      if constexpr (std::endian::native == std::endian::little)
        return n + static_cast<size_t>(std::countr_zero(x ^ y)) / 8;
      break;
    }
  }
  while (n < limit && a[n] == b[n]) ++n;
  return n;
}

}  // namespace

void PackedBlockWriter::Clear() {
  value_.assign(1, kPackedBlockFormat);
  sizes_[0] = sizes_[1] = 0;
  entries_ = 0;
}

void PackedBlockWriter::Add(std::string_view key) {
  if (entries_++ > 0) {
    // The key before this one is no longer the last: into the value,
    // compressed against the one before it. Then it becomes "the one
    // before", and its buffer's old content gives way to `key`.
    const char* last = keys_[last_];
    const size_t size = sizes_[last_];
    const size_t shared = Shared(last, size, keys_[1 - last_], sizes_[1 - last_]);
    const char head[2] = {static_cast<char>(shared),
                          static_cast<char>(size - shared)};
    value_.append(head, 2);
    value_.append(last + shared, size - shared);
    last_ = 1 - last_;
  }
  std::memcpy(keys_[last_], key.data(), key.size());
  sizes_[last_] = key.size();
}

bool PackedBlockReader::Reset(std::string_view key, std::string_view value) {
  valid_ = false;
  corrupt_ = key.empty() || key.size() > kMaxIndexKeySize || value.empty() ||
             value[0] != kPackedBlockFormat;
  if (corrupt_) return false;
  block_key_ = key;
  rest_ = value.substr(1);
  at_block_key_ = false;
  size_ = 0;
  valid_ = true;
  Step();
  return !corrupt_;
}

void PackedBlockReader::Next() {
  if (!valid_) return;
  if (at_block_key_) {
    valid_ = false;  // key_ keeps the last key
    return;
  }
  Step();
}

void PackedBlockReader::Step() {
  if (rest_.empty()) {
    // The block key comes last and must be above the entry before it.
    if (size_ > 0 && std::string_view(key_, size_) >= block_key_) {
      valid_ = false;
      corrupt_ = true;
      return;
    }
    std::memcpy(key_, block_key_.data(), block_key_.size());
    size_ = block_key_.size();
    at_block_key_ = true;
    return;
  }
  const size_t shared = static_cast<uint8_t>(rest_[0]);
  const size_t unshared = rest_.size() >= 2 ? static_cast<uint8_t>(rest_[1]) : 0;
  if (rest_.size() < 2 || shared > size_ || unshared == 0 ||
      shared + unshared > kMaxIndexKeySize || rest_.size() - 2 < unshared ||
      // Ascending: the first differing byte (right after the shared
      // prefix) must be larger, or the old key must end there.
      (shared < size_ &&
       static_cast<uint8_t>(rest_[2]) <= static_cast<uint8_t>(key_[shared]))) {
    valid_ = false;
    corrupt_ = true;
    return;
  }
  std::memcpy(key_ + shared, rest_.data() + 2, unshared);
  size_ = shared + unshared;
  rest_.remove_prefix(2 + unshared);
}

void PackedBlockReader::SkipBelow(std::string_view target) {
  // Tracks m, the bytes the current key shares with target, instead of
  // comparing each key whole: an entry that shares fewer bytes with its
  // predecessor than m is above target (it ascends at a byte where the
  // predecessor equals target), one that shares more is still below.
  if (!valid_) return;
  size_t m = Shared(key_, size_, target.data(), target.size());
  for (;;) {
    const bool below = m == size_ ? size_ < target.size()
                                  : m < target.size() &&
                                        static_cast<uint8_t>(key_[m]) <
                                            static_cast<uint8_t>(target[m]);
    if (!below) return;
    if (at_block_key_) {
      valid_ = false;
      return;
    }
    if (rest_.empty()) {  // next: the block key, compared whole
      Step();
      if (!valid_) return;
      m = Shared(key_, size_, target.data(), target.size());
      continue;
    }
    const size_t shared = static_cast<uint8_t>(rest_[0]);
    Step();
    if (!valid_) return;
    if (shared < m) return;
    if (shared == m)
      m += Shared(key_ + m, size_ - m, target.data() + m, target.size() - m);
  }
}

bool PackedBlockHolds(std::string_view block_key, std::string_view value,
                      std::string_view key, bool* corrupt) {
  PackedBlockReader reader;
  reader.Reset(block_key, value);
  reader.SkipBelow(key);
  if (corrupt) *corrupt = reader.corrupt();
  return reader.Valid() && reader.key() == key;
}

}  // namespace kg
