// Where the shell's results and messages go: results to the .output file or
// standard output; errors, with the input line they come from, and notes
// (shown at the prompt only) to stderr; a failure recorded for the exit
// status and for -bail.

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/query_result.h"
#include "storage/base/absl_compat.h"
#include "tools/shell/environment.h"
#include "tools/shell/shell.h"

namespace kg::tools::shell {

bool Shell::Continue(bool ok) {
  if (!ok) {
    failed_ = true;
    if (bail_) return false;
  }
  return !quit_;
}

void Shell::Error(const Source& src, std::string_view message) {
  std::string where;
  if (!interactive_ || !src.name.empty()) {
    if (src.name.empty()) {
      where = absl::StrCat(" near line ", src.line);
    } else {
      where = absl::StrCat(" near line ", src.line, " of ", src.name);
    }
  }
  std::cout.flush();
  if (out_file_) out_file_->flush();
  if (colour_) {
    std::cerr << "\x1b[31mError" << where << ":\x1b[0m " << message << "\n";
  } else {
    std::cerr << "Error" << where << ": " << message << "\n";
  }
}

void Shell::Error(const Source& src, absl::string_view message) {
  Error(src, Sv(message));
}
void Shell::Error(const Source& src, const char* message) {
  Error(src, std::string_view(message));
}
void Shell::Error(const Source& src, const std::string& message) {
  Error(src, std::string_view(message));
}

void Shell::Note(std::string_view message) {
  if (interactive_) std::cerr << message << "\n";
}

std::ostream& Shell::Out() { return out_file_ ? *out_file_ : std::cout; }

bool Shell::OutIsTerminal() const {
  return !out_file_ && isatty(STDOUT_FILENO);
}

bool Shell::WriteTable(ResultTable table) {
  auto r = ResultFromTable(std::move(table));
  ResultWriteOptions wo;
  wo.prefixes = prefixes_;
  if (OutIsTerminal()) {
    TermSize ts = TerminalSize();
    wo.max_cell_width = static_cast<size_t>(std::max(8, ts.cols / 2));
  }
  absl::Status s = kg::WriteResult(*r, ResultFormat::kTable, Out(), wo);
  if (!s.ok()) {
    Error(cur_src_, s.message());
    return false;
  }
  return true;
}

}  // namespace kg::tools::shell
