// The subcommands of `kg`, registered on a CLI11 app. Each command sets
// CommandState::exit_code (0 success, 1 error) and prints errors as one line
// on stderr prefixed with "kg <command>: ".

#ifndef KGSTORE_TOOLS_COMMANDS_H_
#define KGSTORE_TOOLS_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace kg::tools {

struct CommandState {
  int exit_code = 0;
  // Options shared by the commands (filled by CLI11).
  std::string db;
  std::vector<std::string> files;
  std::string format;
  std::string graph;
  std::string base;
  bool skip_bad = false;
  bool no_sync = false;
  bool quiet = false;
  bool compact = false;
  bool zstd = false;
  bool plain_keys = false;
  // query / update
  std::string text;
  std::string text_file;
  bool explain = false;
  bool profile = false;
  bool strict = false;
  bool allow_load = false;
  int64_t timeout_ms = 60000;
  uint64_t memory_mb = 1024;
  // export
  std::string output;
  std::string around;
  int hops = 1;
  std::string title;
};

void RegisterCommands(CLI::App& app, CommandState& state);
// `kg query` and `kg update` (tools/query_commands.cc).
void RegisterQueryCommands(CLI::App& app, CommandState& state);
// `kg export` (tools/export_command.cc).
void RegisterExportCommand(CLI::App& app, CommandState& state);
// `kg shell` (tools/shell/shell_command.cc).
void RegisterShellCommand(CLI::App& app, CommandState& state);

}  // namespace kg::tools

#endif  // KGSTORE_TOOLS_COMMANDS_H_
