// Instantiates the group graph pattern rules (patterns_def.hpp) once.
#include "query/grammar/patterns_def.hpp"

namespace kg::grammar {
BOOST_SPIRIT_INSTANTIATE(group_graph_pattern_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(data_block_type, iterator_type, context_type)
}  // namespace kg::grammar
