// `text`: the barometer's figures as aligned terminal tables; what `baro report` prints by
// default.
#include <baro/sdk.hpp>

#include <iomanip>

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
using baro::plugins::pad_right;
using baro::plugins::percent;
using nlohmann::json;

// Groups (rural/urban, population bands) as one aligned table.
void print_groups(std::ostream& out, const std::string& title, const std::vector<const json*>& groups) {
  std::size_t width = baro::plugins::display_width(title);
  for (const json* g : groups) width = std::max(width, baro::plugins::display_width(string(field(*g, "label"))));
  out << pad_right(title, width + 2) << std::right << std::setw(10) << "communes" << std::setw(13) << "initiatives"
      << std::setw(14) << "par commune" << std::setw(16) << "pour 10 000 h." << '\n';
  for (const json* g : groups) {
    out << pad_right(string(field(*g, "label")), width + 2) << std::setw(10)
        << group_thousands(integer(field(*g, "communes"))) << std::setw(13)
        << group_thousands(integer(field(*g, "initiatives"))) << std::setw(14)
        << decimal(number(field(*g, "initiatives_per_commune")), 1) << std::setw(16)
        << decimal(number(field(*g, "initiatives_per_10k_inhabitants")), 1) << '\n';
  }
}

// « Qualité du classement »: the measured accuracy and, with a coded sample, each domain's
// raw and corrected shares side by side.
void print_quality(std::ostream& out, const json& report) {
  out << "\nQualité du classement\n" << baro::plugins::quality_sentence(report) << '\n';
  if (!field(field(report, "quality"), "validation").is_object()) return;
  std::size_t width = 7;
  for (const auto& d : report.at("domains")) width = std::max(width, baro::plugins::display_width(string(field(d, "label"))));
  out << pad_right("domaine", width + 2) << std::right << std::setw(10) << "part" << "   part corrigée (IC 95 %)\n";
  for (const auto& d : report.at("domains")) {
    out << pad_right(string(field(d, "label")), width + 2) << std::setw(10)
        << percent(number(field(d, "primary_share")).value_or(0)) << "   "
        << baro::plugins::corrected_share_text(d, " ") << '\n';
  }
}

// The sections after the domain table: coverage, size effect, rural effect, population
// bands and the findings. Each is skipped when the document lacks it.
void print_statistics(std::ostream& out, const json& report) {
  const json& coverage = field(report, "coverage");
  if (!coverage.is_object() || integer(field(coverage, "communes")) == 0) return;
  const json& per = field(coverage, "initiatives_per_commune");
  out << "\nCommunes présentes dans les données (au moins une initiative) : "
      << group_thousands(integer(field(coverage, "communes"))) << " sur "
      << group_thousands(integer(field(coverage, "reference_communes"))) << " communes du référentiel\n"
      << "initiatives par commune  moyenne " << decimal(number(field(per, "mean")), 1) << ", médiane "
      << decimal(number(field(per, "median")), 1) << ", quartiles " << decimal(number(field(per, "q1")), 1) << "–"
      << decimal(number(field(per, "q3")), 1) << ", max " << group_thousands(integer(field(per, "max")));
  if (field(coverage, "max_commune").is_object()) out << " (" << string(field(field(coverage, "max_commune"), "name")) << ")";
  out << '\n';

  const json& size = field(report, "size_effect");
  if (size.is_object()) {
    out << "\nTaille et nombre de services (n = " << group_thousands(integer(field(size, "communes")))
        << " communes de population connue)\n";
    const auto correlation = [&](const char* name, const json& c) {
      out << "  " << pad_right(name, 26);
      if (!c.is_object()) {
        out << "—\n";
        return;
      }
      out << decimal(number(field(c, "coefficient")), 3) << "  (" << baro::plugins::p_value(number(field(c, "p_value")).value_or(1));
      const json& ci = field(c, "ci95");
      if (ci.is_array() && ci.size() == 2) out << ", IC 95 % " << decimal(number(ci[0]), 3) << "–" << decimal(number(ci[1]), 3);
      out << ")\n";
    };
    correlation("ρ de Spearman", field(size, "spearman"));
    correlation("r de Pearson (log)", field(size, "pearson_log"));
    correlation("r de Pearson (brut)", field(size, "pearson_raw"));
    const json& fit = field(size, "loglog_fit");
    if (fit.is_object()) {
      const json& ci = field(fit, "elasticity_ci95");
      out << "  " << pad_right("élasticité (log-log)", 26) << decimal(number(field(fit, "elasticity")), 3) << "  (IC 95 % "
          << decimal(number(ci.is_array() && ci.size() == 2 ? ci[0] : json()), 3) << "–"
          << decimal(number(ci.is_array() && ci.size() == 2 ? ci[1] : json()), 3)
          << ", R² = " << decimal(number(field(fit, "r_squared")), 3) << ")\n";
    }
  }

  const json& rural = field(report, "rural");
  if (rural.is_object()) {
    const json& def = field(rural, "definition");
    out << "\nRural et urbain (rural : population < " << group_thousands(integer(field(def, "threshold")));
    if (field(def, "population_vintage").is_string()) out << ", population " << string(field(def, "population_vintage"));
    out << ", sauf attribut « rural » importé)\n";
    print_groups(out, "", {&field(rural, "rural"), &field(rural, "urban")});
    if (const auto gap = baro::plugins::rural_gap_phrase(rural)) out << "à population égale : " << *gap << '\n';
    out << baro::plugins::kPerCapitaCaveat << '\n';
  }

  const json& bands = field(field(report, "breakdowns"), "population_bands");
  if (bands.is_array() && !bands.empty()) {
    std::vector<const json*> rows;
    for (const auto& b : bands) rows.push_back(&b);
    out << '\n';
    print_groups(out, "Population", rows);
  }
  print_quality(out, report);
  const json& findings = field(report, "findings");
  if (findings.is_array() && !findings.empty()) {
    out << "\nL'essentiel\n";
    for (const auto& f : findings) out << "- " << string(field(f, "text")) << '\n';
  }
}

class TextExporter final : public baro::sdk::Exporter {
 public:
  TextExporter(const baro::sdk::Options&, const baro::sdk::Host&) {}

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    const json report = input.report();
    const json& run = report.at("run");
    std::ostream& out = output.stream();
    out << "Baromètre des services numériques locaux\n"
        << baro::plugins::run_header(run, "Classification", "") << '\n'
        << "Périmètre : " << baro::plugins::scope_phrase(baro::plugins::field(report, "filters")) << "\n\n"
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
    print_statistics(out, report);
  }
};

}  // namespace

BARO_EXPORTER(TextExporter, "text", "2.0.0", "the barometer's figures as aligned text tables (baro report's default)")
