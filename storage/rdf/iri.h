// Relative IRI resolution (RFC 3986 section 5.2), used by the Turtle and
// TriG readers for <relative> references, @base and @prefix.

#ifndef KGSTORE_STORAGE_RDF_IRI_H_
#define KGSTORE_STORAGE_RDF_IRI_H_

#include <string>
#include <string_view>

namespace kg::rdf_internal {

// True when `iri` begins with a scheme ("http:", "urn:", ...).
bool IsAbsoluteIri(std::string_view iri);

// Resolves `ref` against the absolute IRI `base` (RFC 3986 5.2.2, strict:
// a reference with a scheme is taken as is, apart from dot-segment
// removal). The result is written to *out.
void ResolveIri(std::string_view base, std::string_view ref, std::string* out);

// RFC 3986 5.2.4 remove_dot_segments.
std::string RemoveDotSegments(std::string_view path);

}  // namespace kg::rdf_internal

#endif  // KGSTORE_STORAGE_RDF_IRI_H_
