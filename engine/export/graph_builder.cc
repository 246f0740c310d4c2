// The three passes from quads to nodes and edges (graph_builder.h).

#include "engine/export/graph_builder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/export/palette.h"

namespace kg::export_internal {
namespace {

constexpr std::string_view kRdfsLabel =
    "http://www.w3.org/2000/01/rdf-schema#label";

// ---- attribute types ---------------------------------------------------------
//
// A key is typed long, double or boolean when every value of it, on every
// node, is a literal of that XSD type whose lexical form parses as one, and
// no node has two values of it; otherwise string.

enum class ValueKind : uint8_t { kString, kInteger, kNumber, kBoolean };

bool ParsesAsInt64(std::string_view v) {
  if (!v.empty() && v[0] == '+') v.remove_prefix(1);
  int64_t x;
  auto r = std::from_chars(v.data(), v.data() + v.size(), x);
  return r.ec == std::errc() && r.ptr == v.data() + v.size() && !v.empty();
}

bool ParsesAsNumber(std::string_view v) {
  if (!v.empty() && v[0] == '+') v.remove_prefix(1);
  if (v.empty()) return false;
  double x;
  auto r = std::from_chars(v.data(), v.data() + v.size(), x);
  return r.ec == std::errc() && r.ptr == v.data() + v.size() && std::isfinite(x);
}

ValueKind KindOfLiteral(const Term& t) {
  std::string_view dt = t.DatatypeIri();
  if (dt.substr(0, kXsd.size()) != kXsd) return ValueKind::kString;
  std::string_view local = dt.substr(kXsd.size());
  static const std::set<std::string_view> ints = {
      "integer", "long", "int", "short", "byte", "nonNegativeInteger",
      "positiveInteger", "nonPositiveInteger", "negativeInteger",
      "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"};
  if (ints.count(local))
    return ParsesAsInt64(t.lexical) ? ValueKind::kInteger : ValueKind::kString;
  if (local == "decimal" || local == "double" || local == "float")
    return ParsesAsNumber(t.lexical) ? ValueKind::kNumber : ValueKind::kString;
  if (local == "boolean")
    return (t.lexical == "true" || t.lexical == "false" || t.lexical == "1" ||
            t.lexical == "0")
               ? ValueKind::kBoolean
               : ValueKind::kString;
  return ValueKind::kString;
}

struct KeyStats {
  bool any_string = false, any_int = false, any_number = false, any_bool = false;
  bool multi = false;
  AttrType Type() const {
    if (multi || any_string) return AttrType::kString;
    if (any_bool) return (any_int || any_number) ? AttrType::kString : AttrType::kBool;
    if (any_number) return AttrType::kDouble;
    if (any_int) return AttrType::kLong;
    return AttrType::kString;
  }
};

// ---- the three passes ----------------------------------------------------------

class Builder {
 public:
  Builder(const QuadSource& src, const PrefixMap& prefixes, GraphWriter& w,
          std::ostream& out)
      : src_(src), prefixes_(prefixes), w_(w), out_(out) {}

  absl::Status Run(const std::string& title, ExportSummary* summary) {
    type_id_ = src_.Find(Term::Iri(std::string(kRdfType)));
    label_id_ = src_.Find(Term::Iri(std::string(kRdfsLabel)));
    header_.title = title;
    if (absl::Status s = ScanHeader(); !s.ok()) return s;
    w_.Begin(header_);
    if (absl::Status s = WriteNodes(); !s.ok()) return s;
    w_.EndNodes();
    if (absl::Status s = WriteEdges(); !s.ok()) return s;
    w_.End();
    out_.flush();
    if (!out_) return absl::UnavailableError("writing the export failed");
    if (summary) {
      summary->nodes = nodes_;
      summary->edges = edges_;
      summary->classes = header_.classes.size();
    }
    return absl::OkStatus();
  }

 private:
  bool IsType(uint64_t p) const { return type_id_ && p == *type_id_; }
  bool IsNode(uint64_t id) const {
    NumberedTermKind k = src_.Kind(id);
    return k == NumberedTermKind::kIri || k == NumberedTermKind::kBlankNode;
  }

  // A term as labels and attribute names show it: prefix:local when a
  // prefix fits, else the IRI; "_:label" for a blank node.
  std::string ShortName(const Term& t) const {
    if (t.is_blank()) return "_:" + t.lexical;
    if (!t.is_iri()) return t.lexical;
    std::optional<std::string> name = PrefixedName(t.lexical, prefixes_);
    return name ? *std::move(name) : t.lexical;
  }
  static std::string FullName(const Term& t) {
    return t.is_blank() ? "_:" + t.lexical : t.lexical;
  }

  absl::StatusOr<ValueKind> Kind(uint64_t o) {
    if (src_.Kind(o) != NumberedTermKind::kTypedLiteral)
      return ValueKind::kString;
    auto it = kind_cache_.find(o);
    if (it != kind_cache_.end()) return it->second;
    auto t = src_.Resolve(o);
    if (!t.ok()) return t.status();
    ValueKind k = KindOfLiteral(*t);
    if (kind_cache_.size() > (1u << 16)) kind_cache_.clear();
    kind_cache_.emplace(o, k);
    return k;
  }

  // Pass 0: attribute keys with their types, and the classes.
  absl::Status ScanHeader() {
    absl::flat_hash_map<uint64_t, KeyStats> keys;
    std::set<uint64_t> classes;
    auto it = src_.BySubject();
    uint64_t last_s = 0, last_p = 0, last_o = 0;
    bool have_last = false;
    for (; it->Valid(); it->Next()) {
      const NumberedQuad& q = it->quad();
      if (IsType(q.predicate) && IsNode(q.object)) {
        classes.insert(q.object);
      } else if (!IsNode(q.object)) {
        KeyStats& k = keys[q.predicate];
        if (have_last && last_s == q.subject && last_p == q.predicate &&
            last_o != q.object)
          k.multi = true;
        auto kind = Kind(q.object);
        if (!kind.ok()) return kind.status();
        switch (*kind) {
          case ValueKind::kString: k.any_string = true; break;
          case ValueKind::kInteger: k.any_int = true; break;
          case ValueKind::kNumber: k.any_number = true; break;
          case ValueKind::kBoolean: k.any_bool = true; break;
        }
        last_s = q.subject, last_p = q.predicate, last_o = q.object;
        have_last = true;
      }
    }
    if (!it->status().ok()) return it->status();
    std::vector<std::pair<std::string, uint64_t>> sorted;
    for (const auto& [p, stats] : keys) {
      auto t = src_.Resolve(p);
      if (!t.ok()) return t.status();
      sorted.emplace_back(ShortName(*t), p);
    }
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [name, p] : sorted) {
      key_index_[p] = static_cast<int>(header_.keys.size());
      header_.keys.push_back({name, keys[p].Type()});
    }
    std::vector<std::pair<std::string, std::string>> cls;  // name, iri
    std::vector<uint64_t> cls_ids;
    for (uint64_t c : classes) {
      auto t = src_.Resolve(c);
      if (!t.ok()) return t.status();
      cls.emplace_back(ShortName(*t), FullName(*t));
      cls_ids.push_back(c);
    }
    std::vector<size_t> order(cls.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return cls[a] < cls[b]; });
    std::vector<std::string> iris;
    for (size_t i : order) iris.push_back(cls[i].second);
    std::vector<std::string> colors = ClassColors(iris);
    for (size_t j = 0; j < order.size(); ++j) {
      class_index_[cls_ids[order[j]]] = static_cast<int>(j);
      header_.classes.push_back(
          {cls[order[j]].first, cls[order[j]].second, colors[j]});
    }
    return absl::OkStatus();
  }

  absl::StatusOr<const std::string*> GraphName(uint64_t g) {
    auto it = graph_names_.find(g);
    if (it != graph_names_.end()) return &it->second;
    std::string name;
    if (g != 0) {
      auto t = src_.Resolve(g);
      if (!t.ok()) return t.status();
      name = FullName(*t);
    }
    return &graph_names_.emplace(g, std::move(name)).first->second;
  }

  static void AddUnique(std::vector<std::string>* v, const std::string& s) {
    if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
  }

  // Pass 1: one node per subject, then per object never a subject (merged
  // in number order, so each node is written once).
  absl::Status WriteNodes() {
    auto subj = src_.BySubject();
    auto obj = src_.ByObject();
    std::vector<NumberedQuad> group;
    // The next object-only candidate: an IRI/blank object with an incoming
    // quad other than rdf:type; its graphs in obj_graphs.
    std::optional<uint64_t> next_obj;
    std::vector<uint64_t> obj_graphs;
    bool obj_done = false;
    auto advance_obj = [&]() -> absl::Status {
      next_obj.reset();
      obj_graphs.clear();
      while (!obj_done && obj->Valid()) {
        uint64_t o = obj->quad().object;
        if (!IsNode(o)) {  // literals number after nodes: done
          obj_done = true;
          break;
        }
        bool edge = false;
        std::vector<uint64_t> graphs;
        for (; obj->Valid() && obj->quad().object == o; obj->Next()) {
          if (!IsType(obj->quad().predicate)) {
            edge = true;
            if (std::find(graphs.begin(), graphs.end(), obj->quad().graph) ==
                graphs.end())
              graphs.push_back(obj->quad().graph);
          }
        }
        if (edge) {
          next_obj = o;
          obj_graphs = std::move(graphs);
          return absl::OkStatus();
        }
      }
      return obj->status();
    };
    if (absl::Status s = advance_obj(); !s.ok()) return s;
    while (subj->Valid() || next_obj) {
      if (subj->Valid() && (!next_obj || subj->quad().subject <= *next_obj)) {
        uint64_t s = subj->quad().subject;
        group.clear();
        for (; subj->Valid() && subj->quad().subject == s; subj->Next())
          group.push_back(subj->quad());
        if (next_obj && *next_obj == s)
          if (absl::Status st = advance_obj(); !st.ok()) return st;
        if (absl::Status st = SubjectNode(s, group); !st.ok()) return st;
      } else {
        if (absl::Status st = ObjectNode(*next_obj, obj_graphs); !st.ok())
          return st;
        if (absl::Status st = advance_obj(); !st.ok()) return st;
      }
      if (!out_) return absl::UnavailableError("writing the export failed");
    }
    if (!subj->status().ok()) return subj->status();
    return obj->status();
  }

  absl::Status BasicNode(uint64_t id, NodeOut* n) {
    auto t = src_.Resolve(id);
    if (!t.ok()) return t.status();
    n->num = id;
    n->iri = FullName(*t);
    n->label = ShortName(*t);
    return absl::OkStatus();
  }

  absl::Status ObjectNode(uint64_t id, const std::vector<uint64_t>& graphs) {
    NodeOut n;
    if (absl::Status s = BasicNode(id, &n); !s.ok()) return s;
    for (uint64_t g : graphs) {
      auto name = GraphName(g);
      if (!name.ok()) return name.status();
      AddUnique(&n.graphs, **name);
    }
    w_.Node(n);
    ++nodes_;
    return absl::OkStatus();
  }

  absl::Status SubjectNode(uint64_t id, const std::vector<NumberedQuad>& group) {
    NodeOut n;
    if (absl::Status s = BasicNode(id, &n); !s.ok()) return s;
    std::optional<uint64_t> cls;
    std::optional<Term> best_label;
    int best_rank = 3;
    std::map<int, std::vector<std::string>> attrs;
    uint64_t last_p = 0, last_o = 0;
    bool have_last = false;
    for (const NumberedQuad& q : group) {
      auto g = GraphName(q.graph);
      if (!g.ok()) return g.status();
      AddUnique(&n.graphs, **g);
      if (IsType(q.predicate) && IsNode(q.object)) {
        if (!cls) cls = q.object;
        auto t = src_.Resolve(q.object);
        if (!t.ok()) return t.status();
        AddUnique(&n.types, ShortName(*t));
        continue;
      }
      if (IsNode(q.object)) continue;
      // The same value from another graph.
      if (have_last && q.predicate == last_p && q.object == last_o) continue;
      last_p = q.predicate, last_o = q.object, have_last = true;
      auto t = src_.Resolve(q.object);
      if (!t.ok()) return t.status();
      if (label_id_ && q.predicate == *label_id_) {
        // An English or untagged label first, then en-*, then any.
        int rank = (t->language.empty() || t->language == "en") ? 0
                   : t->language.rfind("en-", 0) == 0           ? 1
                                                                : 2;
        if (rank < best_rank) best_rank = rank, best_label = *t;
      }
      auto k = key_index_.find(q.predicate);
      if (k != key_index_.end())
        attrs[k->second].push_back(std::move(t->lexical));
    }
    if (best_label) n.label = best_label->lexical;
    if (cls) {
      auto c = class_index_.find(*cls);
      if (c != class_index_.end()) n.cls = c->second;
    }
    for (auto& [k, v] : attrs) n.attrs.emplace_back(k, std::move(v));
    w_.Node(n);
    ++nodes_;
    return absl::OkStatus();
  }

  // Pass 2: one edge per quad whose object is a node (rdf:type aside).
  absl::Status WriteEdges() {
    absl::flat_hash_map<uint64_t, std::pair<std::string, std::string>> preds;
    auto it = src_.BySubject();
    for (; it->Valid(); it->Next()) {
      const NumberedQuad& q = it->quad();
      if (!IsNode(q.object) || IsType(q.predicate)) continue;
      auto p = preds.find(q.predicate);
      if (p == preds.end()) {
        auto t = src_.Resolve(q.predicate);
        if (!t.ok()) return t.status();
        p = preds.emplace(q.predicate, std::make_pair(ShortName(*t), t->lexical))
                .first;
      }
      auto g = GraphName(q.graph);
      if (!g.ok()) return g.status();
      EdgeOut e;
      e.num = edges_++;
      e.source = q.subject;
      e.target = q.object;
      e.label = &p->second.first;
      e.predicate = &p->second.second;
      e.graph = *g;
      w_.Edge(e);
      if ((edges_ & 0xFFFF) == 0 && !out_)
        return absl::UnavailableError("writing the export failed");
    }
    return it->status();
  }

  const QuadSource& src_;
  const PrefixMap& prefixes_;
  GraphWriter& w_;
  std::ostream& out_;
  std::optional<uint64_t> type_id_, label_id_;
  Header header_;
  absl::flat_hash_map<uint64_t, int> key_index_;
  absl::flat_hash_map<uint64_t, int> class_index_;
  absl::flat_hash_map<uint64_t, ValueKind> kind_cache_;
  absl::flat_hash_map<uint64_t, std::string> graph_names_;
  uint64_t nodes_ = 0, edges_ = 0;
};

}  // namespace

absl::Status BuildGraph(const QuadSource& source, const PrefixMap& prefixes,
                        const std::string& title, GraphWriter& writer,
                        std::ostream& out, ExportSummary* summary) {
  Builder builder(source, prefixes, writer, out);
  return builder.Run(title, summary);
}

}  // namespace kg::export_internal
