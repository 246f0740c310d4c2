// kg_peer_driver: the in-process side of the peer comparison (bench/peers/).
//
//   kg_peer_driver [--preload-adjacencies] [--adjacency-budget-mib N]
//                  [--block-cache-mib N] [--probe-cache-mib N]
//                  [--term-cache-mib N] [--no-warmup] [--reopen]
//                  STORE QUERY_DIR RUNS OUT.json [TIMEOUT_MS]
//
// Opens STORE once (read-only), then for every *.rq file in QUERY_DIR (in
// name order) runs the query once cold and RUNS times warm, reading every
// row to the end, and writes JSON: per query the cold time, every warm
// time (milliseconds, wall clock, open + drain of the result), the answer
// rows (each cell the term's lexical form: the IRI without <>, the literal's
// lexical form; null when unbound) and an error string when it failed.
// A query whose cold run takes longer than 20 s is not repeated.
//
// "Cold" is the query's first run in this process. Without --reopen the
// queries before it (and the background warm-up) have filled the caches;
// with --reopen the store is closed and opened again before each query, so
// its first run finds the block, term, probe and adjacency caches empty
// (the OS page cache and the process's heap stay warm): the first query
// after an open, for every query of the suite, in one process. Each
// query's open time is then in its "open_ms". --no-warmup turns the
// background adjacency warm-up off (as the one-shot kg commands do).
#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/database.h"
#include "engine/query_result.h"

namespace {

void JsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          char buf[8];
          snprintf(buf, sizeof buf, "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

struct RunResult {
  double ms = 0;
  std::string error;
  std::vector<kg::Row> rows;
};

RunResult RunOnce(const kg::Database& db, const std::string& text,
                  int64_t timeout_ms, bool keep) {
  RunResult r;
  auto start = std::chrono::steady_clock::now();
  kg::QueryOptions options;
  options.timeout_ms = timeout_ms;
  auto result = db.Query(text, options);
  if (!result.ok()) {
    r.error = std::string(result.status().message());
  } else {
    kg::Row row;
    for (;;) {
      auto more = (*result)->NextRow(&row);
      if (!more.ok()) {
        r.error = std::string(more.status().message());
        break;
      }
      if (!*more) break;
      if (keep) r.rows.push_back(row);
    }
  }
  r.ms = std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
             .count();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  // --preload-adjacencies anywhere: OpenOptions::preload_adjacencies (the
  // time it takes is part of open_ms).
  // --adjacency-budget-mib N: OpenOptions::adjacency_cache_bytes.
  // --block-cache-mib N: OpenOptions::block_cache_bytes.
  // --probe-cache-mib N: OpenOptions::probe_cache_bytes (0 disables).
  // --term-cache-mib N: OpenOptions::term_cache_bytes (0 disables).
  bool preload = false;
  bool warmup = kg::OpenOptions{}.warm_adjacencies_in_background;
  bool reopen = false;
  size_t budget = kg::OpenOptions{}.adjacency_cache_bytes;
  size_t block_cache = kg::OpenOptions{}.block_cache_bytes;
  size_t probe_cache = kg::OpenOptions{}.probe_cache_bytes;
  size_t term_cache = kg::OpenOptions{}.term_cache_bytes;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--preload-adjacencies") {
      preload = true;
    } else if (std::string_view(argv[i]) == "--no-warmup") {
      warmup = false;
    } else if (std::string_view(argv[i]) == "--reopen") {
      reopen = true;
    } else if (std::string_view(argv[i]) == "--adjacency-budget-mib" &&
               i + 1 < argc) {
      budget = size_t{std::strtoull(argv[++i], nullptr, 10)} << 20;
    } else if (std::string_view(argv[i]) == "--block-cache-mib" &&
               i + 1 < argc) {
      block_cache = size_t{std::strtoull(argv[++i], nullptr, 10)} << 20;
    } else if (std::string_view(argv[i]) == "--probe-cache-mib" &&
               i + 1 < argc) {
      probe_cache = size_t{std::strtoull(argv[++i], nullptr, 10)} << 20;
    } else if (std::string_view(argv[i]) == "--term-cache-mib" &&
               i + 1 < argc) {
      term_cache = size_t{std::strtoull(argv[++i], nullptr, 10)} << 20;
    } else {
      args.push_back(argv[i]);
    }
  }
  argc = static_cast<int>(args.size());
  argv = args.data();
  if (argc < 5) {
    std::cerr << "usage: kg_peer_driver [--preload-adjacencies] "
                 "[--adjacency-budget-mib N] [--block-cache-mib N] "
                 "[--probe-cache-mib N] [--term-cache-mib N] "
                 "[--no-warmup] [--reopen] STORE "
                 "QUERY_DIR RUNS OUT.json "
                 "[TIMEOUT_MS]\n";
    return 2;
  }
  const std::string store = argv[1];
  const std::filesystem::path dir = argv[2];
  const int runs = std::max(1, std::atoi(argv[3]));
  const std::string out_path = argv[4];
  const int64_t timeout_ms = argc > 5 ? std::atoll(argv[5]) : 60000;

  kg::OpenOptions open_options;
  open_options.read_only = true;
  open_options.preload_adjacencies = preload;
  open_options.warm_adjacencies_in_background = warmup;
  open_options.adjacency_cache_bytes = budget;
  open_options.block_cache_bytes = block_cache;
  open_options.probe_cache_bytes = probe_cache;
  open_options.term_cache_bytes = term_cache;
  auto open = [&](double* ms) {
    auto t0 = std::chrono::steady_clock::now();
    auto db = kg::Database::Open(store, open_options);
    *ms = std::chrono::duration<double, std::milli>(
              std::chrono::steady_clock::now() - t0)
              .count();
    return db;
  };
  double open_ms = 0;
  auto db = open(&open_ms);
  if (!db.ok()) {
    std::cerr << "kg_peer_driver: " << db.status() << "\n";
    return 1;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".rq") files.push_back(e.path());
  std::sort(files.begin(), files.end());

  std::string out = "{\"open_ms\":" + std::to_string(open_ms) +
                    ",\"queries\":{";
  bool first = true;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    const std::string name = f.stem().string();
    double query_open_ms = open_ms;
    if (reopen && !first) {
      db->reset();  // closed before the next open: no cache outlives it
      db = open(&query_open_ms);
      if (!db.ok()) {
        std::cerr << "kg_peer_driver: " << db.status() << "\n";
        return 1;
      }
    }
    RunResult cold = RunOnce(**db, text, timeout_ms, true);
    std::vector<double> warm;
    if (cold.error.empty() && cold.ms < 20000) {
      for (int i = 0; i < runs; ++i) {
        RunResult w = RunOnce(**db, text, timeout_ms, false);
        if (!w.error.empty()) break;
        warm.push_back(w.ms);
      }
    }
    std::cerr << name << ": cold " << cold.ms << " ms"
              << (cold.error.empty() ? "" : " ERROR " + cold.error) << "\n";
    if (!first) out += ",";
    first = false;
    JsonString(name, &out);
    out += ":{";
    if (reopen) out += "\"open_ms\":" + std::to_string(query_open_ms) + ",";
    out += "\"cold_ms\":" + std::to_string(cold.ms) + ",\"warm_ms\":[";
    for (size_t i = 0; i < warm.size(); ++i) {
      if (i) out += ",";
      out += std::to_string(warm[i]);
    }
    out += "],\"error\":";
    if (cold.error.empty()) out += "null"; else JsonString(cold.error, &out);
    out += ",\"rows\":[";
    for (size_t i = 0; i < cold.rows.size(); ++i) {
      if (i) out += ",";
      out += "[";
      for (size_t j = 0; j < cold.rows[i].size(); ++j) {
        if (j) out += ",";
        const auto& cell = cold.rows[i][j];
        if (!cell) out += "null"; else JsonString(cell->lexical, &out);
      }
      out += "]";
    }
    out += "]}";
  }
  out += "}}\n";
  std::ofstream(out_path) << out;
  return 0;
}
