// Verifying a store: what `kg check` and Database::Check run.
//
// The checks, in order:
//   0. every byte of the store's table files against its checksum (a
//      damaged block no other check reads is found too);
//   1. every index holds the same quads: the graph-last ones all of them,
//      the graph-first ones exactly those of named graphs (equal counts and
//      equal order-independent fingerprints), and no graph-first index holds
//      a default-graph quad; packed blocks are read and validated on the
//      way (a malformed block is a problem found, not a failure);
//   2. the dictionary resolves every id the indexes use, to a term of the
//      id's kind, and the term maps back to the same id; the id counter is
//      above every id in use;
//   3. the persisted statistics (total, per predicate, per graph) equal a
//      recount.
//
// Thread-safety: reads a snapshot; may run beside readers and a writer.

#ifndef KGSTORE_STORAGE_STORE_CHECK_H_
#define KGSTORE_STORAGE_STORE_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace kg {

// The problems found, one line each; empty when the store is sound. A
// non-OK status only when the check itself could not run.
absl::StatusOr<std::vector<std::string>> CheckStore(Store& store);

}  // namespace kg

#endif  // KGSTORE_STORAGE_STORE_CHECK_H_
