// Internal: from what an agent typed in the commune column (an INSEE code, an old code of a
// merged commune, a name with its department) to a current commune code, or a reason why not.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "baro/store.hpp"

namespace baro {

class CommuneResolver {
 public:
  // Loads the reference held by `store` (a few tens of thousands of rows, once per import).
  explicit CommuneResolver(const Store& store);

  struct Result {
    std::string code;     // empty when unresolved
    std::string problem;  // why, and what to do, when unresolved
  };
  // `code` is the commune column (may be a name), `name` and `department` the optional columns.
  Result resolve(std::string_view code, std::string_view name, std::string_view department) const;
  bool empty() const noexcept { return current_.empty(); }

 private:
  Result by_name(std::string_view name, std::string_view department) const;
  std::unordered_map<std::string, std::string> current_;  // code -> code (current communes)
  std::unordered_map<std::string, std::string> aliases_;  // old code -> current code ("" if ambiguous)
  std::map<std::pair<std::string, std::string>, std::string> by_name_dept_;  // (key, dept) -> code
  std::unordered_map<std::string, std::string> by_name_;  // key -> code ("" if in several departments)
  std::unordered_map<std::string, std::string> department_of_;  // code -> department
};

}  // namespace baro
