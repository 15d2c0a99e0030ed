// `text`: the barometer's figures as aligned terminal tables; what `baro report` prints by
// default.
#include <baro/sdk.hpp>

#include <iomanip>

#include "baro_format.hpp"

namespace {

using baro::plugins::group_thousands;
using baro::plugins::pad_right;
using baro::plugins::percent;
using nlohmann::json;

class TextExporter final : public baro::sdk::Exporter {
 public:
  TextExporter(const baro::sdk::Options&, const baro::sdk::Host&) {}

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    const json report = input.report();
    const json& run = report.at("run");
    std::ostream& out = output.stream();
    out << "Baromètre des services numériques locaux\n"
        << "run " << run.at("id").get<std::int64_t>() << " — rules " << run.at("ruleset").at("id").get<std::string>()
        << ' ' << run.at("ruleset").at("version").get<std::string>() << " ("
        << run.at("ruleset").at("hash").get<std::string>().substr(0, 12) << "), "
        << run.at("created_at").get<std::string>() << "\n\n"
        << "initiatives  " << group_thousands(report.at("initiatives").get<std::int64_t>()) << '\n'
        << "communes     " << group_thousands(report.at("communes").get<std::int64_t>()) << "\n\n";
    std::size_t width = 7;
    for (const auto& d : report.at("domains")) {
      width = std::max(width, baro::plugins::display_width(d.at("label").get<std::string>()));
    }
    // The numeric columns are ASCII, so setw's byte count is their width; labels are padded
    // by characters.
    out << pad_right("domaine", width + 2) << std::right << std::setw(8) << "nombre" << std::setw(10) << "part"
        << std::setw(14) << "toutes étiq." << '\n';
    for (const auto& d : report.at("domains")) {
      const bool unclassified = d.at("domain").is_null();
      out << pad_right(d.at("label").get<std::string>(), width + 2) << std::setw(8)
          << group_thousands(d.at("primary_count").get<std::int64_t>()) << std::setw(10)
          << percent(d.at("primary_share").get<double>()) << std::setw(12)
          << (unclassified ? std::string() : percent(d.at("touching_share").get<double>())) << '\n';
    }
  }
};

}  // namespace

BARO_EXPORTER(TextExporter, "text", "1.0.0", "the barometer's figures as aligned text tables (baro report's default)")
