// `kg query` and `kg update`.

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_format.h"
#include "engine/database.h"
#include "engine/query_result.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

// The query text: the argument, or the file given with -f ("-" = stdin).
bool ReadText(const char* command, CommandState& st, std::string* text) {
  if (!st.text_file.empty()) {
    std::stringstream buf;
    if (st.text_file == "-") {
      buf << std::cin.rdbuf();
    } else {
      std::ifstream in(st.text_file, std::ios::binary);
      if (!in) {
        std::cerr << "kg " << command << ": cannot open " << st.text_file
                  << "\n";
        st.exit_code = 1;
        return false;
      }
      buf << in.rdbuf();
    }
    *text = buf.str();
  } else {
    *text = st.text;
  }
  if (text->empty()) {
    std::cerr << "kg " << command
              << ": give the text as an argument or with -f FILE\n";
    st.exit_code = 2;
    return false;
  }
  return true;
}

// Ctrl-C while `kg query` runs cancels the query (QueryOptions::cancel)
// instead of killing the process, so the result writer still closes its
// document (see WriteResult). The handler is one-shot (SA_RESETHAND): a
// second Ctrl-C ends the process at once. SA_RESTART keeps a write that
// the signal interrupts from failing the output stream. When SIGINT is
// ignored (a background job), it stays ignored.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void OnQuerySigint(int /*sig*/) { g_interrupted.store(true); }

class InterruptCancels {
 public:
  InterruptCancels() {
    g_interrupted.store(false);
    if (sigaction(SIGINT, nullptr, &old_) != 0 || old_.sa_handler == SIG_IGN)
      return;
    struct sigaction sa {};
    sa.sa_handler = OnQuerySigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    installed_ = sigaction(SIGINT, &sa, nullptr) == 0;
  }
  ~InterruptCancels() {
    if (installed_) sigaction(SIGINT, &old_, nullptr);
  }
  InterruptCancels(const InterruptCancels&) = delete;
  InterruptCancels& operator=(const InterruptCancels&) = delete;

 private:
  struct sigaction old_ {};
  bool installed_ = false;
};

QueryOptions OptionsFrom(const CommandState& st) {
  QueryOptions o;
  o.strict_dataset = st.strict;
  o.timeout_ms = st.timeout_ms;
  o.memory_limit_bytes = st.memory_mb << 20;
  o.allow_file_access = st.allow_load;
  return o;
}

// Runs `text` on `db` and writes its answer (or its plan) to stdout; sets
// st.exit_code on an error.
void Answer(Database& db, const std::string& text, CommandState& st) {
  QueryOptions qo = OptionsFrom(st);
  InterruptCancels interrupt;
  qo.cancel = &g_interrupted;
  if (st.explain || st.profile) {
    auto plan = db.Explain(text, st.profile, qo);
    if (!plan.ok()) {
      std::cerr << "kg query: " << plan.status().message() << "\n";
      st.exit_code = 1;
      return;
    }
    std::cout << *plan;
    return;
  }
  auto result = db.Query(text, qo);
  if (!result.ok()) {
    std::cerr << "kg query: " << result.status().message() << "\n";
    st.exit_code = 1;
    return;
  }
  ResultFormat format = ResultFormat::kTable;
  if (!st.format.empty()) {
    auto f = ResultFormatFromName(st.format);
    if (!f.ok()) {
      std::cerr << "kg query: " << f.status().message() << "\n";
      st.exit_code = 2;
      return;
    }
    format = *f;
  } else if ((*result)->kind() == QueryResult::Kind::kGraph) {
    format = ResultFormat::kTurtle;
  }
  ResultWriteOptions wo;
  // Well-known namespaces shorten IRIs in tables even when the query does
  // not declare them; the query's own prefixes are added by the writer.
  wo.prefixes = {{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
                 {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
                 {"xsd", "http://www.w3.org/2001/XMLSchema#"},
                 {"owl", "http://www.w3.org/2002/07/owl#"}};
  if (format == ResultFormat::kTable && isatty(STDOUT_FILENO))
    wo.max_cell_width = 60;
  std::ios::sync_with_stdio(false);
  // A query that fails while its rows are written (time limit, memory cap,
  // Ctrl-C, a storage error) still leaves a complete document on stdout,
  // marked as cut where the format allows; the error goes to stderr and
  // the exit status is 1.
  absl::Status s = WriteResult(**result, format, std::cout, wo);
  std::cout.flush();
  if (s.ok() && !std::cout.good())  // the last buffered bytes failed
    s = absl::DataLossError("writing the query result failed");
  if (!s.ok()) {
    std::cerr << "kg query: "
              << (absl::IsCancelled(s) ? std::string("interrupted")
                                       : std::string(s.message()))
              << "\n";
    st.exit_code = 1;
  }
}

void RunQuery(CommandState& st) {
  std::string text;
  if (!ReadText("query", st, &text)) return;
  OpenOptions oo;
  oo.create_if_missing = false;
  oo.read_only = true;
  oo.warm_adjacencies_in_background = false;  // one query, then exit
  auto db = Database::Open(st.db, oo);
  if (!db.ok()) {
    std::cerr << "kg query: " << db.status().message() << "\n";
    st.exit_code = 1;
    return;
  }
  Answer(**db, text, st);
  // One query, then the process ends here. The store is open read-only and
  // has nothing to write back, so closing it (RocksDB frees the structures
  // of 13 column families) and the static destructors (RocksDB's background
  // threads joined) would only delay the exit: about 1 ms of the 22 ms a
  // `kg query` on the seed store takes (bench/startup, bench/RESULTS.md).
  // The output is flushed first.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(st.exit_code);
}

void RunUpdate(CommandState& st) {
  std::string text;
  if (!ReadText("update", st, &text)) return;
  OpenOptions oo;
  oo.create_if_missing = true;
  oo.warm_adjacencies_in_background = false;  // one update, then exit
  auto db = Database::Open(st.db, oo);
  if (!db.ok()) {
    std::cerr << "kg update: " << db.status().message() << "\n";
    st.exit_code = 1;
    return;
  }
  auto summary = (*db)->Update(text, OptionsFrom(st));
  if (!summary.ok()) {
    std::cerr << "kg update: " << summary.status().message()
              << "\nkg update: nothing was changed\n";
    st.exit_code = 1;
    return;
  }
  std::cerr << absl::StrFormat("kg update: %d quads inserted, %d removed in %.3fs\n",
                               summary->inserted, summary->removed,
                               summary->seconds);
}

void AddCommonOptions(CLI::App* cmd, CommandState& st) {
  cmd->add_option("DB", st.db, "Store directory")->required();
  cmd->add_option("TEXT", st.text, "The SPARQL text (or use -f)");
  cmd->add_option("--file,-f", st.text_file, "Read the text from FILE (- for stdin)");
  cmd->add_flag("--strict", st.strict,
                "Strict SPARQL dataset: the default graph is only the store's "
                "default graph (default: the union of all graphs)");
  cmd->add_option("--timeout", st.timeout_ms,
                  "Time limit in milliseconds (0 = none)")
      ->capture_default_str();
  cmd->add_option("--memory-limit", st.memory_mb,
                  "Cap on intermediate results in MiB (0 = none)")
      ->capture_default_str();
}

}  // namespace

void RegisterQueryCommands(CLI::App& app, CommandState& st) {
  auto* query = app.add_subcommand(
      "query", "Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)");
  AddCommonOptions(query, st);
  query->add_option("--format", st.format,
                    "table (default), tsv, csv, json, xml; ntriples or turtle "
                    "for CONSTRUCT/DESCRIBE");
  query->add_flag("--explain", st.explain,
                  "Print the physical plan with estimated rows instead of running");
  query->add_flag("--profile", st.profile,
                  "Run and print the plan with actual rows and time per operator");
  query->callback([&st] { RunQuery(st); });

  auto* update = app.add_subcommand(
      "update", "Run a SPARQL update request as one transaction");
  AddCommonOptions(update, st);
  update->add_flag("--allow-load", st.allow_load,
                   "Allow LOAD to read local files");
  update->callback([&st] { RunUpdate(st); });
}

}  // namespace kg::tools
