// A check of the write-ahead logs of a store, run before RocksDB opens it
// (rocks_kv_open.cc), for the one kind of damage RocksDB's recovery cannot
// tell from a crash.
//
// Why: a process that dies while it appends a record leaves the log's
// last record cut short, and RocksDB's recovery (in the mode kgstore
// uses, kTolerateCorruptedTailRecords) drops such a record quietly: its
// commit never returned. But a flipped bit in the *length* of a record
// in the log's last 32 KiB block, making the record seem to run past the
// end of the file, looks the same, and then every commit from that
// record on, each reported durable, was silently dropped (found by
// tests/faults: 12 quads of finished commits missing, the store opening
// fine). This check tells the two apart: the record's checksum, which
// covers its true length, matches a shorter length when only the length
// was damaged, and matches no length when the record was cut (a chance of
// about one in 2^32 per byte of the cut record).
//
// The log layout it reads (RocksDB's db/log_format.h): the file is a
// sequence of 32 KiB blocks; a block holds records and, when fewer than
// a header's bytes are left, zero padding. A record:
//
//   checksum   fixed32, masked CRC32c of the bytes from `type` on
//   length     fixed16 little-endian, of the payload
//   type       1 byte (1-4: full, first, middle, last; 5-8: the same in
//              a recycled log, whose header adds a fixed32 log number)
//   [log number, recycled types only]
//   payload    `length` bytes
//
// Only the last block of each log matters: a record that runs past the
// end of a block that is not the last is reported as corruption by
// RocksDB itself.

#ifndef KGSTORE_STORAGE_LOG_FILE_CHECK_H_
#define KGSTORE_STORAGE_LOG_FILE_CHECK_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/file_system.h"

namespace kg {

// Checks the write-ahead log `path` read through `fs`: OK (also when it
// no longer exists); DataLoss naming the file and the byte when a record
// in its last block has a damaged length that would make recovery drop
// it and everything after it; the file system's error when a read
// fails. Thread-compatible.
// `what` names the file in the message ("write-ahead log", "MANIFEST").
absl::Status CheckLogFile(rocksdb::FileSystem* fs, const std::string& path,
                          std::string_view what = "write-ahead log");

// CheckLogFile on the MANIFEST that the CURRENT file in `dir` names (OK
// when there is none): the MANIFEST is a log of the same format, and a
// damaged length in its last block made RocksDB read the store as an
// older file set (found by tests/faults: a bulk load's tables missing,
// queries answering from empty indexes).
absl::Status CheckManifest(rocksdb::FileSystem* fs, const std::string& dir);

// CheckLogFile over every "*.log" file in the directory `dir`: the first
// error. Reads the last (partial) block of each.
absl::Status CheckLogFiles(rocksdb::FileSystem* fs, const std::string& dir);

}  // namespace kg

#endif  // KGSTORE_STORAGE_LOG_FILE_CHECK_H_
