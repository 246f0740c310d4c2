// `kg export DB --format FMT -o FILE [--query TEXT | --query-file F |
//  --around IRI --hops N] [--graph IRI] [--title TEXT]`: the whole store, a
// CONSTRUCT result or an entity's neighbourhood as DOT, GraphML, GEXF,
// Cytoscape.js JSON or a self-contained HTML page (engine/graph_export.h).

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/database.h"
#include "engine/graph_export.h"
#include "engine/iri_prefixes.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

int Fail(const std::string& message, int code = 1) {
  std::cerr << "kg export: " << message << "\n";
  return code;
}

// An entity or graph name as the user typed it: <iri>, _:label, a prefixed
// name with one of the store's prefixes (StorePrefixes: rdf:, rdfs:, xsd:,
// owl:, the example vocabulary's ex: and kg: when the store uses it, the
// data's own) or an absolute IRI.
Term ParseTermArg(const std::string& text, const PrefixMap& prefixes) {
  if (text.size() >= 2 && text.front() == '<' && text.back() == '>')
    return Term::Iri(text.substr(1, text.size() - 2));
  if (text.rfind("_:", 0) == 0) return Term::BlankNode(text.substr(2));
  if (text.find("//") == std::string::npos) {
    if (auto iri = ExpandPrefixedName(text, prefixes)) return Term::Iri(*iri);
  }
  return Term::Iri(text);
}

void RunExport(CommandState& st, const std::string& query_file) {
  ExportOptions o;
  auto format = ExportFormatFromName(st.format);
  if (!format.ok()) {
    st.exit_code = Fail(std::string(format.status().message()), 2);
    return;
  }
  o.format = *format;
  if (!query_file.empty()) {
    std::ifstream in(query_file, std::ios::binary);
    if (!in) {
      st.exit_code = Fail("cannot open " + query_file);
      return;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    o.query = buf.str();
    if (o.query.empty()) {
      st.exit_code = Fail(query_file + " is empty");
      return;
    }
  } else {
    o.query = st.text;
  }
  o.hops = st.hops;
  o.title = st.title;
  if (o.title.empty()) {
    o.title = std::filesystem::path(st.db).filename().string();
    if (!st.around.empty()) o.title += " — around " + st.around;
    if (!st.graph.empty()) o.title += " — graph " + st.graph;
  }
  o.query_options.timeout_ms = st.timeout_ms;
  o.query_options.memory_limit_bytes = st.memory_mb << 20;

  OpenOptions oo;
  oo.create_if_missing = false;
  oo.read_only = true;
  oo.warm_adjacencies_in_background = false;  // one export, then exit
  auto db = Database::Open(st.db, oo);
  if (!db.ok()) {
    st.exit_code = Fail(std::string(db.status().message()));
    return;
  }
  if (!st.around.empty() || !st.graph.empty()) {
    PrefixMap prefixes = StorePrefixes(**db);
    if (!st.around.empty()) o.around = ParseTermArg(st.around, prefixes);
    if (!st.graph.empty()) o.graph = ParseTermArg(st.graph, prefixes);
  }
  ExportSummary summary;
  absl::Status status;
  bool to_stdout = st.output == "-";
  if (to_stdout) {
    status = ExportGraph(**db, o, std::cout, &summary);
  } else {
    // Written beside the target and renamed at the end: a failed export
    // leaves no partial file behind. The path is used as given: no "~" or
    // "$VAR" expansion (the shell's business), and a symbolic link at the
    // target is replaced, not written through.
    status = ExportGraphToFile(**db, o, st.output, &summary);
  }
  if (!status.ok()) {
    st.exit_code = Fail(std::string(status.message()));
    return;
  }
  (to_stdout ? std::cerr : std::cout)
      << summary.nodes << " nodes, " << summary.edges << " edges, "
      << summary.classes << " classes -> " << (to_stdout ? "stdout" : st.output)
      << " (" << st.format << ")\n";
}

}  // namespace

void RegisterExportCommand(CLI::App& app, CommandState& st) {
  auto* cmd = app.add_subcommand(
      "export",
      "Export the store, a CONSTRUCT result or an entity's neighbourhood for "
      "visualisation: Graphviz DOT, GraphML, GEXF, Cytoscape.js JSON, or a "
      "self-contained HTML page");
  auto query_file = std::make_shared<std::string>();
  cmd->add_option("DB", st.db, "Store directory")->required();
  cmd->add_option("--format", st.format, "dot, graphml, gexf, cytoscape or html")
      ->required()
      ->check(CLI::IsMember({"dot", "graphml", "gexf", "cytoscape", "json", "html"}));
  cmd->add_option("-o,--output", st.output, "Output file (- for stdout)")->required();
  auto* q = cmd->add_option("--query", st.text,
                            "Export the triples of this CONSTRUCT query");
  auto* qf = cmd->add_option("--query-file", *query_file,
                             "Read the CONSTRUCT query from FILE");
  auto* around = cmd->add_option(
      "--around", st.around,
      "Export the neighbourhood of this entity (IRI, <IRI>, ex:name, _:b)");
  auto* hops = cmd->add_option("--hops", st.hops,
                               "Hops from --around, both directions (default 1)")
                   ->check(CLI::NonNegativeNumber);
  cmd->add_option("--graph", st.graph, "Read only this named graph");
  cmd->add_option("--title", st.title, "Title of the graph / page");
  cmd->add_option("--timeout", st.timeout_ms, "Query time limit in ms (default 60000)");
  q->excludes(qf);
  q->excludes(around);
  qf->excludes(around);
  hops->needs(around);
  cmd->callback([&st, query_file] { RunExport(st, *query_file); });
}

}  // namespace kg::tools
