// The in-memory adjacency answers every pattern shape with P bound exactly
// as the RocksDB indexes do (same quads, same order), with named graphs and
// a triple stated in several graphs; and the cache's demand rule, budget
// and staleness.

#include "storage/predicate_adjacency.h"

#include <catch2/catch.hpp>
#include <random>

#include "storage/store.h"
#include "tests/util/test_store.h"

namespace kg {
namespace {

TEST_CASE("adjacency scans equal index scans for every shape with P bound",
          "[storage][adjacency]") {
  testing::TempDir dir;
  StoreOptions so;
  so.adjacency_cache_bytes = 0;  // every view->Scan goes to RocksDB
  auto store = Store::Open(dir.file("s"), so);
  REQUIRE(store.ok());
  std::mt19937 rng(7);
  std::vector<TermId> nodes, preds, graphs{kDefaultGraph};
  {
    auto txn = (*store)->BeginWrite();
    REQUIRE(txn.ok());
    for (int i = 0; i < 40; ++i)
      nodes.push_back(*(*txn)->Intern(
          Term::Iri("https://kgstore.example/id/n" + std::to_string(i))));
    nodes.push_back(
        *(*txn)->Intern(Term::Literal("42", std::string(kXsdInteger))));
    for (int i = 0; i < 3; ++i)
      preds.push_back(*(*txn)->Intern(
          Term::Iri("https://kgstore.example/vocab#p" + std::to_string(i))));
    for (int i = 0; i < 2; ++i)
      graphs.push_back(*(*txn)->Intern(
          Term::Iri("https://kgstore.example/g" + std::to_string(i))));
    for (int i = 0; i < 600; ++i) {
      QuadIds q;
      q.s = nodes[rng() % 30];
      q.p = preds[rng() % (i < 300 ? 3 : 2)];  // p2 only in the first half
      q.o = nodes[rng() % nodes.size()];
      // p0 only in the default graph; the others also in named graphs,
      // some triples in several.
      q.g = q.p == preds[0] ? kDefaultGraph : graphs[rng() % graphs.size()];
      REQUIRE((*txn)->Insert(q).ok());
      if (q.p != preds[0] && rng() % 4 == 0) {
        q.g = graphs[rng() % graphs.size()];
        REQUIRE((*txn)->Insert(q).ok());
      }
    }
    REQUIRE((*txn)->Commit().ok());
  }
  auto view = (*store)->NewReadView();
  for (TermId p : preds) {
    QuadIds only_p;
    only_p.p = p;
    auto posg = view->Scan(only_p, 2);
    auto built = PredicateAdjacency::Build(p, *posg);
    REQUIRE(built.ok());
    std::shared_ptr<const PredicateAdjacency> adj = *built;
    CHECK(adj->default_graph_only() == (p == preds[0]));
    CHECK(adj->bytes() > 0);
    uint64_t total = 0;
    for (TermId s : nodes)
      for (TermId o : nodes) {
        for (unsigned mask : {2u, 3u, 6u, 7u, 10u, 11u, 14u, 15u}) {
          for (TermId g : graphs) {
            if (!(mask & 8) && g != kDefaultGraph) continue;
            QuadIds pat;
            pat.s = s;
            pat.p = p;
            pat.o = o;
            pat.g = g;
            if ((mask & 1) == 0 && s != nodes[0]) continue;  // S unused
            if ((mask & 4) == 0 && o != nodes[0]) continue;  // O unused
            auto want = view->Scan(pat, mask);
            auto got = PredicateAdjacency::Scan(adj, pat, mask);
            auto w = testing::DrainQuads(*want), h = testing::DrainQuads(*got);
            INFO("mask " << mask);
            REQUIRE(w == h);
            if (mask == 2) total = h.size();
          }
        }
        // Neighbour lists: the other ends, ascending.
        auto out = adj->Neighbors(true, s);
        CHECK(std::is_sorted(out.begin(), out.end()));
      }
    CHECK(total == adj->quads());
  }
}

TEST_CASE(
    "the store builds an adjacency once demand pays for it, and a "
    "commit makes it stale",
    "[storage][adjacency]") {
  testing::TempDir dir;
  auto store = Store::Open(dir.file("s"), StoreOptions{});
  REQUIRE(store.ok());
  TermId p, a, b, c;
  {
    auto txn = (*store)->BeginWrite();
    REQUIRE(txn.ok());
    p = *(*txn)->Intern(Term::Iri("https://kgstore.example/vocab#metWith"));
    a = *(*txn)->Intern(Term::Iri("https://kgstore.example/id/a"));
    b = *(*txn)->Intern(Term::Iri("https://kgstore.example/id/b"));
    c = *(*txn)->Intern(Term::Iri("https://kgstore.example/id/c"));
    REQUIRE((*txn)->Insert({a, p, b, kDefaultGraph}).ok());
    REQUIRE((*txn)->Commit().ok());
  }
  AdjacencyCache* cache = (*store)->adjacency_cache();
  QuadIds pat;
  pat.s = a;
  pat.p = p;
  {
    auto view = (*store)->NewReadView();
    CHECK(view->AdjacencyFor(p, 3) == nullptr);  // no demand yet
    for (int i = 0; i < 3; ++i)
      CHECK(testing::DrainQuads(*view->Scan(pat, 3)).size() == 1);
    REQUIRE(view->AdjacencyFor(p, 3) != nullptr);  // 3 seeks > 1 quad's build
    CHECK(cache->builds() == 1);
    CHECK(cache->bytes() > 0);
  }
  {
    auto txn = (*store)->BeginWrite();
    REQUIRE(txn.ok());
    REQUIRE((*txn)->Insert({a, p, c, kDefaultGraph}).ok());
    REQUIRE((*txn)->Commit().ok());
  }
  auto view = (*store)->NewReadView();
  CHECK(view->AdjacencyFor(p, 3) == nullptr);  // stale, demand reset
  CHECK(testing::DrainQuads(*view->Scan(pat, 3)).size() == 2);
  for (int i = 0; i < 3; ++i) testing::DrainQuads(*view->Scan(pat, 3));
  auto adj = view->AdjacencyFor(p, 3);
  REQUIRE(adj != nullptr);
  CHECK(adj->quads() == 2);
  CHECK(testing::DrainQuads(*view->Scan(pat, 3)).size() == 2);
}

TEST_CASE(
    "a forecast that the query pays for the build builds the adjacency at "
    "a quarter of the demand",
    "[storage][adjacency]") {
  testing::TempDir dir;
  auto store = Store::Open(dir.file("s"), StoreOptions{});
  REQUIRE(store.ok());
  TermId p, a, c;
  constexpr int kQuads = 400;
  {
    auto txn = (*store)->BeginWrite();
    REQUIRE(txn.ok());
    p = *(*txn)->Intern(Term::Iri("https://kgstore.example/vocab#label"));
    a = *(*txn)->Intern(Term::Iri("https://kgstore.example/id/a"));
    c = *(*txn)->Intern(Term::Iri("https://kgstore.example/id/c"));
    REQUIRE((*txn)->Insert({c, p, a, kDefaultGraph}).ok());
    for (int i = 1; i < kQuads; ++i)
      REQUIRE((*txn)->Insert({a, p, MakeId(TermTag::kInlineInteger, i),
                              kDefaultGraph})
                  .ok());
    REQUIRE((*txn)->Commit().ok());
  }
  const double build_ns = ReadView::kBuildNsPerQuad * kQuads;
  const double probe_ns = ReadView::kSeekNs + ReadView::kRowNs;  // one row
  // Probes worth half the build: past the trusted share, short of all.
  const int probes = static_cast<int>(0.5 * build_ns / probe_ns) + 1;
  REQUIRE(probes * probe_ns > ReadView::kTrustedShare * build_ns);
  REQUIRE(probes * probe_ns < build_ns);
  QuadIds pat;
  pat.s = c;
  pat.p = p;
  auto view = (*store)->NewReadView();
  for (int i = 0; i < probes; ++i)
    REQUIRE(testing::DrainQuads(*view->Scan(pat, 3)).size() == 1);
  CHECK(view->AdjacencyFor(p, 3) == nullptr);
  // A forecast below the build's cost changes nothing.
  CHECK(view->AdjacencyForProbes(p, 3, 1, 1) == nullptr);
  // One above it: built now.
  auto adj = view->AdjacencyForProbes(p, 3, 2 * build_ns / probe_ns,
                                      2 * build_ns / probe_ns);
  REQUIRE(adj != nullptr);
  CHECK(adj->quads() == kQuads);
  CHECK((*store)->adjacency_cache()->builds() == 1);
}

TEST_CASE(
    "Contains answers membership like the index, with and without "
    "a bitmap",
    "[storage][adjacency]") {
  testing::TempDir dir;
  StoreOptions so;
  so.adjacency_cache_bytes = 0;  // view->Scan goes to the indexes
  auto store = Store::Open(dir.file("s"), so);
  REQUIRE(store.ok());
  std::mt19937 rng(17);
  TermId type, big, small, literal, g;
  std::vector<TermId> nodes;
  {
    auto txn = (*store)->BeginWrite();
    REQUIRE(txn.ok());
    type = *(*txn)->Intern(
        Term::Iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"));
    big = *(*txn)->Intern(Term::Iri("https://kgstore.example/vocab#Meeting"));
    small = *(*txn)->Intern(Term::Iri("https://kgstore.example/vocab#City"));
    g = *(*txn)->Intern(Term::Iri("https://kgstore.example/id/g"));
    literal = *(*txn)->Intern(Term::Literal("not a class"));
    for (int i = 0; i < 6000; ++i)
      nodes.push_back(*(*txn)->Intern(
          Term::Iri("https://kgstore.example/id/n" + std::to_string(i))));
    // Past the bitmap threshold (4096 subjects) for `big`, some of them
    // only in a named graph; a few for `small`; a blank node subject too.
    for (int i = 0; i < 6000; ++i) {
      if (rng() % 8 == 0) continue;
      REQUIRE((*txn)
                  ->Insert({nodes[i], type, big, rng() % 5 ? kDefaultGraph : g})
                  .ok());
      if (i % 97 == 0)
        REQUIRE((*txn)->Insert({nodes[i], type, small, kDefaultGraph}).ok());
    }
    REQUIRE((*txn)->Insert({nodes[3], type, literal, kDefaultGraph}).ok());
    REQUIRE((*txn)->Commit().ok());
  }
  auto view = (*store)->NewReadView();
  auto adj = view->BuildAdjacency(type);
  REQUIRE(adj.ok());
  for (TermId s : nodes) {
    for (TermId o : {big, small, literal, g}) {
      QuadIds pat;
      pat.s = s;
      pat.p = type;
      pat.o = o;
      const bool in_index = view->Scan(pat, 7)->Valid();
      INFO("subject " << s << " object " << o);
      CHECK((*adj)->Contains(s, o) == in_index);
    }
  }
  // Subjects the bitmap does not cover: other tags, beyond its last bit.
  CHECK_FALSE((*adj)->Contains(MakeId(TermTag::kBlankNode, 5), big));
  CHECK_FALSE((*adj)->Contains(MakeId(TermTag::kIri, 1u << 20), big));
}

TEST_CASE("an adjacency larger than the budget is never built",
          "[storage][adjacency]") {
  AdjacencyCache cache(1000);
  cache.AddDemand(5, 1e12);
  CHECK_FALSE(cache.Wanted(5, 1, 2000));
  CHECK(cache.Wanted(5, 1, 500));
  AdjacencyCache off(0);
  off.AddDemand(5, 1e12);
  CHECK_FALSE(off.NeedsBuild(5, 1));
  CHECK_FALSE(off.Wanted(5, 1, 1));
  CHECK(off.Find(5, 1) == nullptr);
}

// Quads from a vector (in posg order for Build).
class VectorIterator : public QuadIdIterator {
 public:
  explicit VectorIterator(std::vector<QuadIds> quads) : quads_(std::move(quads)) {}
  bool Valid() const override { return pos_ < quads_.size(); }
  const QuadIds& quad() const override { return quads_[pos_]; }
  void Next() override { ++pos_; }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  std::vector<QuadIds> quads_;
  size_t pos_ = 0;
};

TEST_CASE("one build of an adjacency at a time", "[storage][adjacency]") {
  // A reader that finds enough demand claims the build: while it builds,
  // other readers keep scanning and the warm-up skips the predicate,
  // instead of building the same adjacency again.
  AdjacencyCache cache(1 << 20);
  cache.AddDemand(5, 1e12);
  CHECK(cache.NeedsBuild(5, 7));
  REQUIRE(cache.Wanted(5, 1, 500));
  CHECK_FALSE(cache.Wanted(5, 1, 500));  // claimed
  CHECK_FALSE(cache.NeedsBuild(5, 7));
  cache.ResetDemand(5);  // the build failed: the claim ends with it
  CHECK(cache.NeedsBuild(5, 7));
  cache.AddDemand(5, 1e12);
  REQUIRE(cache.Wanted(5, 1, 500));
  std::vector<QuadIds> quads;
  for (int i = 0; i < 10; ++i)
    quads.push_back(QuadIds{TermId(i + 1), 5, 9, kDefaultGraph});
  VectorIterator it(quads);
  auto adj = PredicateAdjacency::Build(5, it);
  REQUIRE(adj.ok());
  cache.Insert(7, *adj);  // built: the claim ends
  CHECK_FALSE(cache.NeedsBuild(5, 7));  // cached for this sequence
  CHECK(cache.NeedsBuild(5, 8));        // a newer snapshot needs its own
  cache.AddDemand(6, 1e12);
  CHECK(cache.Wanted(6, 1, 500));  // other predicates are not affected
}


TEST_CASE("NeighborsFrom answers as Neighbors from any cursor",
          "[storage][adjacency]") {
  // Subjects 2, 4, ..., 400 (even) and objects 1000 + multiples of 3, in
  // posg order (object, then subject).
  std::vector<QuadIds> quads;
  for (TermId o = 1000; o < 1300; o += 3)
    for (TermId s = 2; s <= 400; s += 2)
      if ((s + o) % 7 == 0) quads.push_back(QuadIds{s, 5, o, kDefaultGraph});
  VectorIterator it(quads);
  auto adj = PredicateAdjacency::Build(5, it);
  REQUIRE(adj.ok());
  std::mt19937 rng(11);
  for (bool by_subject : {true, false}) {
    const TermId lo = by_subject ? 0 : 990, hi = by_subject ? 410 : 1310;
    // Keys in ascending order (the forward look), then at random (the
    // hash index), each from a cursor left by the previous lookup, and
    // from cursors that are stale or past the end.
    std::vector<TermId> keys;
    for (TermId k = lo; k <= hi; ++k) keys.push_back(k);
    for (int i = 0; i < 500; ++i) keys.push_back(lo + rng() % (hi - lo + 1));
    size_t cursor = 0;
    for (TermId k : keys) {
      const auto want = (*adj)->Neighbors(by_subject, k);
      const auto got = (*adj)->NeighborsFrom(by_subject, k, &cursor);
      REQUIRE(std::vector<TermId>(got.begin(), got.end()) ==
              std::vector<TermId>(want.begin(), want.end()));
      size_t stale = rng() % 1000;  // anywhere, even past the end
      const auto again = (*adj)->NeighborsFrom(by_subject, k, &stale);
      REQUIRE(std::vector<TermId>(again.begin(), again.end()) ==
              std::vector<TermId>(want.begin(), want.end()));
    }
  }
}

}  // namespace
}  // namespace kg
