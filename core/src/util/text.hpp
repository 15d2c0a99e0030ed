// Internal: small helpers on text read from survey files, shared by the import's modules.
#pragma once

#include <cctype>
#include <string_view>

namespace baro::util {

// `s` without the ASCII white space around it (a cell's stray spaces, a CR left by a line ending).
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace baro::util
