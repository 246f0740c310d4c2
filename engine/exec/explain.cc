// ExplainTree: the operator tree as EXPLAIN / PROFILE print it.

#include "engine/exec/explain.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kg::exec {

std::string ExplainTree(const Operator* op, bool profile, int depth) {
  std::string line = std::string(2 * depth, ' ') + op->Describe();
  absl::StrAppend(&line, "  est=", absl::StrFormat("%.0f", op->estimate));
  if (profile)
    absl::StrAppend(&line, "  rows=", op->rows(), "  opens=", op->opens(),
                    absl::StrFormat("  time=%.3fms", op->millis()));
  line += "\n";
  for (const Operator* c : op->Children())
    line += ExplainTree(c, profile, depth + 1);
  return line;
}

}  // namespace kg::exec
