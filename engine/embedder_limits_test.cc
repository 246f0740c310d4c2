// What a query can reach inside its host (issue 17): no file is read or
// written unless the host enables it, SERVICE goes nowhere, no built-in
// function touches the file system, paths are used exactly as given.
// docs/SAFETY.md, "Limits for embedders".

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "engine/database.h"
#include "query/grammar/words.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

using testing::TempDir;

std::string Message(const absl::Status& s) { return std::string(s.message()); }

std::unique_ptr<Database> OneTriple(const TempDir& dir) {
  auto db = testing::StoreFromTrig(dir, "<urn:a> <urn:p> <urn:b> .");
  REQUIRE(db.ok());
  return *std::move(db);
}

// A file the host could read: dir/data.nt with one triple.
std::string DataFile(const TempDir& dir) {
  std::filesystem::create_directories(dir.path());
  const std::string path = dir.file("data.nt");
  std::ofstream(path) << "<urn:from-file> <urn:p> <urn:o> .\n";
  return path;
}

TEST_CASE("embedder: LOAD reads no file unless the host allows it",
          "[embedder][limits]") {
  TempDir dir;
  auto db = OneTriple(dir);
  const std::string file = DataFile(dir);
  const std::string loads[] = {
      "LOAD <file://" + file + ">",
      "LOAD <file://" + file + "> INTO GRAPH <urn:g>",
      "LOAD <" + file + ">",
      "LOAD <data.nt>",
      "LOAD <http://example.org/data.nt>",
      "INSERT DATA { <urn:x> <urn:p> <urn:y> } ; LOAD <file://" + file + ">",
  };
  for (const std::string& u : loads) {
    auto r = db->Update(u);
    INFO(u << " -> " << r.status());
    REQUIRE(absl::IsPermissionDenied(r.status()));
    CHECK(Message(r.status()).find("allow_file_access") != std::string::npos);
  }
  // SILENT: nothing happens, nothing is read, no error.
  auto silent = db->Update("LOAD SILENT <file://" + file + ">");
  REQUIRE(silent.ok());
  CHECK(silent->inserted == 0);
  CHECK(db->Statistics().quads == 1);
  // The host allows it: the same request loads.
  QueryOptions allowed;
  allowed.allow_file_access = true;
  auto loaded = db->Update("LOAD <file://" + file + ">", allowed);
  REQUIRE(loaded.ok());
  CHECK(loaded->inserted == 1);
  // Even then, an IRI is a path as written: "~" and "$HOME" are not
  // expanded.
  const char* home = getenv("HOME");
  const std::string saved = home != nullptr ? home : "";
  setenv("HOME", dir.path().c_str(), 1);
  for (const char* u : {"LOAD <file://~/data.nt>", "LOAD <file://$HOME/data.nt>",
                        "LOAD <~/data.nt>"}) {
    auto r = db->Update(u, allowed);
    INFO(u << " -> " << r.status());
    CHECK(absl::IsNotFound(r.status()));
  }
  if (home != nullptr) {
    setenv("HOME", saved.c_str(), 1);
  } else {
    unsetenv("HOME");
  }
  CHECK(db->Statistics().quads == 2);
}

TEST_CASE("embedder: SERVICE is refused in queries and updates",
          "[embedder][limits]") {
  TempDir dir;
  auto db = OneTriple(dir);
  for (const char* q :
       {"SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT <file:///etc/passwd> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o SERVICE ?endpoint { ?s ?p ?x } }",
        "ASK { FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }"}) {
    auto r = db->Query(q);
    INFO(q << " -> " << r.status());
    REQUIRE(absl::IsInvalidArgument(r.status()));
    CHECK(Message(r.status()).find("SERVICE is not supported") !=
          std::string::npos);
  }
  auto u = db->Update(
      "INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }");
  CHECK(absl::IsInvalidArgument(u.status()));
}

TEST_CASE("embedder: FROM and FROM NAMED and USING and unknown functions "
          "with file IRIs read nothing",
          "[embedder][limits]") {
  TempDir dir;
  auto db = OneTriple(dir);
  const std::string file = DataFile(dir);
  // They name graphs of the store, not documents to fetch.
  for (const std::string& q :
       {"SELECT * FROM <file://" + file + "> { ?s ?p ?o }",
        "SELECT * FROM NAMED <file://" + file + "> { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * { GRAPH <file://" + file + "> { ?s ?p ?o } }",
        // An unknown function is an error value, whatever its IRI.
        "SELECT * { ?s ?p ?o FILTER(<file://" + file + ">(?o)) }"}) {
    auto rows = testing::QueryRows(*db, q);
    INFO(q << " -> " << rows.status());
    REQUIRE(rows.ok());
    CHECK(rows->empty());
  }
  auto u = db->Update("INSERT { ?s ?p ?o } USING <file://" + file +
                      "> WHERE { ?s ?p ?o }");
  REQUIRE(u.ok());
  CHECK(u->inserted == 0);
}

TEST_CASE("embedder: no built-in function reaches outside the query",
          "[embedder][limits]") {
  // The reviewed list: each of these computes from its arguments, the
  // query's clock (NOW) or its random state (RAND, UUID, STRUUID, BNODE),
  // and nothing else — no file, no network, no environment. A function
  // added to query/grammar/words.h fails this test until it is reviewed
  // and added here (and to docs/SAFETY.md if it reaches outside).
  const std::set<std::string> reviewed = {
      "STR",       "LANG",      "LANGMATCHES", "DATATYPE",  "BOUND",
      "IRI",       "URI",       "BNODE",       "RAND",      "ABS",
      "CEIL",      "FLOOR",     "ROUND",       "CONCAT",    "STRLEN",
      "UCASE",     "LCASE",     "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS",
      "STRENDS",   "STRBEFORE", "STRAFTER",    "YEAR",      "MONTH",
      "DAY",       "HOURS",     "MINUTES",     "SECONDS",   "TIMEZONE",
      "TZ",        "NOW",       "UUID",        "STRUUID",   "MD5",
      "SHA1",      "SHA256",    "SHA384",      "SHA512",    "COALESCE",
      "IF",        "STRLANG",   "STRDT",       "SAMETERM",  "ISIRI",
      "ISURI",     "ISBLANK",   "ISLITERAL",   "ISNUMERIC", "REGEX",
      "SUBSTR",    "REPLACE"};
  std::set<std::string> listed;
  for (const auto& f : grammar::kBuiltins) listed.emplace(f.name);
  CHECK(listed == reviewed);
}

TEST_CASE("embedder: a path given to the API is used exactly as written",
          "[embedder][limits]") {
  TempDir dir;
  auto db = OneTriple(dir);
  DataFile(dir);
  const char* home = getenv("HOME");
  const std::string saved = home != nullptr ? home : "";
  setenv("HOME", dir.path().c_str(), 1);
  setenv("KG_TEST_DATA_DIR", dir.path().c_str(), 1);
  // No shell expansion: "~", "$HOME" and "${VAR}" are characters of a
  // relative path, which does not exist here.
  for (const std::string& path :
       {"~/data.nt", "$HOME/data.nt", "${KG_TEST_DATA_DIR}/data.nt",
        "$KG_TEST_DATA_DIR/data.nt"}) {
    auto r = db->LoadFile(path, {});
    INFO(path << " -> " << r.status());
    REQUIRE(absl::IsNotFound(r.status()));
    CHECK(Message(r.status()).find(path) != std::string::npos);
  }
  if (home != nullptr) {
    setenv("HOME", saved.c_str(), 1);
  } else {
    unsetenv("HOME");
  }
  unsetenv("KG_TEST_DATA_DIR");
  CHECK(db->Statistics().quads == 1);
}

}  // namespace
}  // namespace kg
