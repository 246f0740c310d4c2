// `kg`: the command-line face of kgstore.
//
//   kg load DB FILE...      load RDF files (all or nothing)
//   kg dump DB              write every quad (N-Quads by default)
//   kg stats DB             counts per predicate and per graph
//   kg check DB             verify indexes, dictionary and statistics
//   kg relations DB         the entity-to-entity relations, by label
//   kg compact DB           compact the store
//   kg query DB 'SPARQL'    run a query (-f file.rq), print a table/TSV/CSV/JSON/XML
//   kg update DB 'SPARQL'   run an update request as one transaction
//   kg export DB -o FILE    draw the graph: DOT, GraphML, GEXF, Cytoscape JSON, HTML
//   kg shell [DB]           interactive SPARQL shell (docs/SHELL.md)
//
// Exit codes: 0 success, 1 error (one line on stderr), 2 usage.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "kg - kgstore, an embedded knowledge-graph store (RDF quads in RocksDB)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "kg 0.1.0");
  app.footer("Run 'kg COMMAND --help' for the options of a command.");

  kg::tools::CommandState state;
  kg::tools::RegisterCommands(app, state);
  kg::tools::RegisterQueryCommands(app, state);
  kg::tools::RegisterExportCommand(app, state);
  kg::tools::RegisterShellCommand(app, state);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "kg: " << e.what() << "\n";
    std::cerr << "Run 'kg --help' for usage.\n";
    return 2;
  }
  return state.exit_code;
}
