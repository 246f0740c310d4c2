# Copies kgstore's public headers into OUTPUT_DIR/kgstore/, rewriting the
# includes between them from their places in the source tree
# ("engine/database.h", "storage/rdf/term.h") to "kgstore/<name>.h", the
# names hosts use. Fails when a public header includes anything else of
# kgstore's: nothing internal may be reachable from an installed header.
#
#   cmake -DSOURCE_ROOT=... -DOUTPUT_DIR=... -DHEADERS=a.h,b.h -P this
cmake_minimum_required(VERSION 3.25)
string(REPLACE "," ";" HEADERS "${HEADERS}")

set(public_names)
foreach(header IN LISTS HEADERS)
  get_filename_component(name ${header} NAME)
  list(APPEND public_names ${name})
endforeach()

file(MAKE_DIRECTORY ${OUTPUT_DIR}/kgstore)
foreach(header IN LISTS HEADERS)
  get_filename_component(name ${header} NAME)
  file(READ ${SOURCE_ROOT}/${header} text)
  # Every quoted include must be absl's or another public header.
  string(REGEX MATCHALL "#include \"[^\"]+\"" includes "${text}")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "#include \"([^\"]+)\"" "\\1" target "${line}")
    if(target MATCHES "^absl/" OR target MATCHES "^kgstore/")
      continue()
    endif()
    get_filename_component(target_name ${target} NAME)
    if(NOT target_name IN_LIST public_names OR
       NOT target IN_LIST HEADERS)
      message(FATAL_ERROR
        "${header} includes \"${target}\", which is not a public header: "
        "installed headers may include only each other, absl and the "
        "standard library (cmake/package.cmake, KG_PUBLIC_HEADERS)")
    endif()
    string(REPLACE "${line}" "#include \"kgstore/${target_name}\"" text
           "${text}")
  endforeach()
  set(out ${OUTPUT_DIR}/kgstore/${name})
  # Rewrite only when the text changed, so dependents do not rebuild.
  if(EXISTS ${out})
    file(READ ${out} old)
    if(old STREQUAL text)
      continue()
    endif()
  endif()
  file(WRITE ${out} "${text}")
endforeach()
