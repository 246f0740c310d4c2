// The parent's verification after a kill (see crash_recovery.cc): every
// quad of the reopened store read back into what each transaction left
// there (Seen), compared with the model (Compare), and transactions found
// partly there whatever the model says (Partial).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "tests/stress/crash_recovery.h"

namespace kg::crash_recovery {
namespace {

// Graph index of an optional graph term: -1 default, -2 unknown.
int GraphIndex(const std::optional<Term>& g) {
  if (!g) return -1;
  std::string_view l = g->lexical;
  if (!l.starts_with("urn:kg:g")) return -2;
  int v;
  if (!ToNum(l.substr(8), &v)) return -2;
  return v;
}

}  // namespace

// Reads every quad; appends what is malformed to `errors`.
std::map<uint64_t, Seen> ReadStore(Database& db,
                                   std::vector<std::string>* errors) {
  std::map<uint64_t, Seen> seen;
  auto cursor = db.Match({});
  for (; cursor->Valid(); cursor->Next()) {
    const Quad& q = cursor->quad();
    std::string_view s = q.subject.lexical;
    const int graph = GraphIndex(q.graph);
    if (s.starts_with("urn:kg:txn")) {
      uint64_t n;
      if (!ParseUint(s.substr(10), &n)) {
        errors->push_back("unexpected quad " + q.ToNQuads());
        continue;
      }
      Seen& e = seen[n];
      e.graph = graph;
      if (q.predicate.lexical == kKindP) {
        e.marker_kind = true;
        e.kind = q.object.lexical;
      } else if (q.predicate.lexical == kItemsP) {
        uint64_t m;
        if (ParseUint(q.object.lexical, &m)) e.items = static_cast<uint32_t>(m);
      } else if (q.predicate.lexical == kRemovedP) {
        e.removed = q.object.lexical;
      } else {
        errors->push_back("unexpected quad " + q.ToNQuads());
      }
    } else if (s.starts_with("urn:kg:t")) {
      std::vector<std::string_view> parts = Split(s.substr(8), '/');
      uint64_t n, i;
      if (parts.size() != 2 || !ParseUint(parts[0], &n) ||
          !ParseUint(parts[1], &i)) {
        errors->push_back("unexpected quad " + q.ToNQuads());
        continue;
      }
      const bool ok =
          (q.predicate.lexical == kTx && q.object == Int(n)) ||
          (q.predicate.lexical == kV &&
           q.object == Term::Literal(ValueText(n, static_cast<uint32_t>(i))));
      if (!ok) errors->push_back("wrong quad " + q.ToNQuads());
      Seen& e = seen[n];
      e.group_quads[i % kGroups]++;
      e.data_quads++;
    } else {
      errors->push_back("unexpected quad " + q.ToNQuads());
    }
  }
  if (!cursor->status().ok())
    errors->push_back("reading the store: " + cursor->status().ToString());
  return seen;
}

// Compares what the store holds with `expected`; "" when they agree.
std::string Compare(const std::map<uint64_t, Seen>& seen,
                    const Model& expected) {
  std::string diff;
  for (const auto& [n, t] : expected.live) {
    auto it = seen.find(n);
    if (it == seen.end()) {
      absl::StrAppend(&diff, " missing ", n, " (", kKindNames[t.kind], ");");
      continue;
    }
    const Seen& e = it->second;
    if (e.kind != kKindNames[t.kind])
      absl::StrAppend(&diff, " ", n, " has kind '", e.kind, "';");
    if (HasData(t.kind)) {
      if (e.items != t.items || e.graph != t.graph)
        absl::StrAppend(&diff, " ", n, " marker differs;");
      for (int g = 0; g < kGroups; ++g) {
        const uint32_t want =
            ((t.removed >> g) & 1) ? 0 : 2 * GroupSize(t.items, g);
        if (e.group_quads[g] != want)
          absl::StrAppend(&diff, " ", n, " group ", g, " has ",
                          e.group_quads[g], " quads, not ", want, ";");
      }
    } else if (e.removed != absl::StrCat(t.target, "/", t.group)) {
      absl::StrAppend(&diff, " ", n, " removal marker differs;");
    }
  }
  for (const auto& [n, e] : seen)
    if (!expected.live.contains(n)) absl::StrAppend(&diff, " extra ", n, ";");
  return diff;
}

// Partial transactions, whatever the model: data without a marker, a
// marker without one of its quads, a group neither whole nor empty.
std::vector<std::string> Partial(const std::map<uint64_t, Seen>& seen) {
  std::vector<std::string> out;
  for (const auto& [n, e] : seen) {
    if (!e.marker_kind || (!e.items && !e.removed)) {
      out.push_back(absl::StrCat("transaction ", n, " is partly there: ",
                                 e.data_quads, " data quads, marker ",
                                 e.marker_kind ? "incomplete" : "missing"));
      continue;
    }
    if (!e.items) continue;
    for (int g = 0; g < kGroups; ++g) {
      if (e.group_quads[g] != 0 &&
          e.group_quads[g] != 2 * GroupSize(*e.items, g))
        out.push_back(absl::StrCat("transaction ", n, " group ", g, " has ",
                                   e.group_quads[g], " of ",
                                   2 * GroupSize(*e.items, g), " quads"));
    }
  }
  return out;
}

}  // namespace kg::crash_recovery
