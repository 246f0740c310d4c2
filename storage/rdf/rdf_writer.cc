// RDF writers: N-Triples, N-Quads, Turtle and TriG.
//
// Output is built in a string buffer and handed to the ostream in large
// pieces, because per-term ostream calls dominate the cost otherwise.
// Turtle/TriG group consecutive statements that share a subject (';') and
// a predicate (','); they do not reorder input, so callers that want dense
// output should write statements sorted by graph and subject.

#include <optional>
#include <string>
#include <vector>

#include "storage/rdf/rdf_format.h"
#include "storage/rdf/syntax.h"

namespace kg {
namespace {

using rdf_internal::DecodeUtf8;
using rdf_internal::IsPnChars;
using rdf_internal::IsPnCharsU;

constexpr size_t kFlushBytes = size_t{1} << 16;

// True when `local` can be written as the local part of a prefixed name
// without escapes (a conservative subset of PN_LOCAL).
bool IsPlainLocalName(std::string_view local) {
  if (local.empty()) return true;
  const char* p = local.data();
  const char* end = p + local.size();
  bool first = true;
  char last = 0;
  while (p < end) {
    uint32_t cp;
    int n = DecodeUtf8(p, end, &cp);
    if (n == 0) return false;
    bool ok = first ? (IsPnCharsU(cp) || (cp >= '0' && cp <= '9'))
                    : (IsPnChars(cp) || cp == '.');
    if (!ok) return false;
    last = *p;
    p += n;
    first = false;
  }
  return last != '.';
}

// Lexical forms that Turtle can write without quotes for a datatype.
bool IsBareInteger(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!rdf_internal::IsAsciiDigit(s[i])) return false;
  }
  return true;
}
bool IsBareDecimal(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  size_t dot = s.find('.', i);
  if (dot == std::string_view::npos || dot + 1 == s.size()) return false;
  for (size_t k = i; k < s.size(); ++k) {
    if (k != dot && !rdf_internal::IsAsciiDigit(s[k])) return false;
  }
  return true;
}

class BufferedWriter : public RdfWriter {
 public:
  explicit BufferedWriter(std::ostream& out) : out_(out) {}

 protected:
  void MaybeFlush() {
    if (buf_.size() >= kFlushBytes) Flush();
  }
  void Flush() {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
  absl::Status FinishStream() {
    Flush();
    out_.flush();
    if (!out_) return absl::DataLossError("failed to write RDF output");
    return absl::OkStatus();
  }
  absl::Status StreamStatus() const {
    if (!out_) return absl::DataLossError("failed to write RDF output");
    return absl::OkStatus();
  }

  std::ostream& out_;
  std::string buf_;
};

class NQuadsWriter : public BufferedWriter {
 public:
  NQuadsWriter(std::ostream& out, bool quads)
      : BufferedWriter(out), quads_(quads) {}
  void AddPrefix(std::string_view, std::string_view) override {}
  absl::Status Write(const Quad& q) override {
    q.subject.AppendNTriples(&buf_);
    buf_.push_back(' ');
    q.predicate.AppendNTriples(&buf_);
    buf_.push_back(' ');
    q.object.AppendNTriples(&buf_);
    if (quads_ && q.graph.has_value()) {
      buf_.push_back(' ');
      q.graph->AppendNTriples(&buf_);
    }
    buf_.append(" .\n");
    MaybeFlush();
    return StreamStatus();
  }
  absl::Status Finish() override { return FinishStream(); }

 private:
  const bool quads_;
};

class TurtleWriter : public BufferedWriter {
 public:
  TurtleWriter(std::ostream& out, bool trig)
      : BufferedWriter(out), trig_(trig) {}

  void AddPrefix(std::string_view prefix, std::string_view iri) override {
    prefixes_.emplace_back(std::string(prefix), std::string(iri));
  }

  absl::Status Write(const Quad& q) override {
    WriteHeader();
    const std::optional<Term>* graph = &q.graph;
    std::optional<Term> none;
    if (!trig_) graph = &none;
    if (!has_open_ || *graph != open_graph_) {
      CloseSubject();
      CloseGraph();
      OpenGraph(*graph);
    }
    if (has_subject_ && q.subject == subject_) {
      if (q.predicate == predicate_) {
        buf_.append(" ,\n");
        buf_.append(Indent(2));
      } else {
        buf_.append(" ;\n");
        buf_.append(Indent(1));
        AppendPredicate(q.predicate);
        buf_.push_back(' ');
        predicate_ = q.predicate;
      }
    } else {
      CloseSubject();
      buf_.append(Indent(0));
      AppendTerm(q.subject);
      buf_.push_back(' ');
      AppendPredicate(q.predicate);
      buf_.push_back(' ');
      subject_ = q.subject;
      predicate_ = q.predicate;
      has_subject_ = true;
    }
    AppendTerm(q.object);
    MaybeFlush();
    return StreamStatus();
  }

  absl::Status Finish() override {
    WriteHeader();
    CloseSubject();
    CloseGraph();
    return FinishStream();
  }

 private:
  std::string Indent(int level) const {
    int base = (trig_ && open_graph_.has_value()) ? 1 : 0;
    return std::string(static_cast<size_t>(base + level) * 4, ' ');
  }

  void WriteHeader() {
    if (header_written_) return;
    header_written_ = true;
    for (const auto& [prefix, iri] : prefixes_) {
      buf_.append("@prefix ");
      buf_.append(prefix);
      buf_.append(": <");
      AppendEscapedIri(iri, &buf_);
      buf_.append("> .\n");
    }
    if (!prefixes_.empty()) buf_.push_back('\n');
  }

  void CloseSubject() {
    if (!has_subject_) return;
    buf_.append(" .\n");
    has_subject_ = false;
  }
  void CloseGraph() {
    if (has_open_ && trig_ && open_graph_.has_value()) buf_.append("}\n");
    has_open_ = false;
  }
  void OpenGraph(const std::optional<Term>& g) {
    has_open_ = true;
    open_graph_ = g;
    if (trig_ && g.has_value()) {
      AppendTerm(*g);
      buf_.append(" {\n");
    }
  }

  void AppendPredicate(const Term& p) {
    if (p.is_iri() && p.lexical == kRdfType) {
      buf_.push_back('a');
    } else {
      AppendTerm(p);
    }
  }

  void AppendIri(std::string_view iri) {
    // The longest declared namespace that leaves a plain local name.
    const std::pair<std::string, std::string>* best = nullptr;
    for (const auto& entry : prefixes_) {
      const std::string& ns = entry.second;
      if (iri.size() >= ns.size() && iri.compare(0, ns.size(), ns) == 0 &&
          IsPlainLocalName(iri.substr(ns.size())) &&
          (best == nullptr || ns.size() > best->second.size())) {
        best = &entry;
      }
    }
    if (best != nullptr) {
      buf_.append(best->first);
      buf_.push_back(':');
      buf_.append(iri.substr(best->second.size()));
      return;
    }
    buf_.push_back('<');
    AppendEscapedIri(iri, &buf_);
    buf_.push_back('>');
  }

  void AppendTerm(const Term& t) {
    switch (t.kind) {
      case TermKind::kIri:
        AppendIri(t.lexical);
        return;
      case TermKind::kBlankNode:
        buf_.append("_:");
        buf_.append(t.lexical);
        return;
      case TermKind::kLiteral:
        break;
    }
    if (t.language.empty() && !t.datatype.empty()) {
      if ((t.datatype == kXsdInteger && IsBareInteger(t.lexical)) ||
          (t.datatype == kXsdDecimal && IsBareDecimal(t.lexical)) ||
          (t.datatype == kXsdBoolean &&
           (t.lexical == "true" || t.lexical == "false"))) {
        buf_.append(t.lexical);
        return;
      }
    }
    buf_.push_back('"');
    AppendEscapedString(t.lexical, &buf_);
    buf_.push_back('"');
    if (!t.language.empty()) {
      buf_.push_back('@');
      buf_.append(t.language);
    } else if (!t.datatype.empty()) {
      buf_.append("^^");
      AppendIri(t.datatype);
    }
  }

  const bool trig_;
  std::vector<std::pair<std::string, std::string>> prefixes_;
  bool header_written_ = false;
  bool has_open_ = false;
  std::optional<Term> open_graph_;
  bool has_subject_ = false;
  Term subject_;
  Term predicate_;
};

}  // namespace

std::unique_ptr<RdfWriter> NewRdfWriter(RdfFormat format, std::ostream& out) {
  switch (format) {
    case RdfFormat::kNTriples:
      return std::make_unique<NQuadsWriter>(out, false);
    case RdfFormat::kNQuads:
      return std::make_unique<NQuadsWriter>(out, true);
    case RdfFormat::kTurtle:
      return std::make_unique<TurtleWriter>(out, false);
    case RdfFormat::kTriG:
      return std::make_unique<TurtleWriter>(out, true);
  }
  return nullptr;
}

}  // namespace kg
