// kgstore's public C++ API: an embedded RDF quad store.
//
//   auto db = kg::Database::Open("/data/kg", {});
//   if (!db.ok()) { std::cerr << db.status() << "\n"; return 1; }
//   auto loaded = (*db)->LoadFile("facts.trig", {});
//   kg::QuadPattern pattern;
//   pattern.predicate = kg::Term::Iri("https://kgstore.example/vocab#metWith");
//   auto cursor = (*db)->Match(pattern);
//   for (; cursor->Valid(); cursor->Next()) std::cout << cursor->quad() << "\n";
//   if (!cursor->status().ok()) ...
//
// Errors are absl::Status values; no exception crosses this API. The codes:
//   InvalidArgument      bad input: a syntax error (message starts with
//                        "file:line:column:"), an unknown format, a bad term
//   NotFound             no store at the path, or no such file
//   FailedPrecondition   the store is locked by another process, read-only,
//                        not a kgstore store, or a transaction is finished
//   DataLoss             the store is damaged (run `kg check`)
//   Unavailable          an I/O error
//   ResourceExhausted    disk full or a limit reached
//
// Thread-safety: Database is safe to share between threads. Cursors and
// Transactions are used by one thread at a time. Reads never block writers
// and see a consistent snapshot; writers are serialised: BeginTransaction
// and LoadFile/LoadStream wait while another writer is active.

#ifndef KGSTORE_ENGINE_DATABASE_H_
#define KGSTORE_ENGINE_DATABASE_H_

#include <cstdint>
#include <functional>
#include <atomic>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/query_result.h"
#include "storage/rdf/rdf_format.h"
#include "storage/rdf/term.h"

namespace kg {

class Store;
class QueryResult;
class ReadView;
class WriteTxn;
class QuadIdIterator;
namespace testing {
struct DatabaseInternals;
}

// The default of OpenOptions::adjacency_cache_bytes: a quarter of the
// memory this process may use (physical memory, or a container's cgroup
// limit or the address-space limit when lower), at least 256 MiB (256 MiB
// when none can be read). Like the buffer pools of DuckDB and Kùzu, which
// take 80%, the in-memory copies are what make repeated queries fast, and
// a quarter leaves room for the host application. (Declared in
// storage/store.h too; one definition.)
size_t DefaultAdjacencyCacheBytes();

// The default of OpenOptions::probe_cache_bytes: a sixty-fourth of the
// memory this process may use (as above), at least 32 MiB. A large store
// answers more distinct small probes than a fixed 32 MiB holds (at 100M
// triples a query over one city's 54,000 meetings found its probes evicted
// by its own later ones); the cache takes memory only as it fills.
// (Declared in storage/store.h too; one definition.)
size_t DefaultProbeCacheBytes();

class QueryCache;  // engine/query_cache.h

struct OpenOptions {
  // ---- behaviour ----
  // Create an empty store when `path` holds none. Default: true.
  bool create_if_missing = true;
  // Open for reading only: no lock is taken, so other processes may read
  // (and one may write) at the same time; writes fail with
  // FailedPrecondition. Default: false.
  bool read_only = false;
  // When true, a commit or load is on disk (fsync) before it returns; when
  // false, a power failure may lose the last commits (a process crash loses
  // nothing). Default: true.
  bool durable_commits = true;
  // ---- performance ----
  // Block cache shared by all indexes, in bytes. Default: 256 MiB.
  size_t block_cache_bytes = size_t{256} << 20;
  // Decoded terms kept in memory across queries, in bytes; 0 disables.
  // Default: 64 MiB.
  size_t term_cache_bytes = size_t{64} << 20;
  // Queries kept parsed and translated, by text (and base IRI and
  // prefixes), so that a query sent again skips the parser, as a prepared
  // statement would; texts over 16 KiB are not kept. 0 disables.
  // Default: 256.
  size_t query_cache_entries = 256;
  // In-memory copies of the quads of the predicates that queries probe
  // most (both directions, sorted), built on demand once the time spent
  // probing a predicate through the indexes reaches the time to build its
  // copy, and dropped by the next commit. In bytes; 0 disables. Default:
  // DefaultAdjacencyCacheBytes(), a quarter of usable memory. With the
  // background warm-up (below, on by default) a store's adjacencies are
  // built up to this budget soon after open, about 25 bytes per quad: set
  // it lower to keep the process smaller. See docs/STORAGE.md, "In-memory
  // adjacencies".
  size_t adjacency_cache_bytes = DefaultAdjacencyCacheBytes();
  // The answers of small index probes (a subject's or an object's few
  // quads) of predicates that have no in-memory copy yet, kept decoded so
  // that the same probe again skips RocksDB; a commit makes them stale
  // (they are never served after it, and dropped as new ones come in).
  // In bytes; 0 disables. Default: DefaultProbeCacheBytes(). See
  // docs/STORAGE.md, "Probe cache".
  size_t probe_cache_bytes = DefaultProbeCacheBytes();
  // Build those in-memory copies for every predicate that fits the budget
  // (smallest first) when the store opens, instead of on demand: for
  // read-mostly stores, where the first queries should already run at
  // full speed. Opening takes longer (about 0.2 µs per quad, on two
  // threads). Default: false.
  bool preload_adjacencies = false;
  // Build them instead on background threads at low priority, right after
  // open, without waiting for demand: Open returns at once, and queries use
  // each copy as soon as it is built (smallest predicates first). The
  // thread stops at the budget, at the first commit (which would make the
  // copies stale), or when the Database is destroyed. For processes that
  // keep a store open and query it; one-shot tools (`kg query`) turn it
  // off. Ignored with preload_adjacencies. Default: true.
  bool warm_adjacencies_in_background = true;
};

struct LoadOptions {
  // ---- behaviour ----
  // The input's format. std::nullopt: from the file extension (LoadFile);
  // required for LoadStream.
  std::optional<RdfFormat> format;
  // Base IRI for relative IRIs. Default for LoadFile: the file's "file://"
  // IRI; for LoadStream: none (relative IRIs are errors).
  std::string base_iri;
  // Triples (N-Triples, Turtle) go to this named graph instead of the
  // default graph; for N-Quads/TriG it replaces the default graph only.
  std::optional<Term> graph;
  // false (default): the first syntax error fails the load and nothing is
  // stored. true: bad statements are reported to `on_error` and skipped;
  // the good ones are loaded.
  bool skip_bad = false;
  std::function<void(const ParseError&)> on_error;
  // The longest statement the reader holds in memory, in bytes (an
  // N-Triples or N-Quads line; in Turtle and TriG, one IRI, string or
  // name): longer input fails the load with ResourceExhausted, naming the
  // line, instead of growing memory without bound. 0: no limit. Default:
  // 256 MiB (kDefaultMaxStatementBytes), so a 100 MB literal loads (a
  // literal of N bytes takes about 4 N of memory to load).
  size_t max_statement_bytes = kDefaultMaxStatementBytes;
  // Called now and then with the bytes of input read so far (for progress
  // bars). May be empty.
  std::function<void(uint64_t bytes_read, uint64_t statements)> on_progress;
  // ---- performance ----
  // Compress the loaded data with ZSTD instead of LZ4: about 30% smaller on
  // disk, a load about 10% slower. Database::Compact later rewrites
  // everything with ZSTD anyway (`kg load --compact` does both at once).
  // Default: false.
  bool compress_for_size = false;
  // Into an empty store, write the spog/posg/ospg indexes as packed blocks
  // of 64 keys (docs/STORAGE.md, "Packed blocks"): a load about 30% faster
  // and a store about 25% smaller. false writes one key per quad, as
  // loads into non-empty stores always do. Default: true.
  bool packed_blocks = true;
};

struct LoadSummary {
  uint64_t statements = 0;   // statements read from the input
  uint64_t quads_added = 0;  // new quads in the store
  uint64_t duplicates = 0;   // repeated in the input or already stored
  uint64_t bad_statements = 0;  // skipped (skip_bad only)
  uint64_t bytes_read = 0;
  double seconds = 0;
};

// Which graphs a pattern matches.
struct GraphSelector {
  enum class Kind { kAny, kDefault, kNamed };
  Kind kind = Kind::kAny;
  Term name;  // for kNamed
  static GraphSelector Any() { return {}; }
  static GraphSelector Default() { return {Kind::kDefault, {}}; }
  static GraphSelector Named(Term name) { return {Kind::kNamed, std::move(name)}; }
};

// A quad pattern: each unset position matches anything.
struct QuadPattern {
  std::optional<Term> subject;
  std::optional<Term> predicate;
  std::optional<Term> object;
  GraphSelector graph;
};

// A lazy cursor over matching quads, in the order of the index the pattern
// uses. Usage: for (; c->Valid(); c->Next()) use(c->quad()); then check
// c->status(). It reads the snapshot taken when it was created.
class QuadCursor {
 public:
  virtual ~QuadCursor() = default;
  virtual bool Valid() const = 0;
  // The current quad; valid until the next call to Next().
  virtual const Quad& quad() const = 0;
  virtual void Next() = 0;
  // OK, or the error that ended iteration (then Valid() is false).
  virtual absl::Status status() const = 0;
};

// ---- Reading by term number ----------------------------------------------
//
// Inside a store every term has a number: 64 bits, the same for equal terms,
// never given to another term while the store exists. A pass over every
// quad that needs only some terms as text (a graph export reads each quad
// three times and writes each node once) reads quads as numbers and turns
// numbers into terms only where it must. What numbers promise, and nothing
// more: 0 is the default graph (never a term); the number of every IRI and
// blank node is below that of every literal; KindOf tells a number's kind
// without a lookup. They carry no order of values.

struct NumberedQuad {
  uint64_t subject = 0, predicate = 0, object = 0;
  uint64_t graph = 0;  // 0: the default graph
};

enum class NumberedTermKind : uint8_t {
  kIri,
  kBlankNode,
  kPlainLiteral,  // a simple (xsd:string) or language-tagged literal
  kTypedLiteral,  // a literal of any other datatype
};

enum class QuadOrder : uint8_t {
  kSubjectFirst,  // by subject, predicate, object, graph number
  kObjectFirst,   // by object, subject, predicate, graph number
};

// Usage as QuadCursor's.
class NumberedQuadCursor {
 public:
  virtual ~NumberedQuadCursor() = default;
  virtual bool Valid() const = 0;
  // The current quad; valid until the next call to Next().
  virtual const NumberedQuad& quad() const = 0;
  virtual void Next() = 0;
  virtual absl::Status status() const = 0;
};

// One snapshot of the store, read by term number (Database::
// NumberedSnapshot). Thread-safety: one thread at a time; it must not
// outlive its Database. Writers are not blocked by it.
class NumberedSnapshot {
 public:
  ~NumberedSnapshot();
  // Every quad of the snapshot once, in `order`. Streams: the memory does
  // not grow with the store.
  std::unique_ptr<NumberedQuadCursor> Scan(QuadOrder order) const;
  // The term a number from Scan stands for. NotFound for a number the
  // store had not given out when the snapshot was taken; DataLoss for one
  // it had whose term is gone (the store is damaged).
  absl::StatusOr<Term> TermOf(uint64_t number) const;
  // The number of `term`; std::nullopt when no quad can mention it.
  absl::StatusOr<std::optional<uint64_t>> NumberOf(const Term& term) const;
  // The kind of the term a number stands for (not meaningful for 0).
  static NumberedTermKind KindOf(uint64_t number);

 private:
  friend class Database;
  explicit NumberedSnapshot(std::shared_ptr<const ReadView> view);
  std::shared_ptr<const ReadView> view_;
};

struct PredicateSummary {
  Term predicate;
  uint64_t quads = 0;
  uint64_t distinct_subjects = 0;
  uint64_t distinct_objects = 0;
};
struct GraphSummary {
  std::optional<Term> graph;  // std::nullopt: the default graph
  uint64_t quads = 0;
};
struct DatabaseStatistics {
  uint64_t quads = 0;
  uint64_t disk_bytes = 0;
  std::vector<PredicateSummary> predicates;  // most quads first
  std::vector<GraphSummary> graphs;          // default graph first
};

// Options for one query or update request.
struct QueryOptions {
  // ---- behaviour ----
  // false (default): the default graph a query sees is the union of all
  // graphs (each triple once), so a fact is found whichever source states
  // it. true: strict SPARQL dataset semantics, the default graph is only
  // the store's default graph. FROM / FROM NAMED override both.
  bool strict_dataset = false;
  // Base IRI for relative IRIs in the text. Default: none.
  std::string base_iri;
  // Prefixes known before the text's own PREFIX declarations.
  std::map<std::string, std::string> prefixes;
  // Update LOAD may read local files only when this is true. Default: false.
  bool allow_file_access = false;
  // ---- limits ----
  // Wall-clock limit in milliseconds; 0 = none. Exceeding it ends the
  // request with DeadlineExceeded. It counts from when the call began:
  // reading the text, planning and evaluating (every operation of an
  // update request) together. Default: 0.
  int64_t timeout_ms = 0;
  // Cap on memory held by intermediate results, in bytes; 0 = none.
  // Exceeding it ends the query with ResourceExhausted. Charged: hash
  // tables, sorts, DISTINCT, groups and aggregates' values, path visited
  // sets and frontiers, VALUES rows, computed terms (BIND, expressions),
  // CONSTRUCT's set of triples given, an update's solutions; no function
  // computes a string longer than this (or 256 MiB). Not charged: the
  // parsed query, an update's writes, decoded terms. docs/SAFETY.md,
  // "Limits for embedders". Default: 0.
  uint64_t memory_limit_bytes = 0;
  // When set and it becomes true (from another thread), the query stops
  // with Cancelled at its next check. Default: none.
  const std::atomic<bool>* cancel = nullptr;
};

struct UpdateSummary {
  uint64_t inserted = 0;  // quads added
  uint64_t removed = 0;   // quads removed
  double seconds = 0;
};

// One write transaction: inserts and removals that become visible together
// at Commit, atomically and (per OpenOptions) durably. Reads through the
// transaction see its own writes. Destroying it without Commit aborts.
// At most one transaction (or load) writes at a time.
class Transaction {
 public:
  ~Transaction();
  // Adds a quad; OK also when it was already present. Blank nodes: a label
  // the store handed out (from a cursor) names that node; any other label
  // names a new node, the same for the same label within this transaction.
  absl::Status Insert(const Quad& quad);
  // Removes a quad everywhere (every index, the statistics); OK also when
  // it was absent.
  absl::Status Remove(const Quad& quad);
  // Quads matching `pattern`, including this transaction's own changes.
  std::unique_ptr<QuadCursor> Match(const QuadPattern& pattern);
  absl::Status Commit();
  void Abort();

 private:
  friend class Database;
  explicit Transaction(std::unique_ptr<WriteTxn> txn);
  std::unique_ptr<WriteTxn> txn_;
};

class Database {
 public:
  // Opens the store in directory `path` (see OpenOptions).
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path, const OpenOptions& options);
  ~Database();

  // Starts a write transaction, waiting for the current writer.
  absl::StatusOr<std::unique_ptr<Transaction>> BeginTransaction();

  // Quads matching `pattern` in a snapshot taken now.
  std::unique_ptr<QuadCursor> Match(const QuadPattern& pattern) const;
  // A snapshot taken now, read by term number (see NumberedSnapshot).
  std::unique_ptr<NumberedSnapshot> NewNumberedSnapshot() const;

  // Loads an RDF file through the bulk path: all or nothing (unless
  // skip_bad). "-" reads standard input (then `format` is required).
  absl::StatusOr<LoadSummary> LoadFile(const std::string& path,
                                       const LoadOptions& options);
  // Loads several files as one all-or-nothing load.
  absl::StatusOr<LoadSummary> LoadFiles(const std::vector<std::string>& paths,
                                        const LoadOptions& options);
  // Loads from a stream; options.format is required.
  absl::StatusOr<LoadSummary> LoadStream(std::istream& in,
                                         const LoadOptions& options);

  // Writes every quad (in a snapshot taken now) to `out` in `format`.
  // Formats without graphs (N-Triples, Turtle) get the union of all graphs.
  absl::Status Dump(std::ostream& out, RdfFormat format) const;

  DatabaseStatistics Statistics() const;

  // Runs a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) on a snapshot
  // taken now. The result streams: rows are computed as they are read.
  // Errors: InvalidArgument for syntax errors ("line L, column C: expected
  // ..." with the line and a caret) and unsupported constructs;
  // DeadlineExceeded or ResourceExhausted when the options' time limit or
  // memory cap ran out while the text was read (the parsed form is
  // counted, QueryParseOptions::memory_limit_bytes); while reading rows:
  // DeadlineExceeded, ResourceExhausted, Cancelled, DataLoss.
  absl::StatusOr<std::unique_ptr<QueryResult>> Query(
      std::string_view text, const QueryOptions& options = {}) const;
  // Runs a SPARQL 1.1 update request as one transaction: every operation
  // applies, or none does.
  absl::StatusOr<UpdateSummary> Update(std::string_view text,
                                       const QueryOptions& options = {});
  // The physical plan of a query as an indented tree, one operator a line
  // with its index and estimated rows. With `profile`, the query is run to
  // the end and each line adds actual rows and time.
  absl::StatusOr<std::string> Explain(std::string_view text, bool profile,
                                      const QueryOptions& options = {}) const;

  // Verifies the store: the graph-last indexes hold the same quads and the
  // graph-first ones exactly those of named graphs, the dictionary
  // resolves every id in the indexes (and both directions agree), and the
  // persisted statistics equal a recount. Returns the problems found, one
  // line each (empty when the store is sound); a non-OK status only when
  // the check itself could not run.
  absl::StatusOr<std::vector<std::string>> Check() const;

  // Compacts the store (smallest size on disk, fastest reads).
  absl::Status Compact();

  const std::string& path() const;

 private:
  // Unit tests reach the storage layer through it (tests/util/test_store.h).
  friend struct testing::DatabaseInternals;
  Database() = default;
  // Open's second half, over a store opened with StoreOptionsFor(options)
  // (engine/database_internal.h): the query cache, the adjacency preload
  // or background warm-up.
  static absl::StatusOr<std::unique_ptr<Database>> OverStore(
      std::unique_ptr<Store> store, const OpenOptions& options);
  std::unique_ptr<Store> store_;
  std::unique_ptr<QueryCache> query_cache_;  // never null once open
};

}  // namespace kg

#endif  // KGSTORE_ENGINE_DATABASE_H_
