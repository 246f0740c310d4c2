// The one IRI-shortening rule (PrefixedName, ShortenIri), its inverse, and
// the prefixes a store's data gives (StorePrefixes): engine/iri_prefixes.h.

#include "engine/iri_prefixes.h"

#include <catch2/catch.hpp>
#include <string>

#include "engine/database.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

using testing::StoreFromTrig;
using testing::TempDir;

const PrefixMap kPrefixes = {{"ex", "https://kgstore.example/id/"},
                             {"kg", "https://kgstore.example/vocab#"},
                             {"site", "https://kgstore.example/"},
                             {"empty", ""}};

TEST_CASE("IRIs shorten to prefixed names a query can read back",
          "[prefixes]") {
  auto name = [](std::string_view iri) { return PrefixedName(iri, kPrefixes); };
  CHECK(name("https://kgstore.example/id/madalina-lupu") == "ex:madalina-lupu");
  CHECK(name("https://kgstore.example/vocab#metWith") == "kg:metWith");
  // The longest namespace wins; a shorter one takes what it leaves out.
  CHECK(name("https://kgstore.example/other") == "site:other");
  CHECK(name("https://kgstore.example/id/42") == "ex:42");
  CHECK(name("https://kgstore.example/id/a:b") == "ex:a:b");
  CHECK(name("https://kgstore.example/id/a.b") == "ex:a.b");
  CHECK(name("https://kgstore.example/id/café") == "ex:café");
  CHECK(name("https://kgstore.example/id/") == "ex:");
  // Local parts that would need escapes: the next namespace, or none.
  CHECK(name("https://kgstore.example/id/a(b)") == std::nullopt);
  CHECK(name("https://kgstore.example/id/x%20y") == std::nullopt);
  CHECK(name("https://kgstore.example/id/-a") == std::nullopt);
  CHECK(name("https://kgstore.example/id/a.") == std::nullopt);
  CHECK(name("https://kgstore.example/id/a/b") == std::nullopt);
  CHECK(name("https://kgstore.example/id/a×b") == std::nullopt);  // U+00D7
  CHECK(name("https://kgstore.example/a/b") == std::nullopt);
  CHECK(name("http://other.example/x") == std::nullopt);  // "" never matches
  // Two names for one namespace: the first in name order.
  PrefixMap twice = {{"b", "http://x.example/"}, {"a", "http://x.example/"}};
  CHECK(PrefixedName("http://x.example/y", twice) == "a:y");

  CHECK(ShortenIri("https://kgstore.example/vocab#Person", kPrefixes) ==
        "kg:Person");
  CHECK(ShortenIri("http://other.example/x y", kPrefixes) ==
        "<http://other.example/x y>");

  CHECK(ExpandPrefixedName("ex:madalina-lupu", kPrefixes) ==
        "https://kgstore.example/id/madalina-lupu");
  CHECK(ExpandPrefixedName("kg:", kPrefixes) == "https://kgstore.example/vocab#");
  CHECK(ExpandPrefixedName("nope:x", kPrefixes) == std::nullopt);
  CHECK(ExpandPrefixedName("plain", kPrefixes) == std::nullopt);
}

TEST_CASE("a store's prefixes come from its data", "[prefixes]") {
  const PrefixMap w3c = {{"owl", "http://www.w3.org/2002/07/owl#"},
                         {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
                         {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
                         {"xsd", "http://www.w3.org/2001/XMLSchema#"}};
  SECTION("no vocabulary of its own: the W3C four") {
    TempDir dir;
    auto db = StoreFromTrig(dir, "<https://kgstore.example/id/a> "
                                 "<http://x.example/p> <http://x.example/b> .");
    REQUIRE(db.ok());
    CHECK(StorePrefixes(**db) == w3c);
  }
  SECTION("the example vocabulary when a predicate uses it") {
    TempDir dir;
    auto db = StoreFromTrig(dir, "<http://x.example/a> "
                                 "<https://kgstore.example/vocab#p> 1 .");
    REQUIRE(db.ok());
    PrefixMap want = w3c;
    want["kg"] = "https://kgstore.example/vocab#";
    want["ex"] = "https://kgstore.example/id/";
    CHECK(StorePrefixes(**db) == want);
  }
  SECTION("VANN and SHACL declarations; names or namespaces taken, and "
          "names that are not plain, are skipped") {
    TempDir dir;
    auto db = StoreFromTrig(dir, R"(
      @prefix vann: <http://purl.org/vocab/vann/> .
      @prefix sh: <http://www.w3.org/ns/shacl#> .
      @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
      <http://x.example/ont> vann:preferredNamespacePrefix "xo" ;
          vann:preferredNamespaceUri "http://x.example/ont#" .
      <http://y.example/ont> vann:preferredNamespacePrefix "rdf" ;
          vann:preferredNamespaceUri "http://y.example/ont#" .
      <http://z.example/ont> vann:preferredNamespacePrefix "1bad" ;
          vann:preferredNamespaceUri "http://z.example/ont#" .
      <http://w.example/ont> vann:preferredNamespacePrefix "w3" ;
          vann:preferredNamespaceUri <http://www.w3.org/2002/07/owl#> .
      <http://s.example/shapes> sh:declare [
          sh:prefix "shp" ; sh:namespace "http://s.example/ns/"^^xsd:anyURI ] .
    )");
    REQUIRE(db.ok());
    PrefixMap want = w3c;
    want["xo"] = "http://x.example/ont#";
    want["shp"] = "http://s.example/ns/";
    CHECK(StorePrefixes(**db) == want);
  }
}

}  // namespace
}  // namespace kg
