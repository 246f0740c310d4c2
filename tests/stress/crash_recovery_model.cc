// The transactions of the crash recovery test (crash_recovery.h) as text,
// the model file, and the quads each transaction writes: what both the
// writer (to write them) and the parent (to recognise them) must agree on.

#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/stress/crash_recovery.h"

namespace kg::crash_recovery {

std::string TxnLine(const Txn& t) {
  return absl::StrCat(t.n, " ", kKindNames[t.kind], " ", t.items, " ",
                      t.graph, " ", t.target, " ", t.group, " ", t.removed);
}

std::optional<Txn> ParseTxn(std::string_view line) {
  std::vector<std::string_view> f = Split(line, ' ');
  if (f.size() != 7) return std::nullopt;
  Txn t;
  auto kind = KindFromName(f[1]);
  if (!kind) return std::nullopt;
  t.kind = *kind;
  if (!ToNum(f[0], &t.n) || !ToNum(f[2], &t.items) ||
      !ToNum(f[3], &t.graph) || !ToNum(f[4], &t.target) ||
      !ToNum(f[5], &t.group) || !ToNum(f[6], &t.removed))
    return std::nullopt;
  return t;
}

bool WriteModel(const Model& m, const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  out << "fresh " << (m.fresh ? 1 : 0) << "\nnext " << m.next_n << "\n";
  for (const auto& [n, t] : m.live) out << "txn " << TxnLine(t) << "\n";
  return static_cast<bool>(out.flush());
}

std::optional<Model> ReadModel(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  Model m;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("fresh ")) {
      m.fresh = line == "fresh 1";
    } else if (line.starts_with("next ")) {
      if (!ToNum(line.substr(5), &m.next_n)) return std::nullopt;
    } else if (line.starts_with("txn ")) {
      auto t = ParseTxn(line.substr(4));
      if (!t) return std::nullopt;
      m.live[t->n] = *t;
    }
  }
  return m;
}

// ---- the terms --------------------------------------------------------

std::string ItemIri(uint64_t n, uint32_t i) {
  return absl::StrCat("urn:kg:t", n, "/", i);
}
std::string MarkerIri(uint64_t n) { return absl::StrCat("urn:kg:txn", n); }
std::string GraphIri(int g) { return absl::StrCat("urn:kg:g", g); }
std::string ValueText(uint64_t n, uint32_t i) {
  return absl::StrCat("value ", n, "/", i);
}

Term Int(uint64_t v) {
  return Term::Literal(std::to_string(v), std::string(kXsdInteger));
}
std::optional<Term> GraphTerm(int g) {
  if (g < 0) return std::nullopt;
  return Term::Iri(GraphIri(g));
}

// The quads of item i of data transaction t.
std::vector<Quad> ItemQuads(const Txn& t, uint32_t i) {
  return {
      Quad{Term::Iri(ItemIri(t.n, i)), Term::Iri(kTx), Int(t.n),
           GraphTerm(t.graph)},
      Quad{Term::Iri(ItemIri(t.n, i)), Term::Iri(kV),
           Term::Literal(ValueText(t.n, i)), GraphTerm(t.graph)}};
}

std::vector<Quad> MarkerQuads(const Txn& t) {
  const Term s = Term::Iri(MarkerIri(t.n));
  std::vector<Quad> out{Quad{s, Term::Iri(kKindP),
                             Term::Literal(kKindNames[t.kind]),
                             HasData(t.kind) ? GraphTerm(t.graph)
                                             : std::nullopt}};
  if (HasData(t.kind)) {
    out.push_back(
        Quad{s, Term::Iri(kItemsP), Int(t.items), GraphTerm(t.graph)});
  } else {
    out.push_back(Quad{s, Term::Iri(kRemovedP),
                       Term::Literal(absl::StrCat(t.target, "/", t.group)),
                       std::nullopt});
  }
  return out;
}

uint32_t GroupSize(uint32_t items, int g) {
  return items / kGroups + (static_cast<uint32_t>(g) < items % kGroups ? 1 : 0);
}

}  // namespace kg::crash_recovery
