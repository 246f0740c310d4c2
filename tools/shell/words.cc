// The words of the shell's input (words.h).

#include "tools/shell/words.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace kg::tools::shell {

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits on blanks; "double quoted" or 'single quoted' words keep blanks.
std::vector<std::string> SplitArgs(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    std::string word;
    if (s[i] == '"' || s[i] == '\'') {
      char q = s[i++];
      while (i < s.size() && s[i] != q) word.push_back(s[i++]);
      if (i < s.size()) ++i;
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) {
        word.push_back(s[i++]);
      }
    }
    out.push_back(std::move(word));
  }
  return out;
}

// The rest of `s` after skipping `n` blank-separated words.
std::string_view AfterWords(std::string_view s, int n) {
  size_t i = 0;
  for (int k = 0; k < n; ++k) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
      char q = s[i++];
      while (i < s.size() && s[i] != q) ++i;
      if (i < s.size()) ++i;
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])))
        ++i;
    }
  }
  return Trim(s.substr(std::min(i, s.size())));
}

// True when `text` holds nothing but blanks and '#' comment lines.
bool OnlyComments(std::string_view text) {
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = Trim(
        text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos));
    if (!line.empty() && line[0] != '#') return false;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return true;
}

}  // namespace kg::tools::shell
