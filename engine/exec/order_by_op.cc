// OrderByOp: the sort (heap for a small top k, partial or full sort
// otherwise) and the key comparison on ids where they order like values.

#include "engine/exec/order_by_op.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace kg::exec {

namespace {
// Thrown by the comparison when the query is over its time limit (or
// cancelled) in the middle of a sort: std::sort and the heap functions
// leave the items valid, and the query ends with the context's status.
struct SortStopped {};
}  // namespace

std::string OrderByOp::Describe() const {
  return absl::StrCat("Sort (", keys_.size(), " key",
                      keys_.size() == 1 ? "" : "s", ")",
                      top_k_ ? absl::StrCat("  top ", *top_k_) : "");
}

void OrderByOp::DoOpen(const IdRow& seed) {
  ctx_->Release(held_);
  held_ = 0;
  rows_.clear();
  child_->Open(seed);
  auto less = [&](Item& a, Item& b) {
    if (!ctx_->Tick()) throw SortStopped{};
    for (size_t i = 0; i < keys_.size(); ++i) {
      int c = CompareKey(i, a, b);
      if (c != 0) return keys_[i].descending ? c > 0 : c < 0;
    }
    return a.index < b.index;  // stable
  };
  std::vector<Item> items;
  try {
    Gather(items, less);
  } catch (const SortStopped&) {
    rows_.clear();
  }
  pos_ = 0;
}

template <typename Less>
void OrderByOp::Gather(std::vector<Item>& items, Less& less) {
  IdRow r;
  if (top_k_ && *top_k_ <= kHeapTopK) {
    // A small top k: keep the best k seen so far in a heap whose front
    // is the worst of them; a new row that does not beat it is dropped
    // without being stored. Memory and allocations O(k), not O(rows).
    const size_t k = static_cast<size_t>(*top_k_);
    items.reserve(k);
    Item candidate;
    size_t index = 0;
    while (k > 0 && child_->Next(&r)) {
      if (items.size() < k) {
        const uint64_t cost = 64 + r.size() * 8 + keys_.size() * 64;
        held_ += cost;
        if (!ctx_->Charge(cost)) return;
        items.push_back(Item{r, index++, {}});
        items.back().keys.resize(keys_.size());
        std::push_heap(items.begin(), items.end(), less);
        continue;
      }
      candidate.row = r;
      candidate.index = index++;
      candidate.keys.assign(keys_.size(), std::nullopt);
      if (!less(candidate, items.front())) continue;
      std::pop_heap(items.begin(), items.end(), less);
      std::swap(items.back(), candidate);
      std::push_heap(items.begin(), items.end(), less);
    }
    if (!ctx_->ok()) return;
    std::sort_heap(items.begin(), items.end(), less);
    for (auto& it : items) rows_.push_back(std::move(it.row));
    return;
  }
  while (child_->Next(&r)) {
    const uint64_t cost = 64 + r.size() * 8 + keys_.size() * 64;
    held_ += cost;
    if (!ctx_->Charge(cost)) return;
    items.push_back(Item{r, items.size(), {}});
    items.back().keys.resize(keys_.size());
  }
  // Over a limit while gathering: nothing to sort.
  if (!ctx_->ok()) return;
  if (top_k_ && *top_k_ < items.size()) {
    std::partial_sort(items.begin(), items.begin() + *top_k_, items.end(),
                      less);
    items.resize(*top_k_);
  } else {
    std::sort(items.begin(), items.end(), less);
  }
  for (auto& it : items) rows_.push_back(std::move(it.row));
}

bool OrderByOp::DoNext(IdRow* row) {
  if (pos_ >= rows_.size()) return false;
  *row = rows_[pos_++];
  return true;
}

const Value& OrderByOp::KeyOf(size_t k, Item& item) {
  if (!item.keys[k]) item.keys[k] = ev_->Eval(keys_[k].expr, item.row);
  return *item.keys[k];
}

int OrderByOp::CompareKey(size_t k, Item& a, Item& b) {
  const algebra::Expr& e = keys_[k].expr;
  if (e.kind == algebra::Expr::Kind::kVar) {
    const TermId x = a.row[e.var], y = b.row[e.var];
    if (x == y) return 0;  // ids are canonical: the same term
    const TermTag tx = TagOf(x), ty = TagOf(y);
    if (x != kUnbound && y != kUnbound) {
      // Inline numbers of different values compare by exact value;
      // equal values (2 and 2.0) go to OrderCompare, which breaks the
      // tie by lexical form and datatype. Inline dates compare by id
      // (the encoding keeps order; equal ids returned 0 above).
      if (auto vx = InlineNumericScaled(x)) {
        if (auto vy = InlineNumericScaled(y))
          if (*vx != *vy) return *vx < *vy ? -1 : 1;
      }
      if (tx == TermTag::kInlineDate && ty == TermTag::kInlineDate)
        return x < y ? -1 : 1;
    }
    if (x != kUnbound && y != kUnbound && tx == ty) {
      if (tx == TermTag::kIri) {
        if (auto c = ctx_->CompareLexical(x, y)) return *c;
      }
    }
  }
  return OrderCompare(KeyOf(k, a), KeyOf(k, b));
}

}  // namespace kg::exec
