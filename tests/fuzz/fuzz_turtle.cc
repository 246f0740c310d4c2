// libFuzzer target: the Turtle reader (and the round trip through its writer).
#include "tests/fuzz/fuzz_rdf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kg::fuzz::FuzzRdfReader(data, size, kg::RdfFormat::kTurtle);
}
