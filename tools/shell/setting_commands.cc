// The dot commands that change the session's settings: prefixes, the
// output mode and target, the timer, -bail, the query time limit, and
// leaving.

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/query_result.h"
#include "tools/shell/shell.h"
#include "tools/shell/words.h"

namespace kg::tools::shell {
namespace {

// A character a prefix name may hold: SPARQL's PN_CHARS, loosely (any
// non-ASCII byte passes).
bool IsPnLocalChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
         c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

// on|off and their synonyms; nullopt for anything else.
std::optional<bool> OnOff(const std::vector<std::string>& args) {
  if (args.size() != 1) return std::nullopt;
  std::string v = Lower(args[0]);
  if (v == "on" || v == "1" || v == "yes" || v == "true") return true;
  if (v == "off" || v == "0" || v == "no" || v == "false") return false;
  return std::nullopt;
}

}  // namespace

bool Shell::CmdPrefix(std::string_view, const std::vector<std::string>& args) {
  if (args.size() != 2) return Usage(".prefix");
  std::string name = args[0];
  if (!name.empty() && name.back() == ':') name.pop_back();
  std::string iri = args[1];
  if (iri.size() >= 2 && iri.front() == '<' && iri.back() == '>') {
    iri = iri.substr(1, iri.size() - 2);
  }
  for (char c : name) {
    if (!IsPnLocalChar(c)) {
      Error(cur_src_, absl::StrCat("not a prefix name: ", name));
      return false;
    }
  }
  prefixes_[name] = iri;
  vocabulary_loaded_ = false;
  return true;
}

bool Shell::CmdPrefixes(std::string_view, const std::vector<std::string>&) {
  for (const auto& [name, iri] : prefixes_) {
    Out() << "PREFIX " << name << ": <" << iri << ">\n";
  }
  return true;
}

bool Shell::CmdMode(std::string_view, const std::vector<std::string>& args) {
  if (args.empty()) {
    Out() << "current mode: " << mode_name_ << "\n";
    return true;
  }
  if (args.size() != 1) return Usage(".mode");
  auto f = ResultFormatFromName(Lower(args[0]));
  if (!f.ok()) {
    Error(cur_src_,
          absl::StrCat("unknown mode ", args[0],
                       "; one of table csv tsv json xml turtle ntriples"));
    return false;
  }
  mode_ = *f;
  mode_name_ = Lower(args[0]);
  return true;
}

bool Shell::CmdTimer(std::string_view, const std::vector<std::string>& args) {
  auto v = OnOff(args);
  if (!v) return Usage(".timer");
  timer_ = *v;
  return true;
}

bool Shell::CmdBail(std::string_view, const std::vector<std::string>& args) {
  auto v = OnOff(args);
  if (!v) return Usage(".bail");
  bail_ = *v;
  return true;
}

bool Shell::CmdTimeout(std::string_view, const std::vector<std::string>& args) {
  if (args.empty()) {
    Out() << "timeout: "
          << (timeout_ms_ == 0 ? std::string("none")
                               : absl::StrCat(timeout_ms_, " ms"))
          << "\n";
    return true;
  }
  char* end = nullptr;
  long long ms = std::strtoll(args[0].c_str(), &end, 10);
  if (args.size() != 1 || end == args[0].c_str() || *end != '\0' || ms < 0) {
    return Usage(".timeout");
  }
  timeout_ms_ = ms;
  return true;
}

bool Shell::CmdOutput(std::string_view, const std::vector<std::string>& args) {
  if (args.size() > 1) return Usage(".output");
  out_file_.reset();
  if (args.empty() || args[0] == "stdout" || args[0] == "-") return true;
  auto f = std::make_unique<std::ofstream>(args[0],
                                           std::ios::binary | std::ios::trunc);
  if (!*f) {
    Error(cur_src_, absl::StrCat("cannot write ", args[0]));
    return false;
  }
  out_file_ = std::move(f);
  return true;
}

bool Shell::CmdQuit(std::string_view, const std::vector<std::string>&) {
  quit_ = true;
  return true;
}

}  // namespace kg::tools::shell
