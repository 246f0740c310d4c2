// The meta column family's keys (docs/STORAGE.md, "Statistics") and the
// 8-byte big-endian numbers of its values. Internal to storage/.

#ifndef KGSTORE_STORAGE_META_KEYS_H_
#define KGSTORE_STORAGE_META_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kg::meta {

inline constexpr std::string_view kFormatKey = "format";
// kgstore-2: integral xsd:decimal literals ("42") are inline (term_id.h);
// a kgstore-1 store holds them in the dictionary, so its ids differ.
// kgstore-3: the graph-first indexes hold only quads of named graphs
// (quad_index.h); a kgstore-2 store also holds the default graph's there,
// which reads never use, and is upgraded in place when opened writable.
// kgstore-4: the graph-last indexes may also hold packed blocks, in three
// more column families (packed_block.h). A kgstore-3 store is one without
// them: opened writable it gets the (empty) families and the new marker.
inline constexpr std::string_view kFormatValue = "kgstore-4";
inline constexpr std::string_view kFormatWithoutBlocks = "kgstore-3";
inline constexpr std::string_view kFormatWithDefaultGraphFirst = "kgstore-2";
inline constexpr std::string_view kNextIdKey = "next_id";
inline constexpr std::string_view kTotalKey = "stat:total";
inline constexpr std::string_view kPredicatePrefix = "stat:p:";
inline constexpr std::string_view kGraphPrefix = "stat:g:";
// + encoded predicate id: its quads per object (store_statistics.h), as
// (encoded object id, 8-byte count) pairs in id order; empty: not kept.
inline constexpr std::string_view kObjectCountsPrefix = "stat:o:";

inline void PutFixed64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>(v >> (8 * i)));
}

inline uint64_t GetFixed64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

}  // namespace kg::meta

#endif  // KGSTORE_STORAGE_META_KEYS_H_
