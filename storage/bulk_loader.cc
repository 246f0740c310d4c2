// BulkLoader: the caller's thread (statements into batches), the encoder
// (terms to ids) and the sorters (chunks sorted three ways, new terms'
// dictionary SSTs). Commit -- merge, write SSTs, ingest atomically -- is in
// bulk_loader_commit.cc.

#include "storage/bulk_loader.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <atomic>
#include <filesystem>
#include <functional>
#include <latch>
#include <mutex>
#include <span>
#include <thread>

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/packed_block.h"

#define XXH_INLINE_ALL
#include "xxhash.h"

namespace kg {
namespace {

// Quads per sorted chunk: large enough that a 10M-quad load merges ~40
// runs, small enough that the last chunk sorts in tens of milliseconds.
constexpr size_t kChunkQuads = size_t{1} << 18;

}  // namespace

absl::StatusOr<std::unique_ptr<BulkLoader>> BulkLoader::Start(
    Store* store, BulkLoadOptions options) {
  if (store->options().read_only)
    return absl::FailedPreconditionError(
        absl::StrCat("store ", store->path(), " is open read-only"));
  auto lock = store->LockWriter();
  std::unique_ptr<BulkLoader> loader(
      new BulkLoader(store, std::move(lock), options));
  // The sorters' run files and the SSTs are written here.
  std::error_code ec;
  std::filesystem::create_directories(loader->tmp_dir_, ec);
  if (ec)
    return absl::UnavailableError(absl::StrCat(
        "bulk load: cannot create ", loader->tmp_dir_, ": ", ec.message()));
  return loader;
}

BulkLoader::BulkLoader(Store* store, std::unique_lock<std::mutex> lock,
                       BulkLoadOptions options)
    : store_(store),
      options_(options),
      lock_(std::move(lock)),
      view_(store->NewReadView()),
      store_was_empty_(store->Statistics().total_quads == 0 &&
                       store->next_id() == 1),
      next_id_(store->next_id()),
      chunk_quads_(kChunkQuads),
      started_(std::chrono::steady_clock::now()) {
  tmp_dir_ = (std::filesystem::path(store->path()) / "bulk-load-tmp").string();
  std::error_code ec;
  std::filesystem::remove_all(tmp_dir_, ec);  // leftovers of a crashed load
}

BulkLoader::~BulkLoader() { Abort(); }

std::unique_ptr<KvFileWriter> BulkLoader::NewSst(KeySpace space,
                                                 std::string path) const {
  return store_->kv()->NewFileWriter(
      space, std::move(path),
      options_.compress_for_size || space == KeySpace::kId2Term);
}

void BulkLoader::Abort() {
  if (finished_) return;
  finished_ = true;
  encoder_.Cancel();  // first: their tasks use the members below (and the
  for (BackgroundQueue& q : sorters_) q.Cancel();  // encoder's feed these)
  quads_.clear();
  quads_.shrink_to_fit();
  chunk_.clear();
  chunk_.shrink_to_fit();
  batch_ = Batch{};
  spare_batches_.clear();
  for (auto& r : runs_) r.clear();
  for (auto& f : run_files_) f.reset();  // removes the file
  hash_runs_.clear();
  id2term_.clear();
  term_ids_.clear();
  new_terms_.clear();
  std::error_code ec;
  std::filesystem::remove_all(tmp_dir_, ec);
  view_.reset();
  if (lock_.owns_lock()) lock_.unlock();
}

void BulkLoader::NewDocument() {
  batch_.documents.push_back(
      static_cast<uint32_t>(batch_.slots.size() / 4));
  have_last_ = false;
}

// ---- The caller's thread: statements into batches ---------------------------

absl::Status BulkLoader::Add(const Quad& quad) {
  if (finished_) return absl::FailedPreconditionError("bulk load finished");
  if (background_failed_.load(std::memory_order_acquire))
    return BackgroundError();
  // Files usually state several facts about one subject in a row, with few
  // distinct predicates and graphs: a term equal to the one in the same
  // position of the previous statement reuses its id without hashing.
  const Term* terms[3] = {&quad.subject, &quad.predicate, &quad.object};
  for (int i = 0; i < 3; ++i) {
    if (have_last_ && *terms[i] == last_.at(i)) {
      batch_.slots.push_back(Slot{});  // kSame
    } else {
      AddTermSlot(*terms[i]);
    }
  }
  if (have_last_ && quad.graph == last_.graph) {
    batch_.slots.push_back(Slot{});
  } else if (!quad.graph) {
    batch_.slots.push_back(Slot{Slot::kId, 0, kDefaultGraph});
  } else {
    AddTermSlot(*quad.graph);
  }
  ++added_;
  // Blank nodes are document-scoped: never reuse across NewDocument().
  last_.subject = quad.subject;
  last_.predicate = quad.predicate;
  last_.object = quad.object;
  last_.graph = quad.graph;
  have_last_ = true;
  if (batch_.slots.size() >= 4 * batch_statements_ ||
      batch_.arena.size() >= kBatchArenaBytes)
    FlushBatch();
  return absl::OkStatus();
}

void BulkLoader::AddTermSlot(const Term& term) {
  // Only literals inline; IRIs (most terms) skip the out-of-line call.
  if (term.kind == TermKind::kLiteral) {
    if (auto inl = TryInline(term)) {
      batch_.slots.push_back(Slot{Slot::kId, 0, *inl});
      return;
    }
  }
  const size_t offset = batch_.arena.size();
  Slot::Kind kind = Slot::kBlank;
  if (term.is_blank()) {
    batch_.arena.append(term.lexical);
  } else {
    kind = Slot::kTerm;
    SerializeTerm(term, &batch_.arena);
  }
  batch_.slots.push_back(
      Slot{kind, static_cast<uint32_t>(batch_.arena.size() - offset), offset});
}

absl::Status BulkLoader::BackgroundError() {
  // The load is lost: drop the queued work rather than finish it.
  encoder_.Cancel();
  for (BackgroundQueue& q : sorters_) q.Cancel();
  if (!encode_status_.ok()) return encode_status_;
  return !sort_status_[0].ok() ? sort_status_[0] : sort_status_[1];
}

void BulkLoader::FlushBatch() {
  if (batch_.slots.empty() && batch_.documents.empty()) return;
  encoder_.Add([this, batch = std::move(batch_)]() mutable {
    if (encode_status_.ok()) {
      encode_status_ = EncodeBatch(batch);
      if (!encode_status_.ok())
        background_failed_.store(true, std::memory_order_release);
    }
    batch.arena.clear();
    batch.slots.clear();
    batch.documents.clear();
    std::lock_guard<std::mutex> l(spare_mu_);
    spare_batches_.push_back(std::move(batch));
  });
  batch_ = Batch{};
  {
    std::lock_guard<std::mutex> l(spare_mu_);
    if (!spare_batches_.empty()) {
      batch_ = std::move(spare_batches_.back());
      spare_batches_.pop_back();
    }
  }
  batch_.slots.reserve(4 * batch_statements_);
}

// ---- The encoder -------------------------------------------------------------

BulkLoader::HashKey BulkLoader::TermHash(std::string_view serialized) {
  XXH128_hash_t h = XXH3_128bits(serialized.data(), serialized.size());
  return HashKey{h.high64, h.low64};
}

absl::Status BulkLoader::EncodeBatch(const Batch& batch) {
  const size_t statements = batch.slots.size() / 4;
  // The terms' hashes first, so that each lookup below can prefetch the
  // table slot of a term a few ahead: the table outgrows the caches, and
  // a lookup was mostly a wait for memory.
  batch_hashes_.clear();
  for (const Slot& slot : batch.slots)
    if (slot.kind == Slot::kTerm)
      batch_hashes_.push_back(TermHash(
          std::string_view(batch.arena).substr(slot.value, slot.length)));
  constexpr size_t kAhead = 8;
  for (size_t j = 0; j < kAhead && j < batch_hashes_.size(); ++j)
    term_ids_.prefetch(batch_hashes_[j]);
  size_t term = 0;  // index into batch_hashes_
  size_t doc = 0;
  for (size_t k = 0; k <= statements; ++k) {
    for (; doc < batch.documents.size() && batch.documents[doc] == k; ++doc)
      blank_labels_.clear();
    if (k == statements) break;
    QuadIds q;
    for (int pos = 0; pos < 4; ++pos) {
      const Slot& slot = batch.slots[4 * k + pos];
      auto text = [&] {
        return std::string_view(batch.arena).substr(slot.value, slot.length);
      };
      switch (slot.kind) {
        case Slot::kSame:
          q.at(pos) = last_ids_.at(pos);
          break;
        case Slot::kId:
          q.at(pos) = slot.value;
          break;
        case Slot::kBlank: {
          auto it = blank_labels_.find(Sv(text()));
          if (it == blank_labels_.end())
            it = blank_labels_
                     .emplace(std::string(text()),
                              MakeId(TermTag::kBlankNode, next_id_++))
                     .first;
          q.at(pos) = it->second;
          break;
        }
        case Slot::kTerm: {
          if (term + kAhead < batch_hashes_.size())
            term_ids_.prefetch(batch_hashes_[term + kAhead]);
          auto id = EncodeSerialized(text(), batch_hashes_[term++]);
          if (!id.ok()) return id.status();
          q.at(pos) = *id;
          break;
        }
      }
    }
    if (chunk_.empty()) chunk_.reserve(chunk_quads_);
    chunk_.push_back(q);
    if (q.g != kDefaultGraph) named_graphs_ = true;
    last_ids_ = q;
    if (chunk_.size() >= chunk_quads_) HandToSorter();
  }
  return absl::OkStatus();
}

absl::StatusOr<TermId> BulkLoader::EncodeSerialized(
    std::string_view serialized, const HashKey& key) {
  auto it = term_ids_.find(key);
  if (it != term_ids_.end()) return it->second;
  if (!store_was_empty_) {
    auto found = view_->LookupSerialized(serialized);
    if (!found.ok()) return InLoad(found.status());
    if (found->has_value()) {
      term_ids_.emplace(key, **found);
      return **found;
    }
  }
  if (next_id_ >= kPayloadMask)
    return absl::ResourceExhaustedError("term id space exhausted");
  // SerializeTerm's first byte is the term's dictionary tag.
  TermId id = MakeId(static_cast<TermTag>(serialized[0]), next_id_++);
  term_ids_.emplace(key, id);
  new_terms_.push_back({id, key, std::string(serialized)});
  return id;
}

void BulkLoader::HandToSorter() {
  const int which = static_cast<int>(chunks_handed_++ % 2);
  if (!chunk_.empty()) {
    sorters_[which].Add([this, which, chunk = std::move(chunk_)]() mutable {
      if (!sort_status_[which].ok()) return;
      sort_status_[which] = SpillRun(which, std::move(chunk));
      if (!sort_status_[which].ok())
        background_failed_.store(true, std::memory_order_release);
    });
  }
  if (!new_terms_.empty()) {
    sorters_[0].Add([this, terms = std::move(new_terms_)] {
      if (!sort_status_[0].ok()) return;
      sort_status_[0] = WriteNewTerms(terms);
      if (!sort_status_[0].ok())
        background_failed_.store(true, std::memory_order_release);
    });
  }
  chunk_ = {};
  new_terms_ = {};
}

// ---- The sorters -----------------------------------------------------------

absl::StatusOr<SpillFile*> BulkLoader::RunFile(int sorter) {
  if (!run_files_[sorter]) {
    auto f = SpillFile::Create(absl::StrCat(tmp_dir_, "/runs-", sorter));
    if (!f.ok()) return WithContext(f.status(), "bulk load");
    run_files_[sorter] = std::move(*f);
  }
  return run_files_[sorter].get();
}

absl::Status BulkLoader::SpillRun(int sorter, std::vector<QuadIds> chunk) {
  return WriteRun(sorter, SortChunk(std::move(chunk)));
}

absl::Status BulkLoader::WriteRun(int sorter, const SortedRun& run) {
  auto file = RunFile(sorter);
  if (!file.ok()) return file.status();
  std::vector<IdTuple> spog(run.spog.size());
  for (size_t k = 0; k < spog.size(); ++k) {
    const QuadIds& q = run.spog[k];
    spog[k] = IdTuple{q.s, q.p, q.o, q.g};
  }
  RunSet set;
  for (auto [order, tuples] :
       {std::pair{&set.spog, std::span<const IdTuple>(spog)},
        std::pair{&set.posg, std::span<const IdTuple>(run.posg)},
        std::pair{&set.ospg, std::span<const IdTuple>(run.ospg)}}) {
    auto written = WriteCompressedRun(*file, tuples);
    if (!written.ok())
      return WithContext(written.status(), "bulk load: sorted run");
    *order = std::move(*written);
  }
  runs_[sorter].push_back(std::move(set));
  return absl::OkStatus();
}

void BulkLoader::ReleaseRunPages(const void* from, const void* to) const {
  for (const auto& f : run_files_)
    if (f && f->Contains(from)) f->Release(from, to);
}

absl::Status BulkLoader::WriteNewTerms(const std::vector<NewTerm>& terms) {
  if (terms.empty()) return absl::OkStatus();
  auto file = RunFile(0);
  if (!file.ok()) return file.status();
  terms_added_ += terms.size();
  // id2term takes the terms in id order, which is the order they were
  // handed out; term2id wants hash order, so each batch becomes a sorted
  // run, merged at Commit. One id2term writer per tag.
  std::vector<HashEntry> run;
  run.reserve(terms.size());
  char buf[kMaxEncodedIdSize];
  for (const NewTerm& t : terms) {
    const size_t n = EncodeId(t.id, buf);
    const uint8_t tag = static_cast<uint8_t>(TagOf(t.id));
    std::unique_ptr<KvFileWriter>& out = id2term_[tag];
    if (!out)
      out = NewSst(KeySpace::kId2Term,
                   absl::StrCat(tmp_dir_, "/id2term-", tag, ".sst"));
    absl::Status s = out->Put(std::string_view(buf, n), t.serialized);
    if (!s.ok()) return s;
    run.emplace_back(t.hash, t.id);
  }
  std::sort(run.begin(), run.end());
  auto offset = (*file)->AppendAll<HashEntry>(run);
  if (!offset.ok()) return WithContext(offset.status(), "bulk load: term run");
  hash_runs_.push_back({*offset, run.size()});
  return absl::OkStatus();
}

}  // namespace kg
