// rocksdb::Status -> absl::Status.

#include "storage/rocks_status.h"

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"

namespace kg {
namespace {

absl::Status WithCode(const rocksdb::Status& s, const std::string& msg) {
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(msg);
  if (s.IsNotSupported()) return absl::UnimplementedError(msg);
  if (s.IsBusy() || s.IsTryAgain()) return absl::UnavailableError(msg);
  if (s.IsNoSpace() || s.IsMemoryLimit())
    return absl::ResourceExhaustedError(msg);
  if (s.IsAborted()) return absl::AbortedError(msg);
  if (s.IsIOError()) return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

}  // namespace

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return WithCode(s, absl::StrCat(Sv(what), ": ", s.ToString()));
}

absl::Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return WithCode(s, s.ToString());
}

}  // namespace kg
