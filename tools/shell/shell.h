// `kg shell [DB] [COMMAND...]`: the interactive SPARQL shell, modelled on
// sqlite3's shell (sqlite/sqlite: src/shell.c.in).
//
// - Interactive when standard input is a terminal: libedit line editing
//   (tools/shell/line_editor.h), history in ~/.kg_history ($KG_HISTORY),
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
//
// This header is internal to tools/shell/: the class Shell, one session on
// one open store. Its members are defined in one file per part of the shell:
//
//   shell_command.cc     `kg shell`: options, opening the store, start-up order
//   main_loop.cc         where entries come from: arguments, streams, the
//   prompt pending_entry.cc     how lines join into an entry (look-ahead, pipe
//   wait) sparql_runner.cc     queries, updates and plans through the engine
//   output.cc            where results and messages go
//   dot_commands.cc      the command table, dispatch, .help
//   setting_commands.cc  .prefix .prefixes .mode .timer .bail .timeout
//                        .output .quit
//   store_commands.cc    .load .stats .schema
//   result_export.cc     .export
//   completion.cc        Tab completion
//
// Thread-safety: one Shell per process, used by one thread (the SIGINT
// handler only sets an atomic flag, tools/shell/sigint_scope.h).

#ifndef KGSTORE_TOOLS_SHELL_SHELL_H_
#define KGSTORE_TOOLS_SHELL_SHELL_H_

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/database.h"
#include "engine/graph_export.h"
#include "engine/query_result.h"
#include "engine/request_text.h"

namespace kg::tools::shell {

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
  Shell(std::unique_ptr<Database> db, bool interactive);

  // Batch input fails with status 1 when an entry failed; an interactive
  // session ends with 0 (the errors were seen).
  int exit_code() const { return failed_ && !interactive_ ? 1 : 0; }
  bool quit() const { return quit_; }
  void set_bail(bool bail) { bail_ = bail; }

  // ---- main_loop.cc --------------------------------------------------------

  // Runs one complete entry (an argument, a -cmd). False: stop (bail/quit).
  bool RunEntry(const std::string& text, const Source& src);

  // Reads entries from a stream without prompts. False: stop (bail/quit).
  // `live` is true for standard input, where more lines may not have been
  // written yet: a complete entry then waits for the next line only when
  // that line has already arrived (a paste), never for the writer.
  bool RunStream(std::istream& in, const std::string& name, bool live = false);

  // The interactive loop: prompts, line editing, history.
  void RunInteractive();

 private:
  // ---- pending_entry.cc: entries -------------------------------------------

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
  static bool InputWaiting(int wait_ms = 0);
  // How long piped input may lag behind before a complete entry runs
  // without its next line: long enough for a program that produces a
  // query line by line, short enough for one that waits for each answer
  // (which can also end the entry with ';' or an empty line to get it at
  // once).
  static constexpr int kPipeWaitMs = 250;

  // Runs what is pending at the end of the input. False: stop.
  bool Finish(PendingEntry* e);

  // Adds line `line_no` to the pending entry and runs the entry when it is
  // complete. `more_waiting`: the next line has already arrived, so a
  // complete entry waits to see whether that line continues it. Returns
  // false to stop reading (bail or quit).
  bool Feed(const std::string& line, int line_no, PendingEntry* e,
            bool interactive, bool more_waiting);

  // At the prompt, entries that ran go to the history.
  void Remember(const std::string& text);

  // ---- output.cc: results, messages, failures ------------------------------

  // Records a failure; false when reading should stop (bail or quit).
  bool Continue(bool ok);

  // An error on stderr, with where it happened unless it was typed.
  void Error(const Source& src, std::string_view message);
  void Error(const Source& src, absl::string_view message);
  void Error(const Source& src, const char* message);
  void Error(const Source& src, const std::string& message);

  // A message on stderr at the prompt only.
  void Note(std::string_view message);

  // Where results go: the .output file or standard output.
  std::ostream& Out();
  bool OutIsTerminal() const;

  // A table of the shell's own (.stats, .schema) in the table format.
  bool WriteTable(ResultTable table);

  // ---- sparql_runner.cc: SPARQL through the engine -------------------------

  // What every query, update and plan runs with: the session's prefixes,
  // limits, and the Ctrl-C flag.
  QueryOptions QueryOpts() const;

  bool RunSparql(const std::string& text, const Source& src);
  bool RunClassified(const RequestClassification& c, const Source& src);

  // Runs a query and writes its result in `format` (default: the mode) to
  // `out` (default: the .output target).
  bool RunQuery(const std::string& text, const Source& src, std::ostream* out,
                std::optional<ResultFormat> format);

  bool RunUpdate(const std::string& text, const Source& src);

  // .explain and .profile: the plan of `rest` (default: the last query).
  bool Explain(std::string_view rest, bool profile);
  bool CmdExplain(std::string_view rest, const std::vector<std::string>&);
  bool CmdProfile(std::string_view rest, const std::vector<std::string>&);

  // ---- dot_commands.cc: the table and dispatch -----------------------------

  static const std::vector<DotCommand>& Commands();

  bool RunDot(std::string_view line, const Source& src);
  // Reports the usage of command `name`; returns false.
  bool Usage(const char* name);
  bool CmdHelp(std::string_view, const std::vector<std::string>& args);

  // ---- main_loop.cc --------------------------------------------------------

  bool CmdRead(std::string_view, const std::vector<std::string>& args);

  // ---- setting_commands.cc -------------------------------------------------

  bool CmdPrefix(std::string_view, const std::vector<std::string>& args);
  bool CmdPrefixes(std::string_view, const std::vector<std::string>&);
  bool CmdMode(std::string_view, const std::vector<std::string>& args);
  bool CmdTimer(std::string_view, const std::vector<std::string>& args);
  bool CmdBail(std::string_view, const std::vector<std::string>& args);
  bool CmdTimeout(std::string_view, const std::vector<std::string>& args);
  bool CmdOutput(std::string_view, const std::vector<std::string>& args);
  bool CmdQuit(std::string_view, const std::vector<std::string>&);

  // ---- store_commands.cc ---------------------------------------------------

  bool CmdLoad(std::string_view, const std::vector<std::string>& args);
  bool CmdStats(std::string_view, const std::vector<std::string>&);
  bool CmdSchema(std::string_view, const std::vector<std::string>&);

  // The store's prefixes (StorePrefixes, engine/iri_prefixes.h) for the
  // names the session has not bound: after a load adds data.
  void AddStorePrefixes();

  // Classes (objects of rdf:type) with their instance counts, most first.
  absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>> ClassCounts();

  // ---- result_export.cc ----------------------------------------------------

  bool CmdExport(std::string_view rest, const std::vector<std::string>& args);

  // .export dot|graphml|gexf|cytoscape|html FILE [CONSTRUCT-QUERY | around
  // IRI [HOPS]]: the graph of the query (default: the last query when it
  // was a CONSTRUCT or DESCRIBE, else the whole store) or of a
  // neighbourhood, through engine/graph_export.h.
  bool ExportGraphTo(ExportFormat format, const std::string& file,
                     std::string_view selection);

  // <iri>, prefix:local or a full IRI.
  std::optional<Term> ResolveIri(const std::string& word) const;

  // ---- completion.cc: vocabulary and completion ----------------------------

  // The store's predicates and classes, shortened with the session's
  // prefixes; read again after a change (.load, .prefix, an update).
  void LoadVocabulary();
  // The candidates for the word that ends `before` (the line up to the
  // cursor), and in *start where that word begins (LineEditor::Completer).
  std::vector<std::string> Complete(std::string_view before, size_t* start);

  // ---- state ---------------------------------------------------------------

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

}  // namespace kg::tools::shell

#endif  // KGSTORE_TOOLS_SHELL_SHELL_H_
