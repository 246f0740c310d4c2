// .export FORMAT FILE [QUERY | around IRI [HOPS]]: a query's result in a
// result format (csv tsv json xml ntriples turtle), or a graph (dot graphml
// gexf cytoscape html) of a CONSTRUCT, a neighbourhood or the whole store,
// written to a file.

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/graph_export.h"
#include "engine/iri_prefixes.h"
#include "engine/query_result.h"
#include "tools/shell/shell.h"
#include "tools/shell/sigint_scope.h"
#include "tools/shell/words.h"

namespace kg::tools::shell {
namespace {

// The formats .export knows, for its error message.
std::string ExportFormats() {
  return "csv tsv json xml ntriples turtle (results), "
         "dot graphml gexf cytoscape html (graphs)";
}

}  // namespace

bool Shell::CmdExport(std::string_view rest,
                      const std::vector<std::string>& args) {
  if (args.size() < 2) return Usage(".export");
  std::string format = Lower(args[0]);
  std::string file = args[1];
  std::string text(AfterWords(rest, 2));
  if (text.empty()) text = last_query_;
  auto f = ResultFormatFromName(format);
  // Result formats first ("json" is SPARQL JSON here; "cytoscape" is the
  // graph JSON).
  auto graph_format = ExportFormatFromName(format);
  if ((!f.ok() || *f == ResultFormat::kTable) && graph_format.ok()) {
    return ExportGraphTo(*graph_format, file, AfterWords(rest, 2));
  }
  if (!f.ok() || *f == ResultFormat::kTable) {
    Error(cur_src_, absl::StrCat("unknown export format ", args[0], "; one of ",
                                 ExportFormats()));
    return false;
  }
  if (text.empty()) {
    Error(cur_src_,
          "no query to export: give one after the file name, or run one first");
    return false;
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) {
    Error(cur_src_, absl::StrCat("cannot write ", file));
    return false;
  }
  bool saved_timer = timer_;
  timer_ = false;
  bool ok = RunQuery(text, cur_src_, &out, *f);
  timer_ = saved_timer;
  if (ok) Note(absl::StrCat("wrote ", file));
  return ok;
}

bool Shell::ExportGraphTo(ExportFormat format, const std::string& file,
                          std::string_view selection) {
  ExportOptions eo;
  eo.format = format;
  eo.prefixes = prefixes_;
  eo.query_options = QueryOpts();
  std::vector<std::string> words = SplitArgs(selection);
  if (!words.empty() && Lower(words[0]) == "around") {
    if (words.size() < 2 || words.size() > 3) return Usage(".export");
    auto term = ResolveIri(words[1]);
    if (!term.has_value()) {
      Error(cur_src_,
            absl::StrCat("not an IRI or known prefixed name: ", words[1]));
      return false;
    }
    eo.around = *term;
    if (words.size() == 3) eo.hops = std::atoi(words[2].c_str());
  } else if (!selection.empty()) {
    eo.query = std::string(selection);
  } else if (last_query_is_graph_) {
    eo.query = last_query_;
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) {
    Error(cur_src_, absl::StrCat("cannot write ", file));
    return false;
  }
  ExportSummary summary;
  absl::Status s;
  {
    SigintScope sigint;
    s = kg::ExportGraph(*db_, eo, out, &summary);
  }
  out.close();
  if (!s.ok()) {
    Error(cur_src_, absl::IsCancelled(s) ? absl::string_view("interrupted")
                                         : s.message());
    return false;
  }
  Note(absl::StrFormat("wrote %s: %d nodes, %d edges, %d classes", file,
                       summary.nodes, summary.edges, summary.classes));
  return true;
}

std::optional<Term> Shell::ResolveIri(const std::string& word) const {
  if (word.size() >= 2 && word.front() == '<' && word.back() == '>') {
    return Term::Iri(word.substr(1, word.size() - 2));
  }
  if (word.find("://") != std::string::npos) return Term::Iri(word);
  if (auto iri = ExpandPrefixedName(word, prefixes_)) return Term::Iri(*iri);
  return std::nullopt;
}

}  // namespace kg::tools::shell
