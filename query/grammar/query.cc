// Instantiates the prologue and query form rules (query_def.hpp) once.
#include "query/grammar/query_def.hpp"

namespace kg::grammar {
BOOST_SPIRIT_INSTANTIATE(query_unit_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(prologue_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(subselect_type, iterator_type, context_type)
}  // namespace kg::grammar
