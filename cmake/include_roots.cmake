# Include roots: every library is compiled against, and hands on to its
# dependents, folders of links to exactly the headers they may use, so a
# wrong #include is a compile error rather than a review comment.
#
# A library L has up to two roots under ${KG_INCLUDE_ROOTS}:
#   <L>           its public headers: L's include directory for itself and
#                 every library that links L publicly;
#   <L>-private   its internal headers (*_internal.h, the grammar's parts,
#                 the engine's operators and planner): for L's own sources.
# In each, a header keeps its path in the source tree ("storage/rdf/term.h"
# is <root>/storage/rdf/term.h, a symbolic link to the source), so includes
# read the same everywhere. Libraries link their layers publicly only when
# their public headers include them (kg_engine's public headers show only
# storage/rdf), so the direction
#   tools -> engine's public headers -> {query, storage} -> storage/rdf
#         -> storage/base
# holds for the compiler too. Tests, benchmarks and fuzz targets, which
# reach internals on purpose, add the source root itself.
# tests/check_layers.sh checks the same direction over the text of every
# include (docs/ARCHITECTURE.md, "Layers").

set(KG_INCLUDE_ROOTS ${CMAKE_BINARY_DIR}/include-roots)
# Rebuilt at every configure: a header removed or made internal loses its
# link. (Globs below are CONFIGURE_DEPENDS: a new header reconfigures.)
file(REMOVE_RECURSE ${KG_INCLUDE_ROOTS})

# kg_include_root(<root> [EXCLUDE <regex>] <pattern>...): links every
# header matching a pattern (relative to the source root) into
# ${KG_INCLUDE_ROOTS}/<root>/, skipping paths matching the regex.
function(kg_include_root root)
  cmake_parse_arguments(ARG "" "EXCLUDE" "" ${ARGN})
  file(MAKE_DIRECTORY ${KG_INCLUDE_ROOTS}/${root})
  foreach(pattern IN LISTS ARG_UNPARSED_ARGUMENTS)
    file(GLOB headers CONFIGURE_DEPENDS RELATIVE ${KG_SOURCE_ROOT}
         ${KG_SOURCE_ROOT}/${pattern})
    foreach(header IN LISTS headers)
      if(ARG_EXCLUDE AND header MATCHES "${ARG_EXCLUDE}")
        continue()
      endif()
      get_filename_component(dir ${KG_INCLUDE_ROOTS}/${root}/${header}
                             DIRECTORY)
      file(MAKE_DIRECTORY ${dir})
      file(CREATE_LINK ${KG_SOURCE_ROOT}/${header}
           ${KG_INCLUDE_ROOTS}/${root}/${header} SYMBOLIC)
    endforeach()
  endforeach()
endfunction()

# kg_use_include_roots(<target> <root>): the target's own include
# directories: <root> publicly (INTERFACE for a header-only target) and
# <root>-private, when it exists, for its sources only.
function(kg_use_include_roots target root)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE
      $<BUILD_INTERFACE:${KG_INCLUDE_ROOTS}/${root}>)
    return()
  endif()
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${KG_INCLUDE_ROOTS}/${root}>)
  if(IS_DIRECTORY ${KG_INCLUDE_ROOTS}/${root}-private)
    target_include_directories(${target} PRIVATE
      ${KG_INCLUDE_ROOTS}/${root}-private)
  endif()
endfunction()
