// End-to-end runs of the real `kg` binary and of the embedding example on
// the seed example: exit codes, messages, and what the commands print.

#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "engine/database.h"
#include "tests/util/run_command.h"
#include "tests/util/test_store.h"

namespace {

using kg::testing::CommandResult;
using kg::testing::Has;
using kg::testing::ReadFileText;
using kg::testing::RunCommand;
using kg::testing::ShellQuote;
using kg::testing::TempDir;

const std::string kKg = kg::testing::KgBinary();
const std::string kSeed =
    std::string(KG_SOURCE_ROOT) + "/examples/seed/kazinform-2023-02-24.trig";

TEST_CASE("kg load, stats, check, dump and relations on the seed example",
          "[tool]") {
  TempDir dir;
  std::string db = dir.file("seed");
  CommandResult load = RunCommand(kKg + " load " + db + " " + kSeed);
  INFO(load.out);
  REQUIRE(load.exit_code == 0);
  CHECK(Has(load.out, "quads added"));

  CommandResult stats = RunCommand(kKg + " stats " + db);
  CHECK(stats.exit_code == 0);
  CHECK(Has(stats.out, "predicates"));
  CHECK(Has(stats.out, "rdf-schema#label"));

  CommandResult check = RunCommand(kKg + " check " + db);
  CHECK(check.exit_code == 0);
  CHECK(Has(check.out, "ok: 6 indexes agree"));

  CommandResult relations = RunCommand(kKg + " relations " + db);
  CHECK(relations.exit_code == 0);
  CHECK(Has(relations.out, "Roman Vassilenko"));
  CHECK(Has(relations.out, "Madalina Lupu"));

  // dump -> load into a second store gives the same number of quads.
  std::string dump = dir.file("dump.nq");
  REQUIRE(RunCommand(kKg + " dump " + db + " > " + dump).exit_code == 0);
  std::string db2 = dir.file("copy");
  REQUIRE(RunCommand(kKg + " load -q " + db2 + " " + dump).exit_code == 0);
  CommandResult stats2 = RunCommand(kKg + " stats " + db2);
  auto first_line = [](const std::string& s, const std::string& key) {
    size_t at = s.find(key);
    return at == std::string::npos ? "" : s.substr(at, s.find('\n', at) - at);
  };
  CHECK(first_line(stats.out, "quads ") == first_line(stats2.out, "quads "));

  // Turtle has no graphs: the dump says so on stderr, and the N-Quads dump
  // does not.
  CommandResult ttl = RunCommand("{ " + kKg + " dump " + db + " --format turtle >/dev/null; }");
  CHECK(ttl.exit_code == 0);
  CHECK(Has(ttl.out, "turtle has no graphs: the "));
  CHECK(Has(ttl.out, "(--format trig or nquads keeps them)"));
  CHECK(RunCommand("{ " + kKg + " dump " + db + " >/dev/null; }").out.empty());

  // Loading the same file again adds no IRI/literal-only duplicates.
  CommandResult again = RunCommand(kKg + " load " + db + " " + dump);
  CHECK(again.exit_code == 0);
  CHECK(RunCommand(kKg + " check " + db).exit_code == 0);
}

TEST_CASE("kg reports errors in one line with the right exit code", "[tool]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  std::string db = dir.file("db");

  CommandResult missing = RunCommand(kKg + " stats " + dir.file("nothing-here"));
  CHECK(missing.exit_code == 1);
  CHECK(Has(missing.out, "no kgstore store at"));

  CommandResult usage = RunCommand(kKg + " load " + db + " --no-such-flag x.nt");
  CHECK(usage.exit_code == 2);
  CommandResult no_command = RunCommand(kKg);
  CHECK(no_command.exit_code == 2);

  std::string bad = dir.file("bad.ttl");
  std::ofstream(bad) << "@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c\nex:d ex:e ex:f .\n";
  CommandResult syntax = RunCommand(kKg + " load " + db + " " + bad);
  CHECK(syntax.exit_code == 1);
  CHECK(Has(syntax.out, bad + ":3:"));
  CHECK(Has(syntax.out, "nothing was loaded"));

  CommandResult unreadable = RunCommand(kKg + " load " + db + " " + dir.file("absent.nt"));
  CHECK(unreadable.exit_code == 1);
  CHECK(Has(unreadable.out, "cannot open"));

  CommandResult format = RunCommand(kKg + " load " + db + " " + bad + " --format xml");
  CHECK(format.exit_code == 1);

  // A store held open for writing by another process is reported as locked.
  {
    auto holder = kg::Database::Open(db, {});
    REQUIRE(holder.ok());
    CommandResult locked = RunCommand(kKg + " load " + db + " " + kSeed);
    CHECK(locked.exit_code == 1);
    CHECK(Has(locked.out, "in use by another process"));
    // Readers still work: they open read-only.
    CHECK(RunCommand(kKg + " stats " + db).exit_code == 0);
  }

  CommandResult help = RunCommand(kKg + " load --help");
  CHECK(help.exit_code == 0);
  CHECK(Has(help.out, "--skip-bad"));
}

TEST_CASE("kg load --skip-bad loads the good statements", "[tool]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  std::string bad = dir.file("mixed.nt");
  std::ofstream(bad) << "<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> .\n"
                        "<urn:c> <urn:p> \"x\" .\n";
  CommandResult r = RunCommand(kKg + " load --skip-bad " + dir.file("db") + " " + bad);
  CHECK(r.exit_code == 0);
  CHECK(Has(r.out, bad + ":2:"));
  CHECK(Has(r.out, "2 quads added"));
}

TEST_CASE("kg load reads standard input with --format and --graph", "[tool]") {
  TempDir dir;
  std::string db = dir.file("db");
  CommandResult r = RunCommand("printf '<urn:a> <urn:p> <urn:b> .\\n' | " + kKg + " load " + db +
             " - --format nt --graph urn:g1");
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CommandResult dump = RunCommand(kKg + " dump " + db);
  CHECK(Has(dump.out, "<urn:a> <urn:p> <urn:b> <urn:g1> ."));
}

TEST_CASE("the embedding example runs against the seed", "[tool][example]") {
  TempDir dir;
  CommandResult r = RunCommand(std::string(KG_BINARY_DIR) + "/examples/embed_example " +
             dir.file("db") + " " + kSeed);
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(Has(r.out, "metWith edges"));
}

}  // namespace
