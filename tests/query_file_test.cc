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
//   error <fragment>                 a query or update that must fail with a
//                                    message containing <fragment>, up to "----"
//   count N                          a query whose result has N rows, up to "----"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
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
    } else if (head.rfind("query", 0) == 0) {
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
    } else if (head.rfind("error ", 0) == 0) {
      std::string fragment = head.substr(6);
      std::string text = UpTo(lines, &i, "----");
      bool is_update = text.find("INSERT") != std::string::npos ||
                       text.find("DELETE") != std::string::npos;
      absl::Status s = is_update ? (*db)->Update(text).status()
                                 : (*db)->Query(text).status();
      INFO(text);
      REQUIRE_FALSE(s.ok());
      CHECK(std::string(s.message()).find(fragment) != std::string::npos);
    } else {
      FAIL("unknown block '" << head << "' in " << path);
    }
  }
}

TEST_CASE("query test files", "[query][files]") {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(kRoot + "/tests/queries"))
    if (e.path().extension() == ".test") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  for (const std::string& f : files) {
    DYNAMIC_SECTION(std::filesystem::path(f).filename().string()) { RunFile(f); }
  }
}

}  // namespace
}  // namespace kg
