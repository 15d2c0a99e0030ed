// An example partner exporter: initiatives per department, with the department's most
// frequent primary domain, as tab-separated values that R's read.delim, Python's csv and
// spreadsheets (French Excel included: integers and ASCII codes only) open as they are.
//
//   baro export --to departements [--min-initiatives N] [--out FILE]
#include <baro/sdk.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace {

// The option table: `baro plugins describe departements` prints it, and baro refuses any
// option that is not in it before the exporter is even created.
constexpr baro::sdk::Option kOptions[] = {
    {"min-initiatives", baro::sdk::OptionType::kInt, "1", "leave out departments with fewer initiatives", {}, "1"},
};

class Departements final : public baro::sdk::Exporter {
 public:
  Departements(const baro::sdk::Options& options, const baro::sdk::Host&)
      : min_initiatives_(options.get_int("min-initiatives")) {}  // the host checked it is >= 1

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    struct Department {
      std::int64_t initiatives = 0;
      std::map<std::string, std::int64_t> by_domain;
    };
    std::map<std::string, Department> departments;
    // Views (string_view) are only valid during the callback: copy what is kept.
    input.for_each_initiative([&](const baro::sdk::Initiative& item) {
      auto& d = departments[std::string(item.department())];
      ++d.initiatives;
      if (!item.primary_domain().empty()) ++d.by_domain[std::string(item.primary_domain())];
    });

    // The header first, alone: R's read.delim, Python's csv and spreadsheets take the first
    // line for the column names. Which run this is belongs in the file's name or beside it.
    baro::sdk::Row row(baro::sdk::kTsv);
    output.write(row.text("department").text("initiatives").text("top_domain").text("top_domain_initiatives").line());
    for (const auto& [code, d] : departments) {
      if (d.initiatives < min_initiatives_) continue;
      std::optional<std::string_view> top;  // none when no initiative of it was classified: NA
      std::int64_t top_count = 0;
      for (const auto& [domain, n] : d.by_domain) {
        if (n > top_count) {
          top = domain;
          top_count = n;
        }
      }
      row.text(code).number(d.initiatives);
      if (top) row.text(*top);
      else row.missing();
      output.write(row.number(top_count).line());
    }
  }

 private:
  std::int64_t min_initiatives_;
};

}  // namespace

// The one exported symbol: name, version (change it whenever the output changes), a
// description for `baro plugins list`, and the option table.
BARO_EXPORTER(Departements, "departements", "1.0.0", "initiatives per department, with its most frequent domain",
              kOptions)
