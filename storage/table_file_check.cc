// CheckTableFile (table_file_check.h, which draws the layout it reads).

#include "storage/table_file_check.h"

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/crc32c.h"
#include "storage/rocks_status.h"
#include "xxhash.h"

namespace kg {
namespace {

constexpr uint64_t kMagic = 0x88e241b785f4cff7ull;
constexpr size_t kFooterSize = 53;
constexpr size_t kFormatVersionAt = 41;
constexpr size_t kTrailerSize = 5;
// Meta blocks are small (a few KiB); a handle claiming more is damage.
constexpr uint64_t kMaxMetaBlockSize = 64ull << 20;

uint32_t Fixed32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint64_t Fixed64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

// Reads a varint of at most `max_bytes` bytes from `*in`, advancing it;
// nullopt when `*in` ends first or the varint is longer.
std::optional<uint64_t> Varint(std::string_view* in, int max_bytes) {
  uint64_t v = 0;
  for (int i = 0; i < max_bytes && i < static_cast<int>(in->size()); ++i) {
    const uint8_t b = static_cast<uint8_t>((*in)[i]);
    v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      in->remove_prefix(i + 1);
      return v;
    }
  }
  return std::nullopt;
}

struct Handle {
  uint64_t offset = 0, size = 0;
};

std::optional<Handle> DecodeHandle(std::string_view* in) {
  Handle h;
  std::optional<uint64_t> offset = Varint(in, 10);
  if (!offset) return std::nullopt;
  std::optional<uint64_t> size = Varint(in, 10);
  if (!size) return std::nullopt;
  h.offset = *offset;
  h.size = *size;
  return h;
}

// RocksDB's checksum of a block of type `checksum_type` over `data` and
// then the compression-type byte `last` (table/format.cc,
// ComputeBuiltinChecksumWithLastByte); nullopt for a type it does not
// know.
std::optional<uint32_t> BlockChecksum(uint8_t checksum_type,
                                      std::string_view data, char last) {
  switch (checksum_type) {
    case 1:  // CRC32c, masked
      return MaskCrc32c(Crc32c({data, std::string_view(&last, 1)}));
    case 2: {  // xxHash (XXH32, seed 0)
      XXH32_state_t* state = XXH32_createState();
      XXH32_reset(state, 0);
      XXH32_update(state, data.data(), data.size());
      XXH32_update(state, &last, 1);
      const uint32_t v = XXH32_digest(state);
      XXH32_freeState(state);
      return v;
    }
    case 3: {  // xxHash64, its lower 32 bits
      XXH64_state_t* state = XXH64_createState();
      XXH64_reset(state, 0);
      XXH64_update(state, data.data(), data.size());
      XXH64_update(state, &last, 1);
      const uint64_t v = XXH64_digest(state);
      XXH64_freeState(state);
      return static_cast<uint32_t>(v);
    }
    case 4: {  // XXH3 of the block, then the last byte mixed in
      const uint32_t v =
          static_cast<uint32_t>(XXH3_64bits(data.data(), data.size()));
      return v ^ (static_cast<uint8_t>(last) * 0x6b9083d9u);
    }
    default:
      return std::nullopt;
  }
}

// One entry of a block: its full key and where its value is.
struct Entry {
  std::string key;
  size_t value_at = 0;  // offset in the block
  size_t value_size = 0;
};

// The entries of a block whose checksum passed (so a parse error here is
// a block RocksDB would also refuse): nullopt when malformed.
std::optional<std::vector<Entry>> Entries(std::string_view block) {
  if (block.size() < 4) return std::nullopt;
  const uint32_t restarts =
      Fixed32(block.data() + block.size() - 4) & 0x7fffffffu;
  if (restarts > (block.size() - 4) / 4) return std::nullopt;
  const size_t end = block.size() - 4 - 4 * static_cast<size_t>(restarts);
  std::vector<Entry> entries;
  std::string key;
  std::string_view in = block.substr(0, end);
  while (!in.empty()) {
    std::optional<uint64_t> shared = Varint(&in, 5);
    std::optional<uint64_t> unshared = shared ? Varint(&in, 5) : std::nullopt;
    std::optional<uint64_t> value = unshared ? Varint(&in, 5) : std::nullopt;
    if (!value || *shared > key.size() || *unshared > in.size() ||
        *value > in.size() - *unshared)
      return std::nullopt;
    key.resize(*shared);
    key.append(in.substr(0, *unshared));
    in.remove_prefix(*unshared);
    entries.push_back({key, static_cast<size_t>(in.data() - block.data()),
                       static_cast<size_t>(*value)});
    in.remove_prefix(*value);
  }
  return entries;
}

class TableReader {
 public:
  TableReader(std::unique_ptr<rocksdb::FSRandomAccessFile> file,
              std::string name)
      : file_(std::move(file)), name_(std::move(name)) {}

  // Reads `n` bytes at `offset` into `out`.
  absl::Status Read(uint64_t offset, size_t n, std::string* out) {
    out->assign(n, '\0');
    rocksdb::Slice got;
    rocksdb::IOStatus s = file_->Read(offset, n, rocksdb::IOOptions(), &got,
                                      out->data(), nullptr);
    if (!s.ok()) return FromRocks(s, absl::StrCat("read table file ", name_));
    if (got.size() != n)
      return Damaged(absl::StrCat("it ends within its ", n, " bytes at ",
                                  offset));
    if (got.data() != out->data()) std::memcpy(out->data(), got.data(), n);
    return absl::OkStatus();
  }

  absl::Status Damaged(std::string_view why) const {
    return absl::DataLossError(absl::StrCat(
        "table file ", name_, " is damaged: ", Sv(why)));
  }

 private:
  std::unique_ptr<rocksdb::FSRandomAccessFile> file_;
  std::string name_;
};

}  // namespace

absl::Status CheckTableFile(rocksdb::FileSystem* fs, const std::string& path,
                            TableFileLayout* layout) {
  TableFileLayout local;
  if (layout == nullptr) layout = &local;
  *layout = TableFileLayout();
  const rocksdb::IOOptions io;
  uint64_t size = 0;
  rocksdb::IOStatus s = fs->GetFileSize(path, io, &size, nullptr);
  if (s.IsNotFound() || s.IsPathNotFound()) return absl::OkStatus();
  if (!s.ok()) return FromRocks(s, absl::StrCat("size of table file ", path));
  if (size < kFooterSize) return absl::OkStatus();
  std::unique_ptr<rocksdb::FSRandomAccessFile> file;
  s = fs->NewRandomAccessFile(path, rocksdb::FileOptions(), &file, nullptr);
  if (s.IsNotFound() || s.IsPathNotFound()) return absl::OkStatus();
  if (!s.ok()) return FromRocks(s, absl::StrCat("open table file ", path));
  TableReader table(std::move(file), path);

  std::string footer;
  if (absl::Status r = table.Read(size - kFooterSize, kFooterSize, &footer);
      !r.ok())
    return r;
  const uint32_t version = Fixed32(footer.data() + kFormatVersionAt);
  if (Fixed64(footer.data() + kFooterSize - 8) != kMagic || version < 1 ||
      version > 5)
    return absl::OkStatus();  // not yet written, or not ours to judge
  const uint8_t checksum_type = static_cast<uint8_t>(footer[0]);
  std::string_view handles(footer.data() + 1, kFormatVersionAt - 1);
  const std::optional<Handle> metaindex = DecodeHandle(&handles);
  if (!metaindex) return table.Damaged("its footer's handles do not decode");
  if (checksum_type > 4)
    return table.Damaged(absl::StrCat("its footer names checksum type ",
                                      static_cast<int>(checksum_type)));

  // A meta block's bytes after its checksum (0: no checksum kept) passed,
  // also with the global sequence number at `seqno_at` zeroed if given.
  auto verified = [&](const Handle& h, std::string_view what,
                      std::string* block) -> absl::Status {
    if (h.size > kMaxMetaBlockSize || h.offset > size ||
        h.size + kTrailerSize > size - h.offset)
      return table.Damaged(absl::StrCat("its ", Sv(what), " block (", h.size,
                                        " bytes at ", h.offset,
                                        ") lies outside it"));
    std::string bytes;
    if (absl::Status r = table.Read(h.offset, h.size + kTrailerSize, &bytes);
        !r.ok())
      return r;
    *block = bytes.substr(0, h.size);
    if (checksum_type == 0) return absl::OkStatus();
    const uint32_t stored = Fixed32(bytes.data() + h.size + 1);
    const char type = bytes[h.size];
    if (BlockChecksum(checksum_type, *block, type) == stored)
      return absl::OkStatus();
    // An ingested file's global sequence number, rewritten in place.
    if (what == "properties") {
      if (std::optional<std::vector<Entry>> entries = Entries(*block)) {
        for (const Entry& e : *entries) {
          if (e.key != "rocksdb.external_sst_file.global_seqno" ||
              e.value_size != 8)
            continue;
          std::string zeroed = *block;
          std::memset(zeroed.data() + e.value_at, 0, 8);
          if (BlockChecksum(checksum_type, zeroed, type) == stored)
            return absl::OkStatus();
        }
      }
    }
    return table.Damaged(absl::StrCat("its ", Sv(what), " block (", h.size,
                                      " bytes at ", h.offset,
                                      ") fails its checksum"));
  };

  std::string metaindex_block;
  if (absl::Status r = verified(*metaindex, "metaindex", &metaindex_block);
      !r.ok())
    return r;
  std::optional<std::vector<Entry>> meta = Entries(metaindex_block);
  if (!meta) return table.Damaged("its metaindex block does not parse");
  std::optional<Handle> properties;
  for (const Entry& e : *meta) {
    if (e.key != "rocksdb.properties") continue;
    std::string_view value(metaindex_block.data() + e.value_at, e.value_size);
    properties = DecodeHandle(&value);
    if (!properties)
      return table.Damaged("its properties block's handle does not decode");
  }
  layout->file_size = size;
  layout->metaindex_offset = metaindex->offset;
  layout->metaindex_size = metaindex->size;
  if (properties) {
    std::string properties_block;
    if (absl::Status r = verified(*properties, "properties", &properties_block);
        !r.ok())
      return r;
    layout->properties_offset = properties->offset;
    layout->properties_size = properties->size;
  }
  layout->checked = true;
  return absl::OkStatus();
}

absl::Status CheckTableFiles(rocksdb::FileSystem* fs, const std::string& dir) {
  std::vector<std::string> children;
  rocksdb::IOStatus s =
      fs->GetChildren(dir, rocksdb::IOOptions(), &children, nullptr);
  if (!s.ok()) return FromRocks(s, absl::StrCat("list ", dir));
  for (const std::string& name : children) {
    if (!name.ends_with(".sst")) continue;
    if (absl::Status r = CheckTableFile(fs, dir + "/" + name); !r.ok())
      return r;
  }
  return absl::OkStatus();
}

}  // namespace kg
