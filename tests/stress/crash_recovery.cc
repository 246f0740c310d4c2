// Crash recovery: writers killed with SIGKILL at random moments, and a
// parent that reopens the store after each kill and checks that nothing
// reported committed is missing, nothing is half there, and
// Database::Check (what `kg check` runs) finds no problem.
//
//   crash_recovery [--kills N] [--seconds S] [--seed X] [--dir D]
//                  [--scale F] [--keep] [--verbose]
//
// It stops after N kills (default 20) or S seconds (default 25), whichever
// comes first; --scale multiplies the sizes of updates and loads (the
// default suite runs 0.1); --keep keeps the folder (default: a new one in
// the temporary directory); a failure keeps the store as failed-store.
//
// The parent runs a loop: it writes what it knows of the store (its model)
// to a file, starts a writer (this program again, `--child`, through
// fork and exec), lets it run for a random time and kills it with
// SIGKILL: a sixth of the kills within 40 ms of the start (in exec, in
// Open and its recovery, in the first commit), the others within 20 ms or
// 500 ms after the writer announced its first to fourth transaction; the
// first two writers of each new store within 300 ms of the start, while
// they create it.
// The writer commits numbered transactions of several kinds, one after
// another, and reports over a pipe "B n ..." before each and "C n" after
// Commit (or the load, or the compaction) returned OK. After the kill the
// parent opens the store read-only (as `kg check` does), reads every quad
// and compares what it finds with its model: every transaction reported
// committed must be there, and the one in flight at the kill (a "B"
// without its "C") may be there or not, but whole. Then it runs Check.
//
// What a transaction n writes, so that completeness can be checked:
//   items i = 0..M-1, two quads each (one subject per item):
//     <urn:kg:t{n}/{i}> <urn:kg:tx> n                       (inline integer)
//     <urn:kg:t{n}/{i}> <urn:kg:v>  "value {n}/{i}"          (dictionary term)
//   and a marker, in the same graph:
//     <urn:kg:txn{n}> <urn:kg:kind>  "{kind}"
//     <urn:kg:txn{n}> <urn:kg:items> M
// Items fall into 8 groups (i mod 8). A removal transaction x deletes both
// quads of every item of one group g of an earlier transaction r and
// writes its own marker (<urn:kg:txn{x}> <urn:kg:kind> "remove...",
// <urn:kg:txn{x}> <urn:kg:removed> "r/g"): after a crash, either the whole
// group is gone and the marker is there, or the reverse.
//
// Kinds: insert (Transaction::Insert of 1-16 items, half of them into a
// named graph), update (SPARQL INSERT DATA of 1,000-2,500 items, that is
// 2,000-5,000 quads), load-empty (LoadStream of 5,000-20,000 items into a
// fresh store: packed blocks), load (LoadStream of 1,000-5,000 items into
// the non-empty store, some into a named graph), remove
// (Transaction::Remove of a group, preferably of a packed load: the
// removal rewrites packed blocks), remove-update (the same as a SPARQL
// DELETE ... WHERE { VALUES ?s {...} ... } ; INSERT DATA request) and
// compact (Database::Compact). Every 40 kills (or 50,000 items) the
// parent starts a new store, so that creating a store and loading into
// an empty one are killed too.
//
// SIGKILL ends the process, not the machine: the page cache survives, so
// this shows that a commit reported OK is in the write-ahead log or the
// ingested files, and that recovery reads them back whole; durability
// against power loss is the fault-injection tests' subject.
//
// Files: this one has the parent (the kill loop, the figures) and main;
// crash_recovery_verify.cc reads the reopened store back and compares it
// with the model; crash_recovery_writer.cc is the writer;
// crash_recovery_model.cc (with crash_recovery.h) has what both sides
// share: the transactions, the model and the quads they write.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/database.h"
#include "storage/store.h"
#include "tests/stress/crash_recovery.h"
#include "tests/util/test_store.h"

namespace kg::crash_recovery {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// ---- the parent -------------------------------------------------------

struct Figures {
  uint64_t kills = 0;
  uint64_t kills_before_open = 0;  // killed before Open returned
  uint64_t kills_between = 0;      // no transaction in flight
  uint64_t in_flight[kNumKinds] = {};
  uint64_t in_flight_applied[kNumKinds] = {};
  uint64_t committed[kNumKinds] = {};   // reported committed, then verified
  uint64_t presence_checks = 0;         // live transactions verified present
  uint64_t stores = 0;                  // fresh stores started
  uint64_t unfinished_creations = 0;    // stores left half created
  uint64_t packed_kills = 0;            // kills of a store with packed blocks
  uint64_t losses = 0;
  uint64_t partial = 0;
  uint64_t check_problems = 0;
  double verify_seconds = 0;
};

struct Options {
  uint64_t kills = 20;
  double seconds = 25;
  uint64_t seed = 0;
  std::string dir;
  bool keep = false;
  bool verbose = false;
  double scale = 1;  // of the sizes of updates and loads
};

// Starts this program as a writer; its reports come through *report_fd.
pid_t SpawnChild(const std::string& store, const std::string& model_file,
                 uint64_t seed, double scale, int* report_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  std::string seed_text = std::to_string(seed);
  const std::string scale_text = std::to_string(scale);
  const char* argv[] = {"crash_recovery", "--child", store.c_str(),
                        model_file.c_str(), seed_text.c_str(),
                        scale_text.c_str(), nullptr};
  pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls until exec: the parent has threads.
    if (dup2(fds[1], kReportFd) < 0) _exit(127);
    execv("/proc/self/exe", const_cast<char* const*>(argv));
    _exit(127);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    return -1;
  }
  *report_fd = fds[0];
  return pid;
}

// Reads what is available (all of it once the writer is dead), with a
// deadline; returns false at end of file.
bool ReadReports(int fd, int timeout_ms, std::string* buffer) {
  pollfd p{fd, POLLIN, 0};
  int r = poll(&p, 1, timeout_ms);
  if (r <= 0) return true;
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n <= 0) return false;
  buffer->append(buf, static_cast<size_t>(n));
  return true;
}

int ParentMain(const Options& opt) {
  std::mt19937_64 rng(opt.seed);
  auto uniform = [&](uint64_t lo, uint64_t hi) {
    return std::uniform_int_distribution<uint64_t>(lo, hi)(rng);
  };
  std::error_code ec;
  fs::create_directories(opt.dir, ec);
  const std::string store = opt.dir + "/store";
  const std::string model_file = opt.dir + "/model.txt";
  fs::remove_all(store, ec);
  Model model;
  Figures fig;
  fig.stores = 1;
  uint64_t epoch_kills = 0;
  const auto start = Clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  auto fail = [&](const std::string& what) {
    std::cerr << "crash_recovery: FAILED after " << fig.kills << " kills (seed "
              << opt.seed << "): " << what << "\n";
    std::string kept = opt.dir + "/failed-store";
    fs::remove_all(kept, ec);
    fs::copy(store, kept, fs::copy_options::recursive, ec);
    std::cerr << "crash_recovery: the store is kept in " << kept << "\n";
    return 1;
  };

  while (fig.kills < opt.kills && elapsed() < opt.seconds) {
    if (!WriteModel(model, model_file)) return fail("cannot write the model");
    // When to kill. A sixth of the kills come at a random moment of the
    // first 40 ms (exec, Open with its recovery from the last kill, the
    // first commit); the others a random time after the writer announced
    // its k-th transaction (k = 1..4): within 20 ms half the time (early
    // in that commit), else within 500 ms (in it, after it, in the next).
    // Timed from the announcements, so a slow machine moves the moments
    // with the writer. While a new store is being created (the first two
    // writers of each store, and until a writer got through), within
    // 300 ms of the start: creating a store takes that long (thirteen
    // column families, each written to the MANIFEST and an OPTIONS file).
    const bool creating = model.fresh && (epoch_kills < 2 ||
                                          !fs::exists(store + "/CURRENT", ec));
    const bool early = creating || uniform(0, 5) == 0;
    const size_t wait_for = early ? 0 : uniform(1, 4);
    const uint64_t delay_us = creating         ? uniform(0, 300000)
                              : early          ? uniform(0, 40000)
                              : uniform(0, 1) ? uniform(0, 20000)
                                               : uniform(0, 500000);
    int fd = -1;
    const pid_t pid = SpawnChild(store, model_file, rng(), opt.scale, &fd);
    if (pid < 0) return fail("cannot start a writer");
    std::optional<Clock::time_point> deadline;
    if (wait_for == 0)
      deadline = Clock::now() + std::chrono::microseconds(delay_us);
    // A writer that does not get as far within a minute is stuck: that
    // is a failure too (it hangs on recovery, a lock, ...).
    const auto give_up = Clock::now() + std::chrono::seconds(60);
    std::string reports;
    bool open = true;
    while (open) {
      if (!deadline) {
        size_t announced = reports.starts_with("B ") ? 1 : 0;
        for (size_t at = reports.find("\nB "); at != std::string::npos;
             at = reports.find("\nB ", at + 1))
          ++announced;
        if (announced >= wait_for)
          deadline = Clock::now() + std::chrono::microseconds(delay_us);
      }
      const auto until = deadline ? *deadline : give_up;
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(until -
                                                                Clock::now());
      if (left.count() <= 0) break;
      open = ReadReports(fd, static_cast<int>(std::min<int64_t>(left.count(), 50)),
                         &reports);
    }
    if (!deadline && open) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      return fail("the writer made no progress for 60 s: " + reports);
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    while (ReadReports(fd, 1000, &reports)) {
    }
    close(fd);
    ++fig.kills;
    ++epoch_kills;

    // What the writer said.
    bool opened = false;
    std::vector<Txn> committed;
    std::optional<Txn> in_flight;
    std::string child_error;
    for (std::string_view line : Split(reports, '\n')) {
      if (line == "O") {
        opened = true;
      } else if (line.starts_with("B ")) {
        auto t = ParseTxn(line.substr(2));
        if (!t) return fail("bad report: " + std::string(line));
        in_flight = *t;
      } else if (line.starts_with("C ")) {
        uint64_t n;
        if (!in_flight || !ParseUint(line.substr(2), &n) || n != in_flight->n)
          return fail("bad report: " + std::string(line));
        committed.push_back(*in_flight);
        in_flight.reset();
      } else if (line.starts_with("E ")) {
        child_error = std::string(line.substr(2));
      }
    }
    if (!child_error.empty()) return fail("the writer failed: " + child_error);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
      return fail(absl::StrCat("the writer ended on its own (status ", status,
                               ")"));
    if (!opened) {
      ++fig.kills_before_open;
    } else if (!in_flight) {
      ++fig.kills_between;
    } else {
      ++fig.in_flight[in_flight->kind];
    }
    if (in_flight) model.next_n = in_flight->n + 1;
    else if (!committed.empty()) model.next_n = committed.back().n + 1;

    Model before = model;  // everything reported committed applied
    for (const Txn& t : committed) before.Apply(t);
    Model after = before;  // and the transaction in flight too
    if (in_flight) after.Apply(*in_flight);

    // Reopen as `kg check` does (read-only) and compare.
    const auto verify_start = Clock::now();
    std::map<uint64_t, Seen> seen;
    std::vector<std::string> errors;
    bool exists = fs::exists(store + "/CURRENT", ec);
    if (!exists && !before.live.empty())
      return fail("the store is gone: " + store);
    if (!exists && fs::exists(store, ec)) ++fig.unfinished_creations;
    bool has_blocks = false;
    if (exists) {
      OpenOptions ro;
      ro.read_only = true;
      ro.warm_adjacencies_in_background = false;
      ro.block_cache_bytes = 32 << 20;
      auto db = Database::Open(store, ro);
      if (!db.ok() && absl::IsNotFound(db.status()) && before.live.empty() &&
          !(in_flight && in_flight->kind == kLoadEmpty)) {
        // A writer killed while it created the store, before its first
        // load: nothing is stored (the next writable open completes it).
        ++fig.unfinished_creations;
      } else if (!db.ok()) {
        return fail("the store does not reopen: " + db.status().ToString());
      } else {
        has_blocks = testing::StoreOf(**db)->has_blocks();
        seen = ReadStore(**db, &errors);
        auto problems = (*db)->Check();
        if (!problems.ok())
          return fail("Check could not run: " + problems.status().ToString());
        fig.check_problems += problems->size();
        for (const std::string& p : *problems) errors.push_back("check: " + p);
      }
    }
    if (has_blocks) ++fig.packed_kills;
    // A load's temporary files: only while a load is in flight, or until
    // the next writable open.
    const bool load_in_flight =
        in_flight && (in_flight->kind == kLoad || in_flight->kind == kLoadEmpty);
    if (opened && !load_in_flight && fs::exists(store + "/bulk-load-tmp", ec))
      errors.push_back("a load's temporary files are left in " + store +
                       "/bulk-load-tmp");
    for (std::string& p : Partial(seen)) {
      ++fig.partial;
      errors.push_back(std::move(p));
    }
    const std::string diff_before = Compare(seen, before);
    const std::string diff_after = in_flight ? Compare(seen, after) : "?";
    bool applied = false;
    if (diff_before.empty()) {
      model = std::move(before);
    } else if (diff_after.empty()) {
      model = std::move(after);
      applied = true;
    } else {
      // Count what reported-committed transactions are missing.
      for (const auto& [n, t] : before.live)
        if (!seen.contains(n)) ++fig.losses;
      errors.push_back("the store is neither the committed state (" +
                       diff_before + ") nor that plus the transaction in "
                       "flight (" + diff_after + ")");
    }
    fig.verify_seconds +=
        std::chrono::duration<double>(Clock::now() - verify_start).count();
    if (!errors.empty()) {
      std::string all;
      for (const std::string& e : errors) absl::StrAppend(&all, "\n  ", e);
      return fail(absl::StrCat("after kill ", fig.kills, " (",
                               committed.size(), " committed, in flight: ",
                               in_flight ? TxnLine(*in_flight) : "none",
                               "):", all));
    }
    for (const Txn& t : committed) ++fig.committed[t.kind];
    if (in_flight && applied) ++fig.in_flight_applied[in_flight->kind];
    fig.presence_checks += model.live.size();
    if (opt.verbose)
      std::cerr << absl::StrFormat(
          "kill %d (%.1f ms after announcement %d): %d committed, in flight %s (%s), %d live, "
          "%d items%s\n",
          fig.kills, delay_us / 1000.0, wait_for, committed.size(),
          in_flight ? kKindNames[in_flight->kind] : "-",
          in_flight ? (applied ? "applied" : "not applied") : "-",
          model.live.size(), model.LiveItems(), has_blocks ? ", packed" : "");

    // A new store now and then: loads into empty stores, packed blocks.
    if (epoch_kills >= 40 || model.LiveItems() > 50000 * opt.scale) {
      fs::remove_all(store, ec);
      const uint64_t next_n = model.next_n;
      model = Model{};
      model.next_n = next_n;
      epoch_kills = 0;
      ++fig.stores;
    }
  }

  const double total = elapsed();
  uint64_t verified = 0;
  for (uint64_t c : fig.committed) verified += c;
  std::cout << absl::StrFormat(
      "crash_recovery: %d kills in %.0f s (seed %d, %d stores, %d kills with "
      "packed blocks in the store)\n",
      fig.kills, total, opt.seed, fig.stores, fig.packed_kills);
  std::cout << absl::StrFormat(
      "  killed before Open returned: %d (%d left a store half created); "
      "between transactions: %d\n",
      fig.kills_before_open, fig.unfinished_creations, fig.kills_between);
  std::cout << "  kind            committed+verified  in flight at kill "
               "(applied / not)\n";
  for (int k = 0; k < kNumKinds; ++k)
    std::cout << absl::StrFormat("  %-15s %18d  %9d (%d / %d)\n",
                                 kKindNames[k], fig.committed[k],
                                 fig.in_flight[k], fig.in_flight_applied[k],
                                 fig.in_flight[k] - fig.in_flight_applied[k]);
  std::cout << absl::StrFormat(
      "  %d transactions reported committed, all verified; %d presence "
      "checks of live transactions; losses %d, partial %d, Check problems "
      "%d; verification %.0f s\n",
      verified, fig.presence_checks, fig.losses, fig.partial,
      fig.check_problems, fig.verify_seconds);
  if (fig.kills < opt.kills)
    std::cout << absl::StrFormat(
        "  (time budget of %.0f s reached before %d kills)\n", opt.seconds,
        opt.kills);
  if (!opt.keep) fs::remove_all(opt.dir, ec);
  return 0;
}

}  // namespace
}  // namespace kg::crash_recovery

namespace cr = kg::crash_recovery;

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "--child") {
    uint64_t seed = 0;
    double scale = 1;
    if (args.size() != 5 || !cr::ToNum(args[3], &seed) ||
        !cr::ToNum(args[4], &scale))
      return 2;
    return cr::ChildMain(args[1], args[2], seed, scale);
  }
  cr::Options opt;
  opt.seed = std::random_device{}();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) {
        std::cerr << "crash_recovery: " << a << " needs a value\n";
        std::exit(2);
      }
      return args[++i];
    };
    bool ok = true;
    if (a == "--kills") {
      ok = cr::ToNum(value(), &opt.kills);
    } else if (a == "--seconds") {
      ok = cr::ToNum(value(), &opt.seconds);
    } else if (a == "--seed") {
      ok = cr::ToNum(value(), &opt.seed);
    } else if (a == "--dir") {
      opt.dir = value();
    } else if (a == "--scale") {
      ok = cr::ToNum(value(), &opt.scale) && opt.scale > 0;
    } else if (a == "--keep") {
      opt.keep = true;
    } else if (a == "--verbose") {
      opt.verbose = true;
    } else {
      std::cerr << "usage: crash_recovery [--kills N] [--seconds S] [--seed X] "
                   "[--dir D] [--scale F] [--keep] [--verbose]\n";
      return 2;
    }
    if (!ok) {
      std::cerr << "crash_recovery: bad value for " << a << "\n";
      return 2;
    }
  }
  if (opt.dir.empty())
    opt.dir = (std::filesystem::temp_directory_path() /
               ("kg-crash-" + std::to_string(getpid())))
                  .string();
  return cr::ParentMain(opt);
}
