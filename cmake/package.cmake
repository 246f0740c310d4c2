# libkgstore, as hosts take it in:
# - one shared library (libkgstore.so.MAJOR.MINOR while MAJOR is 0) and one
#   static archive (libkgstore.a), both made of every layer's objects
#   (storage/rdf, storage, query, engine, engine/export, engine/capi);
# - the public headers under include/kgstore/: the C API (kg.h) and the C++
#   API (database.h, query_result.h, graph_export.h and what they include),
#   generated into the build tree by public_headers.cmake, so in-tree
#   examples include them exactly as hosts do;
# - `cmake --install`: libraries, headers, the kg tool, the CMake package
#   (find_package(kgstore CONFIG)) and kgstore.pc, plus the Python binding
#   (tools/python/kgstore) under lib/python3/dist-packages.
# The `kg` tool and the tests link the static layer libraries directly.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KG_LIBRARY_PARTS kg_rdf kg_storage kg_query kg_engine kg_export kg_capi)
set(KG_LIBRARY_OBJECTS)
foreach(part IN LISTS KG_LIBRARY_PARTS)
  list(APPEND KG_LIBRARY_OBJECTS $<TARGET_OBJECTS:${part}>)
endforeach()

# The public headers, by their place in the source tree; installed flat as
# kgstore/<name>.h.
set(KG_PUBLIC_HEADERS
    engine/capi/kgstore/kg.h
    engine/database.h
    engine/query_result.h
    engine/graph_export.h
    engine/iri_prefixes.h
    storage/rdf/term.h
    storage/rdf/rdf_format.h)
set(KG_PUBLIC_INCLUDE_DIR ${CMAKE_BINARY_DIR}/include)
set(KG_PUBLIC_HEADER_SOURCES)
set(KG_PUBLIC_HEADER_OUTPUTS)
foreach(header IN LISTS KG_PUBLIC_HEADERS)
  get_filename_component(name ${header} NAME)
  list(APPEND KG_PUBLIC_HEADER_SOURCES ${CMAKE_SOURCE_DIR}/${header})
  list(APPEND KG_PUBLIC_HEADER_OUTPUTS ${KG_PUBLIC_INCLUDE_DIR}/kgstore/${name})
endforeach()
string(REPLACE ";" "," _kg_headers_arg "${KG_PUBLIC_HEADERS}")
add_custom_command(
  OUTPUT ${KG_PUBLIC_HEADER_OUTPUTS}
  COMMAND ${CMAKE_COMMAND} -DSOURCE_ROOT=${CMAKE_SOURCE_DIR}
          -DOUTPUT_DIR=${KG_PUBLIC_INCLUDE_DIR} "-DHEADERS=${_kg_headers_arg}"
          -P ${CMAKE_SOURCE_DIR}/cmake/public_headers.cmake
  COMMAND ${CMAKE_COMMAND} -E touch ${KG_PUBLIC_HEADER_OUTPUTS}
  DEPENDS ${KG_PUBLIC_HEADER_SOURCES} ${CMAKE_SOURCE_DIR}/cmake/public_headers.cmake
  COMMENT "Collecting kgstore's public headers into include/kgstore"
  VERBATIM)
add_custom_target(kg_public_headers DEPENDS ${KG_PUBLIC_HEADER_OUTPUTS})

# What the public headers need from a host's build: the include directory
# and Abseil's Status types.
set(KG_PUBLIC_LINKS absl::status absl::statusor absl::strings
    absl::function_ref)
# What the parts need at link time, but RocksDB: the shared library links
# Debian's librocksdb.so, the static one (like the kg tool) librocksdb.a,
# whose code is not position-independent.
set(KG_PRIVATE_LINKS PkgConfig::KGSTORE_RE2 PkgConfig::KGSTORE_XXHASH
    OpenSSL::Crypto Threads::Threads absl::str_format absl::flat_hash_map
    absl::flat_hash_set absl::span absl::synchronization absl::cleanup)

add_library(kgstore SHARED ${KG_LIBRARY_OBJECTS})
add_library(kgstore::kgstore ALIAS kgstore)
set_target_properties(kgstore PROPERTIES
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
  EXPORT_NAME kgstore)
target_include_directories(kgstore PUBLIC
  $<BUILD_INTERFACE:${KG_PUBLIC_INCLUDE_DIR}>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_link_libraries(kgstore PUBLIC ${KG_PUBLIC_LINKS}
  PRIVATE RocksDB::rocksdb-shared ${KG_PRIVATE_LINKS})
add_dependencies(kgstore kg_public_headers)

add_library(kgstore_static STATIC ${KG_LIBRARY_OBJECTS})
add_library(kgstore::kgstore_static ALIAS kgstore_static)
set_target_properties(kgstore_static PROPERTIES
  OUTPUT_NAME kgstore EXPORT_NAME kgstore_static)
target_include_directories(kgstore_static PUBLIC
  $<BUILD_INTERFACE:${KG_PUBLIC_INCLUDE_DIR}>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_link_libraries(kgstore_static
  PUBLIC ${KG_PUBLIC_LINKS}
  PRIVATE RocksDB::rocksdb ${KG_PRIVATE_LINKS})
add_dependencies(kgstore_static kg_public_headers)

# ---- install ----------------------------------------------------------------
install(TARGETS kgstore EXPORT kgstoreTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS kgstore_static EXPORT kgstoreStaticTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${KG_PUBLIC_HEADER_OUTPUTS}
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kgstore)

set(KG_CMAKE_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/kgstore)
install(EXPORT kgstoreTargets NAMESPACE kgstore::
  DESTINATION ${KG_CMAKE_PACKAGE_DIR})
install(EXPORT kgstoreStaticTargets NAMESPACE kgstore::
  DESTINATION ${KG_CMAKE_PACKAGE_DIR})
configure_package_config_file(
  ${CMAKE_SOURCE_DIR}/cmake/kgstoreConfig.cmake.in
  ${CMAKE_BINARY_DIR}/cmake/kgstoreConfig.cmake
  INSTALL_DESTINATION ${KG_CMAKE_PACKAGE_DIR})
write_basic_package_version_file(
  ${CMAKE_BINARY_DIR}/cmake/kgstoreConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  # Within 0.x a new minor version may break the API (as the soname says).
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/cmake/kgstoreConfig.cmake
              ${CMAKE_BINARY_DIR}/cmake/kgstoreConfigVersion.cmake
  DESTINATION ${KG_CMAKE_PACKAGE_DIR})

configure_file(${CMAKE_SOURCE_DIR}/cmake/kgstore.pc.in
               ${CMAKE_BINARY_DIR}/kgstore.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/kgstore.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The Python binding (tools/python/kgstore), where Debian's python3 looks
# under a prefix, with the path from it to the library written beside it
# (kgstore/_capi.py reads _library_path.py).
set(KG_PYTHON_INSTALL_DIR lib/python3/dist-packages)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/tools/python/kgstore
  DESTINATION ${KG_PYTHON_INSTALL_DIR}
  PATTERN __pycache__ EXCLUDE)
file(RELATIVE_PATH KG_PYTHON_TO_LIBRARY
     /prefix/${KG_PYTHON_INSTALL_DIR}/kgstore /prefix/${CMAKE_INSTALL_LIBDIR})
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/python/_library_path.py CONTENT
"# Written by kgstore's install: where the library is, from this folder.
LIBRARY = \"${KG_PYTHON_TO_LIBRARY}/libkgstore.so.${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}\"
")
install(FILES ${CMAKE_BINARY_DIR}/python/_library_path.py
  DESTINATION ${KG_PYTHON_INSTALL_DIR}/kgstore)
