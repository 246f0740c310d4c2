// The six permutation indexes of quads and how a pattern picks one.
//
// A quad is four TermIds (subject, predicate, object, graph; graph is
// kDefaultGraph for the default graph). Each index is a RocksDB column
// family whose keys are the four ids in one order, each in the compact
// encoding of term_id.h, with an empty value. Six orders are the fewest
// that give every one of the 16 bound/unbound combinations a prefix scan:
//
//   SPOG  POSG  OSPG  GSPO  GPOS  GOSP
//
//   bound     index     bound      index     bound       index
//   -         SPOG      S,P        SPOG      S,P,O       SPOG
//   S         SPOG      S,O        OSPG      S,P,G       GSPO
//   P         POSG      S,G        GSPO      S,O,G       GOSP
//   O         OSPG      P,O        POSG      P,O,G       GPOS
//   G         GSPO      P,G        GPOS      S,P,O,G     SPOG
//                       O,G        GOSP
//
// so no scan ever filters through keys that do not match (docs/STORAGE.md),
// with one exception: the three graph-first indexes (GSPO GPOS GOSP) hold
// only the quads of named graphs (format kgstore-3). Most stores keep most
// or all of their quads in the default graph, and writing them three more
// times made bulk loads twice as slow and stores twice as large for
// nothing: with G fixed, a graph-first index orders the other positions
// exactly as the index without G in front does (GSPO ~ SPOG, GPOS ~ POSG,
// GOSP ~ OSPG), so a pattern that binds G to the default graph scans that
// index and skips the quads of named graphs (PlanScan).
// A bulk load into an empty store writes the graph-last indexes' keys in
// packed blocks of 64 instead, in companion column families (format
// kgstore-4): the same keys, read through IndexCursor (packed_block.h).
// The enum values are persisted as column family order: frozen.

#ifndef KGSTORE_STORAGE_QUAD_INDEX_H_
#define KGSTORE_STORAGE_QUAD_INDEX_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/term_id.h"

namespace kg {

// A quad of ids in canonical position order.
struct QuadIds {
  TermId s = 0, p = 0, o = 0, g = kDefaultGraph;
  TermId at(int position) const {
    return position == 0 ? s : position == 1 ? p : position == 2 ? o : g;
  }
  TermId& at(int position) {
    return position == 0 ? s : position == 1 ? p : position == 2 ? o : g;
  }
  friend bool operator==(const QuadIds&, const QuadIds&) = default;
};

enum class Permutation : uint8_t {  // persisted: frozen
  kSPOG = 0,
  kPOSG = 1,
  kOSPG = 2,
  kGSPO = 3,
  kGPOS = 4,
  kGOSP = 5,
};
inline constexpr int kNumPermutations = 6;

// Positions (0=S 1=P 2=O 3=G) in key order for each permutation.
inline constexpr std::array<std::array<int, 4>, kNumPermutations>
    kPermutationOrder = {{{0, 1, 2, 3},
                          {1, 2, 0, 3},
                          {2, 0, 1, 3},
                          {3, 0, 1, 2},
                          {3, 1, 2, 0},
                          {3, 2, 0, 1}}};

// "spog", "posg", ... (also the column family names).
std::string_view PermutationName(Permutation perm);

// Which of S, P, O, G are bound, as a bit set (bit i = position i).
// Returns the permutation whose key starts with exactly the bound
// positions, in some order.
Permutation ChoosePermutation(unsigned bound_mask);

// Whether `perm` holds quads of the default graph: the graph-first indexes
// hold only those of named graphs.
inline bool HoldsDefaultGraph(Permutation perm) {
  return static_cast<int>(perm) < 3;
}
// Whether a quad of graph `g` has a key in `perm`.
inline bool IndexHolds(Permutation perm, TermId g) {
  return g != kDefaultGraph || HoldsDefaultGraph(perm);
}

// How one scan runs.
struct ScanPlan {
  Permutation perm;
  // The bound positions that form the key prefix in `perm`.
  unsigned prefix_mask;
  // Keep only quads of the default graph (the pattern binds G to it, but
  // `perm` has G last and holds every graph).
  bool default_graph_only;
};
// The plan for the quads whose positions in `bound_mask` equal those of
// `pattern`: ChoosePermutation's index, except that G bound to the default
// graph (and not every position bound, which is one point lookup in SPOG)
// scans the index of the other bound positions and keeps the default
// graph's quads. Either way the quads come in the order of
// ChoosePermutation(bound_mask) over the positions not bound.
ScanPlan PlanScan(const QuadIds& pattern, unsigned bound_mask);

// The index key of `quad` in `perm`.
void EncodeQuadKey(Permutation perm, const QuadIds& quad, std::string* out);
// The key prefix made of the bound positions of `quad` (per `bound_mask`,
// which must be a prefix set of `perm`, as ChoosePermutation returns).
void EncodePrefix(Permutation perm, const QuadIds& quad, unsigned bound_mask,
                  std::string* out);
// Decodes a full key. False on malformed keys.
bool DecodeQuadKey(Permutation perm, std::string_view key, QuadIds* out);

// The smallest string greater than every string with prefix `prefix`
// (used as iterate_upper_bound). Empty if there is none.
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace kg

#endif  // KGSTORE_STORAGE_QUAD_INDEX_H_
