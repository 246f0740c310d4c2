// CRC32c as RocksDB computes it for its blocks and log records, through
// RocksDB's public file-checksum generator (rocksdb/file_checksum.h), so
// the checks of table files and write-ahead logs made before RocksDB
// opens a store (table_file_check.h, log_file_check.h) use RocksDB's own
// implementation rather than a copy.

#ifndef KGSTORE_STORAGE_CRC32C_H_
#define KGSTORE_STORAGE_CRC32C_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "rocksdb/file_checksum.h"

namespace kg {

// The CRC32c of the pieces, one after another (unmasked).
inline uint32_t Crc32c(std::initializer_list<std::string_view> pieces) {
  std::unique_ptr<rocksdb::FileChecksumGenerator> crc =
      rocksdb::GetFileChecksumGenCrc32cFactory()->CreateFileChecksumGenerator(
          rocksdb::FileChecksumGenContext());
  for (std::string_view piece : pieces) crc->Update(piece.data(), piece.size());
  crc->Finalize();
  // The generator gives the CRC as 4 big-endian bytes.
  uint32_t v = 0;
  for (char c : crc->GetChecksum()) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

// RocksDB's mask of a stored CRC (util/crc32c.h, Mask): a CRC of data
// that holds CRCs is then not a CRC of its own.
inline uint32_t MaskCrc32c(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

}  // namespace kg

#endif  // KGSTORE_STORAGE_CRC32C_H_
