// The C API through the shared library, as a host sees it: only
// <kgstore/kg.h> is included.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <kgstore/kg.h>

#include "catch2/catch.hpp"

namespace {

namespace fs = std::filesystem;

// A fresh store directory, removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) {
    path = fs::temp_directory_path() /
           ("kg_capi_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string str() const { return path.string(); }
};

// Opens a store or fails the test with kgstore's message.
kg_db* OpenStore(const TempDir& dir, const kg_options* options = nullptr) {
  kg_db* db = nullptr;
  int rc = kg_open(dir.str().c_str(), options, &db);
  INFO(kg_errmsg(db));
  REQUIRE(rc == KG_OK);
  return db;
}

// Every row of a query, each cell in N-Triples syntax ("UNDEF" when
// unbound), cells separated by a space.
std::vector<std::string> Rows(kg_db* db, const char* query) {
  kg_result* r = nullptr;
  int rc = kg_query(db, query, &r);
  INFO(kg_errmsg(db));
  REQUIRE(rc == KG_OK);
  std::vector<std::string> rows;
  while ((rc = kg_result_step(r)) == KG_ROW) {
    std::string row;
    for (int c = 0; c < kg_result_column_count(r); ++c) {
      if (c > 0) row += ' ';
      const char* cell = kg_result_ntriples(r, c);
      row += cell != nullptr ? cell : "UNDEF";
    }
    rows.push_back(row);
  }
  kg_result_free(r);
  INFO(kg_errmsg(db));
  REQUIRE(rc == KG_DONE);
  return rows;
}

uint64_t Count(kg_db* db) {
  uint64_t n = 0;
  REQUIRE(kg_count(db, &n) == KG_OK);
  return n;
}

constexpr char kEx[] = "<http://example.org/";

std::string Ex(const char* local) { return std::string(kEx) + local + ">"; }

void Insert(kg_db* db, const std::vector<std::vector<std::string>>& quads) {
  kg_txn* txn = nullptr;
  REQUIRE(kg_begin(db, &txn) == KG_OK);
  for (const auto& q : quads) {
    int rc = kg_insert(txn, q[0].c_str(), q[1].c_str(), q[2].c_str(),
                       q.size() > 3 ? q[3].c_str() : nullptr);
    INFO(kg_errmsg(db));
    REQUIRE(rc == KG_OK);
  }
  REQUIRE(kg_commit(txn) == KG_OK);
}

}  // namespace

TEST_CASE("capi: the version is the header's", "[capi]") {
  CHECK(std::string(kg_version()) == KG_VERSION);
  CHECK(kg_version_number() == KG_VERSION_NUMBER);
  CHECK(KG_VERSION_NUMBER == KG_VERSION_MAJOR * 1000000 +
                                 KG_VERSION_MINOR * 1000 + KG_VERSION_PATCH);
  CHECK(std::string(kg_errstr(KG_INVALID)) == "KG_INVALID");
  CHECK(std::string(kg_errstr(12345)) == "KG_UNKNOWN");
}

TEST_CASE("capi: a failed open still gives a handle with the reason",
          "[capi]") {
  TempDir dir("missing");
  kg_options* options = kg_options_new();
  kg_options_set_create_if_missing(options, 0);
  kg_db* db = nullptr;
  CHECK(kg_open(dir.str().c_str(), options, &db) == KG_NOTFOUND);
  kg_options_free(options);
  REQUIRE(db != nullptr);
  CHECK(std::strlen(kg_errmsg(db)) > 0);
  CHECK(kg_errcode(db) == KG_NOTFOUND);
  // Nothing else works on it, and says so.
  kg_result* r = nullptr;
  CHECK(kg_query(db, "ASK {}", &r) == KG_MISUSE);
  CHECK(r == nullptr);
  CHECK(std::string(kg_errmsg(db)).find("not open") != std::string::npos);
  kg_close(db);
  CHECK(kg_open(nullptr, nullptr, &db) == KG_INVALID);
  kg_close(db);
  kg_close(nullptr);
}

TEST_CASE("capi: transactions write quads in both term forms", "[capi]") {
  TempDir dir("txn");
  kg_db* db = OpenStore(dir);
  Insert(db, {{Ex("a"), Ex("p"), Ex("b")},
              {Ex("a"), Ex("p"), "\"x\"@EN", Ex("g")},
              {"_:n1", Ex("p"),
               "\"7\"^^<http://www.w3.org/2001/XMLSchema#integer>"}});
  CHECK(Count(db) == 3);

  // Structured terms.
  kg_txn* txn = nullptr;
  REQUIRE(kg_begin(db, &txn) == KG_OK);
  kg_term s{KG_TERM_IRI, "http://example.org/c", nullptr, nullptr};
  kg_term p{KG_TERM_IRI, "http://example.org/q", nullptr, nullptr};
  kg_term o{KG_TERM_LITERAL, "1.5", "http://www.w3.org/2001/XMLSchema#decimal",
            nullptr};
  kg_term g{KG_TERM_IRI, "http://example.org/g", nullptr, nullptr};
  REQUIRE(kg_insert_terms(txn, &s, &p, &o, &g) == KG_OK);
  // The transaction sees its own write before commit; the store does not.
  kg_result* m = nullptr;
  REQUIRE(kg_txn_match(txn, nullptr, Ex("q").c_str(), nullptr, nullptr, &m) ==
          KG_OK);
  CHECK(kg_result_step(m) == KG_ROW);
  CHECK(kg_result_step(m) == KG_DONE);
  kg_result_free(m);
  CHECK(Count(db) == 3);
  REQUIRE(kg_commit(txn) == KG_OK);
  CHECK(Rows(db, "SELECT ?o { <http://example.org/c> ?p ?o }") ==
        std::vector<std::string>{
            "\"1.5\"^^<http://www.w3.org/2001/XMLSchema#decimal>"});

  // Rollback discards; removal works in both forms.
  REQUIRE(kg_begin(db, &txn) == KG_OK);
  REQUIRE(kg_insert(txn, Ex("z").c_str(), Ex("p").c_str(), Ex("z").c_str(),
                    nullptr) == KG_OK);
  kg_rollback(txn);
  CHECK(Count(db) == 4);
  REQUIRE(kg_begin(db, &txn) == KG_OK);
  REQUIRE(kg_remove_terms(txn, &s, &p, &o, &g) == KG_OK);
  REQUIRE(kg_remove(txn, Ex("a").c_str(), Ex("p").c_str(), Ex("b").c_str(),
                    nullptr) == KG_OK);
  REQUIRE(kg_commit(txn) == KG_OK);
  CHECK(Count(db) == 2);
  kg_close(db);
}

TEST_CASE("capi: bad terms are refused with the argument named", "[capi]") {
  TempDir dir("badterm");
  kg_db* db = OpenStore(dir);
  kg_txn* txn = nullptr;
  REQUIRE(kg_begin(db, &txn) == KG_OK);
  CHECK(kg_insert(txn, Ex("a").c_str(), Ex("p").c_str(), "\"unterminated",
                  nullptr) == KG_INVALID);
  std::string message = kg_errmsg(db);
  CHECK(message.find("object") != std::string::npos);
  CHECK(message.find("column") != std::string::npos);
  CHECK(kg_insert(txn, "\"lit\"", Ex("p").c_str(), Ex("b").c_str(), nullptr) ==
        KG_INVALID);
  CHECK(std::string(kg_errmsg(db)).find("subject") != std::string::npos);
  CHECK(kg_insert(txn, Ex("a").c_str(), "_:b", Ex("b").c_str(), nullptr) ==
        KG_INVALID);
  CHECK(kg_insert(txn, "<relative>", Ex("p").c_str(), Ex("b").c_str(),
                  nullptr) == KG_INVALID);
  CHECK(kg_insert(txn, Ex("a").c_str(), Ex("p").c_str(), nullptr, nullptr) ==
        KG_INVALID);
  kg_term bad{99, "x", nullptr, nullptr};
  kg_term iri{KG_TERM_IRI, "http://example.org/a", nullptr, nullptr};
  CHECK(kg_insert_terms(txn, &iri, &iri, &bad, nullptr) == KG_INVALID);
  kg_term spaced{KG_TERM_IRI, "http://example.org/a b", nullptr, nullptr};
  CHECK(kg_insert_terms(txn, &iri, &iri, &spaced, nullptr) == KG_INVALID);
  CHECK(std::string(kg_errmsg(db)).find("object") != std::string::npos);
  kg_term relative{KG_TERM_IRI, "a", nullptr, nullptr};
  CHECK(kg_insert_terms(txn, &relative, &iri, &iri, nullptr) == KG_INVALID);
  kg_term bad_type{KG_TERM_LITERAL, "1", "bad dt", nullptr};
  CHECK(kg_insert_terms(txn, &iri, &iri, &bad_type, nullptr) == KG_INVALID);
  kg_term bad_label{KG_TERM_BLANK, "a b", nullptr, nullptr};
  CHECK(kg_insert_terms(txn, &bad_label, &iri, &iri, nullptr) == KG_INVALID);
  REQUIRE(kg_commit(txn) == KG_OK);
  CHECK(Count(db) == 0);
  kg_close(db);
}

TEST_CASE("capi: result cells give kind and lexical form and datatype and language",
          "[capi]") {
  TempDir dir("cells");
  kg_db* db = OpenStore(dir);
  Insert(db, {{Ex("a"), Ex("p"), "\"hello\"@en-GB"},
              {Ex("a"), Ex("q"), "\"nul\\u0000inside\""},
              {Ex("b"), Ex("p"), "_:x"}});
  kg_result* r = nullptr;
  REQUIRE(kg_query(db,
                   "SELECT ?s ?o ?n WHERE { ?s <http://example.org/p> ?o "
                   "OPTIONAL { ?s <http://example.org/q> ?n } } ORDER BY ?s",
                   &r) == KG_OK);
  CHECK(kg_result_type(r) == KG_RESULT_BINDINGS);
  REQUIRE(kg_result_column_count(r) == 3);
  CHECK(std::string(kg_result_column_name(r, 0)) == "s");
  CHECK(kg_result_column_name(r, 3) == nullptr);
  CHECK(kg_result_column_index(r, "?n") == 2);
  CHECK(kg_result_column_index(r, "nope") == -1);
  // Before the first step there is no row.
  CHECK(kg_result_kind(r, 0) == KG_TERM_UNBOUND);
  CHECK(kg_result_lexical(r, 0) == nullptr);

  REQUIRE(kg_result_step(r) == KG_ROW);
  CHECK(kg_result_kind(r, 0) == KG_TERM_IRI);
  CHECK(std::string(kg_result_lexical(r, 0)) == "http://example.org/a");
  CHECK(kg_result_datatype(r, 0) == nullptr);
  CHECK(kg_result_kind(r, 1) == KG_TERM_LITERAL);
  CHECK(std::string(kg_result_lexical(r, 1)) == "hello");
  CHECK(std::string(kg_result_language(r, 1)) == "en-gb");
  CHECK(std::string(kg_result_datatype(r, 1)) ==
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString");
  REQUIRE(kg_result_kind(r, 2) == KG_TERM_LITERAL);
  CHECK(kg_result_lexical_length(r, 2) == 10);
  CHECK(std::string(kg_result_lexical(r, 2), 10) ==
        std::string("nul\0inside", 10));
  CHECK(std::string(kg_result_datatype(r, 2)) ==
        "http://www.w3.org/2001/XMLSchema#string");
  CHECK(kg_result_language(r, 2) == nullptr);
  CHECK(std::string(kg_result_ntriples(r, 2)) == "\"nul\\u0000inside\"");

  REQUIRE(kg_result_step(r) == KG_ROW);
  CHECK(kg_result_kind(r, 1) == KG_TERM_BLANK);
  CHECK(kg_result_kind(r, 2) == KG_TERM_UNBOUND);
  CHECK(kg_result_lexical(r, 2) == nullptr);
  CHECK(kg_result_ntriples(r, 2) == nullptr);
  CHECK(kg_result_kind(r, -1) == KG_TERM_UNBOUND);
  CHECK(kg_result_step(r) == KG_DONE);
  CHECK(kg_result_step(r) == KG_DONE);
  kg_result_free(r);
  kg_close(db);
}

TEST_CASE("capi: ASK and CONSTRUCT and matches and updates", "[capi]") {
  TempDir dir("kinds");
  kg_db* db = OpenStore(dir);
  Insert(db, {{Ex("a"), Ex("p"), Ex("b")},
              {Ex("b"), Ex("p"), Ex("c"), Ex("g")}});
  int answer = -1;
  REQUIRE(kg_ask(db, "ASK { ?x <http://example.org/p>+ <http://example.org/c> }",
                 &answer) == KG_OK);
  CHECK(answer == 1);
  REQUIRE(kg_ask(db, "SELECT * { ?x ?y <http://example.org/zzz> }", &answer) ==
          KG_OK);
  CHECK(answer == 0);

  kg_result* r = nullptr;
  REQUIRE(kg_query(db, "ASK { ?x ?p ?y }", &r) == KG_OK);
  CHECK(kg_result_type(r) == KG_RESULT_BOOLEAN);
  CHECK(kg_result_boolean(r) == 1);
  CHECK(kg_result_column_count(r) == 0);
  CHECK(kg_result_step(r) == KG_DONE);
  kg_result_free(r);

  REQUIRE(kg_query(db, "CONSTRUCT { ?y ?p ?x } WHERE { ?x ?p ?y }", &r) ==
          KG_OK);
  CHECK(kg_result_type(r) == KG_RESULT_GRAPH);
  CHECK(kg_result_column_count(r) == 3);
  int triples = 0;
  while (kg_result_step(r) == KG_ROW) {
    CHECK(kg_result_kind(r, 0) == KG_TERM_IRI);
    ++triples;
  }
  CHECK(triples == 2);
  kg_result_free(r);

  // Matches: any graph, the default graph only, one named graph.
  auto matches = [&](const char* g) {
    kg_result* m = nullptr;
    REQUIRE(kg_match(db, nullptr, Ex("p").c_str(), nullptr, g, &m) == KG_OK);
    CHECK(kg_result_type(m) == KG_RESULT_QUADS);
    CHECK(std::string(kg_result_column_name(m, 3)) == "graph");
    std::vector<std::string> out;
    while (kg_result_step(m) == KG_ROW) {
      const char* graph = kg_result_ntriples(m, 3);
      out.push_back(std::string(kg_result_lexical(m, 0)) + " " +
                    (graph ? graph : "default"));
    }
    kg_result_free(m);
    return out;
  };
  CHECK(matches(nullptr).size() == 2);
  CHECK(matches(KG_DEFAULT_GRAPH) ==
        std::vector<std::string>{"http://example.org/a default"});
  CHECK(matches(Ex("g").c_str()) ==
        std::vector<std::string>{"http://example.org/b <http://example.org/g>"});
  kg_result* m = nullptr;
  CHECK(kg_match(db, "\"bad", nullptr, nullptr, nullptr, &m) == KG_INVALID);

  kg_update_stats stats{};
  REQUIRE(kg_update(db,
                    "INSERT DATA { <http://example.org/x> "
                    "<http://example.org/p> 1, 2 }",
                    &stats) == KG_OK);
  CHECK(stats.inserted == 2);
  REQUIRE(kg_update(db, "DELETE WHERE { <http://example.org/x> ?p ?o }",
                    &stats) == KG_OK);
  CHECK(stats.removed == 2);
  CHECK(kg_update(db, "INSRT DATA { }", &stats) == KG_INVALID);
  CHECK(Count(db) == 2);
  kg_close(db);
}

TEST_CASE("capi: per-request dataset and limits", "[capi]") {
  TempDir dir("request");
  kg_db* db = OpenStore(dir);
  Insert(db, {{Ex("a"), Ex("p"), Ex("b")},
              {Ex("c"), Ex("p"), Ex("d"), Ex("g")}});
  auto count = [&](const kg_request_options* options) {
    kg_result* r = nullptr;
    int rc = kg_query_with(
        db, "SELECT ?s { ?s <http://example.org/p> ?o }", options, &r);
    INFO(kg_errmsg(db));
    REQUIRE(rc == KG_OK);
    int rows = 0;
    while (kg_result_step(r) == KG_ROW) ++rows;
    kg_result_free(r);
    return rows;
  };
  kg_request_options options{};
  CHECK(count(nullptr) == 2);
  CHECK(count(&options) == 2);  // the store's: union
  options.dataset = KG_DATASET_STRICT;
  CHECK(count(&options) == 1);
  options.dataset = KG_DATASET_UNION;
  CHECK(count(&options) == 2);
  options.dataset = 7;
  kg_result* r = nullptr;
  CHECK(kg_query_with(db, "ASK {}", &options, &r) == KG_INVALID);
  options.dataset = KG_DATASET_STORE;
  options.base_iri = "http://example.org/";
  kg_update_stats stats{};
  REQUIRE(kg_update_with(db, "INSERT DATA { <x> <p> <y> }", &options,
                         &stats) == KG_OK);
  CHECK(stats.inserted == 1);
  CHECK(Rows(db, "SELECT ?o { <http://example.org/x> ?p ?o }") ==
        std::vector<std::string>{"<http://example.org/y>"});
  options.base_iri = nullptr;
  options.memory_limit_bytes = 1;  // any intermediate result is too much
  int rc = kg_query_with(db, "SELECT * { ?a ?b ?c } ORDER BY ?c", &options, &r);
  if (rc == KG_OK) {
    rc = kg_result_step(r);
    kg_result_free(r);
  }
  CHECK(rc == KG_FULL);
  kg_close(db);
}

TEST_CASE("capi: syntax errors carry line and column and caret", "[capi]") {
  TempDir dir("syntax");
  kg_db* db = OpenStore(dir);
  kg_result* r = nullptr;
  CHECK(kg_query(db, "SELECT ?x\nWHERE { ?x ?y }", &r) == KG_INVALID);
  CHECK(r == nullptr);
  std::string message = kg_errmsg(db);
  CHECK(message.find("line 2, column") != std::string::npos);
  CHECK(message.find('^') != std::string::npos);
  CHECK(kg_errcode(db) == KG_INVALID);
  // A later success leaves the message alone.
  REQUIRE(kg_query(db, "ASK {}", &r) == KG_OK);
  kg_result_free(r);
  CHECK(std::string(kg_errmsg(db)) == message);
  kg_close(db);
}

TEST_CASE("capi: loads from files and buffers are all or nothing", "[capi]") {
  TempDir dir("load");
  kg_db* db = OpenStore(dir);
  const char turtle[] =
      "@prefix ex: <http://example.org/> .\n"
      "ex:a ex:p ex:b , ex:c .\n";
  kg_load_options options{};
  options.format = "turtle";
  options.graph = "<http://example.org/g>";
  kg_load_stats stats{};
  REQUIRE(kg_load_buffer(db, turtle, sizeof turtle - 1, &options, &stats) ==
          KG_OK);
  CHECK(stats.statements == 2);
  CHECK(stats.quads_added == 2);
  CHECK(Rows(db, "SELECT (COUNT(*) AS ?n) { GRAPH <http://example.org/g> "
                 "{ ?s ?p ?o } }") ==
        std::vector<std::string>{
            "\"2\"^^<http://www.w3.org/2001/XMLSchema#integer>"});

  const char broken[] = "<http://example.org/a> <http://example.org/p> \"1\" .\n"
                        "<http://example.org/a> <http://example.org/p> .\n";
  options.graph = nullptr;
  options.format = "ntriples";
  CHECK(kg_load_buffer(db, broken, sizeof broken - 1, &options, nullptr) ==
        KG_INVALID);
  CHECK(std::string(kg_errmsg(db)).find(":2:") != std::string::npos);
  CHECK(Count(db) == 2);

  options.format = nullptr;
  CHECK(kg_load_buffer(db, turtle, sizeof turtle - 1, &options, nullptr) ==
        KG_INVALID);
  options.format = "klingon";
  CHECK(kg_load_buffer(db, turtle, sizeof turtle - 1, &options, nullptr) ==
        KG_INVALID);

  fs::path file = dir.path.string() + ".nt";
  {
    std::ofstream out(file);
    out << "<http://example.org/f> <http://example.org/p> \"file\" .\n";
  }
  REQUIRE(kg_load_file(db, file.c_str(), nullptr, &stats) == KG_OK);
  CHECK(stats.quads_added == 1);
  CHECK(kg_load_file(db, (dir.str() + "-missing.nt").c_str(), nullptr,
                     nullptr) == KG_NOTFOUND);
  fs::remove(file);
  CHECK(Count(db) == 3);
  kg_close(db);
}

TEST_CASE("capi: limits and interruption and read-only stores", "[capi]") {
  TempDir dir("limits");
  {
    kg_db* db = OpenStore(dir);
    std::vector<std::vector<std::string>> quads;
    for (int i = 0; i < 300; ++i) {
      std::string number = std::to_string(i);
      std::string subject = "s";
      subject += number;
      std::string literal = "\"";
      literal += number;
      literal += '"';
      quads.push_back({Ex(subject.c_str()), Ex("p"), literal});
    }
    Insert(db, quads);
    // An interrupt from another thread stops a running query (here a sort
    // of 27 million rows, which runs for tens of seconds) within moments,
    // whether it is in kg_query (which may do blocking work such as
    // sorting) or in kg_result_step.
    std::thread interrupter([db] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      kg_interrupt(db);
    });
    auto start = std::chrono::steady_clock::now();
    kg_result* r = nullptr;
    int rc = kg_query(
        db, "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c", &r);
    if (rc == KG_OK) {
      while ((rc = kg_result_step(r)) == KG_ROW) {
      }
    }
    interrupter.join();
    CHECK(rc == KG_CANCELLED);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    if (r != nullptr) {
      CHECK(kg_result_step(r) == KG_DONE);
      kg_result_free(r);
    }
    // Later queries are not cancelled.
    CHECK(Rows(db, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").size() == 1);
    kg_close(db);
  }
  {
    kg_options* options = kg_options_new();
    kg_options_set_memory_limit_bytes(options, 64 << 10);
    kg_db* db = OpenStore(dir, options);
    kg_options_free(options);
    kg_result* r = nullptr;
    // The cap holds from the start: at kg_query or at the first step.
    int rc = kg_query(db, "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
                      &r);
    if (rc == KG_OK) rc = kg_result_step(r);
    CHECK(rc == KG_FULL);
    CHECK(std::string(kg_errmsg(db)).find("memory") != std::string::npos);
    kg_result_free(r);
    // A second writer in the same process is refused at once.
    kg_db* second = nullptr;
    CHECK(kg_open(dir.str().c_str(), nullptr, &second) == KG_LOCKED);
    kg_close(second);
    kg_close(db);
  }
  {
    kg_options* options = kg_options_new();
    kg_options_set_read_only(options, 1);
    kg_db* db = OpenStore(dir, options);
    kg_options_free(options);
    CHECK(Count(db) == 300);
    kg_txn* txn = nullptr;
    CHECK(kg_begin(db, &txn) == KG_LOCKED);
    CHECK(txn == nullptr);
    CHECK(kg_update(db, "INSERT DATA { <x:a> <x:b> <x:c> }", nullptr) ==
          KG_LOCKED);
    kg_close(db);
  }
}

TEST_CASE("capi: plans and statistics and checks and exports", "[capi]") {
  TempDir dir("maint");
  kg_db* db = OpenStore(dir);
  Insert(db, {{Ex("a"), Ex("knows"), Ex("b"), Ex("g")},
              {Ex("b"), Ex("knows"), Ex("c"), Ex("g")},
              {Ex("a"), "<http://www.w3.org/2000/01/rdf-schema#label>",
               "\"A \\\"quoted\\\" name\""}});
  char* plan = nullptr;
  REQUIRE(kg_explain(db, "SELECT * { ?x <http://example.org/knows>+ ?y }", 0,
                     &plan) == KG_OK);
  REQUIRE(plan != nullptr);
  CHECK(std::strlen(plan) > 0);
  kg_free(plan);
  REQUIRE(kg_explain(db, "SELECT * { ?x ?p ?y }", 1, &plan) == KG_OK);
  CHECK(std::string(plan).find("rows") != std::string::npos);
  kg_free(plan);

  char* json = nullptr;
  REQUIRE(kg_statistics(db, &json) == KG_OK);
  std::string stats = json;
  kg_free(json);
  CHECK(stats.find("\"quads\":3") != std::string::npos);
  CHECK(stats.find("\"predicate\":\"http://example.org/knows\"") !=
        std::string::npos);
  CHECK(stats.find("\"graph\":null") != std::string::npos);

  char* problems = reinterpret_cast<char*>(1);
  CHECK(kg_check(db, &problems) == KG_OK);
  CHECK(problems == nullptr);
  CHECK(kg_compact(db) == KG_OK);

  fs::path picture = dir.path.string() + ".dot";
  kg_export_options options{};
  options.format = "dot";
  REQUIRE(kg_export(db, picture.c_str(), &options) == KG_OK);
  {
    std::ifstream in(picture);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("digraph") != std::string::npos);
  }
  fs::remove(picture);
  options.format = "png";
  CHECK(kg_export(db, picture.c_str(), &options) == KG_INVALID);
  CHECK(!fs::exists(picture));
  options.format = "html";
  options.query = "CONSTRUCT WHERE { ?s ?p";  // broken
  CHECK(kg_export(db, picture.c_str(), &options) == KG_INVALID);
  CHECK(!fs::exists(picture));
  // Nothing left beside it, and a symbolic link under the old fixed
  // temporary name is not written through.
  for (const auto& entry : fs::directory_iterator(picture.parent_path()))
    CHECK(entry.path().filename().string().find(".kg-export-") ==
          std::string::npos);
  const fs::path victim = picture.parent_path() / "victim.txt";
  { std::ofstream(victim) << "keep"; }
  fs::create_symlink(victim, picture.string() + ".kg-export-tmp");
  options.query = nullptr;
  options.format = "dot";
  REQUIRE(kg_export(db, picture.c_str(), &options) == KG_OK);
  {
    std::ifstream in(victim);
    std::string text;
    std::getline(in, text);
    CHECK(text == "keep");
  }
  fs::remove(picture.string() + ".kg-export-tmp");
  fs::remove(picture);
  options.format = "html";
  options.query = nullptr;
  options.graph = "<http://example.org/nope>";
  CHECK(kg_export(db, picture.c_str(), &options) == KG_NOTFOUND);
  options.graph = nullptr;
  options.around = "<http://example.org/b>";
  options.format = "graphml";
  REQUIRE(kg_export(db, picture.c_str(), &options) == KG_OK);
  CHECK(fs::file_size(picture) > 0);
  fs::remove(picture);
  kg_close(db);
}

TEST_CASE("capi: one store shared by threads keeps messages per thread",
          "[capi]") {
  TempDir dir("threads");
  kg_db* db = OpenStore(dir);
  Insert(db, {{Ex("a"), Ex("p"), Ex("b")}});
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (t % 2 == 0) {
          int answer = 0;
          if (kg_ask(db, "ASK { ?s ?p ?o }", &answer) == KG_OK && answer == 1)
            ++good;
        } else {
          kg_result* r = nullptr;
          if (kg_query(db, "SELECT nonsense", &r) == KG_INVALID &&
              std::string(kg_errmsg(db)).find("line 1") != std::string::npos)
            ++good;
        }
      }
      // This thread's own message: the syntax error only on odd threads.
      if (t % 2 == 0 && std::string(kg_errmsg(db)).empty()) ++good;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(good == 4 * 50 + 2);
  kg_close(db);
}
