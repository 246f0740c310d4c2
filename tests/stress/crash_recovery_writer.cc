// The writer of the crash recovery test (`crash_recovery --child`, see
// crash_recovery.cc): it opens the store, picks transactions at random
// (inserts, updates, loads, removals, compactions), executes each through
// the public API and reports "B n ..." before and "C n" after it returned
// OK, until the parent kills it.

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "tests/stress/crash_recovery.h"

namespace kg::crash_recovery {
namespace {

void Report(const std::string& line) {
  std::string l = line + "\n";
  // One write of less than PIPE_BUF bytes: atomic, never interleaved.
  ssize_t w = write(kReportFd, l.data(), l.size());
  (void)w;
}

[[noreturn]] void ChildFail(const std::string& what, const absl::Status& s) {
  Report(absl::StrCat("E ", what, ": ", s.ToString()));
  std::_Exit(3);
}

// The quads of every operation as N-Triples/N-Quads text (loads) or
// SPARQL (updates).
std::string NQuadsOf(const std::vector<Quad>& quads) {
  std::string out;
  for (const Quad& q : quads) {
    out += q.ToNQuads();
    out += '\n';
  }
  return out;
}

std::string SparqlQuads(const std::vector<Quad>& quads) {
  // Grouped by graph: GRAPH <g> { ... } blocks.
  std::map<std::string, std::string> by_graph;
  for (const Quad& q : quads) {
    std::string& text = by_graph[q.graph ? q.graph->lexical : ""];
    text += absl::StrCat(q.subject.ToNTriples(), " ", q.predicate.ToNTriples(),
                         " ", q.object.ToNTriples(), " .\n");
  }
  std::string out;
  for (const auto& [g, text] : by_graph) {
    if (g.empty()) {
      out += text;
    } else {
      out += absl::StrCat("GRAPH <", g, "> {\n", text, "}\n");
    }
  }
  return out;
}

std::vector<Quad> DataQuads(const Txn& t) {
  std::vector<Quad> quads;
  quads.reserve(2 * t.items + 2);
  for (uint32_t i = 0; i < t.items; ++i)
    for (Quad& q : ItemQuads(t, i)) quads.push_back(std::move(q));
  for (Quad& q : MarkerQuads(t)) quads.push_back(std::move(q));
  return quads;
}

absl::Status Execute(Database& db, const Txn& t, const Model& model) {
  switch (t.kind) {
    case kInsert: {
      auto txn = db.BeginTransaction();
      if (!txn.ok()) return txn.status();
      for (const Quad& q : DataQuads(t)) {
        absl::Status s = (*txn)->Insert(q);
        if (!s.ok()) return s;
      }
      return (*txn)->Commit();
    }
    case kUpdate: {
      auto done = db.Update(
          absl::StrCat("INSERT DATA {\n", SparqlQuads(DataQuads(t)), "}"));
      return done.status();
    }
    case kLoadEmpty:
    case kLoad: {
      std::istringstream in(NQuadsOf(DataQuads(t)));
      LoadOptions lo;
      lo.format = RdfFormat::kNQuads;
      auto done = db.LoadStream(in, lo);
      if (!done.ok()) return done.status();
      if (done->quads_added != 2 * t.items + 2)
        return absl::InternalError(absl::StrCat(
            "load added ", done->quads_added, " quads, not ", 2 * t.items + 2));
      return absl::OkStatus();
    }
    case kRemove:
    case kRemoveUpdate: {
      const Txn& r = model.live.at(t.target);
      std::vector<Quad> gone;
      for (uint32_t i = t.group; i < r.items; i += kGroups)
        for (Quad& q : ItemQuads(r, i)) gone.push_back(std::move(q));
      if (t.kind == kRemove) {
        auto txn = db.BeginTransaction();
        if (!txn.ok()) return txn.status();
        for (const Quad& q : gone) {
          absl::Status s = (*txn)->Remove(q);
          if (!s.ok()) return s;
        }
        for (const Quad& q : MarkerQuads(t)) {
          absl::Status s = (*txn)->Insert(q);
          if (!s.ok()) return s;
        }
        return (*txn)->Commit();
      }
      // One request, two operations: a pattern deletion over the group's
      // subjects and the marker's insertion.
      std::string values;
      for (uint32_t i = t.group; i < r.items; i += kGroups)
        absl::StrAppend(&values, "<", ItemIri(r.n, i), "> ");
      std::string where =
          r.graph < 0 ? "?s ?p ?o"
                      : absl::StrCat("GRAPH <", GraphIri(r.graph),
                                     "> { ?s ?p ?o }");
      std::string del = r.graph < 0 ? "?s ?p ?o" : where;
      auto done = db.Update(absl::StrCat(
          "DELETE { ", del, " } WHERE { VALUES ?s { ", values, "} ", where,
          " } ;\nINSERT DATA {\n", SparqlQuads(MarkerQuads(t)), "}"));
      if (!done.ok()) return done.status();
      if (done->removed != gone.size())
        return absl::InternalError(absl::StrCat(
            "update removed ", done->removed, " quads, not ", gone.size()));
      return absl::OkStatus();
    }
    case kCompact:
      return db.Compact();
    default:
      return absl::InternalError("unknown kind");
  }
}

uint32_t Scaled(uint64_t items, double scale) {
  return std::max<uint32_t>(8, static_cast<uint32_t>(items * scale));
}

}  // namespace

int ChildMain(const std::string& store, const std::string& model_file,
              uint64_t seed, double scale) {
  auto model = ReadModel(model_file);
  if (!model) ChildFail("model", absl::InternalError("unreadable " + model_file));
  std::mt19937_64 rng(seed);
  auto uniform = [&](uint64_t lo, uint64_t hi) {
    return std::uniform_int_distribution<uint64_t>(lo, hi)(rng);
  };
  OpenOptions oo;  // durable commits: the default
  oo.block_cache_bytes = 32 << 20;
  auto db = Database::Open(store, oo);
  if (!db.ok()) ChildFail("open", db.status());
  Report("O");
  while (true) {
    Txn t;
    t.n = model->next_n++;
    if (model->fresh) {
      t.kind = kLoadEmpty;
    } else {
      // Weights: insert 30, update 15, load 12, remove 15, remove-update
      // 10, compact 4.
      static constexpr int kWeights[kNumKinds] = {30, 15, 0, 12, 15, 10, 4};
      int total = 0;
      for (int w : kWeights) total += w;
      int pick = static_cast<int>(uniform(0, total - 1));
      int k = 0;
      while (pick >= kWeights[k]) pick -= kWeights[k++];
      t.kind = static_cast<Kind>(k);
    }
    if (IsRemoval(t.kind)) {
      // A group not yet removed, of a packed load half the time.
      std::vector<std::pair<uint64_t, int>> packed, other;
      for (const auto& [n, r] : model->live) {
        if (!HasData(r.kind)) continue;
        for (int g = 0; g < kGroups; ++g) {
          if ((r.removed >> g) & 1 || GroupSize(r.items, g) == 0) continue;
          (r.kind == kLoadEmpty ? packed : other).emplace_back(n, g);
        }
      }
      auto* from = (!packed.empty() && (other.empty() || uniform(0, 1) == 0))
                       ? &packed
                       : &other;
      if (from->empty()) {
        t.kind = kInsert;
      } else {
        auto [n, g] = (*from)[uniform(0, from->size() - 1)];
        t.target = n;
        t.group = g;
      }
    }
    switch (t.kind) {
      case kInsert:
        t.items = static_cast<uint32_t>(uniform(1, 16));
        t.graph = uniform(0, 1) ? static_cast<int>(uniform(0, 2)) : -1;
        break;
      case kUpdate:
        t.items = Scaled(uniform(1000, 2500), scale);
        t.graph = uniform(0, 3) == 0 ? static_cast<int>(uniform(0, 2)) : -1;
        break;
      case kLoadEmpty:  // no named graph: packed blocks
        t.items = Scaled(uniform(5000, 20000), scale);
        break;
      case kLoad:
        t.items = Scaled(uniform(1000, 5000), scale);
        t.graph = uniform(0, 2) == 0 ? static_cast<int>(uniform(0, 2)) : -1;
        break;
      default:
        break;
    }
    Report("B " + TxnLine(t));
    absl::Status s = Execute(**db, t, *model);
    if (!s.ok()) ChildFail(absl::StrCat("transaction ", t.n), s);
    Report(absl::StrCat("C ", t.n));
    model->Apply(t);
  }
}

}  // namespace kg::crash_recovery
