// Key encoding for the six permutation indexes.

#include "storage/quad_index.h"

namespace kg {

std::string_view PermutationName(Permutation perm) {
  static constexpr std::string_view kNames[] = {"spog", "posg", "ospg",
                                                "gspo", "gpos", "gosp"};
  return kNames[static_cast<int>(perm)];
}

Permutation ChoosePermutation(unsigned mask) {
  // Bits: 1=S 2=P 4=O 8=G. Table from quad_index.h.
  static constexpr Permutation kByMask[16] = {
      Permutation::kSPOG,  // -
      Permutation::kSPOG,  // S
      Permutation::kPOSG,  // P
      Permutation::kSPOG,  // S P
      Permutation::kOSPG,  // O
      Permutation::kOSPG,  // S O
      Permutation::kPOSG,  // P O
      Permutation::kSPOG,  // S P O
      Permutation::kGSPO,  // G
      Permutation::kGSPO,  // S G
      Permutation::kGPOS,  // P G
      Permutation::kGSPO,  // S P G
      Permutation::kGOSP,  // O G
      Permutation::kGOSP,  // S O G
      Permutation::kGPOS,  // P O G
      Permutation::kSPOG,  // S P O G
  };
  return kByMask[mask & 15];
}

ScanPlan PlanScan(const QuadIds& pattern, unsigned mask) {
  mask &= 15;
  if ((mask & 8) && mask != 15 && pattern.g == kDefaultGraph)
    return {ChoosePermutation(mask & 7), mask & 7, true};
  return {ChoosePermutation(mask), mask, false};
}

void EncodeQuadKey(Permutation perm, const QuadIds& quad, std::string* out) {
  char buf[4 * kMaxEncodedIdSize];
  size_t n = 0;
  for (int position : kPermutationOrder[static_cast<int>(perm)])
    n += EncodeId(quad.at(position), buf + n);
  out->append(buf, n);
}

void EncodePrefix(Permutation perm, const QuadIds& quad, unsigned bound_mask,
                  std::string* out) {
  for (int position : kPermutationOrder[static_cast<int>(perm)]) {
    if (!(bound_mask & (1u << position))) break;
    AppendEncodedId(quad.at(position), out);
  }
}

bool DecodeQuadKey(Permutation perm, std::string_view key, QuadIds* out) {
  for (int position : kPermutationOrder[static_cast<int>(perm)]) {
    if (!DecodeId(&key, &out->at(position))) return false;
  }
  return key.empty();
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    unsigned char c = static_cast<unsigned char>(s.back());
    if (c != 0xff) {
      s.back() = static_cast<char>(c + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace kg
