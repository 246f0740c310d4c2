# Test kg_links_statically (tools/CMakeLists.txt, KG_TOOL_STATIC): the kg
# executable needs no shared library but glibc's (libc, libm, the loader).
# A library linked both ways (Abseil from an archive and from its shared
# library) would give kg two copies of its globals; a missing archive would
# bring back the slow start bench/startup measures.
#   cmake -DREADELF=... -DKG=... -P check_static_link.cmake
execute_process(COMMAND ${READELF} -d ${KG}
                OUTPUT_VARIABLE dynamic RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${READELF} -d ${KG} failed")
endif()
string(REGEX MATCHALL "Shared library: \\[[^]]*\\]" needed "${dynamic}")
set(unexpected)
foreach(entry IN LISTS needed)
  string(REGEX REPLACE "Shared library: \\[(.*)\\]" "\\1" lib "${entry}")
  if(NOT lib MATCHES "^(libc|libm|ld-linux-x86-64|ld-linux-aarch64)\\.so")
    list(APPEND unexpected ${lib})
  endif()
endforeach()
if(unexpected)
  message(FATAL_ERROR "kg needs shared libraries it should have linked "
                      "statically: ${unexpected}")
endif()
message(STATUS "kg needs only: ${needed}")
