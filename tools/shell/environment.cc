// What the shell takes from its surroundings (environment.h).

#include "tools/shell/environment.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace kg::tools::shell {

std::string HomeDir() {
  const char* home = std::getenv("HOME");
  return home != nullptr ? home : "";
}

std::string DefaultStorePath() {
  const char* kg_home = std::getenv("KG_HOME");
  if (kg_home != nullptr && *kg_home != '\0')
    return std::string(kg_home) + "/seed";
  return HomeDir() + "/.local/share/kgstore/seed";
}

std::string HistoryFile() {
  const char* h = std::getenv("KG_HISTORY");
  if (h != nullptr) return h;  // "" turns persistent history off
  std::string home = HomeDir();
  return home.empty() ? "" : home + "/.kg_history";
}

TermSize TerminalSize() {
  TermSize ts;
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    ts.cols = ws.ws_col;
    ts.rows = ws.ws_row > 0 ? ws.ws_row : ts.rows;
    return ts;
  }
  if (const char* c = std::getenv("COLUMNS"))
    ts.cols = std::max(20, std::atoi(c));
  if (const char* l = std::getenv("LINES")) ts.rows = std::max(8, std::atoi(l));
  return ts;
}

}  // namespace kg::tools::shell
