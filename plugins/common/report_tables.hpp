// The report's aggregates as flat tables (compiled into the exporters that write them; not
// part of the SDK): `baro export --table NAME` writes one as CSV, the xlsx exporter writes
// each on a sheet. They are read from the report document (docs/report-json.md), never
// recomputed, so that a table and `baro report --format json` cannot disagree.
//
// A table is long rather than wide where a spreadsheet's pivot table wants it
// (domains-by-department: one row per department and domain). Every column has a key for
// programs (English, snake_case) and a French header for people; cells keep their type, so
// that a spreadsheet gets real numbers and a CSV prints them in the reader's convention.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "report_json.hpp"

namespace baro::plugins {

// How a cell is written: a share is a fraction (0..1) that a spreadsheet shows as a percent.
enum class CellType { kEmpty, kText, kInteger, kNumber, kShare };

struct Cell {
  CellType type = CellType::kEmpty;
  std::string text;
  double value = 0.0;
};

inline Cell text_cell(std::string text) { return {CellType::kText, std::move(text), 0.0}; }
// A figure of the document, empty when it is null (undefined for too few communes).
inline Cell figure_cell(const nlohmann::json& j, CellType type) {
  if (!j.is_number()) return {};
  return {type, std::string(), j.get<double>()};
}
inline Cell integer_cell(const nlohmann::json& j) { return figure_cell(j, CellType::kInteger); }
inline Cell number_cell(const nlohmann::json& j) { return figure_cell(j, CellType::kNumber); }
inline Cell share_cell(const nlohmann::json& j) { return figure_cell(j, CellType::kShare); }
inline Cell flag_cell(const nlohmann::json& j) {
  if (!j.is_boolean()) return {};
  return {CellType::kInteger, std::string(), j.get<bool>() ? 1.0 : 0.0};
}

struct Column {
  std::string key;     // for programs: "primary_share"
  std::string header;  // for people, in French: "part_domaine_principal"
  CellType type = CellType::kText;
};

struct Table {
  std::string key;    // its name after --table
  std::string title;  // French, for a sheet's tab: « Domaines »
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

// The tables `--table` accepts, in the order the xlsx exporter puts them on sheets.
inline const std::vector<std::string>& table_names() {
  static const std::vector<std::string> names = {"domains",     "communes", "bands",
                                                 "departments", "regions",  "domains-by-department"};
  return names;
}

// A figure as text: integers in full, other numbers with the document's 12 significant
// digits, a decimal comma when `decimal_comma` (French Excel reads "0.27" as text or a date).
inline std::string cell_text(const Cell& cell, bool decimal_comma) {
  switch (cell.type) {
    case CellType::kEmpty: return std::string();
    case CellType::kText: return cell.text;
    case CellType::kInteger: return std::to_string(static_cast<std::int64_t>(cell.value));
    case CellType::kNumber:
    case CellType::kShare: {
      char buffer[40];
      std::snprintf(buffer, sizeof buffer, "%.12g", cell.value);
      std::string out = buffer;
      // The C library's decimal point follows LC_NUMERIC: whatever it was, one convention out.
      for (char& c : out) {
        if (c == '.' || c == ',') c = decimal_comma ? ',' : '.';
      }
      return out;
    }
  }
  return std::string();
}

namespace detail {

inline Column col(const char* key, const char* header, CellType type) { return {key, header, type}; }

// A group of communes (docs/report-json.md, "Groups"): the same columns for bands, regions
// and departments.
inline std::vector<Column> group_columns(const char* key_header, bool areas) {
  std::vector<Column> out = {
      col("key", key_header, CellType::kText),
      col("label", "libellé", CellType::kText),
      col("communes", "communes", CellType::kInteger),
      col("initiatives", "initiatives", CellType::kInteger),
      col("population", "population", CellType::kInteger),
      col("initiatives_per_commune", "initiatives_par_commune", CellType::kNumber),
      col("initiatives_per_10k_inhabitants", "initiatives_pour_10000_habitants", CellType::kNumber),
      col("mean_residual", "résidu_moyen", CellType::kNumber),
  };
  if (areas) out.push_back(col("small_sample", "petit_échantillon", CellType::kInteger));
  return out;
}

inline std::vector<Cell> group_row(const nlohmann::json& g, bool areas) {
  std::vector<Cell> out = {text_cell(string(field(g, "key"))),
                           text_cell(string(field(g, "label"))),
                           integer_cell(field(g, "communes")),
                           integer_cell(field(g, "initiatives")),
                           integer_cell(field(g, "population")),
                           number_cell(field(g, "initiatives_per_commune")),
                           number_cell(field(g, "initiatives_per_10k_inhabitants")),
                           number_cell(field(g, "mean_residual"))};
  if (areas) out.push_back(flag_cell(field(g, "small_sample")));
  return out;
}

inline Table groups_table(const nlohmann::json& report, const char* key, const char* title, const char* list,
                          const char* key_header, bool areas) {
  Table t{key, title, group_columns(key_header, areas), {}};
  const nlohmann::json& groups = field(field(report, "breakdowns"), list);
  if (groups.is_array()) {
    for (const auto& g : groups) t.rows.push_back(group_row(g, areas));
  }
  return t;
}

// code -> name of the regions and departments present, from the report's breakdowns.
inline std::map<std::string, std::string> area_names(const nlohmann::json& report, const char* list) {
  std::map<std::string, std::string> out;
  const nlohmann::json& groups = field(field(report, "breakdowns"), list);
  if (groups.is_array()) {
    for (const auto& g : groups) out[string(field(g, "key"))] = string(field(g, "label"));
  }
  return out;
}

}  // namespace detail

// The domain's id as tables print it: the unclassified row (null) has none.
inline std::string domain_id(const nlohmann::json& d) { return string(field(d, "domain")); }

// The table `key` (one of table_names()) of a report document; throws std::invalid_argument
// for another name.
inline Table report_table(const nlohmann::json& report, std::string_view key) {
  using detail::col;
  if (key == "domains") {
    Table t{"domains", "Domaines",
            {col("domain", "domaine", CellType::kText),
             col("label", "libellé", CellType::kText),
             col("primary_count", "initiatives_domaine_principal", CellType::kInteger),
             col("primary_share", "part_domaine_principal", CellType::kShare),
             col("touching_count", "initiatives_touchant_le_domaine", CellType::kInteger),
             col("touching_share", "part_touchant_le_domaine", CellType::kShare),
             col("corrected_share", "part_corrigée", CellType::kShare),
             col("corrected_share_ci95_low", "part_corrigée_ic95_bas", CellType::kShare),
             col("corrected_share_ci95_high", "part_corrigée_ic95_haut", CellType::kShare)},
            {}};
    for (const auto& d : field(report, "domains")) {
      const nlohmann::json& ci = field(d, "corrected_share_ci95");
      const bool has_ci = ci.is_array() && ci.size() == 2;
      t.rows.push_back({text_cell(domain_id(d)), text_cell(string(field(d, "label"))),
                        integer_cell(field(d, "primary_count")), share_cell(field(d, "primary_share")),
                        integer_cell(field(d, "touching_count")), share_cell(field(d, "touching_share")),
                        share_cell(field(d, "corrected_share")), has_ci ? share_cell(ci[0]) : Cell{},
                        has_ci ? share_cell(ci[1]) : Cell{}});
    }
    return t;
  }
  if (key == "communes") {
    const auto departments = detail::area_names(report, "departments");
    const auto regions = detail::area_names(report, "regions");
    Table t{"communes", "Communes",
            {col("code", "code_commune", CellType::kText),
             col("name", "commune", CellType::kText),
             col("department", "code_département", CellType::kText),
             col("department_name", "département", CellType::kText),
             col("region", "code_région", CellType::kText),
             col("region_name", "région", CellType::kText),
             col("population", "population", CellType::kInteger),
             col("initiatives", "initiatives", CellType::kInteger),
             col("rural", "rurale", CellType::kInteger),
             col("rural_source", "source_rurale", CellType::kText),
             col("residual", "résidu", CellType::kNumber)},
            {}};
    for (const auto& p : field(report, "commune_points")) {
      const std::string department = string(field(p, "department")), region = string(field(p, "region"));
      const auto department_name = departments.find(department);
      const auto region_name = regions.find(region);
      t.rows.push_back({text_cell(string(field(p, "code"))), text_cell(string(field(p, "name"))),
                        text_cell(department),
                        text_cell(department_name == departments.end() ? std::string() : department_name->second),
                        text_cell(region), text_cell(region_name == regions.end() ? std::string() : region_name->second),
                        integer_cell(field(p, "population")), integer_cell(field(p, "initiatives")),
                        flag_cell(field(p, "rural")), text_cell(string(field(p, "rural_source"))),
                        number_cell(field(p, "residual"))});
    }
    return t;
  }
  if (key == "bands") {
    Table t = detail::groups_table(report, "bands", "Tranches de population", "population_bands", "tranche", false);
    t.columns.insert(t.columns.begin() + 2, {col("min_population", "population_min", CellType::kInteger),
                                             col("max_population", "population_max_exclue", CellType::kInteger)});
    const nlohmann::json& bands = field(field(report, "breakdowns"), "population_bands");
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      t.rows[i].insert(t.rows[i].begin() + 2,
                       {integer_cell(field(bands[i], "min_population")), integer_cell(field(bands[i], "max_population"))});
    }
    return t;
  }
  if (key == "departments") {
    return detail::groups_table(report, "departments", "Départements", "departments", "code_département", true);
  }
  if (key == "regions") return detail::groups_table(report, "regions", "Régions", "regions", "code_région", true);
  if (key == "domains-by-department") {
    // Domain ids in document order give each domain_mix entry its label.
    std::map<std::string, std::string> labels;
    for (const auto& d : field(report, "domains")) labels[domain_id(d)] = string(field(d, "label"));
    Table t{"domains-by-department", "Domaines par département",
            {col("department", "code_département", CellType::kText),
             col("department_name", "département", CellType::kText),
             col("domain", "domaine", CellType::kText),
             col("label", "libellé", CellType::kText),
             col("initiatives", "initiatives", CellType::kInteger),
             col("share", "part_du_département", CellType::kShare)},
            {}};
    for (const auto& g : field(field(report, "breakdowns"), "departments")) {
      for (const auto& m : field(g, "domain_mix")) {
        t.rows.push_back({text_cell(string(field(g, "key"))), text_cell(string(field(g, "label"))),
                          text_cell(domain_id(m)), text_cell(labels[domain_id(m)]), integer_cell(field(m, "count")),
                          share_cell(field(m, "share"))});
      }
    }
    return t;
  }
  std::string known;
  for (const auto& name : table_names()) known += (known.empty() ? "" : ", ") + name;
  throw std::invalid_argument("no table called \"" + std::string(key) + "\" (tables: " + known + ")");
}

}  // namespace baro::plugins
