// Tab completion at the prompt: dot command names and their arguments
// (modes, on/off, export formats, file names), then the query language's
// keywords and functions, the session's prefixes, and the store's
// predicates and classes (the vocabulary, read once per change).

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "engine/database.h"
#include "engine/iri_prefixes.h"
#include "engine/request_text.h"
#include "tools/shell/shell.h"
#include "tools/shell/words.h"

namespace kg::tools::shell {
namespace {

// The names .mode takes.
constexpr const char* kModes[] = {"table", "csv",    "tsv",     "json",
                                  "xml",   "turtle", "ntriples"};

// The items of `list` that start with `word`.
template <typename List>
std::vector<std::string> Matching(const List& list, std::string_view word) {
  std::vector<std::string> out;
  for (const auto& item : list) {
    std::string s(item);
    if (s.rfind(word, 0) == 0) out.push_back(s);
  }
  return out;
}
std::vector<std::string> Matching(std::initializer_list<const char*> list,
                                  std::string_view word) {
  return Matching(std::vector<const char*>(list), word);
}

// The names in the directory of `word` that start with its last part, as
// typed (with its directory), directories with a '/'; hidden names only
// when the part starts with '.'.
std::vector<std::string> FileNames(std::string_view word) {
  std::string w(word);
  size_t slash = w.rfind('/');
  std::string dir = slash == std::string::npos ? "." : w.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? w : w.substr(slash + 1);
  std::string shown = slash == std::string::npos ? "" : dir;
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (name.rfind(base, 0) != 0) continue;
    if (name[0] == '.' && (base.empty() || base[0] != '.')) continue;
    struct stat sb {};
    std::string full = dir + name;
    bool is_dir = stat(full.c_str(), &sb) == 0 && S_ISDIR(sb.st_mode);
    out.push_back(shown + name + (is_dir ? "/" : ""));
  }
  closedir(d);
  return out;
}

}  // namespace

void Shell::LoadVocabulary() {
  if (vocabulary_loaded_) return;
  vocabulary_loaded_ = true;
  vocabulary_.clear();
  DatabaseStatistics st = db_->Statistics();
  for (const PredicateSummary& p : st.predicates) {
    if (p.predicate.is_iri())
      vocabulary_.push_back(ShortenIri(p.predicate.lexical, prefixes_));
  }
  auto classes = ClassCounts();
  if (classes.ok()) {
    for (const auto& c : *classes)
      vocabulary_.push_back(ShortenIri(c.first, prefixes_));
  }
}

std::vector<std::string> Shell::Complete(std::string_view before,
                                         size_t* start) {
  // The word before the cursor.
  size_t b = before.size();
  while (b > 0) {
    char c = before[b - 1];
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::string_view("{}(),;|^!=").find(c) != std::string_view::npos) {
      break;
    }
    --b;
  }
  std::string_view word = before.substr(b);
  if (!word.empty() && word[0] != '<') {
    size_t slash = word.rfind('/');
    if (slash != std::string_view::npos) {
      b += slash + 1;
      word = before.substr(b);
    }
  }
  *start = b;
  std::vector<std::string> out;
  std::string_view lead = Trim(before);
  bool in_dot =
      pending_empty_for_completion_ && !lead.empty() && lead[0] == '.';
  if (in_dot) {
    std::vector<std::string> words = SplitArgs(before);
    bool first = b == before.find_first_not_of(" \t");
    if (first) {
      for (const DotCommand& c : Commands()) {
        if (std::string_view(c.name).substr(0, word.size()) == word)
          out.push_back(c.name);
      }
      return out;
    }
    std::string cmd = words.empty() ? "" : words[0];
    size_t arg_index = words.size() - (word.empty() ? 0 : 1);
    if (cmd == ".mode" && arg_index == 1) return Matching(kModes, word);
    if ((cmd == ".timer" || cmd == ".bail") && arg_index == 1) {
      return Matching({"on", "off"}, word);
    }
    if (cmd == ".export" && arg_index == 1) {
      return Matching({"csv", "tsv", "json", "xml", "ntriples", "turtle", "dot",
                       "graphml", "gexf", "cytoscape", "html"},
                      word);
    }
    if (cmd == ".read" || cmd == ".load" || cmd == ".output" ||
        (cmd == ".export" && arg_index == 2)) {
      return FileNames(word);
    }
    if (cmd != ".explain" && cmd != ".profile" && cmd != ".export") return out;
  }
  if (word.empty() || word[0] == '?' || word[0] == '$' || word[0] == '"')
    return out;
  bool lower = std::any_of(word.begin(), word.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c));
  });
  std::string folded = Lower(word);
  for (const std::string& kw : QueryLanguageWords()) {
    if (Lower(kw).rfind(folded, 0) == 0) {
      bool mixed = std::any_of(kw.begin(), kw.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c));
      });
      out.push_back(lower && !mixed ? Lower(kw) : kw);
    }
  }
  for (const auto& p : prefixes_) {
    std::string name = p.first + ":";
    if (name.rfind(word, 0) == 0) out.push_back(name);
  }
  LoadVocabulary();
  for (const std::string& v : vocabulary_) {
    if (v.rfind(word, 0) == 0) out.push_back(v);
  }
  return out;
}

}  // namespace kg::tools::shell
