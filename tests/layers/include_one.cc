// Compiled by the include-root cases (tests/CMakeLists.txt, "layers:*"):
// includes the one header KG_HEADER names, with the include directories
// of the library the case links and nothing else, to show which headers
// that library's users can reach (cmake/include_roots.cmake).
#include KG_HEADER
