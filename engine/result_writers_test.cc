// A result that fails while it is written (timeout, memory cap,
// cancellation, a storage error) still ends its output as a whole
// document in every format, and WriteResult returns the error (see
// WriteResult in engine/query_result.h). First with results that fail on
// cue, then with real queries stopped by their limits.

#include <atomic>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "engine/database.h"
#include "engine/query_result.h"
#include "storage/rdf/rdf_format.h"
#include "tests/conformance/results.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

using testing::TempDir;

const char kTimeout[] = "query exceeded its time limit of 50 ms";

// Hands over `rows` (or `triples`) one by one, then fails with `error`
// instead of ending, as a query hitting a limit does.
class CutResult final : public QueryResult {
 public:
  CutResult(ResultTable table, absl::Status error)
      : table_(std::move(table)), error_(std::move(error)) {}
  Kind kind() const override { return table_.kind; }
  const std::vector<std::string>& variables() const override {
    return table_.variables;
  }
  absl::StatusOr<bool> NextRow(Row* row) override {
    if (next_ >= table_.rows.size()) return error_;
    *row = table_.rows[next_++];
    return true;
  }
  bool boolean() const override { return false; }
  absl::StatusOr<bool> NextTriple(Quad* triple) override {
    if (next_ >= table_.triples.size()) return error_;
    *triple = table_.triples[next_++];
    return true;
  }
  const std::map<std::string, std::string>& prefixes() const override {
    return prefixes_;
  }

 private:
  ResultTable table_;
  absl::Status error_;
  size_t next_ = 0;
  std::map<std::string, std::string> prefixes_ = {
      {"ex", "http://example.org/"}};
};

ResultTable ThreeRows() {
  ResultTable t;
  t.variables = {"s", "label", "n"};
  t.rows = {
      {Term::Iri("http://example.org/a"), Term::Literal("Alpha, \"A\""),
       Term::Literal("1", std::string(kXsdInteger))},
      {Term::BlankNode("b1"), Term::LangLiteral("bêta", "fr"), std::nullopt},
      {Term::Iri("http://example.org/c"), std::nullopt,
       Term::Literal("3", std::string(kXsdInteger))},
  };
  return t;
}

// Five triples, the first three of one subject and two of one predicate,
// so Turtle is inside a ';' and a ',' group when the result is cut.
ResultTable FiveTriples() {
  ResultTable t;
  t.kind = QueryResult::Kind::kGraph;
  auto iri = [](const char* local) {
    return Term::Iri(std::string("http://example.org/") + local);
  };
  t.triples = {
      {iri("a"), iri("p"), iri("b"), {}},
      {iri("a"), iri("p"), iri("c"), {}},
      {iri("a"), iri("q"), Term::Literal("x"), {}},
      {iri("d"), iri("p"), iri("a"), {}},
      {iri("d"), iri("q"), Term::Literal("y\nz"), {}},
  };
  return t;
}

ResultTable FirstRows(ResultTable t, size_t n) {
  t.rows.resize(std::min(n, t.rows.size()));
  t.triples.resize(std::min(n, t.triples.size()));
  return t;
}

struct Written {
  absl::Status status;
  std::string text;
};

Written WriteCut(const ResultTable& table, size_t rows, ResultFormat format,
                 absl::Status error = absl::DeadlineExceededError(kTimeout),
                 const ResultWriteOptions& options = {}) {
  CutResult r(FirstRows(table, rows), std::move(error));
  std::ostringstream out;
  Written w;
  w.status = WriteResult(r, format, out, options);
  w.text = out.str();
  return w;
}

// The same rows written by a result that ends normally.
std::string WriteWhole(const ResultTable& table, size_t rows,
                       ResultFormat format) {
  std::unique_ptr<QueryResult> r = ResultFromTable(FirstRows(table, rows));
  std::ostringstream out;
  REQUIRE(WriteResult(*r, format, out).ok());
  return out.str();
}

std::vector<Quad> ParseGraph(const std::string& text, RdfFormat format) {
  std::vector<Quad> quads;
  absl::Status s = ParseRdfString(text, format, {}, [&](const Quad& q) {
    quads.push_back(q);
    return absl::OkStatus();
  });
  INFO(text);
  INFO(s.ToString());
  REQUIRE(s.ok());
  return quads;
}

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() &&
         s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

TEST_CASE("cut JSON closes the document: it parses and holds the rows read",
          "[results][result_writers]") {
  for (size_t rows : {0, 1, 3}) {
    Written w = WriteCut(ThreeRows(), rows, ResultFormat::kJson);
    INFO(w.text);
    CHECK(w.status.code() == absl::StatusCode::kDeadlineExceeded);
    CHECK(std::string(w.status.message()) == kTimeout);
    CHECK(nlohmann::json::accept(w.text));
    absl::StatusOr<ResultTable> back = conformance::ParseSrj(w.text);
    REQUIRE(back.ok());
    CHECK(back->rows == FirstRows(ThreeRows(), rows).rows);
    // Exactly the standard document, no extra member.
    CHECK(w.text == WriteWhole(ThreeRows(), rows, ResultFormat::kJson));
  }
}

TEST_CASE("cut XML closes </results></sparql> and notes the cut in a comment",
          "[results][result_writers]") {
  for (size_t rows : {0, 2, 3}) {
    Written w = WriteCut(ThreeRows(), rows, ResultFormat::kXml);
    INFO(w.text);
    CHECK(w.status.code() == absl::StatusCode::kDeadlineExceeded);
    absl::StatusOr<ResultTable> back = conformance::ParseSrx(w.text);
    INFO(back.status().ToString());
    REQUIRE(back.ok());
    CHECK(back->rows == FirstRows(ThreeRows(), rows).rows);
    CHECK(EndsWith(w.text, "</sparql>\n<!-- result cut: " +
                               std::string(kTimeout) + " -->\n"));
  }
  // A message that could break the comment: "--", a trailing '-', control
  // characters, a byte that is not UTF-8.
  Written w = WriteCut(ThreeRows(), 1, ResultFormat::kXml,
                       absl::DataLossError("bad -- block\n\x01\xFF end -"));
  INFO(w.text);
  CHECK(w.status.code() == absl::StatusCode::kDataLoss);
  REQUIRE(conformance::ParseSrx(w.text).ok());
  CHECK(w.text.find("<!-- result cut: bad - - block  \xEF\xBF\xBD end -  -->") !=
        std::string::npos);
}

TEST_CASE("cut table: the rows read, and the footer says the result is cut",
          "[results][result_writers]") {
  Written w = WriteCut(ThreeRows(), 2, ResultFormat::kTable);
  INFO(w.text);
  CHECK(w.status.code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(w.text.find("ex:a") != std::string::npos);
  CHECK(w.text.find("_:b1") != std::string::npos);
  CHECK(EndsWith(w.text, "\n2 rows (result cut: " + std::string(kTimeout) +
                             ")\n"));

  // With max_rows the hidden rows are counted as before.
  ResultWriteOptions opts;
  opts.max_rows = 1;
  w = WriteCut(ThreeRows(), 3, ResultFormat::kTable,
               absl::CancelledError("query cancelled"), opts);
  INFO(w.text);
  CHECK(w.status.code() == absl::StatusCode::kCancelled);
  CHECK(EndsWith(w.text, "\xE2\x80\xA6 2 more rows\n"
                         "3 rows (result cut: query cancelled)\n"));

  // Nothing read: the header and the footer.
  w = WriteCut(ThreeRows(), 0, ResultFormat::kTable,
               absl::ResourceExhaustedError("over the cap\nof memory"));
  INFO(w.text);
  CHECK(EndsWith(w.text, "\n0 rows (result cut: over the cap\\nof memory)\n"));

  // A graph shown as a table.
  w = WriteCut(FiveTriples(), 4, ResultFormat::kTable);
  INFO(w.text);
  CHECK(w.status.code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(EndsWith(w.text, "\n4 rows (result cut: " + std::string(kTimeout) +
                             ")\n"));
}

TEST_CASE("cut TSV and CSV end after the last complete line, nothing added",
          "[results][result_writers]") {
  for (ResultFormat f : {ResultFormat::kTsv, ResultFormat::kCsv}) {
    for (size_t rows : {0, 2}) {
      Written w = WriteCut(ThreeRows(), rows, f);
      INFO(w.text);
      CHECK(w.status.code() == absl::StatusCode::kDeadlineExceeded);
      CHECK(w.text == WriteWhole(ThreeRows(), rows, f));
      absl::StatusOr<ResultTable> back = f == ResultFormat::kTsv
                                             ? conformance::ParseTsv(w.text)
                                             : conformance::ParseCsv(w.text);
      REQUIRE(back.ok());
      CHECK(back->rows.size() == rows);
    }
  }
}

TEST_CASE("cut Turtle and N-Triples end at a statement boundary",
          "[results][result_writers]") {
  for (size_t n : {0, 1, 2, 3, 4}) {
    for (auto [format, rdf] :
         {std::pair{ResultFormat::kTurtle, RdfFormat::kTurtle},
          std::pair{ResultFormat::kNTriples, RdfFormat::kNTriples}}) {
      Written w = WriteCut(FiveTriples(), n, format);
      INFO(w.text);
      CHECK(w.status.code() == absl::StatusCode::kDeadlineExceeded);
      CHECK(EndsWith(w.text, "# result cut: " + std::string(kTimeout) + "\n"));
      std::vector<Quad> read = ParseGraph(w.text, rdf);
      CHECK(read == FirstRows(FiveTriples(), n).triples);
    }
  }
}

// A stream buffer that accepts `room` bytes, then fails every write.
class FullBuf : public std::streambuf {
 public:
  explicit FullBuf(size_t room) : room_(room) {}

 protected:
  int_type overflow(int_type c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    if (room_ == 0) return traits_type::eof();
    --room_;
    return c;
  }
  std::streamsize xsputn(const char*, std::streamsize n) override {
    auto take = std::min<std::streamsize>(n, static_cast<std::streamsize>(room_));
    room_ -= static_cast<size_t>(take);
    return take;
  }

 private:
  size_t room_;
};

TEST_CASE("a failing output stream cannot be repaired: DataLoss",
          "[results][result_writers]") {
  for (ResultFormat f : {ResultFormat::kTable, ResultFormat::kTsv,
                         ResultFormat::kCsv, ResultFormat::kJson,
                         ResultFormat::kXml}) {
    FullBuf buf(40);
    std::ostream out(&buf);
    std::unique_ptr<QueryResult> r = ResultFromTable(ThreeRows());
    CHECK(WriteResult(*r, f, out).code() == absl::StatusCode::kDataLoss);
  }
  for (ResultFormat f : {ResultFormat::kTurtle, ResultFormat::kNTriples}) {
    FullBuf buf(40);
    std::ostream out(&buf);
    std::unique_ptr<QueryResult> r = ResultFromTable(FiveTriples());
    CHECK(WriteResult(*r, f, out).code() == absl::StatusCode::kDataLoss);
  }
}

// ---- real queries -----------------------------------------------------------

// A chain of n nodes, each linked to the next: <urn:n0> <urn:next> <urn:n1>
// ...; `?a <urn:next>+ ?b` then has n(n-1)/2 answers.
std::unique_ptr<Database> Chain(const TempDir& dir, int n) {
  auto db = Database::Open(dir.file("store"), {.durable_commits = false});
  REQUIRE(db.ok());
  std::ostringstream nt;
  for (int i = 0; i + 1 < n; ++i)
    nt << "<urn:n" << i << "> <urn:next> <urn:n" << i + 1 << "> .\n";
  std::istringstream in(nt.str());
  LoadOptions lo;
  lo.format = RdfFormat::kNTriples;
  REQUIRE((*db)->LoadStream(in, lo).ok());
  return *std::move(db);
}

// Passes a query's result through and raises its cancel flag once `after`
// rows or triples have been read, as Ctrl-C in the middle of the output
// does; the query stops at its next check.
class CancelAfter final : public QueryResult {
 public:
  CancelAfter(std::unique_ptr<QueryResult> inner, std::atomic<bool>* flag,
              int after)
      : inner_(std::move(inner)), flag_(flag), after_(after) {}
  Kind kind() const override { return inner_->kind(); }
  const std::vector<std::string>& variables() const override {
    return inner_->variables();
  }
  absl::StatusOr<bool> NextRow(Row* row) override {
    return Count(inner_->NextRow(row));
  }
  bool boolean() const override { return inner_->boolean(); }
  absl::StatusOr<bool> NextTriple(Quad* triple) override {
    return Count(inner_->NextTriple(triple));
  }
  const std::map<std::string, std::string>& prefixes() const override {
    return inner_->prefixes();
  }
  int read() const { return read_; }

 private:
  absl::StatusOr<bool> Count(absl::StatusOr<bool> more) {
    if (more.ok() && *more && ++read_ == after_) flag_->store(true);
    return more;
  }
  std::unique_ptr<QueryResult> inner_;
  std::atomic<bool>* flag_;
  int after_;
  int read_ = 0;
};

// Checks that `text` is a whole document of `format` and returns how many
// rows or triples it holds.
size_t CheckWhole(const std::string& text, ResultFormat format) {
  INFO(text.substr(0, 2000));
  switch (format) {
    case ResultFormat::kJson: {
      CHECK(nlohmann::json::accept(text));
      auto t = conformance::ParseSrj(text);
      REQUIRE(t.ok());
      return t->rows.size();
    }
    case ResultFormat::kXml: {
      auto t = conformance::ParseSrx(text);
      REQUIRE(t.ok());
      return t->rows.size();
    }
    case ResultFormat::kTsv: {
      auto t = conformance::ParseTsv(text);
      REQUIRE(t.ok());
      return t->rows.size();
    }
    case ResultFormat::kCsv: {
      auto t = conformance::ParseCsv(text);
      REQUIRE(t.ok());
      return t->rows.size();
    }
    case ResultFormat::kTable: {
      // The last line: "N rows (result cut: ...)" or "1 row (...)".
      size_t footer = text.rfind(" (result cut: ");
      REQUIRE(footer != std::string::npos);
      size_t start = text.rfind('\n', footer);
      start = start == std::string::npos ? 0 : start + 1;
      CHECK(text.find('\n', footer) == text.size() - 1);
      return std::stoul(text.substr(start, footer - start));
    }
    case ResultFormat::kTurtle:
      return ParseGraph(text, RdfFormat::kTurtle).size();
    case ResultFormat::kNTriples:
      return ParseGraph(text, RdfFormat::kNTriples).size();
  }
  return 0;
}

TEST_CASE("a query cancelled while its result is written: every format",
          "[results][result_writers][limits]") {
  TempDir dir;
  auto db = Chain(dir, 300);  // 44,850 answers, far more than are read
  struct Case {
    ResultFormat format;
    const char* query;
  };
  const char* select = "SELECT * { ?a <urn:next>+ ?b }";
  const char* construct =
      "CONSTRUCT { ?a <urn:reaches> ?b } WHERE { ?a <urn:next>+ ?b }";
  for (Case c : {Case{ResultFormat::kJson, select},
                 Case{ResultFormat::kXml, select},
                 Case{ResultFormat::kTable, select},
                 Case{ResultFormat::kTsv, select},
                 Case{ResultFormat::kCsv, select},
                 Case{ResultFormat::kTable, construct},
                 Case{ResultFormat::kTurtle, construct},
                 Case{ResultFormat::kNTriples, construct}}) {
    std::atomic<bool> cancel{false};
    QueryOptions qo;
    qo.cancel = &cancel;
    qo.timeout_ms = 10000;  // a backstop: the flag stops it long before
    auto q = db->Query(c.query, qo);
    REQUIRE(q.ok());
    CancelAfter r(*std::move(q), &cancel, 5);
    std::ostringstream out;
    absl::Status s = WriteResult(r, c.format, out);
    INFO(c.query);
    INFO(static_cast<int>(c.format));
    CHECK(s.code() == absl::StatusCode::kCancelled);
    CHECK(r.read() >= 5);
    CHECK(CheckWhole(out.str(), c.format) == static_cast<size_t>(r.read()));
  }
}

TEST_CASE("a query over its time limit or memory cap: the document is whole",
          "[results][result_writers][limits]") {
  TempDir dir;
  auto db = Chain(dir, 2000);
  for (ResultFormat f : {ResultFormat::kJson, ResultFormat::kXml,
                         ResultFormat::kTable, ResultFormat::kTsv}) {
    QueryOptions qo;
    qo.timeout_ms = 20;  // the 2 million answers take seconds
    // One answer in a hundred: enough rows, quick to read back.
    auto r = db->Query(
        "SELECT * { ?a <urn:next>+ ?b FILTER(STRENDS(STR(?b), \"00\")) }", qo);
    REQUIRE(r.ok());
    std::ostringstream out;
    absl::Status s = WriteResult(**r, f, out);
    CHECK(s.code() == absl::StatusCode::kDeadlineExceeded);
    CheckWhole(out.str(), f);
  }
  // DISTINCT keeps every row it has passed on: its memory grows as the
  // rows stream, until the cap stops it.
  for (ResultFormat f : {ResultFormat::kJson, ResultFormat::kXml,
                         ResultFormat::kTable}) {
    QueryOptions qo;
    qo.memory_limit_bytes = 256 * 1024;
    auto r = db->Query("SELECT DISTINCT * { ?a <urn:next>+ ?b }", qo);
    REQUIRE(r.ok());
    std::ostringstream out;
    absl::Status s = WriteResult(**r, f, out);
    CHECK(s.code() == absl::StatusCode::kResourceExhausted);
    CHECK(CheckWhole(out.str(), f) > 0);
  }
}

}  // namespace
}  // namespace kg
