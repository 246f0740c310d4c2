// The small fixed store the execution fuzz targets (fuzz_query_exec.cc,
// fuzz_update_exec.cc) run on: built once per process, in a fresh
// temporary directory removed at exit, from a short TriG text through the
// public engine API.
//
// The store is made deterministic, so that a crash an input caused
// reproduces when the input is replayed alone: no background warm-up, no
// probe cache and no query cache (whose contents depend on earlier inputs
// and on timing). Two Database objects serve queries: `plain` reads the
// indexes only; `preloaded` built the in-memory adjacencies of every
// predicate at open, so the same query also runs on them.

#ifndef KGSTORE_TESTS_FUZZ_FUZZ_STORE_H_
#define KGSTORE_TESTS_FUZZ_FUZZ_STORE_H_

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "engine/database.h"

namespace kg::fuzz {

// Terms the W3C queries of the seed corpus use (http://example.org/ns#,
// http://example/, foaf, rdf:type, xsd values of every kind, language
// tags), named graphs, blank nodes, and a chain with a cycle for paths.
inline std::string FuzzStoreTriG() {
  std::string text = R"(
@prefix :     <http://example.org/ns#> .
@prefix ex:   <http://example/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

:alice a foaf:Person ; foaf:name "Alice" ; foaf:name "Alicia"@es ;
       foaf:mbox <mailto:alice@example.org> ; foaf:age 31 ;
       foaf:knows :bob , :carol , _:x .
:bob a foaf:Person ; foaf:name "Bob"@en ; foaf:age "29"^^xsd:integer ;
     foaf:knows :alice ; :score 1.5 , 2.5e0 , "7"^^xsd:decimal .
:carol a foaf:Person ; foaf:name "Carol" ; :born "1990-05-01"^^xsd:date ;
       :seen "2020-01-02T03:04:05Z"^^xsd:dateTime ; :flag true .
_:x foaf:name "anonymous" ; :p ( 1 2 "three" ) ; :q [ :r :s ] .
ex:a ex:p ex:b . ex:b ex:p ex:c . ex:c ex:p ex:a . ex:c ex:q "c"@en-US .
ex:s ex:p "1"^^xsd:short , "-0.0"^^xsd:double , "NaN"^^xsd:float ,
       "x"^^ex:unknown , "" , "\u00e9t\u00e9" .
:Person rdfs:subClassOf :Agent . :Agent rdfs:subClassOf :Thing .

:g1 { :alice :in :g1 . ex:a ex:p ex:d . :bob foaf:name "Robert" . }
:g2 { _:y :in :g2 ; :value 10 , 20 , 30 . ex:d ex:p ex:a . }
<http://example.org/g3> { ex:e ex:q ex:f . }
)";
  // A longer chain for path and join operators: 60 nodes, each to the
  // next and every fifth back to the first.
  for (int i = 0; i < 60; ++i) {
    absl::StrAppend(&text, "ex:n", i, " ex:next ex:n", (i + 1) % 60, " ; ",
                    ":value ", i % 7, " .\n");
    if (i % 5 == 0) absl::StrAppend(&text, "ex:n", i, " ex:back ex:n0 .\n");
  }
  return text;
}

class FuzzStore {
 public:
  // The process's store, built at the first call.
  static FuzzStore& Get() {
    static FuzzStore* store = new FuzzStore();  // destroyed by atexit
    return *store;
  }

  Database& plain() { return *plain_; }
  Database& preloaded() { return *preloaded_; }

  // The options every fuzzed request runs with: bounded in time (200 ms,
  // under libFuzzer's -timeout) and memory (64 MiB), with the ex: prefix
  // of the store's data.
  static QueryOptions RequestOptions() {
    QueryOptions options;
    options.timeout_ms = 200;
    options.memory_limit_bytes = uint64_t{64} << 20;
    options.prefixes["ex"] = "http://example/";
    return options;
  }

  // Every quad of the plain store, by its N-Quads text (blank nodes with
  // the labels the store hands out).
  std::map<std::string, Quad> Contents() {
    std::map<std::string, Quad> quads;
    std::unique_ptr<QuadCursor> c = plain_->Match(QuadPattern{});
    for (; c->Valid(); c->Next()) quads.emplace(c->quad().ToNQuads(), c->quad());
    if (!c->status().ok()) Die("match", c->status());
    return quads;
  }
  const std::map<std::string, Quad>& initial() const { return initial_; }

  // Puts the plain store back to its initial contents (after an update),
  // in one transaction: what was added is removed, what was removed is
  // added back (a blank-node label the store handed out names that node).
  void Reset(const std::map<std::string, Quad>& now) {
    auto txn = plain_->BeginTransaction();
    if (!txn.ok()) Die("begin", txn.status());
    for (const auto& [text, q] : now) {
      if (!initial_.count(text)) Check("remove", (*txn)->Remove(q));
    }
    for (const auto& [text, q] : initial_) {
      if (!now.count(text)) Check("insert", (*txn)->Insert(q));
    }
    Check("commit", (*txn)->Commit());
    if (Contents() != initial_) {
      std::fprintf(stderr, "fuzz store: the reset did not restore the store\n");
      std::abort();
    }
  }

 private:
  FuzzStore() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "kg-fuzz-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    dir_ = tmpl;
    plain_ = Open("plain", /*preload=*/false);
    Load(*plain_);
    initial_ = Contents();
    // A second store with the same quads whose adjacencies are in memory.
    preloaded_ = Open("preloaded", /*preload=*/true);
    Load(*preloaded_);
    preloaded_.reset();
    preloaded_ = Open("preloaded", /*preload=*/true);
    std::atexit([] {
      FuzzStore& s = Get();
      s.plain_.reset();
      s.preloaded_.reset();
      std::error_code ec;
      std::filesystem::remove_all(s.dir_, ec);
    });
  }

  [[noreturn]] static void Die(const char* what, const absl::Status& s) {
    std::fprintf(stderr, "fuzz store: %s: %s\n", what, s.ToString().c_str());
    std::abort();
  }

  static void Check(const char* what, const absl::Status& s) {
    if (!s.ok()) Die(what, s);
  }

  std::unique_ptr<Database> Open(const char* name, bool preload) {
    OpenOptions options;
    options.durable_commits = false;
    options.block_cache_bytes = size_t{8} << 20;
    options.term_cache_bytes = size_t{1} << 20;
    options.query_cache_entries = 0;
    options.probe_cache_bytes = 0;
    options.warm_adjacencies_in_background = false;
    options.preload_adjacencies = preload;
    options.adjacency_cache_bytes = preload ? size_t{16} << 20 : 0;
    auto db = Database::Open(dir_ + "/" + name, options);
    if (!db.ok()) Die("open", db.status());
    return std::move(*db);
  }

  static void Load(Database& db) {
    std::istringstream in(FuzzStoreTriG());
    LoadOptions options;
    options.format = RdfFormat::kTriG;
    auto loaded = db.LoadStream(in, options);
    if (!loaded.ok()) Die("load", loaded.status());
  }

  std::string dir_;
  std::unique_ptr<Database> plain_;
  std::unique_ptr<Database> preloaded_;
  std::map<std::string, Quad> initial_;
};

}  // namespace kg::fuzz

#endif  // KGSTORE_TESTS_FUZZ_FUZZ_STORE_H_
