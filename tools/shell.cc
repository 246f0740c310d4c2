// `kg shell [DB] [COMMAND...]`: the interactive SPARQL shell, modelled on
// sqlite3's shell (sqlite/sqlite: src/shell.c.in).
//
// - Interactive when standard input is a terminal: libedit line editing
//   (tools/shell_line_editor.h), history in ~/.kg_history ($KG_HISTORY),
//   ~/.kgshellrc read at start, prompts, results cut to the screen.
// - Batch otherwise: no prompts or colours, whole results, errors on stderr
//   with the input line, exit status 1 when anything failed (-bail stops at
//   the first failure).
// - Extra arguments after DB run as entries, and standard input is then not
//   read. Order at start, as in sqlite3: the rc file (or -init FILE), each
//   -cmd COMMAND, then the arguments or the input.
// - An entry is a dot command (one line), or SPARQL text that runs as soon
//   as it parses as a complete query or update, or on an empty line. The
//   engine decides (engine/request_text.h), with the prefixes the entry
//   will run with. A prologue (PREFIX/BASE lines) keeps the entry open,
//   across empty lines, until its query or update has come; a prologue
//   that nothing follows (end of input, an argument, a -cmd) declares its
//   prefixes for the session, as .prefix does.
// - One table, kCommands, drives dispatch, .help and completion.
// - Ctrl-C while a query runs sets QueryOptions::cancel from a SIGINT
//   handler that is installed only around the query; at the prompt the line
//   editor handles ^C itself.

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/database.h"
#include "engine/graph_export.h"
#include "engine/iri_prefixes.h"
#include "engine/query_result.h"
#include "engine/request_text.h"
#include "storage/base/absl_compat.h"
#include "storage/rdf/rdf_format.h"
#include "tools/commands.h"
#include "tools/shell_line_editor.h"

namespace kg::tools {
namespace {

constexpr char kPrompt[] = "kg> ";
constexpr char kContinuation[] = "   ...> ";
constexpr int kMaxReadDepth = 16;

// ---- Ctrl-C while a query runs ---------------------------------------------

std::atomic<bool> g_cancel{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void OnSigint(int /*sig*/) { g_cancel.store(true); }

// Installs OnSigint for its lifetime and restores the previous handler.
class SigintScope {
 public:
  SigintScope() {
    g_cancel.store(false);
    struct sigaction sa {};
    sa.sa_handler = OnSigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, &old_);
  }
  ~SigintScope() { sigaction(SIGINT, &old_, nullptr); }
  SigintScope(const SigintScope&) = delete;
  SigintScope& operator=(const SigintScope&) = delete;

 private:
  struct sigaction old_ {};
};

// ---- small helpers
// -----------------------------------------------------------

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits on blanks; "double quoted" or 'single quoted' words keep blanks.
std::vector<std::string> SplitArgs(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    std::string word;
    if (s[i] == '"' || s[i] == '\'') {
      char q = s[i++];
      while (i < s.size() && s[i] != q) word.push_back(s[i++]);
      if (i < s.size()) ++i;
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) {
        word.push_back(s[i++]);
      }
    }
    out.push_back(std::move(word));
  }
  return out;
}

// The rest of `s` after skipping `n` blank-separated words.
std::string_view AfterWords(std::string_view s, int n) {
  size_t i = 0;
  for (int k = 0; k < n; ++k) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
      char q = s[i++];
      while (i < s.size() && s[i] != q) ++i;
      if (i < s.size()) ++i;
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])))
        ++i;
    }
  }
  return Trim(s.substr(std::min(i, s.size())));
}

// True when `text` holds nothing but blanks and '#' comment lines.
bool OnlyComments(std::string_view text) {
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = Trim(
        text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos));
    if (!line.empty() && line[0] != '#') return false;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return true;
}

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

struct TermSize {
  int cols = 80;
  int rows = 24;
};

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

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

bool IsPnLocalChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
         c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

Term IntegerTerm(uint64_t n) {
  return Term::Literal(std::to_string(n), std::string(kXsdInteger));
}


constexpr const char* kModes[] = {"table", "csv",    "tsv",     "json",
                                  "xml",   "turtle", "ntriples"};

// ---- the shell -------------------------------------------------------------

struct ShellArgs {
  std::string db;
  bool db_given = false;
  std::vector<std::string> commands;  // after DB
  std::vector<std::string> cmd;       // -cmd
  std::string init;                   // -init
  bool bail = false;
  bool read_only = false;
};

// Where input comes from, for error messages ("near line N of FILE").
struct Source {
  std::string name;  // empty: standard input or the terminal
  int line = 0;      // line of the entry being run
};

class Shell;

struct DotCommand {
  const char* name;
  const char* usage;
  const char* help;
  // Returns false when the command failed.
  bool (Shell::*run)(std::string_view rest,
                     const std::vector<std::string>& args);
};

class Shell {
 public:
  Shell(std::unique_ptr<Database> db, bool interactive)
      : db_(std::move(db)), interactive_(interactive) {
    timer_ = interactive;
    colour_ = interactive && isatty(STDERR_FILENO);
    prefixes_ = StorePrefixes(*db_);
  }

  // Batch input fails with status 1 when an entry failed; an interactive
  // session ends with 0 (the errors were seen).
  int exit_code() const { return failed_ && !interactive_ ? 1 : 0; }
  bool quit() const { return quit_; }
  void set_bail(bool bail) { bail_ = bail; }

  // Runs one complete entry (an argument, a -cmd). False: stop (bail/quit).
  bool RunEntry(const std::string& text, const Source& src) {
    std::string_view t = Trim(text);
    if (t.empty()) return !quit_;
    bool ok = t[0] == '.' ? RunDot(t, src) : RunSparql(std::string(t), src);
    return Continue(ok);
  }

  // Reads entries from a stream without prompts. False: stop (bail/quit).
  // `live` is true for standard input, where more lines may not have been
  // written yet: a complete entry then waits for the next line only when
  // that line has already arrived (a paste), never for the writer.
  bool RunStream(std::istream& in, const std::string& name, bool live = false) {
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

  // The interactive loop: prompts, line editing, history.
  void RunInteractive() {
    std::string hist = HistoryFile();
    auto editor = LineEditor::Create(
        hist, [this](std::string_view before, size_t* start) {
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

 private:
  // ---- entries -------------------------------------------------------------

  // An entry being typed or read: its text so far, where it started, and,
  // when the text is already a complete query or update that the next line
  // may still continue (an ORDER BY or LIMIT on a line of its own), its
  // classification, held until that line shows whether it does.
  struct PendingEntry {
    std::string text;
    Source src;
    std::optional<RequestClassification> held;

    // Drops the entry, keeping the name of the input it comes from.
    void Clear() {
      text.clear();
      held.reset();
    }
  };

  // True when more input arrives on standard input within `wait_ms`: a
  // paste of several lines, or a pipe whose writer is ahead of us or close
  // behind. (End of input counts too: the next read then tells.)
  static bool InputWaiting(int wait_ms = 0) {
    pollfd p{STDIN_FILENO, POLLIN, 0};
    return poll(&p, 1, wait_ms) > 0 && (p.revents & (POLLIN | POLLHUP)) != 0;
  }
  // How long piped input may lag behind before a complete entry runs
  // without its next line: long enough for a program that produces a
  // query line by line, short enough for one that waits for each answer
  // (which can also end the entry with ';' or an empty line to get it at
  // once).
  static constexpr int kPipeWaitMs = 250;

  // Runs what is pending at the end of the input. False: stop.
  bool Finish(PendingEntry* e) {
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

  // Adds line `line_no` to the pending entry and runs the entry when it is
  // complete. `more_waiting`: the next line has already arrived, so a
  // complete entry waits to see whether that line continues it. Returns
  // false to stop reading (bail or quit).
  bool Feed(const std::string& line, int line_no, PendingEntry* e,
            bool interactive, bool more_waiting) {
    std::string_view t = Trim(line);
    if (e->held) {
      bool continues = false;
      if (!t.empty() && t[0] != '.') {
        RequestClassification c =
            ClassifyRequest(e->text + line + "\n", QueryOpts());
        continues = c.kind != RequestKind::kInvalid &&
                    c.kind != RequestKind::kPrologue;
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

  // At the prompt, entries that ran go to the history.
  void Remember(const std::string& text) {
    if (history_ != nullptr) history_->push_back(text);
  }

  bool Continue(bool ok) {
    if (!ok) {
      failed_ = true;
      if (bail_) return false;
    }
    return !quit_;
  }

  void Error(const Source& src, std::string_view message) {
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

  void Error(const Source& src, absl::string_view message) {
    Error(src, Sv(message));
  }
  void Error(const Source& src, const char* message) {
    Error(src, std::string_view(message));
  }
  void Error(const Source& src, const std::string& message) {
    Error(src, std::string_view(message));
  }

  void Note(std::string_view message) {
    if (interactive_) std::cerr << message << "\n";
  }

  std::ostream& Out() { return out_file_ ? *out_file_ : std::cout; }
  bool OutIsTerminal() const { return !out_file_ && isatty(STDOUT_FILENO); }

  QueryOptions QueryOpts() const {
    QueryOptions qo;
    qo.prefixes = prefixes_;
    qo.timeout_ms = timeout_ms_;
    qo.memory_limit_bytes = memory_limit_bytes_;
    qo.allow_file_access = true;  // the shell's user owns the files
    qo.cancel = &g_cancel;
    return qo;
  }

  bool RunSparql(const std::string& text, const Source& src) {
    return RunClassified(ClassifyRequest(text, QueryOpts()), src);
  }

  bool RunClassified(const RequestClassification& c, const Source& src) {
    switch (c.kind) {
      case RequestKind::kQuery:
        last_query_ = c.text;
        last_query_is_graph_ = false;
        return RunQuery(c.text, src, nullptr, std::nullopt);
      case RequestKind::kUpdate:
        return RunUpdate(c.text, src);
      case RequestKind::kPrologue:
        // Nothing followed it: its prefixes hold for the session.
        for (const auto& [name, iri] : c.prefixes) {
          prefixes_[name] = iri;
          Note(absl::StrCat("prefix ", name, ": <", iri, "> declared"));
        }
        return true;
      case RequestKind::kIncomplete:
      case RequestKind::kMayGrow:
      case RequestKind::kInvalid:
        Error(src, absl::StrCat(c.message, DanglingClauseHint(c.text)));
        return false;
    }
    return false;
  }

  // An entry that starts with a clause of a query (ORDER BY, LIMIT, ...)
  // is most likely the tail of the previous entry, which already ran.
  static std::string DanglingClauseHint(std::string_view text) {
    std::string_view t = Trim(text);
    size_t n = 0;
    while (n < t.size() && std::isalpha(static_cast<unsigned char>(t[n]))) ++n;
    std::string word(t.substr(0, n));
    for (char& ch : word) ch = static_cast<char>(std::toupper(ch));
    for (const char* clause :
         {"ORDER", "LIMIT", "OFFSET", "GROUP", "HAVING", "VALUES"}) {
      if (word == clause)
        return absl::StrCat("\n(", word,
                            " belongs to a query: the query before it already "
                            "ran. Keep the clause with its query, before any "
                            "empty line or ';'.)");
    }
    return "";
  }

  // Runs a query and writes its result in `format` (default: the mode) to
  // `out` (default: the .output target).
  bool RunQuery(const std::string& text, const Source& src, std::ostream* out,
                std::optional<ResultFormat> format) {
    auto start = std::chrono::steady_clock::now();
    SigintScope sigint;
    auto result = db_->Query(text, QueryOpts());
    if (!result.ok()) {
      Error(src, result.status().message());
      return false;
    }
    QueryResult& r = **result;
    ResultFormat f = format.value_or(mode_);
    bool is_graph = r.kind() == QueryResult::Kind::kGraph;
    if (text == last_query_) last_query_is_graph_ = is_graph;
    if (is_graph && f != ResultFormat::kTable && f != ResultFormat::kTurtle &&
        f != ResultFormat::kNTriples) {
      f = ResultFormat::kTurtle;
    }
    if (!is_graph &&
        (f == ResultFormat::kTurtle || f == ResultFormat::kNTriples)) {
      f = r.kind() == QueryResult::Kind::kBoolean ? ResultFormat::kTable
                                                  : ResultFormat::kTsv;
    }
    ResultWriteOptions wo;
    wo.prefixes = prefixes_;
    std::ostream& dest = out != nullptr ? *out : Out();
    bool screen = out == nullptr && OutIsTerminal();
    absl::Status status;
    if (f == ResultFormat::kTable) {
      if (screen) {
        TermSize ts = TerminalSize();
        size_t cols = is_graph ? 3 : std::max<size_t>(1, r.variables().size());
        int room = ts.cols - 3 * static_cast<int>(cols) + 1;
        wo.max_cell_width =
            static_cast<size_t>(std::max(8, room / static_cast<int>(cols)));
        // At the prompt a long result shows a screenful and the count of
        // the rest; arguments on a terminal get every row.
        if (interactive_)
          wo.max_rows = static_cast<uint64_t>(std::max(3, ts.rows - 5));
      }
      std::ostringstream buf;
      status = WriteResult(r, f, buf, wo);
      std::string table = buf.str();
      // A cut result still shows its rows, and its footer says why.
      if (status.ok() && timer_ && !table.empty() && table.back() == '\n') {
        table.pop_back();
        table += absl::StrFormat(" (%.3f s)\n", SecondsSince(start));
      }
      dest << table;
    } else {
      status = WriteResult(r, f, dest, wo);
      if (status.ok() && timer_ && screen) {
        dest << absl::StrFormat("Run Time: %.3f s\n", SecondsSince(start));
      }
    }
    dest.flush();
    if (!status.ok()) {
      if (absl::IsCancelled(status)) {
        Error(src, "interrupted");
      } else {
        Error(src, status.message());
      }
      return false;
    }
    return true;
  }

  bool RunUpdate(const std::string& text, const Source& src) {
    SigintScope sigint;
    auto summary = db_->Update(text, QueryOpts());
    if (!summary.ok()) {
      Error(src,
            absl::StrCat(summary.status().message(), " (nothing was changed)"));
      return false;
    }
    vocabulary_loaded_ = false;
    if (interactive_ || timer_) {
      std::cerr << absl::StrFormat(
          "%d quad%s inserted, %d removed (%.3f s)\n", summary->inserted,
          summary->inserted == 1 ? "" : "s", summary->removed,
          summary->seconds);
    }
    return true;
  }

  // ---- dot commands
  // ----------------------------------------------------------

  static const std::vector<DotCommand>& Commands();

  bool RunDot(std::string_view line, const Source& src) {
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

  bool Usage(const char* name) {
    for (const DotCommand& c : Commands()) {
      if (std::string_view(c.name) == name) {
        Error(cur_src_, absl::StrCat("usage: ", c.name, " ", c.usage));
      }
    }
    return false;
  }

  bool CmdHelp(std::string_view, const std::vector<std::string>& args) {
    std::ostream& o = Out();
    for (const DotCommand& c : Commands()) {
      if (!args.empty() && args[0] != c.name && "." + args[0] != c.name)
        continue;
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

  bool CmdPrefix(std::string_view, const std::vector<std::string>& args) {
    if (args.size() != 2) return Usage(".prefix");
    std::string name = args[0];
    if (!name.empty() && name.back() == ':') name.pop_back();
    std::string iri = args[1];
    if (iri.size() >= 2 && iri.front() == '<' && iri.back() == '>') {
      iri = iri.substr(1, iri.size() - 2);
    }
    for (char c : name) {
      if (!IsPnLocalChar(c)) {
        Error(cur_src_, absl::StrCat("not a prefix name: ", name));
        return false;
      }
    }
    prefixes_[name] = iri;
    vocabulary_loaded_ = false;
    return true;
  }

  bool CmdPrefixes(std::string_view, const std::vector<std::string>&) {
    for (const auto& [name, iri] : prefixes_) {
      Out() << "PREFIX " << name << ": <" << iri << ">\n";
    }
    return true;
  }

  bool CmdMode(std::string_view, const std::vector<std::string>& args) {
    if (args.empty()) {
      Out() << "current mode: " << mode_name_ << "\n";
      return true;
    }
    if (args.size() != 1) return Usage(".mode");
    auto f = ResultFormatFromName(Lower(args[0]));
    if (!f.ok()) {
      Error(cur_src_,
            absl::StrCat("unknown mode ", args[0],
                         "; one of table csv tsv json xml turtle ntriples"));
      return false;
    }
    mode_ = *f;
    mode_name_ = Lower(args[0]);
    return true;
  }

  static std::optional<bool> OnOff(const std::vector<std::string>& args) {
    if (args.size() != 1) return std::nullopt;
    std::string v = Lower(args[0]);
    if (v == "on" || v == "1" || v == "yes" || v == "true") return true;
    if (v == "off" || v == "0" || v == "no" || v == "false") return false;
    return std::nullopt;
  }

  bool CmdTimer(std::string_view, const std::vector<std::string>& args) {
    auto v = OnOff(args);
    if (!v) return Usage(".timer");
    timer_ = *v;
    return true;
  }

  bool CmdBail(std::string_view, const std::vector<std::string>& args) {
    auto v = OnOff(args);
    if (!v) return Usage(".bail");
    bail_ = *v;
    return true;
  }

  bool Explain(std::string_view rest, bool profile) {
    std::string text = rest.empty() ? last_query_ : std::string(rest);
    if (text.empty()) return Usage(profile ? ".profile" : ".explain");
    SigintScope sigint;
    auto plan = db_->Explain(text, profile, QueryOpts());
    if (!plan.ok()) {
      if (absl::IsCancelled(plan.status())) {
        Error(cur_src_, "interrupted");
      } else {
        Error(cur_src_, plan.status().message());
      }
      return false;
    }
    Out() << *plan;
    if (!plan->empty() && plan->back() != '\n') Out() << "\n";
    Out().flush();
    return true;
  }
  bool CmdExplain(std::string_view rest, const std::vector<std::string>&) {
    return Explain(rest, false);
  }
  bool CmdProfile(std::string_view rest, const std::vector<std::string>&) {
    return Explain(rest, true);
  }

  bool CmdLoad(std::string_view, const std::vector<std::string>& args) {
    if (args.empty() || args.size() > 2) return Usage(".load");
    LoadOptions lo;
    if (args.size() == 2) {
      std::string g = args[1];
      if (g.size() >= 2 && g.front() == '<' && g.back() == '>')
        g = g.substr(1, g.size() - 2);
      lo.graph = Term::Iri(g);
    }
    auto summary = db_->LoadFile(args[0], lo);
    if (!summary.ok()) {
      Error(cur_src_,
            absl::StrCat(summary.status().message(), " (nothing was loaded)"));
      return false;
    }
    vocabulary_loaded_ = false;
    AddStorePrefixes();
    if (interactive_ || timer_) {
      std::cerr << absl::StrFormat(
          "%d statements read, %d quads added, %d duplicates (%.3f s)\n",
          summary->statements, summary->quads_added, summary->duplicates,
          summary->seconds);
    }
    return true;
  }

  bool CmdRead(std::string_view, const std::vector<std::string>& args) {
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

  bool CmdOutput(std::string_view, const std::vector<std::string>& args) {
    if (args.size() > 1) return Usage(".output");
    out_file_.reset();
    if (args.empty() || args[0] == "stdout" || args[0] == "-") return true;
    auto f = std::make_unique<std::ofstream>(
        args[0], std::ios::binary | std::ios::trunc);
    if (!*f) {
      Error(cur_src_, absl::StrCat("cannot write ", args[0]));
      return false;
    }
    out_file_ = std::move(f);
    return true;
  }

  bool CmdExport(std::string_view rest, const std::vector<std::string>& args) {
    if (args.size() < 2) return Usage(".export");
    std::string format = Lower(args[0]);
    std::string file = args[1];
    std::string text(AfterWords(rest, 2));
    if (text.empty()) text = last_query_;
    auto f = ResultFormatFromName(format);
    // Result formats first ("json" is SPARQL JSON here; "cytoscape" is the
    // graph JSON).
    auto graph_format = ExportFormatFromName(format);
    if ((!f.ok() || *f == ResultFormat::kTable) && graph_format.ok()) {
      return ExportGraphTo(*graph_format, file, AfterWords(rest, 2));
    }
    if (!f.ok() || *f == ResultFormat::kTable) {
      Error(cur_src_, absl::StrCat("unknown export format ", args[0],
                                   "; one of ", ExportFormats()));
      return false;
    }
    if (text.empty()) {
      Error(
          cur_src_,
          "no query to export: give one after the file name, or run one first");
      return false;
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) {
      Error(cur_src_, absl::StrCat("cannot write ", file));
      return false;
    }
    bool saved_timer = timer_;
    timer_ = false;
    bool ok = RunQuery(text, cur_src_, &out, *f);
    timer_ = saved_timer;
    if (ok) Note(absl::StrCat("wrote ", file));
    return ok;
  }

  static std::string ExportFormats() {
    return "csv tsv json xml ntriples turtle (results), "
           "dot graphml gexf cytoscape html (graphs)";
  }

  // .export dot|graphml|gexf|cytoscape|html FILE [CONSTRUCT-QUERY | around
  // IRI [HOPS]]: the graph of the query (default: the last query when it
  // was a CONSTRUCT or DESCRIBE, else the whole store) or of a
  // neighbourhood, through engine/graph_export.h.
  bool ExportGraphTo(ExportFormat format, const std::string& file,
                     std::string_view selection) {
    ExportOptions eo;
    eo.format = format;
    eo.prefixes = prefixes_;
    eo.query_options = QueryOpts();
    std::vector<std::string> words = SplitArgs(selection);
    if (!words.empty() && Lower(words[0]) == "around") {
      if (words.size() < 2 || words.size() > 3) return Usage(".export");
      auto term = ResolveIri(words[1]);
      if (!term.has_value()) {
        Error(cur_src_,
              absl::StrCat("not an IRI or known prefixed name: ", words[1]));
        return false;
      }
      eo.around = *term;
      if (words.size() == 3) eo.hops = std::atoi(words[2].c_str());
    } else if (!selection.empty()) {
      eo.query = std::string(selection);
    } else if (last_query_is_graph_) {
      eo.query = last_query_;
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) {
      Error(cur_src_, absl::StrCat("cannot write ", file));
      return false;
    }
    ExportSummary summary;
    absl::Status s;
    {
      SigintScope sigint;
      s = kg::ExportGraph(*db_, eo, out, &summary);
    }
    out.close();
    if (!s.ok()) {
      Error(cur_src_, absl::IsCancelled(s) ? absl::string_view("interrupted")
                                           : s.message());
      return false;
    }
    Note(absl::StrFormat("wrote %s: %d nodes, %d edges, %d classes", file,
                         summary.nodes, summary.edges, summary.classes));
    return true;
  }

  // <iri>, prefix:local or a full IRI.
  std::optional<Term> ResolveIri(const std::string& word) const {
    if (word.size() >= 2 && word.front() == '<' && word.back() == '>') {
      return Term::Iri(word.substr(1, word.size() - 2));
    }
    if (word.find("://") != std::string::npos) return Term::Iri(word);
    if (auto iri = ExpandPrefixedName(word, prefixes_)) return Term::Iri(*iri);
    return std::nullopt;
  }

  bool CmdStats(std::string_view, const std::vector<std::string>&) {
    DatabaseStatistics st = db_->Statistics();
    std::ostream& o = Out();
    o << absl::StrFormat(
        "quads %d, on disk %.1f MiB, %d graphs, %d predicates\n", st.quads,
        static_cast<double>(st.disk_bytes) / (1 << 20), st.graphs.size(),
        st.predicates.size());
    ResultTable graphs;
    graphs.variables = {"graph", "quads"};
    for (const GraphSummary& g : st.graphs) {
      graphs.rows.push_back(
          {g.graph.has_value()
               ? std::optional<Term>(*g.graph)
               : std::optional<Term>(Term::Literal("(default graph)")),
           IntegerTerm(g.quads)});
    }
    if (!WriteTable(std::move(graphs))) return false;
    ResultTable preds;
    preds.variables = {"predicate", "quads", "subjects", "objects"};
    for (const PredicateSummary& p : st.predicates) {
      preds.rows.push_back({p.predicate, IntegerTerm(p.quads),
                            IntegerTerm(p.distinct_subjects),
                            IntegerTerm(p.distinct_objects)});
    }
    return WriteTable(std::move(preds));
  }

  bool CmdSchema(std::string_view, const std::vector<std::string>&) {
    DatabaseStatistics st = db_->Statistics();
    ResultTable preds;
    preds.variables = {"predicate", "quads"};
    for (const PredicateSummary& p : st.predicates) {
      preds.rows.push_back({p.predicate, IntegerTerm(p.quads)});
    }
    if (!WriteTable(std::move(preds))) return false;
    auto classes = ClassCounts();
    if (!classes.ok()) {
      Error(cur_src_, classes.status().message());
      return false;
    }
    ResultTable table;
    table.variables = {"class", "instances"};
    for (auto& [iri, n] : *classes)
      table.rows.push_back({Term::Iri(iri), IntegerTerm(n)});
    return WriteTable(std::move(table));
  }

  bool WriteTable(ResultTable table) {
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

  // Classes (objects of rdf:type) with their instance counts, most first.
  absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>> ClassCounts() {
    QueryOptions qo = QueryOpts();
    SigintScope sigint;
    auto r = db_->Query(
        "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/1999/02/"
        "22-rdf-syntax-ns#type> ?c } GROUP BY ?c ORDER BY DESC(?n) ?c",
        qo);
    if (!r.ok()) return r.status();
    std::vector<std::pair<std::string, uint64_t>> out;
    Row row;
    for (;;) {
      auto more = (*r)->NextRow(&row);
      if (!more.ok()) return more.status();
      if (!*more) break;
      if (row.size() < 2 || !row[0] || !row[0]->is_iri()) continue;
      uint64_t n =
          row[1] ? std::strtoull(row[1]->lexical.c_str(), nullptr, 10) : 0;
      out.emplace_back(row[0]->lexical, n);
    }
    return out;
  }

  bool CmdTimeout(std::string_view, const std::vector<std::string>& args) {
    if (args.empty()) {
      Out() << "timeout: "
            << (timeout_ms_ == 0 ? std::string("none")
                                 : absl::StrCat(timeout_ms_, " ms"))
            << "\n";
      return true;
    }
    char* end = nullptr;
    long long ms = std::strtoll(args[0].c_str(), &end, 10);
    if (args.size() != 1 || end == args[0].c_str() || *end != '\0' || ms < 0) {
      return Usage(".timeout");
    }
    timeout_ms_ = ms;
    return true;
  }

  bool CmdQuit(std::string_view, const std::vector<std::string>&) {
    quit_ = true;
    return true;
  }

  // ---- prefixes, vocabulary and completion ---------------------------------

  // The store's prefixes (StorePrefixes, engine/iri_prefixes.h) for the
  // names the session has not bound: after a load adds data.
  void AddStorePrefixes() {
    for (auto& [name, iri] : StorePrefixes(*db_)) prefixes_.emplace(name, iri);
  }

  void LoadVocabulary() {
    if (vocabulary_loaded_) return;
    vocabulary_loaded_ = true;
    vocabulary_.clear();
    DatabaseStatistics st = db_->Statistics();
    for (const PredicateSummary& p : st.predicates) {
      if (p.predicate.is_iri())
        vocabulary_.push_back(ShortenIri(p.predicate.lexical, prefixes_));
    }
    auto classes = ClassCounts();
    if (classes.ok()) {
      for (const auto& c : *classes)
        vocabulary_.push_back(ShortenIri(c.first, prefixes_));
    }
  }

  std::vector<std::string> Complete(std::string_view before, size_t* start) {
    // The word before the cursor.
    size_t b = before.size();
    while (b > 0) {
      char c = before[b - 1];
      if (std::isspace(static_cast<unsigned char>(c)) ||
          std::string_view("{}(),;|^!=").find(c) != std::string_view::npos) {
        break;
      }
      --b;
    }
    std::string_view word = before.substr(b);
    if (!word.empty() && word[0] != '<') {
      size_t slash = word.rfind('/');
      if (slash != std::string_view::npos) {
        b += slash + 1;
        word = before.substr(b);
      }
    }
    *start = b;
    std::vector<std::string> out;
    std::string_view lead = Trim(before);
    bool in_dot =
        pending_empty_for_completion_ && !lead.empty() && lead[0] == '.';
    if (in_dot) {
      std::vector<std::string> words = SplitArgs(before);
      bool first = b == before.find_first_not_of(" \t");
      if (first) {
        for (const DotCommand& c : Commands()) {
          if (std::string_view(c.name).substr(0, word.size()) == word)
            out.push_back(c.name);
        }
        return out;
      }
      std::string cmd = words.empty() ? "" : words[0];
      size_t arg_index = words.size() - (word.empty() ? 0 : 1);
      if (cmd == ".mode" && arg_index == 1) return Matching(kModes, word);
      if ((cmd == ".timer" || cmd == ".bail") && arg_index == 1) {
        return Matching({"on", "off"}, word);
      }
      if (cmd == ".export" && arg_index == 1) {
        return Matching({"csv", "tsv", "json", "xml", "ntriples", "turtle",
                         "dot", "graphml", "gexf", "cytoscape", "html"},
                        word);
      }
      if (cmd == ".read" || cmd == ".load" || cmd == ".output" ||
          (cmd == ".export" && arg_index == 2)) {
        return FileNames(word);
      }
      if (cmd != ".explain" && cmd != ".profile" && cmd != ".export")
        return out;
    }
    if (word.empty() || word[0] == '?' || word[0] == '$' || word[0] == '"')
      return out;
    bool lower = std::any_of(word.begin(), word.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c));
    });
    std::string folded = Lower(word);
    for (const std::string& kw : QueryLanguageWords()) {
      if (Lower(kw).rfind(folded, 0) == 0) {
        bool mixed = std::any_of(kw.begin(), kw.end(), [](char c) {
          return std::islower(static_cast<unsigned char>(c));
        });
        out.push_back(lower && !mixed ? Lower(kw) : kw);
      }
    }
    for (const auto& p : prefixes_) {
      std::string name = p.first + ":";
      if (name.rfind(word, 0) == 0) out.push_back(name);
    }
    LoadVocabulary();
    for (const std::string& v : vocabulary_) {
      if (v.rfind(word, 0) == 0) out.push_back(v);
    }
    return out;
  }

  template <typename List>
  static std::vector<std::string> Matching(const List& list,
                                           std::string_view word) {
    std::vector<std::string> out;
    for (const auto& item : list) {
      std::string s(item);
      if (s.rfind(word, 0) == 0) out.push_back(s);
    }
    return out;
  }
  static std::vector<std::string> Matching(
      std::initializer_list<const char*> list, std::string_view word) {
    return Matching(std::vector<const char*>(list), word);
  }

  static std::vector<std::string> FileNames(std::string_view word) {
    std::string w(word);
    size_t slash = w.rfind('/');
    std::string dir = slash == std::string::npos ? "." : w.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? w : w.substr(slash + 1);
    std::string shown = slash == std::string::npos ? "" : dir;
    std::vector<std::string> out;
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return out;
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      if (name.rfind(base, 0) != 0) continue;
      if (name[0] == '.' && (base.empty() || base[0] != '.')) continue;
      struct stat sb {};
      std::string full = dir + name;
      bool is_dir = stat(full.c_str(), &sb) == 0 && S_ISDIR(sb.st_mode);
      out.push_back(shown + name + (is_dir ? "/" : ""));
    }
    closedir(d);
    return out;
  }

  static std::string HistoryFile() {
    const char* h = std::getenv("KG_HISTORY");
    if (h != nullptr) return h;  // "" turns persistent history off
    std::string home = HomeDir();
    return home.empty() ? "" : home + "/.kg_history";
  }

  // Multi-line entries are kept on one line unless a '#' comment would then
  // swallow the rest.
  static std::string HistoryEntry(const std::string& entry) {
    std::string e(Trim(entry));
    if (e.find('#') != std::string::npos) return e;
    for (char& c : e) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    return e;
  }

  std::unique_ptr<Database> db_;
  bool interactive_;
  bool timer_ = false;
  bool colour_ = false;
  bool bail_ = false;
  bool quit_ = false;
  bool failed_ = false;
  int depth_ = 0;
  bool pending_empty_for_completion_ = true;
  Source cur_src_;
  ResultFormat mode_ = ResultFormat::kTable;
  std::string mode_name_ = "table";
  int64_t timeout_ms_ = 0;
  uint64_t memory_limit_bytes_ = uint64_t{2} << 30;
  std::map<std::string, std::string> prefixes_;
  // While a line typed at the prompt is fed: where the entries that ran go
  // (then into the line editor's history).
  std::vector<std::string>* history_ = nullptr;
  std::vector<std::string> ran_;
  std::string last_query_;
  bool last_query_is_graph_ = false;
  std::unique_ptr<std::ofstream> out_file_;
  bool vocabulary_loaded_ = false;
  std::vector<std::string> vocabulary_;
};

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
      {".mode", "table|csv|tsv|json|xml|turtle|ntriples", "How results are written",
       &Shell::CmdMode},
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

// ---- arguments and start-up ------------------------------------------------

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

void RegisterShellCommand(CLI::App& app, CommandState& st) {
  auto* shell = app.add_subcommand("shell",
                                   "Interactive SPARQL shell (kg shell [-bail] "
                                   "[-cmd C] [-init F] [DB] [COMMAND...])");
  shell->prefix_command();
  shell->allow_extras();
  shell->set_help_flag();
  shell->footer(kUsage);
  shell->callback([shell, &st] { RunShell(shell->remaining(), st); });
}

}  // namespace kg::tools
