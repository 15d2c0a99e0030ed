// One row per initiative, as the csv, xlsx, dta and sav exporters write it (compiled into
// each; not part of the SDK): the commune with its department's and region's names, rural as
// the report counts it, the primary domain's id and label, the labels' ids, and one 0/1
// column per domain of the rule set. One definition, so that the four formats agree.
//
// Rural is the commune's status as the report document gives it: under the threshold in force
// (--rural-below), an imported attribute first (docs/report-json.md, `rural.definition`),
// exactly what the report's rural figures count.
#pragma once

#include <baro/sdk.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "report_json.hpp"
#include "report_tables.hpp"

namespace baro::plugins {

class InitiativeTable {
 public:
  // The domain columns' key and header are these prefixes and the domain's id.
  static constexpr const char* kDomainKeyPrefix = "domain_";
  static constexpr const char* kDomainHeaderPrefix = "domaine_";

  // The domains are the export's (ExportInput::domains(): the rule set's, in its order); the
  // report gives the names of departments and regions and the communes' rural status.
  InitiativeTable(const std::vector<sdk::Domain>& domains, const nlohmann::json& report) {
    for (const auto& d : domains) {
      domains_.emplace_back(d.id);
      labels_.emplace_back(d.label);
    }
    for (const auto& p : field(report, "commune_points")) {
      if (field(p, "rural").is_boolean()) rural_[string(field(p, "code"))] = field(p, "rural").get<bool>();
    }
    for (const char* list : {"departments", "regions"}) {
      for (const auto& g : field(field(report, "breakdowns"), list)) {
        (list[0] == 'd' ? departments_ : regions_)[string(field(g, "key"))] = string(field(g, "label"));
      }
    }
    columns_ = {
        {"id", "id", CellType::kInteger},
        {"source_id", "identifiant_source", CellType::kText},
        {"batch_id", "lot", CellType::kInteger},
        {"commune_code", "code_commune", CellType::kText},
        {"commune_name", "commune", CellType::kText},
        {"department", "code_département", CellType::kText},
        {"department_name", "département", CellType::kText},
        {"region", "code_région", CellType::kText},
        {"region_name", "région", CellType::kText},
        {"population", "population", CellType::kInteger},
        {"rural", "rurale", CellType::kInteger},
        {"year", "année", CellType::kInteger},
        {"title", "titre", CellType::kText},
        {"description", "description", CellType::kText},
        {"primary_domain", "domaine_principal", CellType::kText},
        {"primary_label", "libellé_domaine_principal", CellType::kText},
        {"domains", "domaines", CellType::kText},
        {"classifier", "classifieur", CellType::kText},
    };
    fixed_columns_ = columns_.size();
    for (const auto& d : domains_) columns_.push_back({kDomainKeyPrefix + d, kDomainHeaderPrefix + d, CellType::kInteger});
  }

  const std::vector<Column>& columns() const noexcept { return columns_; }
  // The index of the first 0/1 domain column.
  std::size_t first_domain_column() const noexcept { return fixed_columns_; }
  static constexpr std::size_t kPrimaryDomainColumn = 14;
  // The rule set's domains, in its order, and their labels.
  const std::vector<std::string>& domains() const noexcept { return domains_; }
  const std::vector<std::string>& domain_labels() const noexcept { return labels_; }
  // 1 + the index of the initiative's primary domain in domains(); 0 when unclassified.
  int primary_code(const sdk::Initiative& item) const {
    for (std::size_t d = 0; d < domains_.size(); ++d) {
      if (domains_[d] == item.primary_domain()) return static_cast<int>(d) + 1;
    }
    return 0;
  }

  std::vector<Cell> row(const sdk::Initiative& item) const {
    std::string ids;
    std::vector<char> flags(domains_.size(), 0);
    for (std::size_t i = 0; i < item.label_count(); ++i) {
      const std::string_view domain = item.label(i).domain;
      if (!ids.empty()) ids += ' ';
      ids += domain;
      for (std::size_t d = 0; d < domains_.size(); ++d) flags[d] = flags[d] || domains_[d] == domain;
    }
    const auto status = rural_.find(item.commune_code());
    const int primary = primary_code(item);
    std::vector<Cell> out = {
        integer(static_cast<double>(item.id())),
        text_cell(std::string(item.source_id())),
        integer(static_cast<double>(item.batch_id())),
        text_cell(std::string(item.commune_code())),
        text_cell(std::string(item.commune_name())),
        text_cell(std::string(item.department())),
        text_cell(name(departments_, item.department())),
        text_cell(std::string(item.region())),
        text_cell(name(regions_, item.region())),
        item.population() ? integer(static_cast<double>(*item.population())) : Cell{},
        status == rural_.end() ? Cell{} : integer(status->second ? 1 : 0),
        item.year() ? integer(*item.year()) : Cell{},
        text_cell(std::string(item.title())),
        text_cell(std::string(item.description())),
        text_cell(std::string(item.primary_domain())),
        text_cell(primary > 0 ? labels_[static_cast<std::size_t>(primary - 1)] : std::string()),
        text_cell(std::move(ids)),
        text_cell(std::string(item.classifier())),
    };
    for (const char flag : flags) out.push_back(integer(flag ? 1 : 0));
    return out;
  }

 private:
  static Cell integer(double value) { return {CellType::kInteger, std::string(), value}; }
  static std::string name(const std::map<std::string, std::string, std::less<>>& names, std::string_view code) {
    const auto it = names.find(code);
    return it == names.end() ? std::string() : it->second;
  }

  std::vector<std::string> domains_, labels_;
  std::map<std::string, bool, std::less<>> rural_;
  std::map<std::string, std::string, std::less<>> departments_, regions_;
  std::vector<Column> columns_;
  std::size_t fixed_columns_ = 0;
};

}  // namespace baro::plugins
