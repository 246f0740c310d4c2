// Bad and hostile input to a store (issue 17): every load that fails must
// leave the store exactly as it was (the same quads, Check clean), with an
// error that says what was wrong and where. The readers' side of each input
// is storage/rdf/hostile_input_test.cc; queries are hostile_query_test.cc.
// docs/SAFETY.md, "Hostile input", lists each input with its error.

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "tests/util/generated_stream.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

using namespace std::string_literals;
using testing::TempDir;

// What a failed load must not change: every quad, and a clean Check.
struct StoreState {
  uint64_t quads = 0;
  std::vector<std::string> lines;
};

StoreState StateOf(const Database& db) {
  StoreState s;
  s.quads = db.Statistics().quads;
  auto cursor = db.Match(QuadPattern{});
  s.lines = testing::Lines(*cursor);
  REQUIRE(cursor->status().ok());
  auto problems = db.Check();
  REQUIRE(problems.ok());
  CHECK(problems->empty());
  return s;
}

void RequireUnchanged(const Database& db, const StoreState& before) {
  StoreState after = StateOf(db);
  CHECK(after.quads == before.quads);
  CHECK(after.lines == before.lines);
}

std::unique_ptr<Database> SmallStore(const TempDir& dir) {
  auto db = testing::StoreFromTrig(
      dir, "<urn:a> <urn:p> <urn:b> . <urn:a> <urn:q> \"text\"@en .\n"
           "<urn:g> { <urn:c> <urn:p> 42 . }");
  REQUIRE(db.ok());
  return *std::move(db);
}

absl::Status LoadText(Database& db, const std::string& text, RdfFormat format,
                      LoadOptions options = {}) {
  std::istringstream in(text);
  options.format = format;
  return db.LoadStream(in, options).status();
}

TEST_CASE("hostile input: a failed load leaves the store unchanged",
          "[hostile][load]") {
  TempDir dir;
  auto db = SmallStore(dir);
  const StoreState before = StateOf(*db);
  // Good statements first, then the bad one: nothing of either is stored.
  const std::string good =
      "<urn:x> <urn:p> <urn:y> .\n<urn:x> <urn:p> \"fine\" .\n";
  struct Case {
    std::string bad;
    absl::StatusCode code;
  };
  const Case cases[] = {
      {"<urn:x> <urn:p> \"a\xFF\" .\n", absl::StatusCode::kInvalidArgument},
      {"<urn:x> <urn:p> \"a\xED\xA0\x80\" .\n",
       absl::StatusCode::kInvalidArgument},
      {"<urn:x\0> <urn:p> <urn:y> .\n"s, absl::StatusCode::kInvalidArgument},
      {"\0\0\0\0"s, absl::StatusCode::kInvalidArgument},
      {"<urn:x> <urn:p> \"unterminated", absl::StatusCode::kInvalidArgument},
      {"<urn:x> <urn:p> <urn:unterminated .\n",
       absl::StatusCode::kInvalidArgument},
      // Over max_statement_bytes (4 KiB here).
      {"<urn:x> <urn:p> \"" + std::string(8000, 'a') + "\" .\n",
       absl::StatusCode::kResourceExhausted},
  };
  for (RdfFormat format : {RdfFormat::kNTriples, RdfFormat::kNQuads,
                           RdfFormat::kTurtle, RdfFormat::kTriG}) {
    for (const Case& c : cases) {
      LoadOptions options;
      options.max_statement_bytes = 4096;
      absl::Status s = LoadText(*db, good + c.bad, format, options);
      INFO(RdfFormatName(format) << ": " << s);
      CHECK(s.code() == c.code);
      // The message names the line: "<stream>:3:..."
      CHECK(std::string(s.message()).find("<stream>:3:") == 0);
    }
    RequireUnchanged(*db, before);
  }
  // Turtle nested past its bound.
  std::string deep = "<urn:x> <urn:p> ";
  for (int i = 0; i < 50000; ++i) deep += "[ <urn:p> ";
  CHECK(absl::IsInvalidArgument(LoadText(*db, good + deep, RdfFormat::kTurtle)));
  RequireUnchanged(*db, before);
  // The store still takes a good load afterwards.
  REQUIRE(LoadText(*db, good, RdfFormat::kNTriples).ok());
  CHECK(db->Statistics().quads == before.quads + 2);
}

TEST_CASE("hostile input: a line without end fails the load within the "
          "bound and the store is unchanged",
          "[hostile][load]") {
  TempDir dir;
  auto db = SmallStore(dir);
  const StoreState before = StateOf(*db);
  for (RdfFormat format : {RdfFormat::kNTriples, RdfFormat::kTurtle}) {
    testing::GeneratedBuf buf("<urn:x> <urn:p> <urn:y> .\n<urn:x> <urn:p> \"",
                              'a', uint64_t{1} << 30);
    std::istream in(&buf);
    LoadOptions options;
    options.format = format;
    options.max_statement_bytes = size_t{2} << 20;
    auto loaded = db->LoadStream(in, options);
    INFO(loaded.status());
    REQUIRE(absl::IsResourceExhausted(loaded.status()));
    CHECK(std::string(loaded.status().message())
              .find("longer than 2097152 bytes") != std::string::npos);
    CHECK(buf.produced() < (size_t{6} << 20));
  }
  RequireUnchanged(*db, before);
}

TEST_CASE("hostile input: a long literal loads under the bound and is "
          "refused over it",
          "[hostile][load]") {
  TempDir dir;
  auto db = SmallStore(dir);
  const StoreState before = StateOf(*db);
  const size_t length = size_t{8} << 20;
  auto generated = [&] {
    return testing::GeneratedBuf("<urn:big> <urn:p> \"", 'x', length,
                                 "\" .\n");
  };
  {
    auto buf = generated();
    std::istream in(&buf);
    LoadOptions options;
    options.format = RdfFormat::kNTriples;
    options.max_statement_bytes = size_t{4} << 20;
    CHECK(absl::IsResourceExhausted(db->LoadStream(in, options).status()));
    RequireUnchanged(*db, before);
  }
  {
    auto buf = generated();
    std::istream in(&buf);
    LoadOptions options;
    options.format = RdfFormat::kNTriples;
    REQUIRE(db->LoadStream(in, options).ok());
  }
  auto rows = testing::QueryRows(
      *db, "SELECT (STRLEN(?o) AS ?n) { <urn:big> <urn:p> ?o }");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0][0]->lexical == std::to_string(length));
  auto problems = db->Check();
  REQUIRE(problems.ok());
  CHECK(problems->empty());
}

// Opens `path` for writing without blocking forever when no reader comes:
// -1 after five seconds.
int OpenFifoForWriting(const std::string& path) {
  for (int i = 0; i < 500; ++i) {
    int fd = open(path.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) {
      fcntl(fd, F_SETFL, 0);  // blocking writes from here
      return fd;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

TEST_CASE("hostile input: a FIFO that closes in the middle of a statement "
          "fails the load and the store is unchanged",
          "[hostile][load]") {
  TempDir dir;
  auto db = SmallStore(dir);
  const StoreState before = StateOf(*db);
  const std::string fifo = dir.file("input.nt");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::string written;
  for (int i = 0; i < 20000; ++i)
    written += absl::StrCat("<urn:s", i, "> <urn:p> \"", i, "\" .\n");
  written += "<urn:last> <urn:p> \"cut here";
  std::thread writer([&] {
    int fd = OpenFifoForWriting(fifo);
    if (fd < 0) return;
    size_t at = 0;
    while (at < written.size()) {
      ssize_t n = write(fd, written.data() + at, written.size() - at);
      if (n <= 0) break;
      at += static_cast<size_t>(n);
    }
    close(fd);  // the writer goes away mid-statement
  });
  auto loaded = db->LoadFile(fifo, {});
  writer.join();
  INFO(loaded.status());
  REQUIRE(absl::IsInvalidArgument(loaded.status()));
  CHECK(std::string(loaded.status().message()).find(":20001:") !=
        std::string::npos);
  RequireUnchanged(*db, before);
}

TEST_CASE("hostile input: a file truncated while it loads fails the load "
          "and the store is unchanged",
          "[hostile][load]") {
  TempDir dir;
  auto db = SmallStore(dir);
  const StoreState before = StateOf(*db);
  const std::string path = dir.file("big.nt");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 100000; ++i)  // about 4 MiB: the reader reads 1 MiB
      out << "<urn:s" << i << "> <urn:p> \"value " << i << "\" .\n";
  }
  const uint64_t size = std::filesystem::file_size(path);
  REQUIRE(size > (uint64_t{3} << 20));
  // Once the first megabyte is read, the file is cut two megabytes further
  // on, in the middle of a line (as another process truncating it would).
  bool truncated = false;
  LoadOptions options;
  options.on_progress = [&](uint64_t bytes_read, uint64_t) {
    if (truncated || bytes_read == 0) return;
    truncated = true;
    std::string text;
    std::ifstream in(path, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
    size_t cut = text.find('\n', bytes_read + (size_t{2} << 20)) + 10;
    REQUIRE(truncate(path.c_str(), static_cast<off_t>(cut)) == 0);
  };
  auto loaded = db->LoadFile(path, options);
  REQUIRE(truncated);
  INFO(loaded.status());
  REQUIRE(absl::IsInvalidArgument(loaded.status()));
  RequireUnchanged(*db, before);
}

TEST_CASE("hostile input: a store path that is a regular file is refused "
          "with a clear error",
          "[hostile][open]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  const std::string file = dir.file("not-a-directory");
  { std::ofstream(file) << "some file\n"; }
  for (const std::string& path : {file, file + "/store"}) {
    for (bool read_only : {false, true}) {
      OpenOptions options;
      options.read_only = read_only;
      auto db = Database::Open(path, options);
      INFO(path << " read_only=" << read_only << ": " << db.status());
      REQUIRE_FALSE(db.ok());
      CHECK_FALSE(db.status().message().empty());
      CHECK(std::string(db.status().message()).find(path) !=
            std::string::npos);
    }
  }
  // The file is untouched.
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  CHECK(line == "some file");
}

// The opens of a store its process may not read: "" when both (writable
// and read-only) are refused with a message naming the store, else what
// went wrong.
std::string OpensRefused(const std::string& store) {
  std::string wrong;
  for (bool read_only : {false, true}) {
    OpenOptions options;
    options.read_only = read_only;
    auto db = Database::Open(store, options);
    if (db.ok())
      absl::StrAppend(&wrong, read_only ? "read-only" : "writable",
                      " open succeeded; ");
    else if (std::string(db.status().message()).find(store) ==
             std::string::npos)
      absl::StrAppend(&wrong, "message without the path: ",
                      db.status().ToString(), "; ");
  }
  return wrong;
}

TEST_CASE("hostile input: a store directory without permissions is refused "
          "with a clear error",
          "[hostile][open]") {
  TempDir dir;
  {
    auto db = SmallStore(dir);
  }
  const std::string store = dir.file("store");
  REQUIRE(chmod(store.c_str(), 0) == 0);
  if (geteuid() != 0) {
    const std::string wrong = OpensRefused(store);
    INFO(wrong);
    CHECK(wrong.empty());
  } else {
    // root ignores file permissions: the opens run in a child process
    // that gave root up (user and group 65534, "nobody"), with the folder
    // above the store open to it.
    REQUIRE(chmod(dir.path().c_str(), 0755) == 0);
    int pipe_fds[2];
    REQUIRE(pipe(pipe_fds) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(pipe_fds[0]);
      std::string wrong;
      if (setgid(65534) != 0 || setuid(65534) != 0 || geteuid() == 0)
        wrong = "could not give up root; ";
      else
        wrong = OpensRefused(store);
      if (write(pipe_fds[1], wrong.data(), wrong.size()) < 0) _exit(3);
      _exit(wrong.empty() ? 0 : 1);
    }
    close(pipe_fds[1]);
    std::string wrong;
    char buf[512];
    for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) > 0;)
      wrong.append(buf, static_cast<size_t>(n));
    close(pipe_fds[0]);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    INFO(wrong);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  REQUIRE(chmod(store.c_str(), 0700) == 0);
  auto db = Database::Open(store, {});
  REQUIRE(db.ok());
  CHECK((*db)->Statistics().quads == 3);
}

TEST_CASE("hostile input: what the store takes can be dumped and loaded "
          "again",
          "[hostile][load]") {
  TempDir dir;
  auto db = SmallStore(dir);
  const StoreState before = StateOf(*db);
  // Terms from the host that are not UTF-8: refused.
  {
    auto txn = db->BeginTransaction();
    REQUIRE(txn.ok());
    const Term p = Term::Iri("urn:p");
    for (const Quad& q :
         {Quad{Term::Iri("urn:a"), p, Term::Literal("a\xFF"), std::nullopt},
          Quad{Term::Iri("urn:a\xC3"), p, Term::Iri("urn:b"), std::nullopt},
          Quad{Term::Iri("urn:a"), p, Term::LangLiteral("x", "e\xFFn"),
               std::nullopt},
          Quad{Term::Iri("urn:a"), p, Term::Literal("x", "urn:\xED\xA0\x80"),
               std::nullopt},
          Quad{Term::Iri("urn:a"), p, Term::Iri("urn:b"),
               Term::Iri("urn:g\xFF")}}) {
      absl::Status s = (*txn)->Insert(q);
      INFO(s);
      CHECK(absl::IsInvalidArgument(s));
      CHECK(std::string(s.message()).find("not valid UTF-8") !=
            std::string::npos);
    }
    REQUIRE((*txn)->Commit().ok());
  }
  RequireUnchanged(*db, before);
  // IRI() of a string with a character IRIs forbid is an error (it made an
  // IRI that a dump wrote as <urn:a\u0020b>, which no reader loads).
  auto u = db->Update(
      "INSERT { ?s <urn:p> <urn:o> } WHERE { "
      "VALUES ?x { \"urn:a b\" \"urn:a<b\" \"urn:a\\\"b\" \"urn:{}\" "
      "\"urn:a\\nb\" } BIND(IRI(?x) AS ?s) }");
  REQUIRE(u.ok());
  CHECK(u->inserted == 0);
  RequireUnchanged(*db, before);
  // What the store holds dumps to N-Quads that load again, the same.
  std::ostringstream dump;
  REQUIRE(db->Dump(dump, RdfFormat::kNQuads).ok());
  TempDir other;
  auto copy = Database::Open(other.file("store"), {});
  REQUIRE(copy.ok());
  REQUIRE(LoadText(**copy, dump.str(), RdfFormat::kNQuads).ok());
  CHECK(StateOf(**copy).lines == before.lines);
}

// ---- stress (ctest -L stress) ----------------------------------------------

TEST_CASE("hostile input: a 100 MB literal loads within a memory bound",
          "[.][hostile_stress_literal]") {
  TempDir dir;
  auto db = SmallStore(dir);
  const uint64_t peak_before = testing::PeakResidentBytes();
  const size_t length = 100'000'000;
  testing::GeneratedBuf buf("<urn:big> <urn:p> \"", 'x', length, "\" .\n");
  std::istream in(&buf);
  LoadOptions options;
  options.format = RdfFormat::kNTriples;
  auto start = std::chrono::steady_clock::now();
  auto loaded = db->LoadStream(in, options);
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  REQUIRE(loaded.ok());
  const uint64_t grown = testing::PeakResidentBytes() - peak_before;
  WARN("100 MB literal: loaded in " << seconds << " s, peak memory grew by "
                                    << (grown >> 20) << " MiB");
  CHECK(grown < uint64_t{1} << 30);
  auto rows = testing::QueryRows(
      *db, "SELECT (STRLEN(?o) AS ?n) { <urn:big> <urn:p> ?o }");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0][0]->lexical == std::to_string(length));
  auto problems = db->Check();
  REQUIRE(problems.ok());
  CHECK(problems->empty());
}

}  // namespace
}  // namespace kg
