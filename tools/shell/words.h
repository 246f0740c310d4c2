// The words of the shell's input: trimming, case folding, a dot command's
// arguments, and whether an entry holds anything but comments.

#ifndef KGSTORE_TOOLS_SHELL_WORDS_H_
#define KGSTORE_TOOLS_SHELL_WORDS_H_

#include <string>
#include <string_view>
#include <vector>

namespace kg::tools::shell {

// `s` without blanks (spaces, tabs, CR, LF) at either end.
std::string_view Trim(std::string_view s);

std::string Lower(std::string_view s);

// Splits on blanks; "double quoted" or 'single quoted' words keep blanks.
std::vector<std::string> SplitArgs(std::string_view s);

// The rest of `s` after skipping `n` blank-separated words.
std::string_view AfterWords(std::string_view s, int n);

// True when `text` holds nothing but blanks and '#' comment lines.
bool OnlyComments(std::string_view text);

}  // namespace kg::tools::shell

#endif  // KGSTORE_TOOLS_SHELL_WORDS_H_
