// What the two sides of tests/stress/crash_recovery share (the parent that
// kills and verifies, crash_recovery.cc and crash_recovery_verify.cc, and
// the writer it kills, crash_recovery_writer.cc): the kinds of
// transaction, a transaction as both describe it (Txn) and as the pipe and
// the model file carry it, the model of what the store holds, and the
// quads each transaction writes (crash_recovery_model.cc). crash_recovery.cc
// explains the whole test.

#ifndef KGSTORE_TESTS_STRESS_CRASH_RECOVERY_H_
#define KGSTORE_TESTS_STRESS_CRASH_RECOVERY_H_

#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "engine/database.h"
#include "storage/rdf/term.h"

namespace kg::crash_recovery {

// Debian's Abseil has its own string_view: these take std::string_view.
inline std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}
template <typename T>
bool ToNum(std::string_view s, T* v) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

inline constexpr int kGroups = 8;
inline constexpr uint32_t kAllGroups = (1u << kGroups) - 1;
inline constexpr int kReportFd = 3;  // the writer's end of the pipe

enum Kind : int {
  kInsert = 0,
  kUpdate,
  kLoadEmpty,
  kLoad,
  kRemove,
  kRemoveUpdate,
  kCompact,
  kNumKinds
};
inline constexpr const char* kKindNames[kNumKinds] = {
    "insert", "update", "load-empty", "load", "remove", "remove-update",
    "compact"};

inline std::optional<Kind> KindFromName(std::string_view name) {
  for (int k = 0; k < kNumKinds; ++k)
    if (name == kKindNames[k]) return static_cast<Kind>(k);
  return std::nullopt;
}

inline bool IsRemoval(Kind k) { return k == kRemove || k == kRemoveUpdate; }
inline bool HasData(Kind k) {
  return k == kInsert || k == kUpdate || k == kLoadEmpty || k == kLoad;
}

// One transaction as both sides describe it. `graph` -1: the default
// graph, else <urn:kg:g{graph}>.
struct Txn {
  uint64_t n = 0;
  Kind kind = kInsert;
  uint32_t items = 0;           // data transactions
  int graph = -1;               // data transactions
  uint64_t target = 0;          // removals: the transaction ...
  int group = 0;                // ... and the group they delete
  uint32_t removed = 0;         // data transactions: groups deleted since
};

// What the store holds: every transaction whose effect is there (data
// transactions with their removed groups, and removal markers).
struct Model {
  std::map<uint64_t, Txn> live;
  bool fresh = true;  // nothing ever committed: a load is into an empty store
  uint64_t next_n = 1;

  void Apply(const Txn& t) {
    if (t.kind == kCompact) return;
    fresh = false;
    live[t.n] = t;
    if (IsRemoval(t.kind)) {
      auto it = live.find(t.target);
      if (it != live.end()) it->second.removed |= 1u << t.group;
    }
  }
  uint64_t LiveItems() const {
    uint64_t total = 0;
    for (const auto& [n, t] : live) total += t.items;
    return total;
  }
};

// A transaction as one line of text (the writer's "B" report, the model
// file) and back; std::nullopt for a malformed line.
std::string TxnLine(const Txn& t);
std::optional<Txn> ParseTxn(std::string_view line);

// The model file the parent writes before starting a writer, and the
// writer reads.
bool WriteModel(const Model& m, const std::string& path);
std::optional<Model> ReadModel(const std::string& path);

// ---- the terms (crash_recovery_model.cc) ------------------------------

// <urn:kg:t{n}/{i}>, <urn:kg:txn{n}>, <urn:kg:g{g}> and "value {n}/{i}"
// (the header of crash_recovery.cc shows the quads).
std::string ItemIri(uint64_t n, uint32_t i);
std::string MarkerIri(uint64_t n);
std::string GraphIri(int g);
std::string ValueText(uint64_t n, uint32_t i);
// The predicates of items (kTx, kV) and of markers.
inline const std::string kTx = "urn:kg:tx";
inline const std::string kV = "urn:kg:v";
inline const std::string kKindP = "urn:kg:kind";
inline const std::string kItemsP = "urn:kg:items";
inline const std::string kRemovedP = "urn:kg:removed";

// An xsd:integer literal.
Term Int(uint64_t v);
// <urn:kg:g{g}>, or the default graph for g < 0.
std::optional<Term> GraphTerm(int g);
// The quads of item i of data transaction t.
std::vector<Quad> ItemQuads(const Txn& t, uint32_t i);
// The marker quads of transaction t.
std::vector<Quad> MarkerQuads(const Txn& t);
// Items of group g among `items`.
uint32_t GroupSize(uint32_t items, int g);

// ---- the writer (crash_recovery_writer.cc) ----------------------------

// Opens `store`, reads the model, and commits random transactions until it
// is killed, reporting each on the pipe at kReportFd.
int ChildMain(const std::string& store, const std::string& model_file,
              uint64_t seed, double scale);

// ---- verification (crash_recovery_verify.cc) --------------------------

// What one verification found in the store, per transaction.
struct Seen {
  bool marker_kind = false;
  std::string kind;
  std::optional<uint32_t> items;
  std::optional<std::string> removed;  // "r/g"
  std::optional<int> graph;            // of the marker
  uint32_t group_quads[kGroups] = {};
  uint64_t data_quads = 0;
};

inline bool ParseUint(std::string_view s, uint64_t* v) { return ToNum(s, v); }

// Reads every quad; appends what is malformed to `errors`.
std::map<uint64_t, Seen> ReadStore(Database& db,
                                   std::vector<std::string>* errors);

// Compares what the store holds with `expected`; "" when they agree.
std::string Compare(const std::map<uint64_t, Seen>& seen,
                    const Model& expected);

// Partial transactions, whatever the model: data without a marker, a
// marker without one of its quads, a group neither whole nor empty.
std::vector<std::string> Partial(const std::map<uint64_t, Seen>& seen);

}  // namespace kg::crash_recovery

#endif  // KGSTORE_TESTS_STRESS_CRASH_RECOVERY_H_
