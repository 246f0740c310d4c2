// libFuzzer target: a query parsed, planned and run to the end on the small
// fixed store of fuzz_store.h, twice: through the indexes, and through the
// in-memory adjacencies. Where the answer cannot depend on the access path
// (no LIMIT/OFFSET, SAMPLE, GROUP_CONCAT, RAND, NOW, UUID, BNODE), both
// runs must give the same rows (else abort). The rows then go through a
// result writer, and the plan is printed by EXPLAIN. Limits as a server
// would set them: 200 ms and 64 MiB per query.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "engine/database.h"
#include "engine/query_result.h"
#include "tests/fuzz/fuzz_store.h"

namespace {

// Counts what a writer writes and keeps none of it.
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c == EOF ? 0 : c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

constexpr size_t kMaxRows = 100000;

std::string TermText(const kg::Term& t) {
  return t.is_blank() ? std::string("_:b") : t.ToNTriples();
}

// The answer of one run: its rows as sorted text, or nothing when the
// query failed, was cut by a limit or was too large to compare.
struct Answer {
  std::optional<std::vector<std::string>> rows;
  std::string status;
  bool invalid = false;  // the text is not a query the engine runs
};

Answer Run(const kg::Database& db, std::string_view text,
           const kg::QueryOptions& options, size_t size, bool write) {
  Answer answer;
  auto result = db.Query(text, options);
  if (!result.ok()) {
    answer.status = result.status().ToString();
    answer.invalid = absl::IsInvalidArgument(result.status());
    return answer;
  }
  kg::QueryResult& r = **result;
  kg::ResultTable table;
  table.kind = r.kind();
  std::vector<std::string> rows;
  using K = kg::QueryResult::Kind;
  if (r.kind() == K::kBindings) {
    table.variables = r.variables();
    kg::Row row;
    for (;;) {
      auto more = r.NextRow(&row);
      if (!more.ok()) {
        answer.status = more.status().ToString();
        break;
      }
      if (!*more || table.rows.size() >= kMaxRows) break;
      table.rows.push_back(row);
      std::string line;
      for (const auto& t : row) line += (t ? TermText(*t) : "UNDEF") + " ";
      rows.push_back(line);
    }
  } else if (r.kind() == K::kBoolean) {
    table.boolean = r.boolean();
    rows.push_back(r.boolean() ? "true" : "false");
  } else {
    kg::Quad triple;
    for (;;) {
      auto more = r.NextTriple(&triple);
      if (!more.ok()) {
        answer.status = more.status().ToString();
        break;
      }
      if (!*more || table.triples.size() >= kMaxRows) break;
      table.triples.push_back(triple);
      rows.push_back(TermText(triple.subject) + " " +
                     TermText(triple.predicate) + " " +
                     TermText(triple.object));
    }
  }
  bool complete = answer.status.empty() && table.rows.size() < kMaxRows &&
                  table.triples.size() < kMaxRows;
  if (complete) {
    std::sort(rows.begin(), rows.end());
    answer.rows = std::move(rows);
  }
  if (write) {
    using F = kg::ResultFormat;
    static constexpr F kRowFormats[] = {F::kTable, F::kTsv, F::kCsv,
                                        F::kJson, F::kXml};
    static constexpr F kGraphFormats[] = {F::kNTriples, F::kTurtle,
                                          F::kTable};
    F format = table.kind == K::kGraph ? kGraphFormats[size % 3]
                                       : kRowFormats[size % 5];
    NullBuffer null;
    std::ostream out(&null);
    std::unique_ptr<kg::QueryResult> again = kg::ResultFromTable(table);
    (void)kg::WriteResult(*again, format, out);
  }
  return answer;
}

// Whether the rows may depend on the order the operators read the quads in
// or on the clock: then the two runs are not compared.
bool MayDiffer(std::string_view text) {
  std::string upper = absl::AsciiStrToUpper(std::string(text));
  for (const char* word : {"LIMIT", "OFFSET", "SAMPLE", "GROUP_CONCAT", "RAND",
                           "NOW", "UUID", "BNODE"}) {
    if (absl::StrContains(upper, word)) return true;
  }
  return false;
}

}  // namespace

// The store is built before the first input, outside libFuzzer's -timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kg::fuzz::FuzzStore::Get();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  kg::fuzz::FuzzStore& store = kg::fuzz::FuzzStore::Get();
  const kg::QueryOptions options = kg::fuzz::FuzzStore::RequestOptions();
  Answer plain = Run(store.plain(), text, options, size, /*write=*/true);
  if (plain.invalid) return 0;
  Answer preloaded =
      Run(store.preloaded(), text, options, size, /*write=*/false);
  if (plain.rows && preloaded.rows && *plain.rows != *preloaded.rows &&
      !MayDiffer(text)) {
    std::fprintf(stderr, "the two stores answer differently\n");
    for (const auto& r : *plain.rows) std::fprintf(stderr, "indexes:   %s\n", r.c_str());
    for (const auto& r : *preloaded.rows)
      std::fprintf(stderr, "adjacency: %s\n", r.c_str());
    std::abort();
  }
  (void)store.plain().Explain(text, /*profile=*/false, options);
  return 0;
}
