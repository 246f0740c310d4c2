// Checks tests/fuzz/sparql.dict against query/grammar/words.h: every
// keyword, keyword pair and built-in function name is in the dictionary,
// and every upper-case word of the dictionary is one of them (no word the
// grammar no longer knows). Run by ctest as fuzz_dictionary_matches_words.
#include <cctype>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <string_view>

#include "query/grammar/words.h"

namespace {

// The value of one dictionary line (`"..."` or `name="..."`), with libFuzzer's
// escapes \\ \" \xHH decoded; false for comments and blank lines.
bool DictValue(const std::string& line, std::string* value) {
  size_t open = line.find('"');
  if (line.empty() || line[0] == '#' || open == std::string::npos) return false;
  size_t close = line.rfind('"');
  if (close <= open) return false;
  value->clear();
  for (size_t i = open + 1; i < close; ++i) {
    if (line[i] == '\\' && i + 1 < close) {
      char c = line[++i];
      if (c == 'x' && i + 2 < close) {
        *value += static_cast<char>(std::stoi(line.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        *value += c;
      }
    } else {
      *value += line[i];
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s sparql.dict\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  std::set<std::string> dict;
  std::string line, value;
  while (std::getline(in, line)) {
    if (DictValue(line, &value)) dict.insert(value);
  }
  std::set<std::string> words;
  for (std::string_view k : kg::grammar::kKeywords) words.emplace(k);
  for (std::string_view k : kg::grammar::kKeywordPairs) words.emplace(k);
  for (const auto& b : kg::grammar::kBuiltins) words.emplace(b.name);
  int problems = 0;
  for (const std::string& w : words) {
    if (!dict.count(w)) {
      std::fprintf(stderr, "%s: missing \"%s\" (query/grammar/words.h)\n",
                   argv[1], w.c_str());
      ++problems;
    }
  }
  for (const std::string& d : dict) {
    bool word = !d.empty();
    for (char c : d) word = word && (std::isupper(static_cast<unsigned char>(c)) || c == '_');
    if (word && !words.count(d)) {
      std::fprintf(stderr, "%s: \"%s\" is not a word of query/grammar/words.h\n",
                   argv[1], d.c_str());
      ++problems;
    }
  }
  std::printf("%zu dictionary entries, %zu words of words.h, %d problems\n",
              dict.size(), words.size(), problems);
  return problems ? 1 : 0;
}
