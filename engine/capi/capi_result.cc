// The C API: queries, matches and stepping through their rows.

#include <cstring>

#include "absl/strings/str_cat.h"
#include "engine/capi/handles.h"

using kg::capi::Fail;
using kg::capi::Guarded;

namespace {

bool Open(kg_db* db) { return db != nullptr && db->database != nullptr; }

int Unopened(kg_db* db, const char* function) {
  return Fail(db, KG_MISUSE,
              absl::StrCat(function, ": the store is not open (kg_open "
                                     "failed, or the handle is NULL)"));
}

// Makes a result over a query's answer.
kg_result* NewQueryResult(kg_db* db, std::unique_ptr<kg::QueryResult> query,
                          std::shared_ptr<std::atomic<bool>> cancel) {
  auto* result = new kg_result();
  result->db = db;
  result->cancel = std::move(cancel);
  switch (query->kind()) {
    case kg::QueryResult::Kind::kBindings:
      result->type = KG_RESULT_BINDINGS;
      result->columns = query->variables();
      break;
    case kg::QueryResult::Kind::kBoolean:
      result->type = KG_RESULT_BOOLEAN;
      break;
    case kg::QueryResult::Kind::kGraph:
      result->type = KG_RESULT_GRAPH;
      result->columns = {"subject", "predicate", "object"};
      break;
  }
  result->query = std::move(query);
  return result;
}

// A match pattern from four arguments: NULL is a wildcard; for the graph,
// KG_DEFAULT_GRAPH selects the default graph.
absl::StatusOr<kg::QuadPattern> PatternFrom(const char* s, const char* p,
                                            const char* o, const char* g) {
  kg::QuadPattern pattern;
  const char* texts[3] = {s, p, o};
  const char* names[3] = {"subject", "predicate", "object"};
  std::optional<kg::Term>* slots[3] = {&pattern.subject, &pattern.predicate,
                                       &pattern.object};
  for (int i = 0; i < 3; ++i) {
    if (texts[i] == nullptr) continue;
    auto term = kg::capi::ParseTermArgument(texts[i], names[i]);
    if (!term.ok()) return term.status();
    *slots[i] = *std::move(term);
  }
  if (g == nullptr) {
    pattern.graph = kg::GraphSelector::Any();
  } else if (g[0] == '\0') {
    pattern.graph = kg::GraphSelector::Default();
  } else {
    auto graph = kg::capi::ParseTermArgument(g, "graph");
    if (!graph.ok()) return graph.status();
    pattern.graph = kg::GraphSelector::Named(*std::move(graph));
  }
  return pattern;
}

kg_result* NewMatchResult(kg_db* db, std::unique_ptr<kg::QuadCursor> cursor) {
  auto* result = new kg_result();
  result->db = db;
  result->type = KG_RESULT_QUADS;
  result->columns = {"subject", "predicate", "object", "graph"};
  result->quads = std::move(cursor);
  return result;
}

void SetQuadCells(const kg::Quad& quad, size_t width, kg_result* result) {
  result->cells.resize(width);
  result->cells[0] = quad.subject;
  result->cells[1] = quad.predicate;
  result->cells[2] = quad.object;
  if (width > 3) result->cells[3] = quad.graph;
}

int Step(kg_result* r) {
  if (r->done) return KG_DONE;
  r->has_row = false;
  r->datatypes.assign(r->columns.size(), std::nullopt);
  r->ntriples.assign(r->columns.size(), std::nullopt);
  auto finish = [r](int rc) {
    if (rc != KG_ROW) r->done = true;
    return rc;
  };
  switch (r->type) {
    case KG_RESULT_BOOLEAN:
      return finish(KG_DONE);
    case KG_RESULT_BINDINGS: {
      auto more = r->query->NextRow(&r->cells);
      if (!more.ok()) return finish(Fail(r->db, more.status()));
      if (!*more) return finish(KG_DONE);
      break;
    }
    case KG_RESULT_GRAPH: {
      kg::Quad triple;
      auto more = r->query->NextTriple(&triple);
      if (!more.ok()) return finish(Fail(r->db, more.status()));
      if (!*more) return finish(KG_DONE);
      SetQuadCells(triple, 3, r);
      break;
    }
    case KG_RESULT_QUADS: {
      if (r->started) r->quads->Next();
      r->started = true;
      if (!r->quads->Valid()) {
        auto status = r->quads->status();
        return finish(status.ok() ? KG_DONE : Fail(r->db, status));
      }
      SetQuadCells(r->quads->quad(), 4, r);
      break;
    }
  }
  r->has_row = true;
  return KG_ROW;
}

// The cell at `col` of the current row, or nullptr when there is no row,
// `col` is out of range or the cell is unbound.
const kg::Term* Cell(kg_result* r, int col) {
  if (r == nullptr || !r->has_row || col < 0 ||
      static_cast<size_t>(col) >= r->cells.size() || !r->cells[col]) {
    return nullptr;
  }
  return &*r->cells[col];
}

}  // namespace

extern "C" {

int kg_query_with(kg_db* db, const char* text,
                  const kg_request_options* options, kg_result** out) {
  if (out != nullptr) *out = nullptr;
  if (!Open(db)) return Unopened(db, "kg_query");
  if (text == nullptr || out == nullptr) {
    return Fail(db, KG_MISUSE, "kg_query: text or result is NULL");
  }
  return Guarded(db, [&]() -> int {
    std::shared_ptr<std::atomic<bool>> flag;
    auto request = kg::capi::RequestOptionsWith(db, options, &flag);
    if (!request.ok()) return Fail(db, request.status());
    auto query = db->database->Query(text, *request);
    if (!query.ok()) return Fail(db, query.status());
    *out = NewQueryResult(db, *std::move(query), std::move(flag));
    return KG_OK;
  });
}

int kg_query(kg_db* db, const char* text, kg_result** out) {
  return kg_query_with(db, text, nullptr, out);
}

int kg_ask(kg_db* db, const char* text, int* answer) {
  if (answer != nullptr) *answer = 0;
  if (!Open(db)) return Unopened(db, "kg_ask");
  if (text == nullptr || answer == nullptr) {
    return Fail(db, KG_MISUSE, "kg_ask: text or answer is NULL");
  }
  kg_result* result = nullptr;
  int rc = kg_query(db, text, &result);
  if (rc != KG_OK) return rc;
  if (result->type == KG_RESULT_BOOLEAN) {
    *answer = result->query->boolean() ? 1 : 0;
  } else {
    rc = kg_result_step(result);
    if (rc == KG_ROW) *answer = 1;
    if (rc == KG_ROW || rc == KG_DONE) rc = KG_OK;
  }
  kg_result_free(result);
  return rc;
}

int kg_match(kg_db* db, const char* s, const char* p, const char* o,
             const char* g, kg_result** out) {
  if (out != nullptr) *out = nullptr;
  if (!Open(db)) return Unopened(db, "kg_match");
  if (out == nullptr) return Fail(db, KG_MISUSE, "kg_match: result is NULL");
  return Guarded(db, [&]() -> int {
    auto pattern = PatternFrom(s, p, o, g);
    if (!pattern.ok()) return Fail(db, pattern.status());
    *out = NewMatchResult(db, db->database->Match(*pattern));
    return KG_OK;
  });
}

int kg_txn_match(kg_txn* txn, const char* s, const char* p, const char* o,
                 const char* g, kg_result** out) {
  if (out != nullptr) *out = nullptr;
  if (txn == nullptr || txn->txn == nullptr) return KG_MISUSE;
  if (out == nullptr) {
    return Fail(txn->db, KG_MISUSE, "kg_txn_match: result is NULL");
  }
  return Guarded(txn->db, [&]() -> int {
    auto pattern = PatternFrom(s, p, o, g);
    if (!pattern.ok()) return Fail(txn->db, pattern.status());
    *out = NewMatchResult(txn->db, txn->txn->Match(*pattern));
    return KG_OK;
  });
}

int kg_result_type(kg_result* r) { return r == nullptr ? 0 : r->type; }

int kg_result_boolean(kg_result* r) {
  if (r == nullptr || r->type != KG_RESULT_BOOLEAN) return 0;
  return r->query->boolean() ? 1 : 0;
}

int kg_result_column_count(kg_result* r) {
  return r == nullptr ? 0 : static_cast<int>(r->columns.size());
}

const char* kg_result_column_name(kg_result* r, int col) {
  if (r == nullptr || col < 0 || static_cast<size_t>(col) >= r->columns.size())
    return nullptr;
  return r->columns[col].c_str();
}

int kg_result_column_index(kg_result* r, const char* name) {
  if (r == nullptr || name == nullptr) return -1;
  if (name[0] == '?' || name[0] == '$') ++name;
  for (size_t i = 0; i < r->columns.size(); ++i) {
    if (r->columns[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int kg_result_step(kg_result* r) {
  if (r == nullptr) return KG_MISUSE;
  return Guarded(r->db, [&] {
    int rc = Step(r);
    if (rc != KG_ROW) r->done = true;
    return rc;
  });
}

int kg_result_kind(kg_result* r, int col) {
  const kg::Term* term = Cell(r, col);
  if (term == nullptr) return KG_TERM_UNBOUND;
  switch (term->kind) {
    case kg::TermKind::kIri: return KG_TERM_IRI;
    case kg::TermKind::kBlankNode: return KG_TERM_BLANK;
    case kg::TermKind::kLiteral: return KG_TERM_LITERAL;
  }
  return KG_TERM_UNBOUND;
}

const char* kg_result_lexical(kg_result* r, int col) {
  const kg::Term* term = Cell(r, col);
  return term == nullptr ? nullptr : term->lexical.c_str();
}

size_t kg_result_lexical_length(kg_result* r, int col) {
  const kg::Term* term = Cell(r, col);
  return term == nullptr ? 0 : term->lexical.size();
}

const char* kg_result_datatype(kg_result* r, int col) {
  const kg::Term* term = Cell(r, col);
  if (term == nullptr || !term->is_literal()) return nullptr;
  try {
    auto& slot = r->datatypes[col];
    if (!slot) slot = std::string(term->DatatypeIri());
    return slot->c_str();
  } catch (...) {
    return nullptr;
  }
}

const char* kg_result_language(kg_result* r, int col) {
  const kg::Term* term = Cell(r, col);
  if (term == nullptr || term->language.empty()) return nullptr;
  return term->language.c_str();
}

const char* kg_result_ntriples(kg_result* r, int col) {
  const kg::Term* term = Cell(r, col);
  if (term == nullptr) return nullptr;
  try {
    auto& slot = r->ntriples[col];
    if (!slot) slot = term->ToNTriples();
    return slot->c_str();
  } catch (...) {
    return nullptr;
  }
}

void kg_result_free(kg_result* r) {
  try {
    delete r;
  } catch (...) {
  }
}

}  // extern "C"
