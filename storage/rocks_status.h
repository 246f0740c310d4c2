// Conversion of rocksdb::Status to absl::Status with a message a person can
// act on (what we were doing, then RocksDB's own words).

#ifndef KGSTORE_STORAGE_ROCKS_STATUS_H_
#define KGSTORE_STORAGE_ROCKS_STATUS_H_

#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/status.h"

namespace kg {

// `what` names the operation, e.g. "open /data/kg" or "commit".
absl::Status FromRocks(const rocksdb::Status& s, std::string_view what);
// The same without the operation: RocksDB's words only (the key-value
// seam's errors, ordered_kv.h; callers add it with WithContext).
absl::Status FromRocks(const rocksdb::Status& s);

}  // namespace kg

#endif  // KGSTORE_STORAGE_ROCKS_STATUS_H_
