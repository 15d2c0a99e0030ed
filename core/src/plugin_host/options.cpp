#include "plugin_host/options.hpp"

#include <charconv>
#include <cstdint>
#include <cstdlib>

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
    default: return "unknown";
  }
}

std::string option_value_problem(const baro_option_spec& spec, std::string_view value) {
  switch (spec.type) {
    case BARO_OPTION_BOOL:
      return parse_bool(value) < 0 ? "is not a boolean (true or false)" : "";
    case BARO_OPTION_INT: {
      std::int64_t n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      return value.empty() || ec != std::errc() || end != value.data() + value.size() ? "is not an integer" : "";
    }
    case BARO_OPTION_NUMBER: {
      const std::string v(value);
      char* end = nullptr;
      std::strtod(v.c_str(), &end);
      return v.empty() || end != v.c_str() + v.size() ? "is not a number" : "";
    }
    default:
      return "";
  }
}

std::string normalize_option_value(const baro_option_spec& spec, std::string_view value) {
  if (spec.type == BARO_OPTION_BOOL) return parse_bool(value) == 1 ? "true" : "false";
  return std::string(value);
}

}  // namespace baro::plugin_host
