#include "import/commune_resolver.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cctype>
#include <iterator>

#include "store/commune_names.hpp"
#include "store/sqlite_errors.hpp"
#include "util/text.hpp"

namespace baro {
namespace {

// Lists of candidates stop here: a message is read by a person.
constexpr std::size_t kMaxCandidates = 8;

bool is_insee_code(std::string_view s) {
  if (s.size() != 5) return false;
  const bool corsica = s[0] == '2' && (s[1] == 'A' || s[1] == 'B');
  for (std::size_t i = 0; i < 5; ++i) {
    if (corsica && i == 1) continue;
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool is_five_digits(std::string_view s) {
  return s.size() == 5 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

using util::trim;

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

// "1", "2A" → "01", "2A": departments as the reference writes them.
std::string normalise_department(std::string_view department) {
  std::string dept(trim(department));
  if (dept.size() == 1 && std::isdigit(static_cast<unsigned char>(dept[0]))) dept = "0" + dept;
  if (dept.size() == 2 && (dept[1] == 'a' || dept[1] == 'b')) dept[1] = static_cast<char>(std::toupper(dept[1]));
  return dept;
}

// An arrondissement written the way agents write it: "lyon 3e arrondissement", "lyon 3eme",
// "lyon 03", "paris 1er arr" all become "lyon 3", "paris 1". Empty when the key has no number.
std::string arrondissement_key(const std::string& key) {
  std::string out;
  bool numbered = false;
  std::size_t start = 0;
  while (start <= key.size()) {
    std::size_t end = key.find(' ', start);
    if (end == std::string::npos) end = key.size();
    std::string word = key.substr(start, end - start);
    start = end + 1;
    if (word.empty() || word == "arrondissement" || word == "arr" || word == "arrdt" || word == "arrondt") continue;
    std::size_t digits = 0;
    while (digits < word.size() && std::isdigit(static_cast<unsigned char>(word[digits]))) ++digits;
    if (digits > 0 && digits < 3) {
      const std::string suffix = word.substr(digits);
      if (suffix.empty() || suffix == "e" || suffix == "eme" || suffix == "ieme" || suffix == "er" || suffix == "ere") {
        word = std::to_string(std::stoi(word.substr(0, digits)));
        numbered = true;
      }
    }
    if (!out.empty()) out += ' ';
    out += word;
  }
  return numbered ? out : std::string();
}

// The keys a name is looked up by: its folded form, and its arrondissement form if any.
std::vector<std::string> name_keys(std::string_view name) {
  std::vector<std::string> keys{commune_name_key(name)};
  if (auto arrondissement = arrondissement_key(keys.front()); !arrondissement.empty() && arrondissement != keys.front()) {
    keys.push_back(std::move(arrondissement));
  }
  return keys;
}

// "Marseille 13001" or "13001 Marseille": a name carrying its postal code. Splits it when the
// name has letters besides the code.
void split_postal_code(std::string_view& name, std::string_view& postal_code) {
  const auto last_space = name.find_last_of(' ');
  const auto first_space = name.find(' ');
  if (last_space == std::string_view::npos) return;
  if (is_five_digits(name.substr(last_space + 1))) {
    postal_code = name.substr(last_space + 1);
    name = trim(name.substr(0, last_space));
  } else if (is_five_digits(name.substr(0, first_space))) {
    postal_code = name.substr(0, first_space);
    name = trim(name.substr(first_space + 1));
  }
}

std::string grouped(std::int64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

void add_unique(std::vector<std::string>& codes, const std::string& code) {
  if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
}

}  // namespace

CommuneResolver::CommuneResolver(const Store& store) {
  try {
    auto& db = const_cast<SQLite::Database&>(store.database());
    SQLite::Statement communes(db, "SELECT code, name, name_key, department, coalesce(population, 0) FROM communes");
    while (communes.executeStep()) {
      const std::string code = communes.getColumn(0).getString();
      Place place{communes.getColumn(1).getString(), communes.getColumn(2).getString(),
                  communes.getColumn(3).getString(), communes.getColumn(4).getInt64(), code};
      for (const auto& key : name_keys(place.name)) add_unique(by_name_[key], code);
      places_.emplace(code, std::move(place));
    }
    SQLite::Statement aliases(db, "SELECT code, commune_code FROM commune_aliases");
    while (aliases.executeStep()) {
      const std::string code = aliases.getColumn(0).getString();
      const std::string target = aliases.getColumn(1).getString();
      const auto [it, inserted] = aliases_.emplace(code, target);
      if (!inserted && it->second != target) it->second.clear();  // split between communes
    }
    SQLite::Statement others(db, "SELECT name, code, commune_code, kind FROM commune_other_names");
    while (others.executeStep()) {
      const std::string name = others.getColumn(0).getString();
      const std::string code = others.getColumn(1).getString();
      const std::string commune = others.getColumn(2).getString();
      const auto parent = places_.find(commune);
      if (parent == places_.end()) continue;
      for (const auto& key : name_keys(name)) {
        add_unique(by_name_[key], commune);
        add_unique(other_names_[commune], key);
      }
      if (others.getColumn(3).getString() == "arrondissement-municipal") {
        places_.emplace(code, Place{name, commune_name_key(name), parent->second.department, 0, commune});
      }
    }
    SQLite::Statement postal(db, "SELECT postal_code, code FROM commune_postal_codes");
    while (postal.executeStep()) postal_[postal.getColumn(0).getString()].push_back(postal.getColumn(1).getString());
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "loading the commune reference");
  }
}

std::vector<std::string> CommuneResolver::communes_named(std::string_view name) const {
  std::vector<std::string> codes;
  for (const auto& key : name_keys(name)) {
    if (const auto it = by_name_.find(key); it != by_name_.end()) {
      for (const auto& code : it->second) add_unique(codes, code);
    }
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

bool CommuneResolver::names(const std::string& code, std::string_view name) const {
  const auto place = places_.find(code);
  if (place == places_.end()) return false;
  const auto keys = name_keys(name);
  const auto agrees = [&keys](const std::string& reference_name) {
    const auto reference_keys = name_keys(reference_name);
    return std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
      return std::find(reference_keys.begin(), reference_keys.end(), k) != reference_keys.end();
    });
  };
  if (agrees(place->second.name)) return true;
  if (place->second.commune != code) return agrees(places_.at(place->second.commune).name);  // an arrondissement
  const auto others = other_names_.find(code);
  if (others == other_names_.end()) return false;
  return std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
    return std::find(others->second.begin(), others->second.end(), k) != others->second.end();
  });
}

std::vector<std::string> CommuneResolver::communes_at(std::string_view postal_code) const {
  std::vector<std::string> codes;
  if (const auto it = postal_.find(std::string(postal_code)); it != postal_.end()) {
    for (const auto& code : it->second) add_unique(codes, places_.at(code).commune);
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

std::string CommuneResolver::postal_places(std::string_view postal_code, std::string_view name) const {
  std::string out;
  const auto it = postal_.find(std::string(postal_code));
  if (it == postal_.end()) return out;
  std::vector<std::string> codes;
  for (const auto& code : it->second) {
    if (name.empty() || names(code, name)) codes.push_back(code);
  }
  for (const auto& code : codes) {
    // A city's postal code is also its arrondissement's: name the arrondissement, the more precise.
    const bool has_arrondissement_listed = std::any_of(codes.begin(), codes.end(), [&](const std::string& other) {
      return other != code && places_.at(other).commune == code;
    });
    if (has_arrondissement_listed) continue;
    out += (out.empty() ? "" : ", ") + places_.at(code).name + " (" + code + ")";
  }
  return out;
}

std::string CommuneResolver::candidate(const std::string& code) const {
  const Place& place = places_.at(code);
  std::string out = code + " " + place.name + " (" + place.department;
  if (place.population > 0) out += ", " + grouped(place.population) + " inhabitants";
  return out + ")";
}

std::string CommuneResolver::candidates(std::vector<std::string> codes) const {
  // The most populous first: the likeliest, and the ones a person recognises.
  std::stable_sort(codes.begin(), codes.end(), [this](const std::string& a, const std::string& b) {
    return places_.at(a).population > places_.at(b).population;
  });
  std::string out;
  for (std::size_t i = 0; i < codes.size() && i < kMaxCandidates; ++i) out += (i == 0 ? "" : ", ") + candidate(codes[i]);
  if (codes.size() > kMaxCandidates) out += " and " + std::to_string(codes.size() - kMaxCandidates) + " more";
  return out;
}

CommuneResolver::Result CommuneResolver::by_postal_code(std::string_view postal_code) const {
  const auto communes = communes_at(postal_code);
  if (communes.size() == 1) return {communes.front(), {}};
  if (communes.empty()) {
    return {{}, "unknown postal code " + std::string(postal_code) + " (in no commune of the reference): give the INSEE code", Problem::kUnknownPostalCode};
  }
  return {{}, "postal code " + std::string(postal_code) + " covers several communes: " + candidates(communes) +
                  ": add a commune name column (--map commune_name=COLUMN), or give the INSEE code", Problem::kAmbiguousPostalCode};
}

CommuneResolver::Result CommuneResolver::by_name(std::string_view name, std::string_view department,
                                                 std::string_view postal_code, const Columns& columns) const {
  std::vector<std::string> named = communes_named(name);
  if (!postal_code.empty()) {
    const auto at = communes_at(postal_code);
    if (at.empty()) {
      return {{}, "unknown postal code " + std::string(postal_code) + " (in no commune of the reference) for " +
                      in_quotes(name) + ": check it, or give the INSEE code", Problem::kUnknownPostalCode};
    }
    std::vector<std::string> both;
    std::set_intersection(named.begin(), named.end(), at.begin(), at.end(), std::back_inserter(both));
    if (both.size() == 1) return {both.front(), {}};
    if (both.empty()) {
      std::string problem = in_quotes(name) + " is not at postal code " + std::string(postal_code) + ", which covers " +
                            candidates(at);
      if (!named.empty()) problem += "; communes named " + in_quotes(name) + ": " + candidates(named);
      return {{}, problem + ": correct the name or the postal code, or give the INSEE code", Problem::kNamePostalDisagree};
    }
    named = std::move(both);
  }
  if (!department.empty()) {
    const std::string dept = normalise_department(department);
    std::vector<std::string> in_department;
    for (const auto& code : named) {
      if (places_.at(code).department == dept) in_department.push_back(code);
    }
    if (in_department.empty()) {
      std::string problem = "no commune named " + in_quotes(name) + " in department " + dept + " in the INSEE reference";
      if (!named.empty()) problem += " (communes of that name: " + candidates(named) + ")";
      return {{}, problem + ": check the spelling, or give its INSEE code", Problem::kUnknownName};
    }
    named = std::move(in_department);
  }
  if (named.empty()) return {{}, "no commune named " + in_quotes(name) + " in the INSEE reference (give its INSEE code)", Problem::kUnknownName};
  if (named.size() == 1) return {named.front(), {}};
  std::string problem = "several communes are named " + in_quotes(name) + ": " + candidates(named) + ": ";
  if (!columns.department.empty() && department.empty()) {
    problem += "the department column " + in_quotes(columns.department) + " is empty on this row: fill it, or give the INSEE code";
  } else {
    problem += "add a department column (--map department=COLUMN), or give the INSEE code";
  }
  return {{}, problem, Problem::kAmbiguousName};
}

CommuneResolver::Result CommuneResolver::resolve(const Row& row, const Columns& columns) const {
  std::string_view code = trim(row.code);
  std::string_view name = trim(row.name);
  if (has_letter_beyond_corsica(code)) {
    // The commune column holds a name: it is the row's name (as it always was).
    name = code;
    code = {};
  }
  std::string_view postal_code = trim(row.postal_code);
  if (postal_code.empty()) split_postal_code(name, postal_code);
  if (code.empty()) {
    if (!name.empty()) return by_name(name, row.department, postal_code, columns);
    if (!postal_code.empty()) return by_postal_code(postal_code);
    return {{}, "no commune: the commune's INSEE code (or its name and department) is required", Problem::kMissing};
  }
  if (is_insee_code(code)) {
    const std::string key(code);
    // `place`: the code's own place (a commune or an arrondissement); `current`: today's commune.
    std::string place, current;
    if (const auto it = places_.find(key); it != places_.end()) {
      place = key;
      current = it->second.commune;
    } else if (const auto alias = aliases_.find(key); alias != aliases_.end()) {
      if (alias->second.empty()) {
        return {{}, "commune code " + key + " is an old code now split between several communes; give the current code", Problem::kSplitCode};
      }
      place = current = alias->second;
    } else {
      const std::string postal = postal_places(key, {});
      if (!postal.empty()) {
        const std::string column = columns.code.empty() ? "COLUMN" : columns.code;
        return {{}, key + " is not an INSEE code but a postal code of " + postal + ": if the column " + in_quotes(column) +
                        " holds postal codes, import with --map postal_code=" + in_quotes(column) +
                        " (and a commune name column), or give INSEE codes", Problem::kPostalCodeAsCode};
      }
      return {{}, "unknown commune code " + key + " (not in the INSEE 2026 reference)", Problem::kUnknownCode};
    }
    if (!name.empty() && !names(place, name)) {
      const Place& said = places_.at(place);
      std::string problem = key + " is " + (place == key ? "" : "the old code of ") + said.name + " (" + said.department +
                            "), but the row says " + std::string(name);
      const std::string postal = postal_places(key, name);
      if (!postal.empty()) {
        problem += ": " + key + " is a postal code of " + postal;
        if (!columns.code.empty()) {
          problem += " (if the column " + in_quotes(columns.code) + " holds postal codes, import with --map postal_code=" +
                     in_quotes(columns.code) + ")";
        }
        return {{}, problem, Problem::kCodeNameDisagree};
      }
      std::vector<std::string> named = communes_named(name);
      if (!row.department.empty()) {
        const std::string dept = normalise_department(row.department);
        named.erase(std::remove_if(named.begin(), named.end(),
                                   [&](const std::string& c) { return places_.at(c).department != dept; }),
                    named.end());
      }
      if (named.size() == 1) {
        problem += ", which is " + candidate(named.front());
      } else if (named.size() > 1) {
        problem += ", a name of " + candidates(named);
      } else {
        problem += ", which names no commune of the reference";
      }
      return {{}, problem + ": correct the code or the name", Problem::kCodeNameDisagree};
    }
    if (!postal_code.empty()) {
      const auto at = communes_at(postal_code);
      if (!at.empty() && std::find(at.begin(), at.end(), current) == at.end()) {
        return {{}, "postal code " + std::string(postal_code) + " is not one of " + places_.at(current).name + "'s (" +
                        current + "); it covers " + candidates(at) + ": correct the code or the postal code", Problem::kCodePostalDisagree};
      }
    }
    return {current, {}};
  }
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
  return {{}, problem, Problem::kMalformedCode};
}

namespace {

struct ProblemText {
  const char* id;
  const char* what;
};

// Indexed by CommuneResolver::Problem, in its order.
constexpr ProblemText kProblemTexts[] = {
    {"resolved", "the commune resolves"},
    {"missing", "no commune given"},
    {"malformed_code", "a code not in INSEE form"},
    {"unknown_code", "a code in no commune of the reference"},
    {"split_code", "an old code now split between several communes"},
    {"postal_code_as_code", "a postal code where an INSEE code is expected"},
    {"code_name_disagree", "the code and the name designate different communes"},
    {"code_postal_disagree", "the postal code is not one of the coded commune's"},
    {"unknown_name", "a name no commune of the reference bears (there)"},
    {"ambiguous_name", "a name several communes bear"},
    {"unknown_postal_code", "a postal code of no commune"},
    {"ambiguous_postal_code", "a postal code of several communes, and no name"},
    {"name_postal_disagree", "the name is not at that postal code"},
};
static_assert(std::size(kProblemTexts) == static_cast<std::size_t>(CommuneResolver::Problem::kNamePostalDisagree) + 1,
              "one text per CommuneResolver::Problem");

}  // namespace

const char* CommuneResolver::to_id(Problem kind) { return kProblemTexts[static_cast<std::size_t>(kind)].id; }
const char* CommuneResolver::describe(Problem kind) { return kProblemTexts[static_cast<std::size_t>(kind)].what; }

}  // namespace baro
