// Cytoscape.js elements JSON, {"data":{..},"elements":{"nodes":[..],
// "edges":[..]}}: the Cytoscape format, and the data the HTML page embeds
// (html_writer.cc derives from this writer).
//
// Not a public API (kg_export only).

#ifndef KGSTORE_ENGINE_EXPORT_CYTOSCAPE_WRITER_H_
#define KGSTORE_ENGINE_EXPORT_CYTOSCAPE_WRITER_H_

#include <string>
#include <vector>

#include "engine/export/graph_model.h"

namespace kg::export_internal {

class CytoscapeWriter : public GraphWriter {
 public:
  using GraphWriter::GraphWriter;
  void Begin(const Header& h) override;
  void Node(const NodeOut& n) override;
  void EndNodes() override;
  void Edge(const EdgeOut& e) override;
  void End() override;

 protected:
  // Closes the elements and the document ("\n]}}\n"), without draining.
  void CloseDocument();

 private:
  bool first_ = true;
};

}  // namespace kg::export_internal

#endif  // KGSTORE_ENGINE_EXPORT_CYTOSCAPE_WRITER_H_
