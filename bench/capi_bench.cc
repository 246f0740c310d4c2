// The cost of calling kgstore through its C API (kgstore/kg.h) against its
// C++ API (kgstore/database.h), call for call, on the same store and the
// same queries (Google Benchmark). bench/python/binding_bench.py measures
// the Python binding on the same store and operations.
//
//   BM_PointQuery/{cpp,c}   SELECT ?l WHERE { ex:person-42 rdfs:label ?l }:
//                           query, step to the end (one row), read the cell
//   BM_PointMatch/{cpp,c}   Match / kg_match of a fully bound quad
//                           (ex:person-42 rdfs:label "...", default graph):
//                           one row, every cell read
//   BM_Rows10k/{cpp,c}      SELECT ?s ?label WHERE { ?s rdfs:label ?label }
//                           LIMIT 10000: 10,000 rows of an IRI and a
//                           literal, every cell's lexical form read
//   BM_Match10k/{cpp,c}     Match / kg_match (?, rdfs:label, ?, any graph),
//                           the first 10,000 quads, every cell read
//
// "Read" is what a host does with a cell's text: C++ takes row[i]->lexical
// (a std::string in the row); C calls kg_result_kind, kg_result_lexical and
// kg_result_lexical_length. The C++ side builds its Match pattern (Terms)
// once, as a C++ host would; the C side passes N-Triples text, which
// kg_match parses on every call.
//
// Both sides run the same compiled engine: this program links only the
// shared libkgstore, whose exported symbols are the C API and the C++ API
// (headers from build/include/kgstore, as a host includes them). Linking
// the static layer libraries as well would put two copies of the engine
// and of RocksDB into one process (the library's calls to kg::Database
// would bind to the executable's copy by symbol interposition), so the C++
// figures would measure different code from the C ones.
//
// The data: the project's generator (kg_generate, next to this binary) at
// KG_BENCH_TRIPLES statements (default 200,000: 5,000 persons, 28,000
// labels), loaded once through the C API into $TMPDIR/kg_capi_bench_<N>
// and reused by later runs (and by binding_bench.py). The store is opened
// twice, once per API, read-only and otherwise with default options; each
// warms its in-memory adjacencies in the background, and the program waits
// 1 s after opening so that both are built before anything is timed; each
// case then runs 0.1 s untimed (each handle has its own term and block
// caches).
//
// Run: build/bench/capi_bench --benchmark_repetitions=5
//        --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>
#include <kgstore/database.h>
#include <kgstore/kg.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

namespace {

uint64_t TripleCount() {
  const char* env = std::getenv("KG_BENCH_TRIPLES");
  return env ? std::strtoull(env, nullptr, 10) : 200000;
}

std::string StoreDir() {
  return (std::filesystem::temp_directory_path() /
          ("kg_capi_bench_" + std::to_string(TripleCount())))
      .string();
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "capi_bench: %s\n", what.c_str());
  std::abort();
}

kg_options* ReadOnlyOptions() {
  kg_options* options = kg_options_new();
  kg_options_set_read_only(options, 1);
  kg_options_set_create_if_missing(options, 0);
  return options;
}

// Generates and loads the store once (through the C API), unless a store
// this build can read is there already.
void EnsureStore() {
  const std::string dir = StoreDir();
  if (std::filesystem::exists(dir + "/CURRENT")) {
    kg_options* options = ReadOnlyOptions();
    kg_db* db = nullptr;
    const int rc = kg_open(dir.c_str(), options, &db);
    kg_options_free(options);
    kg_close(db);
    if (rc == KG_OK) return;
    std::filesystem::remove_all(dir);  // an older format: rebuild
  }
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  const std::string nt = dir + ".nt";
  const std::string cmd = (self.parent_path() / "kg_generate").string() +
                          " --triples " + std::to_string(TripleCount()) +
                          " -o " + nt;
  if (std::system(cmd.c_str()) != 0) Die(cmd + " failed");
  kg_db* db = nullptr;
  if (kg_open(dir.c_str(), nullptr, &db) != KG_OK) Die(kg_errmsg(db));
  if (kg_load_file(db, nt.c_str(), nullptr, nullptr) != KG_OK) {
    Die(kg_errmsg(db));
  }
  kg_close(db);
  std::filesystem::remove(nt);
}

struct Stores {
  std::unique_ptr<kg::Database> cpp;
  kg_db* c = nullptr;
};

const Stores& Shared() {
  static const Stores* stores = [] {
    EnsureStore();
    auto* s = new Stores;
    kg::OpenOptions options;
    options.read_only = true;
    options.create_if_missing = false;
    auto opened = kg::Database::Open(StoreDir(), options);
    if (!opened.ok()) Die(opened.status().ToString());
    s->cpp = *std::move(opened);
    kg_options* c_options = ReadOnlyOptions();
    if (kg_open(StoreDir().c_str(), c_options, &s->c) != KG_OK) {
      Die(kg_errmsg(s->c));
    }
    kg_options_free(c_options);
    // Let both background warm-ups (about 0.2 s per million quads) finish.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    return s;
  }();
  return *stores;
}

constexpr char kPrefixes[] =
    "PREFIX kg: <https://kgstore.example/vocab#> "
    "PREFIX ex: <https://kgstore.example/id/> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ";
const std::string kPointQuery =
    std::string(kPrefixes) + "SELECT ?l WHERE { ex:person-42 rdfs:label ?l }";
const std::string kRowsQuery =
    std::string(kPrefixes) +
    "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 10000";
constexpr char kPerson[] = "https://kgstore.example/id/person-42";
constexpr char kLabel[] = "http://www.w3.org/2000/01/rdf-schema#label";

// ---- C++ -------------------------------------------------------------------

// Runs `text`, reads every cell of every row; returns rows, adds the bytes
// of the lexical forms to *bytes.
size_t CppQuery(const kg::Database& db, const std::string& text,
                size_t* bytes, benchmark::State& state) {
  auto result = db.Query(text);
  if (!result.ok()) {
    state.SkipWithError(result.status().ToString().c_str());
    return 0;
  }
  kg::Row row;
  size_t rows = 0;
  while (true) {
    auto more = (*result)->NextRow(&row);
    if (!more.ok()) {
      state.SkipWithError(more.status().ToString().c_str());
      return rows;
    }
    if (!*more) break;
    ++rows;
    for (const auto& cell : row) {
      if (!cell) continue;
      benchmark::DoNotOptimize(cell->lexical.data());
      *bytes += cell->lexical.size();
    }
  }
  return rows;
}

size_t CppMatch(const kg::Database& db, const kg::QuadPattern& pattern,
                size_t limit, size_t* bytes, benchmark::State& state) {
  auto cursor = db.Match(pattern);
  size_t rows = 0;
  for (; rows < limit && cursor->Valid(); cursor->Next()) {
    const kg::Quad& quad = cursor->quad();
    ++rows;
    for (const kg::Term* term : {&quad.subject, &quad.predicate, &quad.object}) {
      benchmark::DoNotOptimize(term->lexical.data());
      *bytes += term->lexical.size();
    }
    if (quad.graph) *bytes += quad.graph->lexical.size();
  }
  if (!cursor->status().ok()) {
    state.SkipWithError(cursor->status().ToString().c_str());
  }
  return rows;
}

// ---- C ---------------------------------------------------------------------

// Steps through up to `limit` rows of `r`, reading every cell; frees it.
size_t CSteps(kg_db* db, kg_result* r, size_t limit, size_t* bytes,
              benchmark::State& state) {
  const int width = kg_result_column_count(r);
  size_t rows = 0;
  int rc = KG_ROW;
  while (rows < limit && (rc = kg_result_step(r)) == KG_ROW) {
    ++rows;
    for (int col = 0; col < width; ++col) {
      if (kg_result_kind(r, col) == KG_TERM_UNBOUND) continue;
      const char* lexical = kg_result_lexical(r, col);
      benchmark::DoNotOptimize(lexical);
      *bytes += kg_result_lexical_length(r, col);
    }
  }
  if (rc != KG_ROW && rc != KG_DONE) state.SkipWithError(kg_errmsg(db));
  kg_result_free(r);
  return rows;
}

size_t CQuery(kg_db* db, const std::string& text, size_t* bytes,
              benchmark::State& state) {
  kg_result* r = nullptr;
  if (kg_query(db, text.c_str(), &r) != KG_OK) {
    state.SkipWithError(kg_errmsg(db));
    return 0;
  }
  return CSteps(db, r, SIZE_MAX, bytes, state);
}

size_t CMatch(kg_db* db, const char* s, const char* p, const char* o,
              const char* g, size_t limit, size_t* bytes,
              benchmark::State& state) {
  kg_result* r = nullptr;
  if (kg_match(db, s, p, o, g, &r) != KG_OK) {
    state.SkipWithError(kg_errmsg(db));
    return 0;
  }
  return CSteps(db, r, limit, bytes, state);
}

// ---- the cases ---------------------------------------------------------------

enum Api { kCpp = 0, kC = 1 };

void Report(benchmark::State& state, size_t rows, size_t bytes,
            size_t expected_rows) {
  if (rows != expected_rows && !state.error_occurred()) {
    state.SkipWithError(("expected " + std::to_string(expected_rows) +
                         " rows, got " + std::to_string(rows))
                            .c_str());
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["bytes"] = static_cast<double>(bytes);
}

void BM_PointQuery(benchmark::State& state, Api api) {
  const Stores& s = Shared();
  size_t rows = 0, bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    rows = api == kCpp ? CppQuery(*s.cpp, kPointQuery, &bytes, state)
                                  : CQuery(s.c, kPointQuery, &bytes, state);
  }
  Report(state, rows, bytes, 1);
}

// The label of person-42 (the object of the fully bound pattern).
const kg::Term& PersonLabel() {
  static const kg::Term label = [] {
    auto result = Shared().cpp->Query(kPointQuery);
    kg::Row row;
    if (!result.ok() || !(*result)->NextRow(&row).value_or(false) || !row[0]) {
      Die("no label for person-42");
    }
    return *row[0];
  }();
  return label;
}

void BM_PointMatch(benchmark::State& state, Api api) {
  const Stores& s = Shared();
  kg::QuadPattern pattern;
  pattern.subject = kg::Term::Iri(kPerson);
  pattern.predicate = kg::Term::Iri(kLabel);
  pattern.object = PersonLabel();
  pattern.graph = kg::GraphSelector::Default();
  const std::string subject = pattern.subject->ToNTriples();
  const std::string predicate = pattern.predicate->ToNTriples();
  const std::string object = pattern.object->ToNTriples();
  size_t rows = 0, bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    rows = api == kCpp
               ? CppMatch(*s.cpp, pattern, SIZE_MAX, &bytes, state)
               : CMatch(s.c, subject.c_str(), predicate.c_str(),
                        object.c_str(), KG_DEFAULT_GRAPH, SIZE_MAX, &bytes,
                        state);
  }
  Report(state, rows, bytes, 1);
}

void BM_Rows10k(benchmark::State& state, Api api) {
  const Stores& s = Shared();
  size_t rows = 0, bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    rows = api == kCpp ? CppQuery(*s.cpp, kRowsQuery, &bytes, state)
                                  : CQuery(s.c, kRowsQuery, &bytes, state);
  }
  Report(state, rows, bytes, 10000);
}

void BM_Match10k(benchmark::State& state, Api api) {
  const Stores& s = Shared();
  kg::QuadPattern pattern;
  pattern.predicate = kg::Term::Iri(kLabel);
  const std::string predicate = pattern.predicate->ToNTriples();
  size_t rows = 0, bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    rows = api == kCpp
               ? CppMatch(*s.cpp, pattern, 10000, &bytes, state)
               : CMatch(s.c, nullptr, predicate.c_str(), nullptr, nullptr,
                        10000, &bytes, state);
  }
  Report(state, rows, bytes, 10000);
}

#define KG_BOTH_APIS(name)                                           \
  BENCHMARK_CAPTURE(name, cpp, kCpp)                                 \
      ->Unit(benchmark::kMicrosecond)                                \
      ->MinWarmUpTime(0.1);                                          \
  BENCHMARK_CAPTURE(name, c, kC)                                     \
      ->Unit(benchmark::kMicrosecond)                                \
      ->MinWarmUpTime(0.1)
KG_BOTH_APIS(BM_PointQuery);
KG_BOTH_APIS(BM_PointMatch);
KG_BOTH_APIS(BM_Rows10k);
KG_BOTH_APIS(BM_Match10k);

}  // namespace

BENCHMARK_MAIN();
