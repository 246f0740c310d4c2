// CheckLogFile (log_file_check.h, which draws the layout it reads).

#include "storage/log_file_check.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/crc32c.h"
#include "storage/rocks_status.h"

namespace kg {
namespace {

constexpr uint64_t kBlockSize = 32768;
constexpr size_t kHeaderSize = 7;
constexpr size_t kRecycledHeaderSize = 11;

uint32_t Fixed32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

}  // namespace

absl::Status CheckLogFile(rocksdb::FileSystem* fs, const std::string& path,
                          std::string_view what) {
  const rocksdb::IOOptions io;
  uint64_t size = 0;
  rocksdb::IOStatus s = fs->GetFileSize(path, io, &size, nullptr);
  if (s.IsNotFound() || s.IsPathNotFound()) return absl::OkStatus();
  if (!s.ok()) return FromRocks(s, absl::StrCat("size of log file ", path));
  const uint64_t block_start = size / kBlockSize * kBlockSize;
  if (block_start == size) return absl::OkStatus();  // no partial block
  std::unique_ptr<rocksdb::FSRandomAccessFile> file;
  s = fs->NewRandomAccessFile(path, rocksdb::FileOptions(), &file, nullptr);
  if (s.IsNotFound() || s.IsPathNotFound()) return absl::OkStatus();
  if (!s.ok()) return FromRocks(s, absl::StrCat("open log file ", path));
  std::string block(size - block_start, '\0');
  rocksdb::Slice got;
  s = file->Read(block_start, block.size(), io, &got, block.data(), nullptr);
  if (!s.ok()) return FromRocks(s, absl::StrCat("read log file ", path));
  // Shorter: a writer in another process is truncating or replacing it;
  // RocksDB's own reading decides.
  if (got.size() != block.size()) return absl::OkStatus();
  if (got.data() != block.data())
    std::memcpy(block.data(), got.data(), block.size());

  size_t at = 0;
  while (block.size() - at >= kHeaderSize) {
    const char* header = block.data() + at;
    const uint8_t type = static_cast<uint8_t>(header[6]);
    const size_t length = static_cast<uint8_t>(header[4]) |
                          (static_cast<size_t>(static_cast<uint8_t>(header[5]))
                           << 8);
    // Zero padding (a preallocated region) or an unknown type: RocksDB
    // stops or reports it itself.
    if (type == 0 || type > 9) return absl::OkStatus();
    const size_t header_size =
        type >= 5 && type <= 8 ? kRecycledHeaderSize : kHeaderSize;
    if (block.size() - at < header_size) return absl::OkStatus();
    const size_t left = block.size() - at - header_size;
    if (length <= left) {
      at += header_size + length;
      continue;
    }
    // The record runs past the end of the file: cut by a crash, or its
    // length damaged. Its checksum covers its true length.
    const uint32_t stored = Fixed32(header);
    const std::string_view covered(header + 6, header_size - 6);
    for (size_t n = 0; n <= left; ++n) {
      const std::string_view payload(header + header_size, n);
      if (MaskCrc32c(Crc32c({covered, payload})) != stored) continue;
      return absl::DataLossError(absl::StrCat(
          std::string(what), " ", path, " is damaged: the record at byte ",
          block_start + at, " says it holds ", length,
          " bytes, past the end of the file, but its checksum is of ", n,
          " bytes (a damaged length, not a record cut by a crash: read as "
          "cut, every change from there on would be dropped)"));
    }
    return absl::OkStatus();  // cut by a crash: RocksDB drops it
  }
  return absl::OkStatus();
}

absl::Status CheckLogFiles(rocksdb::FileSystem* fs, const std::string& dir) {
  std::vector<std::string> children;
  rocksdb::IOStatus s =
      fs->GetChildren(dir, rocksdb::IOOptions(), &children, nullptr);
  if (!s.ok()) return FromRocks(s, absl::StrCat("list ", dir));
  for (const std::string& name : children) {
    if (!name.ends_with(".log")) continue;
    if (absl::Status r = CheckLogFile(fs, dir + "/" + name); !r.ok()) return r;
  }
  return absl::OkStatus();
}

absl::Status CheckManifest(rocksdb::FileSystem* fs, const std::string& dir) {
  std::string current;
  rocksdb::IOStatus s = rocksdb::ReadFileToString(fs, dir + "/CURRENT", &current);
  if (s.IsNotFound() || s.IsPathNotFound()) return absl::OkStatus();
  if (!s.ok()) return FromRocks(s, absl::StrCat("read ", dir, "/CURRENT"));
  while (!current.empty() && (current.back() == '\n' || current.back() == '\r'))
    current.pop_back();
  // Not a MANIFEST name: RocksDB's open reports what is wrong.
  if (!current.starts_with("MANIFEST-") || current.find('/') != std::string::npos)
    return absl::OkStatus();
  return CheckLogFile(fs, dir + "/" + current, "MANIFEST");
}

}  // namespace kg
