// Internal: plugin option values, checked against a plugin's option table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "baro/plugin_abi.h"

namespace baro::plugin_host {

std::string_view option_type_name(std::int32_t type) noexcept;
// "" when `value` fits the option's type, range and choices, else what is wrong ("is not an
// integer", "is out of range: it must be from 1 to 100", "is not one of the allowed values: tsv, csv").
std::string option_value_problem(const baro_option_spec& spec, std::string_view value);
// "" when the spec itself is sound (a known type, choices only for a choice and at least one,
// bounds only for numbers, that parse, in order, a default that obeys them), else what is wrong.
std::string spec_problem(const baro_option_spec& spec);
// A choice option's allowed values, in the table's order.
std::vector<std::string> option_choices(const baro_option_spec& spec);
// "from 1 to 100", "at least 1", "at most 9", or "" without bounds.
std::string option_range_text(std::string_view minimum, std::string_view maximum);
// Booleans reach plugins as exactly "true" or "false"; yes/no/on/off/1/0 are accepted.
std::string normalize_option_value(const baro_option_spec& spec, std::string_view value);

}  // namespace baro::plugin_host
