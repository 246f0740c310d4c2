// What the export writers see: a header (title, attribute keys, classes),
// then nodes, then edges, handed over one at a time by the builder
// (graph_builder.h), and the writer interface with one factory per format
// (one writer per file: dot_writer.cc, graphml_writer.cc, gexf_writer.cc,
// cytoscape_writer.cc, html_writer.cc).
//
// Not a public API (kg_export only).

#ifndef KGSTORE_ENGINE_EXPORT_GRAPH_MODEL_H_
#define KGSTORE_ENGINE_EXPORT_GRAPH_MODEL_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace kg::export_internal {

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
  std::vector<AttrKey> keys;       // sorted by name
  std::vector<ClassDef> classes;   // sorted by name
};

struct NodeOut {
  uint64_t num = 0;   // the node's number: its id is "n" and the number
  std::string iri;    // IRI, or "_:label"
  std::string label;  // full label
  int cls = -1;       // index into Header::classes
  std::vector<std::string> types;
  std::vector<std::string> graphs;  // "" = default graph
  // (key index, values), keys in Header::keys order.
  std::vector<std::pair<int, std::vector<std::string>>> attrs;
};

struct EdgeOut {
  uint64_t num = 0;  // the edge's id is "e" and the number
  uint64_t source = 0, target = 0;  // node numbers
  const std::string* label = nullptr;      // shortened predicate
  const std::string* predicate = nullptr;  // full IRI
  const std::string* graph = nullptr;      // "" = default graph
};

// One output format. Begin, then Node for every node, EndNodes, Edge for
// every edge, End. Writers buffer and write to the stream in 64 KiB pieces.
class GraphWriter {
 public:
  explicit GraphWriter(std::ostream& out) : out_(out) {}
  virtual ~GraphWriter() = default;
  // `h` outlives the writer's use of it.
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

// A node's id in every format: a valid XML NMTOKEN.
inline std::string NodeId(uint64_t n) { return absl::StrCat("n", n); }

std::unique_ptr<GraphWriter> NewDotWriter(std::ostream& out);
std::unique_ptr<GraphWriter> NewGraphMlWriter(std::ostream& out);
std::unique_ptr<GraphWriter> NewGexfWriter(std::ostream& out);
std::unique_ptr<GraphWriter> NewCytoscapeWriter(std::ostream& out);
std::unique_ptr<GraphWriter> NewHtmlWriter(std::ostream& out);

}  // namespace kg::export_internal

#endif  // KGSTORE_ENGINE_EXPORT_GRAPH_MODEL_H_
