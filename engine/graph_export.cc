// Graph exports (see graph_export.h): selection -> a source of id quads ->
// three passes (header, nodes, edges) -> one writer per format.

#include "engine/graph_export.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/cytoscape_js.h"
#include "engine/query_result.h"
#include "storage/base/absl_compat.h"
#include "storage/quad_index.h"
#include "storage/rdf/syntax.h"
#include "storage/store.h"
#include "storage/term_id.h"

namespace kg {
namespace {

constexpr std::string_view kRdfsLabel =
    "http://www.w3.org/2000/01/rdf-schema#label";
constexpr size_t kMaxDisplayLabel = 80;

// ---- text: UTF-8 clean-up and the escapers of each format ---------------

// Calls f(code_point) for each code point of `s`; invalid UTF-8 bytes give
// U+FFFD.
template <typename F>
void ForEachCodePoint(std::string_view s, F&& f) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      f(0xFFFD);
      ++i;
      continue;
    }
    bool ok = i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (d & 0x3F);
    }
    if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
               (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
               (cp >= 0xD800 && cp <= 0xDFFF)))
      ok = false;
    if (!ok) {
      f(0xFFFD);
      ++i;
      continue;
    }
    f(cp);
    i += len;
  }
}

using rdf_internal::AppendUtf8;

// At most `max` code points of `s`, with "…" when cut.
std::string DisplayLabel(std::string_view s, size_t max = kMaxDisplayLabel) {
  std::string out;
  size_t n = 0;
  bool cut = false;
  ForEachCodePoint(s, [&](uint32_t cp) {
    if (cut) return;
    if (n == max) {
      cut = true;
      return;
    }
    AppendUtf8(cp, &out);
    ++n;
  });
  if (cut) out += "\xE2\x80\xA6";
  return out;
}

// Inside a DOT double-quoted string (escString semantics for labels).
std::string DotQuote(std::string_view s) {
  std::string out = "\"";
  ForEachCodePoint(s, [&](uint32_t cp) {
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default:
        if (cp < 0x20 || cp == 0x7F) out.push_back(' ');
        else AppendUtf8(cp, &out);
    }
  });
  out += "\"";
  return out;
}

// XML 1.0 text or attribute value (for double-quoted attributes).
void AppendXml(std::string_view s, std::string* out) {
  ForEachCodePoint(s, [&](uint32_t cp) {
    switch (cp) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '"': *out += "&quot;"; break;
      case '\n': *out += "&#10;"; break;
      case '\r': *out += "&#13;"; break;
      case '\t': *out += "&#9;"; break;
      default:
        if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) AppendUtf8(0xFFFD, out);
        else AppendUtf8(cp, out);
    }
  });
}
std::string Xml(std::string_view s) {
  std::string out;
  AppendXml(s, &out);
  return out;
}

// A JSON string literal, safe inside an HTML <script> element too.
void AppendJson(std::string_view s, std::string* out) {
  out->push_back('"');
  ForEachCodePoint(s, [&](uint32_t cp) {
    switch (cp) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      case '<': *out += "\\u003c"; break;
      case '>': *out += "\\u003e"; break;
      case '&': *out += "\\u0026"; break;
      case 0x2028: *out += "\\u2028"; break;
      case 0x2029: *out += "\\u2029"; break;
      default:
        if (cp < 0x20 || cp == 0x7F) *out += absl::StrFormat("\\u%04x", cp);
        else AppendUtf8(cp, out);
    }
  });
  out->push_back('"');
}
std::string Json(std::string_view s) {
  std::string out;
  AppendJson(s, &out);
  return out;
}

// An XML NMTOKEN made of `s` (other characters become '_').
std::string NmToken(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
              c == ':';
    out.push_back(ok ? c : '_');
  }
  if (out.empty()) out = "_";
  return out;
}

// ---- prefixes ------------------------------------------------------------

class Shortener {
 public:
  explicit Shortener(const std::map<std::string, std::string>& extra) {
    Add("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
    Add("rdfs", "http://www.w3.org/2000/01/rdf-schema#");
    Add("xsd", "http://www.w3.org/2001/XMLSchema#");
    Add("owl", "http://www.w3.org/2002/07/owl#");
    Add("kg", "https://kgstore.example/vocab#");
    Add("ex", "https://kgstore.example/id/");
    for (const auto& [name, ns] : extra) Add(name, ns);
  }
  void Add(const std::string& name, const std::string& ns) {
    if (ns.empty()) return;
    for (auto& [n, s] : list_)
      if (s == ns) {
        n = name;
        return;
      }
    list_.emplace_back(name, ns);
    std::sort(list_.begin(), list_.end(), [](const auto& a, const auto& b) {
      return a.second.size() > b.second.size();
    });
  }
  std::string Short(const Term& t) const {
    if (t.is_blank()) return "_:" + t.lexical;
    if (!t.is_iri()) return t.lexical;
    for (const auto& [name, ns] : list_) {
      if (t.lexical.size() > ns.size() &&
          t.lexical.compare(0, ns.size(), ns) == 0) {
        std::string_view local = std::string_view(t.lexical).substr(ns.size());
        if (local.find_first_of("/#?<>\"{}| \\^`") == std::string_view::npos)
          return absl::StrCat(name, ":", Sv(local));
      }
    }
    return t.lexical;
  }

 private:
  std::vector<std::pair<std::string, std::string>> list_;
};

// ---- colours ---------------------------------------------------------------

constexpr const char* kPalette[] = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#b5cf6b", "#bcbd22", "#17becf", "#393b79", "#e6550d",
    "#31a354", "#756bb1", "#637939", "#843c39", "#7b4173", "#3182bd",
    "#fd8d3c", "#74c476", "#9e9ac8", "#e7ba52", "#ad494a", "#6baed6",
    "#a55194", "#8ca252", "#ce6dbd", "#de9ed6", "#bd9e39", "#9c9ede"};
constexpr size_t kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);
constexpr const char* kNoClassColor = "#b0b0b0";

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// Colours for a set of class IRIs: the palette slot a hash of the IRI picks,
// or the next free one when two classes of this export collide (as long as
// the palette has free slots).
std::vector<std::string> ClassColors(const std::vector<std::string>& iris) {
  std::vector<std::string> out(iris.size());
  std::vector<bool> used(kPaletteSize, false);
  // Assign in IRI order so the result does not depend on input order.
  std::vector<size_t> order(iris.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return iris[a] < iris[b]; });
  size_t free_slots = kPaletteSize;
  for (size_t i : order) {
    size_t slot = Fnv1a(iris[i]) % kPaletteSize;
    if (free_slots > 0) {
      while (used[slot]) slot = (slot + 1) % kPaletteSize;
      used[slot] = true;
      --free_slots;
    }
    out[i] = kPalette[slot];
  }
  return out;
}

void ParseColor(std::string_view hex, int* r, int* g, int* b) {
  auto h = [&](size_t at) {
    int v = 0;
    std::from_chars(hex.data() + at, hex.data() + at + 2, v, 16);
    return v;
  };
  *r = h(1);
  *g = h(3);
  *b = h(5);
}

// ---- the graph model the writers see --------------------------------------

enum class AttrType { kString, kLong, kDouble, kBool };

struct AttrKey {
  std::string name;  // shortened predicate
  AttrType type = AttrType::kString;
};

struct ClassDef {
  std::string name;  // shortened IRI
  std::string iri;
  std::string color;
};

struct Header {
  std::string title;
  std::vector<AttrKey> keys;
  std::vector<ClassDef> classes;
};

struct NodeOut {
  TermId num = 0;
  std::string iri;    // IRI, or "_:label"
  std::string label;  // full label
  int cls = -1;       // index into Header::classes
  std::vector<std::string> types;
  std::vector<std::string> graphs;  // "" = default graph
  // (key index, values), keys in Header::keys order.
  std::vector<std::pair<int, std::vector<std::string>>> attrs;
};

struct EdgeOut {
  uint64_t num = 0;
  TermId source = 0, target = 0;
  const std::string* label = nullptr;      // shortened predicate
  const std::string* predicate = nullptr;  // full IRI
  const std::string* graph = nullptr;      // "" = default graph
};

class GraphWriter {
 public:
  explicit GraphWriter(std::ostream& out) : out_(out) {}
  virtual ~GraphWriter() = default;
  virtual void Begin(const Header& h) = 0;
  virtual void Node(const NodeOut& n) = 0;
  virtual void EndNodes() {}
  virtual void Edge(const EdgeOut& e) = 0;
  virtual void End() = 0;

 protected:
  void Flush() {
    if (buf_.size() >= (1 << 16)) Drain();
  }
  void Drain() {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
  std::ostream& out_;
  std::string buf_;
  const Header* header_ = nullptr;
};

std::string NodeId(TermId n) { return absl::StrCat("n", n); }

bool IsTrue(std::string_view v) { return v == "true" || v == "1"; }

// ---- DOT -----------------------------------------------------------------

class DotWriter : public GraphWriter {
 public:
  using GraphWriter::GraphWriter;
  void Begin(const Header& h) override {
    header_ = &h;
    buf_ += absl::StrCat("digraph ", DotQuote(h.title), " {\n");
    buf_ += absl::StrCat(
        "  graph [label=", DotQuote(h.title),
        ", labelloc=t, fontname=\"Helvetica\", overlap=false, "
        "outputorder=edgesfirst, charset=\"UTF-8\"];\n"
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
        "fontsize=10, fillcolor=\"",
        kNoClassColor,
        "\", color=\"#555555\"];\n"
        "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#777777\", "
        "fontcolor=\"#555555\"];\n");
    if (!h.classes.empty()) {
      buf_ += "  subgraph cluster_legend {\n    label=\"Legend\"; "
              "style=\"rounded\"; color=\"#999999\";\n";
      for (size_t i = 0; i < h.classes.size(); ++i)
        buf_ += absl::StrCat("    legend_", i, " [label=",
                             DotQuote(h.classes[i].name), ", tooltip=",
                             DotQuote(h.classes[i].iri), ", fillcolor=\"",
                             h.classes[i].color, "\"];\n");
      buf_ += "  }\n";
    }
    Flush();
  }
  void Node(const NodeOut& n) override {
    std::string tooltip = n.label == n.iri ? n.iri : n.label + "\n" + n.iri;
    buf_ += absl::StrCat("  ", NodeId(n.num), " [label=",
                         DotQuote(DisplayLabel(n.label)), ", tooltip=",
                         DotQuote(tooltip), ", iri=", DotQuote(n.iri));
    if (n.cls >= 0) {
      const ClassDef& c = header_->classes[n.cls];
      buf_ += absl::StrCat(", fillcolor=\"", c.color,
                           "\", class=", DotQuote(NmToken(c.name)),
                           ", kgclass=", DotQuote(c.name));
    }
    for (const auto& [k, values] : n.attrs) {
      std::string joined;
      for (const std::string& v : values)
        absl::StrAppend(&joined, joined.empty() ? "" : "; ", v);
      buf_ += absl::StrCat(", ", DotQuote(header_->keys[k].name), "=",
                           DotQuote(joined));
    }
    buf_ += "];\n";
    Flush();
  }
  void Edge(const EdgeOut& e) override {
    buf_ += absl::StrCat("  ", NodeId(e.source), " -> ", NodeId(e.target),
                         " [label=", DotQuote(DisplayLabel(*e.label)));
    if (!e.graph->empty())
      buf_ += absl::StrCat(", \"graph\"=", DotQuote(*e.graph),
                           ", tooltip=", DotQuote(*e.label + " (" + *e.graph + ")"));
    buf_ += "];\n";
    Flush();
  }
  void End() override {
    buf_ += "}\n";
    Drain();
  }
};

// ---- GraphML -------------------------------------------------------------

const char* GraphMlType(AttrType t) {
  switch (t) {
    case AttrType::kLong: return "long";
    case AttrType::kDouble: return "double";
    case AttrType::kBool: return "boolean";
    default: return "string";
  }
}

class GraphMlWriter : public GraphWriter {
 public:
  using GraphWriter::GraphWriter;
  void Begin(const Header& h) override {
    header_ = &h;
    buf_ +=
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
        "         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
        "         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
        "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
        "  <key id=\"g_title\" for=\"graph\" attr.name=\"title\" attr.type=\"string\"/>\n"
        "  <key id=\"v_label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
        "  <key id=\"v_iri\" for=\"node\" attr.name=\"iri\" attr.type=\"string\"/>\n"
        "  <key id=\"v_class\" for=\"node\" attr.name=\"class\" attr.type=\"string\"/>\n"
        "  <key id=\"v_color\" for=\"node\" attr.name=\"color\" attr.type=\"string\"/>\n"
        "  <key id=\"v_types\" for=\"node\" attr.name=\"types\" attr.type=\"string\"/>\n"
        "  <key id=\"v_graphs\" for=\"node\" attr.name=\"graphs\" attr.type=\"string\"/>\n";
    std::set<std::string> names = {"label", "iri",   "class",     "color",
                                   "types", "graphs", "predicate", "graph"};
    for (size_t i = 0; i < h.keys.size(); ++i) {
      std::string name = NmToken(h.keys[i].name);
      while (!names.insert(name).second) name += "_";
      buf_ += absl::StrCat("  <key id=\"a", i, "\" for=\"node\" attr.name=\"",
                           Xml(name), "\" attr.type=\"",
                           GraphMlType(h.keys[i].type), "\"/>\n");
    }
    buf_ +=
        "  <key id=\"e_label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n"
        "  <key id=\"e_predicate\" for=\"edge\" attr.name=\"predicate\" attr.type=\"string\"/>\n"
        "  <key id=\"e_graph\" for=\"edge\" attr.name=\"graph\" attr.type=\"string\"/>\n"
        "  <graph id=\"G\" edgedefault=\"directed\">\n";
    buf_ += absl::StrCat("    <data key=\"g_title\">", Xml(h.title), "</data>\n");
    Flush();
  }
  void Data(std::string_view key, std::string_view value) {
    buf_ += absl::StrCat("      <data key=\"", Sv(key), "\">");
    AppendXml(value, &buf_);
    buf_ += "</data>\n";
  }
  void Node(const NodeOut& n) override {
    buf_ += absl::StrCat("    <node id=\"", NodeId(n.num), "\">\n");
    Data("v_label", n.label);
    Data("v_iri", n.iri);
    if (n.cls >= 0) {
      Data("v_class", header_->classes[n.cls].name);
      Data("v_color", header_->classes[n.cls].color);
    } else {
      Data("v_color", kNoClassColor);
    }
    if (!n.types.empty()) Data("v_types", Join(n.types));
    if (!n.graphs.empty()) Data("v_graphs", Join(n.graphs));
    for (const auto& [k, values] : n.attrs) {
      std::string key = absl::StrCat("a", k);
      Data(key, header_->keys[k].type == AttrType::kString ? Join(values)
                                                            : values.front());
    }
    buf_ += "    </node>\n";
    Flush();
  }
  void Edge(const EdgeOut& e) override {
    buf_ += absl::StrCat("    <edge id=\"e", e.num, "\" source=\"",
                         NodeId(e.source), "\" target=\"", NodeId(e.target),
                         "\">\n");
    Data("e_label", *e.label);
    Data("e_predicate", *e.predicate);
    Data("e_graph", *e.graph);
    buf_ += "    </edge>\n";
    Flush();
  }
  void End() override {
    buf_ += "  </graph>\n</graphml>\n";
    Drain();
  }
  static std::string Join(const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& x : v) absl::StrAppend(&s, s.empty() ? "" : "; ", x);
    return s;
  }
};

// ---- GEXF 1.3 ------------------------------------------------------------

const char* GexfType(AttrType t) {
  switch (t) {
    case AttrType::kLong: return "long";
    case AttrType::kDouble: return "double";
    case AttrType::kBool: return "boolean";
    default: return "string";
  }
}

class GexfWriter : public GraphWriter {
 public:
  using GraphWriter::GraphWriter;
  void Begin(const Header& h) override {
    header_ = &h;
    buf_ +=
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<gexf xmlns=\"http://gexf.net/1.3\" "
        "xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n"
        "  <meta>\n    <creator>kgstore</creator>\n";
    buf_ += absl::StrCat("    <description>", Xml(h.title),
                         "</description>\n  </meta>\n");
    buf_ +=
        "  <graph defaultedgetype=\"directed\" mode=\"static\">\n"
        "    <attributes class=\"node\">\n"
        "      <attribute id=\"iri\" title=\"iri\" type=\"string\"/>\n"
        "      <attribute id=\"class\" title=\"class\" type=\"string\"/>\n"
        "      <attribute id=\"types\" title=\"types\" type=\"string\"/>\n"
        "      <attribute id=\"graphs\" title=\"graphs\" type=\"string\"/>\n";
    for (size_t i = 0; i < h.keys.size(); ++i)
      buf_ += absl::StrCat("      <attribute id=\"a", i, "\" title=\"",
                           Xml(h.keys[i].name), "\" type=\"",
                           GexfType(h.keys[i].type), "\"/>\n");
    buf_ +=
        "    </attributes>\n"
        "    <attributes class=\"edge\">\n"
        "      <attribute id=\"predicate\" title=\"predicate\" type=\"string\"/>\n"
        "      <attribute id=\"graph\" title=\"graph\" type=\"string\"/>\n"
        "    </attributes>\n"
        "    <nodes>\n";
    Flush();
  }
  void Value(std::string_view key, std::string_view value) {
    buf_ += absl::StrCat("          <attvalue for=\"", Sv(key), "\" value=\"");
    AppendXml(value, &buf_);
    buf_ += "\"/>\n";
  }
  void Node(const NodeOut& n) override {
    buf_ += absl::StrCat("      <node id=\"", NodeId(n.num), "\" label=\"");
    AppendXml(n.label, &buf_);
    buf_ += "\">\n        <attvalues>\n";
    Value("iri", n.iri);
    if (n.cls >= 0) Value("class", header_->classes[n.cls].name);
    if (!n.types.empty()) Value("types", GraphMlWriter::Join(n.types));
    if (!n.graphs.empty()) Value("graphs", GraphMlWriter::Join(n.graphs));
    for (const auto& [k, values] : n.attrs)
      Value(absl::StrCat("a", k), header_->keys[k].type == AttrType::kString
                                      ? GraphMlWriter::Join(values)
                                      : values.front());
    buf_ += "        </attvalues>\n";
    int r, g, b;
    ParseColor(n.cls >= 0 ? header_->classes[n.cls].color : kNoClassColor, &r,
               &g, &b);
    buf_ += absl::StrFormat("        <viz:color r=\"%d\" g=\"%d\" b=\"%d\"/>\n",
                            r, g, b);
    buf_ += "      </node>\n";
    Flush();
  }
  void EndNodes() override { buf_ += "    </nodes>\n    <edges>\n"; }
  void Edge(const EdgeOut& e) override {
    buf_ += absl::StrCat("      <edge id=\"e", e.num, "\" source=\"",
                         NodeId(e.source), "\" target=\"", NodeId(e.target),
                         "\" label=\"");
    AppendXml(*e.label, &buf_);
    buf_ += "\">\n        <attvalues>\n";
    Value("predicate", *e.predicate);
    Value("graph", *e.graph);
    buf_ += "        </attvalues>\n      </edge>\n";
    Flush();
  }
  void End() override {
    buf_ += "    </edges>\n  </graph>\n</gexf>\n";
    Drain();
  }
};

// ---- Cytoscape.js JSON (and the HTML page that embeds it) ----------------

class CytoscapeWriter : public GraphWriter {
 public:
  using GraphWriter::GraphWriter;
  void Begin(const Header& h) override {
    header_ = &h;
    buf_ += "{\"format_version\":\"1.0\",\"generated_by\":\"kgstore\","
            "\"target_cytoscapejs_version\":\"~3\",\n\"data\":{\"name\":";
    AppendJson(h.title, &buf_);
    buf_ += ",\"classes\":[";
    for (size_t i = 0; i < h.classes.size(); ++i) {
      buf_ += i ? ",\n" : "\n";
      buf_ += absl::StrCat("{\"name\":", Json(h.classes[i].name),
                           ",\"iri\":", Json(h.classes[i].iri),
                           ",\"color\":", Json(h.classes[i].color), "}");
    }
    buf_ += absl::StrCat("],\"noClassColor\":\"", kNoClassColor,
                         "\"},\n\"elements\":{\"nodes\":[");
    Flush();
  }
  static void AppendList(const std::vector<std::string>& v, std::string* out) {
    out->push_back('[');
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out->push_back(',');
      AppendJson(v[i], out);
    }
    out->push_back(']');
  }
  void Node(const NodeOut& n) override {
    buf_ += first_ ? "\n" : ",\n";
    first_ = false;
    buf_ += absl::StrCat("{\"data\":{\"id\":\"", NodeId(n.num), "\",\"label\":");
    AppendJson(n.label, &buf_);
    buf_ += ",\"iri\":";
    AppendJson(n.iri, &buf_);
    if (n.cls >= 0) {
      buf_ += ",\"class\":";
      AppendJson(header_->classes[n.cls].name, &buf_);
      buf_ += absl::StrCat(",\"color\":\"", header_->classes[n.cls].color, "\"");
    } else {
      buf_ += absl::StrCat(",\"class\":\"\",\"color\":\"", kNoClassColor, "\"");
    }
    buf_ += ",\"types\":";
    AppendList(n.types, &buf_);
    buf_ += ",\"graphs\":";
    AppendList(n.graphs, &buf_);
    for (const auto& [k, values] : n.attrs) {
      buf_ += ",";
      AppendJson(header_->keys[k].name, &buf_);
      buf_ += ":";
      switch (header_->keys[k].type) {
        case AttrType::kLong:
        case AttrType::kDouble: {
          // Validated as numbers in pass 0; JSON has no NaN/Inf, no '+'.
          std::string_view v = values.front();
          if (!v.empty() && v[0] == '+') v.remove_prefix(1);
          double d = std::strtod(std::string(v).c_str(), nullptr);
          if (!std::isfinite(d)) AppendJson(values.front(), &buf_);
          else if (header_->keys[k].type == AttrType::kLong) buf_ += std::string(v);
          else buf_ += absl::StrFormat("%.17g", d);
          break;
        }
        case AttrType::kBool:
          buf_ += IsTrue(values.front()) ? "true" : "false";
          break;
        default:
          if (values.size() == 1) AppendJson(values.front(), &buf_);
          else AppendList(values, &buf_);
      }
    }
    buf_ += "}}";
    ++nodes_;
    Flush();
  }
  void EndNodes() override {
    buf_ += "\n],\"edges\":[";
    first_ = true;
  }
  void Edge(const EdgeOut& e) override {
    buf_ += first_ ? "\n" : ",\n";
    first_ = false;
    buf_ += absl::StrCat("{\"data\":{\"id\":\"e", e.num, "\",\"source\":\"",
                         NodeId(e.source), "\",\"target\":\"", NodeId(e.target),
                         "\",\"label\":");
    AppendJson(*e.label, &buf_);
    buf_ += ",\"predicate\":";
    AppendJson(*e.predicate, &buf_);
    buf_ += ",\"graph\":";
    AppendJson(*e.graph, &buf_);
    buf_ += "}}";
    ++edges_;
    Flush();
  }
  void End() override {
    buf_ += "\n]}}\n";
    Drain();
  }

 protected:
  bool first_ = true;
  uint64_t nodes_ = 0, edges_ = 0;
};

extern const char kHtmlHead[];
extern const char kHtmlBody[];
extern const char kHtmlApp[];

class HtmlWriter : public CytoscapeWriter {
 public:
  using CytoscapeWriter::CytoscapeWriter;
  void Begin(const Header& h) override {
    std::string title;
    AppendXml(h.title, &title);
    buf_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"kgstore\">\n<title>";
    buf_ += title;
    buf_ += "</title>\n";
    buf_ += kHtmlHead;
    buf_ += "</head>\n<body data-ready=\"0\">\n";
    std::string body = kHtmlBody;
    size_t at = body.find("@TITLE@");
    if (at != std::string::npos) body.replace(at, 7, title);
    buf_ += body;
    // The library, embedded at build time (tools/assets/cytoscape.min.js).
    buf_ += "<script>\n";
    Drain();
    out_.write(reinterpret_cast<const char*>(kCytoscapeJs),
               static_cast<std::streamsize>(kCytoscapeJs_size));
    buf_ += "\n</script>\n<script type=\"application/json\" id=\"kg-data\">\n";
    CytoscapeWriter::Begin(h);
  }
  void End() override {
    buf_ += "\n]}}\n</script>\n<script>\n";
    buf_ += kHtmlApp;
    buf_ += "</script>\n</body>\n</html>\n";
    Drain();
  }
};

const char kHtmlHead[] = R"kghtml(<style>
html,body{margin:0;height:100%;font:13px/1.35 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222}
#app{display:flex;height:100%}
#cy{flex:1;min-width:0;background:#fafafa}
#side{width:320px;border-left:1px solid #ddd;display:flex;flex-direction:column;background:#fff}
#side header{padding:10px 12px;border-bottom:1px solid #eee}
#side h1{font-size:15px;margin:0 0 4px 0;word-break:break-word}
#counts{color:#666;font-size:12px}
#search{width:100%;box-sizing:border-box;margin-top:8px;padding:5px 7px;border:1px solid #bbb;border-radius:4px}
#matches{margin:4px 0 0 0;padding:0;list-style:none;max-height:140px;overflow:auto}
#matches li{cursor:pointer;padding:2px 4px;border-radius:3px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#matches li:hover{background:#eef}
#details{flex:1;overflow:auto;padding:10px 12px;border-bottom:1px solid #eee}
#details h2{font-size:14px;margin:0 0 6px 0;word-break:break-word}
#details table{border-collapse:collapse;width:100%}
#details td{vertical-align:top;padding:2px 4px;border-bottom:1px solid #f0f0f0;word-break:break-word;white-space:pre-wrap}
#details td.k{color:#666;width:35%}
#legend{max-height:35%;overflow:auto;padding:8px 12px}
#legend h3{font-size:12px;margin:0 0 4px 0;color:#666;text-transform:uppercase;letter-spacing:.05em}
#legend div{cursor:pointer;padding:1px 0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#legend span.sw{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:6px;vertical-align:-1px;border:1px solid rgba(0,0,0,.25)}
.hint{color:#888;font-size:12px}
</style>
)kghtml";

const char kHtmlBody[] = R"kghtml(<div id="app">
<div id="cy"></div>
<aside id="side">
<header><h1 id="title">@TITLE@</h1><div id="counts">drawing…</div>
<input id="search" type="search" placeholder="Find a node by label…" autocomplete="off">
<ul id="matches"></ul></header>
<section id="details"><p class="hint">Click a node or an edge to see its attributes and the graphs (source documents) that state it. Scroll to zoom, drag the background to pan, drag nodes to move them.</p></section>
<section id="legend"></section>
</aside>
</div>
)kghtml";

const char kHtmlApp[] = R"kghtml((function () {
  'use strict';
  var data = JSON.parse(document.getElementById('kg-data').textContent);
  var els = data.elements;
  var n = els.nodes.length, m = els.edges.length;
  var big = n > 1500 || m > 5000;
  function cut(s) { s = String(s); return s.length > 80 ? s.slice(0, 80) + '\u2026' : s; }
  els.nodes.forEach(function (e) { e.data.dlabel = cut(e.data.label); });
  var style = [
    { selector: 'node', style: {
        'background-color': 'data(color)', 'width': big ? 8 : 18, 'height': big ? 8 : 18,
        'border-width': big ? 0 : 1, 'border-color': '#555',
        'label': big ? '' : 'data(dlabel)', 'font-size': 10, 'color': '#222',
        'text-valign': 'bottom', 'text-margin-y': 3, 'min-zoomed-font-size': n > 400 ? 7 : 0,
        'text-wrap': 'ellipsis', 'text-max-width': 120 } },
    { selector: 'edge', style: big ? {
        'curve-style': 'haystack', 'width': 0.6, 'line-color': '#b5b5b5', 'opacity': 0.6 } : {
        'curve-style': 'bezier', 'width': 1, 'line-color': '#b5b5b5',
        'target-arrow-shape': 'triangle', 'target-arrow-color': '#b5b5b5', 'arrow-scale': 0.7,
        'label': 'data(label)', 'font-size': 7, 'color': '#777', 'min-zoomed-font-size': 9,
        'text-rotation': 'autorotate', 'text-background-color': '#fafafa',
        'text-background-opacity': 0.8, 'text-background-padding': 1 } },
    { selector: 'node:selected, node.match', style: {
        'label': 'data(dlabel)', 'border-width': 3, 'border-color': '#d00', 'z-index': 10,
        'width': 22, 'height': 22, 'font-weight': 'bold' } },
    { selector: 'edge:selected', style: {
        'line-color': '#d00', 'target-arrow-color': '#d00', 'width': 2.5, 'opacity': 1,
        'label': 'data(label)', 'z-index': 10 } },
    { selector: '.faded', style: { 'opacity': 0.12 } }
  ];
  var cy = cytoscape({
    container: document.getElementById('cy'), elements: els, style: style,
    layout: { name: 'preset' }, wheelSensitivity: 0.3, minZoom: 0.02, maxZoom: 8,
    boxSelectionEnabled: false, hideEdgesOnViewport: big, textureOnViewport: big,
    pixelRatio: big ? 1 : 'auto', motionBlur: false
  });
  // Force-directed layout, synchronous and bounded. Small graphs: CoSE
  // (quadratic per iteration). Larger ones: a Fruchterman-Reingold pass
  // with grid-bucketed repulsion (linear per iteration), then preset.
  var iters;
  if (n <= 600) {
    iters = 1000;
    cy.layout({
      name: 'cose', animate: false, randomize: true, fit: true, padding: 30,
      numIter: iters, nodeDimensionsIncludeLabels: false,
      idealEdgeLength: function () { return 70; }, nodeRepulsion: function () { return 60000; },
      edgeElasticity: function () { return 60; }, gravity: 1, componentSpacing: 60,
      nodeOverlap: 4, initialTemp: 1000, coolingFactor: 0.99
    }).run();
  } else {
    iters = n > 20000 ? 50 : 120;
    fastForce(iters);
  }
  function fastForce(steps) {
    var nodes = cy.nodes(), edges = cy.edges(), idx = {};
    nodes.forEach(function (nd, i) { idx[nd.id()] = i; });
    var src = new Int32Array(m), dst = new Int32Array(m);
    edges.forEach(function (e, j) { src[j] = idx[e.data('source')]; dst[j] = idx[e.data('target')]; });
    // Grid-bucketed repulsion near by, coarse-cell centroids far away,
    // springs along edges (scaled by degree), a weak pull to the centre.
var x = new Float64Array(n), y = new Float64Array(n);
var fx = new Float64Array(n), fy = new Float64Array(n);
var k = 40, k2 = k * k, cell = 2 * k, side = Math.sqrt(n) * k * 1.5, c = side / 2;
var deg = new Float64Array(n);
for (var e = 0; e < m; e++) { deg[src[e]]++; deg[dst[e]]++; }
var seed = 42;
function rnd() { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; }
for (var i = 0; i < n; i++) { x[i] = rnd() * side; y[i] = rnd() * side; }
var G = 10, gm = new Float64Array(G * G), gx = new Float64Array(G * G), gy = new Float64Array(G * G);
var t = side / 8, maxcell = 0;
for (var it = 0; it < steps; it++) {
  fx.fill(0); fy.fill(0); gm.fill(0); gx.fill(0); gy.fill(0);
  var cells = new Map(), j, a, b, dx, dy, d2, d, f, minx = Infinity, miny = Infinity, maxx = -Infinity, maxy = -Infinity;
  for (i = 0; i < n; i++) {
    var key = Math.floor(x[i] / cell) * 131072 + Math.floor(y[i] / cell);
    var l = cells.get(key); if (!l) { l = []; cells.set(key, l); } l.push(i);
    if (x[i] < minx) minx = x[i]; if (x[i] > maxx) maxx = x[i]; if (y[i] < miny) miny = y[i]; if (y[i] > maxy) maxy = y[i];
  }
  var gw = (maxx - minx) / G + 1e-6, gh = (maxy - miny) / G + 1e-6;
  var gcell = new Int32Array(n);
  for (i = 0; i < n; i++) {
    var g = Math.min(G - 1, Math.floor((x[i] - minx) / gw)) * G + Math.min(G - 1, Math.floor((y[i] - miny) / gh));
    gcell[i] = g; gm[g]++; gx[g] += x[i]; gy[g] += y[i];
  }
  for (g = 0; g < G * G; g++) if (gm[g]) { gx[g] /= gm[g]; gy[g] /= gm[g]; }
  for (i = 0; i < n; i++) {
    var cx = Math.floor(x[i] / cell), cyy = Math.floor(y[i] / cell);
    for (var ox = -1; ox <= 1; ox++) for (var oy = -1; oy <= 1; oy++) {
      var lst = cells.get((cx + ox) * 131072 + cyy + oy); if (!lst) continue;
      for (a = 0; a < lst.length; a++) {
        j = lst[a]; if (j === i) continue;
        dx = x[i] - x[j]; dy = y[i] - y[j]; d2 = dx * dx + dy * dy;
        if (d2 > cell * cell) continue;
        if (d2 < 0.01) { dx = rnd() - 0.5; dy = rnd() - 0.5; d2 = 0.01; }
        f = k2 / d2; fx[i] += dx * f; fy[i] += dy * f;
      }
    }
    // far field: every other coarse cell as one mass at its centroid
    for (g = 0; g < G * G; g++) {
      if (!gm[g] || g === gcell[i]) continue;
      dx = x[i] - gx[g]; dy = y[i] - gy[g]; d2 = dx * dx + dy * dy;
      if (d2 < cell * cell) continue;
      f = k2 * gm[g] / d2; fx[i] += dx * f; fy[i] += dy * f;
    }
    fx[i] -= (x[i] - c) * 1.0; fy[i] -= (y[i] - c) * 1.0;
  }
  for (j = 0; j < m; j++) {
    a = src[j]; b = dst[j]; if (a === b || a === undefined || b === undefined) continue;
    dx = x[a] - x[b]; dy = y[a] - y[b]; d = Math.sqrt(dx * dx + dy * dy) || 0.01;
    f = d / k;
    fx[a] -= dx * f / deg[a]; fy[a] -= dy * f / deg[a]; fx[b] += dx * f / deg[b]; fy[b] += dy * f / deg[b];
  }
  for (i = 0; i < n; i++) {
    d = Math.sqrt(fx[i] * fx[i] + fy[i] * fy[i]);
    if (d > 0) { f = Math.min(d, t) / d; x[i] += fx[i] * f; y[i] += fy[i] * f; }
  }
  t = Math.max(1, t * 0.96);
}
    cy.batch(function () { nodes.forEach(function (nd, i) { nd.position({ x: x[i], y: y[i] }); }); });
    cy.fit(undefined, 30);
  }

  var byId = function (id) { return document.getElementById(id); };
  byId('counts').textContent = n + ' nodes \u00b7 ' + m + ' edges' + (data.data.classes.length ? ' \u00b7 ' + data.data.classes.length + ' classes' : '');

  // Side panel: attributes of the clicked element (built with textContent only).
  var details = byId('details');
  function row(table, k, v) {
    var tr = document.createElement('tr');
    var a = document.createElement('td'); a.className = 'k'; a.textContent = k;
    var b = document.createElement('td');
    b.textContent = Array.isArray(v) ? (v.length ? v.map(function (x) { return x === '' ? '(default graph)' : x; }).join('\n') : '\u2014') : String(v);
    tr.appendChild(a); tr.appendChild(b); table.appendChild(tr);
  }
  function show(ele) {
    details.textContent = '';
    var d = ele.data();
    var h = document.createElement('h2');
    var t = document.createElement('table');
    if (ele.isNode()) {
      h.textContent = d.label;
      row(t, 'IRI', d.iri);
      row(t, 'class', d['class'] || '\u2014');
      if (d.types.length > 1) row(t, 'types', d.types);
      row(t, 'source graphs', d.graphs);
      Object.keys(d).forEach(function (k) {
        if (['id', 'label', 'dlabel', 'iri', 'class', 'color', 'types', 'graphs'].indexOf(k) < 0) row(t, k, d[k]);
      });
      row(t, 'edges', ele.outgoers('edge').length + ' out, ' + ele.incomers('edge').length + ' in');
    } else {
      h.textContent = d.label;
      row(t, 'from', ele.source().data('label'));
      row(t, 'to', ele.target().data('label'));
      row(t, 'predicate', d.predicate);
      row(t, 'source graph', d.graph === '' ? '(default graph)' : d.graph);
    }
    details.appendChild(h); details.appendChild(t);
  }
  cy.on('tap', 'node, edge', function (evt) { show(evt.target); });

  // Search by label.
  var search = byId('search'), list = byId('matches');
  function focus(node) {
    cy.elements().unselect(); node.select(); show(node);
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 300 });
  }
  search.addEventListener('input', function () {
    var q = search.value.trim().toLowerCase();
    cy.nodes('.match').removeClass('match');
    list.textContent = '';
    if (!q) return;
    var hits = cy.nodes().filter(function (nd) { return String(nd.data('label')).toLowerCase().indexOf(q) >= 0; });
    hits.addClass('match');
    hits.slice(0, 50).forEach(function (nd) {
      var li = document.createElement('li'); li.textContent = cut(nd.data('label'));
      li.title = nd.data('iri'); li.addEventListener('click', function () { focus(nd); });
      list.appendChild(li);
    });
    if (hits.length > 50) { var li = document.createElement('li'); li.className = 'hint'; li.textContent = (hits.length - 50) + ' more'; list.appendChild(li); }
  });
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { var hit = cy.nodes('.match').first(); if (hit.length) focus(hit); }
  });

  // Legend: colour by class; click to highlight a class, click again to clear.
  var legend = byId('legend'), active = null;
  var lh = document.createElement('h3'); lh.textContent = 'Classes'; legend.appendChild(lh);
  var entries = data.data.classes.slice();
  entries.push({ name: '(no class)', iri: '', color: data.data.noClassColor });
  entries.forEach(function (c) {
    var count = cy.nodes().filter(function (nd) { return (nd.data('class') || '') === (c.iri ? c.name : ''); }).length;
    if (!count) return;
    var div = document.createElement('div'); div.title = c.iri;
    var sw = document.createElement('span'); sw.className = 'sw'; sw.style.background = c.color;
    div.appendChild(sw); div.appendChild(document.createTextNode(c.name + ' (' + count + ')'));
    div.addEventListener('click', function () {
      cy.elements().removeClass('faded');
      if (active === c.name) { active = null; return; }
      active = c.name;
      var keep = cy.nodes().filter(function (nd) { return (nd.data('class') || '') === (c.iri ? c.name : ''); });
      cy.elements().not(keep).not(keep.connectedEdges()).addClass('faded');
    });
    legend.appendChild(div);
  });

  // What the tests read back from the rendered page.
  document.body.setAttribute('data-nodes', String(cy.nodes().length));
  document.body.setAttribute('data-edges', String(cy.edges().length));
  document.body.setAttribute('data-layout-iterations', String(iters));
  document.body.setAttribute('data-ready', '1');
  window.kgCy = cy;
})();
)kghtml";

// ---- sources of id quads ---------------------------------------------------

// Quads as ids, readable grouped by subject and grouped by object (ids in
// the same numeric order in both), plus the terms of the ids.
class Source {
 public:
  virtual ~Source() = default;
  virtual std::unique_ptr<QuadIdIterator> BySubject() const = 0;
  virtual std::unique_ptr<QuadIdIterator> ByObject() const = 0;
  virtual absl::StatusOr<Term> Resolve(TermId id) const = 0;
  virtual std::optional<TermId> Find(const Term& t) const = 0;
};

class GraphFilter : public QuadIdIterator {
 public:
  GraphFilter(std::unique_ptr<QuadIdIterator> in, TermId g)
      : in_(std::move(in)), g_(g) {
    Skip();
  }
  bool Valid() const override { return in_->Valid(); }
  const QuadIds& quad() const override { return in_->quad(); }
  void Next() override {
    in_->Next();
    Skip();
  }
  absl::Status status() const override { return in_->status(); }

 private:
  void Skip() {
    while (in_->Valid() && in_->quad().g != g_) in_->Next();
  }
  std::unique_ptr<QuadIdIterator> in_;
  TermId g_;
};

class StoreSource : public Source {
 public:
  StoreSource(std::unique_ptr<ReadView> view, std::optional<TermId> graph)
      : view_(std::move(view)), graph_(graph) {}
  std::unique_ptr<QuadIdIterator> BySubject() const override {
    return Wrap(view_->ScanIndex(Permutation::kSPOG));
  }
  std::unique_ptr<QuadIdIterator> ByObject() const override {
    return Wrap(view_->ScanIndex(Permutation::kOSPG));
  }
  absl::StatusOr<Term> Resolve(TermId id) const override {
    return view_->Resolve(id);
  }
  std::optional<TermId> Find(const Term& t) const override {
    auto id = view_->Lookup(t);
    if (!id.ok()) return std::nullopt;
    return *id;
  }

 private:
  std::unique_ptr<QuadIdIterator> Wrap(std::unique_ptr<QuadIdIterator> it) const {
    if (!graph_) return it;
    return std::make_unique<GraphFilter>(std::move(it), *graph_);
  }
  std::unique_ptr<ReadView> view_;
  std::optional<TermId> graph_;
};

class VectorIterator : public QuadIdIterator {
 public:
  explicit VectorIterator(const std::vector<QuadIds>* v) : v_(v) {}
  bool Valid() const override { return i_ < v_->size(); }
  const QuadIds& quad() const override { return (*v_)[i_]; }
  void Next() override { ++i_; }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  const std::vector<QuadIds>* v_;
  size_t i_ = 0;
};

// A selection held in memory, with its own small dictionary.
class MemorySource : public Source {
 public:
  explicit MemorySource(const std::vector<Quad>& quads) {
    for (const Quad& q : quads) {
      QuadIds ids;
      ids.s = Intern(q.subject);
      ids.p = Intern(q.predicate);
      ids.o = Intern(q.object);
      ids.g = q.graph ? Intern(*q.graph) : kDefaultGraph;
      by_s_.push_back(ids);
    }
    auto key = [](const QuadIds& q, int a, int b, int c, int d) {
      return std::make_tuple(q.at(a), q.at(b), q.at(c), q.at(d));
    };
    std::sort(by_s_.begin(), by_s_.end(), [&](const QuadIds& a, const QuadIds& b) {
      return key(a, 0, 1, 2, 3) < key(b, 0, 1, 2, 3);
    });
    by_s_.erase(std::unique(by_s_.begin(), by_s_.end()), by_s_.end());
    by_o_ = by_s_;
    std::sort(by_o_.begin(), by_o_.end(), [&](const QuadIds& a, const QuadIds& b) {
      return key(a, 2, 0, 1, 3) < key(b, 2, 0, 1, 3);
    });
  }
  std::unique_ptr<QuadIdIterator> BySubject() const override {
    return std::make_unique<VectorIterator>(&by_s_);
  }
  std::unique_ptr<QuadIdIterator> ByObject() const override {
    return std::make_unique<VectorIterator>(&by_o_);
  }
  absl::StatusOr<Term> Resolve(TermId id) const override {
    auto it = terms_.find(id);
    if (it == terms_.end()) return absl::InternalError("unknown id");
    return it->second;
  }
  std::optional<TermId> Find(const Term& t) const override {
    auto it = ids_.find(t.ToNTriples());
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }

 private:
  TermId Intern(const Term& t) {
    std::string k = t.ToNTriples();
    auto it = ids_.find(k);
    if (it != ids_.end()) return it->second;
    TermTag tag = t.is_iri()     ? TermTag::kIri
                  : t.is_blank() ? TermTag::kBlankNode
                  : !t.language.empty() ? TermTag::kLangLiteral
                  : !t.datatype.empty() ? TermTag::kTypedLiteral
                                        : TermTag::kSimpleLiteral;
    TermId id = MakeId(tag, ++next_);
    ids_.emplace(std::move(k), id);
    terms_.emplace(id, t);
    return id;
  }
  uint64_t next_ = 0;
  absl::flat_hash_map<std::string, TermId> ids_;
  absl::flat_hash_map<TermId, Term> terms_;
  std::vector<QuadIds> by_s_, by_o_;
};

bool IsNodeId(TermId id) {
  TermTag t = TagOf(id);
  return t == TermTag::kIri || t == TermTag::kBlankNode;
}

// ---- attribute types ---------------------------------------------------------

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

class Exporter {
 public:
  Exporter(const Source& src, const Shortener& names, GraphWriter& w,
           std::ostream& out)
      : src_(src), names_(names), w_(w), out_(out) {}

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
  bool IsType(TermId p) const { return type_id_ && p == *type_id_; }

  absl::StatusOr<ValueKind> Kind(TermId o) {
    switch (TagOf(o)) {
      case TermTag::kInlineInteger: return ValueKind::kInteger;
      case TermTag::kInlineDecimal: return ValueKind::kNumber;
      case TermTag::kInlineBoolean: return ValueKind::kBoolean;
      case TermTag::kTypedLiteral: {
        auto it = kind_cache_.find(o);
        if (it != kind_cache_.end()) return it->second;
        auto t = src_.Resolve(o);
        if (!t.ok()) return t.status();
        ValueKind k = KindOfLiteral(*t);
        if (kind_cache_.size() > (1u << 16)) kind_cache_.clear();
        kind_cache_.emplace(o, k);
        return k;
      }
      default: return ValueKind::kString;
    }
  }

  // Pass 0: attribute keys with their types, and the classes.
  absl::Status ScanHeader() {
    absl::flat_hash_map<TermId, KeyStats> keys;
    std::set<TermId> classes;
    auto it = src_.BySubject();
    TermId last_s = 0, last_p = 0, last_o = 0;
    bool have_last = false;
    for (; it->Valid(); it->Next()) {
      const QuadIds& q = it->quad();
      if (IsType(q.p) && IsNodeId(q.o)) {
        classes.insert(q.o);
      } else if (!IsNodeId(q.o)) {
        KeyStats& k = keys[q.p];
        if (have_last && last_s == q.s && last_p == q.p && last_o != q.o)
          k.multi = true;
        auto kind = Kind(q.o);
        if (!kind.ok()) return kind.status();
        switch (*kind) {
          case ValueKind::kString: k.any_string = true; break;
          case ValueKind::kInteger: k.any_int = true; break;
          case ValueKind::kNumber: k.any_number = true; break;
          case ValueKind::kBoolean: k.any_bool = true; break;
        }
        last_s = q.s, last_p = q.p, last_o = q.o, have_last = true;
      }
    }
    if (!it->status().ok()) return it->status();
    std::vector<std::pair<std::string, TermId>> sorted;
    for (const auto& [p, stats] : keys) {
      auto t = src_.Resolve(p);
      if (!t.ok()) return t.status();
      sorted.emplace_back(names_.Short(*t), p);
    }
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [name, p] : sorted) {
      key_index_[p] = static_cast<int>(header_.keys.size());
      header_.keys.push_back({name, keys[p].Type()});
    }
    std::vector<std::pair<std::string, std::string>> cls;  // name, iri
    std::vector<TermId> cls_ids;
    for (TermId c : classes) {
      auto t = src_.Resolve(c);
      if (!t.ok()) return t.status();
      cls.emplace_back(names_.Short(*t), t->is_blank() ? "_:" + t->lexical : t->lexical);
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
      header_.classes.push_back({cls[order[j]].first, cls[order[j]].second, colors[j]});
    }
    return absl::OkStatus();
  }

  absl::StatusOr<const std::string*> GraphName(TermId g) {
    auto it = graph_names_.find(g);
    if (it != graph_names_.end()) return &it->second;
    std::string name;
    if (g != kDefaultGraph) {
      auto t = src_.Resolve(g);
      if (!t.ok()) return t.status();
      name = t->is_blank() ? "_:" + t->lexical : t->lexical;
    }
    return &graph_names_.emplace(g, std::move(name)).first->second;
  }

  static void AddUnique(std::vector<std::string>* v, const std::string& s) {
    if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
  }

  // Pass 1: one node per subject, then per object never a subject (merged
  // in id order, so each node is written once).
  absl::Status WriteNodes() {
    auto subj = src_.BySubject();
    auto obj = src_.ByObject();
    std::vector<QuadIds> group;
    // The next object-only candidate: an IRI/blank object with an incoming
    // quad other than rdf:type; its graphs in *obj_graphs.
    std::optional<TermId> next_obj;
    std::vector<TermId> obj_graphs;
    bool obj_done = false;
    auto advance_obj = [&]() -> absl::Status {
      next_obj.reset();
      obj_graphs.clear();
      while (!obj_done && obj->Valid()) {
        TermId o = obj->quad().o;
        if (!IsNodeId(o)) {  // literals sort after nodes: done
          obj_done = true;
          break;
        }
        bool edge = false;
        std::vector<TermId> graphs;
        for (; obj->Valid() && obj->quad().o == o; obj->Next()) {
          if (!IsType(obj->quad().p)) {
            edge = true;
            if (std::find(graphs.begin(), graphs.end(), obj->quad().g) == graphs.end())
              graphs.push_back(obj->quad().g);
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
      if (subj->Valid() && (!next_obj || subj->quad().s <= *next_obj)) {
        TermId s = subj->quad().s;
        group.clear();
        for (; subj->Valid() && subj->quad().s == s; subj->Next())
          group.push_back(subj->quad());
        if (next_obj && *next_obj == s)
          if (absl::Status st = advance_obj(); !st.ok()) return st;
        if (absl::Status st = SubjectNode(s, group); !st.ok()) return st;
      } else {
        if (absl::Status st = ObjectNode(*next_obj, obj_graphs); !st.ok()) return st;
        if (absl::Status st = advance_obj(); !st.ok()) return st;
      }
      if (!out_) return absl::UnavailableError("writing the export failed");
    }
    if (!subj->status().ok()) return subj->status();
    return obj->status();
  }

  absl::Status BasicNode(TermId id, NodeOut* n) {
    auto t = src_.Resolve(id);
    if (!t.ok()) return t.status();
    n->num = id;
    n->iri = t->is_blank() ? "_:" + t->lexical : t->lexical;
    n->label = names_.Short(*t);
    return absl::OkStatus();
  }

  absl::Status ObjectNode(TermId id, const std::vector<TermId>& graphs) {
    NodeOut n;
    if (absl::Status s = BasicNode(id, &n); !s.ok()) return s;
    for (TermId g : graphs) {
      auto name = GraphName(g);
      if (!name.ok()) return name.status();
      AddUnique(&n.graphs, **name);
    }
    w_.Node(n);
    ++nodes_;
    return absl::OkStatus();
  }

  absl::Status SubjectNode(TermId id, const std::vector<QuadIds>& group) {
    NodeOut n;
    if (absl::Status s = BasicNode(id, &n); !s.ok()) return s;
    std::optional<TermId> cls;
    std::optional<Term> best_label;
    int best_rank = 3;
    std::map<int, std::vector<std::string>> attrs;
    TermId last_p = 0, last_o = 0;
    bool have_last = false;
    for (const QuadIds& q : group) {
      auto g = GraphName(q.g);
      if (!g.ok()) return g.status();
      AddUnique(&n.graphs, **g);
      if (IsType(q.p) && IsNodeId(q.o)) {
        if (!cls) cls = q.o;
        auto t = src_.Resolve(q.o);
        if (!t.ok()) return t.status();
        AddUnique(&n.types, names_.Short(*t));
        continue;
      }
      if (IsNodeId(q.o)) continue;
      if (have_last && q.p == last_p && q.o == last_o) continue;  // other graph
      last_p = q.p, last_o = q.o, have_last = true;
      auto t = src_.Resolve(q.o);
      if (!t.ok()) return t.status();
      if (label_id_ && q.p == *label_id_) {
        int rank = (t->language.empty() || t->language == "en") ? 0
                   : t->language.rfind("en-", 0) == 0           ? 1
                                                                : 2;
        if (rank < best_rank) best_rank = rank, best_label = *t;
      }
      auto k = key_index_.find(q.p);
      if (k != key_index_.end()) attrs[k->second].push_back(std::move(t->lexical));
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
    absl::flat_hash_map<TermId, std::pair<std::string, std::string>> preds;
    auto it = src_.BySubject();
    for (; it->Valid(); it->Next()) {
      const QuadIds& q = it->quad();
      if (!IsNodeId(q.o) || IsType(q.p)) continue;
      auto p = preds.find(q.p);
      if (p == preds.end()) {
        auto t = src_.Resolve(q.p);
        if (!t.ok()) return t.status();
        p = preds.emplace(q.p, std::make_pair(names_.Short(*t), t->lexical)).first;
      }
      auto g = GraphName(q.g);
      if (!g.ok()) return g.status();
      EdgeOut e;
      e.num = edges_++;
      e.source = q.s;
      e.target = q.o;
      e.label = &p->second.first;
      e.predicate = &p->second.second;
      e.graph = *g;
      w_.Edge(e);
      if ((edges_ & 0xFFFF) == 0 && !out_)
        return absl::UnavailableError("writing the export failed");
    }
    return it->status();
  }

  const Source& src_;
  const Shortener& names_;
  GraphWriter& w_;
  std::ostream& out_;
  std::optional<TermId> type_id_, label_id_;
  Header header_;
  absl::flat_hash_map<TermId, int> key_index_;
  absl::flat_hash_map<TermId, int> class_index_;
  absl::flat_hash_map<TermId, ValueKind> kind_cache_;
  absl::flat_hash_map<TermId, std::string> graph_names_;
  uint64_t nodes_ = 0, edges_ = 0;
};

// ---- selections ------------------------------------------------------------------

QuadPattern WithGraph(QuadPattern p, const std::optional<Term>& graph) {
  if (graph) p.graph = GraphSelector::Named(*graph);
  return p;
}

absl::StatusOr<std::vector<Quad>> SelectConstruct(const Database& db,
                                                  const ExportOptions& o,
                                                  Shortener* names) {
  auto result = db.Query(o.query, o.query_options);
  if (!result.ok()) return result.status();
  if ((*result)->kind() != QueryResult::Kind::kGraph)
    return absl::InvalidArgumentError(
        "the export query must be a CONSTRUCT or DESCRIBE query");
  for (const auto& [name, ns] : (*result)->prefixes()) names->Add(name, ns);
  std::vector<Quad> quads;
  Quad t;
  while (true) {
    auto more = (*result)->NextTriple(&t);
    if (!more.ok()) return more.status();
    if (!*more) break;
    QuadPattern p;
    p.subject = t.subject;
    p.predicate = t.predicate;
    p.object = t.object;
    bool found = false;
    for (auto c = db.Match(WithGraph(p, o.graph)); c->Valid(); c->Next()) {
      found = true;
      quads.push_back(c->quad());
    }
    if (!found && !o.graph) {
      t.graph.reset();
      quads.push_back(t);
    }
  }
  return quads;
}

std::string TermKey(const Term& t) { return t.ToNTriples(); }

absl::StatusOr<std::vector<Quad>> SelectAround(const Database& db,
                                               const ExportOptions& o) {
  if (o.around->is_literal())
    return absl::InvalidArgumentError("--around needs an IRI or a blank node");
  const std::string type(kRdfType);
  absl::flat_hash_set<std::string> seen = {TermKey(*o.around)};
  std::vector<Term> nodes = {*o.around};
  std::vector<Term> frontier = {*o.around};
  for (int hop = 0; hop < o.hops && !frontier.empty(); ++hop) {
    std::vector<Term> next;
    for (const Term& n : frontier) {
      for (int dir = 0; dir < 2; ++dir) {
        QuadPattern p;
        (dir == 0 ? p.subject : p.object) = n;
        for (auto c = db.Match(WithGraph(p, o.graph)); c->Valid(); c->Next()) {
          const Quad& q = c->quad();
          if (q.predicate.lexical == type && q.predicate.is_iri()) continue;
          const Term& other = dir == 0 ? q.object : q.subject;
          if (other.is_literal()) continue;
          if (seen.insert(TermKey(other)).second) {
            next.push_back(other);
            nodes.push_back(other);
          }
        }
      }
    }
    frontier = std::move(next);
  }
  // The induced subgraph: every quad from a selected node to a literal, a
  // class or another selected node.
  std::vector<Quad> quads;
  for (const Term& n : nodes) {
    QuadPattern p;
    p.subject = n;
    for (auto c = db.Match(WithGraph(p, o.graph)); c->Valid(); c->Next()) {
      const Quad& q = c->quad();
      bool is_type = q.predicate.is_iri() && q.predicate.lexical == type;
      if (q.object.is_literal() || is_type || seen.contains(TermKey(q.object)))
        quads.push_back(q);
    }
  }
  // The start node alone still shows when nothing mentions it.
  return quads;
}

}  // namespace

absl::StatusOr<ExportFormat> ExportFormatFromName(std::string_view name) {
  if (name == "dot" || name == "gv") return ExportFormat::kDot;
  if (name == "graphml") return ExportFormat::kGraphMl;
  if (name == "gexf") return ExportFormat::kGexf;
  if (name == "cytoscape" || name == "json" || name == "cyjs")
    return ExportFormat::kCytoscape;
  if (name == "html") return ExportFormat::kHtml;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown export format '", Sv(name),
                   "' (expected dot, graphml, gexf, cytoscape or html)"));
}

absl::Status ExportGraph(Database& db, const ExportOptions& options,
                         std::ostream& out, ExportSummary* summary) {
  if (!options.query.empty() && options.around)
    return absl::InvalidArgumentError(
        "choose one selection: a query or a neighbourhood, not both");
  if (options.hops < 0)
    return absl::InvalidArgumentError("hops must be 0 or more");
  if (options.graph && options.graph->is_literal())
    return absl::InvalidArgumentError("a graph name is an IRI or a blank node");
  Shortener names(options.prefixes);
  std::unique_ptr<Source> source;
  if (!options.query.empty() || options.around) {
    auto quads = options.around ? SelectAround(db, options)
                                : SelectConstruct(db, options, &names);
    if (!quads.ok()) return quads.status();
    if (options.around && quads->empty())
      return absl::NotFoundError(absl::StrCat(
          "no quad mentions ", options.around->ToNTriples(),
          options.graph ? " in that graph" : ""));
    source = std::make_unique<MemorySource>(*quads);
  } else {
    auto view = db.store()->NewReadView();
    std::optional<TermId> g;
    if (options.graph) {
      auto id = view->Lookup(*options.graph);
      if (!id.ok()) return id.status();
      if (!*id)
        return absl::NotFoundError(absl::StrCat(
            "no graph ", options.graph->ToNTriples(), " in the store"));
      g = **id;
    }
    source = std::make_unique<StoreSource>(std::move(view), g);
  }
  std::unique_ptr<GraphWriter> writer;
  switch (options.format) {
    case ExportFormat::kDot: writer = std::make_unique<DotWriter>(out); break;
    case ExportFormat::kGraphMl: writer = std::make_unique<GraphMlWriter>(out); break;
    case ExportFormat::kGexf: writer = std::make_unique<GexfWriter>(out); break;
    case ExportFormat::kCytoscape: writer = std::make_unique<CytoscapeWriter>(out); break;
    case ExportFormat::kHtml: writer = std::make_unique<HtmlWriter>(out); break;
  }
  Exporter exporter(*source, names, *writer, out);
  return exporter.Run(options.title.empty() ? "kgstore graph" : options.title,
                      summary);
}

}  // namespace kg
