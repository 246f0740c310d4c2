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
#include <mutex>
#include <span>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/bulk_loader.h"
#include "storage/packed_block.h"

namespace kg {
namespace {

using Tuple = IdTuple;

}  // namespace

// ---- Commit ----------------------------------------------------------------
//
// Commit runs in steps, each a member function below:
//   1. SortLastChunk: the chunk still being filled is sorted (half here,
//      half on a sorter) and every run is collected;
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

// What the steps of one Commit share.
// The loaded quads per (P,O) of the predicates with at most
// kMaxCountedObjects distinct objects among them; the others are only
// named, as beyond counting.
struct BulkLoader::ObjectTally {
  absl::flat_hash_map<TermId, ObjectCounts> counts;
  absl::flat_hash_set<TermId> too_many;
};

struct BulkLoader::CommitState {
  uint64_t input_quads = 0;
  std::vector<SortedRun> runs;
  // After MergeSpog: distinct quads of the input, quads to write (n, the
  // size of quads_) and where SPOG splits in two.
  size_t distinct_quads = 0, n = 0, spog_mid = 0;
  // Opened by MergeSpog; the SPOG jobs wait on it. Into an empty store the
  // merge runs while a worker already writes POSG and OSPG from the runs.
  std::latch spog_ready{1};
  // The chunks' POSG and OSPG runs hold exactly quads_ (with duplicates)
  // unless MergeSpog dropped quads already stored; then those orders are
  // sorted from quads_ instead.
  bool runs_usable = true;
  // Every SST written, per column family, and the entries of each index
  // (a cross-check against n).
  std::mutex files_mu;
  std::vector<std::string> index_files[kNumPermutations];
  uint64_t index_entries[kNumPermutations] = {};
  // Into an empty store the graph-last indexes are written as packed
  // blocks (packed_block.h), into their *_blocks families.
  bool packed = false;
  std::vector<std::string> block_files[3];
  std::vector<std::string> id2term_files, term2id_files;
  // (S,P) / (P,O) groups new to the store, per predicate: the distinct
  // subject and object deltas. One map per job that writes part of SPOG
  // (0, 1) or POSG (2, 3); whole-index jobs use the first.
  absl::flat_hash_map<TermId, uint64_t> group_counts[4];
  // The loaded quads per (P,O), one per job writing part of POSG (whole-
  // index jobs use the first).
  ObjectTally object_tally[2];
  // Whether SPOG streams from the runs (the common case, into an empty
  // store) instead of from quads_, which then stays empty; the statistics
  // then come from POSG's jobs, which count each predicate's quads, one
  // map per half.
  bool spog_streamed = false;
  absl::flat_hash_map<TermId, uint64_t> predicate_quads[2];
  // Whole POSG/OSPG orders, when they cannot stream from the runs.
  std::vector<Tuple> posg_buf, ospg_buf;
  // KG_TRACE_LOAD=1 prints the time of each step (for tuning).
  bool trace = false;
  std::chrono::steady_clock::time_point phase_start;
  void Phase(const char* name) {
    if (!trace) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "bulk load: %-28s %8.3f s\n", name,
                 std::chrono::duration<double>(now - phase_start).count());
    phase_start = now;
  }
};

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
      for (SortedRun& r : st.runs) r = SortedRun{};
    }
  }
  if (s.ok()) {
    std::error_code ec;
    std::filesystem::create_directories(tmp_dir_, ec);
    if (ec)
      s = absl::UnavailableError(absl::StrCat(
          "bulk load: cannot create ", tmp_dir_, ": ", ec.message()));
  }
  if (s.ok()) s = RunSstJobs(st, PlanSstJobs(st));
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
  if (!sort_status_.ok()) return sort_status_;
  for (auto& r : runs_)
    for (SortedRun& run : r) st.runs.push_back(std::move(run));
  st.runs.push_back(std::move(last_half));
  st.Phase("sort the last chunk");
  return absl::OkStatus();
}

absl::Status BulkLoader::MergeSpog(CommitState& st) {
  {
    std::vector<std::span<const QuadIds>> spog_runs;
    for (const SortedRun& r : st.runs) spog_runs.emplace_back(r.spog);
    RunMerger<QuadIds, SpogLess> merge(std::move(spog_runs));
    quads_.reserve(st.input_quads);
    QuadIds q;
    while (merge.Next(&q)) quads_.push_back(q);
    for (SortedRun& r : st.runs) {
      r.spog.clear();
      r.spog.shrink_to_fit();
    }
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

void BulkLoader::SortedCopy(CommitState& st, int i, std::vector<Tuple>& buf) {
  if (st.runs_usable) {
    RunMerger<Tuple> merge(RunsOf(st, i));
    buf.clear();
    buf.reserve(st.input_quads);  // quads_ may still be merging
    Tuple t;
    while (merge.Next(&t)) buf.push_back(t);
    return;
  }
  const auto& order = kPermutationOrder[i];
  buf.resize(quads_.size());
  for (size_t k = 0; k < quads_.size(); ++k)
    for (int j = 0; j < 4; ++j) buf[k][j] = quads_[k].at(order[j]);
  std::sort(buf.begin(), buf.end());
}

std::vector<std::span<const Tuple>> BulkLoader::RunsOf(const CommitState& st,
                                                       int i) {
  std::vector<std::span<const Tuple>> parts;
  for (const SortedRun& r : st.runs)
    parts.emplace_back(i == 1 ? r.posg : r.ospg);
  return parts;
}

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
  std::vector<std::span<const HashRun::value_type>> parts;
  for (const HashRun& r : hash_runs_) {
    auto cut = std::lower_bound(
        r.begin(), r.end(), hash_middle,
        [](const HashRun::value_type& e, const HashKey& h) {
          return e.first < h;
        });
    parts.push_back(half == 0 ? std::span(r.begin(), cut)
                              : std::span(cut, r.end()));
  }
  RunMerger<HashRun::value_type> merge(std::move(parts));
  std::unique_ptr<KvFileWriter> sst =
      NewSst(KeySpace::kTerm2Id,
             absl::StrCat(tmp_dir_, "/term2id-", half, ".sst"));
  KvFileWriter& term2id = *sst;
  char key[16], buf[kMaxEncodedIdSize];
  HashRun::value_type entry;
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

namespace {

// Splits ascending runs in two at a pivot near the median of their union:
// the first half of each run is its elements below the pivot. Halves
// merged on two threads then cover the whole order, the first entirely
// below the second. The pivot is pivot_of(an estimated median): the
// weighted median of 64 evenly spaced samples per run. (The middle of one
// run is no estimate: runs are chunks of the input in order, and ids grow
// along it, so one chunk's middle subject is far from the median one.)
template <typename T, typename Less = std::less<T>, typename PivotOf>
std::pair<std::vector<std::span<const T>>, std::vector<std::span<const T>>>
SplitRuns(std::vector<std::span<const T>> parts, PivotOf pivot_of) {
  constexpr size_t kSamples = 64;
  // Each sample with the number of elements it stands for.
  std::vector<std::pair<T, double>> samples;
  double total = 0;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    const size_t count = std::min(kSamples, p.size());
    for (size_t j = 0; j < count; ++j)
      samples.emplace_back(p[(2 * j + 1) * p.size() / (2 * count)],
                           static_cast<double>(p.size()) / count);
    total += static_cast<double>(p.size());
  }
  T pivot{};
  if (!samples.empty()) {
    std::sort(samples.begin(), samples.end(), [](const auto& a, const auto& b) {
      return Less{}(a.first, b.first);
    });
    double seen = 0;
    for (const auto& [element, weight] : samples) {
      pivot = element;
      if ((seen += weight) >= total / 2) break;
    }
    pivot = pivot_of(pivot);
  }
  std::vector<std::span<const T>> low, high;
  for (const auto& p : parts) {
    auto cut = std::lower_bound(p.begin(), p.end(), pivot, Less{});
    low.emplace_back(p.begin(), cut);
    high.emplace_back(cut, p.end());
  }
  return {std::move(low), std::move(high)};
}

}  // namespace

std::vector<BulkLoader::SstJob> BulkLoader::PlanSstJobs(CommitState& st) {
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
    for (int i : {1, 2}) {
      auto [low, high] = SplitRuns<Tuple>(
          RunsOf(st, i), [](const Tuple& m) { return Tuple{m[0], m[1], 0, 0}; });
      for (int half = 0; half < 2; ++half) {
        jobs.push_back([this, &st, i, half, spans = half == 0 ? low : high] {
          RunMerger<Tuple> merge(spans);
          if (i == 2)
            return WriteIndexPart(st, i, absl::StrCat("-", half),
                                  [&](Tuple* t) { return merge.Next(t); },
                                  nullptr);
          // POSG also counts each predicate's quads (its first id).
          auto& quads = st.predicate_quads[half];
          uint64_t* count = nullptr;  // of predicate p, the current one
          TermId p = 0;
          return WriteIndexPart(
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
        });
      }
    }
    if (store_was_empty_) {
      std::vector<std::span<const QuadIds>> spog_runs;
      for (const SortedRun& r : st.runs) spog_runs.emplace_back(r.spog);
      auto [spog_low, spog_high] = SplitRuns<QuadIds, SpogLess>(
          std::move(spog_runs),
          [](const QuadIds& m) { return QuadIds{m.s, m.p, 0, 0}; });
      for (int half = 0; half < 2; ++half) {
        jobs.push_back([this, &st, half,
                        spans = half == 0 ? spog_low : spog_high] {
          RunMerger<QuadIds, SpogLess> merge(spans);
          return WriteIndexPart(
              st, 0, absl::StrCat("-", half),
              [&](Tuple* t) {
                QuadIds q;
                if (!merge.Next(&q)) return false;
                *t = Tuple{q.s, q.p, q.o, q.g};
                return true;
              },
              &st.group_counts[half]);
        });
      }
    } else {
      // MergeSpog already merged the runs' SPOG orders into quads_ (to
      // look each quad up): halves at an (S,P) boundary of quads_.
      for (int half = 0; half < 2; ++half) {
        jobs.push_back([this, &st, half] {
          st.spog_ready.wait();
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
      SortedCopy(st, i, buf);
      absl::Status s =
          WriteIndex(st, i, buf.size(), [&](size_t k) { return buf[k]; });
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
    MergeSpog(st).IgnoreError();  // nothing to look up: cannot fail
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
  hash_runs_.clear();
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

absl::Status BulkLoader::Ingest(CommitState& st,
                                const StoreStatistics& stats) {
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
  if (!file->empty()) files.emplace_back(KeySpace::kMeta,
                                         std::vector<std::string>{*file});
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
