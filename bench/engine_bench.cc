// Query-engine micro-benchmarks (Google Benchmark): one query shape per
// operator, each run two ways.
//
//   /indexes      adjacency cache off: every probe is a RocksDB seek
//   /adjacency    adjacencies preloaded (OpenOptions::preload_adjacencies)
//
// Workloads (the operator each one exercises, as EXPLAIN names it):
//   BM_PredicateScan      IndexScan over one predicate (COUNT(*))
//   BM_NestedLoopJoin     IndexScan chain: a person's meetings, date, place
//   BM_IntersectJoin      IntersectScan: triangles through one hub person
//   BM_LeftJoin           Optional: persons and their office, if any
//   BM_Minus              Minus: persons who hold no office
//   BM_HashAggregate      HashAggregate: meetings per person
//   BM_TopKSort           Sort top 10 over that aggregate
//   BM_PathTraversal      path kg:location/kg:locatedIn+ (breadth-first)
//   BM_SerializeJson      WriteResult(kJson) of 2,000 rows (labels)
//   BM_SerializeTsv       the same rows as TSV
//
// The data: the project's generator (kg_generate, next to this binary) at
// KG_BENCH_TRIPLES statements (default 200,000), loaded once into
// $TMPDIR/kg_engine_bench_<N> and reused by later runs.
// Run: build/bench/engine_bench --benchmark_repetitions=5
//        --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "engine/query_result.h"

namespace kg {
namespace {

uint64_t TripleCount() {
  const char* env = std::getenv("KG_BENCH_TRIPLES");
  return env ? std::strtoull(env, nullptr, 10) : 200000;
}

std::string StoreDir() {
  return (std::filesystem::temp_directory_path() /
          absl::StrCat("kg_engine_bench_", TripleCount()))
      .string();
}

// Generates and loads the store once (writable), then closes it so that
// both read-only databases below can open it.
void EnsureStore() {
  const std::string dir = StoreDir();
  if (std::filesystem::exists(dir + "/CURRENT")) {
    OpenOptions probe;
    probe.read_only = true;
    auto opened = Database::Open(dir, probe);
    if (opened.ok() || !absl::IsFailedPrecondition(opened.status())) return;
    // A cached store this build cannot read (an older format): rebuild.
    std::filesystem::remove_all(dir);
  }
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  const std::string nt = dir + ".nt";
  const std::string cmd =
      absl::StrCat((self.parent_path() / "kg_generate").string(),
                   " --triples ", TripleCount(), " -o ", nt);
  if (std::system(cmd.c_str()) != 0) {
    fprintf(stderr, "engine_bench: %s failed\n", cmd.c_str());
    std::abort();
  }
  auto db = Database::Open(dir, OpenOptions{});
  if (!db.ok()) std::abort();
  if (!(*db)->LoadFile(nt, LoadOptions{}).ok()) std::abort();
  std::filesystem::remove(nt);
}

Database* Shared(bool adjacency, bool query_cache = true) {
  static Database* dbs[2][2] = {};
  Database*& db = dbs[adjacency][query_cache];
  if (!db) {
    EnsureStore();
    OpenOptions o;
    o.read_only = true;
    o.adjacency_cache_bytes = adjacency ? size_t{256} << 20 : 0;
    o.preload_adjacencies = adjacency;
    o.query_cache_entries = query_cache ? 256 : 0;
    auto opened = Database::Open(StoreDir(), o);
    if (!opened.ok()) {
      fprintf(stderr, "engine_bench: %s\n",
              opened.status().ToString().c_str());
      std::abort();
    }
    db = opened->release();
  }
  return db;
}

constexpr char kPrefixes[] =
    "PREFIX kg: <https://kgstore.example/vocab#> "
    "PREFIX ex: <https://kgstore.example/id/> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ";

// Runs `query` to the end once per iteration; reports rows per run.
void RunQuery(benchmark::State& state, const std::string& query,
              bool query_cache = true) {
  Database* db = Shared(state.range(0) != 0, query_cache);
  const std::string text = absl::StrCat(kPrefixes, query);
  uint64_t rows = 0;
  for (auto _ : state) {
    auto r = db->Query(text);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    Row row;
    rows = 0;
    while (true) {
      auto more = (*r)->NextRow(&row);
      if (!more.ok()) {
        state.SkipWithError(more.status().ToString().c_str());
        return;
      }
      if (!*more) break;
      ++rows;
    }
  }
  state.counters["rows"] = static_cast<double>(rows);
}

void Modes(benchmark::internal::Benchmark* b) {
  b->ArgName("adjacency")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
}

// The fixed cost of a query: one label, one row. With the query cache
// (the default) the text is parsed once; without, on every run.
void BM_PointLookup(benchmark::State& state) {
  RunQuery(state, "SELECT ?l WHERE { ex:person-42 rdfs:label ?l }");
}
BENCHMARK(BM_PointLookup)->Apply(Modes);

void BM_PointLookupNoQueryCache(benchmark::State& state) {
  RunQuery(state, "SELECT ?l WHERE { ex:person-42 rdfs:label ?l }",
           /*query_cache=*/false);
}
BENCHMARK(BM_PointLookupNoQueryCache)->Apply(Modes);

void BM_PredicateScan(benchmark::State& state) {
  RunQuery(state, "SELECT (COUNT(*) AS ?n) WHERE { ?m kg:participant ?p }");
}
BENCHMARK(BM_PredicateScan)->Apply(Modes);

void BM_NestedLoopJoin(benchmark::State& state) {
  RunQuery(state,
           "SELECT ?m ?d ?place WHERE { ?m kg:participant ex:person-42 ; "
           "kg:date ?d ; kg:location ?l . ?l rdfs:label ?place }");
}
BENCHMARK(BM_NestedLoopJoin)->Apply(Modes);

void BM_IntersectJoin(benchmark::State& state) {
  RunQuery(state,
           "SELECT (COUNT(*) AS ?n) WHERE { ex:person-5 kg:metWith ?b . "
           "?b kg:metWith ?c . ?c kg:metWith ex:person-5 }");
}
BENCHMARK(BM_IntersectJoin)->Apply(Modes);

void BM_LeftJoin(benchmark::State& state) {
  RunQuery(state,
           "SELECT ?p ?office WHERE { ?p a kg:Person . OPTIONAL { "
           "?p kg:holdsOffice ?o . ?o rdfs:label ?office } }");
}
BENCHMARK(BM_LeftJoin)->Apply(Modes);

void BM_Minus(benchmark::State& state) {
  RunQuery(state,
           "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Person "
           "MINUS { ?p kg:holdsOffice ?o } }");
}
BENCHMARK(BM_Minus)->Apply(Modes);

// An aggregating subquery beside a pattern (issue 14): evaluated once and
// joined by hash. A nested loop evaluated it again for every left row,
// quadratic in the number of people.
void BM_SubqueryJoin(benchmark::State& state) {
  RunQuery(state,
           "SELECT (COUNT(*) AS ?n) (SUM(?k) AS ?s) WHERE { ?p a kg:Person . "
           "{ SELECT ?p (COUNT(?m) AS ?k) WHERE { ?m kg:participant ?p } "
           "GROUP BY ?p } }");
}
BENCHMARK(BM_SubqueryJoin)->Apply(Modes);

// The same subquery under FILTER EXISTS: evaluated once, probed per row.
void BM_ExistsSubquery(benchmark::State& state) {
  RunQuery(state,
           "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Person "
           "FILTER EXISTS { SELECT ?p WHERE { ?m kg:participant ?p } "
           "GROUP BY ?p HAVING (COUNT(?m) > 2) } }");
}
BENCHMARK(BM_ExistsSubquery)->Apply(Modes);

void BM_HashAggregate(benchmark::State& state) {
  RunQuery(state,
           "SELECT ?p (COUNT(?m) AS ?n) WHERE { ?m kg:participant ?p } "
           "GROUP BY ?p");
}
BENCHMARK(BM_HashAggregate)->Apply(Modes);

void BM_TopKSort(benchmark::State& state) {
  RunQuery(state,
           "SELECT ?p (COUNT(?m) AS ?n) WHERE { ?m kg:participant ?p } "
           "GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 10");
}
BENCHMARK(BM_TopKSort)->Apply(Modes);

void BM_PathTraversal(benchmark::State& state) {
  RunQuery(state,
           "SELECT (COUNT(?m) AS ?n) WHERE { ?m kg:location/kg:locatedIn+ "
           "ex:country-1 }");
}
BENCHMARK(BM_PathTraversal)->Apply(Modes);

void Serialize(benchmark::State& state, ResultFormat format) {
  Database* db = Shared(state.range(0) != 0);
  auto table = [&]() -> absl::StatusOr<ResultTable> {
    auto r = db->Query(absl::StrCat(
        kPrefixes, "SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name "
                   "} LIMIT 2000"));
    if (!r.ok()) return r.status();
    return Materialize(**r);
  }();
  if (!table.ok()) {
    state.SkipWithError(table.status().ToString().c_str());
    return;
  }
  size_t bytes = 0;
  for (auto _ : state) {
    auto result = ResultFromTable(*table);
    std::ostringstream out;
    if (!WriteResult(*result, format, out).ok()) {
      state.SkipWithError("WriteResult failed");
      return;
    }
    bytes = out.str().size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
}

void BM_SerializeJson(benchmark::State& state) {
  Serialize(state, ResultFormat::kJson);
}
BENCHMARK(BM_SerializeJson)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_SerializeTsv(benchmark::State& state) {
  Serialize(state, ResultFormat::kTsv);
}
BENCHMARK(BM_SerializeTsv)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kg

BENCHMARK_MAIN();
