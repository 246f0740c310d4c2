// SpillFile (spill_file.h).

#include "storage/spill_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace kg {
namespace {

absl::Status Errno(const char* what, const std::string& path, int err) {
  // A full disk is ResourceExhausted, as RocksDB's own writes report it.
  const bool full = err == ENOSPC || err == EDQUOT;
  return absl::Status(
      full ? absl::StatusCode::kResourceExhausted
           : absl::StatusCode::kUnavailable,
      absl::StrCat(
      what, " ", path, ": ", std::strerror(err),
      full ? " (a bulk load needs about 30 bytes of free disk per quad "
             "beside the store while it runs)"
           : ""));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SpillFile>> SpillFile::Create(std::string path) {
  const int fd =
      ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot create", path, errno);
  return std::unique_ptr<SpillFile>(new SpillFile(std::move(path), fd));
}

SpillFile::~SpillFile() {
  if (map_ != nullptr) ::munmap(map_, size_);
  if (fd_ >= 0) ::close(fd_);
  ::unlink(path_.c_str());
}

absl::StatusOr<uint64_t> SpillFile::Append(std::string_view bytes) {
  if (mapped_)
    return absl::FailedPreconditionError(
        absl::StrCat("spill file ", path_, " is mapped: no more appends"));
  const uint64_t offset = size_;
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path_, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    size_ += static_cast<uint64_t>(n);
  }
  return offset;
}

absl::Status SpillFile::Map() {
  if (mapped_) return absl::OkStatus();
  mapped_ = true;
  if (size_ == 0) return absl::OkStatus();
  void* p = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) return Errno("cannot map", path_, errno);
  map_ = static_cast<char*>(p);
  // Runs are read front to back: read ahead generously.
  ::madvise(map_, size_, MADV_SEQUENTIAL);
  return absl::OkStatus();
}

bool SpillFile::ReadAt(uint64_t offset, void* out, size_t bytes) const {
  char* dst = static_cast<char*>(out);
  while (bytes > 0) {
    const ssize_t n = ::pread(fd_, dst, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    dst += n;
    offset += static_cast<uint64_t>(n);
    bytes -= static_cast<size_t>(n);
  }
  return true;
}

absl::Status SpillFile::ReadBytes(uint64_t offset, char* out,
                                  size_t bytes) const {
  errno = 0;
  if (ReadAt(offset, out, bytes)) return absl::OkStatus();
  return Errno("cannot read", path_, errno == 0 ? EIO : errno);
}

bool SpillFile::Contains(const void* p) const {
  const char* c = static_cast<const char*>(p);
  return map_ != nullptr && c >= map_ && c < map_ + size_;
}

void SpillFile::Release(const void* from, const void* to) const {
  if (map_ == nullptr) return;
  static const uintptr_t kPage =
      static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  uintptr_t begin = reinterpret_cast<uintptr_t>(from);
  uintptr_t end = reinterpret_cast<uintptr_t>(to);
  const uintptr_t lo = reinterpret_cast<uintptr_t>(map_);
  const uintptr_t hi = lo + size_;
  // From the start of the 64 KiB window around `from`: a fault maps the
  // resident pages of the aligned 64 KiB around it ("fault-around"), so
  // pages just behind a reader's position come back mapped after it is
  // released up to there. Up to the page that holds `to`, which the reader
  // is still using (but the mapping's last page goes when `to` is its end).
  // Pages dropped early are read again: never wrong, only slower.
  constexpr uintptr_t kFaultAround = uintptr_t{64} << 10;
  begin &= ~(kFaultAround - 1);
  if (begin < lo) begin = lo;
  if (end >= hi) end = hi + kPage - 1;
  end &= ~(kPage - 1);
  if (end <= begin) return;
  // Dropping a shared file mapping's pages loses nothing: they are read
  // from the file again if touched.
  ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

}  // namespace kg
