// Accumulator: one aggregate (COUNT, SUM, AVG, MIN, MAX, SAMPLE,
// GROUP_CONCAT) over the solutions of one group. Inline: it runs for every
// row of every group.

#ifndef KGSTORE_ENGINE_EXEC_AGGREGATE_ACCUMULATOR_H_
#define KGSTORE_ENGINE_EXEC_AGGREGATE_ACCUMULATOR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "engine/exec/visited_set.h"
#include "query/algebra.h"
#include "query/functions.h"
#include "storage/term_id.h"

namespace kg::exec {

// Accumulates one aggregate over the solutions of one group. AddCount and
// Add return the bytes the accumulator newly holds (a DISTINCT value
// remembered, text added to GROUP_CONCAT), for the query's memory cap.
class Accumulator {
 public:
  explicit Accumulator(const algebra::Aggregate& agg) : agg_(agg) {}
  // COUNT over ids: no term is decoded (ids are canonical, so DISTINCT on
  // ids is DISTINCT on terms).
  uint64_t AddCount(bool bound, TermId id) {
    if (!bound && !agg_.star) return 0;
    if (agg_.distinct && !Seen().Insert(id)) return 0;
    ++count_;
    return agg_.distinct ? kSeenBytes : 0;
  }
  // GROUP_CONCAT's text grew past `max_string_bytes` (then its result is
  // unbound; the operator ends the query).
  bool too_long() const { return too_long_; }
  uint64_t Add(const kg::Value& v, TermId id,
               uint64_t max_string_bytes = kMaxComputedStringBytes) {
    uint64_t held = 0;
    if (agg_.distinct) {
      if (!Seen().Insert(id)) return 0;
      held = kSeenBytes;
    }
    const std::string& n = agg_.name;
    if (n == "COUNT") {
      if (agg_.star || v) ++count_;
      return held;
    }
    if (!v) {
      if (n != "SAMPLE" && n != "GROUP_CONCAT") error_ = true;
      if (n == "GROUP_CONCAT") error_ = true;
      return held;
    }
    if (n == "SUM" || n == "AVG") {
      // The first value is added to integer 0 too, so a non-number is an
      // error here as it is later (SUM("a") is unbound, not "a"), and the
      // type promotes as op:numeric-add does.
      sum_ = Arithmetic(ArithOp::kAdd,
                        count_ == 0 ? Term::Literal("0", std::string(kXsdInteger))
                                    : sum_,
                        v);
      if (!sum_) error_ = true;
      ++count_;
    } else if (n == "MIN" || n == "MAX") {
      if (!best_ || (n == "MIN" ? OrderCompare(v, best_) < 0
                                : OrderCompare(v, best_) > 0))
        best_ = v;
    } else if (n == "SAMPLE") {
      if (!best_) best_ = v;
    } else if (n == "GROUP_CONCAT") {
      if (!v->is_literal() || too_long_) {
        error_ = true;
        return held;
      }
      const size_t before = concat_.size();
      if (before + agg_.separator.size() + v->lexical.size() >
          max_string_bytes) {
        too_long_ = error_ = true;
        return held;
      }
      if (count_++) concat_ += agg_.separator;
      concat_ += v->lexical;
      held += concat_.size() - before;
    }
    return held;
  }
  kg::Value Result() const {
    const std::string& n = agg_.name;
    if (n == "COUNT")
      return Term::Literal(std::to_string(count_), std::string(kXsdInteger));
    if (error_) return std::nullopt;
    if (n == "SUM")
      return count_ == 0 ? Term::Literal("0", std::string(kXsdInteger)) : sum_;
    if (n == "AVG") {
      if (count_ == 0) return Term::Literal("0", std::string(kXsdInteger));
      return Arithmetic(ArithOp::kDiv, sum_,
                        Term::Literal(std::to_string(count_),
                                      std::string(kXsdInteger)));
    }
    // A simple literal, whatever the members' language tags (18.5.1.7
    // defines it as a string built with fn:concat).
    if (n == "GROUP_CONCAT") return Term::Literal(concat_);
    return best_;
  }

 private:
  // The DISTINCT ids so far, made on first use: a set that turns into a
  // bitmap over dictionary payloads once dense (visited_set.h), since
  // COUNT(DISTINCT ?x) over a large result remembers millions of ids.
  VisitedSet& Seen() {
    if (seen_ == nullptr) seen_ = std::make_unique<VisitedSet>();
    return *seen_;
  }

  const algebra::Aggregate& agg_;
  std::unique_ptr<VisitedSet> seen_;
  uint64_t count_ = 0;
  kg::Value sum_, best_;
  bool error_ = false;
  bool too_long_ = false;
  std::string concat_;
  // What a remembered DISTINCT id costs in a hash set.
  static constexpr uint64_t kSeenBytes = 16;
};

}  // namespace kg::exec

#endif  // KGSTORE_ENGINE_EXEC_AGGREGATE_ACCUMULATOR_H_
