// A C++ host program that embeds kgstore: open a store, load the seed
// example, add and remove facts in a transaction, list who met whom, and ask
// who is within two metWith hops of the Romanian ambassador.
//
//   embed_example STORE_DIR SEED_TRIG
//
// Built out of the source tree against an installed kgstore with CMake
// (this folder's CMakeLists.txt: find_package(kgstore CONFIG REQUIRED)).
// Prints each meeting edge as "subject metWith object", then the path
// query's rows, and exits 0; any error is printed with its status and
// exits 1.

#include <iostream>

#include <kgstore/database.h>

namespace {

constexpr char kVocab[] = "https://kgstore.example/vocab#";

int Fail(const absl::Status& status) {
  std::cerr << "embed_example: " << status << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: embed_example STORE_DIR SEED_TRIG\n";
    return 2;
  }
  // 1. Open (or create) the store.
  auto db = kg::Database::Open(argv[1], kg::OpenOptions{});
  if (!db.ok()) return Fail(db.status());

  // 2. Load the seed example (all or nothing; loading twice adds nothing).
  auto loaded = (*db)->LoadFile(argv[2], kg::LoadOptions{});
  if (!loaded.ok()) return Fail(loaded.status());
  std::cout << "loaded " << loaded->statements << " statements, "
            << loaded->quads_added << " new quads\n";

  // 3. A transaction: add a fact, then take it back, atomically.
  {
    auto txn = (*db)->BeginTransaction();
    if (!txn.ok()) return Fail(txn.status());
    kg::Quad note{kg::Term::Iri("https://kgstore.example/id/embed-note"),
                  kg::Term::Iri("http://www.w3.org/2000/01/rdf-schema#comment"),
                  kg::Term::Literal("written by the embedding example"),
                  std::nullopt};
    if (auto s = (*txn)->Insert(note); !s.ok()) return Fail(s);
    if (auto s = (*txn)->Commit(); !s.ok()) return Fail(s);
    auto undo = (*db)->BeginTransaction();
    if (!undo.ok()) return Fail(undo.status());
    if (auto s = (*undo)->Remove(note); !s.ok()) return Fail(s);
    if (auto s = (*undo)->Commit(); !s.ok()) return Fail(s);
  }

  // 4. Match a pattern through a lazy cursor: every metWith edge.
  kg::QuadPattern pattern;
  pattern.predicate = kg::Term::Iri(std::string(kVocab) + "metWith");
  int edges = 0;
  auto cursor = (*db)->Match(pattern);
  for (; cursor->Valid(); cursor->Next()) {
    const kg::Quad& q = cursor->quad();
    std::cout << q.subject.lexical << " metWith " << q.object.lexical << "\n";
    ++edges;
  }
  if (!cursor->status().ok()) return Fail(cursor->status());
  std::cout << edges << " metWith edges; store holds "
            << (*db)->Statistics().quads << " quads\n";

  // 5. A query with a property path; rows stream as they are read.
  auto result = (*db)->Query(
      "PREFIX kg: <https://kgstore.example/vocab#>\n"
      "PREFIX ex: <https://kgstore.example/id/>\n"
      "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
      "SELECT DISTINCT ?person ?name WHERE {\n"
      "  ex:madalina-lupu kg:metWith/kg:metWith ?person .\n"
      "  ?person rdfs:label ?name .\n"
      "} ORDER BY ?name");
  if (!result.ok()) return Fail(result.status());
  kg::Row row;
  int people = 0;
  for (;;) {
    auto more = (*result)->NextRow(&row);
    if (!more.ok()) return Fail(more.status());
    if (!*more) break;
    std::cout << row[0]->lexical << "  " << row[1]->lexical << "\n";
    ++people;
  }
  std::cout << people << " people within two metWith hops\n";
  return 0;
}
