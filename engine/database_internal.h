// Internal to the engine: how Database::Open turns its OpenOptions into
// the storage layer's StoreOptions. Tests that open a store with options
// the public API does not offer (a fault-injecting file system:
// tests/util/faulty_file_system.h) start from the same mapping, so a new
// option reaches them too.

#ifndef KGSTORE_ENGINE_DATABASE_INTERNAL_H_
#define KGSTORE_ENGINE_DATABASE_INTERNAL_H_

#include "engine/database.h"
#include "storage/store.h"

namespace kg {

// The StoreOptions Database::Open opens its store with.
StoreOptions StoreOptionsFor(const OpenOptions& options);

}  // namespace kg

#endif  // KGSTORE_ENGINE_DATABASE_INTERNAL_H_
