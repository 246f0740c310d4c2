// SPARQL through the engine: an entry classified as a query, an update or a
// lone prologue is run with the session's options, its result written in
// the mode (cut to the screen at the prompt), and .explain and .profile
// show a query's plan. Each runs inside a SigintScope, so Ctrl-C cancels it.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/query_result.h"
#include "engine/request_text.h"
#include "tools/shell/environment.h"
#include "tools/shell/shell.h"
#include "tools/shell/sigint_scope.h"
#include "tools/shell/words.h"

namespace kg::tools::shell {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

// An entry that starts with a clause of a query (ORDER BY, LIMIT, ...)
// is most likely the tail of the previous entry, which already ran.
std::string DanglingClauseHint(std::string_view text) {
  std::string_view t = Trim(text);
  size_t n = 0;
  while (n < t.size() && std::isalpha(static_cast<unsigned char>(t[n]))) ++n;
  std::string word(t.substr(0, n));
  for (char& ch : word) ch = static_cast<char>(std::toupper(ch));
  for (const char* clause :
       {"ORDER", "LIMIT", "OFFSET", "GROUP", "HAVING", "VALUES"}) {
    if (word == clause)
      return absl::StrCat("\n(", word,
                          " belongs to a query: the query before it already "
                          "ran. Keep the clause with its query, before any "
                          "empty line or ';'.)");
  }
  return "";
}

}  // namespace

QueryOptions Shell::QueryOpts() const {
  QueryOptions qo;
  qo.prefixes = prefixes_;
  qo.timeout_ms = timeout_ms_;
  qo.memory_limit_bytes = memory_limit_bytes_;
  qo.allow_file_access = true;  // the shell's user owns the files
  qo.cancel = &g_cancel;
  return qo;
}

bool Shell::RunSparql(const std::string& text, const Source& src) {
  return RunClassified(ClassifyRequest(text, QueryOpts()), src);
}

bool Shell::RunClassified(const RequestClassification& c, const Source& src) {
  switch (c.kind) {
    case RequestKind::kQuery:
      last_query_ = c.text;
      last_query_is_graph_ = false;
      return RunQuery(c.text, src, nullptr, std::nullopt);
    case RequestKind::kUpdate:
      return RunUpdate(c.text, src);
    case RequestKind::kPrologue:
      // Nothing followed it: its prefixes hold for the session.
      for (const auto& [name, iri] : c.prefixes) {
        prefixes_[name] = iri;
        Note(absl::StrCat("prefix ", name, ": <", iri, "> declared"));
      }
      return true;
    case RequestKind::kIncomplete:
    case RequestKind::kMayGrow:
    case RequestKind::kInvalid:
      Error(src, absl::StrCat(c.message, DanglingClauseHint(c.text)));
      return false;
  }
  return false;
}

bool Shell::RunQuery(const std::string& text, const Source& src,
                     std::ostream* out, std::optional<ResultFormat> format) {
  auto start = std::chrono::steady_clock::now();
  SigintScope sigint;
  auto result = db_->Query(text, QueryOpts());
  if (!result.ok()) {
    Error(src, result.status().message());
    return false;
  }
  QueryResult& r = **result;
  ResultFormat f = format.value_or(mode_);
  bool is_graph = r.kind() == QueryResult::Kind::kGraph;
  if (text == last_query_) last_query_is_graph_ = is_graph;
  if (is_graph && f != ResultFormat::kTable && f != ResultFormat::kTurtle &&
      f != ResultFormat::kNTriples) {
    f = ResultFormat::kTurtle;
  }
  if (!is_graph &&
      (f == ResultFormat::kTurtle || f == ResultFormat::kNTriples)) {
    f = r.kind() == QueryResult::Kind::kBoolean ? ResultFormat::kTable
                                                : ResultFormat::kTsv;
  }
  ResultWriteOptions wo;
  wo.prefixes = prefixes_;
  std::ostream& dest = out != nullptr ? *out : Out();
  bool screen = out == nullptr && OutIsTerminal();
  absl::Status status;
  if (f == ResultFormat::kTable) {
    if (screen) {
      TermSize ts = TerminalSize();
      size_t cols = is_graph ? 3 : std::max<size_t>(1, r.variables().size());
      int room = ts.cols - 3 * static_cast<int>(cols) + 1;
      wo.max_cell_width =
          static_cast<size_t>(std::max(8, room / static_cast<int>(cols)));
      // At the prompt a long result shows a screenful and the count of
      // the rest; arguments on a terminal get every row.
      if (interactive_)
        wo.max_rows = static_cast<uint64_t>(std::max(3, ts.rows - 5));
    }
    std::ostringstream buf;
    status = WriteResult(r, f, buf, wo);
    std::string table = buf.str();
    // A cut result still shows its rows, and its footer says why.
    if (status.ok() && timer_ && !table.empty() && table.back() == '\n') {
      table.pop_back();
      table += absl::StrFormat(" (%.3f s)\n", SecondsSince(start));
    }
    dest << table;
  } else {
    status = WriteResult(r, f, dest, wo);
    if (status.ok() && timer_ && screen) {
      dest << absl::StrFormat("Run Time: %.3f s\n", SecondsSince(start));
    }
  }
  dest.flush();
  if (!status.ok()) {
    if (absl::IsCancelled(status)) {
      Error(src, "interrupted");
    } else {
      Error(src, status.message());
    }
    return false;
  }
  return true;
}

bool Shell::RunUpdate(const std::string& text, const Source& src) {
  SigintScope sigint;
  auto summary = db_->Update(text, QueryOpts());
  if (!summary.ok()) {
    Error(src,
          absl::StrCat(summary.status().message(), " (nothing was changed)"));
    return false;
  }
  vocabulary_loaded_ = false;
  if (interactive_ || timer_) {
    std::cerr << absl::StrFormat(
        "%d quad%s inserted, %d removed (%.3f s)\n", summary->inserted,
        summary->inserted == 1 ? "" : "s", summary->removed, summary->seconds);
  }
  return true;
}

bool Shell::Explain(std::string_view rest, bool profile) {
  std::string text = rest.empty() ? last_query_ : std::string(rest);
  if (text.empty()) return Usage(profile ? ".profile" : ".explain");
  SigintScope sigint;
  auto plan = db_->Explain(text, profile, QueryOpts());
  if (!plan.ok()) {
    if (absl::IsCancelled(plan.status())) {
      Error(cur_src_, "interrupted");
    } else {
      Error(cur_src_, plan.status().message());
    }
    return false;
  }
  Out() << *plan;
  if (!plan->empty() && plan->back() != '\n') Out() << "\n";
  Out().flush();
  return true;
}

bool Shell::CmdExplain(std::string_view rest, const std::vector<std::string>&) {
  return Explain(rest, false);
}

bool Shell::CmdProfile(std::string_view rest, const std::vector<std::string>&) {
  return Explain(rest, true);
}

}  // namespace kg::tools::shell
