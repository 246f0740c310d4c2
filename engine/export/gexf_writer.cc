// GEXF 1.3 with viz:color (Gephi); valid against the RELAX NG grammar in
// tests/data/schemas/gexf (and the XSD without the viz elements).

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/export/graph_model.h"
#include "engine/export/palette.h"
#include "engine/export/text_escape.h"
#include "storage/base/absl_compat.h"

namespace kg::export_internal {
namespace {

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

  void Node(const NodeOut& n) override {
    buf_ += absl::StrCat("      <node id=\"", NodeId(n.num), "\" label=\"");
    AppendXml(n.label, &buf_);
    buf_ += "\">\n        <attvalues>\n";
    Value("iri", n.iri);
    if (n.cls >= 0) Value("class", header_->classes[n.cls].name);
    if (!n.types.empty()) Value("types", JoinValues(n.types));
    if (!n.graphs.empty()) Value("graphs", JoinValues(n.graphs));
    for (const auto& [k, values] : n.attrs)
      Value(absl::StrCat("a", k), header_->keys[k].type == AttrType::kString
                                      ? JoinValues(values)
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

 private:
  void Value(std::string_view key, std::string_view value) {
    buf_ += absl::StrCat("          <attvalue for=\"", Sv(key), "\" value=\"");
    AppendXml(value, &buf_);
    buf_ += "\"/>\n";
  }
};

}  // namespace

std::unique_ptr<GraphWriter> NewGexfWriter(std::ostream& out) {
  return std::make_unique<GexfWriter>(out);
}

}  // namespace kg::export_internal
