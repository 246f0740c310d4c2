// Test helpers for end-to-end tests that run programs: the `kg` binary of
// this build, a shell command with its output and exit status, quoting, and
// a substring check. One copy for tests/kg_tool_test.cc, shell_test.cc,
// export_test.cc and query_cut_tool_test.cc (and the temporary directories
// they use are kg::testing::TempDir, tests/util/test_store.h).

#ifndef KGSTORE_TESTS_UTIL_RUN_COMMAND_H_
#define KGSTORE_TESTS_UTIL_RUN_COMMAND_H_

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace kg::testing {

// The `kg` tool of this build (KG_BINARY_DIR is set by tests/CMakeLists.txt).
inline const std::string& KgBinary() {
  static const std::string path = std::string(KG_BINARY_DIR) + "/tools/kg";
  return path;
}

struct CommandResult {
  int exit_code = -1;  // -1: did not start, or ended by a signal
  std::string out;     // standard output and standard error, interleaved
};

// Runs `command` with /bin/sh and returns its exit status and everything it
// wrote to standard output and standard error (2>&1 is appended: to keep
// standard error apart or drop standard output, group the command,
// "{ cmd >/dev/null; }").
inline CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
    r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// `s` as one single-quoted shell word.
inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

inline bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The whole content of a file ("" when it cannot be read).
inline std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace kg::testing

#endif  // KGSTORE_TESTS_UTIL_RUN_COMMAND_H_
