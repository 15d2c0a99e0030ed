#include "import/commune_resolver.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cctype>

#include "store/commune_names.hpp"
#include "store/sqlite_errors.hpp"

namespace baro {
namespace {

bool is_insee_code(std::string_view s) {
  if (s.size() != 5) return false;
  const bool corsica = s[0] == '2' && (s[1] == 'A' || s[1] == 'B');
  for (std::size_t i = 0; i < 5; ++i) {
    if (corsica && i == 1) continue;
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool has_letter_beyond_corsica(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (std::isalpha(c) || c >= 0x80) {
      if (i == 1 && s.size() == 5 && s[0] == '2' && (c == 'A' || c == 'B' || c == 'a' || c == 'b')) continue;
      return true;
    }
  }
  return false;
}

}  // namespace

CommuneResolver::CommuneResolver(const Store& store) {
  try {
    auto& db = const_cast<SQLite::Database&>(store.database());
    SQLite::Statement communes(db, "SELECT code, name_key, department FROM communes");
    while (communes.executeStep()) {
      const std::string code = communes.getColumn(0).getString();
      const std::string key = communes.getColumn(1).getString();
      const std::string dept = communes.getColumn(2).getString();
      current_.emplace(code, code);
      department_of_.emplace(code, dept);
      by_name_dept_.emplace(std::make_pair(key, dept), code);
      const auto [it, inserted] = by_name_.emplace(key, code);
      if (!inserted) it->second.clear();  // the same name in several departments
    }
    SQLite::Statement aliases(db, "SELECT code, commune_code FROM commune_aliases");
    while (aliases.executeStep()) {
      const std::string code = aliases.getColumn(0).getString();
      const std::string target = aliases.getColumn(1).getString();
      const auto [it, inserted] = aliases_.emplace(code, target);
      if (!inserted && it->second != target) it->second.clear();  // split between communes
    }
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "loading the commune reference");
  }
}

CommuneResolver::Result CommuneResolver::by_name(std::string_view name, std::string_view department) const {
  const std::string key = commune_name_key(name);
  if (!department.empty()) {
    std::string dept(trim(department));
    if (dept.size() == 1 && std::isdigit(static_cast<unsigned char>(dept[0]))) dept = "0" + dept;
    if (dept.size() == 2 && (dept[1] == 'a' || dept[1] == 'b')) dept[1] = static_cast<char>(std::toupper(dept[1]));
    const auto it = by_name_dept_.find({key, dept});
    if (it != by_name_dept_.end()) return {it->second, {}};
    return {{}, "no commune named \"" + std::string(name) + "\" in department " + dept +
                    " in the INSEE reference (check the spelling, or give its INSEE code)"};
  }
  const auto it = by_name_.find(key);
  if (it == by_name_.end()) {
    return {{}, "no commune named \"" + std::string(name) + "\" in the INSEE reference (give its INSEE code)"};
  }
  if (it->second.empty()) {
    return {{}, "several communes are named \"" + std::string(name) +
                    "\": add a department column, or give the INSEE code"};
  }
  return {it->second, {}};
}

CommuneResolver::Result CommuneResolver::resolve(std::string_view code_field, std::string_view name,
                                                 std::string_view department) const {
  const std::string_view code = trim(code_field);
  name = trim(name);
  if (code.empty()) {
    if (!name.empty()) return by_name(name, department);
    return {{}, "no commune: the commune's INSEE code (or its name and department) is required"};
  }
  if (is_insee_code(code)) {
    const std::string key(code);
    if (const auto it = current_.find(key); it != current_.end()) return {it->second, {}};
    if (const auto it = aliases_.find(key); it != aliases_.end()) {
      if (!it->second.empty()) return {it->second, {}};
      return {{}, "commune code " + key + " is an old code now split between several communes; give the current code"};
    }
    return {{}, "unknown commune code " + key + " (not in the INSEE 2026 reference)"};
  }
  if (has_letter_beyond_corsica(code)) return by_name(code, department);
  // A code in the wrong form: say what it probably is.
  std::string compact;
  for (char c : code) {
    if (!std::isspace(static_cast<unsigned char>(c))) compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::string suggestion;
  if (is_insee_code(compact)) suggestion = compact;
  else if (compact.size() == 4 && is_insee_code("0" + compact)) suggestion = "0" + compact;
  std::string problem = "commune code \"" + std::string(code) +
                        "\" is not in INSEE form (5 characters: 2 digits, or 2A/2B for Corsica, then 3 digits)";
  if (!suggestion.empty()) {
    problem += "; did you mean " + suggestion + "?";
    if (compact.size() == 4) problem += " (a spreadsheet drops leading zeros: format the column as text)";
  }
  return {{}, problem};
}

}  // namespace baro
