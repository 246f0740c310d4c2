// `kg shell [OPTIONS] [DB] [COMMAND...]`: the subcommand. Reads the options
// (sqlite3's, one or two dashes), opens the store (read-only when another
// process holds it), and runs the session in sqlite3's order: the rc file
// (or -init FILE), each -cmd COMMAND, then the arguments, the prompt, or
// standard input. The shell itself is described in tools/shell/shell.h.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "tools/commands.h"
#include "tools/shell/environment.h"
#include "tools/shell/shell.h"

namespace kg::tools {
namespace shell {
namespace {

struct ShellArgs {
  std::string db;
  bool db_given = false;
  std::vector<std::string> commands;  // after DB
  std::vector<std::string> cmd;       // -cmd
  std::string init;                   // -init
  bool bail = false;
  bool read_only = false;
};

constexpr char kUsage[] =
    "Usage: kg shell [OPTIONS] [DB] [COMMAND...]\n"
    "  DB            store directory (default: "
    "${KG_HOME:-~/.local/share/kgstore}/seed)\n"
    "  COMMAND       queries or dot commands to run instead of reading input\n"
    "  -bail         stop at the first error\n"
    "  -cmd COMMAND  run COMMAND before reading input (repeatable)\n"
    "  -init FILE    read FILE instead of ~/.kgshellrc\n"
    "  -readonly     open the store read-only\n";

// sqlite3-style options: one or two dashes, anywhere on the line.
bool ParseShellArgs(const std::vector<std::string>& in, ShellArgs* a,
                    std::string* error) {
  bool options_done = false;
  for (size_t i = 0; i < in.size(); ++i) {
    std::string arg = in[i];
    if (!options_done && arg == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && arg.size() > 1 && arg[0] == '-') {
      std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
      auto value = [&](std::string* out) {
        if (i + 1 >= in.size()) {
          *error = absl::StrCat("missing argument to ", arg);
          return false;
        }
        *out = in[++i];
        return true;
      };
      if (name == "bail") {
        a->bail = true;
      } else if (name == "readonly") {
        a->read_only = true;
      } else if (name == "cmd") {
        std::string v;
        if (!value(&v)) return false;
        a->cmd.push_back(v);
      } else if (name == "init") {
        if (!value(&a->init)) return false;
      } else {
        *error = absl::StrCat("unknown option ", arg);
        return false;
      }
      continue;
    }
    if (!a->db_given) {
      a->db = arg;
      a->db_given = true;
    } else {
      a->commands.push_back(arg);
    }
  }
  return true;
}

void RunShell(const std::vector<std::string>& raw, CommandState& st) {
  ShellArgs args;
  std::string error;
  for (const std::string& r : raw) {
    if (r == "-help" || r == "--help" || r == "-h") {
      std::cout << kUsage;
      return;
    }
  }
  if (!ParseShellArgs(raw, &args, &error)) {
    std::cerr << "kg shell: " << error << "\n" << kUsage;
    st.exit_code = 2;
    return;
  }
  bool interactive = args.commands.empty() && isatty(STDIN_FILENO) != 0;
  if (!args.db_given) args.db = DefaultStorePath();
  std::error_code ec;
  bool exists = std::filesystem::exists(args.db, ec);
  if (!args.db_given && !exists) {
    std::cerr << "kg shell: no store at " << args.db
              << "\nkg shell: create it with tools/scripts/quickstart.sh "
                 "(loads the seed example), or give a store: kg shell DIR\n";
    st.exit_code = 1;
    return;
  }
  OpenOptions oo;
  oo.create_if_missing = true;
  oo.read_only = args.read_only;
  auto db = Database::Open(args.db, oo);
  if (!db.ok() && !args.read_only && absl::IsFailedPrecondition(db.status()) &&
      exists) {
    oo.read_only = true;
    auto ro = Database::Open(args.db, oo);
    if (ro.ok()) {
      std::cerr << "kg shell: note: " << db.status().message()
                << "; opened read-only (updates and .load will fail)\n";
      db = std::move(ro);
    }
  }
  if (!db.ok()) {
    std::cerr << "kg shell: " << db.status().message() << "\n";
    st.exit_code = 1;
    return;
  }
  if (interactive) {
    DatabaseStatistics stats = (*db)->Statistics();
    std::cout << "kg shell 0.1.0: " << args.db
              << (exists ? "" : " (new, empty)") << ", " << stats.quads
              << " quads" << (oo.read_only ? ", read-only" : "") << "\n"
              << "Enter SPARQL (runs when complete), \".help\" for commands, "
                 "Ctrl-D to leave.\n";
  }
  Shell shell(std::move(*db), interactive);
  shell.set_bail(args.bail);
  std::ios::sync_with_stdio(false);

  bool go_on = true;
  // The rc file (interactive only) or -init FILE.
  std::string init = args.init;
  if (init.empty() && interactive && !HomeDir().empty()) {
    std::string rc = HomeDir() + "/.kgshellrc";
    if (std::filesystem::exists(rc, ec)) init = rc;
  }
  if (!init.empty()) {
    std::ifstream in(init);
    if (!in) {
      std::cerr << "kg shell: cannot read " << init << "\n";
      st.exit_code = 1;
      return;
    }
    go_on = shell.RunStream(in, init);
  }
  for (size_t i = 0; go_on && i < args.cmd.size(); ++i) {
    go_on =
        shell.RunEntry(args.cmd[i], Source{"-cmd", static_cast<int>(i + 1)});
  }
  if (go_on) {
    if (!args.commands.empty()) {
      for (size_t i = 0; go_on && i < args.commands.size(); ++i) {
        go_on = shell.RunEntry(
            args.commands[i], Source{"the arguments", static_cast<int>(i + 1)});
      }
    } else if (interactive) {
      shell.RunInteractive();
    } else {
      shell.RunStream(std::cin, "", /*live=*/true);
    }
  }
  std::cout.flush();
  st.exit_code = shell.exit_code();
}

}  // namespace
}  // namespace shell

void RegisterShellCommand(CLI::App& app, CommandState& st) {
  auto* command =
      app.add_subcommand("shell",
                         "Interactive SPARQL shell (kg shell [-bail] "
                         "[-cmd C] [-init F] [DB] [COMMAND...])");
  command->prefix_command();
  command->allow_extras();
  command->set_help_flag();
  command->footer(shell::kUsage);
  command->callback(
      [command, &st] { shell::RunShell(command->remaining(), st); });
}

}  // namespace kg::tools
