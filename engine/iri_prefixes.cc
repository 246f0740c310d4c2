// The one IRI-shortening rule and the store's prefixes (iri_prefixes.h).

#include "engine/iri_prefixes.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/database.h"
#include "storage/base/absl_compat.h"
#include "storage/rdf/syntax.h"
#include "storage/rdf/term.h"

namespace kg {
namespace {

// True when `local` can follow "name:" as a PN_LOCAL without escapes.
bool IsPlainPnLocal(std::string_view local) {
  const char* p = local.data();
  const char* end = p + local.size();
  bool first = true;
  uint32_t last = 0;
  while (p < end) {
    uint32_t cp;
    int len = rdf_internal::DecodeUtf8(p, end, &cp);
    if (len == 0) return false;
    bool ok = first ? (rdf_internal::IsPnCharsU(cp) || cp == ':' ||
                       (cp >= '0' && cp <= '9'))
                    : (rdf_internal::IsPnChars(cp) || cp == '.' || cp == ':');
    if (!ok) return false;
    first = false;
    last = cp;
    p += len;
  }
  return last != '.';
}

// [A-Za-z][A-Za-z0-9_.-]*, not ending in '.': a name every reader of
// prefixed names accepts.
bool IsPlainPrefixName(std::string_view name) {
  if (name.empty() || !rdf_internal::IsAsciiAlpha(name.front()) ||
      name.back() == '.')
    return false;
  for (char c : name) {
    if (!rdf_internal::IsAsciiAlpha(c) && !rdf_internal::IsAsciiDigit(c) &&
        c != '_' && c != '.' && c != '-')
      return false;
  }
  return true;
}

constexpr std::string_view kSeedBase = "https://kgstore.example/";

// Predicates of prefix declarations: (name predicate, namespace predicate).
constexpr std::pair<std::string_view, std::string_view> kDeclarations[] = {
    {"http://purl.org/vocab/vann/preferredNamespacePrefix",
     "http://purl.org/vocab/vann/preferredNamespaceUri"},
    {"http://www.w3.org/ns/shacl#prefix", "http://www.w3.org/ns/shacl#namespace"},
};

// Adds `name` -> `ns` unless the name or the namespace is taken.
void AddIfFree(PrefixMap* prefixes, const std::string& name,
               const std::string& ns) {
  if (ns.empty() || prefixes->count(name)) return;
  for (const auto& [n, taken] : *prefixes)
    if (taken == ns) return;
  prefixes->emplace(name, ns);
}

void AddDeclared(const Database& db, std::string_view name_predicate,
                 std::string_view ns_predicate, PrefixMap* prefixes) {
  QuadPattern names;
  names.predicate = Term::Iri(std::string(name_predicate));
  for (auto c = db.Match(names); c->Valid(); c->Next()) {
    const Quad& q = c->quad();
    if (!q.object.is_literal() || !IsPlainPrefixName(q.object.lexical))
      continue;
    QuadPattern ns;
    ns.subject = q.subject;
    ns.predicate = Term::Iri(std::string(ns_predicate));
    auto n = db.Match(ns);
    if (n->Valid() && !n->quad().object.is_blank())
      AddIfFree(prefixes, q.object.lexical, n->quad().object.lexical);
  }
}

}  // namespace

std::optional<std::string> PrefixedName(std::string_view iri,
                                        const PrefixMap& prefixes) {
  const std::pair<const std::string, std::string>* best = nullptr;
  for (const auto& entry : prefixes) {
    const std::string& ns = entry.second;
    if (ns.empty() || iri.size() < ns.size() ||
        iri.compare(0, ns.size(), ns) != 0)
      continue;
    if (best != nullptr && best->second.size() >= ns.size()) continue;
    if (!IsPlainPnLocal(iri.substr(ns.size()))) continue;
    best = &entry;
  }
  if (best == nullptr) return std::nullopt;
  return absl::StrCat(best->first, ":", Sv(iri.substr(best->second.size())));
}

std::string ShortenIri(std::string_view iri, const PrefixMap& prefixes) {
  std::optional<std::string> name = PrefixedName(iri, prefixes);
  if (name) return *std::move(name);
  return absl::StrCat("<", Sv(iri), ">");
}

std::optional<std::string> ExpandPrefixedName(std::string_view text,
                                              const PrefixMap& prefixes) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto it = prefixes.find(std::string(text.substr(0, colon)));
  if (it == prefixes.end()) return std::nullopt;
  return absl::StrCat(it->second, Sv(text.substr(colon + 1)));
}

PrefixMap StorePrefixes(const Database& db) {
  PrefixMap prefixes = {
      {"rdf", std::string(kRdf)},
      {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
      {"xsd", std::string(kXsd)},
      {"owl", "http://www.w3.org/2002/07/owl#"}};
  DatabaseStatistics stats = db.Statistics();
  bool seed = false, declared = false;
  for (const PredicateSummary& p : stats.predicates) {
    if (!p.predicate.is_iri()) continue;
    const std::string& iri = p.predicate.lexical;
    if (iri.compare(0, kSeedBase.size(), kSeedBase) == 0) seed = true;
    for (const auto& [name_predicate, ns_predicate] : kDeclarations)
      if (iri == name_predicate) declared = true;
  }
  if (seed) {
    prefixes.emplace("kg", absl::StrCat(Sv(kSeedBase), "vocab#"));
    prefixes.emplace("ex", absl::StrCat(Sv(kSeedBase), "id/"));
  }
  if (declared) {
    for (const auto& [name_predicate, ns_predicate] : kDeclarations)
      AddDeclared(db, name_predicate, ns_predicate, &prefixes);
  }
  return prefixes;
}

}  // namespace kg
