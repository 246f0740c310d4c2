// Debian 12's Abseil is built with its own absl::string_view (not an alias
// of std::string_view), so absl::StrCat and friends do not take a
// std::string_view. Sv() bridges the two without copying.

#ifndef KGSTORE_STORAGE_BASE_ABSL_COMPAT_H_
#define KGSTORE_STORAGE_BASE_ABSL_COMPAT_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace kg {

inline absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view Sv(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace kg

#endif  // KGSTORE_STORAGE_BASE_ABSL_COMPAT_H_
