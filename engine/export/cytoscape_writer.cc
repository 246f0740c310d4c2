// Cytoscape.js elements JSON (cytoscape_writer.h). Numbers and booleans of
// typed attribute keys are JSON numbers and booleans; several values of a
// string key are an array.

#include "engine/export/cytoscape_writer.h"

#include <cmath>
#include <cstdlib>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/export/palette.h"
#include "engine/export/text_escape.h"

namespace kg::export_internal {
namespace {

void AppendList(const std::vector<std::string>& v, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out->push_back(',');
    AppendJson(v[i], out);
  }
  out->push_back(']');
}

bool IsTrue(std::string_view v) { return v == "true" || v == "1"; }

}  // namespace

void CytoscapeWriter::Begin(const Header& h) {
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

void CytoscapeWriter::Node(const NodeOut& n) {
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
        // Checked to be numbers by the builder; JSON has no NaN/Inf, no '+'.
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
  Flush();
}

void CytoscapeWriter::EndNodes() {
  buf_ += "\n],\"edges\":[";
  first_ = true;
}

void CytoscapeWriter::Edge(const EdgeOut& e) {
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
  Flush();
}

void CytoscapeWriter::CloseDocument() { buf_ += "\n]}}\n"; }

void CytoscapeWriter::End() {
  CloseDocument();
  Drain();
}

std::unique_ptr<GraphWriter> NewCytoscapeWriter(std::ostream& out) {
  return std::make_unique<CytoscapeWriter>(out);
}

}  // namespace kg::export_internal
