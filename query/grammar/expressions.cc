// Instantiates the expression rules (expressions_def.hpp) once.
#include "query/grammar/expressions_def.hpp"

namespace kg::grammar {
BOOST_SPIRIT_INSTANTIATE(expression_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(bracketted_expression_type, iterator_type,
                         context_type)
BOOST_SPIRIT_INSTANTIATE(builtin_call_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(iri_or_function_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(constraint_type, iterator_type, context_type)
}  // namespace kg::grammar
