// Unit tests of the SPARQL operators and builtin functions
// (query/functions.h): EBV, comparisons, arithmetic and promotion,
// canonical forms, string functions and regexes, date/time, hashes, casts
// and the ORDER BY order.

#include "query/functions.h"

#include <catch2/catch.hpp>
#include <set>

namespace kg {
namespace {

const std::string kXsdNs = "http://www.w3.org/2001/XMLSchema#";

Term Lit(std::string lex, std::string type = {}) {
  if (!type.empty() && type.find(':') == std::string::npos)
    type = kXsdNs + type;
  return Term::Literal(std::move(lex), std::move(type));
}
Term Int(std::string lex) { return Lit(std::move(lex), "integer"); }
Term Dec(std::string lex) { return Lit(std::move(lex), "decimal"); }
Term Dbl(std::string lex) { return Lit(std::move(lex), "double"); }
Term Flt(std::string lex) { return Lit(std::move(lex), "float"); }
Term Bool(bool b) { return Lit(b ? "true" : "false", "boolean"); }
Term DT(std::string lex) { return Lit(std::move(lex), "dateTime"); }
Term Lang(std::string lex, std::string tag) {
  return Term::LangLiteral(std::move(lex), std::move(tag));
}

Value Call(std::string_view name, std::vector<Value> args) {
  FunctionContext ctx;
  ctx.now = "2026-11-27T03:25:00.123Z";
  return CallFunction(name, args, ctx);
}

// The result as N-Triples, or "error".
std::string S(const Value& v) { return v ? v->ToNTriples() : "error"; }
std::string B(std::optional<bool> b) {
  return b ? (*b ? "true" : "false") : "error";
}

std::string Nt(const Term& t) { return t.ToNTriples(); }

}  // namespace

TEST_CASE("EBV follows 17.2.2", "[functions]") {
  CHECK(B(EffectiveBooleanValue(Bool(true))) == "true");
  CHECK(B(EffectiveBooleanValue(Lit("1", "boolean"))) == "true");
  CHECK(B(EffectiveBooleanValue(Lit("maybe", "boolean"))) == "false");
  CHECK(B(EffectiveBooleanValue(Lit(""))) == "false");
  CHECK(B(EffectiveBooleanValue(Lit("a"))) == "true");
  CHECK(B(EffectiveBooleanValue(Int("0"))) == "false");
  CHECK(B(EffectiveBooleanValue(Dec("0.0"))) == "false");
  CHECK(B(EffectiveBooleanValue(Dbl("NaN"))) == "false");
  CHECK(B(EffectiveBooleanValue(Dbl("1e-300"))) == "true");
  CHECK(B(EffectiveBooleanValue(Int("abc"))) == "false");  // ill-typed
  CHECK(B(EffectiveBooleanValue(Lang("a", "en"))) == "error");
  CHECK(B(EffectiveBooleanValue(Term::Iri("http://x"))) == "error");
  CHECK(B(EffectiveBooleanValue(Lit("x", "http://ex/dt"))) == "error");
  CHECK(B(EffectiveBooleanValue(std::nullopt)) == "error");
}

TEST_CASE("arithmetic promotes and uses canonical forms", "[functions]") {
  auto add = [](Term a, Term b) { return S(Arithmetic(ArithOp::kAdd, a, b)); };
  auto div = [](Term a, Term b) { return S(Arithmetic(ArithOp::kDiv, a, b)); };
  auto mul = [](Term a, Term b) { return S(Arithmetic(ArithOp::kMul, a, b)); };
  auto sub = [](Term a, Term b) { return S(Arithmetic(ArithOp::kSub, a, b)); };
  const std::string xi = "^^<http://www.w3.org/2001/XMLSchema#integer>";
  const std::string xd = "^^<http://www.w3.org/2001/XMLSchema#decimal>";
  const std::string xf = "^^<http://www.w3.org/2001/XMLSchema#float>";
  const std::string xdb = "^^<http://www.w3.org/2001/XMLSchema#double>";
  CHECK(add(Int("1"), Int("+041")) == "\"42\"" + xi);
  CHECK(add(Int("1"), Lit("2", "byte")) == "\"3\"" + xi);
  CHECK(add(Int("1"), Dec("1.50")) == "\"2.5\"" + xd);
  CHECK(add(Dec("0.5"), Dec("1.5")) == "\"2.0\"" + xd);
  CHECK(add(Dec("0.1"), Dec("0.2")) == "\"0.3\"" + xd);  // exact
  CHECK(add(Int("1"), Flt("1.5")) == "\"2.5E0\"" + xf);
  CHECK(add(Flt("1"), Dbl("1")) == "\"2.0E0\"" + xdb);
  CHECK(add(Dec("1"), Dbl("150")) == "\"1.51E2\"" + xdb);
  CHECK(div(Int("1"), Int("4")) == "\"0.25\"" + xd);
  CHECK(div(Int("4"), Int("2")) == "\"2.0\"" + xd);
  CHECK(div(Int("1"), Int("3")) == "\"0.333333333333333333333333333333\"" + xd);
  CHECK(div(Int("1"), Int("0")) == "error");
  CHECK(div(Dec("0.000000000000000000000000000001"),
            Dec("0.000000000000000000000000000003")) ==
        "\"0.333333333333333333333333333333\"" + xd);
  CHECK(div(Int("-7"), Int("2")) == "\"-3.5\"" + xd);
  CHECK(div(Dec("1"), Dec("0.0")) == "error");
  CHECK(div(Dbl("1"), Int("0")) == "\"INF\"" + xdb);
  CHECK(div(Dbl("-1"), Int("0")) == "\"-INF\"" + xdb);
  CHECK(div(Dbl("0"), Int("0")) == "\"NaN\"" + xdb);
  CHECK(mul(Dec("1.5"), Dec("-2")) == "\"-3.0\"" + xd);
  CHECK(mul(Dbl("1e300"), Dbl("1e300")) == "\"INF\"" + xdb);
  CHECK(sub(Int("5"), Int("7")) == "\"-2\"" + xi);
  CHECK(sub(Dbl("0.001"), Dbl("0")) == "\"1.0E-3\"" + xdb);
  // Integer overflow of the 128-bit representation is an error.
  CHECK(mul(Int("100000000000000000000000000000"),
            Int("100000000000000000000000000000")) == "error");
  CHECK(mul(Int("10000000000"), Int("10000000000")) ==
        "\"100000000000000000000\"" + xi);
  // Type errors.
  CHECK(add(Int("1"), Lit("1")) == "error");
  CHECK(add(Int("abc"), Int("1")) == "error");
  CHECK(add(Lit("300", "byte"), Int("1")) == "error");  // out of range
  CHECK(add(Int("1"), Bool(true)) == "error");
  CHECK(S(Arithmetic(ArithOp::kAdd, std::nullopt, Int("1"))) == "error");
  CHECK(S(Negate(Int("5"))) == "\"-5\"" + xi);
  CHECK(S(Negate(Dbl("0"))) == "\"-0.0E0\"" + xdb);
  CHECK(S(UnaryPlus(Lit("007", "int"))) == "\"7\"" + xi);
  CHECK(S(Negate(Lit("x"))) == "error");
}

TEST_CASE("isNumeric checks datatype and lexical form", "[functions]") {
  CHECK(IsNumeric(Int("12")));
  CHECK(IsNumeric(Lit("-5", "negativeInteger")));
  CHECK_FALSE(IsNumeric(Lit("5", "negativeInteger")));
  CHECK_FALSE(IsNumeric(Lit("-1", "nonNegativeInteger")));
  CHECK(IsNumeric(Lit("255", "unsignedByte")));
  CHECK_FALSE(IsNumeric(Lit("256", "unsignedByte")));
  CHECK(IsNumeric(Dec(".5")));
  CHECK(IsNumeric(Dec("5.")));
  CHECK_FALSE(IsNumeric(Dec("1e3")));
  CHECK_FALSE(IsNumeric(Dec(".")));
  CHECK(IsNumeric(Dbl("-INF")));
  CHECK(IsNumeric(Dbl("1.5e-3")));
  CHECK_FALSE(IsNumeric(Dbl("1.5e")));
  CHECK_FALSE(IsNumeric(Dbl("inf")));
  CHECK_FALSE(IsNumeric(Int(" 1")));
  CHECK_FALSE(IsNumeric(Lit("1")));
  CHECK(S(Call("ISNUMERIC", {Int("1")})) == Nt(Bool(true)));
  CHECK(S(Call("ISNUMERIC", {Int("x")})) == Nt(Bool(false)));
}

TEST_CASE("comparisons follow the operator mapping", "[functions]") {
  auto cmp = [](CompareOp op, Term a, Term b) { return B(Compare(op, a, b)); };
  using O = CompareOp;
  // Numerics across types.
  CHECK(cmp(O::kEq, Int("1"), Dec("1.0")) == "true");
  CHECK(cmp(O::kEq, Int("1"), Dbl("1e0")) == "true");
  CHECK(cmp(O::kLt, Int("2"), Dec("10")) == "true");
  CHECK(cmp(O::kLt, Dec("0.30000000000000000001"), Dec("0.3")) == "false");
  CHECK(cmp(O::kGe, Lit("5", "short"), Flt("4.5")) == "true");
  CHECK(cmp(O::kEq, Dbl("NaN"), Dbl("NaN")) == "false");
  CHECK(cmp(O::kNe, Dbl("NaN"), Dbl("NaN")) == "true");
  CHECK(cmp(O::kLt, Dbl("NaN"), Int("1")) == "false");
  // Strings by code point; xsd:string is a simple literal.
  CHECK(cmp(O::kLt, Lit("a"), Lit("b")) == "true");
  CHECK(cmp(O::kLt, Lit("Z"), Lit("a")) == "true");
  CHECK(cmp(O::kLt, Lit("z"), Lit("\xC3\xA9")) == "true");  // z < é
  CHECK(cmp(O::kEq, Lit("a"), Lit("a", "string")) == "true");
  // Booleans.
  CHECK(cmp(O::kLt, Bool(false), Bool(true)) == "true");
  CHECK(cmp(O::kEq, Lit("1", "boolean"), Bool(true)) == "true");
  // Language-tagged literals: equal only with the same tag (any case).
  CHECK(cmp(O::kEq, Lang("a", "en"), Lang("a", "EN")) == "true");
  CHECK(cmp(O::kEq, Lang("a", "en"), Lang("a", "fr")) == "false");
  CHECK(cmp(O::kNe, Lang("a", "en"), Lit("a")) == "true");
  CHECK(cmp(O::kLt, Lang("a", "en"), Lang("b", "en")) == "error");
  // Different known value spaces: not equal, not ordered.
  CHECK(cmp(O::kEq, Lit("1"), Int("1")) == "false");
  CHECK(cmp(O::kNe, Lit("1"), Int("1")) == "true");
  CHECK(cmp(O::kLt, Lit("1"), Int("1")) == "error");
  // Unknown datatypes and ill-typed literals: equal when the same term,
  // otherwise an error.
  CHECK(cmp(O::kEq, Lit("x", "http://ex/t"), Lit("x", "http://ex/t")) ==
        "true");
  CHECK(cmp(O::kEq, Lit("x", "http://ex/t"), Lit("y", "http://ex/t")) ==
        "error");
  CHECK(cmp(O::kNe, Lit("x", "http://ex/t"), Lit("x")) == "error");
  CHECK(cmp(O::kEq, Int("abc"), Int("1")) == "error");
  CHECK(cmp(O::kLt, Int("abc"), Int("1")) == "error");
  // Non-literals.
  CHECK(cmp(O::kEq, Term::Iri("http://a"), Term::Iri("http://a")) == "true");
  CHECK(cmp(O::kNe, Term::Iri("http://a"), Lit("http://a")) == "true");
  CHECK(cmp(O::kLt, Term::Iri("http://a"), Term::Iri("http://b")) == "error");
  CHECK(cmp(O::kEq, Term::BlankNode("b"), Term::BlankNode("b")) == "true");
  CHECK(B(Compare(O::kEq, std::nullopt, Int("1"))) == "error");
}

TEST_CASE("dateTime comparison uses timezones", "[functions]") {
  auto cmp = [](CompareOp op, Term a, Term b) { return B(Compare(op, a, b)); };
  using O = CompareOp;
  CHECK(cmp(O::kEq, DT("2020-01-01T12:00:00Z"),
            DT("2020-01-01T07:00:00-05:00")) == "true");
  CHECK(cmp(O::kLt, DT("2020-01-01T12:00:00Z"), DT("2020-01-01T12:00:00.5Z")) ==
        "true");
  CHECK(cmp(O::kEq, DT("2020-01-01T12:00:00.000Z"),
            DT("2020-01-01T12:00:00Z")) == "true");
  // No timezone on both sides: compared as they are.
  CHECK(cmp(O::kLt, DT("2020-01-01T12:00:00"), DT("2020-01-01T13:00:00")) ==
        "true");
  // One timezone, within 14 hours: indeterminate.
  CHECK(cmp(O::kLt, DT("2020-01-01T12:00:00"), DT("2020-01-01T13:00:00Z")) ==
        "error");
  CHECK(cmp(O::kEq, DT("2020-01-01T12:00:00"), DT("2020-01-01T12:00:00Z")) ==
        "error");
  // More than 14 hours apart: determinate.
  CHECK(cmp(O::kLt, DT("2020-01-01T12:00:00"), DT("2020-01-02T12:00:00Z")) ==
        "true");
  CHECK(cmp(O::kEq, DT("2020-01-01T12:00:00"), DT("2020-01-02T12:00:00Z")) ==
        "false");
  CHECK(cmp(O::kGt, DT("2020-01-03T00:00:00Z"), DT("2020-01-01T12:00:00")) ==
        "true");
  CHECK(cmp(O::kLt, Lit("2020-01-01", "date"), Lit("2020-01-02", "date")) ==
        "true");
  CHECK(cmp(O::kEq, DT("2020-01-01T24:00:00Z"), DT("2020-01-02T00:00:00Z")) ==
        "true");
  CHECK(cmp(O::kEq, DT("2020-02-30T00:00:00Z"), DT("2020-02-30T00:00:00Z")) ==
        "true");  // ill-typed but the same term
  CHECK(cmp(O::kLt, DT("2020-02-30T00:00:00Z"), DT("2020-03-01T00:00:00Z")) ==
        "error");
}

TEST_CASE("term functions", "[functions]") {
  CHECK(S(Call("STR", {Term::Iri("http://a")})) == "\"http://a\"");
  CHECK(S(Call("STR", {Lang("x", "en")})) == "\"x\"");
  CHECK(S(Call("STR", {Term::BlankNode("b")})) == "error");
  CHECK(S(Call("LANG", {Lang("x", "en-GB")})) == "\"en-gb\"");
  CHECK(S(Call("LANG", {Lit("x")})) == "\"\"");
  CHECK(S(Call("LANG", {Term::Iri("http://a")})) == "error");
  CHECK(S(Call("DATATYPE", {Lit("x")})) ==
        "<http://www.w3.org/2001/XMLSchema#string>");
  CHECK(S(Call("DATATYPE", {Lang("x", "en")})) ==
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>");
  CHECK(S(Call("DATATYPE", {Int("1")})) ==
        "<http://www.w3.org/2001/XMLSchema#integer>");
  CHECK(S(Call("LANGMATCHES", {Lit("en-GB"), Lit("en")})) == Nt(Bool(true)));
  CHECK(S(Call("LANGMATCHES", {Lit("en"), Lit("EN")})) == Nt(Bool(true)));
  CHECK(S(Call("LANGMATCHES", {Lit("eng"), Lit("en")})) == Nt(Bool(false)));
  CHECK(S(Call("LANGMATCHES", {Lit("fr"), Lit("*")})) == Nt(Bool(true)));
  CHECK(S(Call("LANGMATCHES", {Lit(""), Lit("*")})) == Nt(Bool(false)));
  CHECK(S(Call("IRI", {Lit("http://a")})) == "<http://a>");
  CHECK(S(Call("URI", {Term::Iri("http://a")})) == "<http://a>");
  CHECK(S(Call("IRI", {Lang("http://a", "en")})) == "error");
  CHECK(S(Call("STRLANG", {Lit("chat"), Lit("FR")})) == "\"chat\"@fr");
  CHECK(S(Call("STRLANG", {Lang("chat", "en"), Lit("fr")})) == "error");
  CHECK(S(Call("STRLANG", {Lit("chat"), Lit("not a tag")})) == "error");
  CHECK(S(Call("STRDT", {Lit("1"), Term::Iri(kXsdNs + "integer")})) ==
        Nt(Int("1")));
  CHECK(S(Call("STRDT", {Lit("1"), Lit("x")})) == "error");
  CHECK(S(Call("SAMETERM", {Int("1"), Int("1")})) == Nt(Bool(true)));
  CHECK(S(Call("SAMETERM", {Int("1"), Int("01")})) == Nt(Bool(false)));
  CHECK(S(Call("ISIRI", {Term::Iri("http://a")})) == Nt(Bool(true)));
  CHECK(S(Call("ISURI", {Lit("a")})) == Nt(Bool(false)));
  CHECK(S(Call("ISBLANK", {Term::BlankNode("b")})) == Nt(Bool(true)));
  CHECK(S(Call("ISLITERAL", {Lit("a")})) == Nt(Bool(true)));
  CHECK(S(Call("ISLITERAL", {std::nullopt})) == "error");
  CHECK(S(Call("NOW", {})) ==
        "\"2026-11-27T03:25:00.123Z\"^^<http://www.w3.org/2001/"
        "XMLSchema#dateTime>");
}

TEST_CASE("BNODE, UUID and STRUUID are fresh", "[functions]") {
  FunctionContext ctx;
  ctx.now = "2026-11-27T03:25:00Z";
  Value a = CallFunction("BNODE", {}, ctx);
  Value b = CallFunction("BNODE", {}, ctx);
  REQUIRE(a);
  CHECK(a->is_blank());
  CHECK(*a != *b);
  Value s1 = CallFunction("BNODE", {Lit("x")}, ctx);
  Value s2 = CallFunction("BNODE", {Lit("x")}, ctx);
  Value s3 = CallFunction("BNODE", {Lit("y")}, ctx);
  CHECK(*s1 == *s2);
  CHECK(*s1 != *s3);
  ctx.row++;
  CHECK(*CallFunction("BNODE", {Lit("x")}, ctx) != *s1);
  CHECK(!CallFunction("BNODE", {Int("1")}, ctx));
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    Value u = CallFunction("UUID", {}, ctx);
    REQUIRE(u);
    REQUIRE(u->is_iri());
    CHECK(u->lexical.size() == 45);
    CHECK(u->lexical.substr(0, 9) == "urn:uuid:");
    CHECK(u->lexical[9 + 14] == '4');
    seen.insert(u->lexical);
    Value s = CallFunction("STRUUID", {}, ctx);
    REQUIRE(s);
    CHECK(s->is_literal());
    CHECK(s->lexical.size() == 36);
    seen.insert("urn:uuid:" + s->lexical);
  }
  CHECK(seen.size() == 200);
  Value r = CallFunction("RAND", {}, ctx);
  REQUIRE(r);
  CHECK(r->datatype == kXsdNs + "double");
  double d = std::stod(r->lexical);
  CHECK(d >= 0);
  CHECK(d < 1);
  CHECK(*CallFunction("RAND", {}, ctx) != *r);
}

TEST_CASE("numeric functions", "[functions]") {
  CHECK(S(Call("ABS", {Int("-5")})) == Nt(Int("5")));
  CHECK(S(Call("ABS", {Dec("-1.5")})) == Nt(Dec("1.5")));
  CHECK(S(Call("ABS", {Dbl("-1")})) == Nt(Dbl("1.0E0")));
  CHECK(S(Call("CEIL", {Dec("1.1")})) == Nt(Dec("2.0")));
  CHECK(S(Call("CEIL", {Dec("-1.5")})) == Nt(Dec("-1.0")));
  CHECK(S(Call("FLOOR", {Dec("-1.5")})) == Nt(Dec("-2.0")));
  CHECK(S(Call("FLOOR", {Int("3")})) == Nt(Int("3")));
  CHECK(S(Call("ROUND", {Dec("2.5")})) == Nt(Dec("3.0")));
  CHECK(S(Call("ROUND", {Dec("-2.5")})) == Nt(Dec("-2.0")));
  CHECK(S(Call("ROUND", {Dec("-2.51")})) == Nt(Dec("-3.0")));
  CHECK(S(Call("ROUND", {Dbl("2.5")})) == Nt(Dbl("3.0E0")));
  CHECK(S(Call("ROUND", {Dbl("-0.5")})) == Nt(Dbl("-0.0E0")));
  CHECK(S(Call("ROUND", {Flt("1.4")})) == Nt(Flt("1.0E0")));
  CHECK(S(Call("ROUND", {Lit("1")})) == "error");
  CHECK(S(Call("ABS", {})) == "error");
}

TEST_CASE("string functions", "[functions]") {
  // STRLEN / SUBSTR count code points.
  CHECK(S(Call("STRLEN", {Lit("ch\xC3\xA2teau")})) == Nt(Int("7")));
  CHECK(S(Call("STRLEN", {Lang("\xF0\x9F\x98\x80", "en")})) == Nt(Int("1")));
  CHECK(S(Call("STRLEN", {Int("1")})) == "error");
  CHECK(S(Call("SUBSTR", {Lit("foobar"), Int("4")})) == "\"bar\"");
  CHECK(S(Call("SUBSTR", {Lang("foobar", "en"), Int("4"), Int("1")})) ==
        "\"b\"@en");
  CHECK(S(Call("SUBSTR", {Lit("ch\xC3\xA2teau"), Int("3"), Int("2")})) ==
        "\"\xC3\xA2t\"");
  CHECK(S(Call("SUBSTR", {Lit("12345"), Dbl("1.5"), Dbl("2.6")})) == "\"234\"");
  CHECK(S(Call("SUBSTR", {Lit("12345"), Int("0"), Int("3")})) == "\"12\"");
  CHECK(S(Call("SUBSTR", {Lit("12345"), Int("5"), Int("-3")})) == "\"\"");
  CHECK(S(Call("SUBSTR", {Lit("12345"), Int("-3"), Int("5")})) == "\"1\"");
  CHECK(S(Call("SUBSTR", {Lit("12345"), Dbl("NaN"), Int("3")})) == "\"\"");
  CHECK(S(Call("SUBSTR", {Lit("12345"), Dbl("-INF"), Dbl("INF")})) == "\"\"");
  CHECK(S(Call("SUBSTR", {Lit("12345"), Lit("1")})) == "error");
  // UCASE / LCASE keep tags and map beyond ASCII.
  CHECK(S(Call("UCASE", {Lang("foo", "en")})) == "\"FOO\"@en");
  CHECK(S(Call("UCASE", {Lit("stra\xC3\x9F"
                             "e \xC3\xA9t\xC3\xA9")})) ==
        "\"STRASSE \xC3\x89T\xC3\x89\"");
  CHECK(S(Call("LCASE",
               {Lit("\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90")})) ==
        "\"\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0\"");  // МОСКВА
  CHECK(S(Call("UCASE", {Lit("\xCE\xB1\xCE\xB2\xCF\x82")})) ==
        "\"\xCE\x91\xCE\x92\xCE\xA3\"");  // αβς -> ΑΒΣ
  CHECK(S(Call("LCASE", {Lit("\xC4\x8C\xC5\xB9")})) ==
        "\"\xC4\x8D\xC5\xBA\"");  // ČŹ -> čź
  CHECK(S(Call("UCASE", {Term::Iri("http://a")})) == "error");
  // ENCODE_FOR_URI.
  CHECK(S(Call("ENCODE_FOR_URI", {Lit("Los Angeles")})) == "\"Los%20Angeles\"");
  CHECK(S(Call("ENCODE_FOR_URI", {Lang("caf\xC3\xA9~-_.", "fr")})) ==
        "\"caf%C3%A9~-_.\"");
  // Argument compatibility.
  CHECK(S(Call("CONTAINS", {Lit("foobar"), Lit("bar")})) == Nt(Bool(true)));
  CHECK(S(Call("CONTAINS", {Lang("foobar", "en"), Lit("bar")})) ==
        Nt(Bool(true)));
  CHECK(S(Call("CONTAINS", {Lang("foobar", "en"), Lang("bar", "en")})) ==
        Nt(Bool(true)));
  CHECK(S(Call("CONTAINS", {Lang("foobar", "en"), Lang("bar", "fr")})) ==
        "error");
  CHECK(S(Call("CONTAINS", {Lit("foobar"), Lang("bar", "en")})) == "error");
  CHECK(S(Call("CONTAINS", {Lit("foobar"), Int("1")})) == "error");
  CHECK(S(Call("STRSTARTS", {Lit("foobar"), Lit("foo")})) == Nt(Bool(true)));
  CHECK(S(Call("STRSTARTS", {Lit("foobar"), Lit("bar")})) == Nt(Bool(false)));
  CHECK(S(Call("STRENDS", {Lit("foobar"), Lit("bar")})) == Nt(Bool(true)));
  CHECK(S(Call("STRENDS", {Lit("ar"), Lit("bar")})) == Nt(Bool(false)));
  // STRBEFORE / STRAFTER.
  CHECK(S(Call("STRBEFORE", {Lang("abc", "en"), Lit("b")})) == "\"a\"@en");
  CHECK(S(Call("STRBEFORE", {Lang("abc", "en"), Lit("")})) == "\"\"@en");
  CHECK(S(Call("STRBEFORE", {Lang("abc", "en"), Lit("z")})) == "\"\"");
  CHECK(S(Call("STRBEFORE", {Lit("abc"), Lit("xyz")})) == "\"\"");
  CHECK(S(Call("STRAFTER", {Lang("abc", "en"), Lit("b")})) == "\"c\"@en");
  CHECK(S(Call("STRAFTER", {Lang("abc", "en"), Lit("")})) == "\"abc\"@en");
  CHECK(S(Call("STRAFTER", {Lit("abc"), Lit("z")})) == "\"\"");
  CHECK(S(Call("STRAFTER", {Lit("abc"), Lang("b", "cy")})) == "error");
  // CONCAT.
  CHECK(S(Call("CONCAT", {Lit("foo"), Lit("bar")})) == "\"foobar\"");
  CHECK(S(Call("CONCAT", {Lang("foo", "en"), Lang("bar", "en")})) ==
        "\"foobar\"@en");
  CHECK(S(Call("CONCAT", {Lang("foo", "en"), Lit("bar")})) == "\"foobar\"");
  CHECK(S(Call("CONCAT", {Lang("foo", "en"), Lang("bar", "fr")})) ==
        "\"foobar\"");
  CHECK(S(Call("CONCAT", {})) == "\"\"");
  CHECK(S(Call("CONCAT", {Lit("a"), Int("1")})) == "error");
  CHECK(S(Call("CONCAT", {Lit("a"), std::nullopt})) == "error");
}

TEST_CASE("REGEX and REPLACE", "[functions]") {
  auto regex = [](Term text, std::string pat, std::string flags = "-") {
    std::vector<Value> args = {text, Lit(pat)};
    if (flags != "-") args.push_back(Lit(flags));
    return S(Call("REGEX", args));
  };
  const std::string t = Nt(Bool(true)), f = Nt(Bool(false));
  CHECK(regex(Lit("Alice"), "^ali") == f);
  CHECK(regex(Lit("Alice"), "^ali", "i") == t);
  CHECK(regex(Lang("Alice", "en"), "ice$") == t);
  CHECK(regex(Lit("a\nb"), "a.b") == f);
  CHECK(regex(Lit("a\nb"), "a.b", "s") == t);
  CHECK(regex(Lit("a\rb"), "a.b") == f);
  CHECK(regex(Lit("x\nab"), "^ab") == f);
  CHECK(regex(Lit("x\nab"), "^ab", "m") == t);
  CHECK(regex(Lit("hello world"), "hello world", "x") == f);
  CHECK(regex(Lit("helloworld"), "hello world", "x") == t);
  CHECK(regex(Lit("a b"), "a[ ]b", "x") == t);
  CHECK(regex(Lit("a.b"), "a.b", "q") == t);
  CHECK(regex(Lit("axb"), "a.b", "q") == f);
  CHECK(regex(Lit("\xC3\xA9t\xC3\xA9"), "^.t.$") == t);  // code points
  CHECK(regex(Lit("\xC3\x89T\xC3\x89"), "^\xC3\xA9t\xC3\xA9$", "i") == t);
  CHECK(regex(Lit("abc"), "\\p{Lu}") == f);
  CHECK(regex(Lit("\xD9\xA3"), "^\\d$") == t);  // ARABIC-INDIC DIGIT THREE
  CHECK(regex(Lit("\xC3\xA9"), "^\\w$") == t);
  CHECK(regex(Lit("-"), "^\\w$") == f);
  CHECK(regex(Lit("-"), "^\\W$") == t);
  CHECK(regex(Lit("a1"), "^[a-z]\\d$") == t);
  // Errors: invalid pattern, bad flags, unsupported XPath features, bad
  // argument types. Never a crash.
  CHECK(regex(Lit("abc"), "(") == "error");
  CHECK(regex(Lit("abc"), "a", "z") == "error");
  CHECK(regex(Lit("aa"), "(a)\\1") == "error");
  CHECK(regex(Lit("abc"), "[a-z-[b]]") == "error");
  CHECK(regex(Lit("abc"), "(?i)A") == "error");
  CHECK(regex(Int("1"), "1") == "error");
  CHECK(S(Call("REGEX", {Lit("a"), Lang("a", "en")})) == "error");
  // Catastrophic-backtracking patterns are linear in RE2.
  CHECK(regex(Lit(std::string(5000, 'a') + "b"), "^(a+)+$") == f);

  auto replace = [](Term text, std::string pat, std::string rep,
                    std::string flags = "-") {
    std::vector<Value> args = {text, Lit(pat), Lit(rep)};
    if (flags != "-") args.push_back(Lit(flags));
    return S(Call("REPLACE", args));
  };
  CHECK(replace(Lit("abcd"), "b", "Z") == "\"aZcd\"");
  CHECK(replace(Lit("abab"), "B", "Z", "i") == "\"aZaZ\"");
  CHECK(replace(Lang("abcd", "en"), "(b)(c)", "$2$1") == "\"acbd\"@en");
  CHECK(replace(Lit("abc"), "(b)", "[$1$0]") == "\"a[bb]c\"");
  CHECK(replace(Lit("abc"), "(b)", "$12") == "\"ab2c\"");
  CHECK(replace(Lit("abc"), "(b)", "$5") == "\"ac\"");
  CHECK(replace(Lit("abc"), "b", "\\$\\\\") == "\"a$\\\\c\"");
  CHECK(replace(Lit("abc"), "b", "$") == "error");
  CHECK(replace(Lit("abc"), "b", "\\n") == "error");
  CHECK(replace(Lit("abc"), "x*", "-") == "error");  // matches ""
  CHECK(replace(Lit("a b"), "\\b", "|") == "\"|a| |b|\"");
  CHECK(replace(Lit("\xC3\xA9t\xC3\xA9"), "\xC3\xA9", "e") == "\"ete\"");
  CHECK(replace(Lit("abc"), "[", "x") == "error");
}

TEST_CASE("date/time accessors", "[functions]") {
  Term dt = DT("2011-01-10T14:45:13.815-05:00");
  CHECK(S(Call("YEAR", {dt})) == Nt(Int("2011")));
  CHECK(S(Call("MONTH", {dt})) == Nt(Int("1")));
  CHECK(S(Call("DAY", {dt})) == Nt(Int("10")));
  CHECK(S(Call("HOURS", {dt})) == Nt(Int("14")));
  CHECK(S(Call("MINUTES", {dt})) == Nt(Int("45")));
  CHECK(S(Call("SECONDS", {dt})) == Nt(Dec("13.815")));
  CHECK(S(Call("SECONDS", {DT("2011-01-10T14:45:07Z")})) == Nt(Dec("7.0")));
  CHECK(S(Call("TIMEZONE", {dt})) ==
        "\"-PT5H\"^^<http://www.w3.org/2001/XMLSchema#dayTimeDuration>");
  CHECK(S(Call("TIMEZONE", {DT("2011-01-10T14:45:13Z")})) ==
        "\"PT0S\"^^<http://www.w3.org/2001/XMLSchema#dayTimeDuration>");
  CHECK(S(Call("TIMEZONE", {DT("2011-01-10T14:45:13+05:30")})) ==
        "\"PT5H30M\"^^<http://www.w3.org/2001/XMLSchema#dayTimeDuration>");
  CHECK(S(Call("TIMEZONE", {DT("2011-01-10T14:45:13")})) == "error");
  CHECK(S(Call("TZ", {dt})) == "\"-05:00\"");
  CHECK(S(Call("TZ", {DT("2011-01-10T14:45:13Z")})) == "\"Z\"");
  CHECK(S(Call("TZ", {DT("2011-01-10T14:45:13")})) == "\"\"");
  CHECK(S(Call("YEAR", {DT("-0044-03-15T00:00:00")})) == Nt(Int("-44")));
  CHECK(S(Call("YEAR", {Lit("2020-05-06", "date")})) == Nt(Int("2020")));
  CHECK(S(Call("HOURS", {Lit("2020-05-06", "date")})) == "error");
  CHECK(S(Call("YEAR", {DT("2011-13-10T14:45:13Z")})) == "error");
  CHECK(S(Call("YEAR", {DT("2011-01-10 14:45:13Z")})) == "error");
  CHECK(S(Call("YEAR", {Lit("2011-01-10T14:45:13Z")})) == "error");
  CHECK(S(Call("YEAR", {DT("2011-01-10T14:45:13+15:00")})) == "error");
}

TEST_CASE("hash functions", "[functions]") {
  CHECK(S(Call("MD5", {Lit("abc")})) == "\"900150983cd24fb0d6963f7d28e17f72\"");
  CHECK(S(Call("SHA1", {Lit("abc")})) ==
        "\"a9993e364706816aba3e25717850c26c9cd0d89d\"");
  CHECK(S(Call("SHA256", {Lit("abc")})) ==
        "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"");
  CHECK(S(Call("SHA384", {Lit("abc")})).size() == 96 + 2);
  CHECK(S(Call("SHA512", {Lit("abc")})).substr(0, 17) == "\"ddaf35a193617aba");
  CHECK(S(Call("MD5", {Lit("abc", "string")})) ==
        "\"900150983cd24fb0d6963f7d28e17f72\"");
  CHECK(S(Call("MD5", {Lang("abc", "en")})) == "error");
  CHECK(S(Call("MD5", {Int("1")})) == "error");
}

TEST_CASE("XSD casts", "[functions]") {
  auto cast = [](std::string type, Term t) {
    return S(Call(kXsdNs + type, {t}));
  };
  CHECK(cast("integer", Lit(" 42 ")) == Nt(Int("42")));
  CHECK(cast("integer", Lit("+007")) == Nt(Int("7")));
  CHECK(cast("integer", Lit("1.5")) == "error");
  CHECK(cast("integer", Dec("-1.9")) == Nt(Int("-1")));
  CHECK(cast("integer", Dbl("2.9e0")) == Nt(Int("2")));
  CHECK(cast("integer", Dbl("INF")) == "error");
  CHECK(cast("integer", Bool(true)) == Nt(Int("1")));
  CHECK(cast("integer", Term::Iri("http://a")) == "error");
  CHECK(cast("int", Lit("3000000000")) == "error");
  CHECK(cast("int", Lit("12")) == Nt(Lit("12", "int")));
  CHECK(cast("decimal", Lit("1")) == Nt(Dec("1.0")));
  CHECK(cast("decimal", Lit("1e3")) == "error");
  CHECK(cast("decimal", Dbl("1.5e2")) == Nt(Dec("150.0")));
  CHECK(cast("decimal", Dbl("0.1")) == Nt(Dec("0.1")));
  CHECK(cast("decimal", Dbl("NaN")) == "error");
  CHECK(cast("double", Lit("1")) == Nt(Dbl("1.0E0")));
  CHECK(cast("double", Lit("-INF")) == Nt(Dbl("-INF")));
  CHECK(cast("double", Lit("abc")) == "error");
  CHECK(cast("double", Int("100")) == Nt(Dbl("1.0E2")));
  CHECK(cast("float", Dbl("1e100")) == Nt(Flt("INF")));
  CHECK(cast("float", Lit("0.1")) == Nt(Flt("1.0E-1")));
  CHECK(cast("boolean", Lit("1")) == Nt(Bool(true)));
  CHECK(cast("boolean", Lit("false")) == Nt(Bool(false)));
  CHECK(cast("boolean", Lit("yes")) == "error");
  CHECK(cast("boolean", Dbl("NaN")) == Nt(Bool(false)));
  CHECK(cast("boolean", Dec("0.5")) == Nt(Bool(true)));
  CHECK(cast("boolean", Int("0")) == Nt(Bool(false)));
  CHECK(cast("string", Int("01")) == "\"01\"");
  CHECK(cast("string", Term::Iri("http://a")) == "\"http://a\"");
  CHECK(cast("string", Bool(true)) == "\"true\"");
  CHECK(cast("string", Lang("a", "en")) == "error");
  CHECK(cast("string", Term::BlankNode("b")) == "error");
  CHECK(cast("string", Int("x")) == "error");
  CHECK(cast("dateTime", Lit("2020-01-01T00:00:00+00:00")) ==
        Nt(DT("2020-01-01T00:00:00Z")));
  CHECK(cast("dateTime", Lit("2020-01-01")) == "error");
  CHECK(cast("dateTime", Lit("2020-01-01", "date")) ==
        Nt(DT("2020-01-01T00:00:00")));
  CHECK(cast("date", DT("2020-01-01T10:00:00.5-03:00")) ==
        Nt(Lit("2020-01-01-03:00", "date")));
  CHECK(cast("dateTime", Int("1")) == "error");
  CHECK(cast("integer", DT("2020-01-01T00:00:00Z")) == "error");
}

TEST_CASE("known functions", "[functions]") {
  CHECK(IsKnownFunction("STRLEN"));
  CHECK(IsKnownFunction("ISNUMERIC"));
  CHECK(IsKnownFunction("SHA384"));
  CHECK(IsKnownFunction(kXsdNs + "dateTime"));
  CHECK(IsKnownFunction(kXsdNs + "unsignedByte"));
  CHECK_FALSE(IsKnownFunction("FOO"));
  CHECK_FALSE(IsKnownFunction("BOUND"));
  CHECK_FALSE(IsKnownFunction(kXsdNs + "duration"));
  CHECK(S(Call("FOO", {})) == "error");
}

TEST_CASE("ORDER BY order", "[functions]") {
  std::vector<Value> v = {
      Lit("b"),
      Int("10"),
      std::nullopt,
      Term::Iri("http://b"),
      Dec("2.5"),
      Term::BlankNode("x"),
      Lit("a"),
      Dbl("NaN"),
      Term::Iri("http://a"),
      Bool(false),
      DT("2020-01-01T00:00:00Z"),
      DT("2019-01-01T00:00:00"),
      Lang("a", "en"),
      Lit("x", "http://ex/t"),
      Int("2"),
  };
  std::stable_sort(v.begin(), v.end(), [](const Value& a, const Value& b) {
    return OrderCompare(a, b) < 0;
  });
  std::vector<std::string> got;
  for (const Value& x : v) got.push_back(S(x));
  std::vector<std::string> want = {
      "error",  // unbound
      "_:x",
      "<http://a>",
      "<http://b>",
      Nt(Dbl("NaN")),
      Nt(Int("2")),
      Nt(Dec("2.5")),
      Nt(Int("10")),
      "\"a\"",
      "\"b\"",
      "\"a\"@en",
      Nt(Bool(false)),
      Nt(DT("2019-01-01T00:00:00")),
      Nt(DT("2020-01-01T00:00:00Z")),
      Nt(Lit("x", "http://ex/t")),
  };
  CHECK(got == want);
  CHECK(OrderCompare(Int("1"), Int("1")) == 0);
  CHECK(OrderCompare(Int("1"), Dec("1.0")) != 0);  // deterministic tie-break
  CHECK(OrderCompare(Dec("1.0"), Int("1")) ==
        -OrderCompare(Int("1"), Dec("1.0")));
  CHECK(OrderCompare(std::nullopt, std::nullopt) == 0);
}

}  // namespace kg
