// An example partner exporter: one row per commune with each domain's share of its
// initiatives (primary domains), one column per domain of the rule set, as tab-separated
// values that R's read.delim and Python's csv module read as they are.
//
//   baro export --to communes [--decimals N] [--out FILE]
#include <baro/sdk.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

constexpr baro::sdk::Option kOptions[] = {
    {"decimals", baro::sdk::OptionType::kInt, "4", "decimals of the shares", {}, "0", "12"},
};

class Communes final : public baro::sdk::Exporter {
 public:
  Communes(const baro::sdk::Options& options, const baro::sdk::Host&)
      : decimals_(static_cast<int>(options.get_int("decimals"))) {}

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    struct Commune {
      std::string name, department;
      std::optional<std::int64_t> population;
      std::int64_t initiatives = 0, unclassified = 0;
      std::vector<std::int64_t> by_domain;  // aligned with input.domains()
    };
    const auto& domains = input.domains();  // every domain, those without initiatives too
    std::map<std::string, Commune> communes;
    input.for_each_initiative([&](const baro::sdk::Initiative& item) {
      Commune& c = communes[std::string(item.commune_code())];  // views die with the callback
      if (c.initiatives++ == 0) {
        c.name = item.commune_name();
        c.department = item.department();
        c.population = item.population();
        c.by_domain.assign(domains.size(), 0);
      }
      if (const auto* domain = input.domain(item.primary_domain())) ++c.by_domain[domain->position];
      else ++c.unclassified;
    });

    // The header is the first line (R takes the first line for the names); the fields are
    // quoted where needed and the numbers written in the C locale by baro::sdk::Row.
    baro::sdk::Row row(baro::sdk::kTsv);
    row.text("commune").text("name").text("department").text("population").text("initiatives");
    for (const auto& d : domains) row.text(d.id);
    output.write(row.text("unclassified").line());
    for (const auto& [code, c] : communes) {
      row.text(code).text(c.name).text(c.department).number(c.population).number(c.initiatives);
      const auto n = static_cast<double>(c.initiatives);
      for (const std::int64_t k : c.by_domain) row.number(static_cast<double>(k) / n, decimals_);
      output.write(row.number(static_cast<double>(c.unclassified) / n, decimals_).line());
    }
  }

 private:
  int decimals_;
};

}  // namespace

BARO_EXPORTER(Communes, "communes", "1.0.0", "one row per commune: each domain's share of its initiatives (TSV)",
              kOptions)
