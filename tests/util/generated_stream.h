// A stream made as it is read, for hostile-input tests: `head`, then one
// byte repeated `fill_bytes` times, then `tail`. A gigabyte line without a
// line break costs the test nothing but the reader's own memory, and
// produced() tells how much of it the reader pulled before it stopped.

#ifndef KGSTORE_TESTS_UTIL_GENERATED_STREAM_H_
#define KGSTORE_TESTS_UTIL_GENERATED_STREAM_H_

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <streambuf>
#include <string>
#include <vector>

namespace kg::testing {

class GeneratedBuf : public std::streambuf {
 public:
  GeneratedBuf(std::string head, char fill, uint64_t fill_bytes,
               std::string tail = "")
      : head_(std::move(head)),
        fill_(fill),
        fill_left_(fill_bytes),
        tail_(std::move(tail)),
        buf_(64 << 10) {}
  // Bytes handed to the reader so far.
  uint64_t produced() const { return produced_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    size_t n = 0;
    while (n < buf_.size()) {
      if (head_at_ < head_.size()) {
        const size_t k = std::min(buf_.size() - n, head_.size() - head_at_);
        std::memcpy(buf_.data() + n, head_.data() + head_at_, k);
        head_at_ += k;
        n += k;
      } else if (fill_left_ > 0) {
        const size_t k = static_cast<size_t>(
            std::min<uint64_t>(buf_.size() - n, fill_left_));
        std::memset(buf_.data() + n, fill_, k);
        fill_left_ -= k;
        n += k;
      } else if (tail_at_ < tail_.size()) {
        const size_t k = std::min(buf_.size() - n, tail_.size() - tail_at_);
        std::memcpy(buf_.data() + n, tail_.data() + tail_at_, k);
        tail_at_ += k;
        n += k;
      } else {
        break;
      }
    }
    if (n == 0) return traits_type::eof();
    produced_ += n;
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string head_;
  size_t head_at_ = 0;
  char fill_;
  uint64_t fill_left_;
  std::string tail_;
  size_t tail_at_ = 0;
  std::vector<char> buf_;
  uint64_t produced_ = 0;
};

// The process's peak resident set so far, in bytes (Linux: ru_maxrss is in
// KiB).
inline uint64_t PeakResidentBytes() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;
}

}  // namespace kg::testing

#endif  // KGSTORE_TESTS_UTIL_GENERATED_STREAM_H_
