// `markdown`: the report as Markdown tables, to paste into a wiki, a pull request or a
// newsletter draft.
#include <baro/sdk.hpp>

#include "baro_format.hpp"

namespace {

using baro::plugins::group_thousands;
using baro::plugins::percent;
using nlohmann::json;

// Table cells: a pipe would end the cell, a newline the table.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

class MarkdownExporter final : public baro::sdk::Exporter {
 public:
  MarkdownExporter(const baro::sdk::Options&, const baro::sdk::Host&) {}

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    const json report = input.report();
    const json& run = report.at("run");
    std::ostream& out = output.stream();
    out << "# Baromètre des services numériques locaux\n\n"
        << "Run " << run.at("id").get<std::int64_t>() << " — rules `" << run.at("ruleset").at("id").get<std::string>()
        << "` " << run.at("ruleset").at("version").get<std::string>() << " (`"
        << run.at("ruleset").at("hash").get<std::string>().substr(0, 12) << "`), "
        << run.at("created_at").get<std::string>() << ".\n\n"
        << "| | |\n|---|---:|\n"
        << "| initiatives | " << group_thousands(report.at("initiatives").get<std::int64_t>()) << " |\n"
        << "| communes | " << group_thousands(report.at("communes").get<std::int64_t>()) << " |\n\n"
        << "## Domaines\n\n"
        << "| domaine | nombre | part | toutes étiquettes |\n|---|---:|---:|---:|\n";
    for (const auto& d : report.at("domains")) {
      const bool unclassified = d.at("domain").is_null();
      out << "| " << cell(d.at("label").get<std::string>()) << " | "
          << group_thousands(d.at("primary_count").get<std::int64_t>()) << " | "
          << percent(d.at("primary_share").get<double>()) << " | "
          << (unclassified ? std::string() : percent(d.at("touching_share").get<double>())) << " |\n";
    }
  }
};

}  // namespace

BARO_EXPORTER(MarkdownExporter, "markdown", "1.0.0", "the barometer's figures as Markdown tables")
