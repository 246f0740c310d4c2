// How lines join into an entry: a dot command is one line; SPARQL text runs
// as soon as the engine classifies it as a complete query or update
// (engine/request_text.h), or on an empty line. A complete entry whose next
// line has already arrived waits for that line (the look-ahead), which may
// continue it with an ORDER BY or LIMIT; on piped input the next line gets
// a short while to arrive (the pipe wait). A prologue waits for its query.

#include <poll.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <utility>

#include "engine/request_text.h"
#include "tools/shell/shell.h"
#include "tools/shell/words.h"

namespace kg::tools::shell {

bool Shell::InputWaiting(int wait_ms) {
  pollfd p{STDIN_FILENO, POLLIN, 0};
  return poll(&p, 1, wait_ms) > 0 && (p.revents & (POLLIN | POLLHUP)) != 0;
}

bool Shell::Finish(PendingEntry* e) {
  if (e->held) {
    RequestClassification c = std::move(*e->held);
    Source src = e->src;
    e->Clear();
    Remember(c.text);
    return Continue(RunClassified(c, src));
  }
  if (OnlyComments(e->text)) {
    e->Clear();
    return !quit_;
  }
  std::string text = std::move(e->text);
  Source src = e->src;
  e->Clear();
  Remember(text);
  return Continue(RunSparql(text, src));
}

bool Shell::Feed(const std::string& line, int line_no, PendingEntry* e,
                 bool interactive, bool more_waiting) {
  std::string_view t = Trim(line);
  if (e->held) {
    bool continues = false;
    if (!t.empty() && t[0] != '.') {
      RequestClassification c =
          ClassifyRequest(e->text + line + "\n", QueryOpts());
      continues =
          c.kind != RequestKind::kInvalid && c.kind != RequestKind::kPrologue;
    }
    if (!continues) {
      // The held entry is whole: run it, then read this line afresh.
      if (!Finish(e)) return false;
      if (t.empty()) return !quit_;
      return Feed(line, line_no, e, interactive, more_waiting);
    }
    e->held.reset();
  } else if (e->text.empty()) {
    if (t.empty()) return !quit_;
    if (t[0] == '.') {
      Remember(line);
      return Continue(RunDot(t, Source{e->src.name, line_no}));
    }
    // A comment line at the prompt is dropped; in a file it is kept with
    // the entry it precedes, so the parser's line numbers stay right.
    if (t[0] == '#' && interactive) return !quit_;
    e->src.line = line_no;
  }
  e->text.append(line);
  e->text.push_back('\n');
  if (OnlyComments(e->text)) return !quit_;
  RequestClassification c = ClassifyRequest(e->text, QueryOpts());
  switch (c.kind) {
    case RequestKind::kPrologue:
      // Waits for its query, across empty lines too.
      return !quit_;
    case RequestKind::kIncomplete:
    case RequestKind::kMayGrow:
      // An empty line runs it (and shows what is wrong).
      if (!t.empty()) return !quit_;
      break;
    case RequestKind::kQuery:
    case RequestKind::kUpdate:
      // A ';' at the end of the line ends the entry, as in sqlite3.
      if (more_waiting && (t.empty() || t.back() != ';')) {
        e->held = std::move(c);
        return !quit_;
      }
      break;
    case RequestKind::kInvalid:
      break;
  }
  Source src = e->src;
  Remember(e->text);
  e->Clear();
  return Continue(RunClassified(c, src));
}

void Shell::Remember(const std::string& text) {
  if (history_ != nullptr) history_->push_back(text);
}

}  // namespace kg::tools::shell
