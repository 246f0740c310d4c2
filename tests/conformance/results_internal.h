// What the readers of result files (results.cc, results_xml.cc,
// results_srj.cc) share: a row of bindings as a file lists them, and its
// layout in a table. Internal to tests/conformance; results.h is the
// interface.

#ifndef KGSTORE_TESTS_CONFORMANCE_RESULTS_INTERNAL_H_
#define KGSTORE_TESTS_CONFORMANCE_RESULTS_INTERNAL_H_

#include <string>
#include <utility>
#include <vector>

#include "engine/query_result.h"
#include "storage/rdf/term.h"

namespace kg::conformance {

// Binding lists as read, before they are laid out in variable order.
using NamedRow = std::vector<std::pair<std::string, Term>>;

// A bindings table of `vars` (in that order, then any variable a row binds
// that the header does not list) and `rows`.
ResultTable BuildTable(std::vector<std::string> vars,
                       const std::vector<NamedRow>& rows);

}  // namespace kg::conformance

#endif  // KGSTORE_TESTS_CONFORMANCE_RESULTS_INTERNAL_H_
