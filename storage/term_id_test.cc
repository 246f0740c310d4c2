// TermId: inline encodings round-trip, keep value order, and reject
// non-canonical forms; the key encoding is order-preserving.

#include "storage/term_id.h"

#include <catch2/catch.hpp>
#include <random>

namespace kg {
namespace {

Term Typed(const char* lex, std::string_view dt) {
  return Term::Literal(lex, std::string(dt));
}

TEST_CASE("inline literals round-trip exactly", "[term_id]") {
  for (Term t : {Typed("0", kXsdInteger), Typed("-42", kXsdInteger),
                 Typed("36028797018963967", kXsdInteger),
                 Typed("true", kXsdBoolean), Typed("false", kXsdBoolean),
                 Typed("2023-02-24", kXsdDate), Typed("0001-01-01", kXsdDate),
                 Typed("9999-12-31", kXsdDate), Typed("2000-02-29", kXsdDate),
                 Typed("62.5", kXsdDecimal), Typed("-0.001", kXsdDecimal),
                 Typed("2600000000.0", kXsdDecimal), Typed("62", kXsdDecimal),
                 Typed("-7", kXsdDecimal), Typed("0", kXsdDecimal),
                 Typed("18014398509", kXsdDecimal), Term::Literal("Astana"),
                 Term::Literal(""), Term::Literal("Ürgen")}) {
    INFO(t.ToNTriples());
    auto id = TryInline(t);
    REQUIRE(id.has_value());
    REQUIRE(IsInline(*id));
    Term back;
    REQUIRE(DecodeInline(*id, &back));
    CHECK(back == t);
  }
}

TEST_CASE("non-canonical or out-of-range literals stay in the dictionary",
          "[term_id]") {
  for (Term t : {Typed("042", kXsdInteger), Typed("+1", kXsdInteger),
                 Typed("-0", kXsdInteger), Typed("1.0e3", kXsdDecimal),
                 Typed("62.50", kXsdDecimal), Typed("062", kXsdDecimal),
                 Typed("-0", kXsdDecimal), Typed("+5", kXsdDecimal),
                 Typed("18014398510", kXsdDecimal),
                 Typed("1", kXsdBoolean), Typed("2023-02-30", kXsdDate),
                 Typed("2023-02-24Z", kXsdDate),
                 Typed("99999999999999999999", kXsdInteger),
                 Term::Literal("eight ch"), Term::LangLiteral("hi", "en"),
                 Term::Iri("http://x"), Term::Literal(std::string("a\0b", 3))}) {
    INFO(t.ToNTriples());
    CHECK_FALSE(TryInline(t).has_value());
  }
}

TEST_CASE("inline ids order like their values", "[term_id]") {
  std::vector<int64_t> ints = {-1000000, -5, -1, 0, 1, 7, 100, 123456789};
  for (size_t i = 1; i < ints.size(); ++i) {
    auto a = TryInline(Typed(std::to_string(ints[i - 1]).c_str(), kXsdInteger));
    auto b = TryInline(Typed(std::to_string(ints[i]).c_str(), kXsdInteger));
    CHECK(*a < *b);
  }
  CHECK(*TryInline(Typed("1999-12-31", kXsdDate)) <
        *TryInline(Typed("2000-01-01", kXsdDate)));
  CHECK(*TryInline(Typed("-1.5", kXsdDecimal)) <
        *TryInline(Typed("-1.25", kXsdDecimal)));
  CHECK(*TryInline(Typed("1.25", kXsdDecimal)) <
        *TryInline(Typed("1.5", kXsdDecimal)));
  // Integral decimals in both spellings: distinct terms, ordered by value,
  // equal values adjacent.
  const TermId d15 = *TryInline(Typed("1.5", kXsdDecimal)),
               d2 = *TryInline(Typed("2", kXsdDecimal)),
               d20 = *TryInline(Typed("2.0", kXsdDecimal)),
               d25 = *TryInline(Typed("2.5", kXsdDecimal));
  CHECK(d15 < d20);
  CHECK(d20 < d2);
  CHECK(d2 < d25);
  CHECK(*InlineNumericScaled(d2) == *InlineNumericScaled(d20));
  CHECK(*InlineNumericScaled(*TryInline(Typed("2", kXsdInteger))) ==
        *InlineNumericScaled(d2));
  CHECK(*TryInline(Term::Literal("ab")) < *TryInline(Term::Literal("abc")));
  CHECK(*TryInline(Term::Literal("abc")) < *TryInline(Term::Literal("abd")));
}

TEST_CASE("numeric id ranges hold exactly the values in a range",
          "[term_id]") {
  const __int128 M = 1000000;
  TermId lo, hi;
  // [1.5, 3] over integers: 2 and 3.
  REQUIRE(InlineNumericIdRange(TermTag::kInlineInteger, 3 * M / 2, 3 * M, &lo,
                               &hi));
  CHECK(lo == *TryInline(Typed("2", kXsdInteger)));
  CHECK(hi == *TryInline(Typed("3", kXsdInteger)));
  // [-1.5, -0.5] over integers: -1 only (rounded inwards).
  REQUIRE(InlineNumericIdRange(TermTag::kInlineInteger, -3 * M / 2, -M / 2,
                               &lo, &hi));
  CHECK(lo == hi);
  CHECK(lo == *TryInline(Typed("-1", kXsdInteger)));
  // (0.2, 0.8) holds no integer.
  CHECK_FALSE(InlineNumericIdRange(TermTag::kInlineInteger, M / 5, 4 * M / 5,
                                   &lo, &hi));
  // Over decimals both spellings of the bounds are inside.
  REQUIRE(InlineNumericIdRange(TermTag::kInlineDecimal, 2 * M, 3 * M, &lo,
                               &hi));
  for (const char* in : {"2", "2.0", "2.5", "3", "3.0"}) {
    TermId id = *TryInline(Typed(in, kXsdDecimal));
    CHECK((lo <= id && id <= hi));
  }
  for (const char* out : {"1.999999", "3.000001", "-2"}) {
    TermId id = *TryInline(Typed(out, kXsdDecimal));
    CHECK_FALSE((lo <= id && id <= hi));
  }
  // Unbounded sides reach the ends of the tag.
  REQUIRE(InlineNumericIdRange(TermTag::kInlineDecimal, std::nullopt,
                               std::nullopt, &lo, &hi));
  CHECK(lo <= *TryInline(Typed("-18014398509", kXsdDecimal)));
  CHECK(hi >= *TryInline(Typed("18014398509", kXsdDecimal)));
}

TEST_CASE("key encoding is order-preserving and prefix-free", "[term_id]") {
  std::mt19937_64 rng(7);
  std::vector<TermId> ids = {0, 1, 255, 256, 65535, 65536};
  for (int i = 0; i < 2000; ++i) {
    auto tag = static_cast<TermTag>(std::vector<int>{1, 2, 3, 4, 5, 16, 18}[rng() % 7]);
    ids.push_back(MakeId(tag, rng() >> (rng() % 64)));
  }
  for (size_t i = 0; i + 1 < ids.size(); ++i) {
    std::string a, b;
    AppendEncodedId(ids[i], &a);
    AppendEncodedId(ids[i + 1], &b);
    CHECK((ids[i] < ids[i + 1]) == (a < b));
    std::string_view in = a;
    TermId back;
    REQUIRE(DecodeId(&in, &back));
    CHECK(back == ids[i]);
    CHECK(in.empty());
  }
  std::string small;
  AppendEncodedId(MakeId(TermTag::kIri, 1000), &small);
  CHECK(small.size() == 3);  // header + 2 payload bytes
}

TEST_CASE("dictionary serialisation round-trips every kind", "[term_id]") {
  for (Term t : {Term::Iri("https://kgstore.example/id/Astana"),
                 Term::BlankNode("b0"), Term::Literal("a long simple literal"),
                 Term::LangLiteral("Астана", "kk"),
                 Typed("1.0e3", kXsdDouble)}) {
    std::string bytes;
    SerializeTerm(t, &bytes);
    Term back;
    REQUIRE(DeserializeTerm(bytes, &back));
    CHECK(back == t);
  }
  Term junk;
  CHECK_FALSE(DeserializeTerm("", &junk));
  CHECK_FALSE(DeserializeTerm("\x05no-nul", &junk));
}

}  // namespace
}  // namespace kg
