// End-to-end tests of `kg shell`: the real binary driven through a
// pseudo-terminal (forkpty) for the interactive parts, and through pipes
// for batch mode. In the manner of kuzudb/kuzu: tools/shell/test/.
//
// Synchronisation never sleeps: the tests wait for text on the terminal
// (the prompt) and, before typing, for libedit to have put the terminal in
// its editing mode (ICANON off, read with tcgetattr on the master side);
// keys typed earlier would be echoed and handled by the kernel's line
// discipline instead. Timeouts are generous for a loaded machine.

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/util/run_command.h"
#include "tests/util/test_store.h"

namespace {

using kg::testing::CommandResult;
using kg::testing::Has;
using kg::testing::ReadFileText;
using kg::testing::RunCommand;
using kg::testing::ShellQuote;
using kg::testing::TempDir;
using Clock = std::chrono::steady_clock;

const std::string kKg = kg::testing::KgBinary();
const std::string kSeed =
    std::string(KG_SOURCE_ROOT) + "/examples/seed/kazinform-2023-02-24.trig";
constexpr double kPatience = 60.0;  // seconds; generous for a loaded machine

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// `kg shell ARGS` on a pseudo-terminal of 120 x 30.
class PtyShell {
 public:
  PtyShell(const std::vector<std::string>& args, const std::string& home) {
    winsize ws{};
    ws.ws_row = 30;
    ws.ws_col = 120;
    pid_ = forkpty(&fd_, nullptr, nullptr, &ws);
    if (pid_ == 0) {
      setenv("TERM", "xterm", 1);
      setenv("HOME", home.c_str(), 1);
      setenv("KG_HISTORY", (home + "/history").c_str(), 1);
      unsetenv("KG_HOME");
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(kKg.c_str()));
      std::string shell = "shell";
      argv.push_back(shell.data());
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(kKg.c_str(), argv.data());
      _exit(127);
    }
  }
  ~PtyShell() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }

  bool started() const { return pid_ > 0; }
  void Send(const std::string& keys) {
    size_t done = 0;
    while (done < keys.size()) {
      ssize_t n = write(fd_, keys.data() + done, keys.size() - done);
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  }

  // Reads until `text` appears after the previous match; the output up to
  // and including it becomes `last()`.
  bool WaitFor(const std::string& text, double seconds = kPatience) {
    auto start = Clock::now();
    for (;;) {
      size_t at = out_.find(text, mark_);
      if (at != std::string::npos) {
        last_ = out_.substr(mark_, at + text.size() - mark_);
        mark_ = at + text.size();
        return true;
      }
      double left = seconds - Since(start);
      if (left <= 0 || !ReadSome(left)) {
        last_ = out_.substr(mark_);
        return false;
      }
    }
  }

  // The prompt is shown and libedit edits the line (ICANON off).
  bool WaitForPrompt(const std::string& prompt = "kg> ") {
    return WaitFor(prompt) && WaitTerminal(/*editing=*/true);
  }

  bool WaitTerminal(bool editing, double seconds = kPatience) {
    auto start = Clock::now();
    for (;;) {
      termios t{};
      if (tcgetattr(fd_, &t) == 0 && ((t.c_lflag & ICANON) == 0) == editing) {
        return true;
      }
      if (Since(start) > seconds) return false;
      ReadSome(0.005);  // keep the output flowing
    }
  }

  // CPU time the shell has used, from /proc.
  double CpuSeconds() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), {});
    size_t paren = stat.rfind(')');
    if (paren == std::string::npos) return 0;
    std::istringstream fields(stat.substr(paren + 2));
    std::string f;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && (fields >> f); ++i) {
      if (i == 14) utime = std::atol(f.c_str());
      if (i == 15) stime = std::atol(f.c_str());
    }
    return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
  }

  // Waits for the shell to exit; its exit code, or -1.
  int Wait(double seconds = kPatience) {
    auto start = Clock::now();
    while (Since(start) < seconds) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      ReadSome(0.05);
    }
    return -1;
  }

  const std::string& last() const { return last_; }
  const std::string& all() const { return out_; }

 private:
  bool ReadSome(double seconds) {
    pollfd p{fd_, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(seconds * 1000) + 1);
    if (r <= 0) return r == 0;
    char buf[4096];
    ssize_t n = read(fd_, buf, sizeof buf);
    if (n <= 0) return false;  // EIO: the shell has gone
    out_.append(buf, static_cast<size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  bool exited_ = false;
  std::string out_;
  std::string last_;
  size_t mark_ = 0;
};

std::string SeedStore(const TempDir& dir) {
  std::string db = dir.file("seed");
  CommandResult load = RunCommand(kKg + " load -q " + db + " " + kSeed);
  INFO(load.out);
  REQUIRE(load.exit_code == 0);
  return db;
}

TEST_CASE("kg shell interactive: table, completion, multi-line, errors, keys",
          "[shell]") {
  TempDir dir;
  std::string db = SeedStore(dir);
  PtyShell sh({db}, dir.path());
  REQUIRE(sh.started());
  REQUIRE(sh.WaitForPrompt());
  INFO(sh.all());

  // A query typed at the prompt: an aligned table with the seed prefixes,
  // a footer with the row count and the time.
  sh.Send(
      "SELECT ?p WHERE { ex:roman-vassilenko kg:metWith ?p } ORDER BY ?p\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), " p\r\n"));
  CHECK(Has(sh.last(), " ex:gintautas-vasiulis\r\n"));
  CHECK(Has(sh.last(), "3 rows ("));

  // A result longer than the screen: its first rows, the count of the rest,
  // long values cut with an ellipsis to the terminal's width.
  sh.Send("SELECT * { ?s ?p ?o }\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), " more rows\r\n732 rows ("));
  CHECK(Has(sh.last(), "\xE2\x80\xA6"));  // a cut cell (the last column holds the long literals)
  size_t widest = 0, line_start = 0;
  const std::string& table = sh.last();
  for (size_t nl = table.find('\n'); nl != std::string::npos;
       line_start = nl + 1, nl = table.find('\n', line_start)) {
    widest = std::max(widest, nl - line_start);
  }
  CHECK(widest <= 120 + 2 * 3);  // bytes: the ellipsis takes 3

  // Tab completes a prefixed predicate and a class of the store.
  sh.Send("SELECT ?o { ex:roman-vassilenko kg:metW\t");
  REQUIRE(sh.WaitFor("ith"));
  sh.Send("?o . ?o a kg:Per\t");
  REQUIRE(sh.WaitFor("son"));
  sh.Send("} ORDER BY ?o\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), " ex:madalina-lupu\r\n"));
  CHECK(Has(sh.last(), "3 rows ("));
  // Tab on a dot command.
  sh.Send(".prefixe\t\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), "PREFIX kg: <https://kgstore.example/vocab#>"));

  // A multi-line query: continuation prompts until it is complete.
  sh.Send("SELECT ?o\r");
  REQUIRE(sh.WaitForPrompt("   ...> "));
  sh.Send("WHERE {\r");
  REQUIRE(sh.WaitForPrompt("   ...> "));
  sh.Send("  ex:roman-vassilenko kg:metWith ?o }\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), "3 rows ("));

  // A wrong query: the parser's message with a caret, then the shell
  // carries on.
  sh.Send("SELECT * { ?s ?p ?o } LIMT 3\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), "line 1, column 23"));
  CHECK(Has(sh.last(), "found 'LIMT'"));
  CHECK(Has(sh.last(), "\r\n                      ^\r\n"));
  sh.Send("ASK { ?s ?p ?o }\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), "true"));

  // Ctrl-C at the prompt drops the line (also a pending multi-line entry).
  sh.Send("SELECT * {\r");
  REQUIRE(sh.WaitForPrompt("   ...> "));
  sh.Send("more garbage\x03");
  REQUIRE(sh.WaitForPrompt());
  sh.Send("ASK { ex:roman-vassilenko kg:metWith ex:toomas-tirs }\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), "true"));
  CHECK_FALSE(Has(sh.last(), "Error"));

  // Ctrl-D leaves with status 0; the history was saved.
  sh.Send("\x04");
  CHECK(sh.Wait() == 0);
  std::ifstream hist(dir.file("history"));
  std::string h((std::istreambuf_iterator<char>(hist)), {});
  CHECK(Has(h, "kg:metWith"));
  CHECK(Has(h, "kg:Person"));
}

TEST_CASE("kg shell: Ctrl-C cancels a long path query", "[shell]") {
  TempDir dir;
  // A chain of 3000 nodes: ?a <p>* ?b has 4.5 million answers, seconds
  // of work.
  std::string nt = dir.file("chain.nt");
  {
    std::filesystem::create_directories(dir.path());
    std::ofstream out(nt);
    for (int i = 0; i < 3000; ++i) {
      out << "<http://x/n" << i << "> <http://x/p> <http://x/n" << i + 1
          << "> .\n";
    }
  }
  std::string db = dir.file("chain");
  REQUIRE(RunCommand(kKg + " load -q " + db + " " + nt).exit_code == 0);

  PtyShell sh({db}, dir.path());
  REQUIRE(sh.started());
  REQUIRE(sh.WaitForPrompt());
  INFO(sh.all());
  sh.Send(".timeout 600000\r");
  REQUIRE(sh.WaitForPrompt());
  double cpu = sh.CpuSeconds();
  sh.Send("SELECT * { ?a <http://x/p>* ?b }\r");
  // The query runs: the line editor has given the terminal back and the
  // shell is burning CPU.
  REQUIRE(sh.WaitTerminal(/*editing=*/false));
  auto start = Clock::now();
  while (sh.CpuSeconds() < cpu + 0.3 && Since(start) < kPatience) {
    sh.WaitFor("\x01", 0.02);  // reads output while waiting
  }
  REQUIRE(sh.CpuSeconds() >= cpu + 0.3);
  auto sent = Clock::now();
  sh.Send("\x03");
  REQUIRE(sh.WaitFor("interrupted"));
  REQUIRE(sh.WaitFor("kg> "));
  double took = Since(sent);
  CHECK(took < 1.0);
  REQUIRE(sh.WaitTerminal(true));
  // The shell still works.
  sh.Send("ASK { <http://x/n1> <http://x/p> <http://x/n2> }\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), "true"));
  sh.Send(".quit\r");
  CHECK(sh.Wait() == 0);
}

TEST_CASE("kg shell batch: piped input, exit codes, -bail, -cmd, arguments",
          "[shell]") {
  TempDir dir;
  std::string db = SeedStore(dir);
  std::string shell = kKg + " shell " + db;

  // Piped input: no prompt, the whole result, exit 0. A multi-line
  // aggregate query whose GROUP BY comes on a later line.
  CommandResult ok =
      RunCommand("printf 'SELECT ?p (COUNT(*) AS ?n)\\nWHERE { ?s ?p ?o }\\n"
         "GROUP BY ?p ORDER BY DESC(?n) LIMIT 2\\n' | " +
         shell);
  INFO(ok.out);
  CHECK(ok.exit_code == 0);
  CHECK_FALSE(Has(ok.out, "kg> "));
  CHECK(Has(ok.out, " rdfs:label | 162"));
  CHECK(Has(ok.out, "2 rows\n"));

  // A failing entry: its line on stderr, exit 1; later entries still run.
  CommandResult bad = RunCommand(
      "printf '# comment\\nASK { ?s ?p ?o }\\n\\nSELECT * { ?s ?p }\\n\\n"
      ".mode csv\\nSELECT ?s { ?s a kg:Country } ORDER BY ?s LIMIT 1\\n' | " +
      shell);
  INFO(bad.out);
  CHECK(bad.exit_code == 1);
  CHECK(Has(bad.out, "Error near line 4: line 1, column 18"));
  CHECK(Has(bad.out, "https://kgstore.example/id/"));

  // -bail stops at the first error.
  CommandResult bail =
      RunCommand("printf 'SELEC\\n.prefixes\\n' | " + kKg + " shell -bail " + db);
  CHECK(bail.exit_code == 1);
  CHECK_FALSE(Has(bail.out, "PREFIX"));
  CommandResult nobail = RunCommand("printf 'SELEC\\n.prefixes\\n' | " + shell);
  CHECK(nobail.exit_code == 1);
  CHECK(Has(nobail.out, "PREFIX rdf:"));

  // -cmd runs before the input; arguments after DB run instead of stdin.
  CommandResult cmd = RunCommand("printf 'ASK { ?s ?p ?o }\\n' | " + kKg +
               " shell -cmd '.mode json' " + db);
  CHECK(cmd.exit_code == 0);
  CHECK(Has(cmd.out, "\"boolean\": true"));
  CommandResult args = RunCommand("printf '.prefixes\\n' | " + shell + " '.mode csv' " +
                ShellQuote("SELECT ?c { ?c a kg:Country } ORDER BY ?c LIMIT 1"));
  INFO(args.out);
  CHECK(args.exit_code == 0);
  CHECK(Has(args.out, "c\r\nhttps://kgstore.example/id/"));
  CHECK_FALSE(Has(args.out, "PREFIX"));
  CHECK(RunCommand(shell + " 'SELECT nonsense' < /dev/null").exit_code == 1);

  // -init, .read, .export and .output.
  std::string init = dir.file("init.kg");
  std::ofstream(init) << ".prefix pp https://kgstore.example/id/roman-\n";
  std::string script = dir.file("script.rq");
  std::ofstream(script) << "ASK { ?s ?p ?o }\n\nSELECT * {\n  ?s ?p\n\n";
  std::string csv = dir.file("out.csv");
  std::string all = dir.file("all.txt");
  CommandResult files =
      RunCommand(kKg + " shell -init " + init + " " + db + " " +
         ShellQuote("SELECT ?p { ?p a kg:Person } ORDER BY ?p") + " " +
         ShellQuote(".export csv " + csv) + " " + ShellQuote(".output " + all) + " " +
         ShellQuote("SELECT ?p { ?p a kg:Person } ORDER BY ?p LIMIT 1") + " " +
         ShellQuote(".output") + " " + ShellQuote(".read " + script));
  INFO(files.out);
  CHECK(files.exit_code == 1);  // the script's second query is incomplete
  CHECK(Has(files.out, " pp:vassilenko"));
  CHECK(Has(files.out, "near line 3 of " + script));
  std::ifstream csv_in(csv);
  std::string csv_text((std::istreambuf_iterator<char>(csv_in)), {});
  CHECK(Has(csv_text, "p\r\nhttps://kgstore.example/id/"));
  std::ifstream all_in(all);
  std::string all_text((std::istreambuf_iterator<char>(all_in)), {});
  CHECK(Has(all_text, "1 row\n"));

  // Updates, .stats and .schema.
  CommandResult upd =
      RunCommand(shell + " " + ShellQuote("INSERT DATA { ex:a kg:metWith ex:b }") + " " +
         ShellQuote("ASK { ex:a kg:metWith ex:b }") + " .schema .stats < /dev/null");
  INFO(upd.out);
  CHECK(upd.exit_code == 0);
  CHECK(Has(upd.out, "true"));
  CHECK(Has(upd.out, " kg:Person "));
  CHECK(Has(upd.out, " kg:metWith "));

  // No DB and no default store: a clear message.
  CommandResult none =
      RunCommand("KG_HOME=" + dir.file("nothing") + " " + kKg + " shell < /dev/null");
  CHECK(none.exit_code == 1);
  CHECK(Has(none.out, "no store at " + dir.file("nothing") + "/seed"));
  CHECK(Has(none.out, "quickstart.sh"));
}

}  // namespace

// Issue 14: SPARQL is pasted with its prologue on lines of its own. A
// PREFIX line must keep the entry open until its query, and whether an
// entry is complete must be judged with the prefixes it will run with.
const char kPrologueQuery[] =
    "PREFIX ex: <https://kgstore.example/id/>\n"
    "PREFIX v: <https://kgstore.example/vocab#>\n"
    "SELECT ?c WHERE { ex:madalina-lupu v:ambassadorOf ?c }\n";
const char kKnownPrefixQuery[] =
    "SELECT ?c ?cl WHERE {\n"
    "  ?c rdfs:label ?cl .\n"
    "  FILTER(?c = <https://kgstore.example/id/romania>)\n"
    "}\n";

TEST_CASE("kg shell: a prologue on its own lines waits for its query",
          "[shell][issue14]") {
  TempDir dir;
  std::string db = SeedStore(dir);
  std::string shell = kKg + " shell " + db;
  std::string qfile = dir.file("q.rq");
  // Piped, with an empty line and a comment between prologue and query,
  // then a query whose known prefix (rdfs:) is used on a later line.
  std::ofstream(qfile) << kPrologueQuery << "\n"
                       << "PREFIX v: <https://kgstore.example/vocab#>\n\n"
                       << "# who is ambassador of what\n"
                       << "SELECT ?p WHERE { ?p v:ambassadorOf ex:estonia }\n"
                       << kKnownPrefixQuery;
  CommandResult piped = RunCommand(shell + " < " + qfile);
  INFO(piped.out);
  CHECK(piped.exit_code == 0);
  CHECK_FALSE(Has(piped.out, "Error"));
  CHECK(Has(piped.out, " ex:romania\n"));
  CHECK(Has(piped.out, " ex:toomas-tirs\n"));
  CHECK(Has(piped.out, " ex:romania | Romania\n"));
  CHECK(Has(piped.out, "1 row\n"));

  // The same file through .read and -init.
  CommandResult read = RunCommand(shell + " " + ShellQuote(".read " + qfile) + " < /dev/null");
  INFO(read.out);
  CHECK(read.exit_code == 0);
  CHECK(Has(read.out, " ex:romania\n"));
  CHECK(Has(read.out, " ex:romania | Romania\n"));
  CommandResult init = RunCommand(kKg + " shell -init " + qfile + " " + db + " < /dev/null");
  INFO(init.out);
  CHECK(init.exit_code == 0);
  CHECK(Has(init.out, " ex:toomas-tirs\n"));

  // A prologue nothing follows (an argument, the end of a file) declares
  // its prefixes for the session.
  CommandResult decl = RunCommand(shell + " " + ShellQuote("PREFIX zz: <https://kgstore.example/id/>") +
                " " + ShellQuote("ASK { zz:romania ?p ?o }") + " < /dev/null");
  INFO(decl.out);
  CHECK(decl.exit_code == 0);
  CHECK(Has(decl.out, "true"));

  // An undeclared prefix is an error at once, not a continuation.
  CommandResult undeclared = RunCommand("printf 'SELECT ?c { ?c nope:x ?d }\\nASK {}\\n' | " +
                      shell);
  INFO(undeclared.out);
  CHECK(undeclared.exit_code == 1);
  CHECK(Has(undeclared.out, "Error near line 1"));
  CHECK(Has(undeclared.out, "undeclared prefix"));
  CHECK(Has(undeclared.out, "true"));
}

TEST_CASE("kg shell interactive: a typed prologue and a known prefix",
          "[shell][issue14]") {
  TempDir dir;
  std::string db = SeedStore(dir);
  PtyShell sh({db}, dir.path());
  REQUIRE(sh.started());
  REQUIRE(sh.WaitForPrompt());
  INFO(sh.all());
  sh.Send("PREFIX ex: <https://kgstore.example/id/>\r");
  REQUIRE(sh.WaitForPrompt("   ...> "));
  sh.Send("PREFIX v: <https://kgstore.example/vocab#>\r");
  REQUIRE(sh.WaitForPrompt("   ...> "));
  sh.Send("\r");  // an empty line keeps a prologue open
  REQUIRE(sh.WaitForPrompt("   ...> "));
  sh.Send("SELECT ?c WHERE { ex:madalina-lupu v:ambassadorOf ?c }\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), " ex:romania\r\n"));
  CHECK(Has(sh.last(), "1 row ("));

  sh.Send("SELECT ?c ?cl WHERE {\r");
  REQUIRE(sh.WaitForPrompt("   ...> "));
  sh.Send("  ?c rdfs:label ?cl .\r");
  REQUIRE(sh.WaitForPrompt("   ...> "));
  sh.Send("  FILTER(?c = ex:romania) }\r");
  REQUIRE(sh.WaitForPrompt());
  CHECK(Has(sh.last(), " ex:romania | Romania\r\n"));
  CHECK_FALSE(Has(sh.all(), "Error"));
  sh.Send("\x04");
  CHECK(sh.Wait() == 0);
}

// Pasted SPARQL often puts ORDER BY, LIMIT or VALUES on lines of their own
// after the closing '}'. A complete entry whose next line has already
// arrived waits for that line; a writer that waits for each answer is
// never kept waiting (the ASK below answers before its next line exists).
TEST_CASE("kg shell: clauses on lines after the closing brace",
          "[shell][issue14]") {
  TempDir dir;
  std::string db = SeedStore(dir);
  std::string shell = kKg + " shell " + db;
  const std::string query =
      "SELECT ?c WHERE {\n  ?c a kg:Country\n}\nORDER BY DESC(?c)\nLIMIT 2\n";
  std::string qfile = dir.file("tail.rq");
  std::ofstream(qfile) << query << "ASK { ?s ?p ?o }\n"
                       << "INSERT DATA { <urn:a> <urn:b> 1 }\n"
                       << "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }\n";
  for (const std::string& how : {shell + " < " + qfile,
                                 shell + " " + ShellQuote(".read " + qfile) +
                                     " < /dev/null"}) {
    CommandResult r = RunCommand(how);
    INFO(how << "\n" << r.out);
    CHECK(r.exit_code == 0);
    CHECK(Has(r.out, " ex:romania\n ex:lithuania\n2 rows\n"));
    CHECK(Has(r.out, "true\n"));
    CHECK(Has(r.out, " 733\n"));
    CHECK_FALSE(Has(r.out, "Error"));
  }
  CommandResult slow = RunCommand("(echo 'ASK { ?s ?p ?o }'; sleep 1; echo '.prefixes') | " +
                shell);
  INFO(slow.out);
  CHECK(slow.exit_code == 0);
  CHECK(Has(slow.out, "true\n"));

  // Pasted at the prompt: the lines arrive together.
  PtyShell sh({db}, dir.path());
  REQUIRE(sh.started());
  REQUIRE(sh.WaitForPrompt());
  sh.Send("SELECT ?c WHERE { ?c a kg:Country }\rORDER BY DESC(?c)\rLIMIT 2\r");
  REQUIRE(sh.WaitForPrompt());
  INFO(sh.all());
  CHECK(Has(sh.all(), "2 rows ("));
  CHECK(Has(sh.all(), " ex:romania\r\n ex:lithuania\r\n"));
  CHECK_FALSE(Has(sh.all(), "Error"));
  sh.Send("\x04");
  CHECK(sh.Wait() == 0);
}

TEST_CASE("kg shell: a clause after a query that already ran is explained",
          "[shell][issue14]") {
  TempDir dir;
  std::string db = SeedStore(dir);
  CommandResult r = RunCommand("printf 'SELECT ?c { ?c a kg:Country }\\n\\nORDER BY ?c\\n"
             "ASK { ?s ?p ?o };\\nLIMIT 2\\n.tim on\\n' | " +
             kKg + " shell " + db);
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(Has(r.out, "4 rows\n"));
  CHECK(Has(r.out, "found 'ORDER'"));
  CHECK(Has(r.out, "ORDER belongs to a query: the query before it already ran"));
  CHECK(Has(r.out, "true\n"));
  CHECK(Has(r.out, "LIMIT belongs to a query"));
  CHECK(Has(r.out, "ambiguous command .tim: .timeout or .timer?"));
}
