// UsableMemoryBytes, DefaultAdjacencyCacheBytes and DefaultProbeCacheBytes
// (memory_budget.h).

#include "storage/memory_budget.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace kg {

size_t UsableMemoryBytes() {
  size_t bytes = 0;
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0)
    bytes = static_cast<size_t>(pages) * static_cast<size_t>(page_size);
  auto cap = [&bytes](size_t limit) {
    if (limit > 0 && (bytes == 0 || limit < bytes)) bytes = limit;
  };
  for (const char* file : {"/sys/fs/cgroup/memory.max",
                           "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    // "max" (no limit) or a byte count; v1 spells "no limit" as a huge
    // number, which the physical size caps.
    if (FILE* f = std::fopen(file, "r")) {
      unsigned long long limit = 0;
      if (std::fscanf(f, "%llu", &limit) == 1) cap(limit);
      std::fclose(f);
    }
  }
  rlimit as;
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    cap(as.rlim_cur);
  return bytes;
}

size_t DefaultAdjacencyCacheBytes() {
  // Read once per process: every default-constructed options struct asks.
  static const size_t bytes = [] {
    constexpr size_t kFloor = size_t{256} << 20;
    const size_t usable = UsableMemoryBytes();
    return usable == 0 ? kFloor : std::max(kFloor, usable / 4);
  }();
  return bytes;
}

size_t DefaultProbeCacheBytes() {
  static const size_t bytes = [] {
    constexpr size_t kFloor = size_t{32} << 20;
    const size_t usable = UsableMemoryBytes();
    return usable == 0 ? kFloor : std::max(kFloor, usable / 64);
  }();
  return bytes;
}

}  // namespace kg
