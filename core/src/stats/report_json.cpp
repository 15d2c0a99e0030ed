#include <nlohmann/json.hpp>

#include "baro/report.hpp"
#include "baro/version.hpp"

namespace baro {

std::string report_to_json(const Report& report) {
  using nlohmann::json;
  json classifiers = json::array();
  for (const auto& c : report.run.classifiers) classifiers.push_back({{"name", c.name}, {"version", c.version}});
  json domains = json::array();
  for (const auto& d : report.domains) {
    domains.push_back({{"domain", d.domain.empty() ? json(nullptr) : json(d.domain)},
                       {"label", d.label},
                       {"primary_count", d.primary_count},
                       {"primary_share", d.primary_share},
                       {"touching_count", d.touching_count},
                       {"touching_share", d.touching_share}});
  }
  const json out = {
      {"schema", "baro-report/1"},
      {"engine_version", kVersion},
      {"run",
       {{"id", report.run.id},
        {"ruleset", {{"id", report.run.ruleset_id}, {"version", report.run.ruleset_version}, {"hash", report.run.ruleset_hash}}},
        {"classifiers", classifiers},
        {"engine_version", report.run.engine_version},
        {"created_at", report.run.created_at}}},
      {"initiatives", report.initiatives},
      {"communes", report.communes},
      {"domains", domains},
  };
  return out.dump(2);
}

}  // namespace baro
