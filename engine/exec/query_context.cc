// Setting up a QueryContext: limits, the clock of NOW(), and the graphs
// the default graph and GRAPH ?g range over.

#include "engine/exec/query_context.h"

namespace kg::exec {

absl::Status SetUpContext(QueryContext* ctx,
                          std::shared_ptr<const QuadReader> source,
                          std::shared_ptr<const StoreStatistics> stats,
                          const algebra::Dataset& dataset,
                          const QueryOptions& options,
                          Clock::time_point started) {
  ctx->source = std::move(source);
  ctx->stats = std::move(stats);
  ctx->options = options;
  // No string a function computes may be longer than the memory cap.
  if (options.memory_limit_bytes != 0)
    ctx->fn.max_string_bytes =
        std::min<uint64_t>(ctx->fn.max_string_bytes, options.memory_limit_bytes);
  if (options.timeout_ms > 0)
    ctx->deadline = (started == Clock::time_point{} ? Clock::now() : started) +
                    std::chrono::milliseconds(options.timeout_ms);
  auto now = std::chrono::system_clock::now();
  ctx->fn.now_time = now;
  ctx->fn.now.clear();
  ctx->fn.rand_state ^= static_cast<uint64_t>(now.time_since_epoch().count());

  GraphScope& sc = ctx->scope;
  if (dataset.has_from) {
    sc.default_kind = GraphScope::DefaultKind::kSet;
    for (const Term& g : dataset.default_graphs) {
      TermId id = ctx->EncodeConstant(g);
      if (id != kAbsent) sc.default_set.insert(id);
    }
    sc.named_restricted = true;
    for (const Term& g : dataset.named_graphs) {
      TermId id = ctx->EncodeConstant(g);
      if (id != kAbsent && sc.named_set.insert(id).second)
        sc.named_list.push_back(id);
    }
  } else {
    sc.default_kind = options.strict_dataset
                          ? GraphScope::DefaultKind::kStoreDefault
                          : GraphScope::DefaultKind::kUnionAll;
    for (const auto& [g, n] : ctx->stats->graphs)
      if (g != kDefaultGraph) sc.named_list.push_back(g);
    std::sort(sc.named_list.begin(), sc.named_list.end());
  }
  return ctx->status;
}

}  // namespace kg::exec
