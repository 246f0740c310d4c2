// RFC 3986 reference resolution. The W3C Turtle suite checks the RFC's own
// examples (normal and abnormal), so this follows section 5.2 literally.

#include "storage/rdf/iri.h"

#include "storage/rdf/syntax.h"

namespace kg::rdf_internal {
namespace {

struct IriParts {
  std::string_view scheme;  // without ':'
  bool has_scheme = false;
  bool has_authority = false;
  std::string_view authority;
  std::string_view path;
  bool has_query = false;
  std::string_view query;
  bool has_fragment = false;
  std::string_view fragment;
};

IriParts Split(std::string_view s) {
  IriParts r;
  // Scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":".
  if (!s.empty() && IsAsciiAlpha(s[0])) {
    size_t i = 1;
    while (i < s.size() && (IsAsciiAlpha(s[i]) || IsAsciiDigit(s[i]) ||
                            s[i] == '+' || s[i] == '-' || s[i] == '.')) {
      ++i;
    }
    if (i < s.size() && s[i] == ':') {
      r.has_scheme = true;
      r.scheme = s.substr(0, i);
      s.remove_prefix(i + 1);
    }
  }
  if (s.size() >= 2 && s[0] == '/' && s[1] == '/') {
    r.has_authority = true;
    size_t e = s.find_first_of("/?#", 2);
    if (e == std::string_view::npos) e = s.size();
    r.authority = s.substr(2, e - 2);
    s.remove_prefix(e);
  }
  size_t e = s.find_first_of("?#");
  if (e == std::string_view::npos) e = s.size();
  r.path = s.substr(0, e);
  s.remove_prefix(e);
  if (!s.empty() && s[0] == '?') {
    r.has_query = true;
    size_t f = s.find('#');
    if (f == std::string_view::npos) f = s.size();
    r.query = s.substr(1, f - 1);
    s.remove_prefix(f);
  }
  if (!s.empty() && s[0] == '#') {
    r.has_fragment = true;
    r.fragment = s.substr(1);
  }
  return r;
}

}  // namespace

bool IsAbsoluteIri(std::string_view iri) { return HasScheme(iri); }

std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      if (in.size() == 3) {
        in = "/";
      } else {
        in.remove_prefix(3);
      }
      size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      // Move the first segment (with its leading '/', if any) to out.
      size_t start = in[0] == '/' ? 1 : 0;
      size_t next = in.find('/', start);
      if (next == std::string_view::npos) next = in.size();
      out.append(in.substr(0, next));
      in.remove_prefix(next);
    }
  }
  return out;
}

void ResolveIri(std::string_view base, std::string_view ref, std::string* out) {
  IriParts r = Split(ref);
  IriParts b = Split(base);
  std::string path;
  std::string_view scheme, authority, query;
  bool has_authority, has_query;
  if (r.has_scheme) {
    scheme = r.scheme;
    has_authority = r.has_authority;
    authority = r.authority;
    path = RemoveDotSegments(r.path);
    has_query = r.has_query;
    query = r.query;
  } else {
    scheme = b.scheme;
    if (r.has_authority) {
      has_authority = true;
      authority = r.authority;
      path = RemoveDotSegments(r.path);
      has_query = r.has_query;
      query = r.query;
    } else {
      has_authority = b.has_authority;
      authority = b.authority;
      if (r.path.empty()) {
        path = std::string(b.path);
        if (r.has_query) {
          has_query = true;
          query = r.query;
        } else {
          has_query = b.has_query;
          query = b.query;
        }
      } else {
        if (r.path[0] == '/') {
          path = RemoveDotSegments(r.path);
        } else {
          std::string merged;
          if (b.has_authority && b.path.empty()) {
            merged = "/";
            merged.append(r.path);
          } else {
            size_t slash = b.path.rfind('/');
            if (slash != std::string_view::npos) {
              merged.assign(b.path.substr(0, slash + 1));
            }
            merged.append(r.path);
          }
          path = RemoveDotSegments(merged);
        }
        has_query = r.has_query;
        query = r.query;
      }
    }
  }
  out->clear();
  out->append(scheme);
  out->push_back(':');
  if (has_authority) {
    out->append("//");
    out->append(authority);
  }
  out->append(path);
  if (has_query) {
    out->push_back('?');
    out->append(query);
  }
  if (r.has_fragment) {
    out->push_back('#');
    out->append(r.fragment);
  }
}

}  // namespace kg::rdf_internal
