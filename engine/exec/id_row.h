// The rows operators pass: one TermId per variable slot of the query,
// kUnbound where a solution leaves the variable unbound. Terms computed by
// expressions that the store lacks get temporary ids (kTempTag) of the
// query; a pattern constant the store lacks is kAbsent.

#ifndef KGSTORE_ENGINE_EXEC_ID_ROW_H_
#define KGSTORE_ENGINE_EXEC_ID_ROW_H_

#include <vector>

#include "absl/hash/hash.h"
#include "absl/types/span.h"
#include "storage/term_id.h"

namespace kg::exec {

using IdRow = std::vector<TermId>;

inline constexpr TermId kUnbound = 0;
// Ids of terms computed by expressions and not in the store.
inline constexpr TermTag kTempTag = static_cast<TermTag>(0x7f);
// A constant the store does not have: matches nothing.
inline constexpr TermId kAbsent = ~uint64_t{0};

// Whether a and b agree on every slot both bind.
inline bool Compatible(const IdRow& a, const IdRow& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != kUnbound && b[i] != kUnbound && a[i] != b[i]) return false;
  return true;
}

// b := merge(a, b) if compatible.
inline bool MergeInto(const IdRow& a, IdRow* b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == kUnbound) continue;
    if ((*b)[i] == kUnbound) {
      (*b)[i] = a[i];
    } else if ((*b)[i] != a[i]) {
      return false;
    }
  }
  return true;
}

// `row` with only the slots `vars` kept.
inline IdRow Restrict(const IdRow& row, const std::vector<int>& vars) {
  IdRow out(row.size(), kUnbound);
  for (int v : vars) out[v] = row[v];
  return out;
}

struct RowHash {
  size_t operator()(const IdRow& r) const {
    return absl::HashOf(absl::MakeConstSpan(r));
  }
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_ID_ROW_H_
