// Instantiates the update rules (update_def.hpp) once.
#include "query/grammar/update_def.hpp"

namespace kg::grammar {
BOOST_SPIRIT_INSTANTIATE(update_unit_type, iterator_type, context_type)
}  // namespace kg::grammar
