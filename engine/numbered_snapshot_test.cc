// Database::NewNumberedSnapshot (engine/database.h): quads as term numbers
// in both orders, numbers and terms both ways, kinds without a lookup.

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/database.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

using testing::StoreFromTrig;
using testing::TempDir;

std::vector<NumberedQuad> Drain(NumberedQuadCursor& c) {
  std::vector<NumberedQuad> out;
  for (; c.Valid(); c.Next()) out.push_back(c.quad());
  REQUIRE(c.status().ok());
  return out;
}

TEST_CASE("a numbered snapshot reads every quad in both orders",
          "[database][numbered]") {
  TempDir dir;
  auto db = StoreFromTrig(dir, R"(
    @prefix ex: <http://x.example/> .
    ex:a ex:p ex:b , "text" , "text"@en , 42 , 1.5 , true , "2020-01-02"^^<http://www.w3.org/2001/XMLSchema#date> .
    _:n ex:p ex:a .
    ex:g { ex:a ex:p ex:b . ex:b ex:q "a longer text than seven bytes" . }
  )");
  REQUIRE(db.ok());
  auto snap = (*db)->NewNumberedSnapshot();
  // A write after the snapshot is not seen.
  {
    auto txn = (*db)->BeginTransaction();
    REQUIRE(txn.ok());
    REQUIRE((*txn)->Insert({Term::Iri("http://x.example/late"),
                            Term::Iri("http://x.example/p"),
                            Term::Iri("http://x.example/a"), std::nullopt})
                .ok());
    REQUIRE((*txn)->Commit().ok());
  }
  auto by_s = snap->Scan(QuadOrder::kSubjectFirst);
  auto by_o = snap->Scan(QuadOrder::kObjectFirst);
  std::vector<NumberedQuad> s = Drain(*by_s), o = Drain(*by_o);
  REQUIRE(s.size() == 10);
  REQUIRE(o.size() == 10);
  auto spog = [](const NumberedQuad& q) {
    return std::make_tuple(q.subject, q.predicate, q.object, q.graph);
  };
  auto ospg = [](const NumberedQuad& q) {
    return std::make_tuple(q.object, q.subject, q.predicate, q.graph);
  };
  std::set<std::tuple<uint64_t, uint64_t, uint64_t, uint64_t>> a, b;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0) CHECK(spog(s[i - 1]) < spog(s[i]));
    if (i > 0) CHECK(ospg(o[i - 1]) < ospg(o[i]));
    a.insert(spog(s[i]));
    b.insert(spog(o[i]));
  }
  CHECK(a == b);  // the same quads, the same numbers

  uint64_t max_node = 0, min_literal = ~uint64_t{0};
  std::set<std::string> seen;
  for (const NumberedQuad& q : s) {
    auto term = snap->TermOf(q.object);
    REQUIRE(term.ok());
    auto back = snap->NumberOf(*term);
    REQUIRE(back.ok());
    CHECK(*back == q.object);
    NumberedTermKind kind = NumberedSnapshot::KindOf(q.object);
    switch (kind) {
      case NumberedTermKind::kIri: CHECK(term->is_iri()); break;
      case NumberedTermKind::kBlankNode: CHECK(term->is_blank()); break;
      case NumberedTermKind::kPlainLiteral:
        CHECK(term->is_literal());
        CHECK(term->datatype.empty());
        break;
      case NumberedTermKind::kTypedLiteral:
        CHECK(term->is_literal());
        CHECK(!term->datatype.empty());
        break;
    }
    if (term->is_literal()) min_literal = std::min(min_literal, q.object);
    else max_node = std::max(max_node, q.object);
    if (q.graph != 0) {
      auto g = snap->TermOf(q.graph);
      REQUIRE(g.ok());
      CHECK(g->lexical == "http://x.example/g");
    }
    seen.insert(term->ToNTriples());
  }
  CHECK(max_node < min_literal);
  CHECK(seen.size() == 9);
  auto missing = snap->NumberOf(Term::Iri("http://x.example/nowhere"));
  REQUIRE(missing.ok());
  CHECK(!missing->has_value());
}

}  // namespace
}  // namespace kg
