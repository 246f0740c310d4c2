// Store: the small parts (blank node labels, dictionary keys, making
// readers and the writer, advancing the sequence number). Open and the
// format are in store_open.cc, statistics in store_statistics.cc, the
// adjacency warm-up in adjacency_warmup.cc.

#include "storage/store.h"

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/meta_keys.h"

#define XXH_INLINE_ALL
#include "xxhash.h"

namespace kg {
namespace {

constexpr std::string_view kBlankPrefix = "kgb";

}  // namespace

std::string Store::BlankLabel(TermId id) {
  return absl::StrCat(Sv(kBlankPrefix), absl::Hex(PayloadOf(id)));
}

std::optional<TermId> Store::ParseBlankLabel(std::string_view label) {
  if (label.substr(0, kBlankPrefix.size()) != kBlankPrefix) return std::nullopt;
  label.remove_prefix(kBlankPrefix.size());
  if (label.empty() || label.size() > 14 || label[0] == '0')
    return std::nullopt;
  uint64_t v = 0;
  for (char c : label) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else return std::nullopt;
    v = v * 16 + d;
  }
  return MakeId(TermTag::kBlankNode, v);
}

std::string Store::TermHashKey(std::string_view serialized) {
  XXH128_hash_t h = XXH3_128bits(serialized.data(), serialized.size());
  std::string key;
  key.reserve(16);
  meta::PutFixed64(&key, h.high64);
  meta::PutFixed64(&key, h.low64);
  return key;
}

std::unique_ptr<ReadView> Store::NewReadView() const {
  return std::unique_ptr<ReadView>(new ReadView(this));
}

absl::StatusOr<std::unique_ptr<WriteTxn>> Store::BeginWrite() {
  if (options_.read_only)
    return absl::FailedPreconditionError(
        absl::StrCat("store ", path_, " is open read-only"));
  std::unique_lock<std::mutex> lock(writer_mu_);
  return std::unique_ptr<WriteTxn>(new WriteTxn(this, std::move(lock)));
}

absl::Status Store::AdvanceSequence(uint64_t next_id) {
  std::string value;
  meta::PutFixed64(&value, next_id);
  std::unique_ptr<KvBatch> batch = kv_->NewBatch(/*readable=*/false);
  absl::Status s = batch->Put(KeySpace::kMeta, meta::kNextIdKey, value);
  if (s.ok()) s = kv_->Write(*batch, options().sync_commits);
  return WithContext(s, "advance sequence");
}

}  // namespace kg
