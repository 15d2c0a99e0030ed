#include "html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "french_number.hpp"
#include "report_json.hpp"
#include "report_wording.hpp"

namespace baro::html {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------------------
// Reading the document. A report may lack a figure (too few communes for a statistic, or an
// document without the section): accessors return null/empty then.

const json& at(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::optional<double> number(const json& j) {
  if (j.is_number()) return j.get<double>();
  return std::nullopt;
}

std::int64_t integer(const json& j) { return j.is_number() ? j.get<std::int64_t>() : 0; }

std::string text(const json& j) { return j.is_string() ? j.get<std::string>() : std::string(); }

// ---------------------------------------------------------------------------------------
// French numbers (french_number.hpp, shared with the engine's findings), and a dash for a
// figure the report lacks.

using baro::plugins::fr_decimal;
using baro::plugins::fr_integer;
using baro::plugins::fr_p;
using baro::plugins::fr_p_value;
using baro::plugins::fr_percent;
using baro::plugins::count_noun;

constexpr const char* kDash = "—";

std::string fr_decimal(const std::optional<double>& x, int decimals) { return x ? fr_decimal(*x, decimals) : kDash; }

// A number as an SVG coordinate: '.' decimal point, two decimals are plenty.
std::string coord(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", x);
  return buffer;
}

// The exact JSON text of a figure, for data-value attributes that tests and scrapers read.
std::string raw(const json& j) { return escape(j.is_null() ? "" : j.dump()); }

// The figure's number, readable, and its exact value in data attributes.
std::string figure(const std::string& key, const json& value, const std::string& shown) {
  return "<span class=\"num\" data-figure=\"" + escape(key) + "\" data-value=\"" + raw(value) + "\">" + escape(shown) +
         "</span>";
}

// Log-scale axes: bounds and ticks on the 1-2-5 sequence.
bool is_power_of_ten(double v) { return std::fabs(std::log10(v) - std::round(std::log10(v))) < 1e-9; }

double nice_floor(double v) {
  const double decade = std::pow(10.0, std::floor(std::log10(v) + 1e-12));
  for (const double m : {5.0, 2.0, 1.0})
    if (m * decade <= v * (1 + 1e-12)) return m * decade;
  return decade;
}

double nice_ceil(double v) {
  const double decade = std::pow(10.0, std::floor(std::log10(v) + 1e-12));
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (m * decade >= v * (1 - 1e-12)) return m * decade;
  return 10 * decade;
}

// The 1-2-5 values from lo to hi (both on the sequence); powers of ten only unless `dense`.
std::vector<double> log_ticks(double lo, double hi, bool dense) {
  std::vector<double> ticks;
  for (double decade = std::pow(10.0, std::floor(std::log10(lo) + 1e-12)); decade <= hi * (1 + 1e-9); decade *= 10) {
    for (const double m : {1.0, 2.0, 5.0}) {
      const double v = m * decade;
      if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
      if (dense || m == 1.0) ticks.push_back(v);
    }
  }
  return ticks;
}

// ---------------------------------------------------------------------------------------
// Domains: labels and colours. The nine barometer domains have fixed colours; a partner's
// rule set with other ids gets the palette in order.

struct Domain {
  std::string id;  // "" for the unclassified row
  std::string label;
  std::string colour;
};

const char* known_colour(const std::string& id) {
  static const std::pair<const char*, const char*> kColours[] = {
      {"acces", "#2563eb"},     {"communication", "#f59e0b"}, {"culture", "#7c3aed"},
      {"education", "#059669"}, {"demarches", "#dc2626"},     {"democratie", "#0891b2"},
      {"vie_quotidienne", "#65a30d"}, {"economie", "#a16207"}, {"solidarite", "#db2777"},
  };
  for (const auto& [domain, colour] : kColours)
    if (id == domain) return colour;
  return nullptr;
}

std::vector<Domain> read_domains(const json& report) {
  static const char* kPalette[] = {"#1e3a8a", "#b45309", "#4c1d95", "#065f46", "#991b1b", "#155e75", "#3f6212"};
  std::vector<Domain> out;
  std::size_t spare = 0;
  for (const auto& d : at(report, "domains")) {
    Domain domain;
    domain.id = text(at(d, "domain"));
    domain.label = text(at(d, "label"));
    if (domain.id.empty()) domain.colour = "#9ca3af";
    else if (const char* colour = known_colour(domain.id)) domain.colour = colour;
    else domain.colour = kPalette[spare++ % std::size(kPalette)];
    out.push_back(std::move(domain));
  }
  return out;
}

constexpr const char* kRuralColour = "#c2410c";
constexpr const char* kUrbanColour = "#1d4ed8";

// ---------------------------------------------------------------------------------------
// The page's pieces.

class Page {
 public:
  explicit Page(const json& report) : report_(report), domains_(read_domains(report)) {}

  std::string render() {
    head();
    out_ += "<body>\n<main>\n";
    header();
    key_figures();
    findings();
    domain_section();
    quality_section();
    size_section();
    rural_section();
    band_section();
    area_section("regions", "Par région", "Région");
    area_section("departments", "Par département", "Département");
    method_section();
    out_ += "</main>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  void head() {
    out_ +=
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"baro " + escape(text(at(report_, "engine_version"))) + "\">\n"
        "<title>Baromètre des services numériques locaux</title>\n<style>\n";
    out_ += R"css(:root { --ink: #1f2937; --muted: #4b5563; --line: #d1d5db; --soft: #f3f4f6; --accent: #1d4ed8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p { margin: .4rem 0 .8rem; }
.eyebrow { text-transform: uppercase; letter-spacing: .06em; font-size: .8rem; color: var(--accent); font-weight: 600; margin: 0; }
.meta { color: var(--muted); font-size: .9rem; margin: .2rem 0 0; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .6rem; margin: 1.2rem 0 0; padding: 0; list-style: none; }
.kpi { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 4px; padding: .55rem .7rem; background: #fff; }
.kpi .num { display: block; font-size: 1.55rem; font-weight: 700; line-height: 1.2; }
.kpi .label { display: block; font-size: .82rem; color: var(--muted); }
.findings { padding-left: 1.2rem; margin: .4rem 0; }
.findings li { margin: .35rem 0; }
figure { margin: 1rem 0 1.2rem; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .3rem; }
svg.chart { display: block; width: 100%; height: auto; max-width: 100%; }
svg text { font-family: inherit; fill: var(--ink); }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .6rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
thead th { border-bottom: 2px solid var(--ink); text-align: left; font-size: .85rem; }
tbody th { text-align: left; font-weight: 500; }
caption { caption-side: top; }
td.n, th.n { text-align: right; white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--soft); }
.mix { display: block; width: 8rem; height: .8rem; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; padding: 0; margin: .4rem 0; list-style: none; font-size: .85rem; }
.legend li { display: flex; align-items: center; gap: .35rem; }
.swatch { display: inline-block; width: .85rem; height: .85rem; border-radius: 2px; flex: none; }
.note { font-size: .88rem; color: var(--muted); }
.small-sample { font-size: .8rem; color: #b45309; font-weight: 400; }
.method { font-size: .9rem; }
.method dt { font-weight: 600; margin-top: .5rem; }
.method dd { margin: 0 0 .3rem; }
footer { margin-top: 2rem; font-size: .8rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: .6rem; }
@media (max-width: 40rem) {
  main { padding: 1rem .75rem 2rem; }
  h1 { font-size: 1.5rem; }
  .kpi .num { font-size: 1.3rem; }
  table { font-size: .85rem; }
  th, td { padding: .3rem .35rem; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.4rem; }
  figure, .kpis, tr { break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
)css";
    out_ += "</style>\n</head>\n";
  }

  void header() {
    const json& run = at(report_, "run");
    const json& ruleset = at(run, "ruleset");
    const std::string created = text(at(run, "created_at"));
    std::string date = created;
    if (created.size() >= 10) date = created.substr(8, 2) + "/" + created.substr(5, 2) + "/" + created.substr(0, 4);
    out_ += "<header>\n<p class=\"eyebrow\">Baromètre des services numériques locaux</p>\n"
            "<h1>Les services numériques des communes</h1>\n<p class=\"meta\">Classification n<sup>o</sup>\u00A0" +
            escape(std::to_string(integer(at(run, "id")))) + " du " + escape(date) + " · règles " +
            escape(text(at(ruleset, "id"))) + " " + escape(text(at(ruleset, "version"))) + "</p>\n";
    const std::string phrase = baro::plugins::scope_phrase(at(report_, "filters"));
    const std::string scope = "Périmètre\u00A0: " + phrase;
    out_ += "<p class=\"meta\">" + escape(scope) + "</p>\n</header>\n";
  }

  void kpi(const std::string& key, const json& value, const std::string& shown, const std::string& label) {
    out_ += "<li class=\"kpi\">" + figure(key, value, shown) + "<span class=\"label\">" + escape(label) + "</span></li>\n";
  }

  void key_figures() {
    out_ += "<ul class=\"kpis\" aria-label=\"Chiffres clés\">\n";
    kpi("initiatives", at(report_, "initiatives"), fr_integer(integer(at(report_, "initiatives"))), "initiatives");
    kpi("communes", at(report_, "communes"), fr_integer(integer(at(report_, "communes"))), "communes présentes");
    const json& size = at(report_, "size_effect");
    const json& rho = at(at(size, "spearman"), "coefficient");
    kpi("spearman", rho, fr_decimal(number(rho), 2), "ρ de Spearman population / initiatives");
    const json& elasticity = at(at(size, "loglog_fit"), "elasticity");
    kpi("elasticity", elasticity, fr_decimal(number(elasticity), 2), "élasticité au nombre d'habitants");
    const json& ratio = at(at(at(report_, "rural"), "count_model"), "rate_ratio");
    kpi("rural_rate_ratio", ratio, fr_decimal(number(ratio), 2),
        "rapport de taux rural / urbain à population égale");
    out_ += "</ul>\n";
  }

  void findings() {
    const json& list = at(report_, "findings");
    if (!list.is_array() || list.empty()) return;
    out_ += "<section id=\"essentiel\">\n<h2>L'essentiel</h2>\n<ul class=\"findings\">\n";
    for (const auto& f : list) {
      out_ += "<li data-finding=\"" + escape(text(at(f, "id"))) + "\">" + escape(text(at(f, "text"))) + "</li>\n";
    }
    out_ += "</ul>\n</section>\n";
  }

  // Opens an inline SVG chart with its accessible name and description.
  void open_chart(const std::string& chart_id, int width, int height, const std::string& title, const std::string& desc) {
    const std::string title_id = chart_id + "-title", desc_id = chart_id + "-desc";
    // Natural size at most (style max-width): text in the chart stays at body size on a wide
    // screen and shrinks with the chart on a phone.
    out_ += "<svg class=\"chart\" id=\"" + escape(chart_id) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
            std::to_string(height) + "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
            "\" style=\"max-width:" + std::to_string(width) + "px\" role=\"img\" aria-labelledby=\"" + title_id + " " + desc_id + "\" aria-label=\"" + escape(title) +
            "\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"" + title_id + "\">" + escape(title) +
            "</title>\n<desc id=\"" + desc_id + "\">" + escape(desc) + "</desc>\n";
  }

  void domain_section() {
    const json& rows = at(report_, "domains");
    if (!rows.is_array() || rows.empty()) return;
    out_ += "<section id=\"domaines\">\n<h2>Domaines des initiatives</h2>\n"
            "<p>Chaque initiative est rattachée à un domaine principal, ce à quoi elle sert d'abord ; "
            "elle peut en toucher d'autres (colonne «\u00A0toutes étiquettes\u00A0»).</p>\n";
    double largest = 0.0;
    for (const auto& r : rows) largest = std::max(largest, number(at(r, "primary_share")).value_or(0.0));
    const int row_height = 38, width = 560, label_gap = 17, bar_max = 440;
    const int height = row_height * static_cast<int>(rows.size()) + 8;
    // The chart reads from the largest share down; the unclassified row stays last.
    std::vector<std::size_t> order(rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (domains_[a].id.empty() != domains_[b].id.empty()) return domains_[b].id.empty();
      return number(at(rows[a], "primary_share")).value_or(0) > number(at(rows[b], "primary_share")).value_or(0);
    });
    std::string desc = "Part des initiatives par domaine principal : ";
    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::size_t i = order[k];
      desc += (k ? " ; " : "") + domains_[i].label + " " + fr_percent(number(at(rows[i], "primary_share")).value_or(0));
    }
    out_ += "<figure>\n";
    open_chart("chart-domains", width, height, "Part des initiatives par domaine principal", desc + ".");
    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::size_t i = order[k];
      const double share = number(at(rows[i], "primary_share")).value_or(0.0);
      const double w = largest > 0 ? share / largest * bar_max : 0.0;
      const int y = static_cast<int>(k) * row_height + 4;
      out_ += "<g class=\"bar\" data-domain=\"" + escape(domains_[i].id) + "\">"
              "<text x=\"0\" y=\"" + std::to_string(y + 13) + "\" font-size=\"15\">" + escape(domains_[i].label) +
              "</text><rect x=\"0\" y=\"" + std::to_string(y + label_gap) + "\" width=\"" + coord(std::max(w, 1.0)) +
              "\" height=\"16\" rx=\"2\" fill=\"" + domains_[i].colour + "\"/><text x=\"" + coord(w + 6) + "\" y=\"" +
              std::to_string(y + label_gap + 13) + "\" font-size=\"13\" font-weight=\"600\">" + escape(fr_percent(share)) +
              "</text></g>\n";
    }
    out_ += "</svg>\n<figcaption>Part des initiatives par domaine principal (total\u00A0: " +
            escape(fr_integer(integer(at(report_, "initiatives")))) + " initiatives).</figcaption>\n</figure>\n";
    out_ += "<div class=\"table-wrap\"><table id=\"table-domains\">\n<thead><tr><th scope=\"col\">Domaine</th>"
            "<th scope=\"col\" class=\"n\">Initiatives</th><th scope=\"col\" class=\"n\">Part</th>"
            "<th scope=\"col\" class=\"n\">Toutes étiquettes</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const json& r = rows[i];
      const std::string key = domains_[i].id.empty() ? "unclassified" : domains_[i].id;
      out_ += "<tr><th scope=\"row\"><span class=\"swatch\" style=\"background:" + domains_[i].colour +
              "\"></span> " + escape(domains_[i].label) + "</th><td class=\"n\">" +
              figure("domain." + key + ".primary_count", at(r, "primary_count"), fr_integer(integer(at(r, "primary_count")))) +
              "</td><td class=\"n\">" +
              figure("domain." + key + ".primary_share", at(r, "primary_share"),
                     fr_percent(number(at(r, "primary_share")).value_or(0))) +
              "</td><td class=\"n\">" +
              (domains_[i].id.empty() ? std::string(kDash) : fr_percent(number(at(r, "touching_share")).value_or(0))) +
              "</td></tr>\n";
    }
    out_ += "</tbody></table></div>\n</section>\n";
  }

  // « Qualité du classement »: the run's accuracy on its coded sample and each domain's share
  // corrected for the measured confusion, beside the raw share; without a sample, that the
  // shares are uncorrected.
  void quality_section() {
    out_ += "<section id=\"qualite\">\n<h2>Qualité du classement</h2>\n<p>" +
            escape(baro::plugins::quality_sentence(report_)) + "</p>\n";
    const json& rows = at(report_, "domains");
    if (!at(at(report_, "quality"), "validation").is_object() || !rows.is_array()) {
      out_ += "</section>\n";
      return;
    }
    out_ += "<div class=\"table-wrap\"><table id=\"table-quality\">\n<thead><tr><th scope=\"col\">Domaine</th>"
            "<th scope=\"col\" class=\"n\">Part</th><th scope=\"col\" class=\"n\">Part corrigée</th>"
            "<th scope=\"col\" class=\"n\">IC 95\u00A0%</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < rows.size() && i < domains_.size(); ++i) {
      const json& r = rows[i];
      const std::string key = domains_[i].id.empty() ? "unclassified" : domains_[i].id;
      const json& ci = at(r, "corrected_share_ci95");
      const bool has_ci = ci.is_array() && ci.size() == 2 && number(ci[0]) && number(ci[1]);
      const auto corrected = number(at(r, "corrected_share"));
      out_ += "<tr><th scope=\"row\">" + escape(domains_[i].label) + "</th><td class=\"n\">" +
              escape(fr_percent(number(at(r, "primary_share")).value_or(0))) + "</td><td class=\"n\">" +
              figure("domain." + key + ".corrected_share", at(r, "corrected_share"),
                     corrected ? fr_percent(*corrected) : std::string(kDash)) +
              "</td><td class=\"n\">" +
              escape(has_ci ? fr_decimal(*number(ci[0]) * 100.0, 1) + " à " + fr_percent(*number(ci[1])) : std::string(kDash)) +
              "</td></tr>\n";
    }
    out_ += "</tbody></table></div>\n</section>\n";
  }

  void size_section() {
    const json& size = at(report_, "size_effect");
    const json& fit = at(size, "loglog_fit");
    out_ += "<section id=\"taille\">\n<h2>Taille des communes et nombre de services</h2>\n";
    const json& coverage = at(report_, "coverage");
    const json& per = at(coverage, "initiatives_per_commune");
    const json& top = at(coverage, "max_commune");
    out_ += "<p>Les " + figure("coverage.communes", at(coverage, "communes"), fr_integer(integer(at(coverage, "communes")))) +
            " communes présentes dans les données (sur " + escape(fr_integer(integer(at(coverage, "reference_communes")))) +
            " communes du référentiel) déclarent en moyenne " +
            figure("coverage.mean", at(per, "mean"), fr_decimal(number(at(per, "mean")), 1)) +
            " initiatives ; la moitié en déclare au plus " +
            figure("coverage.median", at(per, "median"), fr_decimal(number(at(per, "median")), 1)) +
            " (quartiles\u00A0: " + escape(fr_decimal(number(at(per, "q1")), 1)) + " et " +
            escape(fr_decimal(number(at(per, "q3")), 1)) + ")";
    if (top.is_object()) {
      out_ += " ; " + escape(text(at(top, "name"))) + " en déclare le plus (" +
              figure("coverage.max", at(top, "initiatives"), fr_integer(integer(at(top, "initiatives")))) + ")";
    }
    out_ += ".</p>\n";
    scatter();
    out_ += "<div class=\"table-wrap\"><table id=\"table-size\">\n<caption>Population et nombre d'initiatives (n = " +
            figure("size.communes", at(size, "communes"), fr_integer(integer(at(size, "communes")))) +
            " communes)</caption>\n<thead><tr><th scope=\"col\">Mesure</th><th scope=\"col\" class=\"n\">Valeur</th>"
            "<th scope=\"col\" class=\"n\">IC 95\u00A0%</th><th scope=\"col\" class=\"n\">Valeur p</th></tr></thead>\n<tbody>\n";
    const auto interval = [](const json& ci) {
      if (!ci.is_array() || ci.size() != 2) return std::string(kDash);
      return fr_decimal(number(ci[0]), 2) + " à " + fr_decimal(number(ci[1]), 2);
    };
    const auto row = [&](const std::string& label, const std::string& value_html, const std::string& ci, const json& p) {
      out_ += "<tr><th scope=\"row\">" + escape(label) + "</th><td class=\"n\">" + value_html + "</td><td class=\"n\">" +
              escape(ci) + "</td><td class=\"n\">" +
              escape(number(p) ? fr_p(*number(p)) : std::string(kDash)) + "</td></tr>\n";
    };
    const auto correlation = [&](const char* key, const std::string& label) {
      const json& c = at(size, key);
      row(label, figure(std::string("size.") + key, at(c, "coefficient"), fr_decimal(number(at(c, "coefficient")), 2)),
          interval(at(c, "ci95")), at(c, "p_value"));
    };
    correlation("spearman", "ρ de Spearman (rangs)");
    correlation("pearson_log", "r de Pearson (logarithmes)");
    correlation("pearson_raw", "r de Pearson (valeurs brutes)");
    row("Élasticité (pente log-log)",
        figure("size.elasticity", at(fit, "elasticity"), fr_decimal(number(at(fit, "elasticity")), 2)),
        interval(at(fit, "elasticity_ci95")), at(fit, "elasticity_p_value"));
    row("R² de l'ajustement log-log",
        figure("size.r_squared", at(fit, "r_squared"), fr_decimal(number(at(fit, "r_squared")), 2)), kDash, json());
    out_ += "</tbody></table></div>\n";
    if (integer(at(size, "communes_without_population")) > 0) {
      const std::int64_t missing = integer(at(size, "communes_without_population"));
      out_ += "<p class=\"note\">" + escape(count_noun(missing, "commune")) + " sans population connue " +
              (missing > 1 ? "ne figurent" : "ne figure") + " ni dans le nuage ni dans l'ajustement.</p>\n";
    }
    out_ += "</section>\n";
  }

  void scatter() {
    struct Point {
      double population, initiatives;
      std::string name, colour, status;
    };
    std::vector<Point> points;
    for (const auto& p : at(report_, "commune_points")) {
      const auto population = number(at(p, "population"));
      const auto initiatives = number(at(p, "initiatives"));
      if (!population || *population <= 0 || !initiatives || *initiatives <= 0) continue;
      const json& rural = at(p, "rural");
      std::string colour = "#6b7280", status = "statut inconnu";
      if (rural.is_boolean()) {
        colour = rural.get<bool>() ? kRuralColour : kUrbanColour;
        status = rural.get<bool>() ? "rurale" : "urbaine";
      }
      points.push_back({*population, *initiatives, text(at(p, "name")), colour, status});
    }
    if (points.size() < 2) {
      out_ += "<p class=\"note\">Trop peu de communes pour tracer le nuage de points.</p>\n";
      return;
    }
    double min_pop = points[0].population, max_pop = min_pop, max_n = 1;
    for (const auto& p : points) {
      min_pop = std::min(min_pop, p.population);
      max_pop = std::max(max_pop, p.population);
      max_n = std::max(max_n, p.initiatives);
    }
    const double x_min = nice_floor(min_pop);
    double x_max = nice_ceil(max_pop);
    if (x_max <= x_min) x_max = x_min * 10;
    // Below 1, so that communes with one initiative (most rural ones) sit above the axis
    // instead of on it.
    const double y_min = 0.5;
    double y_max = nice_ceil(max_n);
    if (y_max <= y_min) y_max = 10;
    const double x_lo = std::log10(x_min), x_hi = std::log10(x_max), y_lo = std::log10(y_min), y_hi = std::log10(y_max);
    const int width = 640, height = 446;
    const double left = 64, right = 606, top = 14, bottom = 360;
    const auto px = [&](double population) { return left + (std::log10(population) - x_lo) / (x_hi - x_lo) * (right - left); };
    const auto py = [&](double n) { return bottom - (std::log10(n) - y_lo) / (y_hi - y_lo) * (bottom - top); };

    const json& fit = at(at(report_, "size_effect"), "loglog_fit");
    std::string desc = "Nuage de " + fr_integer(static_cast<std::int64_t>(points.size())) +
                       " communes : population en abscisse, nombre d'initiatives en ordonnée, échelles logarithmiques ; "
                       "communes rurales en orange, urbaines en bleu.";
    if (fit.is_object()) {
      desc += " Droite d'ajustement log-log : élasticité " + fr_decimal(number(at(fit, "elasticity")), 2) + ", R² " +
              fr_decimal(number(at(fit, "r_squared")), 2) + ".";
    }
    out_ += "<figure>\n";
    open_chart("chart-scatter", width, height, "Population et nombre d'initiatives par commune", desc);
    out_ += "<defs><clipPath id=\"plot-area\"><rect x=\"" + coord(left) + "\" y=\"" + coord(top) + "\" width=\"" +
            coord(right - left) + "\" height=\"" + coord(bottom - top) + "\"/></clipPath></defs>\n";
    // Grid: a line at each 1-2-5 step, darker at powers of ten.
    out_ += "<g class=\"grid\" stroke=\"#e5e7eb\" stroke-width=\"1\">\n";
    for (const double v : log_ticks(x_min, x_max, true)) {
      out_ += "<line x1=\"" + coord(px(v)) + "\" x2=\"" + coord(px(v)) + "\" y1=\"" + coord(top) + "\" y2=\"" +
              coord(bottom) + "\"" + (is_power_of_ten(v) ? " stroke=\"#cbd5e1\"" : "") + "/>\n";
    }
    for (const double v : log_ticks(y_min, y_max, true)) {
      out_ += "<line x1=\"" + coord(left) + "\" x2=\"" + coord(right) + "\" y1=\"" + coord(py(v)) + "\" y2=\"" +
              coord(py(v)) + "\"" + (is_power_of_ten(v) ? " stroke=\"#cbd5e1\"" : "") + "/>\n";
    }
    out_ += "</g>\n<g class=\"axes\" font-size=\"13\">\n";
    // Labels at every step over two decades or less, else at powers of ten only.
    for (const double v : log_ticks(x_min, x_max, x_hi - x_lo <= 2.01)) {
      out_ += "<text x=\"" + coord(px(v)) + "\" y=\"" + coord(bottom + 20) + "\" text-anchor=\"middle\">" +
              escape(fr_integer(std::llround(v))) + "</text>\n";
    }
    for (const double v : log_ticks(y_min, y_max, y_hi - y_lo <= 2.01)) {
      if (v < 1) continue;  // counts are whole: no label below 1
      out_ += "<text x=\"" + coord(left - 8) + "\" y=\"" + coord(py(v) + 4) + "\" text-anchor=\"end\">" +
              escape(fr_integer(std::llround(v))) + "</text>\n";
    }
    out_ += "<text x=\"" + coord((left + right) / 2) + "\" y=\"" + coord(bottom + 44) +
            "\" text-anchor=\"middle\">Population (échelle logarithmique)</text>\n"
            "<text transform=\"translate(16 " + coord((top + bottom) / 2) +
            ") rotate(-90)\" text-anchor=\"middle\">Initiatives (échelle logarithmique)</text>\n"
            "<line x1=\"" + coord(left) + "\" x2=\"" + coord(right) + "\" y1=\"" + coord(bottom) + "\" y2=\"" +
            coord(bottom) + "\" stroke=\"#374151\"/>\n<line x1=\"" + coord(left) + "\" x2=\"" + coord(left) +
            "\" y1=\"" + coord(top) + "\" y2=\"" + coord(bottom) + "\" stroke=\"#374151\"/>\n</g>\n";
    // Points: a tooltip each, while they stay few enough for the file to remain light.
    const bool tooltips = points.size() <= 2000;
    out_ += "<g class=\"points\" clip-path=\"url(#plot-area)\" fill-opacity=\"0.65\" stroke=\"#fff\" stroke-width=\"0.6\">\n";
    for (const auto& p : points) {
      out_ += "<circle cx=\"" + coord(px(p.population)) + "\" cy=\"" + coord(py(p.initiatives)) + "\" r=\"4\" fill=\"" +
              p.colour + "\"";
      if (tooltips) {
        out_ += "><title>" + escape(p.name + " : " + fr_integer(std::llround(p.population)) + " hab., " +
                                    count_noun(std::llround(p.initiatives), "initiative") + ", " + p.status) +
                "</title></circle>\n";
      } else {
        out_ += "/>\n";
      }
    }
    out_ += "</g>\n";
    if (fit.is_object()) {
      const double a = number(at(fit, "intercept")).value_or(0), b = number(at(fit, "elasticity")).value_or(0);
      const double p0 = x_min, p1 = x_max;
      const auto predicted = [&](double population) { return std::exp(a + b * std::log(population)); };
      out_ += "<line class=\"fit\" clip-path=\"url(#plot-area)\" x1=\"" + coord(px(p0)) + "\" y1=\"" +
              coord(py(predicted(p0))) + "\" x2=\"" + coord(px(p1)) + "\" y2=\"" + coord(py(predicted(p1))) +
              "\" stroke=\"#111827\" stroke-width=\"2\" stroke-dasharray=\"7 4\"/>\n";
    }
    // Legend, below the axis title.
    const double ly = bottom + 76;
    out_ += "<g class=\"legend\" font-size=\"13\">"
            "<circle cx=\"" + coord(left + 6) + "\" cy=\"" + coord(ly - 4) + "\" r=\"5\" fill=\"" + kRuralColour +
            "\"/><text x=\"" + coord(left + 16) + "\" y=\"" + coord(ly) + "\">commune rurale</text>"
            "<circle cx=\"" + coord(left + 146) + "\" cy=\"" + coord(ly - 4) + "\" r=\"5\" fill=\"" + kUrbanColour +
            "\"/><text x=\"" + coord(left + 156) + "\" y=\"" + coord(ly) + "\">commune urbaine</text>";
    if (fit.is_object()) {
      out_ += "<line x1=\"" + coord(left + 296) + "\" x2=\"" + coord(left + 326) + "\" y1=\"" + coord(ly - 4) +
              "\" y2=\"" + coord(ly - 4) + "\" stroke=\"#111827\" stroke-width=\"2\" stroke-dasharray=\"7 4\"/>"
              "<text x=\"" + coord(left + 334) + "\" y=\"" + coord(ly) + "\">ajustement log-log</text>";
    }
    out_ += "</g>\n</svg>\n<figcaption>Chaque point est une commune présente dans les données. La droite en tirets "
            "est l'ajustement par moindres carrés de ln(initiatives) sur ln(population).</figcaption>\n</figure>\n";
  }

  // A 100 % stacked bar of a domain mix, as an inline image for tables.
  std::string mix_bar(const json& mix) {
    std::string label = "Répartition par domaine : ";
    std::string rects;
    double x = 0.0;
    bool first = true;
    for (std::size_t i = 0; i < mix.size() && i < domains_.size(); ++i) {
      const double share = number(at(mix[i], "share")).value_or(0.0);
      if (share <= 0) continue;
      rects += "<rect x=\"" + coord(x) + "\" y=\"0\" width=\"" + coord(share * 100) + "\" height=\"10\" fill=\"" +
               domains_[i].colour + "\"/>";
      x += share * 100;
      label += (first ? "" : ", ") + domains_[i].label + " " + fr_percent(share, 0);
      first = false;
    }
    if (first) label += "aucune initiative";
    return "<svg class=\"mix\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"" +
           escape(label) + "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" + escape(label) + "</title>" +
           "<rect width=\"100\" height=\"10\" fill=\"#f3f4f6\"/>" + rects + "</svg>";
  }

  void domain_legend() {
    out_ += "<ul class=\"legend\" aria-label=\"Légende des domaines\">";
    for (const auto& d : domains_) {
      out_ += "<li><span class=\"swatch\" style=\"background:" + d.colour + "\"></span>" + escape(d.label) + "</li>";
    }
    out_ += "</ul>\n";
  }

  void rural_section() {
    const json& rural = at(report_, "rural");
    if (!rural.is_object()) return;
    const json& def = at(rural, "definition");
    const json& sources = at(def, "communes_by_source");
    out_ += "<section id=\"rural\">\n<h2>Communes rurales et urbaines</h2>\n<p>Une commune est dite rurale lorsqu'elle compte "
            "moins de " + figure("rural.threshold", at(def, "threshold"), fr_integer(integer(at(def, "threshold")))) +
            "\u00A0habitants (seuil historique de l'Insee)";
    if (at(def, "population_vintage").is_string()) {
      out_ += ", population " + escape(text(at(def, "population_vintage")));
    }
    out_ += ", sauf si un attribut «\u00A0rural\u00A0» a été importé avec l'enquête (prioritaire) ou avec le référentiel. "
            "Ici\u00A0: " + escape(count_noun(integer(at(sources, "population")), "commune classée", "communes classées")) +
            " par la population, " +
            escape(fr_integer(integer(at(sources, "initiative")))) + " par l'enquête, " +
            escape(fr_integer(integer(at(sources, "commune")))) + " par le référentiel";
    if (integer(at(sources, "unknown")) > 0) out_ += ", " + escape(fr_integer(integer(at(sources, "unknown")))) + " sans statut";
    out_ += ".</p>\n";
    const json& r = at(rural, "rural");
    const json& u = at(rural, "urban");
    out_ += "<div class=\"table-wrap\"><table id=\"table-rural\">\n<thead><tr><th scope=\"col\"></th>"
            "<th scope=\"col\" class=\"n\">Communes</th><th scope=\"col\" class=\"n\">Initiatives</th>"
            "<th scope=\"col\" class=\"n\">Par commune</th><th scope=\"col\" class=\"n\">Pour 10\u00A0000 hab.</th>"
            "<th scope=\"col\" class=\"n\">Écart moyen au modèle</th><th scope=\"col\">Domaines</th></tr></thead>\n<tbody>\n";
    for (const auto& [group, key] : {std::pair<const json*, const char*>{&r, "rural"}, {&u, "urban"}}) {
      const json& g = *group;
      const std::string k = std::string("rural.") + key;
      out_ += "<tr><th scope=\"row\">" + escape(text(at(g, "label"))) + "</th><td class=\"n\">" +
              figure(k + ".communes", at(g, "communes"), fr_integer(integer(at(g, "communes")))) + "</td><td class=\"n\">" +
              figure(k + ".initiatives", at(g, "initiatives"), fr_integer(integer(at(g, "initiatives")))) +
              "</td><td class=\"n\">" +
              figure(k + ".per_commune", at(g, "initiatives_per_commune"), fr_decimal(number(at(g, "initiatives_per_commune")), 1)) +
              "</td><td class=\"n\">" +
              figure(k + ".per_10k", at(g, "initiatives_per_10k_inhabitants"),
                     fr_decimal(number(at(g, "initiatives_per_10k_inhabitants")), 1)) +
              "</td><td class=\"n\">" + escape(fr_decimal(number(at(g, "mean_residual")), 2)) + "</td><td>" +
              mix_bar(at(g, "domain_mix")) + "</td></tr>\n";
    }
    out_ += "</tbody></table></div>\n";
    rural_chart(r, u);
    const json& model = at(rural, "count_model");
    const auto ratio = number(at(model, "rate_ratio"));
    const auto low = number(at(model, "ci95_low")), high = number(at(model, "ci95_high"));
    const auto p = number(at(model, "p_value"));
    if (ratio && low && high && p) {
      out_ += "<p id=\"rural-gap\">À population égale, le modèle de comptage (régression binomiale négative du nombre "
              "d'initiatives sur le logarithme de la population et le caractère rural) donne un rapport de taux de " +
              figure("rural.rate_ratio", at(model, "rate_ratio"), fr_decimal(*ratio, 2)) + " (IC 95\u00A0% " +
              figure("rural.ci95_low", at(model, "ci95_low"), fr_decimal(*low, 2)) + " à " +
              figure("rural.ci95_high", at(model, "ci95_high"), fr_decimal(*high, 2)) + ", " +
              figure("rural.p_value", at(model, "p_value"), fr_p_value(*p)) + ")\u00A0: ";
      if (*low <= 1.0 && *high >= 1.0) {
        out_ += "aucun écart entre communes rurales et urbaines n'est établi.</p>\n";
      } else {
        out_ += "une commune rurale déclare " + escape(fr_percent(std::fabs(*ratio - 1.0), 0)) +
                (*ratio < 1 ? " d'initiatives en moins" : " d'initiatives en plus") +
                " qu'une commune urbaine de même population.</p>\n";
      }
    } else {
      out_ += "<p class=\"note\">La comparaison à population égale demande des communes rurales et urbaines de "
              "population connue, en nombre suffisant pour ajuster le modèle.</p>\n";
    }
    out_ += "</section>\n";
  }

  // Two grouped bar pairs: initiatives per commune and per 10,000 inhabitants.
  void rural_chart(const json& rural, const json& urban) {
    const auto per_commune_r = number(at(rural, "initiatives_per_commune"));
    const auto per_commune_u = number(at(urban, "initiatives_per_commune"));
    const auto per_10k_r = number(at(rural, "initiatives_per_10k_inhabitants"));
    const auto per_10k_u = number(at(urban, "initiatives_per_10k_inhabitants"));
    if (!per_commune_r || !per_commune_u) return;
    struct Bar {
      std::string label;
      std::optional<double> value;
      const char* colour;
    };
    const struct Group {
      const char* title;
      Bar bars[2];
    } groups[] = {
        {"Initiatives par commune", {{"Rurales", per_commune_r, kRuralColour}, {"Urbaines", per_commune_u, kUrbanColour}}},
        {"Initiatives pour 10 000 habitants", {{"Rurales", per_10k_r, kRuralColour}, {"Urbaines", per_10k_u, kUrbanColour}}},
    };
    const int width = 600, height = 2 * 98;
    std::string desc = "Communes rurales : " + fr_decimal(per_commune_r, 1) + " initiatives par commune, " +
                       fr_decimal(per_10k_r, 1) + " pour 10 000 habitants ; communes urbaines : " +
                       fr_decimal(per_commune_u, 1) + " par commune, " + fr_decimal(per_10k_u, 1) + " pour 10 000 habitants.";
    out_ += "<figure>\n";
    open_chart("chart-rural", width, height, "Communes rurales et urbaines comparées", desc);
    int y = 4;
    for (const auto& g : groups) {
      double largest = 0;
      for (const auto& b : g.bars) largest = std::max(largest, b.value.value_or(0));
      out_ += "<text x=\"0\" y=\"" + std::to_string(y + 14) + "\" font-size=\"14\" font-weight=\"600\">" + escape(g.title) +
              "</text>\n";
      y += 24;
      for (const auto& b : g.bars) {
        const double w = largest > 0 ? b.value.value_or(0) / largest * 400 : 0;
        out_ += "<text x=\"0\" y=\"" + std::to_string(y + 14) + "\" font-size=\"13\">" + escape(b.label) +
                "</text><rect x=\"90\" y=\"" + std::to_string(y + 2) + "\" width=\"" + coord(std::max(w, 1.0)) +
                "\" height=\"16\" rx=\"2\" fill=\"" + b.colour + "\"/><text x=\"" + coord(96 + w) + "\" y=\"" +
                std::to_string(y + 15) + "\" font-size=\"13\" font-weight=\"600\">" + escape(fr_decimal(b.value, 1)) +
                "</text>\n";
        y += 24;
      }
      y += 2;
    }
    out_ += "</svg>\n<figcaption>Moyennes par commune et rapportées à la population des communes présentes.</figcaption>\n";
    domain_legend();
    out_ += "</figure>\n";
  }

  void group_rows(const json& rows, const std::string& prefix, bool show_code) {
    for (const auto& g : rows) {
      const std::string key = prefix + text(at(g, "key"));
      out_ += "<tr><th scope=\"row\">" +
              (show_code ? "<span class=\"note\">" + escape(text(at(g, "key"))) + "</span> " : std::string()) +
              escape(text(at(g, "label"))) +
              (at(g, "small_sample") == true
                   ? " <span class=\"small-sample\" data-small-sample=\"" + escape(text(at(g, "key"))) +
                         "\">(moins de 5\u00A0communes\u00A0: chiffres indicatifs)</span>"
                   : std::string()) +
              "</th><td class=\"n\">" + figure(key + ".communes", at(g, "communes"), fr_integer(integer(at(g, "communes")))) +
              "</td><td class=\"n\">" +
              figure(key + ".initiatives", at(g, "initiatives"), fr_integer(integer(at(g, "initiatives")))) +
              "</td><td class=\"n\">" + escape(fr_decimal(number(at(g, "initiatives_per_commune")), 1)) +
              "</td><td class=\"n\">" + escape(fr_decimal(number(at(g, "initiatives_per_10k_inhabitants")), 1)) +
              "</td><td>" + mix_bar(at(g, "domain_mix")) + "</td></tr>\n";
    }
  }

  void group_table(const std::string& table_id, const std::string& first_column, const json& rows, const std::string& prefix,
                   bool show_code) {
    out_ += "<div class=\"table-wrap\"><table id=\"" + escape(table_id) + "\">\n<thead><tr><th scope=\"col\">" +
            escape(first_column) +
            "</th><th scope=\"col\" class=\"n\">Communes</th><th scope=\"col\" class=\"n\">Initiatives</th>"
            "<th scope=\"col\" class=\"n\">Par commune</th><th scope=\"col\" class=\"n\">Pour 10\u00A0000 hab.</th>"
            "<th scope=\"col\">Domaines</th></tr></thead>\n<tbody>\n";
    group_rows(rows, prefix, show_code);
    out_ += "</tbody></table></div>\n";
  }

  void band_section() {
    const json& bands = at(at(report_, "breakdowns"), "population_bands");
    if (!bands.is_array() || bands.empty()) return;
    out_ += "<section id=\"strates\">\n<h2>Par taille de commune</h2>\n";
    group_table("table-bands", "Population", bands, "band.", false);
    domain_legend();
    out_ += "</section>\n";
  }

  void area_section(const char* key, const char* title, const char* column) {
    const json& rows = at(at(report_, "breakdowns"), key);
    if (!rows.is_array() || rows.empty()) return;
    out_ += std::string("<section id=\"") + key + "\">\n<h2>" + escape(title) + "</h2>\n";
    group_table(std::string("table-") + key, column, rows, std::string(key) + ".", true);
    out_ += "</section>\n";
  }

  void method_section() {
    const json& run = at(report_, "run");
    const json& ruleset = at(run, "ruleset");
    out_ += "<section id=\"methode\" class=\"method\">\n<h2>Méthode</h2>\n<dl>\n"
            "<dt>Communes prises en compte</dt><dd>Seules les communes ayant déclaré au moins une initiative figurent "
            "dans ce rapport\u00A0: une enquête ne voit que les communes qui ont répondu. Les moyennes par commune ne "
            "valent que pour elles.</dd>\n"
            "<dt>Domaines</dt><dd>Le domaine principal d'une initiative est ce à quoi elle sert d'abord, selon les règles "
            "de mots-clés du jeu de règles\u00A0; «\u00A0toutes étiquettes\u00A0» compte chaque domaine qu'elle touche.</dd>\n"
            "<dt>Taille et nombre de services</dt><dd>ρ de Spearman sur les rangs (ex æquo au rang moyen), r de Pearson "
            "sur les valeurs et sur leurs logarithmes, ajustement par moindres carrés de ln(initiatives) = a + b · "
            "ln(population)\u00A0: b est l'élasticité (quand la population double, le nombre d'initiatives est multiplié "
            "par 2<sup>b</sup>). Intervalles de confiance à 95\u00A0% et valeurs p bilatérales.</dd>\n"
            "<dt>Rural et urbain</dt><dd>L'écart à population égale vient d'une régression binomiale négative (lien "
            "logarithmique) du nombre d'initiatives de chaque commune sur le logarithme de sa population et son "
            "caractère rural\u00A0: le rapport de taux est le nombre attendu d'initiatives d'une commune rurale "
            "rapporté à celui d'une commune urbaine de même population. Les taux pour 10\u00A0000\u00A0habitants ne "
            "mesurent pas cet écart\u00A0: " + escape(baro::plugins::kPerCapitaCaveat) + "</dd>\n"
            "<dt>Quartiles</dt><dd>Interpolation linéaire entre valeurs ordonnées.</dd>\n</dl>\n</section>\n";
    out_ += "<footer>Produit par Baro " + escape(text(at(report_, "engine_version"))) + " · classification n<sup>o</sup>\u00A0" +
            escape(std::to_string(integer(at(run, "id")))) + " · règles " + escape(text(at(ruleset, "id"))) + " " +
            escape(text(at(ruleset, "version"))) + " (empreinte " + escape(text(at(ruleset, "hash")).substr(0, 12)) +
            ") · document " + escape(text(at(report_, "schema"))) + "</footer>\n";
  }

  const json& report_;
  std::vector<Domain> domains_;
  std::string out_;
};

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_report(const nlohmann::json& report) {
  if (!report.is_object() || at(report, "schema") != "baro-report/2") {
    throw std::invalid_argument("not a baro-report/2 document (its \"schema\" field says otherwise)");
  }
  return Page(report).render();
}

}  // namespace baro::html
