// The C API: transactions, loads and updates.

#include <istream>
#include <streambuf>

#include "absl/strings/str_cat.h"
#include "engine/capi/handles.h"
#include "storage/rdf/rdf_format.h"

using kg::capi::Fail;
using kg::capi::Guarded;
using kg::capi::Report;

namespace {

// A read-only stream over a caller's buffer, so a load reads it in place.
class BufferStream : public std::streambuf {
 public:
  BufferStream(const char* data, size_t size) {
    char* p = const_cast<char*>(data);  // never written through
    setg(p, p, p + size);
  }
};

int Unopened(kg_db* db, const char* function) {
  return Fail(db, KG_MISUSE,
              absl::StrCat(function, ": the store is not open (kg_open "
                                     "failed, or the handle is NULL)"));
}

// Builds a quad from four N-Triples arguments (g may be NULL).
absl::StatusOr<kg::Quad> QuadFromText(const char* s, const char* p,
                                      const char* o, const char* g) {
  kg::Quad quad;
  auto subject = kg::capi::ParseTermArgument(s, "subject");
  if (!subject.ok()) return subject.status();
  auto predicate = kg::capi::ParseTermArgument(p, "predicate");
  if (!predicate.ok()) return predicate.status();
  auto object = kg::capi::ParseTermArgument(o, "object");
  if (!object.ok()) return object.status();
  quad.subject = *std::move(subject);
  quad.predicate = *std::move(predicate);
  quad.object = *std::move(object);
  if (g != nullptr) {
    auto graph = kg::capi::ParseTermArgument(g, "graph");
    if (!graph.ok()) return graph.status();
    quad.graph = *std::move(graph);
  }
  auto positions = kg::capi::CheckQuadPositions(quad, g != nullptr);
  if (!positions.ok()) return positions;
  return quad;
}

absl::StatusOr<kg::Quad> QuadFromTerms(const kg_term* s, const kg_term* p,
                                       const kg_term* o, const kg_term* g) {
  kg::Quad quad;
  auto subject = kg::capi::TermFromStruct(s, "subject");
  if (!subject.ok()) return subject.status();
  auto predicate = kg::capi::TermFromStruct(p, "predicate");
  if (!predicate.ok()) return predicate.status();
  auto object = kg::capi::TermFromStruct(o, "object");
  if (!object.ok()) return object.status();
  quad.subject = *std::move(subject);
  quad.predicate = *std::move(predicate);
  quad.object = *std::move(object);
  if (g != nullptr) {
    auto graph = kg::capi::TermFromStruct(g, "graph");
    if (!graph.ok()) return graph.status();
    quad.graph = *std::move(graph);
  }
  auto positions = kg::capi::CheckQuadPositions(quad, g != nullptr);
  if (!positions.ok()) return positions;
  return quad;
}

int Write(kg_txn* txn, const absl::StatusOr<kg::Quad>& quad, bool insert) {
  if (txn == nullptr || txn->txn == nullptr) return KG_MISUSE;
  if (!quad.ok()) return Fail(txn->db, quad.status());
  return Report(txn->db,
                insert ? txn->txn->Insert(*quad) : txn->txn->Remove(*quad));
}

absl::StatusOr<kg::LoadOptions> LoadOptionsFrom(const kg_load_options* in) {
  kg::LoadOptions options;
  if (in == nullptr) return options;
  if (in->format != nullptr) {
    auto format = kg::RdfFormatFromName(in->format);
    if (!format.ok()) return format.status();
    options.format = *format;
  }
  if (in->graph != nullptr) {
    auto graph = kg::capi::ParseTermArgument(in->graph, "graph");
    if (!graph.ok()) return graph.status();
    if (graph->is_literal()) {
      return absl::InvalidArgumentError(
          "graph: a literal cannot name a graph");
    }
    options.graph = *std::move(graph);
  }
  if (in->base_iri != nullptr) options.base_iri = in->base_iri;
  options.skip_bad = (in->flags & KG_LOAD_SKIP_BAD) != 0;
  options.compress_for_size = (in->flags & KG_LOAD_COMPRESS_FOR_SIZE) != 0;
  return options;
}

void CopyStats(const kg::LoadSummary& in, kg_load_stats* out) {
  if (out == nullptr) return;
  out->statements = in.statements;
  out->quads_added = in.quads_added;
  out->duplicates = in.duplicates;
  out->bad_statements = in.bad_statements;
  out->bytes_read = in.bytes_read;
  out->seconds = in.seconds;
}

}  // namespace

extern "C" {

int kg_begin(kg_db* db, kg_txn** out) {
  if (out != nullptr) *out = nullptr;
  if (db == nullptr || db->database == nullptr) return Unopened(db, "kg_begin");
  if (out == nullptr) return Fail(db, KG_MISUSE, "kg_begin: txn is NULL");
  return Guarded(db, [&]() -> int {
    auto txn = db->database->BeginTransaction();
    if (!txn.ok()) return Fail(db, txn.status());
    auto* handle = new kg_txn();
    handle->db = db;
    handle->txn = *std::move(txn);
    *out = handle;
    return KG_OK;
  });
}

int kg_insert(kg_txn* txn, const char* s, const char* p, const char* o,
              const char* g) {
  if (txn == nullptr) return KG_MISUSE;
  return Guarded(txn->db,
                 [&] { return Write(txn, QuadFromText(s, p, o, g), true); });
}

int kg_remove(kg_txn* txn, const char* s, const char* p, const char* o,
              const char* g) {
  if (txn == nullptr) return KG_MISUSE;
  return Guarded(txn->db,
                 [&] { return Write(txn, QuadFromText(s, p, o, g), false); });
}

int kg_insert_terms(kg_txn* txn, const kg_term* s, const kg_term* p,
                    const kg_term* o, const kg_term* g) {
  if (txn == nullptr) return KG_MISUSE;
  return Guarded(txn->db,
                 [&] { return Write(txn, QuadFromTerms(s, p, o, g), true); });
}

int kg_remove_terms(kg_txn* txn, const kg_term* s, const kg_term* p,
                    const kg_term* o, const kg_term* g) {
  if (txn == nullptr) return KG_MISUSE;
  return Guarded(txn->db,
                 [&] { return Write(txn, QuadFromTerms(s, p, o, g), false); });
}

int kg_commit(kg_txn* txn) {
  if (txn == nullptr) return KG_MISUSE;
  kg_db* db = txn->db;
  int rc = Guarded(db, [&] { return Report(db, txn->txn->Commit()); });
  try {
    delete txn;  // aborts what did not commit
  } catch (...) {
  }
  return rc;
}

void kg_rollback(kg_txn* txn) {
  if (txn == nullptr) return;
  try {
    txn->txn->Abort();
    delete txn;
  } catch (...) {
  }
}

int kg_load_file(kg_db* db, const char* path, const kg_load_options* options,
                 kg_load_stats* stats) {
  if (db == nullptr || db->database == nullptr) {
    return Unopened(db, "kg_load_file");
  }
  if (path == nullptr) return Fail(db, KG_MISUSE, "kg_load_file: path is NULL");
  return Guarded(db, [&]() -> int {
    auto load_options = LoadOptionsFrom(options);
    if (!load_options.ok()) return Fail(db, load_options.status());
    auto summary = db->database->LoadFile(path, *load_options);
    if (!summary.ok()) return Fail(db, summary.status());
    CopyStats(*summary, stats);
    return KG_OK;
  });
}

int kg_load_buffer(kg_db* db, const char* data, size_t size,
                   const kg_load_options* options, kg_load_stats* stats) {
  if (db == nullptr || db->database == nullptr) {
    return Unopened(db, "kg_load_buffer");
  }
  if (data == nullptr && size > 0) {
    return Fail(db, KG_MISUSE, "kg_load_buffer: data is NULL");
  }
  return Guarded(db, [&]() -> int {
    auto load_options = LoadOptionsFrom(options);
    if (!load_options.ok()) return Fail(db, load_options.status());
    if (!load_options->format.has_value()) {
      return Fail(db, KG_INVALID,
                  "kg_load_buffer: a format is required (options->format: "
                  "\"ntriples\", \"nquads\", \"turtle\" or \"trig\")");
    }
    BufferStream buffer(data != nullptr ? data : "", size);
    std::istream in(&buffer);
    auto summary = db->database->LoadStream(in, *load_options);
    if (!summary.ok()) return Fail(db, summary.status());
    CopyStats(*summary, stats);
    return KG_OK;
  });
}

int kg_update(kg_db* db, const char* text, kg_update_stats* stats) {
  return kg_update_with(db, text, nullptr, stats);
}

int kg_update_with(kg_db* db, const char* text,
                   const kg_request_options* options, kg_update_stats* stats) {
  if (db == nullptr || db->database == nullptr) {
    return Unopened(db, "kg_update");
  }
  if (text == nullptr) return Fail(db, KG_MISUSE, "kg_update: text is NULL");
  return Guarded(db, [&]() -> int {
    std::shared_ptr<std::atomic<bool>> flag;
    auto request = kg::capi::RequestOptionsWith(db, options, &flag);
    if (!request.ok()) return Fail(db, request.status());
    auto summary = db->database->Update(text, *request);
    if (!summary.ok()) return Fail(db, summary.status());
    if (stats != nullptr) {
      stats->inserted = summary->inserted;
      stats->removed = summary->removed;
      stats->seconds = summary->seconds;
    }
    return KG_OK;
  });
}

}  // extern "C"
