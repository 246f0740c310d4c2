// The public API end to end: patterns against every index, transactions,
// snapshots, persistence, loads (good and bad), dump and check.

#include "engine/database.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "storage/quad_index.h"
#include "storage/store.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

using testing::Lines;
using testing::StoreFromTrig;
using testing::TempDir;

const char kData[] = R"(
@prefix ex: <https://kgstore.example/id/> .
@prefix v: <https://kgstore.example/vocab#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:vassilenko v:metWith ex:lupu, ex:vasiulis, ex:tirs ;
    v:label "Roman Vassilenko" .
ex:lupu v:ambassadorOf ex:romania ; v:label "Madalina Lupu"@en .
ex:romania v:turnover 2.6 ; v:since "1992-01-01"^^xsd:date .
ex:article1 {
  ex:vassilenko v:metWith ex:lupu .
  ex:lupu v:ambassadorOf ex:romania .
  ex:romania v:rank 10 .
}
ex:article2 {
  ex:vasiulis v:ambassadorOf ex:lithuania .
  ex:romania v:rank 10 .
}
)";

std::vector<Quad> AllQuads(Database& db) {
  std::vector<Quad> out;
  for (auto c = db.Match({}); c->Valid(); c->Next()) out.push_back(c->quad());
  return out;
}

// Every bound/unbound shape of a pattern made from each quad of `all`,
// answered by `match`, gives exactly the quads of `all` that match it.
void CheckEveryShape(
    const std::vector<Quad>& all,
    const std::function<std::unique_ptr<QuadCursor>(const QuadPattern&)>&
        match) {
  for (const Quad& sample : all) {
    for (unsigned mask = 0; mask < 16; ++mask) {
      QuadPattern p;
      if (mask & 1) p.subject = sample.subject;
      if (mask & 2) p.predicate = sample.predicate;
      if (mask & 4) p.object = sample.object;
      if (mask & 8)
        p.graph = sample.graph ? GraphSelector::Named(*sample.graph)
                               : GraphSelector::Default();
      std::vector<std::string> expected;
      for (const Quad& q : all) {
        if ((mask & 1) && !(q.subject == sample.subject)) continue;
        if ((mask & 2) && !(q.predicate == sample.predicate)) continue;
        if ((mask & 4) && !(q.object == sample.object)) continue;
        if ((mask & 8) && !(q.graph == sample.graph)) continue;
        expected.push_back(q.ToNQuads());
      }
      std::sort(expected.begin(), expected.end());
      auto cursor = match(p);
      INFO("mask " << mask << " index "
                   << PermutationName(ChoosePermutation(mask)) << " sample "
                   << sample);
      CHECK(Lines(*cursor) == expected);
      CHECK(cursor->status().ok());
    }
  }
}

TEST_CASE("every pattern shape returns exactly the matching quads",
          "[database]") {
  TempDir dir;
  auto db = StoreFromTrig(dir, kData);
  REQUIRE(db.ok());
  std::vector<Quad> all = AllQuads(**db);
  REQUIRE(all.size() == 13);
  SECTION("bulk loaded") {
    CheckEveryShape(all, [&](const QuadPattern& p) { return (*db)->Match(p); });
  }
  // Transactions write the indexes key by key (the graph-first ones only
  // for named graphs) and read through their own batch.
  TempDir dir2;
  auto db2 = Database::Open(dir2.file("store"), {});
  REQUIRE(db2.ok());
  auto txn = (*db2)->BeginTransaction();
  REQUIRE(txn.ok());
  for (const Quad& q : all) REQUIRE((*txn)->Insert(q).ok());
  SECTION("read inside the transaction") {
    CheckEveryShape(all, [&](const QuadPattern& p) { return (*txn)->Match(p); });
  }
  SECTION("inserted by a transaction") {
    REQUIRE((*txn)->Commit().ok());
    CheckEveryShape(all,
                    [&](const QuadPattern& p) { return (*db2)->Match(p); });
    auto problems = (*db2)->Check();
    REQUIRE(problems.ok());
    CHECK(problems->empty());
  }
}

// Keys of the three graph-first indexes in the default graph's range.
size_t DefaultGraphKeysInGraphFirstIndexes(Store* store) {
  auto view = store->NewReadView();
  const auto [first, end] = Store::DefaultGraphFirstRange();
  size_t n = 0;
  for (Permutation perm :
       {Permutation::kGSPO, Permutation::kGPOS, Permutation::kGOSP}) {
    for (auto it = view->ScanRange(perm, first, end); it->Valid(); it->Next())
      ++n;
  }
  return n;
}

std::string DumpOf(const Database& db, RdfFormat format) {
  std::ostringstream out;
  REQUIRE(db.Dump(out, format).ok());
  return out.str();
}

TEST_CASE("graph-first indexes hold only named graphs, a kgstore-2 store is "
          "read as it is and upgraded when opened for writing",
          "[database][format]") {
  TempDir dir;
  const std::string path = dir.file("store");
  std::vector<std::string> lines;
  std::string trig;
  {
    auto db = StoreFromTrig(dir, kData);
    REQUIRE(db.ok());
    Store* store = testing::StoreOf(**db);
    CHECK(DefaultGraphKeysInGraphFirstIndexes(store) == 0);
    // 5 quads in named graphs, each once in GSPO, GPOS and GOSP.
    auto view = store->NewReadView();
    size_t gspo = 0;
    for (auto it = view->ScanIndex(Permutation::kGSPO); it->Valid(); it->Next())
      ++gspo;
    CHECK(gspo == 5);
    {
      auto txn = (*db)->BeginTransaction();
      REQUIRE(txn.ok());
      REQUIRE((*txn)->Insert({Term::Iri("urn:a"), Term::Iri("urn:p"),
                              Term::Literal("in the default graph"), {}})
                  .ok());
      REQUIRE((*txn)->Commit().ok());
    }
    CHECK(DefaultGraphKeysInGraphFirstIndexes(store) == 0);
    lines = Lines(*(*db)->Match({}));
    trig = DumpOf(**db, RdfFormat::kTriG);
    // Make it a kgstore-2 store: the default graph's quads in the
    // graph-first indexes too, and the old marker.
    auto batch = store->kv()->NewBatch(/*readable=*/false);
    view = store->NewReadView();
    for (auto it = view->Scan(QuadIds{}, 8); it->Valid(); it->Next()) {
      for (Permutation perm :
           {Permutation::kGSPO, Permutation::kGPOS, Permutation::kGOSP}) {
        std::string key;
        EncodeQuadKey(perm, it->quad(), &key);
        REQUIRE(batch->Put(IndexSpace(perm), key, "").ok());
      }
    }
    REQUIRE(batch->Put(KeySpace::kMeta, "format", "kgstore-2").ok());
    REQUIRE(store->kv()->Write(*batch, /*sync=*/false).ok());
    CHECK(DefaultGraphKeysInGraphFirstIndexes(store) == 3 * 9);
  }
  {
    OpenOptions ro;
    ro.read_only = true;
    auto db = Database::Open(path, ro);
    REQUIRE(db.ok());
    CHECK(testing::StoreOf(**db)->graph_first_has_default());
    CHECK(DefaultGraphKeysInGraphFirstIndexes(testing::StoreOf(**db)) == 3 * 9);
    CHECK(Lines(*(*db)->Match({})) == lines);
    QuadPattern in_default;
    in_default.graph = GraphSelector::Default();
    CHECK(Lines(*(*db)->Match(in_default)).size() == 9);
    CHECK(DumpOf(**db, RdfFormat::kTriG) == trig);
    auto problems = (*db)->Check();
    REQUIRE(problems.ok());
    CHECK(problems->empty());
  }
  {
    auto db = Database::Open(path, {});
    REQUIRE(db.ok());
    Store* store = testing::StoreOf(**db);
    CHECK_FALSE(store->graph_first_has_default());
    CHECK(DefaultGraphKeysInGraphFirstIndexes(store) == 0);
    std::string format;
    auto found = store->kv()->Get(nullptr, KeySpace::kMeta, "format", &format);
    REQUIRE(found.ok());
    REQUIRE(*found);
    CHECK(format == "kgstore-4");  // kgstore-3, and the block families
    CHECK(Lines(*(*db)->Match({})) == lines);
    CHECK(DumpOf(**db, RdfFormat::kTriG) == trig);
    auto problems = (*db)->Check();
    REQUIRE(problems.ok());
    CHECK(problems->empty());
    // In a kgstore-3 store, a default-graph key there is damage.
    auto view = store->NewReadView();
    auto it = view->Scan(QuadIds{}, 8);
    REQUIRE(it->Valid());
    std::string key;
    EncodeQuadKey(Permutation::kGPOS, it->quad(), &key);
    auto batch = store->kv()->NewBatch(/*readable=*/false);
    REQUIRE(batch->Put(KeySpace::kGpos, key, "").ok());
    REQUIRE(store->kv()->Write(*batch, /*sync=*/false).ok());
    problems = (*db)->Check();
    REQUIRE(problems.ok());
    REQUIRE_FALSE(problems->empty());
    CHECK((*problems)[0].find("gpos holds quads of the default graph") !=
          std::string::npos);
  }
}

TEST_CASE("a pattern with an unknown term matches nothing", "[database]") {
  TempDir dir;
  auto db = StoreFromTrig(dir, kData);
  REQUIRE(db.ok());
  QuadPattern p;
  p.subject = Term::Iri("https://nowhere.example/x");
  auto c = (*db)->Match(p);
  CHECK_FALSE(c->Valid());
  CHECK(c->status().ok());
}

TEST_CASE("transactions commit atomically, abort leaves nothing",
          "[database][transaction]") {
  TempDir dir;
  auto db = Database::Open(dir.file("store"), {});
  REQUIRE(db.ok());
  Quad a{Term::Iri("urn:a"), Term::Iri("urn:p"), Term::Literal("x"), {}};
  Quad b{Term::Iri("urn:b"), Term::Iri("urn:p"), Term::Iri("urn:a"),
         Term::Iri("urn:g")};
  {
    auto txn = (*db)->BeginTransaction();
    REQUIRE(txn.ok());
    REQUIRE((*txn)->Insert(a).ok());
    REQUIRE((*txn)->Insert(b).ok());
    REQUIRE((*txn)->Insert(b).ok());  // again: no-op
    // The transaction reads its own writes; others do not see them yet.
    CHECK(Lines(*(*txn)->Match({})).size() == 2);
    CHECK(AllQuads(**db).empty());
    // Destroyed without commit: aborted.
  }
  CHECK(AllQuads(**db).empty());
  CHECK((*db)->Statistics().quads == 0);
  {
    auto txn = (*db)->BeginTransaction();
    REQUIRE(txn.ok());
    REQUIRE((*txn)->Insert(a).ok());
    REQUIRE((*txn)->Insert(b).ok());
    (*txn)->Abort();
    CHECK_FALSE((*txn)->Insert(a).ok());  // finished
  }
  CHECK(AllQuads(**db).empty());
  {
    auto txn = (*db)->BeginTransaction();
    REQUIRE((*txn)->Insert(a).ok());
    REQUIRE((*txn)->Insert(b).ok());
    REQUIRE((*txn)->Commit().ok());
    CHECK_FALSE((*txn)->Commit().ok());
  }
  CHECK(AllQuads(**db).size() == 2);
  DatabaseStatistics stats = (*db)->Statistics();
  CHECK(stats.quads == 2);
  REQUIRE(stats.predicates.size() == 1);
  CHECK(stats.predicates[0].quads == 2);
  CHECK(stats.predicates[0].distinct_subjects == 2);
  CHECK(stats.predicates[0].distinct_objects == 2);
  auto problems = (*db)->Check();
  REQUIRE(problems.ok());
  CHECK(problems->empty());

  // Removing removes everywhere, statistics included.
  {
    auto txn = (*db)->BeginTransaction();
    REQUIRE((*txn)->Remove(b).ok());
    REQUIRE((*txn)->Remove(b).ok());  // absent now: no-op
    REQUIRE((*txn)->Commit().ok());
  }
  for (unsigned mask = 0; mask < 16; ++mask) {
    QuadPattern p;
    if (mask & 1) p.subject = b.subject;
    if (mask & 2) p.predicate = b.predicate;
    if (mask & 4) p.object = b.object;
    if (mask & 8) p.graph = GraphSelector::Named(*b.graph);
    for (auto c = (*db)->Match(p); c->Valid(); c->Next())
      CHECK_FALSE(c->quad() == b);
  }
  stats = (*db)->Statistics();
  CHECK(stats.quads == 1);
  CHECK(stats.predicates[0].distinct_subjects == 1);
  CHECK(stats.graphs.size() == 1);
  problems = (*db)->Check();
  REQUIRE(problems.ok());
  CHECK(problems->empty());
}

TEST_CASE("blank nodes: labels are scoped to a transaction, store labels "
          "round-trip",
          "[database][transaction]") {
  TempDir dir;
  auto db = Database::Open(dir.file("store"), {});
  REQUIRE(db.ok());
  auto txn = (*db)->BeginTransaction();
  Quad q{Term::BlankNode("x"), Term::Iri("urn:p"), Term::BlankNode("x"), {}};
  REQUIRE((*txn)->Insert(q).ok());
  REQUIRE((*txn)->Commit().ok());
  auto all = AllQuads(**db);
  REQUIRE(all.size() == 1);
  CHECK(all[0].subject == all[0].object);  // same label, same node
  // Passing the store's label back refers to the stored node.
  auto txn2 = (*db)->BeginTransaction();
  REQUIRE((*txn2)->Remove(all[0]).ok());
  REQUIRE((*txn2)->Commit().ok());
  CHECK(AllQuads(**db).empty());
}

TEST_CASE("a reader's snapshot is stable while a writer commits",
          "[database][transaction]") {
  TempDir dir;
  auto db = Database::Open(dir.file("store"), OpenOptions{.durable_commits = false});
  REQUIRE(db.ok());
  std::atomic<bool> done{false};
  // Catch2 assertions are not thread-safe: the writer records failures.
  std::atomic<int> writer_errors{0};
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      auto txn = (*db)->BeginTransaction();
      if (!txn.ok()) {
        ++writer_errors;
        break;
      }
      // Each commit adds two quads, so a consistent reader sees an even count.
      Quad q1{Term::Iri("urn:s" + std::to_string(i)), Term::Iri("urn:p"),
              Term::Literal(std::to_string(i)), {}};
      Quad q2{Term::Iri("urn:s" + std::to_string(i)), Term::Iri("urn:q"),
              Term::Literal(std::to_string(i)), {}};
      if (!(*txn)->Insert(q1).ok() || !(*txn)->Insert(q2).ok() ||
          !(*txn)->Commit().ok())
        ++writer_errors;
    }
    done = true;
  });
  int checks = 0;
  while (!done || checks < 5) {
    auto cursor = (*db)->Match({});
    size_t n = 0;
    for (; cursor->Valid(); cursor->Next()) {
      ++n;
      if (n == 3) std::this_thread::yield();  // let the writer commit midway
    }
    REQUIRE(cursor->status().ok());
    REQUIRE(n % 2 == 0);
    ++checks;
  }
  writer.join();
  CHECK(writer_errors == 0);
  CHECK(AllQuads(**db).size() == 400);
  auto problems = (*db)->Check();
  REQUIRE(problems.ok());
  CHECK(problems->empty());
}

TEST_CASE("data and statistics survive close and reopen", "[database]") {
  TempDir dir;
  DatabaseStatistics before;
  std::vector<std::string> quads;
  {
    auto db = StoreFromTrig(dir, kData);
    REQUIRE(db.ok());
    before = (*db)->Statistics();
    quads = Lines(*(*db)->Match({}));
  }
  auto db = Database::Open(dir.file("store"), {.create_if_missing = false});
  REQUIRE(db.ok());
  CHECK(Lines(*(*db)->Match({})) == quads);
  DatabaseStatistics after = (*db)->Statistics();
  CHECK(after.quads == before.quads);
  CHECK(after.predicates.size() == before.predicates.size());
  auto problems = (*db)->Check();
  REQUIRE(problems.ok());
  CHECK(problems->empty());
}

TEST_CASE("open errors are clear", "[database]") {
  TempDir dir;
  auto missing =
      Database::Open(dir.file("nope"), {.create_if_missing = false});
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
  CHECK(std::string(missing.status().message()).find("no kgstore store") !=
        std::string::npos);

  auto db = Database::Open(dir.file("store"), {});
  REQUIRE(db.ok());
  auto second = Database::Open(dir.file("store"), {});
  CHECK(second.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(std::string(second.status().message()).find("in use") !=
        std::string::npos);

  // Read-only opens share the store; writes through them fail.
  auto ro = Database::Open(dir.file("store"), {.read_only = true});
  REQUIRE(ro.ok());
  CHECK((*ro)->BeginTransaction().status().code() ==
        absl::StatusCode::kFailedPrecondition);

  std::ofstream(dir.file("plain")) << "x";
  CHECK(Database::Open(dir.file("plain"), {}).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  std::filesystem::create_directories(dir.file("other"));
  std::ofstream(dir.file("other/file.txt")) << "x";
  CHECK(Database::Open(dir.file("other"), {}).status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("a failed load commits nothing, --skip-bad loads the rest",
          "[database][load]") {
  TempDir dir;
  auto db = Database::Open(dir.file("store"), {});
  REQUIRE(db.ok());
  std::filesystem::create_directories(dir.path());
  std::string good = dir.file("good.nt");
  std::string bad = dir.file("bad.nt");
  std::ofstream(good) << "<urn:a> <urn:p> <urn:b> .\n";
  std::ofstream(bad) << "<urn:c> <urn:p> <urn:d> .\n"
                        "<urn:e> <urn:p> .\n"
                        "<urn:f> <urn:p> <urn:g> .\n";
  // Two files in one load: the error in the second undoes the first.
  auto r = (*db)->LoadFiles({good, bad}, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(r.status().message()).find(bad + ":2:") !=
        std::string::npos);
  CHECK((*db)->Statistics().quads == 0);
  CHECK(AllQuads(**db).empty());

  std::vector<ParseError> errors;
  LoadOptions lo;
  lo.skip_bad = true;
  lo.on_error = [&](const ParseError& e) { errors.push_back(e); };
  r = (*db)->LoadFile(bad, lo);
  REQUIRE(r.ok());
  CHECK(r->quads_added == 2);
  CHECK(r->bad_statements == 1);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line == 2);

  CHECK((*db)->LoadFile(dir.file("absent.nt"), {}).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK((*db)->LoadFile(dir.file("data.xyz"), {}).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("loading into a non-empty store merges and deduplicates",
          "[database][load]") {
  TempDir dir;
  auto db = StoreFromTrig(dir, kData);
  REQUIRE(db.ok());
  uint64_t before = (*db)->Statistics().quads;
  std::istringstream more(
      "<https://kgstore.example/id/vassilenko> "
      "<https://kgstore.example/vocab#metWith> "
      "<https://kgstore.example/id/lupu> .\n"  // already there
      "<https://kgstore.example/id/vassilenko> "
      "<https://kgstore.example/vocab#metWith> "
      "<https://kgstore.example/id/landsbergis> .\n");
  LoadOptions lo;
  lo.format = RdfFormat::kNTriples;
  auto r = (*db)->LoadStream(more, lo);
  REQUIRE(r.ok());
  CHECK(r->quads_added == 1);
  CHECK(r->duplicates == 1);
  CHECK((*db)->Statistics().quads == before + 1);
  auto problems = (*db)->Check();
  REQUIRE(problems.ok());
  CHECK(problems->empty());
}

TEST_CASE("dump and reload give the same dataset", "[database][dump]") {
  TempDir dir;
  auto db = StoreFromTrig(dir, kData);
  REQUIRE(db.ok());
  for (RdfFormat format : {RdfFormat::kNQuads, RdfFormat::kTriG}) {
    std::ostringstream out;
    REQUIRE((*db)->Dump(out, format).ok());
    TempDir dir2;
    auto db2 = Database::Open(dir2.file("store"), {});
    REQUIRE(db2.ok());
    std::istringstream in(out.str());
    LoadOptions lo;
    lo.format = format;
    REQUIRE((*db2)->LoadStream(in, lo).ok());
    CHECK(Lines(*(*db2)->Match({})) == Lines(*(*db)->Match({})));
  }
  // Triple formats write the union of the graphs, each triple once.
  std::ostringstream nt;
  REQUIRE((*db)->Dump(nt, RdfFormat::kNTriples).ok());
  std::string text = nt.str();
  CHECK(std::count(text.begin(), text.end(), '\n') == 10);
}

TEST_CASE("check finds an index that lost a quad", "[database][check]") {
  TempDir dir;
  auto db = StoreFromTrig(dir, kData);
  REQUIRE(db.ok());
  // Damage the store behind the API's back: drop one key from POSG.
  Store* store = testing::StoreOf(**db);
  auto view = store->NewReadView();
  auto it = view->ScanIndex(Permutation::kPOSG);
  REQUIRE(it->Valid());
  std::string key;
  EncodeQuadKey(Permutation::kPOSG, it->quad(), &key);
  auto batch = store->kv()->NewBatch(/*readable=*/false);
  REQUIRE(batch->Delete(KeySpace::kPosg, key).ok());
  REQUIRE(store->kv()->Write(*batch, /*sync=*/false).ok());
  auto problems = (*db)->Check();
  REQUIRE(problems.ok());
  REQUIRE_FALSE(problems->empty());
  CHECK((*problems)[0].find("posg") != std::string::npos);
}

TEST_CASE("ResolveMany answers as Resolve does one id at a time",
          "[database][dictionary]") {
  TempDir dir;
  OpenOptions no_cache;
  no_cache.term_cache_bytes = 0;  // every dictionary id read from the store
  auto db = StoreFromTrig(dir, kData, no_cache);
  REQUIRE(db.ok());
  Store* store = testing::StoreOf(**db);
  auto view = store->NewReadView();
  // Every id of every quad (dictionary, inline, blank, the default graph),
  // in index order, then again reversed: repeats, descending runs.
  std::vector<TermId> ids;
  for (auto it = view->ScanIndex(Permutation::kSPOG); it->Valid(); it->Next())
    for (int i = 0; i < 4; ++i)
      if (it->quad().at(i) != kDefaultGraph) ids.push_back(it->quad().at(i));
  REQUIRE(ids.size() > 20);
  ids.insert(ids.end(), ids.rbegin(), ids.rend());
  std::vector<Term> many;
  REQUIRE(view->ResolveMany(ids, &many).ok());
  REQUIRE(many.size() == ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto one = view->Resolve(ids[i]);
    REQUIRE(one.ok());
    CHECK(many[i] == *one);
  }
  // An id the store never handed out: NotFound, as Resolve says.
  const TermId unknown = MakeId(TermTag::kIri, store->next_id() + 5);
  std::vector<TermId> with_unknown = {ids[0], unknown, ids[1]};
  CHECK(absl::IsNotFound(view->ResolveMany(with_unknown, &many)));
  CHECK(absl::IsNotFound(view->Resolve(unknown).status()));
  // A dictionary entry gone from under an index: DataLoss.
  TermId victim = 0;
  for (TermId id : ids)
    if (!IsInline(id) && TagOf(id) == TermTag::kIri) victim = id;
  REQUIRE(victim != 0);
  char buf[kMaxEncodedIdSize];
  auto batch = store->kv()->NewBatch(/*readable=*/false);
  REQUIRE(batch->Delete(KeySpace::kId2Term,
                        std::string_view(buf, EncodeId(victim, buf)))
              .ok());
  REQUIRE(store->kv()->Write(*batch, /*sync=*/false).ok());
  auto after = store->NewReadView();
  CHECK(absl::IsDataLoss(after->ResolveMany(ids, &many)));
  CHECK(absl::IsDataLoss(after->Resolve(victim).status()));
}

TEST_CASE("rows of large literals come back whole across decoding batches",
          "[database][dictionary]") {
  // 40 literals of 300 KB: a batch's terms pass 4 MiB, so the batches
  // shrink to about a dozen rows; every row must still come back, whole
  // and in order.
  TempDir dir;
  auto db = Database::Open(dir.file("store"), OpenOptions{});
  REQUIRE(db.ok());
  {
    auto txn = (*db)->BeginTransaction();
    REQUIRE(txn.ok());
    for (int i = 0; i < 40; ++i)
      REQUIRE((*txn)->Insert({Term::Iri("urn:s" + std::to_string(100 + i)),
                              Term::Iri("urn:text"),
                              Term::Literal(std::string(300000, 'a' + i % 26) +
                                            std::to_string(i)),
                              {}})
                  .ok());
    REQUIRE((*txn)->Commit().ok());
  }
  auto result = (*db)->Query("SELECT ?s ?t WHERE { ?s <urn:text> ?t } ORDER BY ?s");
  REQUIRE(result.ok());
  Row row;
  int n = 0;
  while (true) {
    auto more = (*result)->NextRow(&row);
    REQUIRE(more.ok());
    if (!*more) break;
    REQUIRE(row.size() == 2);
    REQUIRE(row[0].has_value());
    REQUIRE(row[1].has_value());
    CHECK(row[0]->lexical == "urn:s" + std::to_string(100 + n));
    CHECK(row[1]->lexical ==
          std::string(300000, 'a' + n % 26) + std::to_string(n));
    ++n;
  }
  CHECK(n == 40);
}

}  // namespace
}  // namespace kg
