// compute_report() and report_to_json() on the fixture of report_fixture.hpp, whose answers
// are known by construction (the header derives each of them).
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>

#include "baro/error.hpp"
#include "baro/report.hpp"
#include "stats/report_fixture.hpp"
#include "support/test_support.hpp"

using baro::Report;
using baro::ReportOptions;
using baro::Store;
using baro::test::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store;
  Fixture() {
    baro::test::make_report_fixture(dir / "baro.db", dir / "reference");
    store = Store::open(dir / "baro.db", {baro::OpenMode::kReadOnly});
  }
  Report report(const ReportOptions& options = {}) const { return baro::compute_report(*store, options); }
};

const baro::DomainShare& domain(const Report& r, const std::string& id) {
  for (const auto& d : r.domains)
    if (d.domain == id) return d;
  FAIL("no domain " << id);
  throw;
}

const baro::CommunePoint& point(const Report& r, const std::string& code) {
  for (const auto& p : r.commune_points)
    if (p.code == code) return p;
  FAIL("no commune " << code);
  throw;
}

const double kHalfLn2 = std::log(2.0) / 2.0;

}  // namespace

TEST_CASE("the report describes the latest run, with domain shares summing to one", "[report][domains]") {
  Fixture f;
  const Report r = f.report();
  CHECK(r.run.id == 2);
  CHECK(r.initiatives == 45);
  CHECK(r.communes == 7);
  REQUIRE(r.domains.size() == 10);
  CHECK(domain(r, "acces").primary_count == 26);
  CHECK(domain(r, "acces").primary_share == Approx(26.0 / 45.0));
  CHECK(domain(r, "communication").primary_count == 8);
  CHECK(domain(r, "democratie").primary_count == 0);
  CHECK(domain(r, "democratie").touching_count == 8);
  CHECK(r.domains.back().domain.empty());
  CHECK(r.domains.back().primary_count == 4);
  double sum = 0.0;
  for (const auto& d : r.domains) sum += d.primary_share;
  CHECK(sum == Approx(1.0));
  ReportOptions older;
  older.run_id = 1;
  CHECK(domain(f.report(older), "culture").primary_count == 45);
}

TEST_CASE("coverage counts only communes present in the data", "[report][coverage]") {
  Fixture f;
  const auto c = f.report().coverage;
  CHECK(c.communes == 7);
  CHECK(c.reference_communes == 8);
  CHECK(c.mean == Approx(45.0 / 7.0));
  // Counts 2 3 4 4 8 8 16: type-7 quartiles at positions 1.5, 3 and 4.5.
  CHECK(c.q1 == Approx(3.5));
  CHECK(c.median == Approx(4.0));
  CHECK(c.q3 == Approx(8.0));
  CHECK(c.min == 2);
  CHECK(c.max == 16);
  CHECK(c.max_commune_name == "Fanjac");
  CHECK(c.max_commune_code == "02003");
}

TEST_CASE("the size effect is fitted on communes with a known population", "[report][size]") {
  Fixture f;
  const auto s = f.report().size;
  CHECK(s.communes == 6);
  CHECK(s.communes_without_population == 1);
  REQUIRE(s.fit);
  CHECK(s.fit->elasticity == Approx(0.5));
  CHECK(s.fit->intercept == Approx(kHalfLn2 - std::log(10.0)));
  CHECK(s.fit->r_squared == Approx(8.0 / 11.0));
  // SciPy 1.10.1 on the same six points (tools/stats_reference.py, "fixture").
  CHECK(s.fit->elasticity_se == Approx(0.15309310892394867));
  CHECK(s.fit->elasticity_ci_low == Approx(0.07494538708858928));
  CHECK(s.fit->elasticity_ci_high == Approx(0.9250546129114108));
  CHECK(s.fit->elasticity_p_value == Approx(0.030905834747225316));
  REQUIRE(s.spearman);
  CHECK(s.spearman->coefficient == Approx(0.8616404368553291));
  CHECK(s.spearman->exact_p_value);  // six communes: the permutation test's exact p
  CHECK(s.spearman->p_value == Approx(0.08888888888888889));
  REQUIRE(s.pearson_raw);
  CHECK(s.pearson_raw->coefficient == Approx(0.8081220356417687));
  REQUIRE(s.pearson_log);
  CHECK(s.pearson_log->coefficient == Approx(0.8528028654224418));
  CHECK(*s.pearson_log->ci_low == Approx(0.1339455207610989));
}

TEST_CASE("rural status: initiative attribute, then commune attribute, then population", "[report][rural]") {
  Fixture f;
  const Report r = f.report();
  using baro::RuralSource;
  CHECK(point(r, "01001").rural == true);
  CHECK(point(r, "01001").rural_source == RuralSource::kCommune);
  CHECK(point(r, "01002").rural == false);  // the most recent batch says urban
  CHECK(point(r, "01002").rural_source == RuralSource::kInitiative);
  CHECK(point(r, "01003").rural == true);
  CHECK(point(r, "01003").rural_source == RuralSource::kPopulation);
  CHECK(point(r, "02001").rural == false);
  CHECK(point(r, "02002").rural == true);
  CHECK(point(r, "02003").rural == false);
  CHECK_FALSE(point(r, "02004").rural.has_value());
  const auto& d = r.rural.definition;
  CHECK(d.threshold == 2000);
  CHECK(d.population_vintage == "2026");
  CHECK(d.by_initiative_attribute == 1);
  CHECK(d.by_commune_attribute == 3);
  CHECK(d.by_population == 2);
  CHECK(d.unknown == 1);
  CHECK(d.conflicting_attributes == 1);
}

TEST_CASE("at equal size a rural commune of the fixture declares half as many initiatives", "[report][rural]") {
  Fixture f;
  const auto e = f.report().rural;
  CHECK(e.rural.communes == 3);
  CHECK(e.rural.initiatives == 14);
  CHECK(e.rural.population == 8400);
  CHECK(*e.rural.per_commune == Approx(14.0 / 3.0));
  CHECK(*e.rural.per_10k_inhabitants == Approx(14.0 * 10000 / 8400));
  CHECK(e.urban.initiatives == 28);
  CHECK(*e.urban.per_10k_inhabitants == Approx(28.0 * 10000 / 8400));
  CHECK(*e.rural.mean_residual == Approx(-kHalfLn2));
  CHECK(*e.urban.mean_residual == Approx(kHalfLn2));
  // The count model reads the construction back: rate ratio 1/2, elasticity 1/2, no
  // dispersion beyond Poisson's (the counts follow the model exactly).
  REQUIRE(e.count_model);
  CHECK(e.count_model->communes == 6);  // Hameau has no population
  CHECK(e.count_model->rural_communes == 3);
  CHECK(e.count_model->urban_communes == 3);
  CHECK(e.count_model->rate_ratio == Approx(0.5).epsilon(1e-6));
  CHECK(e.count_model->rate_ratio_ci_low < 0.5);
  CHECK(e.count_model->rate_ratio_ci_high > 0.5);
  CHECK(e.count_model->elasticity == Approx(0.5).epsilon(1e-6));
  CHECK(e.count_model->dispersion < 1e-6);
  CHECK(e.rural.domain_mix[0].count == 14);  // all acces
  CHECK(e.urban.domain_mix[1].count == 8);   // Fanjac's communication
  CHECK(e.urban.domain_mix.back().count == 4);
}

TEST_CASE("the rural threshold can be moved with rural_below", "[report][rural]") {
  Fixture f;
  ReportOptions options;
  options.rural_below = 10000;
  const Report r = f.report(options);
  CHECK(r.rural.definition.threshold == 10000);
  CHECK(point(r, "02003").rural == true);   // 6,400 < 10,000, no attribute
  CHECK(point(r, "02001").rural == false);  // its commune attribute still wins
  options.rural_below = 0;
  CHECK_THROWS_AS(f.report(options), baro::Error);
}

TEST_CASE("breakdowns by population band, region and department", "[report][breakdowns]") {
  Fixture f;
  const Report r = f.report();
  REQUIRE(r.by_population_band.size() == 5);  // the four bands, then the unknown population
  const auto& small = r.by_population_band[0];
  CHECK(small.key == "lt2k");
  CHECK(small.communes == 4);
  CHECK(small.initiatives == 18);
  CHECK(*small.per_10k_inhabitants == Approx(45.0));
  CHECK(r.by_population_band[1].initiatives == 24);
  CHECK(r.by_population_band[2].communes == 0);
  CHECK_FALSE(r.by_population_band[2].per_commune);
  CHECK(r.by_population_band[4].key == "unknown");
  CHECK(r.by_population_band[4].initiatives == 3);
  REQUIRE(r.by_region.size() == 2);
  CHECK(r.by_region[0].key == "32");
  CHECK(r.by_region[0].label == "Hauts-de-France");
  CHECK(r.by_region[0].initiatives == 35);
  CHECK(r.by_region[1].initiatives == 10);
  REQUIRE(r.by_department.size() == 2);
  CHECK(r.by_department[1].label == "Ain");
  CHECK(r.by_department[0].small_sample);  // 4 communes, fewer than kMinCommunesPerArea
  CHECK(r.by_region[1].small_sample);
  CHECK(*r.by_department[1].per_commune == Approx(10.0 / 3.0));
}

TEST_CASE("filters restrict every figure to the batch, year, region or department", "[report][filters]") {
  Fixture f;
  ReportOptions batch;
  batch.batch_id = 1;
  const Report b = f.report(batch);
  CHECK(b.initiatives == 7);
  CHECK(b.communes == 3);
  CHECK(point(b, "01002").rural == true);  // batch 1 alone says rural
  ReportOptions year;
  year.year = 2026;
  CHECK(f.report(year).initiatives == 38);
  ReportOptions department;
  department.department = "02";
  const Report d = f.report(department);
  CHECK(d.initiatives == 35);
  CHECK(d.coverage.reference_communes == 4);
  ReportOptions region;
  region.region = "84";
  CHECK(f.report(region).communes == 3);
}

TEST_CASE("findings quote the computed figures in French", "[report][findings]") {
  Fixture f;
  const Report r = f.report();
  std::map<std::string, std::string> text;
  for (const auto& finding : r.findings) text[finding.id] = finding.text;
  CHECK(text["top_domain"] == "Plus de la moitié des initiatives (57,8\u00A0%) relèvent du domaine "
                              "«\u00A0Accès et inclusion numérique\u00A0».");
  CHECK_THAT(text["coverage"], Catch::Contains("Les 7 communes présentes") && Catch::Contains("Fanjac"));
  CHECK_THAT(text["scope"], Catch::Contains("7 sur 8 communes"));
  CHECK(text.count("unclassified") == 1);
  // Six communes with a population, three rural and three urban: below the minimum sizes,
  // no correlation, elasticity or rural-gap sentence (tests/stats/findings_test.cpp words them).
  CHECK(text.count("size_correlation") == 0);
  CHECK(text.count("elasticity") == 0);
  CHECK(text.count("rural_gap") == 0);
  CHECK_THAT(text["rural_rate"], Catch::Contains("avantage mécaniquement les petites communes"));
}

TEST_CASE("the JSON document is baro-report/2 with the count model and small-sample flags", "[report][json]") {
  Fixture f;
  const Report r = f.report();
  const auto j = nlohmann::json::parse(baro::report_to_json(r));
  CHECK(j["schema"] == "baro-report/2");
  CHECK(j["run"]["id"] == 2);
  CHECK(j["initiatives"] == 45);
  CHECK(j["communes"] == 7);
  CHECK(j["domains"].size() == 10);
  CHECK(j["domains"][9]["domain"].is_null());
  CHECK(j["coverage"]["max_commune"]["name"] == "Fanjac");
  CHECK(j["size_effect"]["loglog_fit"]["elasticity"].get<double>() == Approx(0.5));
  CHECK(j["size_effect"]["loglog_fit"]["elasticity_ci95"].size() == 2);
  CHECK(j["rural"]["definition"]["threshold"] == 2000);
  CHECK(j["rural"]["definition"]["population_vintage"] == "2026");
  const auto& model = j["rural"]["count_model"];
  CHECK(model["rate_ratio"].get<double>() == Approx(0.5).epsilon(1e-6));
  CHECK(model["ci95_low"].get<double>() < 0.5);
  CHECK(model["ci95_high"].get<double>() > 0.5);
  CHECK(model["p_value"].is_number());
  CHECK(model["elasticity"].get<double>() == Approx(0.5).epsilon(1e-6));
  CHECK_THAT(model["method"].get<std::string>(), Catch::StartsWith("negative binomial regression"));
  CHECK_FALSE(j["rural"].contains("mann_whitney"));
  CHECK(j["size_effect"]["spearman"]["p_value_method"] == "exact permutation test");
  CHECK(j["breakdowns"]["departments"][0]["small_sample"] == true);  // 4 communes in 02
  CHECK(j["breakdowns"]["population_bands"][0]["max_population"] == 2000);
  CHECK(j["breakdowns"]["population_bands"][3]["max_population"].is_null());
  CHECK(j["breakdowns"]["departments"].size() == 2);
  CHECK(j["commune_points"].size() == 7);
  CHECK(j["commune_points"][6]["population"].is_null());
  CHECK(j["commune_points"][6]["rural_source"] == "unknown");
  REQUIRE(j["findings"].size() == r.findings.size());
  CHECK(j["findings"][0]["id"] == "top_domain");
  CHECK(j["filters"]["batch"].is_null());
}
