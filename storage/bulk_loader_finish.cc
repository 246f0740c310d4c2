// BulkLoader::Commit's last steps (bulk_loader_commit.cc has the rest):
// the dictionary's files (id2term's, written during the parse, closed;
// term2id's merged from the new terms' hash runs), the statistics deltas,
// and the one atomic ingestion.

#include <algorithm>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/bulk_loader.h"
#include "storage/bulk_loader_internal.h"

namespace kg {
namespace {

// The first position of ascending `run` not less than `v`, reading
// elements as get(pointer).
template <typename T, typename Less, typename Get>
size_t LowerBoundIn(std::span<const T> run, const T& v, Less less, Get get) {
  size_t lo = 0, n = run.size();
  while (n > 0) {
    const size_t half = n / 2;
    if (less(get(&run[lo + half]), v)) {
      lo += half + 1;
      n -= half + 1;
    } else {
      n = half;
    }
  }
  return lo;
}

}  // namespace

absl::Status BulkLoader::FinishId2Term(CommitState& st) {
  for (auto& [tag, out] : id2term_) {
    auto f = out->Finish();
    if (!f.ok()) return f.status();
    std::lock_guard<std::mutex> l(st.files_mu);
    if (!f->empty()) st.id2term_files.push_back(*f);
  }
  return absl::OkStatus();
}

absl::Status BulkLoader::WriteTerm2Id(CommitState& st, int half) {
  const HashKey hash_middle{uint64_t{1} << 63, 0};
  std::vector<std::span<const HashEntry>> parts;
  for (const std::span<const HashEntry>& r : st.hash_runs) {
    auto cut =
        r.begin() + static_cast<ptrdiff_t>(LowerBoundIn(
                        r, HashEntry{hash_middle, 0}, std::less<>(),
                        [this](const HashEntry* e) { return RunElement(e); }));
    parts.push_back(half == 0 ? std::span(r.begin(), cut)
                              : std::span(cut, r.end()));
  }
  RunMerger<HashEntry> merge(std::move(parts), {}, Releaser());
  std::unique_ptr<KvFileWriter> sst = NewSst(
      KeySpace::kTerm2Id, absl::StrCat(tmp_dir_, "/term2id-", half, ".sst"));
  KvFileWriter& term2id = *sst;
  char key[16], buf[kMaxEncodedIdSize];
  HashEntry entry;
  while (merge.Next(&entry)) {
    const auto& [hash, id] = entry;
    for (int i = 0; i < 8; ++i) {
      key[i] = static_cast<char>(hash.hi >> (56 - 8 * i));
      key[8 + i] = static_cast<char>(hash.lo >> (56 - 8 * i));
    }
    const size_t len = EncodeId(id, buf);
    absl::Status s =
        term2id.Put(std::string_view(key, 16), std::string_view(buf, len));
    if (!s.ok()) return s;
  }
  auto f = term2id.Finish();
  if (!f.ok()) return f.status();
  std::lock_guard<std::mutex> l(st.files_mu);
  if (!f->empty()) st.term2id_files.push_back(*f);
  return absl::OkStatus();
}

void BulkLoader::AddStatistics(const CommitState& st, StoreStatistics* stats) {
  absl::flat_hash_set<TermId> had_quads;  // before this load
  for (const auto& [p, ps] : stats->predicates)
    if (ps.quads > 0) had_quads.insert(p);
  if (st.spog_streamed) {  // no named graphs
    for (const auto& counts : st.predicate_quads)
      for (const auto& [p, count] : counts) stats->predicates[p].quads += count;
    if (st.n > 0) stats->graphs[kDefaultGraph] += st.n;
  } else {
    for (const QuadIds& q : quads_) {
      ++stats->predicates[q.p].quads;
      ++stats->graphs[q.g];
    }
  }
  stats->total_quads += st.n;
  for (int part = 0; part < 4; ++part)
    for (const auto& [p, count] : st.group_counts[part]) {
      PredicateStats& ps = stats->predicates[p];
      (part < 2 ? ps.distinct_subjects : ps.distinct_objects) += count;
    }
  // Per-object counts: the store's (none for a predicate new to it) plus
  // the load's, while both are known and the objects stay few.
  for (int half = 0; half < 2; ++half) {
    for (TermId p : st.object_tally[half].too_many)
      stats->object_counts.erase(p);
  }
  for (int half = 0; half < 2; ++half) {
    for (const auto& [p, loaded] : st.object_tally[half].counts) {
      if (st.object_tally[1 - half].too_many.contains(p)) continue;
      const bool new_predicate = !had_quads.contains(p);
      auto it = stats->object_counts.find(p);
      if (it == stats->object_counts.end() && !new_predicate) continue;
      auto counts = it == stats->object_counts.end()
                        ? std::make_shared<ObjectCounts>()
                        : std::make_shared<ObjectCounts>(*it->second);
      for (const auto& [o, n] : loaded) (*counts)[o] += n;
      if (counts->size() > kMaxCountedObjects)
        stats->object_counts.erase(p);
      else
        stats->object_counts[p] = std::move(counts);
    }
  }
  quads_.clear();
  quads_.shrink_to_fit();
}

absl::Status BulkLoader::Ingest(CommitState& st, const StoreStatistics& stats) {
  std::vector<OrderedKv::SpaceFiles> files;
  std::unique_ptr<KvFileWriter> sst =
      NewSst(KeySpace::kMeta, tmp_dir_ + "/meta.sst");
  KvFileWriter& meta = *sst;
  for (const auto& [key, value] :
       Store::MetaEntries(next_id_, stats, nullptr, nullptr)) {
    if (!value) continue;  // bulk loads only add: no count drops to zero
    absl::Status s = meta.Put(key, *value);
    if (!s.ok()) return s;
  }
  auto file = meta.Finish();
  if (!file.ok()) return file.status();
  if (!file->empty())
    files.emplace_back(KeySpace::kMeta, std::vector<std::string>{*file});
  // Files of disjoint key ranges (dictionary tags, halves of an index)
  // ingest together.
  files.emplace_back(KeySpace::kId2Term, std::move(st.id2term_files));
  files.emplace_back(KeySpace::kTerm2Id, std::move(st.term2id_files));
  for (int i = 0; i < kNumPermutations; ++i)
    files.emplace_back(IndexSpace(static_cast<Permutation>(i)),
                       std::move(st.index_files[i]));
  bool blocks = false;
  for (int i = 0; i < 3; ++i) {
    blocks = blocks || !st.block_files[i].empty();
    files.emplace_back(BlocksSpace(static_cast<Permutation>(i)),
                       std::move(st.block_files[i]));
  }
  // Before the blocks become visible: views made from now on read them.
  if (blocks) store_->NoteBlocksWritten();
  st.Phase("meta SST");
  // One atomic ingestion of every file. It writes the MANIFEST
  // synchronously: nothing else to sync, whatever sync_commits says.
  OrderedKv* kv = store_->kv();
  const uint64_t before = kv->LatestSequence();
  absl::Status s = kv->IngestFiles(std::move(files));
  if (!s.ok()) return WithContext(s, "bulk load: ingest");
  // Readers' caches (adjacencies, probe answers) are keyed by the sequence
  // number, so a load must advance it. Ingestion does only when it has to
  // give the files one: with a live snapshot (view_, alive until Abort) or
  // an overlap with unflushed data. Should it ever not have, one more
  // write does it. The data is committed by now: a failure of that write
  // cannot undo it, and means the database refuses writes anyway.
  if (kv->LatestSequence() == before)
    store_->AdvanceSequence(next_id_).IgnoreError();
  st.Phase("ingest");
  return absl::OkStatus();
}

}  // namespace kg
