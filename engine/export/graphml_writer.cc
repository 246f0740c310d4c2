// GraphML 1.0 with typed <key> declarations (Gephi, yEd, Cytoscape
// desktop); valid against tests/data/schemas/graphml/graphml.xsd.

#include <set>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "engine/export/graph_model.h"
#include "engine/export/palette.h"
#include "engine/export/text_escape.h"
#include "storage/base/absl_compat.h"

namespace kg::export_internal {
namespace {

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
    // Attribute names unique among themselves and the fixed keys.
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
    if (!n.types.empty()) Data("v_types", JoinValues(n.types));
    if (!n.graphs.empty()) Data("v_graphs", JoinValues(n.graphs));
    for (const auto& [k, values] : n.attrs) {
      // A typed key has one value per node (graph_builder.cc).
      Data(absl::StrCat("a", k), header_->keys[k].type == AttrType::kString
                                     ? JoinValues(values)
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

 private:
  void Data(std::string_view key, std::string_view value) {
    buf_ += absl::StrCat("      <data key=\"", Sv(key), "\">");
    AppendXml(value, &buf_);
    buf_ += "</data>\n";
  }
};

}  // namespace

std::unique_ptr<GraphWriter> NewGraphMlWriter(std::ostream& out) {
  return std::make_unique<GraphMlWriter>(out);
}

}  // namespace kg::export_internal
