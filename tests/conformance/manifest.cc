// Manifest reading and dataset isomorphism for the conformance runners.
//
// Isomorphism: blank nodes are coloured by iterative refinement (each
// node's colour hashes the multiset of quads it occurs in, with other blank
// nodes replaced by their colours) until the partition is stable; ties are
// broken by trying each candidate pairing in turn (backtracking). Hashes
// only guide the search: a candidate mapping is accepted only after the
// mapped dataset is checked to equal the other one exactly, so a hash
// collision can cost time but never give a wrong "isomorphic".

#include "tests/conformance/manifest.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"

namespace kg::conformance {
namespace {

std::string SubjectKey(const Term& t) { return t.ToNTriples(); }

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A dataset with terms replaced by integers: constants (shared between the
// two datasets being compared) by ids >= 1, the default graph by 0, blank
// nodes by -(index + 1).
using EncQuad = std::array<int64_t, 4>;

struct Encoded {
  std::vector<EncQuad> quads;  // sorted, unique
  size_t blank_count = 0;
  std::vector<std::string> blank_names;
};

class Encoder {
 public:
  Encoded Encode(const std::vector<Quad>& in) {
    Encoded out;
    absl::flat_hash_map<std::string, int64_t> blanks;
    auto enc = [&](const Term& t) -> int64_t {
      if (t.is_blank()) {
        auto [it, fresh] = blanks.try_emplace(
            t.lexical, -static_cast<int64_t>(blanks.size()) - 1);
        if (fresh) out.blank_names.push_back(t.lexical);
        return it->second;
      }
      auto [it, fresh] = constants_.try_emplace(
          t.ToNTriples(), static_cast<int64_t>(constants_.size()) + 1);
      return it->second;
    };
    for (const Quad& q : in) {
      EncQuad e{enc(q.subject), enc(q.predicate), enc(q.object),
                q.graph.has_value() ? enc(*q.graph) : 0};
      out.quads.push_back(e);
    }
    std::sort(out.quads.begin(), out.quads.end());
    out.quads.erase(std::unique(out.quads.begin(), out.quads.end()),
                    out.quads.end());
    out.blank_count = blanks.size();
    return out;
  }

 private:
  absl::flat_hash_map<std::string, int64_t> constants_;
};

using Colors = std::vector<uint64_t>;

size_t DistinctCount(const Colors& c) {
  std::vector<uint64_t> v = c;
  std::sort(v.begin(), v.end());
  return static_cast<size_t>(std::unique(v.begin(), v.end()) - v.begin());
}

// One refinement round: new colour = hash(old colour, multiset of the
// quads around the node as seen from it).
Colors RefineOnce(const Encoded& g, const Colors& c) {
  std::vector<uint64_t> acc(c.size(), 0);
  for (const EncQuad& q : g.quads) {
    for (int i = 0; i < 4; ++i) {
      if (q[i] >= 0) continue;
      uint64_t sig = Mix(static_cast<uint64_t>(i) + 7);
      for (int j = 0; j < 4; ++j) {
        uint64_t v;
        if (q[j] >= 0) {
          v = Mix(static_cast<uint64_t>(q[j]) * 4 + j);
        } else if (q[j] == q[i]) {
          v = Mix(0xA5A5 + j);  // the node itself
        } else {
          v = Mix(c[-q[j] - 1] + j * 0x1000193);
        }
        sig = Mix(sig ^ v) + j;
      }
      acc[-q[i] - 1] += Mix(sig);  // sum: order-independent multiset hash
    }
  }
  Colors out(c.size());
  for (size_t k = 0; k < c.size(); ++k) out[k] = Mix(c[k] * 31 + acc[k]);
  return out;
}

void Refine(const Encoded& a, const Encoded& b, Colors* ca, Colors* cb) {
  size_t parts = DistinctCount(*ca);
  for (;;) {
    *ca = RefineOnce(a, *ca);
    *cb = RefineOnce(b, *cb);
    size_t now = DistinctCount(*ca);
    if (now <= parts) return;
    parts = now;
  }
}

bool SameColorMultiset(Colors a, Colors b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

bool Verify(const Encoded& a, const Encoded& b,
            const std::vector<int64_t>& map) {
  std::vector<EncQuad> mapped;
  mapped.reserve(a.quads.size());
  for (EncQuad q : a.quads) {
    for (int i = 0; i < 4; ++i) {
      if (q[i] < 0) q[i] = map[-q[i] - 1];
    }
    mapped.push_back(q);
  }
  std::sort(mapped.begin(), mapped.end());
  return mapped == b.quads;
}

bool Search(const Encoded& a, const Encoded& b, Colors ca, Colors cb,
            uint64_t* marker, int depth) {
  Refine(a, b, &ca, &cb);
  if (!SameColorMultiset(ca, cb)) return false;
  // Smallest non-singleton colour class in a.
  std::map<uint64_t, std::vector<size_t>> classes;
  for (size_t i = 0; i < ca.size(); ++i) classes[ca[i]].push_back(i);
  const std::vector<size_t>* best = nullptr;
  uint64_t best_color = 0;
  for (const auto& [color, members] : classes) {
    if (members.size() > 1 &&
        (best == nullptr || members.size() < best->size())) {
      best = &members;
      best_color = color;
    }
  }
  if (best == nullptr) {
    absl::flat_hash_map<uint64_t, size_t> in_b;
    for (size_t i = 0; i < cb.size(); ++i) in_b[cb[i]] = i;
    std::vector<int64_t> map(ca.size());
    for (size_t i = 0; i < ca.size(); ++i) {
      map[i] = -static_cast<int64_t>(in_b[ca[i]]) - 1;
    }
    return Verify(a, b, map);
  }
  if (depth > 10000) return false;
  size_t pick = (*best)[0];
  for (size_t j = 0; j < cb.size(); ++j) {
    if (cb[j] != best_color) continue;
    Colors na = ca, nb = cb;
    uint64_t m = Mix(++*marker + 0x51ED);
    na[pick] = Mix(na[pick] ^ m);
    nb[j] = Mix(nb[j] ^ m);
    if (Search(a, b, std::move(na), std::move(nb), marker, depth + 1)) {
      return true;
    }
  }
  return false;
}

}  // namespace

Graph::Graph(std::vector<Quad> quads) : quads_(std::move(quads)) {
  for (size_t i = 0; i < quads_.size(); ++i) {
    by_subject_[SubjectKey(quads_[i].subject)].push_back(i);
  }
}

std::vector<Term> Graph::Objects(const Term& subject,
                                 std::string_view predicate) const {
  std::vector<Term> out;
  auto it = by_subject_.find(SubjectKey(subject));
  if (it == by_subject_.end()) return out;
  for (size_t i : it->second) {
    const Quad& q = quads_[i];
    if (q.predicate.is_iri() && q.predicate.lexical == predicate) {
      out.push_back(q.object);
    }
  }
  return out;
}

std::optional<Term> Graph::Object(const Term& subject,
                                  std::string_view predicate) const {
  std::vector<Term> all = Objects(subject, predicate);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<Term> Graph::List(const Term& head) const {
  std::vector<Term> out;
  const std::string first = std::string(kRdf) + "first";
  const std::string rest = std::string(kRdf) + "rest";
  const std::string nil = std::string(kRdf) + "nil";
  Term node = head;
  std::set<std::string> seen;  // guards against a cyclic list
  while (!(node.is_iri() && node.lexical == nil)) {
    if (!seen.insert(SubjectKey(node)).second) break;
    std::optional<Term> f = Object(node, first);
    if (!f) break;
    out.push_back(*f);
    std::optional<Term> r = Object(node, rest);
    if (!r) break;
    node = *r;
  }
  return out;
}

absl::StatusOr<std::vector<Quad>> ReadRdfFile(const std::string& path,
                                              RdfFormat format,
                                              const std::string& base_iri) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot open " + path);
  ParseOptions options;
  options.source_name = path;
  options.base_iri = base_iri;
  std::vector<Quad> quads;
  absl::Status st = ParseRdf(in, format, options, [&](const Quad& q) {
    quads.push_back(q);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return quads;
}

std::string FileIriToPath(std::string_view iri) {
  if (iri.substr(0, 7) == "file://") return std::string(iri.substr(7));
  return std::string(iri);
}

std::string PathToFileIri(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  if (ec) p = std::filesystem::absolute(path);
  return "file://" + p.string();
}

std::string Manifest::BaseFor(std::string_view file_iri) const {
  if (assumed_test_base.empty()) return std::string(file_iri);
  size_t slash = file_iri.rfind('/');
  std::string_view name =
      slash == std::string_view::npos ? file_iri : file_iri.substr(slash + 1);
  return assumed_test_base + std::string(name);
}

absl::StatusOr<Manifest> ReadManifest(const std::string& path) {
  Manifest m;
  m.iri = PathToFileIri(path);
  m.path = FileIriToPath(m.iri);
  absl::StatusOr<std::vector<Quad>> quads =
      ReadRdfFile(m.path, RdfFormat::kTurtle, m.iri);
  if (!quads.ok()) return quads.status();
  m.graph = Graph(std::move(*quads));
  const std::string mf(kMf);
  const Term self = Term::Iri(m.iri);
  if (auto b = m.graph.Object(self, mf + "assumedTestBase")) {
    m.assumed_test_base = b->lexical;
  }
  for (const Term& list : m.graph.Objects(self, mf + "include")) {
    for (const Term& inc : m.graph.List(list)) {
      m.includes.push_back(FileIriToPath(inc.lexical));
    }
  }
  for (const Term& list : m.graph.Objects(self, mf + "entries")) {
    for (const Term& node : m.graph.List(list)) {
      TestEntry e;
      e.node = node;
      if (auto t = m.graph.Object(node, kRdfType)) e.type = t->lexical;
      size_t hash = e.type.find_last_of("#/");
      e.type_local =
          hash == std::string::npos ? e.type : e.type.substr(hash + 1);
      if (auto n = m.graph.Object(node, mf + "name")) e.name = n->lexical;
      if (auto c = m.graph.Object(node, std::string(kRdfs) + "comment")) {
        e.comment = c->lexical;
      }
      e.action = m.graph.Object(node, mf + "action");
      e.result = m.graph.Object(node, mf + "result");
      m.entries.push_back(std::move(e));
    }
  }
  return m;
}

bool IsIsomorphic(const std::vector<Quad>& a, const std::vector<Quad>& b,
                  std::string* why) {
  Encoder enc;
  Encoded ea = enc.Encode(a);
  Encoded eb = enc.Encode(b);
  auto say = [&](std::string s) {
    if (why != nullptr) *why = std::move(s);
    return false;
  };
  if (ea.quads.size() != eb.quads.size()) {
    return say("different numbers of distinct quads: " +
               std::to_string(ea.quads.size()) + " vs " +
               std::to_string(eb.quads.size()));
  }
  if (ea.blank_count != eb.blank_count) {
    return say(
        "different numbers of blank nodes: " + std::to_string(ea.blank_count) +
        " vs " + std::to_string(eb.blank_count));
  }
  // Ground quads must match exactly.
  auto ground = [](const Encoded& e) {
    std::vector<EncQuad> g;
    for (const EncQuad& q : e.quads) {
      if (q[0] >= 0 && q[1] >= 0 && q[2] >= 0 && q[3] >= 0) g.push_back(q);
    }
    return g;
  };
  if (ground(ea) != ground(eb))
    return say("the quads without blank nodes differ");
  Colors ca(ea.blank_count, 1), cb(eb.blank_count, 1);
  uint64_t marker = 0;
  if (!Search(ea, eb, ca, cb, &marker, 0)) {
    return say("no blank-node mapping makes the datasets equal");
  }
  return true;
}

}  // namespace kg::conformance
