// `markdown`: the report as Markdown tables, to paste into a wiki, a pull request or a
// newsletter draft.
#include <baro/sdk.hpp>

#include "baro_format.hpp"
#include "report_json.hpp"
#include "report_wording.hpp"

namespace {

using baro::plugins::decimal;
using baro::plugins::field;
using baro::plugins::group_thousands;
using baro::plugins::integer;
using baro::plugins::number;
using baro::plugins::string;
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

void group_table(std::ostream& out, const std::string& first, const std::vector<const json*>& groups) {
  out << "| " << first << " | communes | initiatives | par commune | pour 10 000 hab. |\n|---|---:|---:|---:|---:|\n";
  for (const json* g : groups) {
    out << "| " << cell(string(field(*g, "label"))) << " | " << group_thousands(integer(field(*g, "communes"))) << " | "
        << group_thousands(integer(field(*g, "initiatives"))) << " | "
        << decimal(number(field(*g, "initiatives_per_commune")), 1) << " | "
        << decimal(number(field(*g, "initiatives_per_10k_inhabitants")), 1) << " |\n";
  }
}

// The sections after the domain table; each is skipped when the document lacks it.
void write_statistics(std::ostream& out, const json& report) {
  const json& findings = field(report, "findings");
  if (findings.is_array() && !findings.empty()) {
    out << "\n## L'essentiel\n\n";
    for (const auto& f : findings) out << "- " << cell(string(field(f, "text"))) << '\n';
  }
  const json& coverage = field(report, "coverage");
  if (coverage.is_object() && integer(field(coverage, "communes")) > 0) {
    const json& per = field(coverage, "initiatives_per_commune");
    out << "\n## Communes présentes\n\n"
        << "Seules les communes ayant déclaré au moins une initiative sont comptées : "
        << group_thousands(integer(field(coverage, "communes"))) << " sur "
        << group_thousands(integer(field(coverage, "reference_communes"))) << " communes du référentiel.\n\n"
        << "| initiatives par commune | |\n|---|---:|\n"
        << "| moyenne | " << decimal(number(field(per, "mean")), 1) << " |\n"
        << "| médiane | " << decimal(number(field(per, "median")), 1) << " |\n"
        << "| quartiles | " << decimal(number(field(per, "q1")), 1) << " – " << decimal(number(field(per, "q3")), 1) << " |\n"
        << "| maximum | " << group_thousands(integer(field(per, "max")));
    if (field(coverage, "max_commune").is_object()) out << " (" << cell(string(field(field(coverage, "max_commune"), "name"))) << ")";
    out << " |\n";
  }
  const json& size = field(report, "size_effect");
  if (size.is_object()) {
    out << "\n## Taille et nombre de services\n\n"
        << "n = " << group_thousands(integer(field(size, "communes"))) << " communes de population connue.\n\n"
        << "| mesure | valeur | IC 95 % | p |\n|---|---:|---:|---:|\n";
    const auto interval = [](const json& ci) {
      if (!ci.is_array() || ci.size() != 2) return std::string("—");
      return decimal(number(ci[0]), 3) + " – " + decimal(number(ci[1]), 3);
    };
    const auto row = [&](const char* name, const json& value, const json& ci, const json& p) {
      out << "| " << name << " | " << decimal(number(value), 3) << " | " << interval(ci) << " | "
          << (number(p) ? baro::plugins::p_number(*number(p)) : std::string("—")) << " |\n";
    };
    for (const auto& [key, name] : {std::pair<const char*, const char*>{"spearman", "ρ de Spearman"},
                                    {"pearson_log", "r de Pearson (log)"},
                                    {"pearson_raw", "r de Pearson (brut)"}}) {
      const json& c = field(size, key);
      row(name, field(c, "coefficient"), field(c, "ci95"), field(c, "p_value"));
    }
    const json& fit = field(size, "loglog_fit");
    row("élasticité (log-log)", field(fit, "elasticity"), field(fit, "elasticity_ci95"), field(fit, "elasticity_p_value"));
    row("R² (log-log)", field(fit, "r_squared"), json(), json());
  }
  const json& rural = field(report, "rural");
  if (rural.is_object()) {
    const json& def = field(rural, "definition");
    out << "\n## Rural et urbain\n\nRurale : moins de " << group_thousands(integer(field(def, "threshold"))) << " habitants";
    if (field(def, "population_vintage").is_string()) out << " (population " << string(field(def, "population_vintage")) << ")";
    out << ", sauf attribut « rural » importé.\n\n";
    group_table(out, "", {&field(rural, "rural"), &field(rural, "urban")});
    if (const auto gap = baro::plugins::rural_gap_phrase(rural)) out << "\nÀ population égale : " << *gap << ".\n";
    out << '\n' << baro::plugins::kPerCapitaCaveat << '\n';
  }
  out << "\n## Qualité du classement\n\n" << cell(baro::plugins::quality_sentence(report)) << '\n';
  if (field(field(report, "quality"), "validation").is_object()) {
    out << "\n| domaine | part | part corrigée (IC 95 %) |\n|---|---:|---:|\n";
    for (const auto& d : report.at("domains")) {
      out << "| " << cell(string(field(d, "label"))) << " | " << percent(number(field(d, "primary_share")).value_or(0))
          << " | " << baro::plugins::corrected_share_text(d, " ") << " |\n";
    }
  }
  const json& bands = field(field(report, "breakdowns"), "population_bands");
  if (bands.is_array() && !bands.empty()) {
    std::vector<const json*> rows;
    for (const auto& b : bands) rows.push_back(&b);
    out << "\n## Par taille de commune\n\n";
    group_table(out, "population", rows);
  }
}

class MarkdownExporter final : public baro::sdk::Exporter {
 public:
  MarkdownExporter(const baro::sdk::Options&, const baro::sdk::Host&) {}

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    const json report = input.report();
    const json& run = report.at("run");
    std::ostream& out = output.stream();
    out << "# Baromètre des services numériques locaux\n\n"
        << baro::plugins::run_header(run, "Classification", "`") << ".\n\n"
        << "Périmètre : " << baro::plugins::scope_phrase(baro::plugins::field(report, "filters")) << ".\n\n"
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
    write_statistics(out, report);
  }
};

}  // namespace

BARO_EXPORTER(MarkdownExporter, "markdown", "2.0.0", "the barometer's figures as Markdown tables")
