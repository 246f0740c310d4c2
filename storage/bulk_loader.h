// BulkLoader: the fast path for loading many quads at once.
//
// Instead of writing every quad through the write-ahead log and memtables
// six times, the loader
//   1. encodes terms to ids as statements arrive, on a second thread (the
//      encoder): the caller's thread (the parser's) serializes each term
//      that differs from the one in the same position of the previous
//      statement into a batch of 4,096 statements; the encoder hashes it
//      and looks it up in an in-memory map of the terms seen in this load
//      (terms not seen before are looked up in the store once, then new
//      ones get fresh ids),
//   2. keeps the quads as 32-byte id tuples in memory, in chunks that two
//      more threads (the sorters, taking chunks in turn) sort in SPOG, POSG
//      and OSPG order while parsing goes on (sorted_runs.h) and write them,
//      delta-coded (compressed_run.h), to a temporary file each
//      (spill_file.h); the first also writes each
//      chunk's new terms to id2term and their sorted term2id entries to
//      its file. The sorters have threads of their own so that the
//      encoder, which the parser waits for, never stops for a sort, and
//      two of them so that the sorting left when the parse ends uses both
//      cores;
//   3. at Commit merges the runs per permutation (two threads), reading
//      them back a block at a time, drops
//      duplicates and quads the store already has, computes the statistics
//      deltas from the sorted runs,
//   4. writes SST files: without named graphs each of SPOG, POSG, OSPG in
//      two key-range halves, with them each index whole (the graph-first
//      ones holding only the named graphs' quads), id2term one
//      file per dictionary tag (written during the parse), term2id in two
//      halves, and the meta entries, and
//   5. ingests all of them with one atomic IngestExternalFiles call: either
//      every index, the dictionary and the statistics change, or nothing does.
// Memory: the map of the load's terms (about 40 bytes per distinct term:
// a 128-bit hash and an id per slot), a chunk being filled and two being
// sorted (24 MiB each), up to 64 batches waiting for the encoder (80 MiB
// at most, usually a few), and at commit a decoded block per run being
// merged. The runs themselves (about 25 bytes per quad, 24 per new term)
// are in the files: in the page cache, not in this process. Loads that cannot
// stream SPOG (into a non-empty store, or with named graphs) also hold the
// merged quads (32 bytes each), and with named graphs the POSG and OSPG
// orders while their graph-first copies are made. Disk: about 30 bytes
// per quad beside the store until Commit returns. Nothing reaches the
// store before Commit; Abort (or destruction) leaves the store unchanged
// and removes the temporary files.
//
// Thread-safety: one thread at a time. The loader holds the store's writer
// lock from construction to Commit/Abort, so other writers wait; readers go on.

#ifndef KGSTORE_STORAGE_BULK_LOADER_H_
#define KGSTORE_STORAGE_BULK_LOADER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "storage/background_queue.h"
#include "storage/ordered_kv.h"
#include "storage/quad_index.h"
#include "storage/compressed_run.h"
#include "storage/sorted_runs.h"
#include "storage/spill_file.h"
#include "storage/store.h"
#include "storage/rdf/term.h"

namespace kg {

struct BulkLoadResult {
  uint64_t quads_added = 0;       // quads new to the store
  uint64_t quads_duplicate = 0;   // repeated in the input or already stored
  uint64_t terms_added = 0;       // new dictionary entries
};

struct BulkLoadOptions {
  // The compression of the files the load writes. false (default): LZ4,
  // fast to write; true: ZSTD, about 30% smaller and a load about 10%
  // slower (bench/RESULTS.md, "Bulk load, session 5"). The dictionary's
  // id2term (the terms' text) is ZSTD either way: it is written during the
  // parse, where the time is free, and compresses best. Either way a later
  // full compaction (Store::Compact, `kg compact`) rewrites the data with
  // ZSTD, the compression of the bottom level.
  bool compress_for_size = false;
  // Into an empty store without named graphs, write the graph-last
  // indexes as packed blocks (packed_block.h) instead of one key per quad.
  // Other loads always write plain keys: blocks must not overlap.
  bool packed_blocks = true;
};

// `s` saying that the bulk load failed ("bulk load: ..."), unless it does
// already: a read of the store that fails inside a load (a dictionary
// lookup, the merge with the stored quads) names the load, not only the
// read.
inline absl::Status InLoad(const absl::Status& s) {
  if (s.ok() || absl::StartsWith(s.message(), "bulk load")) return s;
  return WithContext(s, "bulk load");
}

class BulkLoader {
 public:
  // Takes the writer lock (waits for the current writer). Fails with
  // FailedPrecondition on a read-only store.
  static absl::StatusOr<std::unique_ptr<BulkLoader>> Start(
      Store* store, BulkLoadOptions options = {});
  ~BulkLoader();

  // Starts a new document: blank node labels are scoped to a document, so
  // _:b1 in two files are two nodes. Every loaded blank node is a new node.
  void NewDocument();
  // Adds one quad (copied). Errors: those of the background threads' work
  // on earlier quads (a dictionary read failure, the id space exhausted,
  // writing the dictionary's SSTs), reported at the next Add or at Commit.
  absl::Status Add(const Quad& quad);
  uint64_t quads_buffered() const { return added_; }
  // Quads per background-sorted chunk (default 2^18); tests make it small
  // to exercise many runs. Call before the first Add.
  void set_chunk_quads_for_testing(size_t n) { chunk_quads_ = n; }
  // Statements per batch handed to the encoder (default 4,096); tests make
  // it small to exercise many batches. Call before the first Add.
  void set_batch_statements_for_testing(size_t n) { batch_statements_ = n; }

  // Makes every added quad durable in the store atomically. The loader is
  // finished afterwards, whatever the outcome.
  absl::StatusOr<BulkLoadResult> Commit();
  // Drops everything added. Idempotent.
  void Abort();

 private:
  BulkLoader(Store* store, std::unique_lock<std::mutex> lock,
             BulkLoadOptions options);
  // A writer for one file of key space `space` at `path` (in tmp_dir_),
  // compressed per options_.
  std::unique_ptr<KvFileWriter> NewSst(KeySpace space,
                                       std::string path) const;

  // One position of a statement handed to the encoding thread.
  struct Slot {
    enum Kind : uint8_t {
      kSame,   // the id of the same position in the previous statement
      kId,     // `value` is the id (inline terms, the default graph)
      kTerm,   // SerializeTerm's bytes at arena[value, value + length)
      kBlank,  // a blank node label at arena[value, value + length)
    };
    uint8_t kind = kSame;
    uint32_t length = 0;
    uint64_t value = 0;
  };
  // Statements in the order added, four slots each (S, P, O, G).
  struct Batch {
    std::string arena;
    std::vector<Slot> slots;
    // Statement numbers before which NewDocument was called (ascending).
    std::vector<uint32_t> documents;
  };
  // A batch goes to the encoder at this many statements or when its text
  // exceeds kBatchArenaBytes (long literals), whichever comes first.
  size_t batch_statements_ = 4096;
  static constexpr size_t kBatchArenaBytes = size_t{1} << 20;
  // Caller's thread: one slot for `term` into batch_; the batch to the
  // encoding thread.
  void AddTermSlot(const Term& term);
  void FlushBatch();
  struct NewTerm;
  // Encoder: ids for a batch's statements into chunk_, handing chunk_ and
  // new_terms_ to the sorter each time it is full.
  absl::Status EncodeBatch(const Batch& batch);
  // `hash`: the XXH3-128 of `serialized` (TermHash).
  struct HashKey;
  absl::StatusOr<TermId> EncodeSerialized(std::string_view serialized,
                                          const HashKey& hash);
  void HandToSorter();
  // First sorter: `terms` to id2term's SSTs and a sorted term2id run.
  absl::Status WriteNewTerms(const std::vector<NewTerm>& terms);
  // Caller's thread: after a failure of either thread, stops both and
  // returns the error.
  absl::Status BackgroundError();

  // The steps of Commit, in order (bulk_loader.cc says what each does).
  struct CommitState;
  using SstJob = std::function<absl::Status()>;
  absl::Status SortLastChunk(CommitState& st);
  absl::Status MergeSpog(CommitState& st);
  absl::StatusOr<std::vector<SstJob>> PlanSstJobs(CommitState& st);
  absl::Status RunSstJobs(CommitState& st, std::vector<SstJob> jobs);
  void AddStatistics(const CommitState& st, StoreStatistics* stats);
  absl::Status Ingest(CommitState& st, const StoreStatistics& stats);
  // Their parts. Whether a quad with the (S,P) or (P,O) prefix of `q`
  // (`mask`) is already stored; a failed read is an error (read as "no",
  // it would miscount the statistics).
  absl::StatusOr<bool> PrefixInStore(const QuadIds& q, unsigned mask) const;
  // One SST of index i (`suffix` names the part) from the tuples `next`
  // yields in key order. For SPOG and POSG, counts into *new_groups the
  // (S,P) / (P,O) groups new to the store (nullptr: no counting); a part
  // must start at a group boundary for that count to be right.
  // (A template, so that the merge `next` runs inlines into the loop:
  // it is called once per quad.)
  // For POSG, also tallies the quads per (P,O) into *objects (nullptr:
  // no tally).
  struct ObjectTally;
  template <typename Next>
  absl::Status WriteIndexPart(
      CommitState& st, int i, std::string_view suffix, Next&& next,
      absl::flat_hash_map<TermId, uint64_t>* new_groups,
      ObjectTally* objects = nullptr);
  // The whole of index i from `count` tuples given by `at(k)`, k ascending.
  absl::Status WriteIndex(CommitState& st, int i, size_t count,
                          const std::function<IdTuple(size_t)>& at);
  // POSG (i = 1) or OSPG (i = 2), sorted, into buf: merged from the runs,
  // or sorted from quads_. Errors: reading the runs back.
  absl::Status SortedCopy(CommitState& st, int i, std::vector<IdTuple>& buf);
  // The SPOG (i = 0), POSG (1) or OSPG (2) runs of the chunks.
  static std::vector<const CompressedRun*> RunsOf(const CommitState& st,
                                                  int i);
  // A sorter's file of runs (created on its first use) and its error.
  absl::StatusOr<SpillFile*> RunFile(int sorter);
  // Sorter `sorter`: `chunk` sorted and spilled as one run (three
  // compressed runs, compressed_run.h).
  absl::Status SpillRun(int sorter, std::vector<QuadIds> chunk);
  // `run` appended to sorter `sorter`'s file (by that sorter, or by the
  // caller's thread once the sorters are drained).
  absl::Status WriteRun(int sorter, const SortedRun& run);
  // Hands the pages of [from, to) of a mapped run file back (RunMerger's
  // release): consumed runs leave the resident set.
  void ReleaseRunPages(const void* from, const void* to) const;
  // *p, read with pread when p is in a mapped run file, so that no page
  // of the mapping becomes resident (each fault maps 64 KiB around it):
  // for the scattered reads that split runs.
  template <typename T>
  T RunElement(const T* p) const {
    for (const auto& f : run_files_)
      if (f && f->Contains(p)) return f->Read(p);
    return *p;
  }
  RunMerger<IdTuple>::Release Releaser() const {
    return [this](const void* a, const void* b) { ReleaseRunPages(a, b); };
  }
  // id2term was written in id order during the parse: closes its files.
  absl::Status FinishId2Term(CommitState& st);
  // term2id merges the sorted hash runs, in two halves of the hash space.
  absl::Status WriteTerm2Id(CommitState& st, int half);

  Store* store_;
  const BulkLoadOptions options_;
  std::unique_lock<std::mutex> lock_;
  // Lookups of existing terms and quads; also the snapshot that makes the
  // ingestion advance the sequence number (see Ingest): alive until Abort.
  std::unique_ptr<ReadView> view_;
  bool store_was_empty_;
  // ---- The encoder's (encoder_'s tasks') until it is drained ----
  uint64_t next_id_;
  // 128-bit term hash -> id, for every non-inline term seen in this load.
  struct HashKey {
    uint64_t hi, lo;
    friend bool operator==(const HashKey&, const HashKey&) = default;
    friend bool operator<(const HashKey& a, const HashKey& b) {
      return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
    }
  };
  // The key is already a uniform 128-bit hash: its low half is a hash as
  // good as any absl would derive from it, at no cost.
  struct HashKeyHash {
    size_t operator()(const HashKey& k) const { return k.lo; }
  };
  static HashKey TermHash(std::string_view serialized);
  absl::flat_hash_map<HashKey, TermId, HashKeyHash> term_ids_;
  // EncodeBatch's: the hashes of one batch's terms, in order.
  std::vector<HashKey> batch_hashes_;
  absl::flat_hash_map<std::string, TermId> blank_labels_;  // this document
  // New dictionary entries, in allocation order.
  struct NewTerm {
    TermId id;
    HashKey hash;
    std::string serialized;
  };
  std::vector<NewTerm> new_terms_;
  // Quads encoded since the last full chunk went to the sorter.
  std::vector<QuadIds> chunk_;
  size_t chunk_quads_;
  QuadIds last_ids_;  // the previous statement's ids (Slot::kSame)
  bool named_graphs_ = false;  // some added quad is in a named graph
  absl::Status encode_status_;
  uint64_t chunks_handed_ = 0;
  // ---- The sorters' (sorters_' tasks') until they are drained ----
  uint64_t terms_added_ = 0;
  // A chunk's three orders in a sorter's file (SPOG as (S,P,O,G)).
  struct RunSet {
    CompressedRun spog, posg, ospg;
  };
  std::vector<RunSet> runs_[2];  // sorted by sorters_[0] and [1]
  std::unique_ptr<SpillFile> run_files_[2];
  // New terms in id order, one file per dictionary tag: ids are handed
  // out in increasing sequence across tags, but keys order by tag first,
  // and each tag's ids form a key range of their own.
  absl::flat_hash_map<uint8_t, std::unique_ptr<KvFileWriter>> id2term_;
  using HashEntry = std::pair<HashKey, TermId>;
  // New terms' term2id entries, sorted per chunk, in run_files_[0].
  struct SpilledHashRun {
    uint64_t offset;
    size_t count;
  };
  std::vector<SpilledHashRun> hash_runs_;
  absl::Status sort_status_[2];  // per sorter
  // ---- Shared ----
  // Set when encode_status_ or sort_status_ is an error.
  std::atomic<bool> background_failed_{false};
  // Batches the encoder is done with, for reuse (no fresh pages).
  std::mutex spare_mu_;
  std::vector<Batch> spare_batches_;
  // The encoder: at most 64 batches (at most 80 MiB: 64 KiB of slots and
  // 1 MiB of text each) wait, then Add waits.
  BackgroundQueue encoder_{64};
  // The sorters. Only the encoder adds to them while the encoder runs;
  // the caller's thread drains the encoder before it touches them.
  BackgroundQueue sorters_[2];
  // ---- The caller's thread ----
  std::chrono::steady_clock::time_point started_;  // for KG_TRACE_LOAD
  uint64_t added_ = 0;
  Batch batch_;
  // The previous statement (see Add).
  struct LastQuad {
    Term subject, predicate, object;
    std::optional<Term> graph;
    const Term& at(int i) const {
      return i == 0 ? subject : i == 1 ? predicate : object;
    }
  } last_;
  bool have_last_ = false;
  // At Commit (MergeSpog): every distinct quad to write, in SPOG order.
  // Stays empty when every index streams from the runs (CommitState::
  // spog_streamed).
  std::vector<QuadIds> quads_;
  std::string tmp_dir_;
  bool finished_ = false;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_BULK_LOADER_H_
