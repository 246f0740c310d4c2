// The dot commands: one table, kCommands, drives dispatch, .help and
// completion. The handlers live with what they act on (setting_commands.cc,
// store_commands.cc, result_export.cc, sparql_runner.cc, main_loop.cc).

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/shell/shell.h"
#include "tools/shell/words.h"

namespace kg::tools::shell {

const std::vector<DotCommand>& Shell::Commands() {
  static const std::vector<DotCommand> kCommands = {
      {".bail", "on|off", "Stop at the first error (batch input)",
       &Shell::CmdBail},
      {".exit", "", "Leave the shell", &Shell::CmdQuit},
      {".explain", "[QUERY]",
       "Show the plan of QUERY (default: the last query)", &Shell::CmdExplain},
      {".export", "FORMAT FILE [QUERY | around IRI [HOPS]]",
       "Write the result of QUERY (default: the last) to FILE; graph formats "
       "draw a CONSTRUCT, a neighbourhood or the store",
       &Shell::CmdExport},
      {".help", "[COMMAND]", "Show this help", &Shell::CmdHelp},
      {".load", "FILE [GRAPH]", "Load an RDF file (all or nothing)",
       &Shell::CmdLoad},
      {".mode", "table|csv|tsv|json|xml|turtle|ntriples",
       "How results are written", &Shell::CmdMode},
      {".output", "[FILE|stdout]", "Send results to FILE (whole) or the screen",
       &Shell::CmdOutput},
      {".prefix", "NAME IRI", "Declare a prefix for queries and output",
       &Shell::CmdPrefix},
      {".prefixes", "", "List the known prefixes", &Shell::CmdPrefixes},
      {".profile", "[QUERY]", "Run QUERY and show its plan with rows and times",
       &Shell::CmdProfile},
      {".quit", "", "Leave the shell", &Shell::CmdQuit},
      {".read", "FILE", "Run the queries and commands in FILE",
       &Shell::CmdRead},
      {".schema", "", "Predicates and classes with their counts",
       &Shell::CmdSchema},
      {".stats", "", "Quads, graphs and predicates of the store",
       &Shell::CmdStats},
      {".timeout", "[MS]", "Time limit per query in ms (0 = none)",
       &Shell::CmdTimeout},
      {".timer", "on|off", "Show the time each entry takes", &Shell::CmdTimer},
  };
  return kCommands;
}

bool Shell::RunDot(std::string_view line, const Source& src) {
  std::vector<std::string> args = SplitArgs(line);
  std::string name = args.empty() ? "." : args[0];
  std::vector<const DotCommand*> matches;
  for (const DotCommand& c : Commands()) {
    if (name == c.name) {
      matches = {&c};
      break;
    }
    // sqlite3 takes unambiguous prefixes (".tim" for ".timer").
    if (name.size() > 2 &&
        std::string_view(c.name).substr(0, name.size()) == name) {
      matches.push_back(&c);
    }
  }
  if (matches.empty()) {
    Error(src, absl::StrCat("unknown command ", name,
                            "; \".help\" lists the commands"));
    return false;
  }
  if (matches.size() != 1) {
    std::string which;
    for (const DotCommand* c : matches)
      absl::StrAppend(&which, which.empty() ? "" : " or ", c->name);
    Error(src, absl::StrCat("ambiguous command ", name, ": ", which, "?"));
    return false;
  }
  cur_src_ = src;
  args.erase(args.begin());
  return (this->*(matches[0]->run))(AfterWords(line, 1), args);
}

bool Shell::Usage(const char* name) {
  for (const DotCommand& c : Commands()) {
    if (std::string_view(c.name) == name) {
      Error(cur_src_, absl::StrCat("usage: ", c.name, " ", c.usage));
    }
  }
  return false;
}

bool Shell::CmdHelp(std::string_view, const std::vector<std::string>& args) {
  std::ostream& o = Out();
  for (const DotCommand& c : Commands()) {
    if (!args.empty() && args[0] != c.name && "." + args[0] != c.name) continue;
    std::string head = absl::StrCat(c.name, " ", c.usage);
    o << absl::StrFormat("%-34s %s\n", head, c.help);
  }
  if (args.empty()) {
    o << "\nSPARQL queries and updates run as soon as they are complete (or "
         "on an empty line).\nTab completes keywords, commands, prefixes and "
         "the store's predicates and classes;\nCtrl-R searches the history, "
         "Ctrl-C cancels a running query, Ctrl-D leaves.\n";
  }
  return true;
}

}  // namespace kg::tools::shell
