// libedit behind LineEditor (see line_editor.h). The native histedit
// API is used rather than libedit's readline emulation: it lets the shell
// bind its own functions to Tab and ^C and keeps history in its own file.

#include "tools/shell/line_editor.h"

#include <histedit.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <utility>

namespace kg::tools {

struct LineEditor::Impl {
  EditLine* el = nullptr;
  History* hist = nullptr;
  HistEvent ev{};
  std::string history_file;
  Completer completer;
  std::string prompt;
  bool interrupted = false;

  ~Impl() {
    if (el != nullptr) el_end(el);
    if (hist != nullptr) history_end(hist);
  }
};

namespace {

LineEditor::Impl* ImplOf(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return static_cast<LineEditor::Impl*>(data);
}

char* PromptOf(EditLine* el) {
  return const_cast<char*>(ImplOf(el)->prompt.c_str());
}

bool StartsWithFolded(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Lists `items` in columns below the line being edited.
void PrintColumns(const std::vector<std::string>& items) {
  size_t width = 0;
  for (const auto& s : items) width = std::max(width, s.size());
  width += 2;
  int cols = 80;
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    cols = ws.ws_col;
  }
  size_t per_line = std::max<size_t>(1, static_cast<size_t>(cols) / width);
  std::string out = "\n";
  for (size_t i = 0; i < items.size(); ++i) {
    out += items[i];
    if ((i + 1) % per_line == 0 || i + 1 == items.size()) {
      out += '\n';
    } else {
      out.append(width - items[i].size(), ' ');
    }
  }
  fputs(out.c_str(), stdout);
  fflush(stdout);
}

// Tab: complete the word before the cursor (the longest common prefix of
// the candidates), or list the candidates when that adds nothing.
unsigned char CompleteFn(EditLine* el, int /*ch*/) {
  LineEditor::Impl* impl = ImplOf(el);
  const LineInfo* li = el_line(el);
  std::string_view before(li->buffer,
                          static_cast<size_t>(li->cursor - li->buffer));
  size_t start = before.size();
  std::vector<std::string> cands = impl->completer(before, &start);
  if (start > before.size()) start = before.size();
  std::string_view word = before.substr(start);
  if (cands.empty()) return CC_REFRESH_BEEP;
  std::sort(cands.begin(), cands.end());
  cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
  if (cands.size() == 1) {
    std::string insert = cands[0];
    char last = insert.empty() ? ' ' : insert.back();
    if (last != ':' && last != '/' && last != '(') insert += ' ';
    el_deletestr(el, static_cast<int>(word.size()));
    el_insertstr(el, insert.c_str());
    return CC_REFRESH;
  }
  // Longest common prefix (case-folded, spelled as the first candidate).
  size_t common = cands[0].size();
  for (const auto& c : cands) {
    size_t i = 0;
    while (i < common && i < c.size() &&
           std::tolower(static_cast<unsigned char>(c[i])) ==
               std::tolower(static_cast<unsigned char>(cands[0][i]))) {
      ++i;
    }
    common = i;
  }
  if (common > word.size() &&
      StartsWithFolded(cands[0].substr(0, common), word)) {
    el_deletestr(el, static_cast<int>(word.size()));
    el_insertstr(el, cands[0].substr(0, common).c_str());
    return CC_REFRESH;
  }
  PrintColumns(cands);
  return CC_REDISPLAY;
}

// ^C: end the line, marked as interrupted.
unsigned char InterruptFn(EditLine* el, int /*ch*/) {
  LineEditor::Impl* impl = ImplOf(el);
  impl->interrupted = true;
  const LineInfo* li = el_line(el);
  el_cursor(el, static_cast<int>(li->lastchar - li->cursor));
  el_insertstr(el, "^C");
  el_push(el, "\n");
  return CC_REFRESH;
}

}  // namespace

LineEditor::LineEditor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LineEditor::~LineEditor() = default;

std::unique_ptr<LineEditor> LineEditor::Create(const std::string& history_file,
                                               Completer completer) {
  auto impl = std::make_unique<Impl>();
  impl->history_file = history_file;
  impl->completer = std::move(completer);
  impl->hist = history_init();
  history(impl->hist, &impl->ev, H_SETSIZE, 2000);
  history(impl->hist, &impl->ev, H_SETUNIQUE, 1);
  if (!history_file.empty()) {
    history(impl->hist, &impl->ev, H_LOAD, history_file.c_str());
  }
  impl->el = el_init("kg", stdin, stdout, stderr);
  if (impl->el == nullptr) return nullptr;
  EditLine* el = impl->el;
  el_set(el, EL_CLIENTDATA, impl.get());
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_SIGNAL, 1);
  el_set(el, EL_HIST, history, impl->hist);
  el_set(el, EL_PROMPT, &PromptOf);
  // ^C reaches the line editor as a character, not as SIGINT.
  el_set(el, EL_SETTY, "-d", "-isig", nullptr);
  el_set(el, EL_ADDFN, "kg-complete", "Complete the word at the cursor",
         &CompleteFn);
  el_set(el, EL_ADDFN, "kg-interrupt", "Drop the line being edited",
         &InterruptFn);
  el_set(el, EL_BIND, "^I", "kg-complete", nullptr);
  el_set(el, EL_BIND, "^C", "kg-interrupt", nullptr);
  el_set(el, EL_BIND, "^R", "em-inc-search-prev", nullptr);
  el_set(el, EL_BIND, "^S", "em-inc-search-next", nullptr);
  // ~/.editrc may rebind keys, as in other libedit programs.
  el_source(el, nullptr);
  return std::unique_ptr<LineEditor>(new LineEditor(std::move(impl)));
}

std::optional<std::string> LineEditor::ReadLine(const std::string& prompt,
                                                bool* interrupted) {
  impl_->prompt = prompt;
  impl_->interrupted = false;
  int count = 0;
  const char* line = el_gets(impl_->el, &count);
  *interrupted = impl_->interrupted;
  if (impl_->interrupted) return std::string();
  if (line == nullptr || count <= 0) return std::nullopt;
  std::string text(line, static_cast<size_t>(count));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

void LineEditor::AddHistory(const std::string& entry) {
  if (entry.find_first_not_of(" \t\r\n") == std::string::npos) return;
  history(impl_->hist, &impl_->ev, H_ENTER, entry.c_str());
  if (!impl_->history_file.empty()) {
    history(impl_->hist, &impl_->ev, H_SAVE, impl_->history_file.c_str());
  }
}

}  // namespace kg::tools
