// Chunk sorting for the bulk loader (sorted_runs.h).

#include "storage/sorted_runs.h"

#include <utility>

namespace kg {

SortedRun SortChunk(std::vector<QuadIds> chunk) {
  SortedRun run;
  std::sort(chunk.begin(), chunk.end(), SpogLess{});
  run.posg.resize(chunk.size());
  run.ospg.resize(chunk.size());
  for (size_t k = 0; k < chunk.size(); ++k) {
    const QuadIds& q = chunk[k];
    run.posg[k] = {q.p, q.o, q.s, q.g};
    run.ospg[k] = {q.o, q.s, q.p, q.g};
  }
  std::sort(run.posg.begin(), run.posg.end());
  std::sort(run.ospg.begin(), run.ospg.end());
  run.spog = std::move(chunk);
  return run;
}

}  // namespace kg
