// Internal: plugin option values, checked against a plugin's option table.
#pragma once

#include <string>
#include <string_view>

#include "baro/plugin_abi.h"

namespace baro::plugin_host {

std::string_view option_type_name(std::int32_t type) noexcept;
// "" when `value` fits the option's type, else what is wrong ("is not an integer").
std::string option_value_problem(const baro_option_spec& spec, std::string_view value);
// Booleans reach plugins as exactly "true" or "false"; yes/no/on/off/1/0 are accepted.
std::string normalize_option_value(const baro_option_spec& spec, std::string_view value);

}  // namespace baro::plugin_host
