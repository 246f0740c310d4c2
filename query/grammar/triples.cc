// Instantiates the triple and property path rules (triples_def.hpp) once.
#include "query/grammar/triples_def.hpp"

namespace kg::grammar {
BOOST_SPIRIT_INSTANTIATE(triples_same_subject_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(triples_template_type, iterator_type, context_type)
}  // namespace kg::grammar
