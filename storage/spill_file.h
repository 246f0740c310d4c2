// SpillFile: a temporary file that a bulk load writes its sorted runs to,
// and reads them back from, mapped, at commit.
//
// Why: a load held every quad three times over (32 bytes per order) until
// it committed, 10.5 GiB of resident memory at 100M quads. Sorted runs are
// written once and read once, in order: the file system's page cache is
// the right place for them. A run written here costs no resident memory
// of this process. Read back with ReadBytes (pread), it never does; read
// through the mapping, its pages count toward the process's resident set
// until Release gives the ones already consumed back (they stay in the
// page cache, which the kernel may evict and re-read under memory
// pressure). QLever's index builder and DuckDB's external sort spill their
// runs the same way.
//
// Format: none beyond the caller's. Records are appended as raw bytes;
// the writer remembers where each run starts. The file lives only as long
// as this object (the destructor removes it; a crashed load's leftovers
// are removed with the load's temporary directory by the next load).
//
// Thread-safety: Append is for one thread at a time; after Map, At,
// Contains and Release may be called from any number of threads.

#ifndef KGSTORE_STORAGE_SPILL_FILE_H_
#define KGSTORE_STORAGE_SPILL_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kg {

class SpillFile {
 public:
  // Creates `path` (replacing a file of that name). Errors: Unavailable
  // when the file cannot be created (message with the path and errno's).
  static absl::StatusOr<std::unique_ptr<SpillFile>> Create(std::string path);
  // Unmaps, closes and removes the file.
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends `bytes`; returns the offset they start at. Errors:
  // ResourceExhausted for a full disk (or quota), Unavailable when the
  // write fails otherwise, FailedPrecondition after Map.
  absl::StatusOr<uint64_t> Append(std::string_view bytes);
  // Appends the elements of `v` (trivially copyable) as raw bytes, after
  // zero bytes up to a multiple of alignof(T) (other appends may have left
  // any length): At can then read them in place.
  template <typename T>
  absl::StatusOr<uint64_t> AppendAll(std::span<const T> v) {
    static constexpr char kZeros[alignof(T)] = {};
    if (const size_t off = size_ % alignof(T); off != 0) {
      auto pad = Append(std::string_view(kZeros, alignof(T) - off));
      if (!pad.ok()) return pad.status();
    }
    return Append(std::string_view(reinterpret_cast<const char*>(v.data()),
                                   v.size_bytes()));
  }
  uint64_t size() const { return size_; }

  // Maps everything appended, read-only; Append fails from then on. An
  // empty file maps to nothing. Errors: Unavailable when mmap fails.
  absl::Status Map();
  // `count` elements of type T starting at `offset` (an offset Append
  // returned for them). Only after Map.
  template <typename T>
  std::span<const T> At(uint64_t offset, size_t count) const {
    return {reinterpret_cast<const T*>(map_ + offset), count};
  }
  // The element at `p` (in the mapping), read from the file rather than
  // through the mapping: no page becomes resident. (Should the read fail,
  // it reads through the mapping instead.)
  template <typename T>
  T Read(const T* p) const {
    T value;
    if (!ReadAt(static_cast<uint64_t>(reinterpret_cast<const char*>(p) - map_),
                &value, sizeof(T)))
      return *p;
    return value;
  }
  // `bytes` bytes from `offset` into `out`, with pread (mapped or not).
  // Errors: Unavailable when the read fails or comes up short.
  absl::Status ReadBytes(uint64_t offset, char* out, size_t bytes) const;
  // Whether `p` points into the mapping.
  bool Contains(const void* p) const;
  // Gives the pages of [from, to) of the mapping back to the kernel, and
  // those of the 64 KiB window before `from` (which a fault just past an
  // earlier release maps again): they leave this process's resident set,
  // stay in the page cache, and are read again if touched. For data
  // already consumed.
  void Release(const void* from, const void* to) const;
  // Release of the whole mapping (after random reads: each fault maps the
  // pages around it too, which the merges would not give back until they
  // pass them).
  void ReleaseAll() const { Release(map_, map_ + size_); }

 private:
  bool ReadAt(uint64_t offset, void* out, size_t bytes) const;

  SpillFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  char* map_ = nullptr;  // non-null once mapped (and the file non-empty)
  bool mapped_ = false;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_SPILL_FILE_H_
