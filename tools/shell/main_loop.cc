// Where the shell's entries come from: one entry at a time (an argument, a
// -cmd), a stream without prompts (a file, .read, piped standard input), or
// the prompt with line editing and history. How the lines of a stream or
// the prompt join into entries is in pending_entry.cc.

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/iri_prefixes.h"
#include "tools/shell/environment.h"
#include "tools/shell/line_editor.h"
#include "tools/shell/shell.h"
#include "tools/shell/sigint_scope.h"
#include "tools/shell/words.h"

namespace kg::tools::shell {
namespace {

constexpr char kPrompt[] = "kg> ";
constexpr char kContinuation[] = "   ...> ";
constexpr int kMaxReadDepth = 16;

// Multi-line entries are kept on one line unless a '#' comment would then
// swallow the rest.
std::string HistoryEntry(const std::string& entry) {
  std::string e(Trim(entry));
  if (e.find('#') != std::string::npos) return e;
  for (char& c : e) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return e;
}

}  // namespace

Shell::Shell(std::unique_ptr<Database> db, bool interactive)
    : db_(std::move(db)), interactive_(interactive) {
  timer_ = interactive;
  colour_ = interactive && isatty(STDERR_FILENO);
  prefixes_ = StorePrefixes(*db_);
}

bool Shell::RunEntry(const std::string& text, const Source& src) {
  std::string_view t = Trim(text);
  if (t.empty()) return !quit_;
  bool ok = t[0] == '.' ? RunDot(t, src) : RunSparql(std::string(t), src);
  return Continue(ok);
}

bool Shell::RunStream(std::istream& in, const std::string& name, bool live) {
  if (depth_ >= kMaxReadDepth) {
    Error(Source{name, 0}, "files read each other too deeply");
    return Continue(false);
  }
  ++depth_;
  PendingEntry entry;
  entry.src = Source{name, 0};
  int line_no = 0;
  std::string line;
  bool go_on = true;
  auto more_waiting = [&] {
    if (!live) return in.peek() != std::char_traits<char>::eof();
    return in.rdbuf()->in_avail() > 0 || InputWaiting(kPipeWaitMs);
  };
  while (go_on && std::getline(in, line)) {
    ++line_no;
    go_on = Feed(line, line_no, &entry, /*interactive=*/false, more_waiting());
  }
  if (go_on) go_on = Finish(&entry);
  --depth_;
  return go_on;
}

void Shell::RunInteractive() {
  std::string hist = HistoryFile();
  auto editor =
      LineEditor::Create(hist, [this](std::string_view before, size_t* start) {
        return Complete(before, start);
      });
  if (editor == nullptr) {
    RunStream(std::cin, "", /*live=*/true);
    return;
  }
  // Between prompts and queries (printing, parsing) a stray Ctrl-C must
  // not end the session: the flag it sets is cleared when a query starts.
  // While a line is edited libedit has ISIG off and handles ^C itself.
  SigintScope session_sigint;
  PendingEntry entry;
  int line_no = 0;
  while (!quit_) {
    bool interrupted = false;
    pending_empty_for_completion_ = entry.text.empty();
    std::cout.flush();  // libedit writes through stdio
    if (out_file_) out_file_->flush();
    std::optional<std::string> line = editor->ReadLine(
        entry.text.empty() ? kPrompt : kContinuation, &interrupted);
    if (interrupted) {
      entry.Clear();
      continue;
    }
    if (!line.has_value()) {
      // Ctrl-D: run what is pending (like an empty line), then leave.
      std::cout << "\n";
      Finish(&entry);
      break;
    }
    history_ = &ran_;
    Feed(*line, ++line_no, &entry, /*interactive=*/true, InputWaiting());
    history_ = nullptr;
    // The entries that ran (or dot commands): remembered whole.
    for (const std::string& text : ran_) editor->AddHistory(HistoryEntry(text));
    ran_.clear();
  }
}

// .read FILE: the file's entries as a stream; fails when any of them did.
bool Shell::CmdRead(std::string_view, const std::vector<std::string>& args) {
  if (args.size() != 1) return Usage(".read");
  std::ifstream in(args[0]);
  if (!in) {
    Error(cur_src_, absl::StrCat("cannot open ", args[0]));
    return false;
  }
  bool saved_failed = failed_;
  failed_ = false;
  bool go_on = RunStream(in, args[0]);
  bool ok = !failed_;
  failed_ = saved_failed;
  if (!go_on && !quit_) return false;
  return ok;
}

}  // namespace kg::tools::shell
