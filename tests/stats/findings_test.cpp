// The summary's sentences on hand-made figures: what is said, what is not said below the
// minimum sizes, and wording that follows the confidence intervals.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "baro/report.hpp"
#include "stats/findings.hpp"

using baro::Report;

namespace {

// A report of `communes` communes with a population, an elasticity interval and a rural
// count model of the given rate ratio and interval; every other figure left empty.
Report report_with(std::int64_t communes, double elasticity_low, double elasticity_high) {
  Report r;
  r.initiatives = 100;
  r.communes = communes;
  r.size.communes = communes;
  baro::CorrelationFigures rho;
  rho.n = communes;
  rho.coefficient = 1.0;
  rho.p_value = communes < 10 ? 1.0 / 3.0 : 1e-9;
  r.size.spearman = rho;
  baro::PowerLawFit fit;
  fit.n = communes;
  fit.elasticity = (elasticity_low + elasticity_high) / 2;
  fit.elasticity_ci_low = elasticity_low;
  fit.elasticity_ci_high = elasticity_high;
  fit.r_squared = 0.5;
  r.size.fit = fit;
  return r;
}

void add_rural_model(Report& r, std::int64_t rural, std::int64_t urban, double ratio, double low, double high, double p) {
  r.rural.rural.communes = rural;
  r.rural.rural.initiatives = 20;
  r.rural.urban.communes = urban;
  r.rural.urban.initiatives = 80;
  baro::RuralCountModel m;
  m.communes = rural + urban;
  m.rural_communes = rural;
  m.urban_communes = urban;
  m.rate_ratio = ratio;
  m.rate_ratio_ci_low = low;
  m.rate_ratio_ci_high = high;
  m.rate_ratio_p_value = p;
  r.rural.count_model = m;
}

std::map<std::string, std::string> findings(const Report& r) {
  std::map<std::string, std::string> out;
  for (const auto& f : baro::stats::generate_findings(r)) out[f.id] = f.text;
  return out;
}

}  // namespace

TEST_CASE("three communes in perfect order get no correlation finding", "[findings][small]") {
  const auto text = findings(report_with(3, -3.5, 6.9));
  CHECK(text.count("size_correlation") == 0);
  CHECK(text.count("elasticity") == 0);
}

TEST_CASE("below ten communes no size sentence is stated; from ten it is", "[findings][small]") {
  CHECK(findings(report_with(9, 0.4, 0.6)).count("size_correlation") == 0);
  const auto text = findings(report_with(10, 0.4, 0.6));
  CHECK(text.at("size_correlation") ==
        "Corrélation très étroite entre population et nombre de services (ρ de Spearman = 1,00, n = 10 communes).");
}

TEST_CASE("an elasticity whose interval holds 0 and 1 is called indeterminate", "[findings][wording]") {
  CHECK(findings(report_with(12, -3.5, 6.9)).at("elasticity") ==
        "Le rythme auquel le nombre de services suit la population est indéterminé (élasticité 1,70, "
        "IC 95\u00A0% \u22123,50 à 6,90, R² = 0,50 : l'intervalle contient 0 et 1).");
}

TEST_CASE("the elasticity sentence says only what its interval allows", "[findings][wording]") {
  CHECK_THAT(findings(report_with(40, 0.45, 0.6)).at("elasticity"),
             Catch::StartsWith("Quand la population double, le nombre d'initiatives est multiplié par 1,44 en moyenne") &&
                 Catch::EndsWith(") : le nombre de services croît moins vite que la population."));
  CHECK_THAT(findings(report_with(40, 1.1, 1.3)).at("elasticity"),
             Catch::EndsWith(": le nombre de services croît plus vite que la population."));
  CHECK_THAT(findings(report_with(40, 0.5, 1.4)).at("elasticity"),
             Catch::EndsWith(": le nombre de services croît avec la population, peut-être aussi vite qu'elle."));
  CHECK_THAT(findings(report_with(40, -0.2, 0.8)).at("elasticity"),
             Catch::EndsWith(": aucun lien entre population et nombre de services n'est établi."));
}

TEST_CASE("the rural gap is the count model's rate ratio with its interval", "[findings][rural]") {
  Report r = report_with(40, 0.45, 0.6);
  add_rural_model(r, 15, 25, 0.63, 0.51, 0.77, 1e-5);
  CHECK(findings(r).at("rural_gap") ==
        "À population égale, les communes rurales déclarent 37\u00A0% d'initiatives en moins que les communes urbaines "
        "(rapport de taux 0,63, IC 95\u00A0% 0,51 à 0,77, p < 0,001 ; régression binomiale négative sur 40 communes).");
}

TEST_CASE("a rate ratio whose interval holds 1 establishes no gap", "[findings][rural]") {
  Report r = report_with(40, 0.45, 0.6);
  add_rural_model(r, 15, 25, 0.9, 0.6, 1.35, 0.41);
  CHECK(findings(r).at("rural_gap") ==
        "À population égale, aucun écart entre communes rurales et urbaines n'est établi (rapport de taux 0,90, "
        "IC 95\u00A0% 0,60 à 1,35, p = 0,41 ; régression binomiale négative sur 40 communes).");
}

TEST_CASE("no rural gap sentence with fewer than five communes in a group", "[findings][rural][small]") {
  Report r = report_with(40, 0.45, 0.6);
  add_rural_model(r, 4, 36, 0.5, 0.3, 0.8, 0.001);
  CHECK(findings(r).count("rural_gap") == 0);
}
