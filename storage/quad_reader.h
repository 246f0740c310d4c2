// QuadReader: what every reader of the store's quads can ask, whether it
// reads a snapshot (ReadView, read_view.h) or the write transaction with
// its own writes (WriteTxn, write_txn.h). The query engine runs queries
// over a ReadView and updates over a WriteTxn through this one interface;
// so does Database::Match and Transaction::Match.
//
// Cost: one virtual call per request (a scan, a term), never per row: a
// scan's rows come from its QuadIdIterator. ReadView and WriteTxn are
// final, so code holding one of them calls them directly.

#ifndef KGSTORE_STORAGE_QUAD_READER_H_
#define KGSTORE_STORAGE_QUAD_READER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storage/quad_index.h"
#include "storage/rdf/term.h"
#include "storage/store_statistics.h"
#include "storage/term_id.h"

namespace kg {

class PredicateAdjacency;

// Iterates the quads matching one prefix of one index, in index order.
// Usage: for (; it->Valid(); it->Next()) use(it->quad()); then check status().
class QuadIdIterator {
 public:
  virtual ~QuadIdIterator() = default;
  virtual bool Valid() const = 0;
  // The current quad; valid until the next call to Next().
  virtual const QuadIds& quad() const = 0;
  virtual void Next() = 0;
  // OK, or the error that ended the iteration early (Corruption, IOError).
  virtual absl::Status status() const = 0;
};

// Reads quads and terms. Implementations: ReadView (a snapshot) and
// WriteTxn (the snapshot taken at Begin plus the transaction's writes).
// Thread-safety: as the implementation's (one thread at a time for both).
class QuadReader {
 public:
  virtual ~QuadReader() = default;

  // The text of an id. NotFound if the id is unknown (a sign of corruption
  // when it came from an index).
  virtual absl::StatusOr<Term> Resolve(TermId id) const = 0;
  // Resolve for many ids at once (repeats allowed, any order): (*terms)[i]
  // is the term of ids[i] (terms is resized to ids.size()). The same
  // answers and errors as Resolve one id at a time (the first error is
  // returned, and then *terms is unspecified); a ReadView reads the
  // dictionary entries it has not cached with one cursor in id order,
  // which for ids near each other finds each block once.
  virtual absl::Status ResolveMany(absl::Span<const TermId> ids,
                                   std::vector<Term>* terms) const {
    terms->resize(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      auto t = Resolve(ids[i]);
      if (!t.ok()) return t.status();
      (*terms)[i] = *std::move(t);
    }
    return absl::OkStatus();
  }
  // The id of a term if this reader can see it; std::nullopt otherwise
  // (then no quad it reads mentions the term). Never allocates an id.
  virtual absl::StatusOr<std::optional<TermId>> Lookup(
      const Term& term) const = 0;
  // All quads whose positions in `bound_mask` (bit 0=S,1=P,2=O,3=G) equal
  // those of `pattern`; one prefix scan over the index PlanScan chooses
  // (quad_index.h), in that index's order.
  virtual std::unique_ptr<QuadIdIterator> Scan(const QuadIds& pattern,
                                               unsigned bound_mask) const = 0;
  // The quads whose key in `perm` lies in [lower, upper) (upper empty: to
  // the end), only those of the default graph when `default_graph_only`
  // (see PlanScan). Keys are encoded as in quad_index.h; used for range
  // scans over order-preserving inline values.
  virtual std::unique_ptr<QuadIdIterator> ScanRange(
      Permutation perm, std::string lower, std::string upper,
      bool default_graph_only = false) const = 0;
  // The in-memory adjacency of `predicate` (predicate_adjacency.h) when
  // this reader may use one, or null (then use Scan). A ReadView's when it
  // is cached for its snapshot or worth building now (ReadView's comment);
  // always null for a WriteTxn, which must see its own writes. The query
  // engine calls it to intersect neighbour lists and to answer range
  // filters from sorted object keys.
  virtual std::shared_ptr<const PredicateAdjacency> AdjacencyFor(
      TermId predicate, unsigned bound_mask) const = 0;
  // AdjacencyFor for a caller that expects to scan the predicate `probes`
  // times in this query, reading `rows` quads in all (the planner's
  // estimates): a ReadView builds the adjacency sooner when they say the
  // query alone would pay for the build (ReadView::AdjacencyFor's
  // comment). The default ignores the forecast.
  virtual std::shared_ptr<const PredicateAdjacency> AdjacencyForProbes(
      TermId predicate, unsigned bound_mask, double /*probes*/,
      double /*rows*/) const {
    return AdjacencyFor(predicate, bound_mask);
  }
  // The number of quads of `predicate` per object: f(object, n) for every
  // object in ascending order, read from posg's keys without decoding the
  // subjects or making a quad of each (a degree count, `GROUP BY ?o`, at
  // a few nanoseconds per quad). With `store_default_only` only quads of
  // the store's default graph count; otherwise every quad counts, and a
  // quad of a named graph makes the count stop with false (a triple in
  // two graphs would count twice; the caller then counts another way).
  // f returns false to stop (the result is then false); so does
  // `keep_going`, which is called every few thousand quads (a deadline
  // check inside one long run). True: every object was given. Errors: the
  // index's (DataLoss for a malformed key). The default: false at once (a
  // WriteTxn must merge its own writes).
  using ObjectRunFn = absl::FunctionRef<bool(TermId object, uint64_t n)>;
  virtual absl::StatusOr<bool> CountObjectRuns(
      TermId /*predicate*/, bool /*store_default_only*/, ObjectRunFn /*f*/,
      absl::FunctionRef<bool()> /*keep_going*/) const {
    return false;
  }
  // The statistics of exactly the quads this reader sees: a ReadView's are
  // read from its snapshot (a commit or load writes them atomically with
  // its quads), a WriteTxn's include its own writes. Queries answer counts
  // from them (HashAggregateOp) where the Store's latest statistics could
  // be a commit ahead of or behind the snapshot. Errors: DataLoss for a
  // damaged entry, Unavailable for an I/O error.
  virtual absl::StatusOr<std::shared_ptr<const StoreStatistics>> Statistics()
      const = 0;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_QUAD_READER_H_
