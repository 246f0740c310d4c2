// generate: a deterministic diplomacy-like RDF graph of any size.
//
//   generate --triples N [--seed S] [--format nt|nq] [-o FILE]
//
// Writes exactly N statements (N-Triples, or N-Quads with --format nq) to
// stdout or FILE. The same N and seed give byte-identical output (the
// generator uses its own PRNG and integer/IEEE arithmetic only; no
// std::*_distribution, whose results differ between standard libraries).
// The output stops at the N-th statement, which may cut the last article
// short; every statement written is complete and valid.
//
// Vocabulary: the one of examples/seed/kazinform-2023-02-24.trig (see
// examples/README.md), so queries written for the seed run here too.
//   kg: <https://kgstore.example/vocab#>   ex: <https://kgstore.example/id/>
// Entity IRIs are ex:<kind>-<number>: country-3, city-17, org-5, person-42,
// office-42 (the office held by person-42), trade-9, meeting-1234, article-77.
//
// Shape, in output order (C = countries, P = persons):
//   C = clamp(sqrt(N)/20, 4, 200)        (N = 1e6 -> 50 countries)
//   countries  C  kg:Country: rdf:type, rdfs:label, kg:nativeName
//                 (language-tagged: kk, ro, lt, et, de, pl, ...).
//   cities     4C kg:City: type, label, kg:locatedIn its country; the first
//                 city of each country is its capital.
//   orgs       3C kg:Organisation per country: its foreign ministry, a news
//                 agency and a company: type, label, kg:country.
//   persons    P = max(N/40, 3C+10) kg:Person: type, label. Roles by index:
//                 persons [0,C) are foreign ministers (kg:ministerOf),
//                 [C,3C) deputy foreign ministers (kg:deputyMinisterOf),
//                 then up to min(C(C-1), 30% of the rest) ambassadors
//                 (kg:ambassadorOf + kg:accreditedTo; each (sending, host)
//                 pair at most once), the rest hold no office. Office holders
//                 have kg:holdsOffice ex:office-<i>, a kg:Office with type,
//                 label, kg:country, kg:organisation (the sending country's
//                 foreign ministry) and, for ambassadors, kg:accreditedTo.
//   trade      each country trades with its next min(6, (C-1)/2) countries
//                 (ring offsets, so every unordered pair once): kg:tradePartner
//                 in both directions, and per year 2015..2022 one reified
//                 kg:TradeRelation: type, label, kg:partner x2, kg:year
//                 (xsd:gYear), kg:turnoverUSD (xsd:decimal, whole dollars,
//                 1e6..1e10 log-uniform base, random walk over the years),
//                 kg:growthPercent (xsd:decimal, one decimal place; from 2016).
//                 Each year's relations are the facts of one yearbook article
//                 ("Trade statistics 2015", ...), the tradePartner edges are
//                 in the 2015 yearbook.
//   articles   news articles until N is reached; each holds 1..4 meetings
//                 (mean 2.5). Article: type kg:Article, label, kg:date
//                 (xsd:date, 2015-01-01..2023-12-31), kg:publisher (a news
//                 agency).
//   meetings   kg:Meeting: type, label, kg:date (article date minus 0..3
//                 days), kg:location (a city of the host's country, the
//                 capital 60% of the time), kg:heldBy (the host), kg:participant
//                 for 2 (70%), 3 (25%) or 4 (5%) distinct persons, and
//                 kg:metWith in both directions between every pair of them
//                 the first time that pair meets (so no statement repeats).
//
// Degree distribution: meeting participants are drawn from a Zipf law with
// exponent 1.0 over person rank (rejection-inversion sampler); rank r is
// person r, so the foreign ministers of the first countries are the hubs.
// At N = 1e6 (25,000 persons, ~80,000 meetings, ~190,000 participations)
// person-0 is in ~16,500 meetings, person-1 in ~8,600, person-4 in ~3,400,
// while ~19,000 persons are in at least one and the median of those is in 2:
// kg:participant and kg:metWith degrees follow a power law.
//
// Proportions at N = 1e6: metWith 19%, participant 19%, rdf:type 14%,
// rdfs:label 14%, kg:date 11%, location/heldBy 8% each, publisher 3%,
// offices/trade/geography the remaining ~4%.
//
// Literal types: rdfs:label plain strings (names in Latin with diacritics,
// Cyrillic, Greek: UTF-8 written raw), kg:nativeName language-tagged,
// xsd:date, xsd:gYear, xsd:decimal.
//
// Graphs (--format nq): entity descriptions (countries, cities, orgs,
// persons, offices) and article descriptions are in the default graph; each
// article's facts (meetings, metWith, trade relations) are in the named graph
// whose name is the article's IRI, as in the seed example. --format nt writes
// the same statements without graph names.
//
// Build (the target needs CLI11::CLI11):
//   g++ -std=c++20 -O2 -Wall -Wextra bench/generate.cc -o generate

#include <algorithm>
#include <array>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace {

// ---------------------------------------------------------------------------
// Random numbers: xoshiro256** seeded through splitmix64.
// ---------------------------------------------------------------------------
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n), n > 0 (Lemire's multiply-shift; the tiny bias is
  // irrelevant here and keeps the output independent of the platform).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_;
};

// Zipf(n, s) over 1..n by rejection-inversion (Hörmann and Derflinger 1996),
// as in Apache Commons RNG's RejectionInversionZipfSampler: O(1) per sample.
class Zipf {
 public:
  Zipf(uint64_t n, double s) : n_(static_cast<double>(n)), s_(s) {
    h_integral_x1_ = HIntegral(1.5) - 1.0;
    h_integral_n_ = HIntegral(n_ + 0.5);
    s_threshold_ = 2.0 - HIntegralInverse(HIntegral(2.5) - H(2.0));
  }
  // Returns a rank in [0, n).
  uint64_t Sample(Rng& rng) const {
    for (;;) {
      const double u = h_integral_n_ + rng.Unit() * (h_integral_x1_ - h_integral_n_);
      const double x = HIntegralInverse(u);
      double k = std::floor(x + 0.5);
      if (k < 1.0) k = 1.0;
      if (k > n_) k = n_;
      if (k - x <= s_threshold_ || u >= HIntegral(k + 0.5) - H(k)) {
        return static_cast<uint64_t>(k) - 1;
      }
    }
  }

 private:
  double H(double x) const { return std::exp(-s_ * std::log(x)); }
  double HIntegral(double x) const {
    const double log_x = std::log(x);
    return Helper2((1.0 - s_) * log_x) * log_x;
  }
  double HIntegralInverse(double x) const {
    double t = x * (1.0 - s_);
    if (t < -1.0) t = -1.0;
    return std::exp(Helper1(t) * x);
  }
  static double Helper1(double x) {  // log1p(x) / x
    return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
  }
  static double Helper2(double x) {  // expm1(x) / x
    return std::abs(x) > 1e-8 ? std::expm1(x) / x
                              : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
  }
  double n_, s_, h_integral_x1_ = 0, h_integral_n_ = 0, s_threshold_ = 0;
};

// ---------------------------------------------------------------------------
// Terms and the output writer.
// ---------------------------------------------------------------------------
constexpr std::string_view kIdBase = "https://kgstore.example/id/";

#define KG "<https://kgstore.example/vocab#"
#define XSD "http://www.w3.org/2001/XMLSchema#"
constexpr std::string_view kRdfType = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
constexpr std::string_view kRdfsLabel = "<http://www.w3.org/2000/01/rdf-schema#label>";
constexpr std::string_view kXsdDate = "<" XSD "date>";
constexpr std::string_view kXsdGYear = "<" XSD "gYear>";
constexpr std::string_view kXsdDecimal = "<" XSD "decimal>";

// Classes.
constexpr std::string_view kCountry = KG "Country>";
constexpr std::string_view kCity = KG "City>";
constexpr std::string_view kOrganisation = KG "Organisation>";
constexpr std::string_view kPerson = KG "Person>";
constexpr std::string_view kOffice = KG "Office>";
constexpr std::string_view kTradeRelation = KG "TradeRelation>";
constexpr std::string_view kArticle = KG "Article>";
constexpr std::string_view kMeeting = KG "Meeting>";
// Properties.
constexpr std::string_view kNativeName = KG "nativeName>";
constexpr std::string_view kLocatedIn = KG "locatedIn>";
constexpr std::string_view kCountryP = KG "country>";
constexpr std::string_view kOrganisationP = KG "organisation>";
constexpr std::string_view kHoldsOffice = KG "holdsOffice>";
constexpr std::string_view kMinisterOf = KG "ministerOf>";
constexpr std::string_view kDeputyMinisterOf = KG "deputyMinisterOf>";
constexpr std::string_view kAmbassadorOf = KG "ambassadorOf>";
constexpr std::string_view kAccreditedTo = KG "accreditedTo>";
constexpr std::string_view kTradePartner = KG "tradePartner>";
constexpr std::string_view kPartner = KG "partner>";
constexpr std::string_view kYear = KG "year>";
constexpr std::string_view kTurnoverUSD = KG "turnoverUSD>";
constexpr std::string_view kGrowthPercent = KG "growthPercent>";
constexpr std::string_view kDate = KG "date>";
constexpr std::string_view kPublisher = KG "publisher>";
constexpr std::string_view kLocation = KG "location>";
constexpr std::string_view kHeldBy = KG "heldBy>";
constexpr std::string_view kParticipant = KG "participant>";
constexpr std::string_view kMetWith = KG "metWith>";
#undef KG
#undef XSD

// An entity IRI ex:<kind>-<n>.
struct Ent {
  std::string_view kind;
  uint64_t n;
};

class Writer {
 public:
  Writer(std::FILE* out, uint64_t limit, bool quads)
      : out_(out), limit_(limit), quads_(quads), buf_(new char[kBufSize]) {}
  ~Writer() { Flush(); }

  bool Full() const { return count_ >= limit_; }
  uint64_t count() const { return count_; }
  bool ok() const { return ok_; }

  // Subsequent statements go to the named graph `g` (N-Quads only).
  void SetGraph(Ent g) {
    graph_.clear();
    graph_ += '<';
    graph_ += kIdBase;
    graph_ += g.kind;
    graph_ += '-';
    char num[24];
    auto r = std::to_chars(num, num + sizeof num, g.n);
    graph_.append(num, r.ptr);
    graph_ += '>';
  }
  void SetDefaultGraph() { graph_.clear(); }

  // s p o, with o an entity or an IRI.
  void Edge(Ent s, std::string_view p, Ent o) {
    if (!Begin()) return;
    PutEnt(s);
    PutIri(p);
    PutEnt(o);
    End();
  }
  void Type(Ent s, std::string_view cls) {
    if (!Begin()) return;
    PutEnt(s);
    PutIri(kRdfType);
    PutIri(cls);
    End();
  }
  // s p "lex"^^dt, or a plain string when dt is empty, or "lex"@lang.
  void Lit(Ent s, std::string_view p, std::string_view lex, std::string_view dt = {},
           std::string_view lang = {}) {
    if (!Begin()) return;
    PutEnt(s);
    PutIri(p);
    PutString(lex);
    if (!lang.empty()) {
      Put('@');
      Put(lang);
    } else if (!dt.empty()) {
      Put("^^");
      Put(dt);
    }
    Put(' ');
    End();
  }

  void Flush() {
    if (pos_ > 0 && ok_) {
      if (std::fwrite(buf_.get(), 1, pos_, out_) != pos_) ok_ = false;
    }
    pos_ = 0;
  }

 private:
  static constexpr size_t kBufSize = 1 << 22;
  static constexpr size_t kMaxStatement = 1 << 12;  // longest statement we write

  bool Begin() {
    if (count_ >= limit_) return false;
    if (pos_ + kMaxStatement > kBufSize) Flush();
    return true;
  }
  void End() {
    if (!graph_.empty() && quads_) {
      Put(graph_);
      Put(' ');
    }
    Put(".\n");
    ++count_;
  }
  void Put(char c) { buf_[pos_++] = c; }
  void Put(std::string_view s) {
    std::memcpy(buf_.get() + pos_, s.data(), s.size());
    pos_ += s.size();
  }
  void PutIri(std::string_view iri) {
    Put(iri);
    Put(' ');
  }
  void PutEnt(Ent e) {
    Put('<');
    Put(kIdBase);
    Put(e.kind);
    Put('-');
    auto r = std::to_chars(buf_.get() + pos_, buf_.get() + pos_ + 24, e.n);
    pos_ = static_cast<size_t>(r.ptr - buf_.get());
    Put("> ");
  }
  void PutString(std::string_view s) {
    Put('"');
    for (char c : s) {
      switch (c) {
        case '"': Put("\\\""); break;
        case '\\': Put("\\\\"); break;
        case '\n': Put("\\n"); break;
        case '\r': Put("\\r"); break;
        default: Put(c);
      }
    }
    Put('"');
  }

  std::FILE* out_;
  uint64_t limit_;
  bool quads_;
  std::unique_ptr<char[]> buf_;
  size_t pos_ = 0;
  uint64_t count_ = 0;
  bool ok_ = true;
  std::string graph_;
};

// ---------------------------------------------------------------------------
// Names. Fixed tables, picked by index, so names never depend on the seed.
// ---------------------------------------------------------------------------
constexpr std::array<std::string_view, 20> kCountryHead = {
    "Nor", "Est", "Kal", "Mar", "Vel", "Ost", "Lum", "Tar", "Zar", "Bel",
    "Ćar", "Sør", "Ár", "Kaz", "Rom", "Lit", "Dro", "Fen", "Gal", "Hel"};
constexpr std::array<std::string_view, 10> kCountryMid = {"a", "e", "i", "o", "u",
                                                           "ä", "ö", "ia", "ea", "ava"};
constexpr std::array<std::string_view, 10> kCountryTail = {
    "nia", "land", "stan", "ria", "via", "sia", "mark", "burg", "ova", "ja"};
constexpr std::array<std::string_view, 12> kLanguages = {"kk", "ro", "lt", "et", "de", "pl",
                                                          "fr", "es", "tr", "el", "ru", "fi"};
constexpr std::array<std::string_view, 16> kCityHead = {
    "Ak", "Bel", "Kar", "Shym", "Kau", "Tal", "Bra", "Cluj", "Vil", "Pär",
    "Tar", "Ørs", "Gdań", "Łód", "Zü", "Ist"};
constexpr std::array<std::string_view, 10> kCityTail = {"tau", "grad", "sk", "kent", "nas",
                                                         "linn", "șov", "nius", "nu", "tu"};
constexpr std::array<std::string_view, 6> kCitySuffix = {"", " Nord", " Sud", " Vechi",
                                                          " Nowy", " Ülem"};
constexpr std::array<std::string_view, 40> kFirstNames = {
    "Roman", "Madalina", "Mădălina", "Gintautas", "Toomas", "Aigerim", "Nurlan", "Ainur",
    "Dana", "Jānis", "Līga", "Jürgen", "Zoë", "Łukasz", "Małgorzata", "Ștefan",
    "Ioana", "Mart", "Kadri", "Žygimantas", "Rūta", "Ólafur", "Søren", "Bjørn",
    "Élodie", "François", "José", "María", "Şükrü", "Ayşe", "Άννα", "Νίκος",
    "Нұрлан", "Айгерім", "Дмитрий", "Ольга", "Gabrielius", "Erlan", "Saule", "Piret"};
constexpr std::array<std::string_view, 36> kLastNames = {
    "Vassilenko", "Lupu", "Vasiulis", "Tirs", "Landsbergis", "Nurpeisov", "Abenova",
    "Tamm", "Saar", "Kask", "Popescu", "Ionescu", "Kazlauskas", "Petrauskas",
    "Müller", "Schröder", "Kowalski", "Nowak", "Dvořák", "Novák", "Horváth",
    "Nagy", "Lindqvist", "Østergaard", "García", "Núñez", "Öztürk", "Yılmaz",
    "Παπαδόπουλος", "Иванов", "Сәрсенбаев", "Ахметова", "Tokayev", "Rüütel",
    "Bălan", "Jankauskaitė"};

uint64_t Mix(uint64_t x) {  // a fixed integer hash (splitmix64 finaliser)
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string CountryName(uint64_t i) {
  std::string s;
  s += kCountryHead[i % 20];
  s += kCountryMid[(i / 20) % 10];
  s += kCountryTail[(i / 200) % 10];
  return s;
}
std::string CountryNativeName(uint64_t i) {
  uint64_t j = (i * 7 + 3) % 2000;
  std::string s;
  s += kCountryHead[(j / 100) % 20];
  s += kCountryMid[j % 10];
  s += kCountryTail[(j / 10) % 10];
  return s;
}
std::string CityName(uint64_t i) {
  std::string s;
  s += kCityHead[i % 16];
  s += kCityTail[(i / 16) % 10];
  s += kCitySuffix[(i / 160) % 6];
  if (i >= 960) s += " " + std::to_string(i / 960 + 1);
  return s;
}
std::string PersonName(uint64_t i) {
  const uint64_t h = Mix(i);
  std::string s;
  s += kFirstNames[h % kFirstNames.size()];
  s += ' ';
  s += kLastNames[(h >> 32) % kLastNames.size()];
  return s;
}

// Days since 1970-01-01 -> "YYYY-MM-DD" (Howard Hinnant's civil_from_days).
std::string FormatDate(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return out;
}
// "YYYY-MM-DD" -> days since 1970-01-01 (Hinnant's days_from_civil).
constexpr int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
constexpr int64_t kFirstDay = DaysFromCivil(2015, 1, 1);
constexpr int64_t kLastDay = DaysFromCivil(2023, 12, 31);
static_assert(kFirstDay == 16436 && kLastDay == 19722);

// Set of unordered person pairs that already have metWith edges.
// Open addressing over 64-bit keys; 0 is the empty slot (keys are never 0).
class PairSet {
 public:
  PairSet() : slots_(1 << 16, 0) {}
  // Inserts the pair; returns true when it was new.
  bool Insert(uint64_t a, uint64_t b) {
    if (a > b) std::swap(a, b);
    const uint64_t key = ((a + 1) << 32) | (b + 1);  // persons < 2^32 - 1; never 0
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    return InsertKey(key);
  }

 private:
  bool InsertKey(uint64_t key) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = Mix(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == key) return false;
      if (slots_[i] == 0) {
        slots_[i] = key;
        ++size_;
        return true;
      }
    }
  }
  void Grow() {
    std::vector<uint64_t> old(slots_.size() * 2, 0);
    old.swap(slots_);
    size_ = 0;
    for (uint64_t k : old)
      if (k != 0) InsertKey(k);
  }
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
};

// ---------------------------------------------------------------------------
// The generator.
// ---------------------------------------------------------------------------
class Generator {
 public:
  Generator(Writer& w, uint64_t n, uint64_t seed) : w_(w), rng_(seed) {
    countries_ = std::clamp<uint64_t>(
        static_cast<uint64_t>(std::sqrt(static_cast<double>(n)) / 20.0), 4, 200);
    cities_ = 4 * countries_;
    persons_ = std::max<uint64_t>(n / 40, 3 * countries_ + 10);
    ministers_end_ = countries_;
    deputies_end_ = 3 * countries_;
    ambassadors_ = std::min<uint64_t>(countries_ * (countries_ - 1),
                                      (persons_ - deputies_end_) * 3 / 10);
    ambassadors_end_ = deputies_end_ + ambassadors_;
    partners_per_country_ = std::min<uint64_t>(6, (countries_ - 1) / 2);
  }

  void Run() {
    w_.SetDefaultGraph();
    Countries();
    Cities();
    Organisations();
    Persons();
    Trade();
    Articles();
  }

 private:
  // Organisation numbering: 3 per country.
  static Ent Ministry(uint64_t c) { return {"org", 3 * c}; }
  static Ent NewsAgency(uint64_t c) { return {"org", 3 * c + 1}; }
  Ent Country(uint64_t c) const { return {"country", c}; }
  Ent City(uint64_t c) const { return {"city", c}; }

  // The country a person is associated with (sending country for office
  // holders; a fixed hash for the others).
  uint64_t HomeCountry(uint64_t p) const {
    if (p < ministers_end_) return p;
    if (p < deputies_end_) return (p - ministers_end_) / 2;
    if (p < ambassadors_end_) return (p - deputies_end_) % countries_;
    return Mix(p) % countries_;
  }
  // Where a person usually is: ambassadors live in their host country.
  uint64_t BaseCountry(uint64_t p) const {
    if (p >= deputies_end_ && p < ambassadors_end_) return AmbassadorHost(p);
    return HomeCountry(p);
  }
  uint64_t AmbassadorHost(uint64_t p) const {
    const uint64_t j = p - deputies_end_;
    const uint64_t sending = j % countries_;
    return (sending + 1 + (j / countries_) % (countries_ - 1)) % countries_;
  }

  void Countries() {
    for (uint64_t c = 0; c < countries_ && !w_.Full(); ++c) {
      const Ent e = Country(c);
      w_.Type(e, kCountry);
      w_.Lit(e, kRdfsLabel, CountryName(c));
      w_.Lit(e, kNativeName, CountryNativeName(c), {}, kLanguages[c % kLanguages.size()]);
    }
  }

  void Cities() {
    for (uint64_t i = 0; i < cities_ && !w_.Full(); ++i) {
      const Ent e = City(i);
      w_.Type(e, kCity);
      w_.Lit(e, kRdfsLabel, CityName(i));
      w_.Edge(e, kLocatedIn, Country(i / 4));
    }
  }

  void Organisations() {
    for (uint64_t c = 0; c < countries_ && !w_.Full(); ++c) {
      const std::string name = CountryName(c);
      const std::array<std::string, 3> labels = {
          "Ministry of Foreign Affairs of " + name, name + " News Agency",
          name + " National Energy Company"};
      for (uint64_t k = 0; k < 3; ++k) {
        const Ent e{"org", 3 * c + k};
        w_.Type(e, kOrganisation);
        w_.Lit(e, kRdfsLabel, labels[k]);
        w_.Edge(e, kCountryP, Country(c));
      }
    }
  }

  void Persons() {
    for (uint64_t p = 0; p < persons_ && !w_.Full(); ++p) {
      const Ent e{"person", p};
      w_.Type(e, kPerson);
      w_.Lit(e, kRdfsLabel, PersonName(p));
      if (p >= ambassadors_end_) continue;
      const uint64_t home = HomeCountry(p);
      const Ent office{"office", p};
      std::string label;
      w_.Edge(e, kHoldsOffice, office);
      if (p < ministers_end_) {
        w_.Edge(e, kMinisterOf, Country(home));
        label = "Minister of Foreign Affairs of " + CountryName(home);
      } else if (p < deputies_end_) {
        w_.Edge(e, kDeputyMinisterOf, Country(home));
        label = "Deputy Foreign Minister of " + CountryName(home);
      } else {
        const uint64_t host = AmbassadorHost(p);
        w_.Edge(e, kAmbassadorOf, Country(home));
        w_.Edge(e, kAccreditedTo, Country(host));
        label = "Ambassador of " + CountryName(home) + " to " + CountryName(host);
      }
      w_.Type(office, kOffice);
      w_.Lit(office, kRdfsLabel, label);
      w_.Edge(office, kCountryP, Country(home));
      w_.Edge(office, kOrganisationP, Ministry(home));
      if (p >= deputies_end_) w_.Edge(office, kAccreditedTo, Country(AmbassadorHost(p)));
    }
  }

  void ArticleHeader(Ent article, std::string_view label, int64_t day,
                     uint64_t publisher_country) {
    w_.SetDefaultGraph();
    w_.Type(article, kArticle);
    w_.Lit(article, kRdfsLabel, label);
    w_.Lit(article, kDate, FormatDate(day), kXsdDate);
    w_.Edge(article, kPublisher, NewsAgency(publisher_country));
    w_.SetGraph(article);
  }

  void Trade() {
    const uint64_t pairs = countries_ * partners_per_country_;
    if (pairs == 0) return;
    // Per pair: a base turnover, log-uniform in [1e6, 1e10) dollars.
    std::vector<double> turnover(pairs);
    for (auto& t : turnover) t = std::pow(10.0, 6.0 + 4.0 * rng_.Unit());
    uint64_t trade_id = 0;
    for (int year = 2015; year <= 2022 && !w_.Full(); ++year) {
      const Ent article{"article", next_article_++};
      // Published 15 February of the following year by a news agency.
      ArticleHeader(article, "Trade statistics " + std::to_string(year),
                    DaysFromCivil(year + 1, 2, 15), static_cast<uint64_t>(year) % countries_);
      for (uint64_t i = 0; i < pairs && !w_.Full(); ++i) {
        const uint64_t a = i / partners_per_country_;
        const uint64_t b = (a + 1 + i % partners_per_country_) % countries_;
        if (year == 2015) {
          w_.Edge(Country(a), kTradePartner, Country(b));
          w_.Edge(Country(b), kTradePartner, Country(a));
        }
        // Round to whole dollars; growth from the rounded figures.
        const double before = std::round(turnover[i]);
        if (year > 2015) turnover[i] *= 0.7 + 1.5 * rng_.Unit();
        const double now = std::max(1.0, std::round(turnover[i]));
        turnover[i] = now;
        const Ent t{"trade", trade_id++};
        w_.Type(t, kTradeRelation);
        w_.Lit(t, kRdfsLabel,
               CountryName(a) + "–" + CountryName(b) + " trade, " + std::to_string(year));
        w_.Edge(t, kPartner, Country(a));
        w_.Edge(t, kPartner, Country(b));
        w_.Lit(t, kYear, std::to_string(year), kXsdGYear);
        char num[64];
        std::snprintf(num, sizeof num, "%.0f", now);
        w_.Lit(t, kTurnoverUSD, num, kXsdDecimal);
        if (year > 2015) {
          // One decimal place, computed in integer tenths of a percent.
          const int64_t tenths =
              static_cast<int64_t>(std::llround((now - before) * 1000.0 / before));
          const int64_t mag = tenths < 0 ? -tenths : tenths;
          std::snprintf(num, sizeof num, "%s%lld.%lld", tenths < 0 ? "-" : "",
                        static_cast<long long>(mag / 10), static_cast<long long>(mag % 10));
          w_.Lit(t, kGrowthPercent, num, kXsdDecimal);
        }
      }
    }
  }

  void Articles() {
    const Zipf zipf(persons_, 1.0);
    PairSet met;
    std::vector<uint64_t> people;
    while (!w_.Full()) {
      const Ent article{"article", next_article_++};
      const int64_t day = kFirstDay + static_cast<int64_t>(rng_.Below(kLastDay - kFirstDay + 1));
      const uint64_t meetings = 1 + rng_.Below(4);
      // The article's first meeting's host names the article.
      const uint64_t first_host = zipf.Sample(rng_);
      ArticleHeader(article,
                    "Meetings of " + PersonName(first_host) + ", " + FormatDate(day), day,
                    BaseCountry(first_host));
      for (uint64_t m = 0; m < meetings && !w_.Full(); ++m) {
        // Participants: 2 (70%), 3 (25%) or 4 (5%) distinct persons.
        const uint64_t r = rng_.Below(100);
        const size_t k = r < 70 ? 2 : r < 95 ? 3 : 4;
        people.clear();
        people.push_back(m == 0 ? first_host : zipf.Sample(rng_));
        while (people.size() < k) {
          uint64_t p = zipf.Sample(rng_);
          for (int tries = 0; std::find(people.begin(), people.end(), p) != people.end();
               ++tries) {
            p = tries < 8 ? zipf.Sample(rng_) : rng_.Below(persons_);
          }
          people.push_back(p);
        }
        const uint64_t host = people[0];
        const uint64_t country = BaseCountry(host);
        const uint64_t city = 4 * country + (rng_.Below(10) < 6 ? 0 : 1 + rng_.Below(3));
        const int64_t meeting_day = std::max<int64_t>(kFirstDay, day - static_cast<int64_t>(rng_.Below(4)));

        const Ent meeting{"meeting", next_meeting_++};
        w_.Type(meeting, kMeeting);
        std::string label = "Meeting of " + PersonName(host) + " with " + PersonName(people[1]);
        if (k > 2) label += " and " + std::to_string(k - 2) + (k == 3 ? " other" : " others");
        w_.Lit(meeting, kRdfsLabel, label);
        w_.Lit(meeting, kDate, FormatDate(meeting_day), kXsdDate);
        w_.Edge(meeting, kLocation, City(city));
        w_.Edge(meeting, kHeldBy, Ent{"person", host});
        for (uint64_t p : people) w_.Edge(meeting, kParticipant, Ent{"person", p});
        for (size_t i = 0; i < k; ++i) {
          for (size_t j = i + 1; j < k; ++j) {
            if (!met.Insert(people[i], people[j])) continue;
            w_.Edge(Ent{"person", people[i]}, kMetWith, Ent{"person", people[j]});
            w_.Edge(Ent{"person", people[j]}, kMetWith, Ent{"person", people[i]});
          }
        }
      }
    }
  }

  Writer& w_;
  Rng rng_;
  uint64_t countries_, cities_, persons_;
  uint64_t ministers_end_, deputies_end_, ambassadors_, ambassadors_end_;
  uint64_t partners_per_country_;
  uint64_t next_article_ = 0;
  uint64_t next_meeting_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write a deterministic diplomacy-like RDF graph as N-Triples or N-Quads."};
  uint64_t triples = 0;
  uint64_t seed = 42;
  std::string format = "nt";
  std::string output;
  app.add_option("--triples", triples, "number of statements to write")->required();
  app.add_option("--seed", seed, "random seed (same seed and N give identical output)");
  app.add_option("--format", format, "nt (N-Triples) or nq (N-Quads, a graph per article)")
      ->check(CLI::IsMember({"nt", "nq"}));
  app.add_option("-o,--output", output, "output file (default: stdout)");
  CLI11_PARSE(app, argc, argv);

  std::FILE* out = stdout;
  if (!output.empty()) {
    out = std::fopen(output.c_str(), "wb");
    if (out == nullptr) {
      std::fprintf(stderr, "generate: cannot open %s: %s\n", output.c_str(), std::strerror(errno));
      return 1;
    }
  }
  bool ok;
  uint64_t written;
  {
    Writer writer(out, triples, format == "nq");
    Generator gen(writer, triples, seed);
    gen.Run();
    writer.Flush();
    ok = writer.ok();
    written = writer.count();
  }
  if (std::fflush(out) != 0) ok = false;
  if (out != stdout && std::fclose(out) != 0) ok = false;
  if (!ok) {
    std::fprintf(stderr, "generate: write failed: %s\n", std::strerror(errno));
    return 1;
  }
  if (written != triples) {
    std::fprintf(stderr, "generate: wrote %llu of %llu statements\n",
                 static_cast<unsigned long long>(written),
                 static_cast<unsigned long long>(triples));
    return 1;
  }
  return 0;
}
