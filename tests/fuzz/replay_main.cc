// Replays inputs through a fuzz target's LLVMFuzzerTestOneInput without
// libFuzzer: the default suite builds each target with this main (any
// compiler) and runs its regression inputs (tests/fuzz/regressions/<target>/)
// and its seed corpus, so every crash the fuzzers found stays fixed in
// ordinary builds, and under KG_SANITIZE in the sanitizer build.
//
// Usage: <target>_replay [--max-ms N] (file | directory | @list-file)...
// A directory is read recursively, in name order (dot files skipped); a
// list file names one
// input path a line. Each input is copied into a buffer of exactly its size
// (so AddressSanitizer sees a read past its end). A crash or sanitizer
// report ends the process; an input slower than --max-ms (default 10000,
// libFuzzer's -timeout in the fuzz runs) is reported and fails the run.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Defined by the targets that prepare something once (libFuzzer calls it
// before the first input too).
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc,
                                                          char*** argv);

namespace {

namespace fs = std::filesystem;

void AddInputs(const std::string& arg, std::vector<std::string>* inputs) {
  if (!arg.empty() && arg[0] == '@') {
    std::ifstream list(arg.substr(1));
    if (!list) {
      std::fprintf(stderr, "cannot read list file %s\n", arg.c_str() + 1);
      std::exit(2);
    }
    std::string line;
    while (std::getline(list, line)) {
      if (!line.empty()) inputs->push_back(line);
    }
    return;
  }
  std::error_code ec;
  if (fs::is_directory(arg, ec)) {
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(arg)) {
      // Dot files (.gitkeep of an empty regressions folder) are not inputs.
      if (e.is_regular_file() && e.path().filename().string()[0] != '.')
        files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    inputs->insert(inputs->end(), files.begin(), files.end());
    return;
  }
  if (!fs::exists(arg, ec)) {
    std::fprintf(stderr, "no such input: %s\n", arg.c_str());
    std::exit(2);
  }
  inputs->push_back(arg);
}

}  // namespace

int main(int argc, char** argv) {
  long max_ms = 10000;
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--max-ms") == 0 && i + 1 < argc) {
      max_ms = std::atol(argv[++i]);
      continue;
    }
    AddInputs(argv[i], &inputs);
  }
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  int slow = 0;
  double slowest_ms = 0;
  std::string slowest;
  for (const std::string& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      return 2;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
    // Exactly the input's size, not a std::string's spare capacity.
    std::unique_ptr<uint8_t[]> buffer(new uint8_t[bytes.size()]);
    std::memcpy(buffer.get(), bytes.data(), bytes.size());
    std::fprintf(stderr, "%s\n", path.c_str());  // the last one is the culprit
    auto t0 = Clock::now();
    LLVMFuzzerTestOneInput(buffer.get(), bytes.size());
    double ms =
        std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (ms > slowest_ms) {
      slowest_ms = ms;
      slowest = path;
    }
    if (ms > max_ms) {
      std::fprintf(stderr, "SLOW: %s took %.0f ms (limit %ld)\n", path.c_str(),
                   ms, max_ms);
      ++slow;
    }
  }
  double total =
      std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("replayed %zu inputs in %.1f s; slowest %.0f ms (%s)\n",
              inputs.size(), total, slowest_ms, slowest.c_str());
  return slow ? 1 : 0;
}
