// Unit tests of the SPARQL parser (query/parser.h): AST shapes, error
// messages with line:column and caret, incomplete input, static errors,
// and robustness (deep nesting, random mutations in a [.fuzz] test).

#include "query/parser.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace kg {
namespace {

using ast::Expr;
using ast::Path;
using ast::PatternElement;

ast::Query Q(std::string_view text) {
  absl::StatusOr<ast::Query> q = ParseQuery(text);
  INFO(text);
  INFO(q.status().message());
  REQUIRE(q.ok());
  return *std::move(q);
}

QuerySyntaxError Err(std::string_view text, bool update = false) {
  QuerySyntaxError err;
  bool ok = update ? ParseUpdate(text, {}, &err).ok()
                   : ParseQuery(text, {}, &err).ok();
  INFO(text);
  REQUIRE_FALSE(ok);
  return err;
}

std::string Msg(std::string_view text, bool update = false) {
  absl::Status st =
      update ? ParseUpdate(text).status() : ParseQuery(text).status();
  REQUIRE_FALSE(st.ok());
  return std::string(st.message());
}

TEST_CASE("basic SELECT with prefixes, literals and 'a'", "[parser]") {
  ast::Query q =
      Q("PREFIX ex: <http://ex.org/>\n"
        "SELECT DISTINCT ?s ?n WHERE { ?s a ex:Person ; ex:age 42 , -1.5 , "
        "1e3 ; ex:name \"Bob\"@EN , 'x'^^ex:t , true . }");
  CHECK(q.form == ast::QueryForm::kSelect);
  CHECK(q.distinct);
  REQUIRE(q.projections.size() == 2);
  CHECK(q.projections[1].var.name == "n");
  REQUIRE(q.where.elements.size() == 1);
  const auto& t = q.where.elements[0].triples;
  REQUIRE(t.size() == 7);
  CHECK(std::get<Path>(t[0].predicate).iri == kRdfType);
  CHECK(std::get<Term>(t[0].object) == Term::Iri("http://ex.org/Person"));
  CHECK(std::get<Term>(t[1].object) ==
        Term::Literal("42", std::string(kXsdInteger)));
  CHECK(std::get<Term>(t[2].object) ==
        Term::Literal("-1.5", std::string(kXsdDecimal)));
  CHECK(std::get<Term>(t[3].object) ==
        Term::Literal("1e3", std::string(kXsdDouble)));
  CHECK(std::get<Term>(t[4].object) == Term::LangLiteral("Bob", "en"));
  CHECK(std::get<Term>(t[5].object) == Term::Literal("x", "http://ex.org/t"));
  CHECK(std::get<Term>(t[6].object) ==
        Term::Literal("true", std::string(kXsdBoolean)));
  CHECK(q.prefixes.at("ex") == "http://ex.org/");
}

TEST_CASE("prefixed names with escapes and %xx, strings with escapes",
          "[parser]") {
  ast::Query q =
      Q("PREFIX : <http://e/> SELECT * { :a\\~b%20c.d :p \"\"\"x\\n\"y\"\"\"\" "
        "}");
  const auto& t = q.where.elements[0].triples[0];
  CHECK(std::get<Term>(t.subject).lexical == "http://e/a~b%20c.d");
  CHECK(std::get<Term>(t.object).lexical == "x\n\"y\"");
}

TEST_CASE("expression precedence", "[parser]") {
  ast::Query q = Q("SELECT * { FILTER(?a || ?b && ?c = 1 + 2 * -?d) }");
  const Expr& e = q.where.elements[0].expr;
  REQUIRE(e.kind == Expr::Kind::kOr);
  const Expr& and_ = e.args[1];
  REQUIRE(and_.kind == Expr::Kind::kAnd);
  const Expr& eq = and_.args[1];
  REQUIRE(eq.kind == Expr::Kind::kEq);
  const Expr& add = eq.args[1];
  REQUIRE(add.kind == Expr::Kind::kAdd);
  CHECK(add.args[1].kind == Expr::Kind::kMul);
  CHECK(add.args[1].args[1].kind == Expr::Kind::kNegate);
}

TEST_CASE("builtins, casts, IN, EXISTS and aggregates", "[parser]") {
  ast::Query q = Q(
      "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
      "SELECT ?g (COUNT(DISTINCT *) AS ?n) "
      "(GROUP_CONCAT(?x ; SEPARATOR=', ') AS ?all) "
      "WHERE { ?g ?p ?x FILTER(xsd:integer(?x) NOT IN (1, 2) && "
      "regex(str(?x), 'a', 'i') && NOT EXISTS { ?x ?p ?g } && isURI(?g)) }"
      " GROUP BY ?g HAVING (COUNT(*) > 1) ORDER BY DESC(?n) LIMIT 5 OFFSET 2");
  const Expr& count = *q.projections[1].expr;
  CHECK(count.kind == Expr::Kind::kAggregate);
  CHECK(count.name == "COUNT");
  CHECK(count.distinct);
  CHECK(count.star);
  CHECK(q.projections[2].expr->separator == ", ");
  const Expr& f = q.where.elements[1].expr;
  const Expr& notin = f.args[0].args[0].args[0];
  REQUIRE(notin.kind == Expr::Kind::kNotIn);
  CHECK(notin.args[0].name == std::string(kXsdInteger));
  CHECK(notin.args.size() == 3);
  CHECK(f.args[0].args[0].args[1].name == "REGEX");
  CHECK(f.args[0].args[1].kind == Expr::Kind::kNotExists);
  CHECK(f.args[1].name == "ISIRI");
  CHECK(q.group_by.size() == 1);
  CHECK(q.having.size() == 1);
  CHECK(q.order_by[0].descending);
  CHECK(q.limit == 5u);
  CHECK(q.offset == 2u);
}

TEST_CASE("property paths keep their precedence", "[parser]") {
  ast::Query q =
      Q("PREFIX : <http://e/> SELECT * { ?s :a/^:b*|!(:c|^:d)/(:e)+ ?o }");
  const Path& p = std::get<Path>(q.where.elements[0].triples[0].predicate);
  REQUIRE(p.kind == Path::Kind::kAlternative);
  REQUIRE(p.children.size() == 2);
  const Path& seq = p.children[0];
  REQUIRE(seq.kind == Path::Kind::kSequence);
  CHECK(seq.children[1].kind == Path::Kind::kInverse);
  CHECK(seq.children[1].children[0].kind == Path::Kind::kZeroOrMore);
  const Path& seq2 = p.children[1];
  REQUIRE(seq2.kind == Path::Kind::kSequence);
  REQUIRE(seq2.children[0].kind == Path::Kind::kNegatedSet);
  CHECK(seq2.children[0].negated.size() == 2);
  CHECK(seq2.children[0].negated[1].second);
  CHECK(seq2.children[1].kind == Path::Kind::kOneOrMore);
}

TEST_CASE("graph patterns", "[parser]") {
  ast::Query q = Q(
      "SELECT * FROM <http://g1> FROM NAMED <http://g2> { ?s ?p ?o "
      "OPTIONAL { ?s ?q ?r } { ?a ?b ?c } UNION { ?d ?e ?f } MINUS { ?s ?p 1 }"
      " GRAPH ?g { ?x ?y ?z } BIND(1 AS ?one) VALUES ?v { 1 UNDEF } "
      "{ SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } } VALUES (?w) { (2) }");
  using K = PatternElement::Kind;
  std::vector<K> kinds;
  for (const auto& el : q.where.elements) kinds.push_back(el.kind);
  CHECK(kinds == std::vector<K>{K::kTriples, K::kOptional, K::kUnion, K::kMinus,
                                K::kGraph, K::kBind, K::kValues, K::kGroup});
  CHECK(q.where.elements[6].values.rows.size() == 2);
  CHECK_FALSE(q.where.elements[6].values.rows[1][0].has_value());
  REQUIRE(q.where.elements[7].groups[0].elements.size() == 1);
  CHECK(q.where.elements[7].groups[0].elements[0].kind == K::kSubSelect);
  CHECK(q.from == std::vector<std::string>{"http://g1"});
  CHECK(q.values->vars.size() == 1);
}

TEST_CASE("collections and blank node property lists", "[parser]") {
  ast::Query q = Q("SELECT * { ?s <http://p> (1 [ <http://q> 2 ]) }");
  // 2 cells x (first, rest) + the [] triple + the main triple.
  CHECK(q.where.elements[0].triples.size() == 6);
}

TEST_CASE("CONSTRUCT, ASK, DESCRIBE", "[parser]") {
  ast::Query c = Q("CONSTRUCT { ?s <http://p> _:b } WHERE { ?s ?p ?o }");
  CHECK(c.form == ast::QueryForm::kConstruct);
  CHECK(c.construct_template.size() == 1);
  ast::Query cw = Q("CONSTRUCT WHERE { ?s ?p ?o . ?o ?p ?s }");
  CHECK(cw.construct_template.size() == 2);
  CHECK(Q("ASK { ?s ?p ?o }").form == ast::QueryForm::kAsk);
  ast::Query d = Q("DESCRIBE <http://x> ?y");
  CHECK(d.describe.size() == 2);
}

TEST_CASE("updates", "[parser]") {
  absl::StatusOr<ast::UpdateRequest> u = ParseUpdate(
      "PREFIX : <http://e/> INSERT DATA { :a :b :c GRAPH :g { :a :b 1 } } ;\n"
      "WITH :g DELETE { ?s :p ?o } INSERT { ?s :q ?o } USING :u "
      "WHERE { ?s :p ?o } ;\n"
      "DELETE WHERE { ?s :p ?o } ; LOAD SILENT <http://x> INTO GRAPH :g ;"
      "CLEAR ALL ; DROP GRAPH :g ; CREATE GRAPH :h ; COPY DEFAULT TO :h ;"
      "MOVE :h TO DEFAULT ; ADD SILENT GRAPH :h TO :g");
  INFO(u.status().message());
  REQUIRE(u.ok());
  using K = ast::UpdateOperation::Kind;
  const auto& ops = u->operations;
  REQUIRE(ops.size() == 10);
  CHECK(ops[0].kind == K::kInsertData);
  CHECK(ops[0].insert.size() == 2);
  CHECK(ops[0].insert[1].graph.has_value());
  CHECK(ops[1].kind == K::kModify);
  CHECK(ops[1].with == "http://e/g");
  CHECK(ops[1].remove.size() == 1);
  CHECK(ops[1].using_graphs.size() == 1);
  CHECK(ops[2].kind == K::kDeleteWhere);
  CHECK(ops[2].where.elements.size() == 1);
  CHECK(ops[3].kind == K::kLoad);
  CHECK(ops[3].silent);
  CHECK(ops[3].into == "http://e/g");
  CHECK(ops[4].target.kind == ast::GraphTarget::Kind::kAll);
  CHECK(ops[7].from.kind == ast::GraphTarget::Kind::kDefault);
  CHECK(ops[7].target.iri == "http://e/h");
  CHECK(ops[9].from.iri == "http://e/h");
  CHECK(ParseUpdate("").ok());
}

TEST_CASE("syntax errors give line, column, found and a caret", "[parser]") {
  std::string text =
      "PREFIX : <http://e/>\nSELECT * WHERE {\n  ?s ?p ?o FILTR(?o) }";
  QuerySyntaxError err = Err(text);
  CHECK(err.line == 3);
  CHECK(err.column == 12);
  CHECK(err.found == "'FILTR'");
  CHECK_FALSE(err.at_end);
  CHECK(err.ToString(text) ==
        "line 3, column 12: expected '}' to close the group, found 'FILTR' "
        "(did you mean FILTER?)\n"
        "  ?s ?p ?o FILTR(?o) }\n"
        "           ^");
  CHECK(Msg("SELECT * WHERE { ?s ?p ?o } }")
            .find("expected end of input, found '}'") != std::string::npos);
  CHECK(Msg("SELECT ?x WHERE { ?s ?p }").find("found '}'") !=
        std::string::npos);
  CHECK(Msg("SELECTx * { }").find("line 1, column 1") != std::string::npos);
}

TEST_CASE("a misspelt keyword or function name gets a suggestion", "[parser]") {
  // Inside a group, the example: the place, the caret, the cause.
  CHECK(Msg("SELECT * WHERE { ?s ?p ?o FILTR(?o > 1) }") ==
        "line 1, column 27: expected '}' to close the group, found 'FILTR' "
        "(did you mean FILTER?)\n"
        "SELECT * WHERE { ?s ?p ?o FILTR(?o > 1) }\n"
        "                          ^");
  CHECK(Msg("SELECT * { { ?s ?p ?o } UNOIN { ?s ?q ?r } }")
            .find("found 'UNOIN' (did you mean UNION?)") != std::string::npos);
  CHECK(Msg("SELECT * { ?s ?p ?o OPTONAL { ?s ?q ?r } }")
            .find("(did you mean OPTIONAL?)") != std::string::npos);
  // At the top level.
  CHECK(Msg("SELCT * { ?s ?p ?o }")
            .find("line 1, column 1: expected SELECT, CONSTRUCT, DESCRIBE or "
                  "ASK, found 'SELCT' (did you mean SELECT?)") !=
        std::string::npos);
  CHECK(Msg("SELECT * WHER { ?s ?p ?o }")
            .find("column 10: expected a WHERE clause '{ ... }', found 'WHER' "
                  "(did you mean WHERE?)") != std::string::npos);
  CHECK(
      Msg("SELECT DISTICT ?s { ?s ?p ?o }").find("(did you mean DISTINCT?)") !=
      std::string::npos);
  CHECK(Msg("SELECT * { ?s ?p ?o } LIMT 5")
            .find("found 'LIMT' (did you mean LIMIT?)") != std::string::npos);
  CHECK(Msg("SELECT * { ?s ?p ?o } ORDR BY ?s").find("(did you mean ORDER?)") !=
        std::string::npos);
  CHECK(Msg("SELECT ?s { ?s ?p ?o } groupby ?s")
            .find("(did you mean group by?)") != std::string::npos);
  // SERVICE is refused, but it is what was meant.
  CHECK(Msg("SELECT * { ?s ?p ?o . SERVIC <http://x> { } }")
            .find("found 'SERVIC' (did you mean SERVICE?)") !=
        std::string::npos);
  CHECK(Msg("INSRT DATA { <urn:a> <urn:b> <urn:c> }", true)
            .find("found 'INSRT' (did you mean INSERT?)") != std::string::npos);
  // A function name; lower case is answered in lower case.
  CHECK(Msg("SELECT * { ?s ?p ?o FILTER(CONTAINZ(?o, \"a\")) }")
            .find("column 28: expected an expression, found 'CONTAINZ' (did "
                  "you mean CONTAINS?)") != std::string::npos);
  CHECK(Msg("select * { ?s ?p ?o filter(regexx(?o, 'a')) }")
            .find("(did you mean regex?)") != std::string::npos);
  CHECK(Msg("SELECT (CONT(?s) AS ?n) { ?s ?p ?o }")
            .find("(did you mean COUNT?)") != std::string::npos);
  // Prefixes given by the caller are no obstacle.
  QueryParseOptions options;
  options.prefixes["ex"] = "http://ex.org/";
  absl::Status st =
      ParseQuery("SELECT * { ?s ex:p ?o FILTR(?o) }", options).status();
  CHECK(st.message().find("(did you mean FILTER?)") != std::string::npos);
  // The fields keep the token; the hint is in the message only.
  QuerySyntaxError err = Err("SELECT * { ?s ?p ?o FILTR(?o) }");
  CHECK(err.found == "'FILTR'");
  CHECK(err.expected == "'}' to close the group");
}

TEST_CASE("a suggestion is only made where the keyword fits", "[parser]") {
  // "name" is near NAMED and "year" is YEAR, but neither fits a predicate.
  std::string name = Msg("SELECT ?s { ?s name ?o }");
  CHECK(name.find("did you mean") == std::string::npos);
  CHECK(name.find("found 'name' (not a keyword: write ?name for a variable, "
                  "or give it a prefix, as in ex:name)") != std::string::npos);
  CHECK(Msg("SELECT ?s { ?s year ?o }").find("did you mean") ==
        std::string::npos);
  // An unknown function.
  CHECK(Msg("SELECT * { ?s ?p ?o FILTER(FOO(?o)) }")
            .find("found 'FOO' (no built-in function is named FOO)") !=
        std::string::npos);
  // Nothing near, nothing that fits: the plain message.
  CHECK(Msg("SELECT * { ?s ?p ?o } ZZZZZZ") ==
        "line 1, column 23: expected end of input, found 'ZZZZZZ'\n"
        "SELECT * { ?s ?p ?o } ZZZZZZ\n"
        "                      ^");
}

TEST_CASE("a missing '.' between triple patterns is named", "[parser]") {
  std::string text = "SELECT ?s WHERE {\n  ?s ?p ?o\n  ?o ?q ?r\n}";
  CHECK(Msg(text) ==
        "line 3, column 3: expected '}' to close the group, found '?o' "
        "(missing '.' after the previous triple pattern?)\n"
        "  ?o ?q ?r\n"
        "  ^");
  // Four terms in a row are not two triples.
  CHECK(Msg("SELECT * { ?s ?p ?o . ?o ?q ?r ?x }").find("missing") ==
        std::string::npos);
}

TEST_CASE("a character an IRI may not contain is named", "[parser]") {
  CHECK(Msg("SELECT * WHERE { <http://ex.org/a b> ?p ?o }") ==
        "line 1, column 34: character ' ' (space) is not allowed in an IRI; "
        "write it as %20\n"
        "SELECT * WHERE { <http://ex.org/a b> ?p ?o }\n"
        "                                 ^");
  CHECK(Msg("SELECT * { ?s ?p <http://ex.org/{id}> }") ==
        "line 1, column 33: character '{' is not allowed in an IRI; write it "
        "as %7B\n"
        "SELECT * { ?s ?p <http://ex.org/{id}> }\n"
        "                                ^");
  CHECK(Msg("PREFIX ex: <http://ex.org/a|b>\nSELECT * { ?s ?p ?o }")
            .find("line 1, column 28: character '|' is not allowed in an IRI; "
                  "write it as %7C") != std::string::npos);
  CHECK(Msg("SELECT * { ?s ?p <http://ex.org/a\\b> }")
            .find("character '\\' is not allowed in an IRI (only in a \\u or "
                  "\\U escape); write it as %5C") != std::string::npos);
  CHECK(Msg("SELECT * { ?s ?p <http://ex.org/a\tb> }")
            .find("character U+0009 (tab) is not allowed in an IRI; write it "
                  "as %09") != std::string::npos);
  // Where '<' could be less-than: still the IRI, when one is plainly meant.
  CHECK(Msg("SELECT * { ?s ?p ?o FILTER(?o = <http://x y>) }")
            .find("column 42: character ' ' (space) is not allowed") !=
        std::string::npos);
  CHECK(Msg("SELECT * { ?s ?p ?o FILTER(?o <http://x y>) }")
            .find("column 40: character ' ' (space) is not allowed") !=
        std::string::npos);
  CHECK(Msg("SELECT * { ?s ?p <http://ex.org/a\n}")
            .find("line 1, column 18: unterminated IRI: '<http://ex.org/a' has "
                  "no closing '>' on its line") != std::string::npos);
  CHECK(Msg("INSERT DATA { <urn:a> <urn:b> <urn:c d> }", true)
            .find("character ' ' (space) is not allowed in an IRI") !=
        std::string::npos);
  // Less-than stays less-than.
  CHECK(ParseQuery("SELECT * { ?s ?p ?o FILTER(?o<?s && ?s>?o) }").ok());
  CHECK(Msg("SELECT * { ?s ?p ?o } ORDER BY ?o < 3")
            .find("expected end of input, found '<'") != std::string::npos);
}

TEST_CASE("positions in multi-line queries", "[parser]") {
  // Tabs are one column and are kept under the caret; UTF-8 characters are
  // one column; comments and CRLF line ends do not shift anything.
  std::string text =
      "PREFIX ex: <http://ex.org/>  # people\r\n"
      "SELECT ?n\r\n"
      "WHERE {\r\n"
      "\t?s ex:name \"Zoë\" FILTR(?n) }";
  QuerySyntaxError err = Err(text);
  CHECK(err.line == 4);
  CHECK(err.column == 19);
  CHECK(err.ToString(text) ==
        "line 4, column 19: expected '}' to close the group, found 'FILTR' "
        "(did you mean FILTER?)\n"
        "\t?s ex:name \"Zoë\" FILTR(?n) }\n"
        "\t                 ^");
  err = Err("SELECT *\n{\n  ?s ?p <http://e/a b>\n}");
  CHECK(err.line == 3);
  CHECK(err.column == 20);
}

TEST_CASE("keywords are case-insensitive and not identifier prefixes",
          "[parser]") {
  CHECK(ParseQuery("select * where { ?s ?p ?o } limit 1").ok());
  CHECK_FALSE(ParseQuery("SELECTx * { ?s ?p ?o }").ok());
  CHECK_FALSE(ParseQuery("SELECT * { ?s ?p ?o } LIMIT1").ok());
}

TEST_CASE("incomplete input is detected", "[parser]") {
  CHECK(IsIncompleteInput("SELECT * WHERE { ?s ?p"));
  CHECK(IsIncompleteInput("SELECT * WHERE { ?s ?p ?o"));
  CHECK(IsIncompleteInput("SELECT * WHERE { ?s ?p \"abc"));
  CHECK(IsIncompleteInput("PREFIX : <http://e/> SELECT"));
  CHECK_FALSE(IsIncompleteInput("SELECT * WHERE { ?s ?p ?o } }"));
  CHECK_FALSE(IsIncompleteInput("SELECT * WHERE { ?s ?p ?o }"));
  CHECK_FALSE(IsIncompleteInput("SELECT * WHERE { ?s ?p ?o . . }"));
}

TEST_CASE("static errors", "[parser]") {
  CHECK(Msg("SELECT * { ?s ex:p ?o }").find("undeclared prefix 'ex:'") !=
        std::string::npos);
  CHECK(Msg("SELECT ?s { ?s ?p ?o } GROUP BY ?p").find("not grouped") !=
        std::string::npos);
  CHECK(Msg("SELECT (1 AS ?s) { ?s ?p ?o }").find("already in scope") !=
        std::string::npos);
  CHECK(Msg("SELECT * { ?s ?p ?o BIND(1 AS ?o) }").find("already in scope") !=
        std::string::npos);
  CHECK(
      Msg("SELECT * { ?s ?p ?o FILTER(COUNT(?s) > 1) }").find("not allowed") !=
      std::string::npos);
  CHECK(Msg("SELECT * { _:a ?p ?o OPTIONAL { _:a ?q ?r } }")
            .find("blank node label _:a") != std::string::npos);
  CHECK(Msg("DELETE DATA { _:a <http://p> 1 }", true).find("blank nodes") !=
        std::string::npos);
  CHECK(Msg("INSERT DATA { ?x <http://p> 1 }", true).find("variables") !=
        std::string::npos);
  CHECK(Msg("SELECT * { ?s ?p ?o } VALUES (?a ?b) { (1) }").find("VALUES") !=
        std::string::npos);
  CHECK(Msg("SELECT * { SERVICE <http://x> { ?s ?p ?o } }")
            .find("SERVICE is not supported") != std::string::npos);
  // Every kind of spacing the grammar skips (a form feed, a vertical tab,
  // a comment) is skipped when an error names where its token starts.
  CHECK(Msg("SELECT * {\f\v SERVICE <http://x> { ?s ?p ?o } }")
            .find("line 1, column 14: SERVICE is not supported") !=
        std::string::npos);
  CHECK(Msg("SELECT * { FILTER(STR(1, 2)) }").find("STR takes 1") !=
        std::string::npos);
  // The static error points at the variable.
  QuerySyntaxError err = Err("SELECT ?s\n{ ?s ?p ?o } GROUP BY ?p");
  CHECK(err.line == 1);
  CHECK(err.column == 8);
}

TEST_CASE("deep nesting is an error, not a crash", "[parser]") {
  std::string deep = "SELECT * { FILTER(" + std::string(5000, '(') + "1" +
                     std::string(5000, ')') + ") }";
  CHECK(Msg(deep).find("nesting too deep") != std::string::npos);
  std::string groups =
      "SELECT * " + std::string(5000, '{') + std::string(5000, '}');
  CHECK(Msg(groups).find("nesting too deep") != std::string::npos);
  std::string lists = "SELECT * { ?s ?p " + std::string(5000, '(') + "1" +
                      std::string(5000, ')') + " }";
  CHECK(Msg(lists).find("nesting too deep") != std::string::npos);
  std::string ok = "SELECT * { FILTER(" + std::string(100, '(') + "1" +
                   std::string(100, ')') + ") }";
  CHECK(ParseQuery(ok).ok());
}

// Issue 17: a chain of binary operators grows one level per operator with
// no parentheses at all; 50,000 of them crashed the translation.
TEST_CASE("a very long operator chain is an error, not a crash",
          "[parser][issue17]") {
  std::string plus = "SELECT * { ?s ?p ?o FILTER(1";
  std::string ors = "SELECT * { ?s ?p ?o FILTER(?o = 0";
  for (int i = 1; i < 50000; ++i) {
    plus += "+1";
    ors += " || ?o = " + std::to_string(i);
  }
  plus += " > 0) }";
  ors += ") }";
  for (const std::string& q : {plus, ors}) {
    std::string m = Msg(q);
    CHECK(m.find("expression nested too deeply (more than 1000 operators") !=
          std::string::npos);
    CHECK(m.find("line 1, column ") != std::string::npos);
  }
  // Inside function calls the levels add up too.
  std::string calls = "SELECT * { FILTER(";
  for (int i = 0; i < 150; ++i) calls += "STR(";
  calls += "1";
  for (int i = 0; i < 150; ++i) {
    for (int k = 0; k < 10; ++k) calls += "+1";
    calls += ")";
  }
  calls += " = \"\") }";
  CHECK(Msg(calls).find("expression nested too deeply") != std::string::npos);
  // 900 operators are fine.
  std::string ok = "SELECT * { FILTER(1";
  for (int i = 0; i < 900; ++i) ok += "+1";
  ok += " > 0) }";
  CHECK(ParseQuery(ok).ok());
}

TEST_CASE("a parse stops at its memory limit", "[parser][issue17]") {
  std::string query = "SELECT * { VALUES ?x {";
  for (int i = 0; i < 20000; ++i)
    query += " \"a literal long enough to live on the heap " +
             std::to_string(i) + "\"";
  query += " } }";
  QueryParseOptions options;
  options.memory_limit_bytes = 1 << 20;
  auto capped = ParseQuery(query, options);
  REQUIRE_FALSE(capped.ok());
  CHECK(absl::IsResourceExhausted(capped.status()));
  CHECK(std::string(capped.status().message())
            .find("memory limit of 1048576 bytes while its text was being "
                  "read") != std::string::npos);
  options.memory_limit_bytes = 64 << 20;
  CHECK(ParseQuery(query, options).ok());
  CHECK(ParseQuery(query).ok());  // no limit
  // Updates too.
  std::string update = "INSERT DATA {";
  for (int i = 0; i < 20000; ++i)
    update += " <urn:s> <urn:p> " + std::to_string(i) + " .";
  update += " }";
  options.memory_limit_bytes = 1 << 20;
  CHECK(absl::IsResourceExhausted(ParseUpdate(update, options).status()));
}

// Random mutations of the W3C queries: nothing may crash or hang.
TEST_CASE("fuzz: mutated W3C queries", "[.fuzz]") {
  namespace fs = std::filesystem;
  std::vector<std::string> corpus;
  for (const auto& e : fs::recursive_directory_iterator(
           fs::path(__FILE__).parent_path() / "../tests/data/w3c/sparql")) {
    auto ext = e.path().extension();
    if (ext != ".rq" && ext != ".ru") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    corpus.push_back(ss.str());
  }
  REQUIRE_FALSE(corpus.empty());
  std::mt19937 rng(12345);
  const std::string alphabet = "{}()[]<>?$:;,.'\"\\#^|/*+!=&-_@ \n aZ09eE";
  for (int iter = 0; iter < 200000; ++iter) {
    std::string s = corpus[rng() % corpus.size()];
    int edits = 1 + rng() % 4;
    for (int k = 0; k < edits && !s.empty(); ++k) {
      size_t pos = rng() % s.size();
      switch (rng() % 4) {
        case 0:
          s.erase(pos, 1 + rng() % 3);
          break;
        case 1:
          s.insert(pos, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 2:
          s[pos] = static_cast<char>(rng() % 256);
          break;
        case 3:
          s = s.substr(0, pos);
          break;
      }
    }
    (void)ParseQuery(s);
    (void)ParseUpdate(s);
    (void)IsIncompleteInput(s);
  }
}

}  // namespace
}  // namespace kg
