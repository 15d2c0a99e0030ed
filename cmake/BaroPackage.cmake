# The installed CMake package, for partners: find_package(Baro) gives baro::sdk and
# baro_add_plugin() (docs/plugins.md). Layout follows LevelDB/OBS: <prefix>/lib/cmake/Baro/.
include(CMakePackageConfigHelpers)

# The plugin API version lives in one place, baro/plugin_abi.h.
file(STRINGS ${PROJECT_SOURCE_DIR}/core/include/baro/plugin_abi.h _baro_api REGEX "^#define BARO_PLUGIN_API_M(AJOR|INOR) ")
string(REGEX REPLACE ".*MAJOR ([0-9]+).*" "\\1" BARO_PLUGIN_API_MAJOR "${_baro_api}")
string(REGEX REPLACE ".*MINOR ([0-9]+).*" "\\1" BARO_PLUGIN_API_MINOR "${_baro_api}")

set(BARO_PLUGIN_INSTALL_DIR lib/baro/plugins)
set(BARO_CMAKE_INSTALL_DIR lib/cmake/Baro)
configure_package_config_file(cmake/BaroConfig.cmake.in ${PROJECT_BINARY_DIR}/BaroConfig.cmake
  INSTALL_DESTINATION ${BARO_CMAKE_INSTALL_DIR}
  PATH_VARS CMAKE_INSTALL_BINDIR BARO_PLUGIN_INSTALL_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/BaroConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(EXPORT BaroTargets NAMESPACE baro:: DESTINATION ${BARO_CMAKE_INSTALL_DIR})
install(FILES ${PROJECT_BINARY_DIR}/BaroConfig.cmake ${PROJECT_BINARY_DIR}/BaroConfigVersion.cmake
              cmake/BaroPlugin.cmake cmake/baro_plugin.map
        DESTINATION ${BARO_CMAKE_INSTALL_DIR})
