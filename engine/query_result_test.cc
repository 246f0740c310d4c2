// Unit tests of the result writers: every format, escaping, CSV quoting,
// JSON and XML well-formedness (read back through the conformance readers),
// table alignment, truncation and the row-count footer.

#include "engine/query_result.h"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "storage/rdf/rdf_format.h"
#include "tests/conformance/manifest.h"
#include "tests/conformance/results.h"

namespace kg {
namespace {

using conformance::ResultsEqual;

// Checks equality and shows the comparison's explanation on failure.
void CheckEqual(const ResultTable& expected, const ResultTable& actual,
                bool ordered) {
  std::string diff;
  bool equal = ResultsEqual(expected, actual, ordered, &diff);
  INFO(diff);
  CHECK(equal);
}

Term Iri(const char* s) { return Term::Iri(s); }
Term Str(std::string s) { return Term::Literal(std::move(s)); }
Term Int(const char* s) { return Term::Literal(s, std::string(kXsdInteger)); }

ResultTable Bindings(std::vector<std::string> vars, std::vector<Row> rows) {
  ResultTable t;
  t.variables = std::move(vars);
  t.rows = std::move(rows);
  return t;
}

ResultTable Boolean(bool value) {
  ResultTable t;
  t.kind = QueryResult::Kind::kBoolean;
  t.boolean = value;
  return t;
}

std::string Write(const ResultTable& table, ResultFormat format,
                  const ResultWriteOptions& options = {}) {
  std::unique_ptr<QueryResult> result = ResultFromTable(table);
  std::ostringstream out;
  absl::Status s = WriteResult(*result, format, out, options);
  INFO(s.ToString());
  REQUIRE(s.ok());
  return out.str();
}

// Strings that need escaping in one format or another.
const std::string kNasty =
    "quote\" back\\slash tab\t nl\n cr\r <angle> & amp 'apos' "
    "ünï 日本 \x01 ctl \x7F del \xE2\x80\xA8 ls ,comma";

ResultTable NastyTable() {
  return Bindings(
      {"s", "lit", "lang", "typed", "num"},
      {
          {Iri("http://example.org/a?b=c&d=<e>"), Str(kNasty),
           Term::LangLiteral("bonjour \"toi\"", "fr-BE"),
           Term::Literal("2023-02-24", std::string(kXsdDate)), Int("42")},
          {Term::BlankNode("b0"), Str(""), std::nullopt,
           Term::Literal("x\ty", "http://example.org/dt#t"),
           Term::Literal("-1.5E3", std::string(kXsdDouble))},
          {std::nullopt, std::nullopt, std::nullopt, std::nullopt,
           Term::Literal("1", std::string(kXsdDecimal))},
      });
}

// XML 1.0 cannot carry U+0001; the writer substitutes U+FFFD.
ResultTable XmlSafe(ResultTable t) {
  for (Row& row : t.rows) {
    for (auto& cell : row) {
      if (!cell.has_value()) continue;
      std::string& s = cell->lexical;
      for (size_t i = s.find('\x01'); i != std::string::npos;
           i = s.find('\x01', i)) {
        s.replace(i, 1, "\xEF\xBF\xBD");
      }
    }
  }
  return t;
}

TEST_CASE("ResultFormatFromName", "[results]") {
  CHECK(*ResultFormatFromName("table") == ResultFormat::kTable);
  CHECK(*ResultFormatFromName("TSV") == ResultFormat::kTsv);
  CHECK(*ResultFormatFromName("csv") == ResultFormat::kCsv);
  CHECK(*ResultFormatFromName("json") == ResultFormat::kJson);
  CHECK(*ResultFormatFromName("xml") == ResultFormat::kXml);
  CHECK(*ResultFormatFromName("nt") == ResultFormat::kNTriples);
  CHECK(*ResultFormatFromName("ntriples") == ResultFormat::kNTriples);
  CHECK(*ResultFormatFromName("ttl") == ResultFormat::kTurtle);
  CHECK(*ResultFormatFromName("turtle") == ResultFormat::kTurtle);
  absl::StatusOr<ResultFormat> bad = ResultFormatFromName("yaml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Materialize drains a result, ResultFromTable replays it",
          "[results]") {
  ResultTable t = NastyTable();
  std::unique_ptr<QueryResult> r = ResultFromTable(t);
  absl::StatusOr<ResultTable> back = Materialize(*r);
  REQUIRE(back.ok());
  CHECK(back->variables == t.variables);
  CHECK(back->rows == t.rows);
  ResultTable g;
  g.kind = QueryResult::Kind::kGraph;
  g.triples = {{Iri("urn:s"), Iri("urn:p"), Str("o"), {}}};
  r = ResultFromTable(g);
  back = Materialize(*r);
  REQUIRE(back.ok());
  CHECK(back->triples == g.triples);
  r = ResultFromTable(Boolean(true));
  back = Materialize(*r);
  REQUIRE(back.ok());
  CHECK(back->kind == QueryResult::Kind::kBoolean);
  CHECK(back->boolean);
}

TEST_CASE("table: alignment with wide characters, numbers right-aligned",
          "[results]") {
  ResultTable t = Bindings({"name", "n"}, {{Str("日本"), Int("1")},
                                           {Str("abc"), Int("22")},
                                           {std::nullopt, std::nullopt}});
  CHECK(Write(t, ResultFormat::kTable) ==
        " name | n\n"
        "------+----\n"
        " 日本 |  1\n"
        " abc  | 22\n"
        "      |\n"
        "3 rows\n");
  ResultTable one = Bindings({"x"}, {{Str("é")}});
  CHECK(Write(one, ResultFormat::kTable) == " x\n---\n é\n1 row\n");
  ResultTable none = Bindings({"x"}, {});
  CHECK(Write(none, ResultFormat::kTable) == " x\n---\n0 rows\n");
}

TEST_CASE("table: terms shown readably, IRIs shortened", "[results]") {
  ResultWriteOptions opts;
  opts.prefixes = {{"ex", "http://example.org/"},
                   {"exv", "http://example.org/vocab#"},
                   {"xsd", std::string(kXsd)}};
  ResultTable t =
      Bindings({"v"}, {{Iri("http://example.org/vocab#metWith")},
                       {Iri("http://example.org/a/b")},
                       {Iri("http://other.org/x")},
                       {Term::LangLiteral("Astana", "kk")},
                       {Term::Literal("2023-02-24", std::string(kXsdDate))},
                       {Term::Literal("true", std::string(kXsdBoolean))},
                       {Str("line1\nline2\ttab")},
                       {Term::BlankNode("b7")}});
  CHECK(Write(t, ResultFormat::kTable, opts) ==
        " v\n"
        "--------------------------\n"
        " exv:metWith\n"
        " <http://example.org/a/b>\n"
        " <http://other.org/x>\n"
        " \"Astana\"@kk\n"
        " \"2023-02-24\"^^xsd:date\n"
        " true\n"
        " line1\\nline2\\ttab\n"
        " _:b7\n"
        "8 rows\n");
}

TEST_CASE("table: cell truncation counts display columns", "[results]") {
  ResultWriteOptions opts;
  opts.max_cell_width = 5;
  ResultTable t = Bindings({"longheader"}, {{Str("abcdefgh")},
                                            {Str("日本語です")},
                                            {Str("ünïcö")},
                                            {Str("ünïcöd")}});
  CHECK(Write(t, ResultFormat::kTable, opts) ==
        " long…\n"
        "-------\n"
        " abcd…\n"
        " 日本…\n"
        " ünïcö\n"
        " ünïc…\n"
        "4 rows\n");
}

TEST_CASE("table: max_rows and the more-rows footer", "[results]") {
  ResultWriteOptions opts;
  opts.max_rows = 2;
  ResultTable t = Bindings({"n"}, {});
  for (const char* n : {"1", "2", "333", "4", "5"}) t.rows.push_back({Int(n)});
  // Widths come from the rows shown only.
  CHECK(Write(t, ResultFormat::kTable, opts) ==
        " n\n---\n 1\n 2\n… 3 more rows\n5 rows\n");
  t.rows.resize(3);
  CHECK(Write(t, ResultFormat::kTable, opts) ==
        " n\n---\n 1\n 2\n… 1 more row\n3 rows\n");
}

TEST_CASE("table: graphs and booleans", "[results]") {
  ResultTable g;
  g.kind = QueryResult::Kind::kGraph;
  g.triples = {{Iri("urn:s"), Iri("urn:p"), Str("o"), {}}};
  CHECK(Write(g, ResultFormat::kTable) ==
        " subject | predicate | object\n"
        "---------+-----------+--------\n"
        " <urn:s> | <urn:p>   | o\n"
        "1 row\n");
  CHECK(Write(Boolean(true), ResultFormat::kTable) == "true\n");
  CHECK(Write(Boolean(false), ResultFormat::kCsv) == "false\n");
  CHECK(Write(Boolean(false), ResultFormat::kTsv) == "false\n");
}

TEST_CASE("TSV: Turtle term syntax, numeric shortcut, escapes", "[results]") {
  ResultTable t =
      Bindings({"a", "b"},
               {{Str("x\ty\"z\nw"), Int("7")},
                {Term::Literal("1", std::string(kXsdDecimal)),
                 Term::Literal("1.50", std::string(kXsdDecimal))},
                {Term::Literal("1e3", std::string(kXsdDouble)), std::nullopt},
                {Term::Literal("abc", std::string(kXsdInteger)),
                 Term::LangLiteral("hi", "en")}});
  std::string text = Write(t, ResultFormat::kTsv);
  CHECK(text ==
        "?a\t?b\n"
        "\"x\\ty\\\"z\\nw\"\t7\n"
        "\"1\"^^<http://www.w3.org/2001/XMLSchema#decimal>\t1.50\n"
        "1e3\t\n"
        "\"abc\"^^<http://www.w3.org/2001/XMLSchema#integer>\t\"hi\"@en\n");
  absl::StatusOr<ResultTable> back = conformance::ParseTsv(text);
  REQUIRE(back.ok());
  CheckEqual(t, *back, true);

  // "<" is no IRI character: written as \u003C, which Turtle (rightly)
  // refuses to read back; round-trip the other terms.
  ResultTable nasty_table = NastyTable();
  CHECK(Write(nasty_table, ResultFormat::kTsv)
            .find("<http://example.org/a?b=c&d=\\u003Ce\\u003E>") !=
        std::string::npos);
  nasty_table.rows[0][0] = Iri("http://example.org/a?b=c&d=e");
  std::string nasty = Write(nasty_table, ResultFormat::kTsv);
  back = conformance::ParseTsv(nasty);
  INFO(nasty);
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  CheckEqual(nasty_table, *back, true);
}

TEST_CASE("CSV: plain values, quoting, CRLF", "[results]") {
  ResultTable t =
      Bindings({"a", "b", "c"},
               {{Iri("http://x/y"), Str("plain"), Str("has,comma")},
                {Term::BlankNode("b1"), Str("say \"hi\""), Str("two\nlines")},
                {Int("12"), Term::LangLiteral("chat", "fr"), std::nullopt}});
  std::string text = Write(t, ResultFormat::kCsv);
  CHECK(text ==
        "a,b,c\r\n"
        "http://x/y,plain,\"has,comma\"\r\n"
        "_:b1,\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        "12,chat,\r\n");
  absl::StatusOr<ResultTable> back = conformance::ParseCsv(text);
  REQUIRE(back.ok());
  absl::StatusOr<ResultTable> view = conformance::CsvView(t);
  REQUIRE(view.ok());
  CheckEqual(*view, *back, true);
  REQUIRE(back->rows.size() == 3);
  CHECK(back->rows[1][2] == Str("two\nlines"));
  CHECK(back->rows[1][1] == Str("say \"hi\""));

  std::string nasty = Write(NastyTable(), ResultFormat::kCsv);
  back = conformance::ParseCsv(nasty);
  REQUIRE(back.ok());
  REQUIRE(back->rows.size() == 3);
  CHECK(back->rows[0][1] == Str(kNasty));
}

TEST_CASE("JSON: well-formed and escaped, reads back", "[results]") {
  std::string text = Write(NastyTable(), ResultFormat::kJson);
  INFO(text);
  // Control characters never appear raw; U+2028 is escaped for JavaScript.
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    CHECK((u >= 0x20 || c == '\n'));
  }
  CHECK(text.find("\\u0001") != std::string::npos);
  CHECK(text.find("\\u2028") != std::string::npos);
  CHECK(text.find("\"xml:lang\": \"fr-be\"") != std::string::npos);
  absl::StatusOr<ResultTable> back = conformance::ParseSrj(text);
  REQUIRE(back.ok());
  CheckEqual(NastyTable(), *back, true);

  std::string yes = Write(Boolean(true), ResultFormat::kJson);
  back = conformance::ParseSrj(yes);
  REQUIRE(back.ok());
  CHECK(back->kind == QueryResult::Kind::kBoolean);
  CHECK(back->boolean);
  // No rows, no variables.
  back = conformance::ParseSrj(Write(Bindings({}, {}), ResultFormat::kJson));
  REQUIRE(back.ok());
  CHECK(back->rows.empty());
  back = conformance::ParseSrj(Write(Bindings({}, {{}}), ResultFormat::kJson));
  REQUIRE(back.ok());
  CHECK(back->rows.size() == 1);
}

TEST_CASE("XML: well-formed and escaped, reads back", "[results]") {
  std::string text = Write(NastyTable(), ResultFormat::kXml);
  INFO(text);
  CHECK(text.find("&lt;angle&gt; &amp; amp") != std::string::npos);
  CHECK(text.find("&#13;") != std::string::npos);
  CHECK(text.find("a?b=c&amp;d=&lt;e&gt;") != std::string::npos);
  absl::StatusOr<ResultTable> back = conformance::ParseSrx(text);
  REQUIRE(back.ok());
  CheckEqual(XmlSafe(NastyTable()), *back, true);

  // Variable names and odd characters in attributes.
  ResultTable t =
      Bindings({"x"}, {{Term::Literal("v", "http://x/?a=1&b=\"2\"")}});
  back = conformance::ParseSrx(Write(t, ResultFormat::kXml));
  REQUIRE(back.ok());
  CheckEqual(t, *back, true);

  back = conformance::ParseSrx(Write(Boolean(false), ResultFormat::kXml));
  REQUIRE(back.ok());
  CHECK(back->kind == QueryResult::Kind::kBoolean);
  CHECK_FALSE(back->boolean);
}

TEST_CASE("N-Triples and Turtle for graph results", "[results]") {
  ResultTable g;
  g.kind = QueryResult::Kind::kGraph;
  g.triples = {
      {Iri("http://example.org/a"), Iri("http://example.org/p"), Str(kNasty),
       Term::Iri("http://example.org/graph")},
      {Term::BlankNode("x"),
       Iri("http://example.org/p"),
       Term::LangLiteral("hé", "en"),
       {}},
  };
  std::vector<Quad> want = g.triples;
  want[0].graph.reset();
  ResultWriteOptions opts;
  opts.prefixes = {{"ex", "http://example.org/"}};
  for (RdfFormat f : {RdfFormat::kNTriples, RdfFormat::kTurtle}) {
    std::string text = Write(g,
                             f == RdfFormat::kNTriples ? ResultFormat::kNTriples
                                                       : ResultFormat::kTurtle,
                             opts);
    INFO(text);
    if (f == RdfFormat::kTurtle) CHECK(text.find("ex:p") != std::string::npos);
    std::vector<Quad> read;
    absl::Status s = ParseRdfString(text, f, {}, [&](const Quad& q) {
      read.push_back(q);
      return absl::OkStatus();
    });
    REQUIRE(s.ok());
    std::string why;
    bool iso = conformance::IsIsomorphic(want, read, &why);
    INFO(why);
    CHECK(iso);
  }
}

// A result that fails after one row, as a query hitting its timeout does.
class FailingResult final : public QueryResult {
 public:
  Kind kind() const override { return Kind::kBindings; }
  const std::vector<std::string>& variables() const override { return vars_; }
  absl::StatusOr<bool> NextRow(Row* row) override {
    if (calls_++ == 0) {
      *row = {Term::Literal("1", std::string(kXsdInteger))};
      return true;
    }
    return absl::DeadlineExceededError("query timed out");
  }
  bool boolean() const override { return false; }
  absl::StatusOr<bool> NextTriple(Quad*) override { return false; }
  const std::map<std::string, std::string>& prefixes() const override {
    return prefixes_;
  }

 private:
  std::vector<std::string> vars_ = {"n"};
  std::map<std::string, std::string> prefixes_;
  int calls_ = 0;
};

TEST_CASE("errors: wrong kind for a format, failures while running",
          "[results]") {
  ResultTable g;
  g.kind = QueryResult::Kind::kGraph;
  for (ResultFormat f : {ResultFormat::kTsv, ResultFormat::kCsv,
                         ResultFormat::kJson, ResultFormat::kXml}) {
    std::unique_ptr<QueryResult> r = ResultFromTable(g);
    std::ostringstream out;
    absl::Status s = WriteResult(*r, f, out);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(out.str().empty());
  }
  for (ResultFormat f : {ResultFormat::kNTriples, ResultFormat::kTurtle}) {
    std::unique_ptr<QueryResult> r = ResultFromTable(Bindings({"x"}, {}));
    std::ostringstream out;
    CHECK(WriteResult(*r, f, out).code() == absl::StatusCode::kInvalidArgument);
  }
  for (ResultFormat f :
       {ResultFormat::kTable, ResultFormat::kTsv, ResultFormat::kCsv,
        ResultFormat::kJson, ResultFormat::kXml}) {
    FailingResult r;
    std::ostringstream out;
    CHECK(WriteResult(r, f, out).code() == absl::StatusCode::kDeadlineExceeded);
  }
}

}  // namespace
}  // namespace kg
