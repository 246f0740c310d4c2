// How much memory this process may use, for the defaults of the in-memory
// caches: physical memory, capped by a container's cgroup limit (v2 or v1)
// or RLIMIT_AS when lower.

#ifndef KGSTORE_STORAGE_MEMORY_BUDGET_H_
#define KGSTORE_STORAGE_MEMORY_BUDGET_H_

#include <cstddef>

namespace kg {

// The memory this process may use: physical memory, or less when a
// container's cgroup (v2 or v1) limits it, or the address-space limit.
// 0 when none can be read. Reads /sys and calls sysconf each time.
size_t UsableMemoryBytes();

// A quarter of UsableMemoryBytes(), at least 256 MiB: the default
// adjacency budget (StoreOptions::adjacency_cache_bytes). Computed once
// per process. Also declared in engine/database.h, the public header.
size_t DefaultAdjacencyCacheBytes();

// A sixty-fourth of UsableMemoryBytes(), at least 32 MiB: the default
// probe cache (StoreOptions::probe_cache_bytes). Computed once per
// process. Also declared in engine/database.h.
size_t DefaultProbeCacheBytes();

}  // namespace kg

#endif  // KGSTORE_STORAGE_MEMORY_BUDGET_H_
