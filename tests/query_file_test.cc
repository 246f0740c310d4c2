// Runs the data-driven query tests in tests/queries/*.test: each file is a
// sequence of blocks, run in order against one fresh store.
//
//   # name: ...                      header comments (the group becomes a tag)
//   load seed                        load examples/seed/kazinform-2023-02-24.trig
//   data                             inline TriG, up to a line "----"
//   ...
//   ----
//   query [ordered] [strict]         a query, up to "----", then the expected
//   SELECT ...                       rows up to an empty line: a header of
//   ----                             variable names, then one row per line,
//   ?a<TAB>?b                        cells as N-Triples terms, empty = unbound;
//   <x><TAB>"1"                      rows compare as a multiset unless ordered
//   ask true|false                   an ASK query, up to "----"
//   update ok                        an update request, up to "----"
//   query error <fragment>           a query (update error: an update request)
//   update error <fragment>          that must fail with a message containing
//                                    <fragment>, up to "----"
//   count N                          a query whose result has N rows, up to "----"
//   explain <fragment>               a query whose EXPLAIN text must contain
//   explain not <fragment>           (or not contain) <fragment>, up to "----"
//   profile <fragment>               the same for EXPLAIN with profile (the
//                                    query runs; "opens=1" lines can be checked)
//
// Each file is its own Catch2 test case, registered at startup under its
// file name ("query file: minus.test") with the tags of its "# group:"
// header line, as DuckDB's test/sqlite/test_sqllogictest.cpp does; so a
// failure names the file, and `kg_tests "[paths]"` runs one group.

#include <catch2/catch.hpp>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/database.h"
#include "engine/query_result.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

const std::string kRoot = KG_SOURCE_ROOT;

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string UpTo(const std::vector<std::string>& lines, size_t* i,
                 const std::string& end) {
  std::string text;
  while (*i < lines.size() && lines[*i] != end) text += lines[(*i)++] + "\n";
  if (*i < lines.size()) ++*i;  // the terminator
  return text;
}

std::vector<std::string> ResultLines(QueryResult& r) {
  std::vector<std::string> out;
  out.push_back(absl::StrJoin(r.variables(), "\t", [](std::string* o, const std::string& v) {
    o->append("?" + v);
  }));
  Row row;
  while (true) {
    auto more = r.NextRow(&row);
    REQUIRE(more.ok());
    if (!*more) break;
    std::vector<std::string> cells;
    for (const auto& c : row) cells.push_back(c ? c->ToNTriples() : "");
    out.push_back(absl::StrJoin(cells, "\t"));
  }
  return out;
}

void RunFile(const std::string& path) {
  testing::TempDir dir;
  auto db = Database::Open(dir.file("store"), {});
  REQUIRE(db.ok());
  std::vector<std::string> lines = ReadLines(path);
  size_t i = 0;
  while (i < lines.size()) {
    const std::string head = lines[i++];
    if (head.empty() || head[0] == '#') continue;
    INFO(path << ":" << i << ": " << head);
    if (head == "load seed") {
      auto r = (*db)->LoadFile(kRoot + "/examples/seed/kazinform-2023-02-24.trig", {});
      REQUIRE(r.ok());
    } else if (head == "data") {
      std::istringstream in(UpTo(lines, &i, "----"));
      LoadOptions lo;
      lo.format = RdfFormat::kTriG;
      auto r = (*db)->LoadStream(in, lo);
      INFO(r.status());
      REQUIRE(r.ok());
    } else if (head.rfind("query", 0) == 0 &&
               head.rfind("query error ", 0) != 0) {
      bool ordered = head.find("ordered") != std::string::npos;
      QueryOptions qo;
      qo.strict_dataset = head.find("strict") != std::string::npos;
      std::string text = UpTo(lines, &i, "----");
      std::vector<std::string> expected;
      while (i < lines.size() && !lines[i].empty()) expected.push_back(lines[i++]);
      INFO(text);
      auto r = (*db)->Query(text, qo);
      INFO(r.status());
      REQUIRE(r.ok());
      std::vector<std::string> actual = ResultLines(**r);
      if (!ordered) {
        std::sort(expected.begin() + std::min<size_t>(1, expected.size()), expected.end());
        std::sort(actual.begin() + 1, actual.end());
      }
      CHECK(actual == expected);
    } else if (head.rfind("ask ", 0) == 0) {
      std::string text = UpTo(lines, &i, "----");
      auto r = (*db)->Query(text);
      INFO(text << r.status());
      REQUIRE(r.ok());
      CHECK((*r)->boolean() == (head == "ask true"));
    } else if (head.rfind("count ", 0) == 0) {
      std::string text = UpTo(lines, &i, "----");
      auto r = (*db)->Query(text);
      INFO(text << r.status());
      REQUIRE(r.ok());
      CHECK(ResultLines(**r).size() - 1 == std::stoul(head.substr(6)));
    } else if (head == "update ok") {
      std::string text = UpTo(lines, &i, "----");
      auto r = (*db)->Update(text);
      INFO(text << r.status());
      CHECK(r.ok());
    } else if (head.rfind("query error ", 0) == 0 ||
               head.rfind("update error ", 0) == 0) {
      const bool is_update = head[0] == 'u';
      std::string fragment = head.substr(is_update ? 13 : 12);
      std::string text = UpTo(lines, &i, "----");
      absl::Status s = is_update ? (*db)->Update(text).status()
                                 : (*db)->Query(text).status();
      INFO(text);
      REQUIRE_FALSE(s.ok());
      CHECK(std::string(s.message()).find(fragment) != std::string::npos);
    } else if (head.rfind("explain ", 0) == 0 ||
               head.rfind("profile ", 0) == 0) {
      const bool profile = head[0] == 'p';
      std::string fragment = head.substr(8);
      const bool negated = fragment.rfind("not ", 0) == 0;
      if (negated) fragment = fragment.substr(4);
      std::string text = UpTo(lines, &i, "----");
      auto plan = (*db)->Explain(text, profile);
      INFO(text << plan.status());
      REQUIRE(plan.ok());
      INFO(*plan);
      CHECK((plan->find(fragment) != std::string::npos) != negated);
    } else {
      FAIL("unknown block '" << head << "' in " << path);
    }
  }
}

// One Catch2 test case per file, registered before main runs.
class FileInvoker : public Catch::ITestInvoker {
 public:
  explicit FileInvoker(std::string path) : path_(std::move(path)) {}
  void invoke() const override { RunFile(path_); }

 private:
  std::string path_;
};

std::string GroupTags(const std::string& path) {
  for (const std::string& line : ReadLines(path)) {
    if (line.rfind("# group:", 0) == 0) {
      std::string tags(absl::StripAsciiWhitespace(line.substr(8)));
      if (!tags.empty()) return tags;
    }
  }
  return "[query]";
}

struct RegisterFiles {
  RegisterFiles() {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(
             kRoot + "/tests/queries", ec))
      if (e.path().extension() == ".test") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      // Catch keeps the name and tags by reference to these strings.
      paths_.push_back(f);
      names_.push_back("query file: " +
                       std::filesystem::path(f).filename().string());
      tags_.push_back(GroupTags(f) + "[files]");
      Catch::getMutableRegistryHub().registerTest(Catch::makeTestCase(
          new FileInvoker(f), "", Catch::NameAndTags{names_.back(), tags_.back()},
          Catch::SourceLineInfo(paths_.back().c_str(), 1)));
    }
  }
  std::deque<std::string> paths_, names_, tags_;
};
const RegisterFiles kRegisterFiles;

// The folder must hold files: an empty one would register nothing and pass.
TEST_CASE("query test files are present", "[query][files]") {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(kRoot + "/tests/queries"))
    if (e.path().extension() == ".test") ++n;
  CHECK(n >= 8);
}

}  // namespace
}  // namespace kg
