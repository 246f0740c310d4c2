// Line editing for `kg shell` on top of libedit (BSD licence): emacs keys,
// arrow keys, Ctrl-R incremental history search, persistent history and tab
// completion through a callback.
//
// Ctrl-C at the prompt does not raise SIGINT: the terminal's ISIG flag is
// off while libedit edits a line, and ^C is bound to a function that ends
// the line and reports it as interrupted (the shell then drops the pending
// entry). Ctrl-D on an empty line is end of input.
//
// Thread-safety: one LineEditor per process, used by one thread.

#ifndef KGSTORE_TOOLS_SHELL_LINE_EDITOR_H_
#define KGSTORE_TOOLS_SHELL_LINE_EDITOR_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kg::tools {

class LineEditor {
 public:
  // Given the text before the cursor, returns the candidates for the word
  // that ends at the cursor and sets *word_start to where that word begins.
  using Completer = std::function<std::vector<std::string>(
      std::string_view before_cursor, size_t* word_start)>;

  // `history_file` is loaded now and saved after every entry (empty: no
  // persistent history).
  static std::unique_ptr<LineEditor> Create(const std::string& history_file,
                                            Completer completer);
  ~LineEditor();

  // Reads one line (without its newline). std::nullopt at end of input
  // (Ctrl-D on an empty line). *interrupted is set when Ctrl-C ended the
  // line; the returned text is then meaningless.
  std::optional<std::string> ReadLine(const std::string& prompt,
                                      bool* interrupted);

  // Adds an entry (possibly several lines) to the history and saves it.
  void AddHistory(const std::string& entry);

  struct Impl;  // libedit state (line_editor.cc)

 private:
  explicit LineEditor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kg::tools

#endif  // KGSTORE_TOOLS_SHELL_LINE_EDITOR_H_
