// BulkLoader::Commit (bulk_loader.h): merge the sorted runs, write every
// index's and the dictionary's SST files on two workers, ingest them all
// atomically. The caller's, encoder's and sorters' parts are in
// bulk_loader.cc.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/bulk_loader.h"
#include "storage/bulk_loader_internal.h"
#include "storage/packed_block.h"

namespace kg {
namespace {

using Tuple = IdTuple;


// Positions [begin, end) of one compressed run.
struct RunPart {
  const CompressedRun* run;
  size_t begin, end;
};

// Merges parts of runs (RunMerger over their readers), each distinct
// tuple once.
class PartsMerger {
 public:
  explicit PartsMerger(const std::vector<RunPart>& parts) {
    std::vector<RunMerger<Tuple>::Source> sources;
    readers_.reserve(parts.size());
    for (const RunPart& p : parts) {
      readers_.push_back(
          std::make_unique<CompressedRunReader>(p.run, p.begin, p.end));
      CompressedRunReader* r = readers_.back().get();
      sources.push_back([r] { return r->Next(); });
    }
    merger_.emplace(RunMerger<Tuple>::FromSources(std::move(sources)));
  }
  bool Next(Tuple* t) { return merger_->Next(t); }
  // A failed read ends its run early: check after the merge.
  absl::Status status() const {
    for (const auto& r : readers_)
      if (!r->status().ok()) return r->status();
    return absl::OkStatus();
  }

 private:
  std::vector<std::unique_ptr<CompressedRunReader>> readers_;
  std::optional<RunMerger<Tuple>> merger_;
};

std::vector<RunPart> WholeRuns(const std::vector<const CompressedRun*>& runs) {
  std::vector<RunPart> parts;
  for (const CompressedRun* r : runs) parts.push_back({r, 0, r->count});
  return parts;
}

}  // namespace

// ---- Commit ----------------------------------------------------------------
//
// Commit runs in steps, each a member function below:
//   1. SortLastChunk: the chunk still being filled is sorted (half here,
//      half on a sorter), and the run files are mapped;
//   2. MergeSpog, unless SPOG streams from the runs too (into an empty
//      store without named graphs): the runs' SPOG orders merge into
//      quads_, duplicates of the input and (into a non-empty store) quads
//      already stored drop out, and SPOG's split point at an (S,P)
//      boundary is found;
//   3. PlanSstJobs / RunSstJobs: the SSTs of every index and of term2id,
//      as jobs two workers take in order (WriteIndexPart, WriteTerm2Id);
//   4. AddStatistics: the statistics deltas (group counts from step 3);
//   5. Ingest: the meta SST, then one atomic IngestExternalFiles.
// Any failure aborts the load: nothing reaches the store before step 5.
// The dictionary's jobs and steps 4 and 5 are in bulk_loader_finish.cc.


namespace {

// A graph-first order (G then the rest) from the same order without G in
// front, which ends in G: a stable counting sort by G. Most stores have
// few graphs, so this replaces three of the six comparison sorts with a
// linear pass. The graph-first indexes hold only quads of named graphs
// (quad_index.h), so quads of the default graph are left out. Returns the
// positions, in the source order, of the named graphs' quads in the new
// order.
std::vector<uint32_t> GraphFirstOrder(
    size_t count, const std::function<TermId(size_t)>& graph_of) {
  absl::flat_hash_map<TermId, uint32_t> bucket_count;
  for (size_t k = 0; k < count; ++k) {
    const TermId g = graph_of(k);
    if (g != kDefaultGraph) ++bucket_count[g];
  }
  std::vector<TermId> graphs;
  for (const auto& [g, n] : bucket_count) graphs.push_back(g);
  std::sort(graphs.begin(), graphs.end());
  absl::flat_hash_map<TermId, uint32_t> next;
  uint32_t offset = 0;
  for (TermId g : graphs) {
    next[g] = offset;
    offset += bucket_count[g];
  }
  std::vector<uint32_t> positions(offset);
  for (size_t k = 0; k < count; ++k) {
    const TermId g = graph_of(k);
    if (g != kDefaultGraph) positions[next[g]++] = static_cast<uint32_t>(k);
  }
  return positions;
}

// (X, Y, Z, G) -> (G, X, Y, Z): a graph-last tuple as its graph-first one.
Tuple RotateGraphFirst(const Tuple& t) { return Tuple{t[3], t[0], t[1], t[2]}; }

}  // namespace

absl::StatusOr<BulkLoadResult> BulkLoader::Commit() {
  if (finished_) return absl::FailedPreconditionError("bulk load finished");
  CommitState st;
  st.input_quads = added_;
  st.trace = std::getenv("KG_TRACE_LOAD") != nullptr;
  st.phase_start = std::chrono::steady_clock::now();
  if (st.trace)
    std::fprintf(
        stderr, "bulk load: %-28s %8.3f s\n", "parse, encode (since start)",
        std::chrono::duration<double>(st.phase_start - started_).count());

  absl::Status s = SortLastChunk(st);
  if (s.ok() && st.input_quads >= (uint64_t{1} << 32))
    s = absl::ResourceExhaustedError(
        "bulk load: more than 2^32 quads in one load; split the input");
  if (s.ok() && !store_was_empty_) {
    // Needs lookups, which may fail: before any worker starts.
    s = MergeSpog(st);
    st.spog_ready.count_down();
    st.Phase("merge spog, dedupe, filter");
    if (st.n != st.distinct_quads) {
      st.runs_usable = false;
      st.runs.clear();
    }
  }
  if (s.ok()) {
    std::error_code ec;
    std::filesystem::create_directories(tmp_dir_, ec);
    if (ec)
      s = absl::UnavailableError(absl::StrCat(
          "bulk load: cannot create ", tmp_dir_, ": ", ec.message()));
  }
  if (s.ok()) {
    auto jobs = PlanSstJobs(st);
    s = jobs.ok() ? RunSstJobs(st, *std::move(jobs)) : jobs.status();
  }
  if (!s.ok()) {
    Abort();
    return InLoad(s);
  }
  BulkLoadResult result;
  result.quads_added = st.n;
  result.quads_duplicate = st.input_quads - st.n;
  result.terms_added = terms_added_;
  StoreStatistics stats = store_->Statistics();
  AddStatistics(st, &stats);
  s = Ingest(st, stats);
  if (!s.ok()) {
    Abort();
    return InLoad(s);
  }
  store_->Published(next_id_, std::move(stats));
  Abort();  // releases buffers, the temp dir and the writer lock
  return result;
}

absl::Status BulkLoader::SortLastChunk(CommitState& st) {
  FlushBatch();
  encoder_.Drain();  // every statement encoded: chunk_ is ours now
  if (!encode_status_.ok()) return BackgroundError();
  batch_ = Batch{};
  spare_batches_.clear();
  // The last chunk is sorted in two halves, one here and one by a sorter;
  // the first sorter also writes the last new terms.
  std::vector<QuadIds> first_half(
      chunk_.begin(),
      chunk_.begin() + static_cast<ptrdiff_t>(chunk_.size() / 2));
  chunk_.erase(chunk_.begin(),
               chunk_.begin() + static_cast<ptrdiff_t>(chunk_.size() / 2));
  HandToSorter();
  SortedRun last_half = SortChunk(std::move(first_half));
  for (BackgroundQueue& q : sorters_) q.Drain();
  for (const absl::Status& s : sort_status_)
    if (!s.ok()) return s;
  if (!last_half.spog.empty()) {
    // The sorters are idle now: their files are the caller's.
    absl::Status s = WriteRun(0, last_half);
    if (!s.ok()) return s;
  }
  for (int sorter = 0; sorter < 2; ++sorter) {
    for (RunSet& r : runs_[sorter]) st.runs.push_back(std::move(r));
    runs_[sorter].clear();
    // Mapped for the term2id runs (uncompressed: hashes do not shrink);
    // the compressed runs are read with pread.
    if (!run_files_[sorter]) continue;
    absl::Status s = run_files_[sorter]->Map();
    if (!s.ok()) return WithContext(s, "bulk load: sorted runs");
  }
  for (const SpilledHashRun& r : hash_runs_)
    st.hash_runs.push_back(run_files_[0]->At<HashEntry>(r.offset, r.count));
  st.Phase("sort the last chunk");
  return absl::OkStatus();
}

absl::Status BulkLoader::MergeSpog(CommitState& st) {
  {
    PartsMerger merge(WholeRuns(RunsOf(st, 0)));
    quads_.reserve(st.input_quads);
    Tuple t;
    while (merge.Next(&t)) quads_.push_back(QuadIds{t[0], t[1], t[2], t[3]});
    absl::Status s = merge.status();
    if (!s.ok()) return s;
  }
  st.distinct_quads = quads_.size();
  if (!store_was_empty_) {
    std::string key;
    size_t out = 0;
    for (size_t i = 0; i < quads_.size(); ++i) {
      key.clear();
      EncodeQuadKey(Permutation::kSPOG, quads_[i], &key);
      auto held = view_->Holds(Permutation::kSPOG, key);
      if (!held.ok()) return held.status();
      if (!*held) quads_[out++] = quads_[i];
    }
    quads_.resize(out);
  }
  st.n = quads_.size();
  st.spog_mid = st.n / 2;
  while (st.spog_mid > 0 && st.spog_mid < st.n &&
         quads_[st.spog_mid].s == quads_[st.spog_mid - 1].s &&
         quads_[st.spog_mid].p == quads_[st.spog_mid - 1].p)
    ++st.spog_mid;
  return absl::OkStatus();
}

absl::StatusOr<bool> BulkLoader::PrefixInStore(const QuadIds& q,
                                               unsigned mask) const {
  if (store_was_empty_) return false;
  // Straight to the indexes: this runs on both loader threads at once, and
  // a load's probes are no reason to build an adjacency.
  auto it = view_->ScanIndexes(q, mask, /*charge=*/false);
  if (it->Valid()) return true;
  if (!it->status().ok())
    return WithContext(it->status(), "bulk load: statistics probe");
  return false;
}

template <typename Next>
absl::Status BulkLoader::WriteIndexPart(
    CommitState& st, int i, std::string_view suffix, Next&& next,
    absl::flat_hash_map<TermId, uint64_t>* new_groups, ObjectTally* objects) {
  const Permutation perm = static_cast<Permutation>(i);
  const auto& order = kPermutationOrder[i];
  const bool packed = st.packed && store_->has_blocks_space(perm);
  std::unique_ptr<KvFileWriter> sst =
      NewSst(packed ? BlocksSpace(perm) : IndexSpace(perm),
             absl::StrCat(tmp_dir_, "/", Sv(PermutationName(perm)),
                          packed ? "_blocks" : "", Sv(suffix), ".sst"));
  KvFileWriter& out = *sst;
  PackedBlockWriter block;
  auto put_block = [&] {
    absl::Status s = out.Put(block.key(), block.value());
    block.Clear();
    return s;
  };
  char key[kMaxIndexKeySize];
  Tuple t, prev{};
  uint64_t entries = 0;
  const bool count_groups = new_groups != nullptr;
  // The tally of the current predicate (null: too many objects to count)
  // and the count of the current (P,O) group.
  ObjectCounts* tally = nullptr;
  uint64_t* object_quads = nullptr;
  while (next(&t)) {
    size_t len = 0;
    for (int j = 0; j < 4; ++j) len += EncodeId(t[j], key + len);
    absl::Status s;
    if (!packed) {
      s = out.Put(std::string_view(key, len), {});
    } else {
      block.Add(std::string_view(key, len));
      if (block.entries() == kPackedBlockEntries) s = put_block();
    }
    if (!s.ok()) return s;
    const bool new_group = entries == 0 || t[0] != prev[0] || t[1] != prev[1];
    if (objects != nullptr) {
      if (entries == 0 || t[0] != prev[0]) {
        tally = objects->too_many.contains(t[0]) ? nullptr
                                                 : &objects->counts[t[0]];
      }
      if (new_group && tally != nullptr) {
        if (tally->size() == kMaxCountedObjects && !tally->contains(t[1])) {
          objects->counts.erase(t[0]);
          objects->too_many.insert(t[0]);
          tally = nullptr;
        } else {
          object_quads = &(*tally)[t[1]];
        }
      }
      if (tally != nullptr) ++*object_quads;
    }
    prev = t;
    ++entries;
    if (new_group && count_groups) {
      QuadIds q;
      q.at(order[0]) = t[0];
      q.at(order[1]) = t[1];
      auto known =
          PrefixInStore(q, perm == Permutation::kSPOG ? 0b0011 : 0b0110);
      if (!known.ok()) return known.status();
      if (!*known) ++(*new_groups)[q.p];
    }
  }
  if (block.entries() > 0) {
    absl::Status s = put_block();
    if (!s.ok()) return s;
  }
  auto file = out.Finish();
  if (!file.ok()) return file.status();
  std::lock_guard<std::mutex> l(st.files_mu);
  if (!file->empty())
    (packed ? st.block_files[i] : st.index_files[i]).push_back(*file);
  st.index_entries[i] += entries;
  return absl::OkStatus();
}

absl::Status BulkLoader::WriteIndex(CommitState& st, int i, size_t count,
                                    const std::function<Tuple(size_t)>& at) {
  size_t k = 0;
  return WriteIndexPart(
      st, i, "",
      [&](Tuple* t) {
        if (k == count) return false;
        *t = at(k++);
        return true;
      },
      i == 0 || i == 1 ? &st.group_counts[i == 0 ? 0 : 2] : nullptr,
      i == 1 ? &st.object_tally[0] : nullptr);
}

absl::Status BulkLoader::SortedCopy(CommitState& st, int i,
                                    std::vector<Tuple>& buf) {
  if (st.runs_usable) {
    PartsMerger merge(WholeRuns(RunsOf(st, i)));
    buf.clear();
    buf.reserve(st.input_quads);  // quads_ may still be merging
    Tuple t;
    while (merge.Next(&t)) buf.push_back(t);
    return merge.status();
  }
  const auto& order = kPermutationOrder[i];
  buf.resize(quads_.size());
  for (size_t k = 0; k < quads_.size(); ++k)
    for (int j = 0; j < 4; ++j) buf[k][j] = quads_[k].at(order[j]);
  std::sort(buf.begin(), buf.end());
  return absl::OkStatus();
}

std::vector<const CompressedRun*> BulkLoader::RunsOf(const CommitState& st,
                                                     int i) {
  std::vector<const CompressedRun*> runs;
  for (const RunSet& r : st.runs)
    runs.push_back(i == 0 ? &r.spog : i == 1 ? &r.posg : &r.ospg);
  return runs;
}

namespace {

// Splits runs in two at a pivot near the median of their union: the first
// half of each run is its tuples below the pivot. Halves merged on two
// threads then cover the whole order, the first entirely below the second.
// The pivot is pivot_of(an estimated median): the weighted median of the
// first tuples of the runs' blocks. (The middle of one run is no estimate:
// runs are chunks of the input in order, and ids grow along it, so one
// chunk's middle subject is far from the median one.) Errors: reading the
// block that holds a cut.
template <typename PivotOf>
absl::StatusOr<std::pair<std::vector<RunPart>, std::vector<RunPart>>>
SplitRuns(const std::vector<const CompressedRun*>& runs, PivotOf pivot_of) {
  // Each sample with the number of tuples it stands for.
  std::vector<std::pair<Tuple, size_t>> samples;
  size_t total = 0;
  for (const CompressedRun* r : runs) {
    for (size_t b = 0; b < r->blocks.size(); ++b)
      samples.emplace_back(r->blocks[b].first,
                           std::min(kCompressedRunBlock,
                                    r->count - b * kCompressedRunBlock));
    total += r->count;
  }
  Tuple pivot{};
  if (!samples.empty()) {
    std::sort(samples.begin(), samples.end());
    size_t seen = 0;
    for (const auto& [first, weight] : samples) {
      pivot = first;
      if ((seen += weight) >= total / 2) break;
    }
    pivot = pivot_of(pivot);
  }
  std::vector<RunPart> low, high;
  for (const CompressedRun* r : runs) {
    auto cut = LowerBound(*r, pivot);
    if (!cut.ok()) return cut.status();
    low.push_back({r, 0, *cut});
    high.push_back({r, *cut, r->count});
  }
  return std::pair{std::move(low), std::move(high)};
}

}  // namespace

absl::StatusOr<std::vector<BulkLoader::SstJob>> BulkLoader::PlanSstJobs(
    CommitState& st) {
  // Loads without named graphs (the common case) write no graph-first SST.
  // (A quad of a named graph that was already stored and dropped still
  // counts: the graph-first SSTs are merely empty then.)
  const bool named_graphs = named_graphs_;
  std::vector<SstJob> jobs;
  if (st.runs_usable && !named_graphs) {
    // The common case: every index in two halves, so the workers share
    // each one. The halves split at a pivot (S,P) / (P,O) / (O,S) prefix
    // (SplitRuns). The merges stream into the SSTs, with no copy, and no
    // group straddles the halves (group counts stay exact).
    st.spog_streamed = store_was_empty_;
    // Packed blocks only into an empty store: blocks must not overlap,
    // and an empty store has none yet. (Later loads write plain keys.)
    st.packed = store_was_empty_ && options_.packed_blocks;
    // SPOG splits only when it streams from the runs too.
    for (int i : {1, 2, 0}) {
      if (i == 0 && !store_was_empty_) break;
      auto split = SplitRuns(
          RunsOf(st, i), [](const Tuple& m) { return Tuple{m[0], m[1], 0, 0}; });
      if (!split.ok()) return split.status();
      for (int half = 0; half < 2; ++half) {
        jobs.push_back([this, &st, i, half,
                        parts = half == 0 ? split->first : split->second] {
          PartsMerger merge(parts);
          absl::Status s;
          if (i == 0) {
            s = WriteIndexPart(st, 0, absl::StrCat("-", half),
                               [&](Tuple* t) { return merge.Next(t); },
                               &st.group_counts[half]);
            return s.ok() ? merge.status() : s;
          }
          if (i == 2) {
            s = WriteIndexPart(st, i, absl::StrCat("-", half),
                               [&](Tuple* t) { return merge.Next(t); },
                               nullptr);
            return s.ok() ? merge.status() : s;
          }
          // POSG also counts each predicate's quads (its first id).
          auto& quads = st.predicate_quads[half];
          uint64_t* count = nullptr;  // of predicate p, the current one
          TermId p = 0;
          s = WriteIndexPart(
              st, i, absl::StrCat("-", half),
              [&](Tuple* t) {
                if (!merge.Next(t)) return false;
                if (count == nullptr || (*t)[0] != p) {
                  p = (*t)[0];
                  count = &quads[p];  // earlier pointers are not used again
                }
                ++*count;
                return true;
              },
              &st.group_counts[2 + half], &st.object_tally[half]);
          return s.ok() ? merge.status() : s;
        });
      }
    }
    if (!store_was_empty_) {
      // MergeSpog already merged the runs' SPOG orders into quads_ (to
      // look each quad up): halves at an (S,P) boundary of quads_.
      for (int half = 0; half < 2; ++half) {
        jobs.push_back([this, &st, half] {
          st.spog_ready.wait();  // (MergeSpog ran in Commit and succeeded)
          const size_t lo = half == 0 ? 0 : st.spog_mid;
          const size_t hi = half == 0 ? st.spog_mid : st.n;
          return WriteIndexPart(
              st, 0, absl::StrCat("-", half),
              [this, hi, k = lo](Tuple* t) mutable {
                if (k == hi) return false;
                const QuadIds& q = quads_[k++];
                *t = Tuple{q.s, q.p, q.o, q.g};
                return true;
              },
              &st.group_counts[half]);
        });
      }
    }
    jobs.push_back([this, &st] {
      absl::Status s = FinishId2Term(st);
      return s.ok() ? WriteTerm2Id(st, 0) : s;
    });
    jobs.push_back([this, &st] { return WriteTerm2Id(st, 1); });
    return jobs;
  }
  // Named graphs, or quads dropped as already stored: whole indexes, each
  // graph-first one made from the order it extends.
  for (int i : {1, 2}) {
    jobs.push_back([this, &st, i, named_graphs]() -> absl::Status {
      std::vector<Tuple>& buf = i == 1 ? st.posg_buf : st.ospg_buf;
      absl::Status s = SortedCopy(st, i, buf);
      if (!s.ok()) return s;
      s = WriteIndex(st, i, buf.size(), [&](size_t k) { return buf[k]; });
      if (!s.ok() || !named_graphs) return s;
      auto pos = GraphFirstOrder(buf.size(),
                                 [&](size_t k) { return buf[k][3]; });
      s = WriteIndex(st, i + 3, pos.size(), [&](size_t k) {
        return RotateGraphFirst(buf[pos[k]]);
      });
      buf = {};
      return s;
    });
  }
  jobs.push_back([this, &st] {
    absl::Status s = FinishId2Term(st);
    if (s.ok()) s = WriteTerm2Id(st, 0);
    return s.ok() ? WriteTerm2Id(st, 1) : s;
  });
  jobs.push_back([this, &st, named_graphs]() -> absl::Status {
    st.spog_ready.wait();
    if (!st.spog_status.ok()) return st.spog_status;
    absl::Status s = WriteIndex(st, 0, st.n, [&](size_t k) {
      const QuadIds& q = quads_[k];
      return Tuple{q.s, q.p, q.o, q.g};
    });
    if (!s.ok() || !named_graphs) return s;
    auto pos = GraphFirstOrder(st.n, [&](size_t k) { return quads_[k].g; });
    return WriteIndex(st, 3, pos.size(), [&](size_t k) {
      const QuadIds& q = quads_[pos[k]];
      return Tuple{q.g, q.s, q.p, q.o};
    });
  });
  return jobs;
}

absl::Status BulkLoader::RunSstJobs(CommitState& st,
                                    std::vector<SstJob> jobs) {
  std::vector<absl::Status> job_status(jobs.size());
  std::atomic<size_t> next_job{0};
  double worker_seconds[2] = {};
  auto worker = [&](int w) {
    const auto start = std::chrono::steady_clock::now();
    for (size_t j; (j = next_job.fetch_add(1)) < jobs.size();) {
      const auto job_start = std::chrono::steady_clock::now();
      job_status[j] = jobs[j]();
      if (st.trace)
        std::fprintf(stderr, "bulk load:     job %zu on worker %d: %.3f s\n",
                     j, w,
                     std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - job_start)
                         .count());
    }
    worker_seconds[w] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                      start)
            .count();
  };
  // Two workers: the machine this targets has two cores.
  std::thread other(worker, 1);
  if (store_was_empty_ && !st.spog_streamed) {
    st.spog_status = MergeSpog(st);  // the jobs that wait for it check
    st.spog_ready.count_down();
    st.Phase("merge spog (one worker started)");
  }
  worker(0);
  other.join();
  if (st.trace)
    std::fprintf(stderr,
                 "bulk load:   %zu jobs; worker 0 %.3f s, worker 1 %.3f s\n",
                 jobs.size(), worker_seconds[0], worker_seconds[1]);
  st.Phase("index and dictionary SSTs");
  st.runs.clear();
  st.hash_runs.clear();
  for (const absl::Status& s : job_status)
    if (!s.ok()) return s;
  // Streamed into an empty store, SPOG's entries are the distinct quads;
  // the other indexes must agree.
  if (st.spog_streamed) st.n = st.index_entries[0];
  for (int i = 0; i < 3; ++i) {
    if (st.index_entries[i] != st.n)
      return absl::InternalError(absl::StrCat(
          "bulk load: index ",
          Sv(PermutationName(static_cast<Permutation>(i))), " got ",
          st.index_entries[i], " entries for ", st.n, " quads"));
  }
  return absl::OkStatus();
}

}  // namespace kg
