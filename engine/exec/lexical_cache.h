// LexicalCache: the lexical forms of dictionary terms one query compares,
// kept compactly (QueryContext::CompareLexical).
//
// Why: `FILTER (STR(?a) < STR(?b))` over a triangle query compares the
// IRIs of every candidate, 1.7M distinct people at 100M triples. Whole
// `Term`s in a node map cost about 200 bytes each (a node, three strings,
// the IRI on the heap), so a 128 MiB cache held 670,000 of them and was
// emptied over and over. Here an entry is its bytes in a shared arena and
// 24 bytes of index: 1.7M IRIs of ~40 bytes fit in about 110 MiB.
//
// Views returned stay valid until Clear (the arena grows by whole chunks;
// nothing moves). Thread-safety: none (one query, one thread).

#ifndef KGSTORE_ENGINE_EXEC_LEXICAL_CACHE_H_
#define KGSTORE_ENGINE_EXEC_LEXICAL_CACHE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "storage/term_id.h"

namespace kg::exec {

class LexicalCache {
 public:
  // Bytes an entry of `length` bytes adds to bytes(): its text, its index
  // slot (with the hash table's spare room) and its share of a chunk's
  // unused tail.
  static uint64_t EntryCost(size_t length) { return length + 32; }

  std::optional<std::string_view> Find(TermId id) const {
    auto it = index_.find(id);
    if (it == index_.end()) return std::nullopt;
    const Entry& e = it->second;
    return std::string_view(chunks_[e.chunk].data() + e.offset, e.length);
  }
  // Keeps `lexical` for `id` (not already kept); returns the kept view.
  std::string_view Add(TermId id, std::string_view lexical) {
    uint32_t chunk;
    if (lexical.size() > kChunkBytes / 4) {
      // A long literal gets a chunk of its own (the current one stays).
      chunks_.emplace_back(lexical);
      chunk = static_cast<uint32_t>(chunks_.size() - 1);
    } else {
      if (current_ < 0 ||
          chunks_[current_].size() + lexical.size() > kChunkBytes) {
        chunks_.emplace_back();
        chunks_.back().reserve(kChunkBytes);  // never reallocated after
        current_ = static_cast<int64_t>(chunks_.size() - 1);
      }
      chunk = static_cast<uint32_t>(current_);
      chunks_[chunk].append(lexical);
    }
    const std::string& c = chunks_[chunk];
    const auto offset = static_cast<uint32_t>(c.size() - lexical.size());
    index_.emplace(id,
                   Entry{chunk, offset, static_cast<uint32_t>(lexical.size())});
    bytes_ += EntryCost(lexical.size());
    return std::string_view(c.data() + offset, lexical.size());
  }
  void Clear() {
    index_.clear();
    chunks_.clear();
    current_ = -1;
    bytes_ = 0;
  }
  uint64_t bytes() const { return bytes_; }
  size_t size() const { return index_.size(); }

 private:
  static constexpr size_t kChunkBytes = size_t{1} << 20;
  struct Entry {
    uint32_t chunk, offset, length;
  };
  absl::flat_hash_map<TermId, Entry> index_;
  std::vector<std::string> chunks_;
  int64_t current_ = -1;  // the chunk short entries go to
  uint64_t bytes_ = 0;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_LEXICAL_CACHE_H_
