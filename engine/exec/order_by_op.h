// OrderByOp: ORDER BY, sorting every row or keeping only the top k in a
// heap when a LIMIT above reads no more.

#ifndef KGSTORE_ENGINE_EXEC_ORDER_BY_OP_H_
#define KGSTORE_ENGINE_EXEC_ORDER_BY_OP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/exec/evaluator.h"
#include "engine/exec/operator.h"
#include "query/algebra.h"

namespace kg::exec {

// ORDER BY: reads every row of the child at Open, sorts them by the keys
// (stable), then returns them in order.
class OrderByOp final : public Operator {
 public:
  // `top_k`: only the first top_k rows of the order are ever read (a
  // LIMIT above), so only they are sorted.
  OrderByOp(QueryContext* ctx, OpPtr child, std::vector<algebra::OrderKey> keys,
            Evaluator* ev, std::optional<uint64_t> top_k)
      : Operator(ctx), child_(std::move(child)), keys_(std::move(keys)),
        ev_(ev), top_k_(top_k) {}
  std::string Describe() const override;
  std::vector<const Operator*> Children() const override {
    return {child_.get()};
  }

 protected:
  // A row and its sort keys, evaluated only when a comparison needs them:
  // keys that are variables compare by id where ids order like the values
  // (same inline numeric or date tag) and by lexical form in place for
  // IRIs, so most rows are never decoded.
  struct Item {
    IdRow row;
    size_t index;
    std::vector<std::optional<Value>> keys;
  };
  void DoOpen(const IdRow& seed) override;
  bool DoNext(IdRow* row) override;
  // Reads the child's rows into `items` and sorts them (or keeps the top
  // k in a heap) into rows_; `less` may throw when the time is up.
  template <typename Less>
  void Gather(std::vector<Item>& items, Less& less);

 private:
  inline const Value& KeyOf(size_t k, Item& item);
  inline int CompareKey(size_t k, Item& a, Item& b);

  // Top k up to this many is kept in a heap while rows stream in; larger
  // ones sort every row (partial_sort).
  static constexpr uint64_t kHeapTopK = 4096;

  OpPtr child_;
  std::vector<algebra::OrderKey> keys_;
  Evaluator* ev_;
  std::optional<uint64_t> top_k_;
  std::vector<IdRow> rows_;
  size_t pos_ = 0;
  uint64_t held_ = 0;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_ORDER_BY_OP_H_
