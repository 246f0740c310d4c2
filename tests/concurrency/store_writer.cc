// A second process for the concurrency tests (concurrency_test.cc): it
// holds a store open for writing, or writes to it, until its standard input
// closes.
//
//   kg_store_writer hold DIR    open DIR for writing, print "ready", wait
//   kg_store_writer write DIR   open DIR (a fresh store), bulk load a first
//                               batch (packed blocks), then commit batches
//                               one after another, printing
//                               "committed <pairs> <batches>" after each
//                               commit returned; a compaction every 10th
//                               round, a bulk load every 7th
//
// Every batch b is k pairs and a size quad, written together:
//   <urn:s/b/i> <urn:a> "b/i" .  <urn:s/b/i> <urn:b> <urn:batch/b> .
//   <urn:batch/b> <urn:size> k .
// so a consistent reader sees as many <urn:a> quads as <urn:b> quads, and
// their number is the sum of the sizes.

#include <poll.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/database.h"

namespace {

bool StdinClosed() {
  pollfd p{0, POLLIN, 0};
  if (poll(&p, 1, 0) <= 0) return false;
  char c;
  return read(0, &c, 1) <= 0;
}

std::string BatchNQuads(int b, int k) {
  std::string out;
  for (int i = 0; i < k; ++i) {
    absl::StrAppend(&out, "<urn:s/", b, "/", i, "> <urn:a> \"", b, "/", i,
                    "\" .\n<urn:s/", b, "/", i, "> <urn:b> <urn:batch/", b,
                    "> .\n");
  }
  absl::StrAppend(&out, "<urn:batch/", b, "> <urn:size> \"", k,
                  "\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n");
  return out;
}

int Fail(const absl::Status& s) {
  std::cout << "error: " << s.message() << std::endl;
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: kg_store_writer hold|write DIR\n";
    return 2;
  }
  const std::string mode = argv[1];
  kg::OpenOptions oo;
  oo.block_cache_bytes = 16 << 20;
  auto db = kg::Database::Open(argv[2], oo);
  if (!db.ok()) return Fail(db.status());
  if (mode == "hold") {
    std::cout << "ready" << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {
    }
    return 0;
  }
  if (mode != "write") return 2;
  kg::LoadOptions lo;
  lo.format = kg::RdfFormat::kNTriples;
  uint64_t pairs = 0, batches = 0;
  {
    std::istringstream in(BatchNQuads(0, 2000));
    auto loaded = (*db)->LoadStream(in, lo);
    if (!loaded.ok()) return Fail(loaded.status());
    pairs += 2000;
    ++batches;
  }
  std::cout << "committed " << pairs << " " << batches << std::endl;
  for (int b = 1; b < 100000 && !StdinClosed(); ++b) {
    const int k = 1 + b % 50;
    if (b % 7 == 0) {
      std::istringstream in(BatchNQuads(b, 10 * k));
      auto loaded = (*db)->LoadStream(in, lo);
      if (!loaded.ok()) return Fail(loaded.status());
      pairs += 10 * k;
    } else {
      auto done = (*db)->Update(
          absl::StrCat("INSERT DATA {\n", BatchNQuads(b, k), "}"));
      if (!done.ok()) return Fail(done.status());
      pairs += k;
    }
    ++batches;
    std::cout << "committed " << pairs << " " << batches << std::endl;
    if (b % 10 == 0) {
      absl::Status s = (*db)->Compact();
      if (!s.ok()) return Fail(s);
      std::cout << "compacted" << std::endl;
    }
  }
  return 0;
}
