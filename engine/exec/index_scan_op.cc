// IndexScanOp: per input row, a scan of the index the bound positions
// select, a membership check against an adjacency, or object ranges.

#include "engine/exec/index_scan_op.h"

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"

namespace kg::exec {

std::string IndexScanOp::Describe() const {
  // The graph position matters only as "the default graph or not"
  // (PlanScan); a named graph stands in as an id that is not 0.
  QuadIds shape;
  if (graph_.kind != GraphSpec::Kind::kDefault) shape.g = ~kDefaultGraph;
  const ScanPlan plan = PlanScan(shape, last_mask_);
  return absl::StrCat("IndexScan ", text_, "  index=",
                      Sv(PermutationName(plan.perm)),
                      plan.default_graph_only ? "  default-graph" : "",
                      range_ ? "  object-range" : "");
}

void IndexScanOp::DoOpen(const IdRow& seed) {
  child_->Open(seed);
  it_.reset();
  point_row_ = false;
  neighbors_active_ = false;
}

bool IndexScanOp::DoNext(IdRow* row) {
  while (ctx_->Tick()) {
    if (!it_ && !point_row_ && !neighbors_active_) {
      if (!child_->Next(&input_)) return false;
      if (!StartScan()) continue;
    }
    if (point_row_) {  // a membership check passed: the input row as is
      point_row_ = false;
      *row = input_;
      return true;
    }
    QuadIds q;
    if (neighbors_active_) {
      if (neighbors_pos_ == neighbors_.size()) {
        neighbors_active_ = false;
        continue;
      }
      q = neighbor_quad_;
      (neighbors_by_subject_ ? q.o : q.s) = neighbors_[neighbors_pos_++];
    } else {
      if (!it_->Valid()) {
        if (!it_->status().ok()) {
          ctx_->Fail(it_->status());
          return false;
        }
        if (range_adj_ && range_pos_ < id_ranges_.size()) {
          const auto& [lo, hi] = id_ranges_[range_pos_++];
          it_ = PredicateAdjacency::ScanObjectRange(range_adj_, lo, hi,
                                                    range_graph_);
          continue;
        }
        if (!range_adj_ && range_pos_ < ranges_.size()) {
          const auto& [lo, hi] = ranges_[range_pos_++];
          it_ = ctx_->source->ScanRange(perm_, lo, hi, range_default_only_);
          continue;
        }
        it_.reset();
        continue;
      }
      q = it_->quad();
      it_->Next();
      if (dedupe_) {
        if (have_prev_ && q.s == prev_.s && q.p == prev_.p && q.o == prev_.o)
          continue;
        prev_ = q;
        have_prev_ = true;
      }
    }
    if (!GraphAllowed(q.g)) continue;
    *row = input_;
    if (!Bind(pos_[0], q.s, row) || !Bind(pos_[1], q.p, row) ||
        !Bind(pos_[2], q.o, row))
      continue;
    if (graph_.kind == GraphSpec::Kind::kNamedVar &&
        !BindVar(graph_.var, q.g, row))
      continue;
    return true;
  }
  return false;
}

bool IndexScanOp::BindVar(int var, TermId id, IdRow* row) {
  TermId& cell = (*row)[var];
  if (cell == kUnbound) {
    cell = id;
    return true;
  }
  return cell == id;
}

bool IndexScanOp::Bind(const Position& p, TermId id, IdRow* row) {
  return p.var < 0 || BindVar(p.var, id, row);
}

bool IndexScanOp::GraphAllowed(TermId g) {
  const GraphScope& sc = ctx_->scope;
  switch (graph_.kind) {
    case GraphSpec::Kind::kDefault:
      switch (sc.default_kind) {
        case GraphScope::DefaultKind::kUnionAll:
          return true;
        case GraphScope::DefaultKind::kStoreDefault:
          return g == kDefaultGraph;
        case GraphScope::DefaultKind::kSet:
          return sc.default_set.contains(g);
      }
      return true;
    case GraphSpec::Kind::kNamedConst:
    case GraphSpec::Kind::kNamedVar:
      if (g == kDefaultGraph) return false;
      return !sc.named_restricted || sc.named_set.contains(g);
  }
  return true;
}

// Whether point_adj_ answers membership checks of predicate p with the
// bound mask `mask` (G bound: the store's default graph, which the
// adjacency answers only if it holds no named graph). When it is absent
// the view is asked again now and then: demand may build it meanwhile.
bool IndexScanOp::PointCheckAdjacency(TermId p, unsigned mask) {
  if (!point_adj_ || point_adj_->predicate() != p) {
    if (point_misses_++ % 64 != 0 && point_adj_predicate_ == p) return false;
    point_adj_predicate_ = p;
    point_adj_ = ctx_->source->AdjacencyForProbes(p, mask, forecast_inputs_,
                                                  forecast_rows_);
    if (!point_adj_) return false;
  }
  return !(mask & 8) || point_adj_->default_graph_only();
}

// Sets up the scan for input_; false when nothing can match.
bool IndexScanOp::StartScan() {
  QuadIds q;
  unsigned mask = 0;
  for (int i = 0; i < 3; ++i) {
    TermId id = pos_[i].var >= 0 ? input_[pos_[i].var] : pos_[i].id;
    if (id == kAbsent) return false;
    if (id != kUnbound) {
      if (TagOf(id) == kTempTag) return false;  // not in the store
      q.at(i) = id;
      mask |= 1u << i;
    }
  }
  dedupe_ = false;
  switch (graph_.kind) {
    case GraphSpec::Kind::kDefault:
      if (ctx_->scope.default_kind ==
          GraphScope::DefaultKind::kStoreDefault) {
        q.g = kDefaultGraph;
        mask |= 8;
      } else {
        // The default graph is a merge of graphs: a triple stated in
        // several of them counts once. With G last in the chosen index,
        // such copies are adjacent.
        dedupe_ = true;
      }
      break;
    case GraphSpec::Kind::kNamedConst:
      if (graph_.id == kAbsent) return false;
      q.g = graph_.id;
      mask |= 8;
      break;
    case GraphSpec::Kind::kNamedVar: {
      TermId g = input_[graph_.var];
      if (g != kUnbound) {
        if (TagOf(g) == kTempTag || g == kAbsent) return false;
        q.g = g;
        mask |= 8;
      }
      break;
    }
  }
  last_mask_ = mask;
  // S, P and O bound in the default graph (all graphs, or the store's
  // own; not a FROM set): a membership check. With the predicate's
  // adjacency it is a hash lookup and a binary search, with no iterator,
  // no lock and no allocation (type checks per row).
  if ((mask & 7) == 7 && graph_.kind == GraphSpec::Kind::kDefault &&
      ctx_->scope.default_kind != GraphScope::DefaultKind::kSet &&
      PointCheckAdjacency(q.p, mask)) {
    if (!point_adj_->Contains(q.s, q.o)) return false;
    point_row_ = true;
    return true;
  }
  // S and P bound, or P and O (a join's probe per input row): the other
  // ends straight from the adjacency's neighbour list, with no iterator
  // made per row. Only for predicates wholly in the default graph: the
  // list then holds each quad once, in the graph every default-graph
  // scope admits.
  const unsigned spo = mask & 7;
  if ((spo == 3 || spo == 6) && graph_.kind == GraphSpec::Kind::kDefault &&
      ctx_->scope.default_kind != GraphScope::DefaultKind::kSet &&
      PointCheckAdjacency(q.p, mask) && point_adj_->default_graph_only()) {
    neighbors_by_subject_ = spo == 3;
    if (neighbors_adj_ != point_adj_.get()) {
      neighbors_adj_ = point_adj_.get();
      neighbors_cursor_ = 0;
    }
    neighbors_ = point_adj_->NeighborsFrom(
        neighbors_by_subject_, neighbors_by_subject_ ? q.s : q.o,
        &neighbors_cursor_);
    neighbors_pos_ = 0;
    neighbor_quad_ = q;
    neighbor_quad_.g = kDefaultGraph;
    neighbors_active_ = true;
    return true;
  }
  have_prev_ = false;
  ranges_.clear();
  id_ranges_.clear();
  range_adj_.reset();
  range_pos_ = 0;
  if (range_ && (mask == 2 || mask == 10)) {
    // P (and G) bound, object next in the key (posg / gpos): scan the
    // objects of every other tag, and of each constrained tag only its
    // interval, as a few key ranges in key order.
    // With the predicate's adjacency in memory: the same intervals as
    // id ranges over its objects.
    range_adj_ = ctx_->source->AdjacencyFor(q.p, mask);
    if (range_adj_) {
      id_ranges_.clear();
      TermId gap_start = 0;
      for (const ObjectRange::Part& part : range_->parts) {
        const TermId tag_first = MakeId(part.tag, 0);
        if (tag_first > gap_start) id_ranges_.emplace_back(gap_start, tag_first - 1);
        if (!part.empty) id_ranges_.emplace_back(part.lo, part.hi);
        gap_start = MakeId(static_cast<TermTag>(static_cast<uint8_t>(part.tag) + 1), 0);
      }
      id_ranges_.emplace_back(gap_start, ~TermId{0});
      range_graph_ = (mask & 8) ? std::optional<TermId>(q.g) : std::nullopt;
      const auto& [lo, hi] = id_ranges_[0];
      it_ = PredicateAdjacency::ScanObjectRange(range_adj_, lo, hi,
                                                range_graph_);
      range_pos_ = 1;
      return true;
    }
    const ScanPlan plan = PlanScan(q, mask);
    perm_ = plan.perm;
    range_default_only_ = plan.default_graph_only;
    std::string prefix;
    EncodePrefix(perm_, q, plan.prefix_mask, &prefix);
    // Everything outside the constrained tags, plus each tag's interval.
    std::string gap_start = prefix;
    for (const ObjectRange::Part& part : range_->parts) {
      const uint8_t tag = static_cast<uint8_t>(part.tag);
      std::string tag_start = prefix + static_cast<char>(tag << 3);
      ranges_.emplace_back(gap_start, tag_start);
      if (!part.empty) {
        std::string lo = prefix, hi = prefix;
        AppendEncodedId(part.lo, &lo);
        AppendEncodedId(part.hi, &hi);
        ranges_.emplace_back(std::move(lo), PrefixSuccessor(hi));
      }
      gap_start = prefix + static_cast<char>((tag + 1) << 3);
    }
    ranges_.emplace_back(gap_start, PrefixSuccessor(prefix));
    const auto& [first_lo, first_hi] = ranges_[0];
    it_ = ctx_->source->ScanRange(perm_, first_lo, first_hi,
                                  range_default_only_);
    range_pos_ = 1;
    return true;
  }
  it_ = ctx_->source->Scan(q, mask);
  return true;
}

}  // namespace kg::exec
