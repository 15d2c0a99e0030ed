// Internal: translating SQLiteCpp exceptions into baro::Error with an exit code and advice,
// so that "database is locked" reaches a user as "busy, retry" and never as an internal error.
#pragma once

#include <SQLiteCpp/Exception.h>

#include <filesystem>
#include <string_view>

#include "baro/error.hpp"

namespace baro::store {

// `doing` completes "while …", e.g. "importing the batch".
Error translate(const SQLite::Exception& e, const std::filesystem::path& database, std::string_view doing);

}  // namespace baro::store
