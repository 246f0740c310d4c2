// Graphviz DOT: a digraph with a legend cluster of the classes; node and
// edge attributes beside Graphviz's own (render with dot, sfdp, neato ...).

#include "absl/strings/str_cat.h"
#include "engine/export/graph_model.h"
#include "engine/export/palette.h"
#include "engine/export/text_escape.h"

namespace kg::export_internal {
namespace {

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
    for (const auto& [k, values] : n.attrs)
      buf_ += absl::StrCat(", ", DotQuote(header_->keys[k].name), "=",
                           DotQuote(JoinValues(values)));
    buf_ += "];\n";
    Flush();
  }

  void Edge(const EdgeOut& e) override {
    buf_ += absl::StrCat("  ", NodeId(e.source), " -> ", NodeId(e.target),
                         " [label=", DotQuote(DisplayLabel(*e.label)));
    if (!e.graph->empty())
      buf_ += absl::StrCat(", \"graph\"=", DotQuote(*e.graph), ", tooltip=",
                           DotQuote(*e.label + " (" + *e.graph + ")"));
    buf_ += "];\n";
    Flush();
  }

  void End() override {
    buf_ += "}\n";
    Drain();
  }
};

}  // namespace

std::unique_ptr<GraphWriter> NewDotWriter(std::ostream& out) {
  return std::make_unique<DotWriter>(out);
}

}  // namespace kg::export_internal
