#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "baro/error.hpp"
#include "baro/import.hpp"
#include "baro/normalize.hpp"

namespace baro {
namespace {

// A header folded for comparison: "Année de mise en place" → "annee_de_mise_en_place".
std::string header_key(std::string_view header) {
  std::string out;
  for (char c : fold(header)) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (word) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// The names each field is recognised by, best first: the canonical name, then the headers
// French exports actually use.
const std::vector<std::string>& aliases(Field field) {
  static const std::map<Field, std::vector<std::string>> table = {
      {Field::kId, {"id", "identifiant", "ref", "reference", "numero", "num", "id_initiative"}},
      {Field::kDescription,
       {"description", "descriptif", "description_initiative", "description_de_l_initiative", "detail", "details",
        "texte", "description_du_projet"}},
      // Code headers first: in a file with "Commune" (names) and "Code INSEE", the code is the
      // key and "Commune" becomes the name that checks it.
      {Field::kCommune, {"code_insee", "code_commune", "insee", "codgeo", "code_geo", "cog", "depcom", "commune"}},
      {Field::kCommuneName, {"commune_name", "nom_commune", "nom_de_la_commune", "libelle_commune", "lib_commune",
                             "libcom", "ville", "commune"}},
      {Field::kDepartment, {"department", "departement", "code_departement", "dep", "dept", "num_departement"}},
      {Field::kPostalCode, {"postal_code", "code_postal", "cp", "codepostal", "code_postal_commune"}},
      {Field::kTitle, {"title", "titre", "intitule", "nom_initiative", "nom_du_projet", "projet"}},
      {Field::kYear, {"year", "annee", "millesime"}},
      {Field::kRural, {"rural"}},
  };
  return table.at(field);
}

}  // namespace

std::string to_string(Field field) {
  switch (field) {
    case Field::kId: return "id";
    case Field::kDescription: return "description";
    case Field::kCommune: return "commune";
    case Field::kCommuneName: return "commune_name";
    case Field::kDepartment: return "department";
    case Field::kTitle: return "title";
    case Field::kYear: return "year";
    case Field::kRural: return "rural";
    case Field::kPostalCode: return "postal_code";
  }
  return "?";
}

std::optional<Field> parse_field(std::string_view name) {
  for (Field f : kAllFields) {
    if (to_string(f) == name) return f;
  }
  return std::nullopt;
}

ColumnMapping ColumnMapping::resolve(const SourceInfo& source,
                                     const std::vector<std::pair<std::string, std::string>>& overrides) {
  const auto& columns = source.columns;
  const std::string file = source.path.string();
  std::string listing;
  for (const auto& c : columns) listing += (listing.empty() ? "" : ", ") + ("\"" + c + "\"");

  if (source.format == SourceFormat::kCsv) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      for (std::size_t j = i + 1; j < columns.size(); ++j) {
        if (columns[i] == columns[j]) {
          throw data_error("columns " + std::to_string(i + 1) + " and " + std::to_string(j + 1) + " are both named \"" +
                               columns[i] + "\"",
                           {file, 1}, "rename one of them in the header line");
        }
      }
    }
  }

  ColumnMapping mapping;
  std::vector<bool> taken(columns.size(), false);
  std::vector<bool> mapped(std::size(kAllFields) + 1, false);
  for (const auto& [field_name, column_name] : overrides) {
    const auto field = parse_field(field_name);
    if (!field) {
      std::string fields;
      for (Field f : kAllFields) fields += (fields.empty() ? "" : ", ") + to_string(f);
      throw usage_error("--map " + field_name + "=" + column_name + ": unknown field \"" + field_name + "\"",
                        "the fields are: " + fields);
    }
    auto it = std::find(columns.begin(), columns.end(), column_name);
    if (it == columns.end()) {
      // A named copy: clang before 16 cannot capture a structured binding in a lambda.
      const std::string wanted_key = header_key(column_name);
      it = std::find_if(columns.begin(), columns.end(),
                        [&](const std::string& c) { return header_key(c) == wanted_key; });
    }
    if (it == columns.end()) {
      if (source.format != SourceFormat::kCsv) {
        // JSON keys appear record by record; the mapping is resolved again as they do.
        continue;
      }
      throw usage_error("--map " + field_name + "=" + column_name + ": " + file + " has no column \"" + column_name + "\"",
                        "its columns are: " + listing);
    }
    const auto index = static_cast<std::size_t>(it - columns.begin());
    mapping.columns_.emplace_back(*field, index);
    taken[index] = true;
    mapped[static_cast<std::size_t>(*field)] = true;
  }
  std::vector<std::string> keys;
  keys.reserve(columns.size());
  for (const auto& c : columns) keys.push_back(header_key(c));
  for (Field field : kAllFields) {
    if (mapped[static_cast<std::size_t>(field)]) continue;
    for (const auto& alias : aliases(field)) {
      const auto it = std::find(keys.begin(), keys.end(), alias);
      if (it == keys.end()) continue;
      const auto index = static_cast<std::size_t>(it - keys.begin());
      if (taken[index]) continue;
      mapping.columns_.emplace_back(field, index);
      taken[index] = true;
      break;
    }
  }
  if (source.format == SourceFormat::kCsv && !mapping.column(Field::kDescription)) {
    throw data_error("no description column (the header has " + listing + ")", {file, 1},
                     "name the column holding the initiatives' text with --map description=COLUMN");
  }
  return mapping;
}

std::optional<std::size_t> ColumnMapping::column(Field field) const {
  for (const auto& [f, index] : columns_) {
    if (f == field) return index;
  }
  return std::nullopt;
}

bool ColumnMapping::maps(std::size_t column) const {
  return std::any_of(columns_.begin(), columns_.end(), [column](const auto& mapped) { return mapped.second == column; });
}

std::vector<std::string> ColumnMapping::describe(const SourceInfo& source) const {
  std::vector<std::string> lines;
  for (Field field : kAllFields) {
    const auto index = column(field);
    if (!index) continue;
    lines.push_back(to_string(field) + " ← \"" + source.columns[*index] + "\" (column " + std::to_string(*index + 1) + ")");
  }
  return lines;
}

std::string ColumnMapping::to_json(const SourceInfo& source) const {
  nlohmann::json object = nlohmann::json::object();
  for (Field field : kAllFields) {
    if (const auto index = column(field)) object[to_string(field)] = source.columns[*index];
  }
  return object.dump();
}

}  // namespace baro
