// One self-contained offline HTML page that draws the graph: the
// Cytoscape.js elements JSON (cytoscape_writer.h) inside a page with
// Cytoscape.js and the viewer (assets/viewer.js, assets/viewer.css), all
// three embedded at build time (see CMakeLists.txt).

#include <string>

#include "engine/export/assets/cytoscape_js.h"
#include "engine/export/assets/viewer_css.h"
#include "engine/export/assets/viewer_js.h"
#include "engine/export/cytoscape_writer.h"
#include "engine/export/text_escape.h"

namespace kg::export_internal {
namespace {

// The page's markup around the drawing; @TITLE@ is the escaped title.
constexpr char kBody[] = R"kghtml(<div id="app">
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

template <size_t N>
void WriteAsset(std::ostream& out, const unsigned char (&bytes)[N],
                size_t size) {
  out.write(reinterpret_cast<const char*>(bytes),
            static_cast<std::streamsize>(size));
}

class HtmlWriter : public CytoscapeWriter {
 public:
  using CytoscapeWriter::CytoscapeWriter;
  void Begin(const Header& h) override {
    std::string title = Xml(h.title);
    buf_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"kgstore\">\n<title>";
    buf_ += title;
    buf_ += "</title>\n<style>\n";
    Drain();
    WriteAsset(out_, kViewerCss, kViewerCss_size);
    buf_ += "</style>\n</head>\n<body data-ready=\"0\">\n";
    std::string body = kBody;
    body.replace(body.find("@TITLE@"), 7, title);
    buf_ += body;
    buf_ += "<script>\n";
    Drain();
    WriteAsset(out_, kCytoscapeJs, kCytoscapeJs_size);
    buf_ += "\n</script>\n<script type=\"application/json\" id=\"kg-data\">\n";
    CytoscapeWriter::Begin(h);
  }
  void End() override {
    CloseDocument();
    buf_ += "</script>\n<script>\n";
    Drain();
    WriteAsset(out_, kViewerJs, kViewerJs_size);
    buf_ += "</script>\n</body>\n</html>\n";
    Drain();
  }
};

}  // namespace

std::unique_ptr<GraphWriter> NewHtmlWriter(std::ostream& out) {
  return std::make_unique<HtmlWriter>(out);
}

}  // namespace kg::export_internal
