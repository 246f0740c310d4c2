// `kg export -o PATH` writes exactly PATH (issue 17, limits for embedders):
// no "~" or "$VAR" expansion, a symbolic link at the target replaced rather
// than written through, a temporary name no one can plant a link under,
// nothing left behind. docs/SAFETY.md, "Limits for embedders".

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/database.h"
#include "tests/util/run_command.h"
#include "tests/util/test_store.h"

namespace {

using kg::testing::RunCommand;
using kg::testing::ShellQuote;
using kg::testing::TempDir;
namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every name in `dir` (not recursive).
std::set<std::string> Names(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    out.insert(e.path().filename().string());
  return out;
}

TEST_CASE("kg export writes exactly the path it is given",
          "[embedder][tool]") {
  TempDir dir;
  {
    auto db = kg::testing::StoreFromTrig(dir, "<urn:a> <urn:p> <urn:b> .");
    REQUIRE(db.ok());
  }
  const std::string home = dir.file("home");
  fs::create_directories(home);
  const std::string kg = kg::testing::KgBinary();
  auto run = [&](const std::string& output) {
    return RunCommand("cd " + ShellQuote(dir.path()) +
                      " && HOME=" + ShellQuote(home) + " " + ShellQuote(kg) +
                      " export store --format dot -o " + ShellQuote(output));
  };
  // "~" and "$HOME" are characters of a relative path (the shell expands
  // them before kg sees them; here it is given them quoted).
  const std::set<std::string> before = Names(dir.path());
  for (const char* output : {"~/out.dot", "$HOME/out.dot", "${HOME}/out.dot"}) {
    auto r = run(output);
    INFO(output << ": " << r.out);
    CHECK(r.exit_code != 0);
    CHECK(r.out.find(std::string("cannot write ") + output) !=
          std::string::npos);
  }
  CHECK(Names(home).empty());
  CHECK(Names(dir.path()) == before);

  // A symbolic link at the target is replaced by the export; the file it
  // pointed to is untouched.
  fs::create_directories(dir.file("elsewhere"));
  { std::ofstream(dir.file("elsewhere/precious.dot")) << "precious\n"; }
  fs::create_symlink(dir.file("elsewhere/precious.dot"), dir.file("link.dot"));
  // A link planted under the name the export used to write to first.
  { std::ofstream(dir.file("victim")) << "victim\n"; }
  fs::create_symlink(dir.file("victim"), dir.file("new.dot.kg-export.tmp"));
  auto r = run("link.dot");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(Read(dir.file("elsewhere/precious.dot")) == "precious\n");
  CHECK_FALSE(fs::is_symlink(dir.file("link.dot")));
  CHECK(Read(dir.file("link.dot")).find("digraph") != std::string::npos);
  r = run("new.dot");
  REQUIRE(r.exit_code == 0);
  CHECK(Read(dir.file("victim")) == "victim\n");
  CHECK(Read(dir.file("new.dot")).find("digraph") != std::string::npos);
  // Nothing left behind but what was asked for.
  for (const std::string& name : Names(dir.path()))
    CHECK(name.find(".kg-export-") == std::string::npos);
}

}  // namespace
