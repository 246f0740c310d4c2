// Reusable pieces of the W3C conformance runners: reading test manifests
// (Turtle, parsed with our own reader) in place, loading test data files,
// and comparing RDF datasets up to blank-node renaming.
//
// The RDF runner (tests/rdf_conformance_test.cc) uses all of it; a SPARQL
// runner can reuse ReadManifest/Graph for its manifests and IsIsomorphic
// for CONSTRUCT and update results.

#ifndef KGSTORE_TESTS_CONFORMANCE_MANIFEST_H_
#define KGSTORE_TESTS_CONFORMANCE_MANIFEST_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "storage/rdf/rdf_format.h"
#include "storage/rdf/term.h"

namespace kg::conformance {

inline constexpr std::string_view kMf =
    "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
inline constexpr std::string_view kRdft = "http://www.w3.org/ns/rdftest#";
inline constexpr std::string_view kQt =
    "http://www.w3.org/2001/sw/DataAccess/tests/test-query#";
inline constexpr std::string_view kUt =
    "http://www.w3.org/2009/sparql/tests/test-update#";
inline constexpr std::string_view kRdfs =
    "http://www.w3.org/2000/01/rdf-schema#";

// A small in-memory graph with a subject index, for walking manifests.
class Graph {
 public:
  Graph() = default;
  explicit Graph(std::vector<Quad> quads);

  const std::vector<Quad>& quads() const { return quads_; }
  // Objects of (subject, predicate IRI, ?o), in document order.
  std::vector<Term> Objects(const Term& subject,
                            std::string_view predicate) const;
  // The first such object, if any.
  std::optional<Term> Object(const Term& subject,
                             std::string_view predicate) const;
  // The members of the RDF list starting at `head` (rdf:first/rdf:rest).
  std::vector<Term> List(const Term& head) const;

 private:
  std::vector<Quad> quads_;
  absl::flat_hash_map<std::string, std::vector<size_t>> by_subject_;
};

// Reads a whole RDF file (any format) into memory.
absl::StatusOr<std::vector<Quad>> ReadRdfFile(const std::string& path,
                                              RdfFormat format,
                                              const std::string& base_iri);

// "file:///a/b" -> "/a/b"; other IRIs are returned unchanged.
std::string FileIriToPath(std::string_view iri);
// "/a/b" -> "file:///a/b" (the path made absolute and canonical first).
std::string PathToFileIri(const std::string& path);

struct TestEntry {
  Term node;                   // the test's IRI (or blank node)
  std::string type;            // full IRI of its rdf:type
  std::string type_local;      // the part after '#'
  std::string name;            // mf:name
  std::string comment;         // rdfs:comment
  std::optional<Term> action;  // mf:action
  std::optional<Term> result;  // mf:result
};

struct Manifest {
  std::string path;                   // the manifest file, canonical
  std::string iri;                    // its file: IRI, the base used to read it
  std::string assumed_test_base;      // mf:assumedTestBase, or empty
  Graph graph;                        // every triple of the manifest
  std::vector<TestEntry> entries;     // mf:entries, in order
  std::vector<std::string> includes;  // mf:include, as file paths

  // The base IRI a test file should be parsed with: assumedTestBase plus
  // the file name when the manifest gives one, else the file's own IRI.
  std::string BaseFor(std::string_view file_iri) const;
};

absl::StatusOr<Manifest> ReadManifest(const std::string& path);

// True when `a` and `b` hold the same quads up to a bijective renaming of
// blank nodes (duplicates ignored: datasets are sets). On false, *why (if
// given) says what differs.
bool IsIsomorphic(const std::vector<Quad>& a, const std::vector<Quad>& b,
                  std::string* why = nullptr);

}  // namespace kg::conformance

#endif  // KGSTORE_TESTS_CONFORMANCE_MANIFEST_H_
