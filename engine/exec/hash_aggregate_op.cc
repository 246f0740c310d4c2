// HashAggregateOp: groups by id in a hash map at Open, or counts the runs
// of a predicate's adjacency.

#include "engine/exec/hash_aggregate_op.h"

#include <algorithm>
#include <span>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "engine/exec/aggregate_accumulator.h"

namespace kg::exec {

std::string HashAggregateOp::Describe() const {
  return absl::StrCat("HashAggregate (", node_->group_exprs.size(),
                      " key(s), ", node_->aggregates.size(),
                      " aggregate(s))",
                      // The statistics first; the adjacency when the
                      // snapshot's statistics cannot answer after all.
                      // After Open (PROFILE): the way the counts came.
                      from_posg_runs_   ? "  counts-from-posg-runs"
                      : statistics_count_ ? "  counts-from-statistics"
                      : count_runs_ && count_runs_->key_is_subject
                          ? "  counts-from-adjacency"
                      : count_runs_ ? "  counts-from-adjacency-or-posg"
                                    : "",
                      !statistics_count_ && CountsChildRows()
                          ? "  counts-child-rows"
                          : "");
}

bool HashAggregateOp::CountsChildRows() const {
  if (!node_->group_exprs.empty() || node_->aggregates.empty() ||
      !child_->CanCount())
    return false;
  for (const auto& a : node_->aggregates)
    if (a.name != "COUNT" || a.distinct || a.arg) return false;
  return true;
}

void HashAggregateOp::DoOpen(const IdRow& seed) {
  out_.clear();
  out_rows_ = 0;
  pos_ = 0;
  source_ = Source::kRows;
  from_posg_runs_ = false;
  runs_.reset();
  group_keys_.clear();
  group_counts_.clear();
  groups_ = 0;
  if (statistics_count_ && CountFromStatistics(seed)) return;
  if (!ctx_->ok()) return;
  if (count_runs_ && CountFromAdjacency(seed)) return;
  if (count_runs_ && !count_runs_->key_is_subject && CountFromObjectRuns(seed))
    return;
  child_->Open(Restrict(seed, pass_));
  if (CountsChildRows()) {
    if (std::optional<uint64_t> n = child_->CountRest()) {
      IdRow& row = NewRow(seed);
      const TermId count = CountId(*n);
      for (const auto& a : node_->aggregates) row[a.slot] = count;
      EmitRow(seed);
      return;
    }
    if (!ctx_->ok()) return;
  }
  if (CountsOnly()) {
    CountGroups(seed);
    return;
  }
  struct Group {
    IdRow key;
    std::vector<Accumulator> accs;
  };
  absl::flat_hash_map<IdRow, size_t, RowHash> index;
  std::vector<Group> groups;
  IdRow r;
  IdRow key;
  size_t last = SIZE_MAX;
  while (child_->Next(&r)) {
    // Grouping on a variable groups on its id: no decoding.
    key.clear();
    for (const auto& e : node_->group_exprs) {
      if (e.kind == algebra::Expr::Kind::kVar) {
        key.push_back(r[e.var]);
        continue;
      }
      kg::Value v = ev_->Eval(e, r);
      key.push_back(v ? ctx_->Encode(*v) : kUnbound);
    }
    // Rows often arrive grouped (a scan in the order of the group key):
    // the same key as the previous row skips the hash lookup.
    if (last == SIZE_MAX || key != groups[last].key) {
      auto [it, inserted] = index.try_emplace(key, groups.size());
      if (inserted) {
        if (!ctx_->Charge(128 + key.size() * 8)) return;
        Group g{key, {}};
        for (const auto& a : node_->aggregates) g.accs.emplace_back(a);
        groups.push_back(std::move(g));
      }
      last = it->second;
    }
    Group& g = groups[last];
    for (size_t i = 0; i < node_->aggregates.size(); ++i) {
      const auto& a = node_->aggregates[i];
      if (a.name == "COUNT" &&
          (!a.arg || a.arg->kind == algebra::Expr::Kind::kVar)) {
        uint64_t held;
        if (!a.arg) {
          held = g.accs[i].AddCount(
              true, a.distinct ? absl::HashOf(absl::MakeConstSpan(r)) : 0);
        } else {
          TermId x = r[a.arg->var];
          held = g.accs[i].AddCount(x != kUnbound, x);
        }
        if (held != 0 && !ctx_->Charge(held)) return;
        continue;
      }
      // A solution that leaves the aggregated variable unbound gives no
      // value: it is left out of the multiset, for every aggregate (as
      // COUNT(?x) does, and as SQL treats NULL). An error from a
      // compound expression is not left out: it makes SUM, AVG, MIN,
      // MAX and GROUP_CONCAT unbound (docs/QUERY.md, "Aggregates over
      // unbound values and errors").
      if (a.arg && a.arg->kind == algebra::Expr::Kind::kVar &&
          r[a.arg->var] == kUnbound)
        continue;
      kg::Value v;
      TermId id = kUnbound;
      if (a.arg) {
        v = ev_->Eval(*a.arg, r);
        if (a.distinct && v) id = ctx_->Encode(*v);
      } else if (a.distinct) {
        id = absl::HashOf(absl::MakeConstSpan(r));
      }
      const uint64_t held = g.accs[i].Add(v, id, ctx_->fn.max_string_bytes);
      if (held != 0 && !ctx_->Charge(held)) return;
      if (g.accs[i].too_long()) {
        ctx_->Fail(absl::ResourceExhaustedError(absl::StrCat(
            "GROUP_CONCAT would compute a string longer than ",
            ctx_->fn.max_string_bytes,
            " bytes (the longest a query may compute: 256 MiB, or the "
            "memory limit when lower)")));
        return;
      }
    }
    if (!ctx_->Tick()) return;
  }
  if (!ctx_->ok()) return;
  // No GROUP BY and no rows: one group (COUNT(*) is 0).
  if (groups.empty() && node_->group_exprs.empty()) {
    Group g{{}, {}};
    for (const auto& a : node_->aggregates) g.accs.emplace_back(a);
    groups.push_back(std::move(g));
  }
  for (const Group& g : groups) {
    IdRow& row = NewRow(seed);
    for (size_t i = 0; i < g.key.size(); ++i)
      row[node_->group_vars[i]] = g.key[i];
    for (size_t i = 0; i < g.accs.size(); ++i) {
      kg::Value v = g.accs[i].Result();
      if (v) row[node_->aggregates[i].slot] = ctx_->Encode(*v);
    }
    EmitRow(seed);
  }
}

bool HashAggregateOp::CountsOnly() const {
  for (const auto& e : node_->group_exprs)
    if (e.kind != algebra::Expr::Kind::kVar) return false;
  for (const auto& a : node_->aggregates)
    if (a.name != "COUNT" || a.distinct ||
        (a.arg && a.arg->kind != algebra::Expr::Kind::kVar))
      return false;
  return !node_->aggregates.empty();
}

namespace {

// The group numbers of a hash set whose keys live in one flat array,
// `width` ids per group: hashing and comparing a number reads its key.
// A candidate key is appended to the array first and looked up by its
// would-be number, so no key is built apart.
struct GroupKeys {
  const std::vector<TermId>* keys;
  size_t width;
  std::span<const TermId> Of(uint32_t group) const {
    return {keys->data() + size_t{group} * width, width};
  }
};
struct GroupHash {
  GroupKeys k;
  size_t operator()(uint32_t group) const {
    const auto key = k.Of(group);
    return absl::HashOf(absl::MakeConstSpan(key.data(), key.size()));
  }
};
struct GroupEq {
  GroupKeys k;
  bool operator()(uint32_t a, uint32_t b) const {
    const auto x = k.Of(a), y = k.Of(b);
    return std::equal(x.begin(), x.end(), y.begin());
  }
};

}  // namespace

void HashAggregateOp::CountGroups(const IdRow& seed) {
  const auto& exprs = node_->group_exprs;
  const auto& aggs = node_->aggregates;
  const size_t width = exprs.size(), na = aggs.size();
  // Per aggregate: the slot that must be bound for a row to count (-1:
  // COUNT(*), every row).
  std::vector<int> arg(na, -1);
  for (size_t i = 0; i < na; ++i)
    if (aggs[i].arg) arg[i] = aggs[i].arg->var;
  std::vector<TermId>& keys = group_keys_;  // width per group, then one
                                            // candidate
  std::vector<uint64_t>& counts = group_counts_;  // na per group
  const GroupKeys gk{&keys, width};
  absl::flat_hash_set<uint32_t, GroupHash, GroupEq> index(
      0, GroupHash{gk}, GroupEq{gk});
  uint32_t groups = 0;
  uint32_t last = UINT32_MAX;
  // Memory per group: its key, its counts, a slot of the hash set.
  const uint64_t group_bytes = (width + na) * 8 + 8;
  IdRow r;
  while (child_->Next(&r)) {
    uint32_t g = last;
    // Rows often arrive grouped (a scan in the order of the group key).
    bool same = last != UINT32_MAX;
    for (size_t i = 0; same && i < width; ++i)
      same = keys[size_t{last} * width + i] == r[exprs[i].var];
    if (!same) {
      for (const auto& e : exprs) keys.push_back(r[e.var]);
      auto [it, inserted] = index.insert(groups);
      if (inserted) {
        if (groups == UINT32_MAX - 1)
          return ctx_->Fail(absl::ResourceExhaustedError(
              "GROUP BY with more than 4 billion groups"));
        if (!ctx_->Charge(group_bytes)) return;
        counts.resize(counts.size() + na, 0);
        g = groups++;
      } else {
        keys.resize(size_t{groups} * width);
        g = *it;
      }
      last = g;
    }
    uint64_t* c = counts.data() + size_t{g} * na;
    for (size_t i = 0; i < na; ++i)
      c[i] += arg[i] < 0 || r[arg[i]] != kUnbound;
    if (!ctx_->Tick()) return;
  }
  if (!ctx_->ok()) return;
  // No GROUP BY and no rows: one group (COUNT(*) is 0).
  if (groups == 0 && width == 0) {
    counts.assign(na, 0);
    groups = 1;
  }
  // The rows are made one at a time in DoNext.
  source_ = Source::kGroups;
  groups_ = groups;
  seed_ = seed;
}

bool HashAggregateOp::NextGroup(IdRow* row) {
  const size_t width = node_->group_exprs.size();
  const size_t na = node_->aggregates.size();
  while (pos_ < groups_) {
    const size_t g = pos_++;
    row->assign(seed_.size(), kUnbound);
    for (size_t i = 0; i < width; ++i)
      (*row)[node_->group_vars[i]] = group_keys_[g * width + i];
    for (size_t i = 0; i < na; ++i)
      (*row)[node_->aggregates[i].slot] = CountId(group_counts_[g * na + i]);
    if (MergeInto(seed_, row)) return true;
  }
  return false;
}

IdRow& HashAggregateOp::NewRow(const IdRow& seed) {
  scratch_.assign(seed.size(), kUnbound);
  return scratch_;
}

void HashAggregateOp::EmitRow(const IdRow& seed) {
  if (!MergeInto(seed, &scratch_)) return;
  out_.insert(out_.end(), scratch_.begin(), scratch_.end());
  ++out_rows_;
}

bool HashAggregateOp::DoNext(IdRow* row) {
  if (source_ == Source::kRuns) return NextRun(row);
  if (source_ == Source::kGroups) return NextGroup(row);
  if (pos_ >= out_rows_) return false;
  const size_t width = out_.size() / out_rows_;
  const auto first = out_.begin() + static_cast<ptrdiff_t>(pos_++ * width);
  row->assign(first, first + static_cast<ptrdiff_t>(width));
  return true;
}

TermId HashAggregateOp::CountId(uint64_t count) {
  // Counts are inline integers: no term to build.
  const auto inline_n = InlineIntegerId(static_cast<int64_t>(count));
  return inline_n ? *inline_n
                  : ctx_->Encode(Term::Literal(absl::StrCat(count),
                                               std::string(kXsdInteger)));
}

bool HashAggregateOp::CountFromStatistics(const IdRow& seed) {
  const StatisticsCount& sc = *statistics_count_;
  auto exact = ctx_->source->Statistics();
  if (!exact.ok()) {
    ctx_->Fail(exact.status());
    return false;
  }
  const StoreStatistics& stats = **exact;
  // A triple in two graphs is one solution of the union default graph but
  // two quads in the counts; a named graph is outside the store's default
  // graph but inside the counts.
  if (sc.strict_default) {
    for (const auto& [graph, quads] : stats.graphs)
      if (graph != kDefaultGraph && quads > 0) return false;
  } else if (stats.graphs.size() > 1) {
    return false;
  }
  // One row: the group's value (if any) and the counts.
  auto emit = [&](TermId group, const PredicateStats& ps) {
    IdRow& row = NewRow(seed);
    if (sc.per_predicate || sc.per_object) row[node_->group_vars[0]] = group;
    for (size_t i = 0; i < sc.counts.size(); ++i) {
      uint64_t n = ps.quads;
      if (sc.counts[i] == StatisticsCount::Counts::kDistinctSubjects)
        n = ps.distinct_subjects;
      if (sc.counts[i] == StatisticsCount::Counts::kDistinctObjects)
        n = ps.distinct_objects;
      row[node_->aggregates[i].slot] = CountId(n);
    }
    EmitRow(seed);
  };
  // With one graph, each (s, p, o) is one quad: a (p, o) pair's quads are
  // its distinct subjects.
  auto one_object = [](uint64_t quads) {
    return PredicateStats{quads, quads, quads > 0 ? 1u : 0u};
  };
  if (sc.per_predicate) {
    for (const auto& [predicate, ps] : stats.predicates) {
      if (!ctx_->Tick() || !ctx_->Charge(128 + seed.size() * 8)) return true;
      if (ps.quads > 0) emit(predicate, ps);
    }
  } else if (sc.per_object) {
    auto it = stats.object_counts.find(sc.predicate);
    if (it == stats.object_counts.end())  // no groups, or not kept
      return !stats.predicates.contains(sc.predicate);
    for (const auto& [object, quads] : *it->second) {
      if (!ctx_->Tick() || !ctx_->Charge(128 + seed.size() * 8)) return true;
      emit(object, one_object(quads));
    }
  } else if (sc.object != kUnbound) {
    const std::optional<uint64_t> quads =
        stats.QuadsWithObject(sc.predicate, sc.object);
    if (!quads) return false;
    emit(kUnbound, one_object(*quads));
  } else if (sc.predicate == kUnbound) {
    PredicateStats all;
    all.quads = stats.total_quads;
    emit(kUnbound, all);
  } else {
    auto it = stats.predicates.find(sc.predicate);
    emit(sc.predicate,
         it == stats.predicates.end() ? PredicateStats{} : it->second);
  }
  return true;
}

bool HashAggregateOp::CountFromAdjacency(const IdRow& seed) {
  auto adj = ctx_->source->AdjacencyFor(count_runs_->predicate, 2);
  if (!adj || !adj->default_graph_only()) return false;
  // The rows are made one at a time in DoNext, from the runs.
  groups_ = adj->RunCount(count_runs_->key_is_subject);
  runs_ = std::move(adj);
  source_ = Source::kRuns;
  seed_ = seed;
  return true;
}

bool HashAggregateOp::CountFromObjectRuns(const IdRow& seed) {
  const size_t na = node_->aggregates.size();
  const uint64_t group_bytes = 8 + na * 8;
  uint64_t charged = 0;
  const bool strict =
      ctx_->scope.default_kind == GraphScope::DefaultKind::kStoreDefault;
  auto counted = ctx_->source->CountObjectRuns(
      count_runs_->predicate, strict, [&](TermId object, uint64_t n) {
        if (!ctx_->Tick() || !ctx_->Charge(group_bytes)) return false;
        charged += group_bytes;
        group_keys_.push_back(object);
        group_counts_.insert(group_counts_.end(), na, n);
        return true;
      },
      [&] { return ctx_->Tick(); });
  if (!counted.ok()) {
    ctx_->Fail(counted.status());
    return true;
  }
  if (!*counted) {
    if (!ctx_->ok()) return true;
    // A named graph's quad in the union default graph: count the rows.
    group_keys_.clear();
    group_counts_.clear();
    ctx_->Release(charged);
    return false;
  }
  source_ = Source::kGroups;
  groups_ = group_keys_.size();
  seed_ = seed;
  from_posg_runs_ = true;
  return true;
}

bool HashAggregateOp::NextRun(IdRow* row) {
  const int key_var = node_->group_vars[0];
  while (pos_ < groups_) {
    if (!ctx_->Tick()) return false;
    const auto [key, count] = runs_->Run(count_runs_->key_is_subject, pos_++);
    row->assign(seed_.size(), kUnbound);
    (*row)[key_var] = key;
    const TermId n = CountId(count);
    for (const auto& a : node_->aggregates) (*row)[a.slot] = n;
    if (MergeInto(seed_, row)) return true;
  }
  return false;
}

}  // namespace kg::exec
