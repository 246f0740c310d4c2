// Instantiates the term rules (terms_def.hpp) once.
#include "query/grammar/terms_def.hpp"

namespace kg::grammar {
BOOST_SPIRIT_INSTANTIATE(iri_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(var_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(var_or_iri_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(var_or_term_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(data_block_value_type, iterator_type, context_type)
}  // namespace kg::grammar
