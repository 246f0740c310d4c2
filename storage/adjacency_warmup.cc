// Building every predicate's in-memory adjacency without waiting for
// demand: Store::PreloadAdjacencies (in Open, two threads) and
// Store::WarmAdjacenciesInBackground (a low-priority thread that stops at
// the first commit).

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "storage/store.h"

namespace kg {

absl::StatusOr<size_t> Store::PreloadAdjacencies() const {
  return BuildAdjacencies(nullptr);
}

void Store::WarmAdjacenciesInBackground() {
  if (warm_thread_.joinable() || warm_stop_ ||
      adjacency_cache_->budget_bytes() == 0)
    return;
  warm_thread_ = std::thread([this] {
    // Below the threads that run queries: warming must not slow them. (The
    // second builder thread inherits the priority.)
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    BuildAdjacencies(&warm_stop_).IgnoreError();
  });
}

absl::StatusOr<size_t> Store::BuildAdjacencies(
    const std::atomic<bool>* stop) const {
  std::vector<std::pair<TermId, PredicateStats>> preds;
  {
    auto stats = StatisticsSnapshot();
    preds.assign(stats->predicates.begin(), stats->predicates.end());
  }
  std::sort(preds.begin(), preds.end(), [](const auto& a, const auto& b) {
    return a.second.quads < b.second.quads;
  });
  // The smallest predicates that fit the budget together.
  size_t bytes = adjacency_cache_->bytes(), fit = 0;
  for (; fit < preds.size(); ++fit) {
    const PredicateStats& ps = preds[fit].second;
    bytes += PredicateAdjacency::EstimateBytes(
        ps.quads, ps.distinct_subjects + ps.distinct_objects);
    if (bytes > adjacency_cache_->budget_bytes()) break;
  }
  // Two builders (the machine this targets has two cores) share one
  // snapshot; a view's iterator pool and memo are locked for that.
  std::shared_ptr<ReadView> view = NewReadView();
  std::atomic<size_t> built{0};
  std::atomic<bool> failed{false};
  absl::Status first_error;
  std::mutex error_mu;
  // Next: the predicate queries have asked for most (they are running
  // meanwhile), else the smallest left. The demand map holds only the
  // predicates scanned through RocksDB and not built since: usually few.
  std::mutex pick_mu;
  std::vector<bool> claimed(fit, false);
  absl::flat_hash_map<TermId, size_t> position;
  for (size_t i = 0; i < fit; ++i) position.emplace(preds[i].first, i);
  size_t smallest = 0;  // all below are claimed
  auto pick = [&]() -> std::optional<size_t> {
    const auto demands = adjacency_cache_->Demands();
    std::lock_guard<std::mutex> l(pick_mu);
    std::optional<size_t> best;
    double best_demand = 0;
    for (const auto& [p, demand] : demands) {
      auto at = position.find(p);
      if (at == position.end() || claimed[at->second]) continue;
      if (demand > best_demand) {
        best = at->second;
        best_demand = demand;
      }
    }
    if (!best) {
      while (smallest < fit && claimed[smallest]) ++smallest;
      if (smallest < fit) best = smallest;
    }
    if (best) claimed[*best] = true;
    return best;
  };
  auto builder = [&] {
    for (std::optional<size_t> next; (next = pick());) {
      const size_t i = *next;
      if ((stop && *stop) || failed) return;
      // Not if a query is building it (or built it) meanwhile.
      if (!adjacency_cache_->NeedsBuild(preds[i].first, view->sequence_))
        continue;
      auto adj = view->BuildAdjacency(preds[i].first, stop, /*memoize=*/false);
      if (!adj.ok()) {
        std::lock_guard<std::mutex> l(error_mu);
        if (!failed.exchange(true)) first_error = adj.status();
        return;
      }
      ++built;
    }
  };
  std::thread other(builder);
  builder();
  other.join();
  if (failed) return first_error;
  return built.load();
}

}  // namespace kg
