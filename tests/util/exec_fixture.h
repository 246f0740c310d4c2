// Unit tests of the executor's operators (engine/exec/*_test.cc): a store
// from inline TriG, a QueryContext over a snapshot of it, rows written in a
// short notation, and an operator's rows read back in the same notation.
//
// Cells: "-" unbound, "a" the IRI <http://ex.org/a>, "12" an xsd:integer,
// "'x'" the simple literal "x"; any other term reads back as N-Triples.

#ifndef KGSTORE_TESTS_UTIL_EXEC_FIXTURE_H_
#define KGSTORE_TESTS_UTIL_EXEC_FIXTURE_H_

#include <catch2/catch.hpp>
#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "engine/exec/evaluator.h"
#include "engine/exec/operator.h"
#include "engine/exec/query_context.h"
#include "engine/exec/values_op.h"
#include "tests/util/test_store.h"

namespace kg::testing {

inline constexpr char kExPrefix[] = "http://ex.org/";

class ExecFixture {
 public:
  explicit ExecFixture(const std::string& trig = "",
                       QueryOptions options = QueryOptions{}) {
    auto db = StoreFromTrig(dir_, "@prefix : <http://ex.org/> .\n" + trig);
    REQUIRE(db.ok());
    db_ = *std::move(db);
    Store* store = StoreOf(*db_);
    absl::Status s = exec::SetUpContext(
        &ctx_, std::shared_ptr<const QuadReader>(store->NewReadView()),
        store->StatisticsSnapshot(), algebra::Dataset{}, options);
    REQUIRE(s.ok());
  }

  exec::QueryContext* ctx() { return &ctx_; }

  // The term a cell names (see the file comment); nullopt for "-".
  static std::optional<Term> TermOf(const std::string& cell) {
    if (cell.empty() || cell == "-") return std::nullopt;
    if (cell[0] == '\'') return Term::Literal(cell.substr(1, cell.size() - 2));
    if (std::isdigit(static_cast<unsigned char>(cell[0])))
      return Term::Literal(cell, std::string(kXsdInteger));
    return Term::Iri(kExPrefix + cell);
  }

  // A row of ids, one cell per slot.
  exec::IdRow Row(const std::vector<std::string>& cells) {
    exec::IdRow row(cells.size(), exec::kUnbound);
    for (size_t i = 0; i < cells.size(); ++i)
      if (auto t = TermOf(cells[i])) row[i] = ctx_.Encode(*t);
    return row;
  }

  // A ValuesOp giving `rows`.
  exec::OpPtr Values(const std::vector<std::vector<std::string>>& rows) {
    std::vector<exec::IdRow> ids;
    for (const auto& r : rows) ids.push_back(Row(r));
    auto op = std::make_unique<exec::ValuesOp>(&ctx_, std::move(ids));
    op->estimate = rows.size();
    return op;
  }

  // A cell for an id, in the notation of Row.
  std::string Cell(TermId id) {
    std::optional<Term> t = ctx_.Decode(id);
    if (!t) return "-";
    const std::string nt = t->ToNTriples();
    if (t->is_iri() && t->lexical.rfind(kExPrefix, 0) == 0)
      return t->lexical.substr(sizeof(kExPrefix) - 1);
    if (t->is_literal() && t->DatatypeIri() == kXsdInteger) return t->lexical;
    if (t->is_literal() && nt == "\"" + t->lexical + "\"")
      return "'" + t->lexical + "'";
    return nt;
  }

  // Every row of `op` opened with `seed` (all unbound by default, `width`
  // slots), each as its cells joined by spaces.
  std::vector<std::string> Drain(exec::Operator& op, size_t width,
                                 exec::IdRow seed = {}) {
    if (seed.empty()) seed.assign(width, exec::kUnbound);
    op.Open(seed);
    std::vector<std::string> out;
    exec::IdRow row;
    while (op.Next(&row)) {
      std::vector<std::string> cells;
      for (TermId id : row) cells.push_back(Cell(id));
      out.push_back(absl::StrJoin(cells, " "));
    }
    REQUIRE(ctx_.status.ok());
    return out;
  }

 private:
  TempDir dir_;
  std::unique_ptr<Database> db_;
  exec::QueryContext ctx_;
};

// An expression reading variable slot `var`.
inline algebra::Expr VarExpr(int var) {
  algebra::Expr e;
  e.kind = algebra::Expr::Kind::kVar;
  e.var = var;
  return e;
}

// The expression `kind(a, b)` (a comparison, arithmetic, && ...).
inline algebra::Expr BinaryExpr(algebra::Expr::Kind kind, algebra::Expr a,
                                algebra::Expr b) {
  algebra::Expr e;
  e.kind = kind;
  e.args = {std::move(a), std::move(b)};
  return e;
}

inline algebra::Expr ConstExpr(Term t) {
  algebra::Expr e;
  e.kind = algebra::Expr::Kind::kConstant;
  e.term = std::move(t);
  return e;
}

// The constant expression of a cell (see the file comment; not "-").
inline algebra::Expr CellExpr(const std::string& cell) {
  return ConstExpr(*ExecFixture::TermOf(cell));
}

// The EXISTS planner of an Evaluator whose expressions hold no EXISTS.
inline exec::ExistsPlan NoExists(const std::shared_ptr<algebra::Node>&) {
  return {};
}

}  // namespace kg::testing

#endif  // KGSTORE_TESTS_UTIL_EXEC_FIXTURE_H_
