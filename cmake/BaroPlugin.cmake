# baro_add_plugin(): builds a Baro plugin (an exporter or a classifier) as a MODULE library.
#
#   baro_add_plugin(<target> SOURCES <file>... [OUTPUT_NAME <name>] [NO_INSTALL])
#
# The result is <name>.so (default: <target>.so) in ${CMAKE_BINARY_DIR}/lib/baro/plugins,
# the layout baro searches (`baro --plugin-path build/lib/baro/plugins` or
# BARO_PLUGIN_PATH), and `cmake --install` puts it in <prefix>/lib/baro/plugins. The plugin
# links baro::sdk, is compiled with hidden visibility and linked with a version script, so
# that it exports exactly one symbol, baro_plugin_entry; `--no-undefined` turns a missing
# symbol into a link error instead of a plugin that cannot be loaded.
#
# This file is shared by Baro's own build and by the installed CMake package
# (find_package(Baro)); docs/plugins.md is the tutorial.
include_guard(GLOBAL)

set(_BARO_PLUGIN_MAP "${CMAKE_CURRENT_LIST_DIR}/baro_plugin.map")

function(baro_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NO_INSTALL" "OUTPUT_NAME" "SOURCES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "baro_add_plugin(${target}): SOURCES is required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "baro_add_plugin(${target}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME ${target})
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE baro::sdk)
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib/baro/plugins
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS ${_BARO_PLUGIN_MAP})
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${_BARO_PLUGIN_MAP}"
    "LINKER:--no-undefined")
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION lib/baro/plugins)
  endif()
endfunction()
