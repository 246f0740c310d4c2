// What the shell takes from its surroundings: the home directory and the
// files under it ($KG_HOME, $KG_HISTORY), and the terminal's size.

#ifndef KGSTORE_TOOLS_SHELL_ENVIRONMENT_H_
#define KGSTORE_TOOLS_SHELL_ENVIRONMENT_H_

#include <string>

namespace kg::tools::shell {

// $HOME, or "" when it is not set.
std::string HomeDir();

// The store `kg shell` opens without a DB argument: $KG_HOME/seed, else
// ~/.local/share/kgstore/seed.
std::string DefaultStorePath();

// The history file: $KG_HISTORY ("" turns persistent history off), else
// ~/.kg_history.
std::string HistoryFile();

struct TermSize {
  int cols = 80;
  int rows = 24;
};

// Standard output's terminal size, else $COLUMNS and $LINES, else 80x24.
TermSize TerminalSize();

}  // namespace kg::tools::shell

#endif  // KGSTORE_TOOLS_SHELL_ENVIRONMENT_H_
