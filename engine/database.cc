// Database, Transaction and QuadCursor over the storage layer.

#include "engine/database.h"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <streambuf>

#include "absl/strings/str_cat.h"
#include "engine/database_internal.h"
#include "engine/query_cache.h"
#include "storage/base/absl_compat.h"
#include "storage/bulk_loader.h"
#include "storage/rdf/syntax.h"
#include "storage/store.h"
#include "storage/store_check.h"

namespace kg {
namespace {

// Decodes ids to terms with a small cache: scans repeat the same predicates
// and graphs over and over.
class TermResolver {
 public:
  absl::Status Resolve(const QuadReader& source, TermId id, Term* out) {
    auto it = cache_.find(id);
    if (it != cache_.end()) {
      *out = it->second;
      return absl::OkStatus();
    }
    auto term = source.Resolve(id);
    if (!term.ok()) return term.status();
    if (cache_.size() > 4096) cache_.clear();
    cache_.emplace(id, *term);
    *out = *std::move(term);
    return absl::OkStatus();
  }

 private:
  absl::flat_hash_map<TermId, Term> cache_;
};

// A cursor over a ReadView (Database::Match, which it owns) or a WriteTxn
// (Transaction::Match).
class Cursor : public QuadCursor {
 public:
  // An empty cursor (a term of the pattern is not in the store).
  Cursor() = default;
  Cursor(std::shared_ptr<const QuadReader> owned, const QuadReader* source,
         std::unique_ptr<QuadIdIterator> it)
      : owned_(std::move(owned)), source_(source), it_(std::move(it)) {
    Load();
  }
  bool Valid() const override { return valid_; }
  const Quad& quad() const override { return quad_; }
  void Next() override {
    it_->Next();
    Load();
  }
  absl::Status status() const override { return status_; }

 private:
  void Load() {
    valid_ = false;
    if (!it_ || !it_->Valid()) {
      if (it_) status_ = it_->status();
      return;
    }
    const QuadIds& q = it_->quad();
    absl::Status s = resolver_.Resolve(*source_, q.s, &quad_.subject);
    if (s.ok()) s = resolver_.Resolve(*source_, q.p, &quad_.predicate);
    if (s.ok()) s = resolver_.Resolve(*source_, q.o, &quad_.object);
    if (s.ok()) {
      if (q.g == kDefaultGraph) {
        quad_.graph.reset();
      } else {
        if (!quad_.graph) quad_.graph.emplace();
        s = resolver_.Resolve(*source_, q.g, &*quad_.graph);
      }
    }
    if (!s.ok()) {
      status_ = s;
      return;
    }
    valid_ = true;
  }

  std::shared_ptr<const QuadReader> owned_;
  const QuadReader* source_ = nullptr;
  std::unique_ptr<QuadIdIterator> it_;
  TermResolver resolver_;
  Quad quad_;
  bool valid_ = false;
  absl::Status status_;
};

class ErrorCursor : public QuadCursor {
 public:
  explicit ErrorCursor(absl::Status s) : status_(std::move(s)) {}
  bool Valid() const override { return false; }
  const Quad& quad() const override { return quad_; }
  void Next() override {}
  absl::Status status() const override { return status_; }

 private:
  absl::Status status_;
  Quad quad_;
};

// Turns a QuadPattern into ids + bound mask. Returns false (with OK status)
// when a term is unknown to `reader`, so nothing can match.
absl::StatusOr<bool> BindPattern(const QuadPattern& pattern,
                                 const QuadReader& reader, QuadIds* ids,
                                 unsigned* mask) {
  *mask = 0;
  const std::optional<Term>* terms[3] = {&pattern.subject, &pattern.predicate,
                                         &pattern.object};
  for (int i = 0; i < 3; ++i) {
    if (!terms[i]->has_value()) continue;
    auto id = reader.Lookup(**terms[i]);
    if (!id.ok()) return id.status();
    if (!id->has_value()) return false;
    ids->at(i) = **id;
    *mask |= 1u << i;
  }
  switch (pattern.graph.kind) {
    case GraphSelector::Kind::kAny:
      break;
    case GraphSelector::Kind::kDefault:
      ids->g = kDefaultGraph;
      *mask |= 8;
      break;
    case GraphSelector::Kind::kNamed: {
      auto id = reader.Lookup(pattern.graph.name);
      if (!id.ok()) return id.status();
      if (!id->has_value()) return false;
      ids->g = **id;
      *mask |= 8;
      break;
    }
  }
  return true;
}

// Reads a std::istream through a large buffer, counting bytes for progress.
class CountingBuf : public std::streambuf {
 public:
  CountingBuf(std::streambuf* source,
              std::function<void(uint64_t)> on_chunk)
      : source_(source), on_chunk_(std::move(on_chunk)), buf_(1 << 20) {}
  uint64_t bytes() const { return bytes_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    std::streamsize n = source_->sgetn(buf_.data(), buf_.size());
    if (n <= 0) return traits_type::eof();
    bytes_ += n;
    if (on_chunk_) on_chunk_(bytes_);
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(*gptr());
  }
  // Large reads (the parsers ask for 1 MiB at a time) go straight from the
  // source into the caller's buffer, not through buf_: one copy of the
  // input fewer, which was 7% of a bulk load's parsing thread.
  static constexpr std::streamsize kDirectRead = 64 << 10;
  std::streamsize xsgetn(char* s, std::streamsize n) override {
    std::streamsize done = std::min<std::streamsize>(n, egptr() - gptr());
    if (done > 0) {
      std::memcpy(s, gptr(), static_cast<size_t>(done));
      gbump(static_cast<int>(done));
    }
    if (done == n) return done;
    if (n - done < kDirectRead)
      return done + std::streambuf::xsgetn(s + done, n - done);
    // Until n bytes or the end: a short count tells istream::read that the
    // input ended, and a source may return one early (a pipe, or a
    // caller's own streambuf).
    while (done < n) {
      const std::streamsize got = source_->sgetn(s + done, n - done);
      if (got <= 0) break;
      bytes_ += got;
      done += got;
      if (on_chunk_) on_chunk_(bytes_);
    }
    return done;
  }

 private:
  std::streambuf* source_;
  std::function<void(uint64_t)> on_chunk_;
  std::vector<char> buf_;
  uint64_t bytes_ = 0;
};

std::string FileIri(const std::string& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  std::string s = ec ? path : abs.lexically_normal().string();
  std::string iri = "file://";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' ||
        c == '}' || c == '|' || c == '\\' || c == '^' || c == '`' ||
        c == '%') {
      absl::StrAppend(&iri, "%", absl::Hex(u, absl::kZeroPad2));
    } else {
      iri.push_back(c);
    }
  }
  return iri;
}

// A term whose strings are all valid UTF-8 (RDF is Unicode text): a dump
// of the store writes nothing a reader would refuse. The readers and the
// query parser check their input; Insert takes terms from the host as they
// are. (IRIs holding characters IRIs forbid, a space or '<', are still
// taken: tests/export_test.cc stores some to check the exports' escaping;
// a dump writes them \u-escaped, which the readers refuse.)
absl::Status CheckUtf8(const Term& t) {
  for (const std::string* text : {&t.lexical, &t.datatype, &t.language}) {
    const char* p = text->data();
    const char* const end = p + text->size();
    while (p < end) {
      uint32_t cp;
      const int n = static_cast<unsigned char>(*p) < 0x80
                        ? 1
                        : rdf_internal::DecodeUtf8(p, end, &cp);
      if (n == 0)
        return absl::InvalidArgumentError(absl::StrCat(
            "a term that is not valid UTF-8 (",
            rdf_internal::DescribeFound(p, end, true), " at byte ",
            p - text->data(), ")"));
      p += n;
    }
  }
  return absl::OkStatus();
}

}  // namespace

// ---- Transaction -----------------------------------------------------------

Transaction::Transaction(std::unique_ptr<WriteTxn> txn) : txn_(std::move(txn)) {}
Transaction::~Transaction() = default;

absl::Status Transaction::Insert(const Quad& quad) {
  QuadIds q;
  const Term* terms[3] = {&quad.subject, &quad.predicate, &quad.object};
  if (!quad.predicate.is_iri())
    return absl::InvalidArgumentError(
        absl::StrCat("predicate must be an IRI: ", quad.predicate.ToNTriples()));
  if (quad.subject.is_literal())
    return absl::InvalidArgumentError(
        absl::StrCat("subject cannot be a literal: ", quad.subject.ToNTriples()));
  if (quad.graph && quad.graph->is_literal())
    return absl::InvalidArgumentError(
        absl::StrCat("graph name cannot be a literal: ",
                     quad.graph->ToNTriples()));
  for (const Term* t : terms)
    if (absl::Status s = CheckUtf8(*t); !s.ok()) return s;
  if (quad.graph)
    if (absl::Status s = CheckUtf8(*quad.graph); !s.ok()) return s;
  for (int i = 0; i < 3; ++i) {
    auto id = txn_->Intern(*terms[i]);
    if (!id.ok()) return id.status();
    q.at(i) = *id;
  }
  if (quad.graph) {
    auto id = txn_->Intern(*quad.graph);
    if (!id.ok()) return id.status();
    q.g = *id;
  }
  auto inserted = txn_->Insert(q);
  return inserted.status();
}

absl::Status Transaction::Remove(const Quad& quad) {
  QuadPattern pattern{quad.subject, quad.predicate, quad.object,
                      quad.graph ? GraphSelector::Named(*quad.graph)
                                 : GraphSelector::Default()};
  QuadIds q;
  unsigned mask;
  auto bound = BindPattern(pattern, *txn_, &q, &mask);
  if (!bound.ok()) return bound.status();
  if (!*bound) return absl::OkStatus();
  return txn_->Remove(q).status();
}

std::unique_ptr<QuadCursor> Transaction::Match(const QuadPattern& pattern) {
  QuadIds q;
  unsigned mask;
  auto bound = BindPattern(pattern, *txn_, &q, &mask);
  if (!bound.ok()) return std::make_unique<ErrorCursor>(bound.status());
  if (!*bound) return std::make_unique<Cursor>();
  return std::make_unique<Cursor>(nullptr, txn_.get(), txn_->Scan(q, mask));
}

absl::Status Transaction::Commit() { return txn_->Commit(); }
void Transaction::Abort() { txn_->Abort(); }

// ---- Database ----------------------------------------------------------------

StoreOptions StoreOptionsFor(const OpenOptions& options) {
  StoreOptions so;
  so.create_if_missing = options.create_if_missing;
  so.read_only = options.read_only;
  so.sync_commits = options.durable_commits;
  so.block_cache_bytes = options.block_cache_bytes;
  so.term_cache_bytes = options.term_cache_bytes;
  so.adjacency_cache_bytes = options.adjacency_cache_bytes;
  so.probe_cache_bytes = options.probe_cache_bytes;
  return so;
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path, const OpenOptions& options) {
  auto store = Store::Open(path, StoreOptionsFor(options));
  if (!store.ok()) return store.status();
  return OverStore(*std::move(store), options);
}

absl::StatusOr<std::unique_ptr<Database>> Database::OverStore(
    std::unique_ptr<Store> store, const OpenOptions& options) {
  auto db = std::unique_ptr<Database>(new Database());
  db->store_ = std::move(store);
  db->query_cache_ = std::make_unique<QueryCache>(options.query_cache_entries);
  if (options.preload_adjacencies) {
    auto built = db->store_->PreloadAdjacencies();
    if (!built.ok()) return built.status();
  } else if (options.warm_adjacencies_in_background) {
    db->store_->WarmAdjacenciesInBackground();
  }
  return db;
}

Database::~Database() = default;

const std::string& Database::path() const { return store_->path(); }

absl::StatusOr<std::unique_ptr<Transaction>> Database::BeginTransaction() {
  auto txn = store_->BeginWrite();
  if (!txn.ok()) return txn.status();
  return std::unique_ptr<Transaction>(new Transaction(*std::move(txn)));
}

std::unique_ptr<QuadCursor> Database::Match(const QuadPattern& pattern) const {
  std::shared_ptr<const QuadReader> view = store_->NewReadView();
  QuadIds q;
  unsigned mask;
  auto bound = BindPattern(pattern, *view, &q, &mask);
  if (!bound.ok()) return std::make_unique<ErrorCursor>(bound.status());
  if (!*bound) return std::make_unique<Cursor>();
  auto it = view->Scan(q, mask);
  const QuadReader* raw = view.get();
  return std::make_unique<Cursor>(std::move(view), raw, std::move(it));
}

namespace {

// Database::NewNumberedSnapshot's cursors: the store's ids are the numbers.
class NumberedCursor : public NumberedQuadCursor {
 public:
  explicit NumberedCursor(std::unique_ptr<QuadIdIterator> it)
      : it_(std::move(it)) {
    Load();
  }
  bool Valid() const override { return it_->Valid(); }
  const NumberedQuad& quad() const override { return quad_; }
  void Next() override {
    it_->Next();
    Load();
  }
  absl::Status status() const override { return it_->status(); }

 private:
  void Load() {
    if (!it_->Valid()) return;
    const QuadIds& q = it_->quad();
    quad_ = {q.s, q.p, q.o, q.g};
  }
  std::unique_ptr<QuadIdIterator> it_;
  NumberedQuad quad_;
};

}  // namespace

NumberedSnapshot::NumberedSnapshot(std::shared_ptr<const ReadView> view)
    : view_(std::move(view)) {}
NumberedSnapshot::~NumberedSnapshot() = default;

std::unique_ptr<NumberedQuadCursor> NumberedSnapshot::Scan(
    QuadOrder order) const {
  return std::make_unique<NumberedCursor>(view_->ScanIndex(
      order == QuadOrder::kSubjectFirst ? Permutation::kSPOG
                                        : Permutation::kOSPG));
}

absl::StatusOr<Term> NumberedSnapshot::TermOf(uint64_t number) const {
  return view_->Resolve(number);
}

absl::StatusOr<std::optional<uint64_t>> NumberedSnapshot::NumberOf(
    const Term& term) const {
  auto id = view_->Lookup(term);
  if (!id.ok()) return id.status();
  if (!*id) return std::optional<uint64_t>();
  return std::optional<uint64_t>(**id);
}

NumberedTermKind NumberedSnapshot::KindOf(uint64_t number) {
  switch (TagOf(number)) {
    case TermTag::kIri: return NumberedTermKind::kIri;
    case TermTag::kBlankNode: return NumberedTermKind::kBlankNode;
    case TermTag::kSimpleLiteral:
    case TermTag::kLangLiteral:
    case TermTag::kInlineString: return NumberedTermKind::kPlainLiteral;
    default: return NumberedTermKind::kTypedLiteral;
  }
}

std::unique_ptr<NumberedSnapshot> Database::NewNumberedSnapshot() const {
  return std::unique_ptr<NumberedSnapshot>(
      new NumberedSnapshot(store_->NewReadView()));
}

absl::StatusOr<LoadSummary> Database::LoadFile(const std::string& path,
                                               const LoadOptions& options) {
  return LoadFiles({path}, options);
}

absl::StatusOr<LoadSummary> Database::LoadFiles(
    const std::vector<std::string>& paths, const LoadOptions& options) {
  auto start = std::chrono::steady_clock::now();
  // Resolve formats and open every file before taking the writer lock, so
  // a typo fails fast.
  struct Input {
    std::string path;
    RdfFormat format;
    std::unique_ptr<std::ifstream> file;
  };
  std::vector<Input> inputs;
  for (const std::string& path : paths) {
    Input in;
    in.path = path;
    if (options.format) {
      in.format = *options.format;
    } else if (path == "-") {
      return absl::InvalidArgumentError(
          "reading standard input needs a format (--format)");
    } else {
      auto f = RdfFormatFromPath(path);
      if (!f.ok()) return f.status();
      in.format = *f;
    }
    if (path != "-") {
      std::error_code ec;
      if (std::filesystem::is_directory(path, ec))
        return absl::InvalidArgumentError(
            absl::StrCat("cannot load ", path, ": it is a directory"));
      in.file = std::make_unique<std::ifstream>(path, std::ios::binary);
      if (!*in.file)
        return absl::NotFoundError(absl::StrCat(
            "cannot open ", path, ": ", std::strerror(errno)));
    }
    inputs.push_back(std::move(in));
  }

  auto loader = BulkLoader::Start(
      store_.get(), BulkLoadOptions{.compress_for_size = options.compress_for_size,
                                     .packed_blocks = options.packed_blocks});
  if (!loader.ok()) return loader.status();
  LoadSummary summary;
  uint64_t bytes_before = 0;
  for (Input& in : inputs) {
    (*loader)->NewDocument();
    ParseOptions po;
    po.source_name = in.path == "-" ? "<stdin>" : in.path;
    po.base_iri = !options.base_iri.empty() ? options.base_iri
                  : in.path == "-"          ? std::string()
                                            : FileIri(in.path);
    po.default_graph = options.graph;
    po.skip_bad = options.skip_bad;
    po.max_statement_bytes = options.max_statement_bytes;
    po.on_error = [&](const ParseError& e) {
      ++summary.bad_statements;
      if (options.on_error) options.on_error(e);
    };
    std::istream& source = in.file ? *in.file : std::cin;
    CountingBuf counting(source.rdbuf(), [&](uint64_t bytes) {
      if (options.on_progress)
        options.on_progress(bytes_before + bytes, summary.statements);
    });
    std::istream stream(&counting);
    BulkLoader* l = loader->get();
    absl::Status s = ParseRdf(stream, in.format, po, [&](const Quad& quad) {
      ++summary.statements;
      return l->Add(quad);
    });
    bytes_before += counting.bytes();
    if (!s.ok()) {
      (*loader)->Abort();
      return s;
    }
  }
  summary.bytes_read = bytes_before;
  auto result = (*loader)->Commit();
  if (!result.ok()) return result.status();
  summary.quads_added = result->quads_added;
  summary.duplicates = result->quads_duplicate;
  summary.seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  return summary;
}

absl::StatusOr<LoadSummary> Database::LoadStream(std::istream& in,
                                                 const LoadOptions& options) {
  if (!options.format)
    return absl::InvalidArgumentError("LoadStream needs options.format");
  auto start = std::chrono::steady_clock::now();
  auto loader = BulkLoader::Start(
      store_.get(), BulkLoadOptions{.compress_for_size = options.compress_for_size,
                                     .packed_blocks = options.packed_blocks});
  if (!loader.ok()) return loader.status();
  LoadSummary summary;
  ParseOptions po;
  po.source_name = "<stream>";
  po.base_iri = options.base_iri;
  po.default_graph = options.graph;
  po.skip_bad = options.skip_bad;
  po.max_statement_bytes = options.max_statement_bytes;
  po.on_error = [&](const ParseError& e) {
    ++summary.bad_statements;
    if (options.on_error) options.on_error(e);
  };
  CountingBuf counting(in.rdbuf(), [&](uint64_t bytes) {
    if (options.on_progress) options.on_progress(bytes, summary.statements);
  });
  std::istream stream(&counting);
  BulkLoader* l = loader->get();
  absl::Status s = ParseRdf(stream, *options.format, po, [&](const Quad& quad) {
    ++summary.statements;
    return l->Add(quad);
  });
  if (!s.ok()) return s;
  summary.bytes_read = counting.bytes();
  auto result = (*loader)->Commit();
  if (!result.ok()) return result.status();
  summary.quads_added = result->quads_added;
  summary.duplicates = result->quads_duplicate;
  summary.seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  return summary;
}

absl::Status Database::Dump(std::ostream& out, RdfFormat format) const {
  auto view = store_->NewReadView();
  bool graphs = RdfFormatHasGraphs(format);
  // Graph formats: the default graph (from SPOG, as the graph-first
  // indexes hold only named graphs), then GSPO order, which keeps each
  // named graph's statements together.
  // Triple formats: SPOG order puts the copies of a triple stated in several
  // graphs next to each other, so the union is written once.
  std::vector<std::unique_ptr<QuadIdIterator>> scans;
  if (graphs) {
    scans.push_back(view->Scan(QuadIds{}, /*G: the default graph*/ 8));
    scans.push_back(view->ScanRange(
        Permutation::kGSPO, Store::DefaultGraphFirstRange().second, ""));
  } else {
    scans.push_back(view->ScanIndex(Permutation::kSPOG));
  }
  auto writer = NewRdfWriter(format, out);
  TermResolver resolver;
  Quad quad;
  QuadIds prev;
  bool first = true;
  for (auto& it : scans) {
    for (; it->Valid(); it->Next()) {
      const QuadIds& q = it->quad();
      if (!graphs && !first && q.s == prev.s && q.p == prev.p && q.o == prev.o)
        continue;
      prev = q;
      first = false;
      absl::Status s = resolver.Resolve(*view, q.s, &quad.subject);
      if (s.ok()) s = resolver.Resolve(*view, q.p, &quad.predicate);
      if (s.ok()) s = resolver.Resolve(*view, q.o, &quad.object);
      if (s.ok() && graphs && q.g != kDefaultGraph) {
        quad.graph.emplace();
        s = resolver.Resolve(*view, q.g, &*quad.graph);
      } else {
        quad.graph.reset();
      }
      if (s.ok()) s = writer->Write(quad);
      if (!s.ok()) return s;
    }
    if (!it->status().ok()) return it->status();
  }
  return writer->Finish();
}

DatabaseStatistics Database::Statistics() const {
  StoreStatistics stats = store_->Statistics();
  auto view = store_->NewReadView();
  DatabaseStatistics out;
  out.quads = stats.total_quads;
  out.disk_bytes = store_->DiskSize();
  for (const auto& [p, ps] : stats.predicates) {
    auto term = view->Resolve(p);
    out.predicates.push_back(
        {term.ok() ? *term : Term::Iri(absl::StrCat("urn:kgstore:unknown-id:", p)),
         ps.quads, ps.distinct_subjects, ps.distinct_objects});
  }
  std::sort(out.predicates.begin(), out.predicates.end(),
            [](const PredicateSummary& a, const PredicateSummary& b) {
              if (a.quads != b.quads) return a.quads > b.quads;
              return a.predicate.lexical < b.predicate.lexical;
            });
  for (const auto& [g, n] : stats.graphs) {
    GraphSummary gs;
    gs.quads = n;
    if (g != kDefaultGraph) {
      auto term = view->Resolve(g);
      gs.graph = term.ok() ? *term
                           : Term::Iri(absl::StrCat("urn:kgstore:unknown-id:", g));
    }
    out.graphs.push_back(std::move(gs));
  }
  std::sort(out.graphs.begin(), out.graphs.end(),
            [](const GraphSummary& a, const GraphSummary& b) {
              if (a.graph.has_value() != b.graph.has_value())
                return !a.graph.has_value();
              if (!a.graph) return false;
              return a.graph->lexical < b.graph->lexical;
            });
  return out;
}

absl::StatusOr<std::vector<std::string>> Database::Check() const {
  return CheckStore(*store_);
}

absl::Status Database::Compact() { return store_->Compact(); }

}  // namespace kg
