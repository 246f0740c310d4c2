// The C API: plans, graph exports, statistics, checks and compaction.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/capi/handles.h"
#include "engine/graph_export.h"
#include "nlohmann/json.hpp"

using kg::capi::CopyForCaller;
using kg::capi::Fail;
using kg::capi::Guarded;
using kg::capi::Report;

namespace {

bool Open(kg_db* db) { return db != nullptr && db->database != nullptr; }

int Unopened(kg_db* db, const char* function) {
  return Fail(db, KG_MISUSE,
              absl::StrCat(function, ": the store is not open (kg_open "
                                     "failed, or the handle is NULL)"));
}

int GiveString(kg_db* db, const std::string& text, char** out) {
  *out = CopyForCaller(text);
  return *out == nullptr ? Fail(db, KG_FULL, "out of memory") : KG_OK;
}

absl::StatusOr<kg::ExportOptions> ExportOptionsFrom(
    const kg_export_options* in) {
  if (in == nullptr || in->format == nullptr) {
    return absl::InvalidArgumentError(
        "kg_export: a format is required (\"dot\", \"graphml\", \"gexf\", "
        "\"cytoscape\" or \"html\")");
  }
  kg::ExportOptions options;
  auto format = kg::ExportFormatFromName(in->format);
  if (!format.ok()) return format.status();
  options.format = *format;
  if (in->query != nullptr) options.query = in->query;
  if (in->around != nullptr) {
    auto around = kg::capi::ParseTermArgument(in->around, "around");
    if (!around.ok()) return around.status();
    options.around = *std::move(around);
  }
  if (in->query != nullptr && in->around != nullptr) {
    return absl::InvalidArgumentError(
        "kg_export: give a query or a node to export around, not both");
  }
  options.hops = in->hops > 0 ? in->hops : 1;
  if (in->graph != nullptr) {
    auto graph = kg::capi::ParseTermArgument(in->graph, "graph");
    if (!graph.ok()) return graph.status();
    options.graph = *std::move(graph);
  }
  if (in->title != nullptr) options.title = in->title;
  return options;
}

}  // namespace

extern "C" {

int kg_explain(kg_db* db, const char* text, int profile, char** plan) {
  if (plan != nullptr) *plan = nullptr;
  if (!Open(db)) return Unopened(db, "kg_explain");
  if (text == nullptr || plan == nullptr) {
    return Fail(db, KG_MISUSE, "kg_explain: text or plan is NULL");
  }
  return Guarded(db, [&]() -> int {
    std::shared_ptr<std::atomic<bool>> flag;
    auto explained = db->database->Explain(text, profile != 0,
                                           db->RequestOptions(&flag));
    if (!explained.ok()) return Fail(db, explained.status());
    return GiveString(db, *explained, plan);
  });
}

int kg_export(kg_db* db, const char* path, const kg_export_options* options) {
  if (!Open(db)) return Unopened(db, "kg_export");
  if (path == nullptr) return Fail(db, KG_MISUSE, "kg_export: path is NULL");
  return Guarded(db, [&]() -> int {
    auto export_options = ExportOptionsFrom(options);
    if (!export_options.ok()) return Fail(db, export_options.status());
    std::shared_ptr<std::atomic<bool>> flag;
    export_options->query_options = db->RequestOptions(&flag);
    // Written beside the target and renamed over it, so a failure never
    // leaves a partial picture under the caller's name.
    absl::Status status =
        kg::ExportGraphToFile(*db->database, *export_options, path);
    if (!status.ok()) return Fail(db, status);
    return KG_OK;
  });
}

int kg_count(kg_db* db, uint64_t* quads) {
  if (quads != nullptr) *quads = 0;
  if (!Open(db)) return Unopened(db, "kg_count");
  if (quads == nullptr) return Fail(db, KG_MISUSE, "kg_count: quads is NULL");
  return Guarded(db, [&]() -> int {
    *quads = db->database->Statistics().quads;
    return KG_OK;
  });
}

int kg_statistics(kg_db* db, char** json) {
  if (json != nullptr) *json = nullptr;
  if (!Open(db)) return Unopened(db, "kg_statistics");
  if (json == nullptr) {
    return Fail(db, KG_MISUSE, "kg_statistics: json is NULL");
  }
  return Guarded(db, [&]() -> int {
    kg::DatabaseStatistics stats = db->database->Statistics();
    nlohmann::ordered_json doc;
    doc["quads"] = stats.quads;
    doc["disk_bytes"] = stats.disk_bytes;
    doc["predicates"] = nlohmann::ordered_json::array();
    for (const auto& p : stats.predicates) {
      doc["predicates"].push_back({{"predicate", p.predicate.lexical},
                                   {"quads", p.quads},
                                   {"distinct_subjects", p.distinct_subjects},
                                   {"distinct_objects", p.distinct_objects}});
    }
    doc["graphs"] = nlohmann::ordered_json::array();
    for (const auto& g : stats.graphs) {
      nlohmann::ordered_json entry;
      if (g.graph) {
        entry["graph"] = g.graph->lexical;
      } else {
        entry["graph"] = nullptr;
      }
      entry["quads"] = g.quads;
      doc["graphs"].push_back(std::move(entry));
    }
    return GiveString(
        db, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
        json);
  });
}

int kg_check(kg_db* db, char** problems) {
  if (problems != nullptr) *problems = nullptr;
  if (!Open(db)) return Unopened(db, "kg_check");
  return Guarded(db, [&]() -> int {
    auto found = db->database->Check();
    if (!found.ok()) return Fail(db, found.status());
    if (found->empty()) return KG_OK;
    std::string text = absl::StrJoin(*found, "\n");
    if (problems != nullptr) {
      *problems = CopyForCaller(text);
      if (*problems == nullptr) return Fail(db, KG_FULL, "out of memory");
    }
    return Fail(db, KG_CORRUPT,
                absl::StrCat(found->size(), " problem(s) found: ",
                             found->front()));
  });
}

int kg_compact(kg_db* db) {
  if (!Open(db)) return Unopened(db, "kg_compact");
  return Guarded(db, [&] { return Report(db, db->database->Compact()); });
}

}  // extern "C"
