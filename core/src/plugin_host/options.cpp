#include "plugin_host/options.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "plugin_host/loaded_plugin.hpp"

namespace baro::plugin_host {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

int parse_bool(std::string_view value) {
  const std::string v = lower(value);
  if (v == "true" || v == "yes" || v == "on" || v == "1") return 1;
  if (v == "false" || v == "no" || v == "off" || v == "0") return 0;
  return -1;
}

}  // namespace

std::string_view option_type_name(std::int32_t type) noexcept {
  switch (type) {
    case BARO_OPTION_STRING: return "string";
    case BARO_OPTION_BOOL: return "bool";
    case BARO_OPTION_INT: return "int";
    case BARO_OPTION_NUMBER: return "number";
    case BARO_OPTION_CHOICE: return "choice";
    default: return "unknown";
  }
}

std::vector<std::string> option_choices(const baro_option_spec& spec) {
  std::vector<std::string> out;
  std::string_view rest = view(spec.choices);
  while (!rest.empty()) {
    const auto bar = rest.find('|');
    out.emplace_back(rest.substr(0, bar));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
    if (rest.empty()) out.emplace_back();  // "a|": an empty last choice, refused by spec_problem
  }
  return out;
}

std::string option_range_text(std::string_view minimum, std::string_view maximum) {
  if (!minimum.empty() && !maximum.empty()) return "from " + std::string(minimum) + " to " + std::string(maximum);
  if (!minimum.empty()) return "at least " + std::string(minimum);
  if (!maximum.empty()) return "at most " + std::string(maximum);
  return {};
}

namespace {

// Parses an INT or NUMBER value: "" when it is one, else what is wrong.
std::string parse_number(std::int32_t type, std::string_view value, std::int64_t& integer, double& number) {
  if (type == BARO_OPTION_INT) {
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), integer);
    if (!value.empty() && ec == std::errc::result_out_of_range && end == value.data() + value.size()) {
      return "is out of range: integers go from -9223372036854775808 to 9223372036854775807";
    }
    return value.empty() || ec != std::errc() || end != value.data() + value.size() ? "is not an integer" : "";
  }
  const std::string v(value);
  char* end = nullptr;
  errno = 0;
  number = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || v.find_first_of("xXnN") != std::string::npos) return "is not a number";
  if (errno == ERANGE && std::fabs(number) > 1.0) return "is out of range for a number";
  if (!std::isfinite(number)) return "is not a finite number";
  return "";
}

}  // namespace

std::string option_value_problem(const baro_option_spec& spec, std::string_view value) {
  switch (spec.type) {
    case BARO_OPTION_BOOL:
      return parse_bool(value) < 0 ? "is not a boolean (true or false)" : "";
    case BARO_OPTION_INT:
    case BARO_OPTION_NUMBER: {
      std::int64_t integer = 0, min_i = 0, max_i = 0;
      double number = 0, min_d = 0, max_d = 0;
      if (auto problem = parse_number(spec.type, value, integer, number); !problem.empty()) return problem;
      const std::string_view minimum = view(spec.minimum), maximum = view(spec.maximum);
      // The bounds were checked when the plugin was loaded (spec_problem).
      const bool low = !minimum.empty() && parse_number(spec.type, minimum, min_i, min_d).empty() &&
                       (spec.type == BARO_OPTION_INT ? integer < min_i : number < min_d);
      const bool high = !maximum.empty() && parse_number(spec.type, maximum, max_i, max_d).empty() &&
                        (spec.type == BARO_OPTION_INT ? integer > max_i : number > max_d);
      return low || high ? "is out of range: it must be " + option_range_text(minimum, maximum) : "";
    }
    case BARO_OPTION_CHOICE: {
      const auto choices = option_choices(spec);
      for (const auto& c : choices) {
        if (c == value) return "";
      }
      std::string list;
      for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
      return "is not one of the allowed values: " + list;
    }
    default:
      return "";
  }
}

std::string spec_problem(const baro_option_spec& spec) {
  if (spec.type < BARO_OPTION_STRING || spec.type > BARO_OPTION_CHOICE) return "has an unknown type " + std::to_string(spec.type);
  const bool numeric = spec.type == BARO_OPTION_INT || spec.type == BARO_OPTION_NUMBER;
  if (spec.type == BARO_OPTION_CHOICE) {
    const auto choices = option_choices(spec);
    if (choices.empty()) return "is a choice without choices";
    for (const auto& c : choices) {
      if (c.empty()) return "has an empty choice in \"" + std::string(view(spec.choices)) + "\"";
    }
  } else if (spec.choices.size > 0) {
    return "lists choices but is not of type choice";
  }
  std::int64_t min_i = 0, max_i = 0;
  double min_d = 0, max_d = 0;
  for (const auto& [what, bound] : {std::pair{"minimum", view(spec.minimum)}, std::pair{"maximum", view(spec.maximum)}}) {
    if (bound.empty()) continue;
    if (!numeric) return std::string("has a ") + what + " but is not of type int or number";
    std::int64_t i = 0;
    double d = 0;
    if (auto problem = parse_number(spec.type, bound, i, d); !problem.empty()) {
      return std::string("has a ") + what + " \"" + std::string(bound) + "\" that " + problem;
    }
    (std::string_view(what) == "minimum" ? min_i : max_i) = i;
    (std::string_view(what) == "minimum" ? min_d : max_d) = d;
  }
  if (spec.minimum.size > 0 && spec.maximum.size > 0 &&
      (spec.type == BARO_OPTION_INT ? min_i > max_i : min_d > max_d)) {
    return "has a minimum above its maximum";
  }
  if (auto problem = option_value_problem(spec, view(spec.default_value)); !problem.empty()) {
    return "has a default \"" + std::string(view(spec.default_value)) + "\" that " + problem;
  }
  return "";
}

std::string normalize_option_value(const baro_option_spec& spec, std::string_view value) {
  if (spec.type == BARO_OPTION_BOOL) return parse_bool(value) == 1 ? "true" : "false";
  return std::string(value);
}

}  // namespace baro::plugin_host
