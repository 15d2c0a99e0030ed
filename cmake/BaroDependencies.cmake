# Every dependency comes from a Debian 12 package (tools/setup-debian.sh installs them);
# docs/dependencies.md says why each one is here.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
find_package(SQLiteCpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Iconv REQUIRED)
# Linear algebra of the report's count model (core/src/stats/count_model.cpp); header-only.
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)

# libcsv ships neither a pkg-config file nor a CMake package.
find_path(CSV_INCLUDE_DIR csv.h REQUIRED)
find_library(CSV_LIBRARY csv REQUIRED)
add_library(baro_libcsv INTERFACE)
target_include_directories(baro_libcsv SYSTEM INTERFACE ${CSV_INCLUDE_DIR})
target_link_libraries(baro_libcsv INTERFACE ${CSV_LIBRARY})
