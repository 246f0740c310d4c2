// The W3C comparison of a query's answer with the expected one
// (ResultsEqual), and RenameBlankNodes, which tests it.
//
// Bindings: rows are first compared with blank nodes masked (a multiset of
// "signatures"); only when those agree does the comparison search for a
// blank node bijection, trying for each expected row the actual rows of
// the same signature and backtracking on conflict. Result files are small,
// and a step budget keeps a pathological case from running away. Graphs
// are compared by IsIsomorphic (manifest.h).

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/base/absl_compat.h"
#include "tests/conformance/manifest.h"
#include "tests/conformance/results.h"

namespace kg::conformance {
namespace {

std::string CellText(const std::optional<Term>& t) {
  return t.has_value() ? t->ToNTriples() : "UNDEF";
}

std::string RowText(const std::vector<std::string>& vars, const Row& row) {
  std::string out = "{";
  for (size_t i = 0; i < vars.size(); ++i) {
    if (i > 0) out.append(", ");
    absl::StrAppend(&out, "?", vars[i], "=",
                    CellText(i < row.size() ? row[i] : std::nullopt));
  }
  out.push_back('}');
  return out;
}

// The row with blank nodes masked: equal signatures are necessary for two
// rows to match under some bijection.
std::string Signature(const Row& row) {
  std::string sig;
  for (const auto& cell : row) {
    if (!cell.has_value()) {
      sig.append("\x1FU");
    } else if (cell->is_blank()) {
      sig.append("\x1F_");
    } else {
      sig.push_back('\x1F');
      cell->AppendNTriples(&sig);
    }
  }
  return sig;
}

bool HasBlank(const Row& row) {
  for (const auto& cell : row) {
    if (cell.has_value() && cell->is_blank()) return true;
  }
  return false;
}

// A partial blank node bijection with an undo log.
class Bijection {
 public:
  // Extends the mapping so that row `a` maps to row `b` (equal signatures
  // assumed); false (and nothing changed) on conflict.
  bool Match(const Row& a, const Row& b) {
    size_t mark = log_.size();
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].has_value() || !a[i]->is_blank()) continue;
      const std::string& x = a[i]->lexical;
      const std::string& y = b[i]->lexical;
      auto f = fwd_.find(x);
      auto r = bwd_.find(y);
      if (f == fwd_.end() && r == bwd_.end()) {
        fwd_.emplace(x, y);
        bwd_.emplace(y, x);
        log_.push_back(x);
      } else if (f == fwd_.end() || r == bwd_.end() || f->second != y) {
        Undo(mark);
        return false;
      }
    }
    return true;
  }
  size_t Mark() const { return log_.size(); }
  void Undo(size_t mark) {
    while (log_.size() > mark) {
      auto f = fwd_.find(log_.back());
      bwd_.erase(f->second);
      fwd_.erase(f);
      log_.pop_back();
    }
  }

 private:
  absl::flat_hash_map<std::string, std::string> fwd_, bwd_;
  std::vector<std::string> log_;
};

struct Matcher {
  const std::vector<const Row*>& a;
  const std::vector<std::vector<const Row*>>& candidates;  // per a row
  std::vector<bool> used_b;
  absl::flat_hash_map<const Row*, size_t> b_index;
  Bijection bij;
  uint64_t budget = 2'000'000;

  bool Search(size_t i) {
    if (i == a.size()) return true;
    for (const Row* b : candidates[i]) {
      size_t bi = b_index.at(b);
      if (used_b[bi]) continue;
      if (budget == 0) return false;
      --budget;
      size_t mark = bij.Mark();
      if (!bij.Match(*a[i], *b)) continue;
      used_b[bi] = true;
      if (Search(i + 1)) return true;
      used_b[bi] = false;
      bij.Undo(mark);
    }
    return false;
  }
};

bool CompareBindings(const ResultTable& expected, const ResultTable& actual,
                     bool ordered, std::string* diff) {
  auto say = [&](std::string text) {
    if (diff != nullptr) *diff = std::move(text);
    return false;
  };
  std::set<std::string> ev(expected.variables.begin(),
                           expected.variables.end());
  std::set<std::string> av(actual.variables.begin(), actual.variables.end());
  if (ev != av) {
    return say(absl::StrCat("variables differ: expected [",
                            absl::StrJoin(ev, " "), "], actual [",
                            absl::StrJoin(av, " "), "]"));
  }
  const std::vector<std::string>& vars = expected.variables;
  // Actual rows laid out in the expected column order.
  std::vector<size_t> perm;
  for (const std::string& v : vars) {
    perm.push_back(
        std::find(actual.variables.begin(), actual.variables.end(), v) -
        actual.variables.begin());
  }
  std::vector<Row> a_rows;
  for (const Row& r : expected.rows) {
    Row row = r;
    row.resize(vars.size());
    a_rows.push_back(std::move(row));
  }
  std::vector<Row> b_rows;
  for (const Row& r : actual.rows) {
    Row row(vars.size());
    for (size_t i = 0; i < vars.size(); ++i) {
      if (perm[i] < r.size()) row[i] = r[perm[i]];
    }
    b_rows.push_back(std::move(row));
  }
  std::string count_note;
  if (a_rows.size() != b_rows.size()) {
    count_note = absl::StrCat("expected ", a_rows.size(), " rows, actual ",
                              b_rows.size(), "; ");
  }

  if (ordered) {
    Bijection bij;
    for (size_t i = 0; i < a_rows.size() && i < b_rows.size(); ++i) {
      if (Signature(a_rows[i]) != Signature(b_rows[i]) ||
          !bij.Match(a_rows[i], b_rows[i])) {
        return say(absl::StrCat(count_note, "row ", i + 1, ": expected ",
                                RowText(vars, a_rows[i]), ", actual ",
                                RowText(vars, b_rows[i])));
      }
    }
    if (!count_note.empty()) {
      bool more_expected = a_rows.size() > b_rows.size();
      size_t i = std::min(a_rows.size(), b_rows.size());
      return say(absl::StrCat(
          count_note,
          more_expected ? "first missing row: " : "first extra row: ",
          RowText(vars, more_expected ? a_rows[i] : b_rows[i])));
    }
    return true;
  }

  // Unordered: signatures as multisets first.
  std::map<std::string, std::vector<const Row*>> a_by_sig, b_by_sig;
  for (const Row& r : a_rows) a_by_sig[Signature(r)].push_back(&r);
  for (const Row& r : b_rows) b_by_sig[Signature(r)].push_back(&r);
  for (const auto& [sig, rows] : a_by_sig) {
    auto it = b_by_sig.find(sig);
    size_t have = it == b_by_sig.end() ? 0 : it->second.size();
    if (have < rows.size()) {
      return say(absl::StrCat(
          count_note, "expected row not in actual",
          rows.size() > 1
              ? absl::StrCat(" (", rows.size(), " times, actual ", have, ")")
              : "",
          ": ", RowText(vars, *rows[0])));
    }
  }
  for (const auto& [sig, rows] : b_by_sig) {
    auto it = a_by_sig.find(sig);
    size_t want = it == a_by_sig.end() ? 0 : it->second.size();
    if (want < rows.size()) {
      return say(absl::StrCat(
          count_note, "unexpected row in actual",
          want > 0
              ? absl::StrCat(" (", rows.size(), " times, expected ", want, ")")
              : "",
          ": ", RowText(vars, *rows[0])));
    }
  }
  // Rows without blank nodes matched exactly; search a bijection for the
  // others, most constrained rows first.
  std::vector<const Row*> a_blank;
  for (const Row& r : a_rows) {
    if (HasBlank(r)) a_blank.push_back(&r);
  }
  if (a_blank.empty()) return true;
  std::stable_sort(
      a_blank.begin(), a_blank.end(), [&](const Row* x, const Row* y) {
        return a_by_sig[Signature(*x)].size() < a_by_sig[Signature(*y)].size();
      });
  std::vector<std::vector<const Row*>> candidates;
  for (const Row* r : a_blank) candidates.push_back(b_by_sig[Signature(*r)]);
  Matcher m{
      a_blank, candidates, std::vector<bool>(b_rows.size(), false), {}, {}};
  for (size_t i = 0; i < b_rows.size(); ++i) m.b_index[&b_rows[i]] = i;
  if (m.Search(0)) return true;
  return say(m.budget == 0
                 ? "gave up searching for a blank node mapping (too many "
                   "candidates)"
                 : absl::StrCat("no blank node renaming makes the rows equal "
                                "(first row with blank nodes: ",
                                RowText(vars, *a_blank[0]), ")"));
}

}  // namespace

ResultTable RenameBlankNodes(const ResultTable& table,
                             std::string_view prefix) {
  absl::flat_hash_map<std::string, std::string> names;
  auto rename = [&](Term& t) {
    if (!t.is_blank()) return;
    auto [it, fresh] = names.try_emplace(t.lexical, "");
    if (fresh) it->second = absl::StrCat(Sv(prefix), names.size());
    t.lexical = it->second;
  };
  ResultTable out = table;
  for (Row& row : out.rows) {
    for (auto& cell : row) {
      if (cell.has_value()) rename(*cell);
    }
  }
  for (Quad& q : out.triples) {
    rename(q.subject);
    rename(q.object);
    if (q.graph.has_value()) rename(*q.graph);
  }
  return out;
}

bool ResultsEqual(const ResultTable& expected, const ResultTable& actual,
                  bool ordered, std::string* diff) {
  auto kind_name = [](QueryResult::Kind k) {
    switch (k) {
      case QueryResult::Kind::kBindings:
        return "bindings";
      case QueryResult::Kind::kBoolean:
        return "boolean";
      case QueryResult::Kind::kGraph:
        return "graph";
    }
    return "?";
  };
  if (expected.kind != actual.kind) {
    if (diff != nullptr) {
      *diff = absl::StrCat("expected a ", kind_name(expected.kind),
                           " result, actual a ", kind_name(actual.kind));
    }
    return false;
  }
  switch (expected.kind) {
    case QueryResult::Kind::kBoolean:
      if (expected.boolean != actual.boolean) {
        if (diff != nullptr) {
          *diff = absl::StrCat("expected ", expected.boolean ? "true" : "false",
                               ", actual ", actual.boolean ? "true" : "false");
        }
        return false;
      }
      return true;
    case QueryResult::Kind::kGraph:
      return IsIsomorphic(expected.triples, actual.triples, diff);
    case QueryResult::Kind::kBindings:
      return CompareBindings(expected, actual, ordered, diff);
  }
  return false;
}

}  // namespace kg::conformance
