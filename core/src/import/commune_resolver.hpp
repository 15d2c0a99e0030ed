// Internal: from what a row says about its commune (an INSEE code, an old code of a merged
// commune, a name, a name with its department or postal code, a postal code) to a current
// commune code, or a reason why not that names the candidates.
//
// When a row carries both a code and a name, the code is the key and the name the check:
// they must designate the same commune (folded names; arrondissements and former communes
// count as their commune's names). A code that disagrees is the classic error of French
// files, a postal code in the INSEE column (69003 is Albigny-sur-Saône's INSEE code and a
// postal code of Lyon 3e Arrondissement), and the problem says so with both candidates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "baro/store.hpp"

namespace baro {

class CommuneResolver {
 public:
  // Loads the reference held by `store` (a few tens of thousands of rows, once per import).
  explicit CommuneResolver(const Store& store);

  // What one row says; any part may be empty.
  struct Row {
    std::string_view code;         // the commune column: an INSEE code, or a name
    std::string_view name;         // the commune name column
    std::string_view department;   // the department column
    std::string_view postal_code;  // the postal code column
  };
  // The names of the columns the row's parts come from (empty: no such column), for messages.
  struct Columns {
    std::string code, name, department, postal_code;
  };
  // Why a row did not resolve, for counting rows by reason (`baro inspect --db`).
  enum class Problem {
    kNone,
    kMissing,              // neither code, name nor postal code
    kMalformedCode,        // not 5 characters in INSEE form
    kUnknownCode,          // well formed, in no reference
    kSplitCode,            // an old code now split between several communes
    kPostalCodeAsCode,     // a postal code where an INSEE code was expected
    kCodeNameDisagree,     // the code and the name designate different communes
    kCodePostalDisagree,   // the code and the postal code designate different communes
    kUnknownName,          // no commune of that name (in that department)
    kAmbiguousName,        // several communes of that name
    kUnknownPostalCode,    // a postal code in no commune
    kAmbiguousPostalCode,  // a postal code of several communes, and no name
    kNamePostalDisagree,   // the name is not at that postal code
  };
  struct Result {
    std::string code;     // empty when unresolved
    std::string problem;  // why, and what to do, when unresolved
    Problem kind = Problem::kNone;
  };
  // A stable identifier of `kind` ("code_name_disagree"…), for JSON output, and what it means.
  static const char* to_id(Problem kind);
  static const char* describe(Problem kind);
  Result resolve(const Row& row, const Columns& columns) const;
  bool empty() const noexcept { return places_.empty(); }

 private:
  // A current commune or a municipal arrondissement.
  struct Place {
    std::string name;
    std::string name_key;
    std::string department;
    std::int64_t population = 0;
    std::string commune;  // the current commune it belongs to (itself for a current commune)
  };
  Result by_name(std::string_view name, std::string_view department, std::string_view postal_code,
                 const Columns& columns) const;
  Result by_postal_code(std::string_view postal_code) const;
  // The current communes whose name (or one of whose other names) folds to `name`'s key.
  std::vector<std::string> communes_named(std::string_view name) const;
  // Whether `name` names the commune or arrondissement `code` (a current code or an arrondissement's).
  bool names(const std::string& code, std::string_view name) const;
  // The current communes a postal code covers.
  std::vector<std::string> communes_at(std::string_view postal_code) const;
  // "Lyon 3e Arrondissement (69383)" for each place the postal code covers whose name agrees
  // with `name` (or every place when `name` is empty).
  std::string postal_places(std::string_view postal_code, std::string_view name) const;
  // "69123 Lyon (69, 522 250 inhabitants)", for lists of candidates.
  std::string candidate(const std::string& code) const;
  std::string candidates(std::vector<std::string> codes) const;

  std::unordered_map<std::string, Place> places_;          // INSEE code -> place
  std::unordered_map<std::string, std::string> aliases_;   // old code -> current code ("" if split)
  std::unordered_map<std::string, std::vector<std::string>> by_name_;   // name key -> current codes
  std::unordered_map<std::string, std::vector<std::string>> other_names_;  // current code -> name keys
  std::unordered_map<std::string, std::vector<std::string>> postal_;    // postal code -> place codes
};

}  // namespace baro
