// libFuzzer target: an update request parsed, planned and applied to the
// small fixed store of fuzz_store.h (200 ms, 64 MiB, no file access), which
// is put back to its initial contents after every change. A request that
// fails must leave the store exactly as it was (an update is all or
// nothing), and the counts an update reports must agree with what changed:
// either failing aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "engine/database.h"
#include "tests/fuzz/fuzz_store.h"

// The store is built before the first input, outside libFuzzer's -timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kg::fuzz::FuzzStore::Get();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  kg::fuzz::FuzzStore& store = kg::fuzz::FuzzStore::Get();
  const kg::QueryOptions options = kg::fuzz::FuzzStore::RequestOptions();
  auto summary = store.plain().Update(text, options);
  std::map<std::string, kg::Quad> now = store.Contents();
  const std::map<std::string, kg::Quad>& before = store.initial();
  uint64_t added = 0, removed = 0;
  for (const auto& [t, q] : now) added += !before.count(t);
  for (const auto& [t, q] : before) removed += !now.count(t);
  // A request may remove what an earlier operation of it inserted, so the
  // counts are checked for what they must at least be, and their balance.
  bool consistent =
      summary.ok() ? summary->inserted >= added && summary->removed >= removed &&
                         summary->inserted - summary->removed == added - removed
                   : added == 0 && removed == 0;
  if (!consistent) {
    std::fprintf(stderr,
                 "update: %s; reported %llu inserted, %llu removed; the store "
                 "gained %llu quads and lost %llu\n",
                 summary.status().ToString().c_str(),
                 static_cast<unsigned long long>(summary.ok() ? summary->inserted : 0),
                 static_cast<unsigned long long>(summary.ok() ? summary->removed : 0),
                 static_cast<unsigned long long>(added),
                 static_cast<unsigned long long>(removed));
    std::abort();
  }
  if (added || removed) store.Reset(now);
  return 0;
}
