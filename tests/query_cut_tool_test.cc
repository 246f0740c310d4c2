// End-to-end: `kg query` stopped by its time limit, by Ctrl-C or by a full
// disk. JSON and XML on stdout are still whole documents, the table's
// footer says the result is cut, TSV/CSV end after a complete line, and
// the error is on stderr with exit status 1.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "storage/rdf/rdf_format.h"
#include "tests/conformance/results.h"
#include "tests/util/run_command.h"
#include "tests/util/test_store.h"

namespace {

using kg::testing::Has;
using kg::testing::ReadFileText;
using kg::testing::TempDir;

const std::string kKg = kg::testing::KgBinary();
const char kClosure[] = "SELECT * { ?a <urn:next>+ ?b }";
// The same work, one answer in a hundred: a little output, quick to check.
const char kSparse[] =
    "SELECT * { ?a <urn:next>+ ?b FILTER(STRENDS(STR(?b), \"00\")) }";

// A store at dir/db holding a chain of 2,000 nodes: `kClosure` has about
// two million answers, seconds of output.
std::string ChainStore(const TempDir& dir) {
  std::filesystem::create_directories(dir.path());
  std::string nt = dir.file("chain.nt");
  {
    std::ofstream out(nt);
    for (int i = 0; i + 1 < 2000; ++i)
      out << "<urn:n" << i << "> <urn:next> <urn:n" << i + 1 << "> .\n";
  }
  std::string db = dir.file("db");
  std::string cmd = kKg + " load -q " + db + " " + nt;
  REQUIRE(std::system(cmd.c_str()) == 0);
  return db;
}

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `kg query DB 'TEXT' ARGS` with stdout and stderr kept apart.
Run Query(const TempDir& dir, const std::string& db, const std::string& text,
          const std::string& args, const std::string& stdout_to = "") {
  std::string out = stdout_to.empty() ? dir.file("out") : stdout_to;
  std::string err = dir.file("err");
  std::string cmd = kKg + " query " + db + " '" + text + "' " + args + " > " +
                    out + " 2> " + err;
  int status = std::system(cmd.c_str());
  Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (stdout_to.empty()) r.out = ReadFileText(out);
  r.err = ReadFileText(err);
  return r;
}

size_t ParseGraph(const std::string& text, kg::RdfFormat format) {
  size_t n = 0;
  absl::Status s = kg::ParseRdfString(text, format, {}, [&](const kg::Quad&) {
    ++n;
    return absl::OkStatus();
  });
  INFO(s.ToString());
  CHECK(s.ok());
  return n;
}

TEST_CASE("kg query stopped by --timeout: SELECT output is whole in every "
          "format",
          "[tool][result_writers]") {
  TempDir dir;
  std::string db = ChainStore(dir);
  const std::string error =
      "kg query: query exceeded its time limit of 30 ms\n";
  for (const char* format : {"json", "xml", "table", "tsv", "csv"}) {
    Run r = Query(dir, db, kSparse,
                  std::string("--timeout 30 --format ") + format);
    INFO(format);
    INFO(r.err);
    INFO(r.out.substr(r.out.size() > 300 ? r.out.size() - 300 : 0));
    CHECK(r.exit_code == 1);
    CHECK(r.err == error);
    REQUIRE(!r.out.empty());
    CHECK(r.out.back() == '\n');
    std::string f = format;
    if (f == "json") {
      CHECK(nlohmann::json::accept(r.out));
      CHECK(kg::conformance::ParseSrj(r.out).ok());
    } else if (f == "xml") {
      CHECK(kg::conformance::ParseSrx(r.out).ok());
      CHECK(Has(r.out, "</sparql>\n<!-- result cut: query exceeded its time "
                       "limit of 30 ms -->\n"));
    } else if (f == "table") {
      CHECK(Has(r.out, " (result cut: query exceeded its time limit of 30 "
                       "ms)\n"));
    } else if (f == "tsv") {
      CHECK(kg::conformance::ParseTsv(r.out).ok());
    } else {
      CHECK(kg::conformance::ParseCsv(r.out).ok());
    }
  }
}

TEST_CASE("kg query stopped by --timeout: CONSTRUCT output ends at a "
          "statement, a full disk is an error",
          "[tool][result_writers]") {
  TempDir dir;
  std::string db = ChainStore(dir);
  const char* construct =
      "CONSTRUCT { ?a <urn:reaches> ?b } WHERE { ?a <urn:next>+ ?b "
      "FILTER(STRENDS(STR(?b), \"00\")) }";
  for (auto [name, format] : {std::pair{"turtle", kg::RdfFormat::kTurtle},
                              std::pair{"ntriples", kg::RdfFormat::kNTriples}}) {
    Run r = Query(dir, db, construct,
                  std::string("--timeout 30 --format ") + name);
    INFO(name);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(Has(r.err, "time limit of 30 ms"));
    CHECK(Has(r.out, "# result cut: query exceeded its time limit of 30 ms\n"));
    ParseGraph(r.out, format);
  }

  // An output that cannot be written is an error even when the query is
  // fine; nothing can repair it.
  if (std::filesystem::exists("/dev/full")) {
    Run full = Query(dir, db, "SELECT * { ?a <urn:next> ?b }",
                     "--format json", "/dev/full");
    INFO(full.err);
    CHECK(full.exit_code == 1);
    CHECK(Has(full.err, "kg query: writing the query result failed"));
  }
}

TEST_CASE("Ctrl-C during kg query cancels it and closes the JSON document",
          "[tool][result_writers]") {
  TempDir dir;
  std::string db = ChainStore(dir);
  std::string err_path = dir.file("err");
  int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(err_fd >= 0);
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // SIGINT as an interactive shell leaves it for a foreground job.
    signal(SIGINT, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    close(err_fd);
    // The time limit is a backstop: Ctrl-C stops the query long before.
    execl(kKg.c_str(), "kg", "query", db.c_str(), kClosure, "--format", "json",
          "--timeout", "20000", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);
  close(err_fd);
  // The handler is in place before the first byte of output: interrupt
  // once some rows are out.
  std::string out;
  char buf[65536];
  bool sent = false;
  for (;;) {
    ssize_t n = read(pipe_fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (!sent && out.size() > 1000) {
      kill(pid, SIGINT);
      sent = true;
    }
  }
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  std::string err = ReadFileText(err_path);
  INFO(err);
  INFO(out.substr(out.size() > 300 ? out.size() - 300 : 0));
  CHECK(sent);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(err == "kg query: interrupted\n");
  CHECK(nlohmann::json::accept(out));
  auto table = kg::conformance::ParseSrj(out);
  REQUIRE(table.ok());
  CHECK(table->rows.size() > 0);
  CHECK(table->rows.size() < 1999 * 1000);  // cut, not the whole closure
}

}  // namespace
