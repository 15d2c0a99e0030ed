// The barometer's aggregates, computed from the store for one classification run.
//
// compute_report() reads a consistent snapshot (one read transaction) and returns plain
// data; formatting is the exporters' business. Figures are computed from the stored
// initiatives of the run, after the filters in ReportOptions:
//   1. domain shares (primary domain, and every label),
//   2. coverage: how many initiatives each commune declared,
//   3. the size effect: population against number of initiatives (correlations, log-log fit),
//   4. the rural effect: rural and urban communes compared, at equal size,
//   5. breakdowns by population band, region and department,
//   6. findings: short French sentences generated from the numbers above,
//   7. the quality of the classification, when the run has a coded validation sample
//      (baro/validation.hpp): its accuracy, and each domain's share corrected for the
//      confusion it measured.
//
// A survey only sees the communes that answered: every per-commune figure is over the
// communes with at least one initiative in the filtered data, never over all of France.
//
// report_to_json() turns a Report into the `baro-report/2` document (docs/report-json.md),
// the stable contract exporters and partners read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baro/store.hpp"
#include "baro/validation.hpp"

namespace baro {

// The name and version of the report document: kReportSchema's fields only ever grow; a
// renamed or removed field makes the next version (docs/report-json.md).
inline constexpr const char* kReportSchema = "baro-report/2";

// INSEE's historic definition: a commune is rural below 2,000 inhabitants.
inline constexpr std::int64_t kDefaultRuralBelow = 2000;

// Minimum sizes below which the summary states no finding (the figures stay in the document,
// for whoever wants them; docs/report-json.md lists them with the findings):
// - the correlation and elasticity sentences need this many communes with a population;
inline constexpr std::int64_t kMinCommunesForSizeFindings = 10;
// - the rural gap sentence needs this many rural and this many urban communes in the model;
inline constexpr std::int64_t kMinCommunesPerGroupForGap = 5;
// - a region or department row with fewer communes is flagged `small_sample`: its rates and
//   domain mix describe a handful of answers, not the area.
inline constexpr std::int64_t kMinCommunesPerArea = 5;

struct ReportOptions {
  std::optional<std::int64_t> run_id;  // default: the latest run
  std::optional<std::int64_t> batch_id;
  std::optional<int> year;
  std::optional<std::string> region;      // INSEE region code, e.g. "84"
  std::optional<std::string> department;  // e.g. "69", "2A", "971"
  // A commune with fewer inhabitants is rural, unless an imported `rural` attribute (on an
  // initiative, then on the commune) says otherwise. Must be positive.
  std::int64_t rural_below = kDefaultRuralBelow;
};

struct DomainShare {
  std::string domain;     // domain id; "" for the unclassified row
  std::string label;
  std::int64_t primary_count = 0;  // initiatives whose primary domain this is
  double primary_share = 0.0;      // primary_count / initiatives (0..1); rows sum to 1
  std::int64_t touching_count = 0; // initiatives with this domain among their labels
  double touching_share = 0.0;
  // With a coded validation sample: the estimated true share of the domain (of initiatives no
  // domain fits, for the unclassified row), the run's predicted counts redistributed by the
  // confusion P(true | predicted) measured in each stratum of the sample, with a bootstrap
  // 95 % interval. Absent without a sample.
  std::optional<double> corrected_share, corrected_ci_low, corrected_ci_high;
};

// How many of a group's initiatives have a given primary domain.
struct DomainCount {
  std::int64_t count = 0;
  double share = 0.0;  // of the group's initiatives (0..1)
};

// The figures of a group of communes: rural or urban, a population band, a region, a department.
struct GroupFigures {
  std::string key;    // "rural", "urban", a band key ("lt2k"...), a region or department code
  std::string label;  // French, for display
  std::int64_t communes = 0;     // communes of the group with at least one initiative
  std::int64_t initiatives = 0;
  std::int64_t population = 0;   // total population of those communes (known populations only)
  std::optional<double> per_commune;          // initiatives / communes
  // Initiatives per 10,000 inhabitants, over the communes whose population is known and > 0.
  std::optional<double> per_10k_inhabitants;
  // Mean residual of the group's communes around the log-log fit (natural log): below 0, the
  // group declares fewer initiatives than its communes' sizes predict.
  std::optional<double> mean_residual;
  std::vector<DomainCount> domain_mix;  // aligned with Report::domains (unclassified last)
  // Regions and departments: fewer than kMinCommunesPerArea communes.
  bool small_sample = false;
};

// Where a commune's rural/urban status came from, in order of precedence.
enum class RuralSource {
  kInitiative = 1,  // a `rural` column imported with the survey batch (the most recent batch wins)
  kCommune,         // communes.rural, imported with the reference
  kPopulation,      // population below ReportOptions::rural_below
  kUnknown,         // no attribute and no known population
};
const char* to_string(RuralSource source) noexcept;

// One commune present in the data: the points of the size-effect scatter.
struct CommunePoint {
  std::string code, name;
  std::string department, region;  // codes
  std::optional<std::int64_t> population;
  std::int64_t initiatives = 0;
  std::optional<bool> rural;  // absent when its source is kUnknown
  RuralSource rural_source = RuralSource::kUnknown;
  std::optional<double> residual;  // ln(initiatives) - fit; absent outside the fit
};

struct Coverage {
  std::int64_t communes = 0;            // communes with at least one initiative
  std::int64_t reference_communes = 0;  // current communes of the reference in the filtered area
  // Initiatives per commune, over those communes (quantiles: linear interpolation, type 7).
  double mean = 0.0, median = 0.0, q1 = 0.0, q3 = 0.0;
  std::int64_t min = 0, max = 0;
  std::string max_commune_code, max_commune_name;  // ties: the most populous, then the lowest code
};

struct CorrelationFigures {
  std::int64_t n = 0;
  double coefficient = 0.0;  // Pearson's r or Spearman's rho
  double p_value = 1.0;      // two-sided, H0: no correlation
  bool exact_p_value = false;  // Spearman up to 10 communes: the permutation test's exact p
  std::optional<double> ci_low, ci_high;  // 95 % (Fisher's z); Pearson only
};

// ln(initiatives) = intercept + elasticity * ln(population), by least squares.
struct PowerLawFit {
  std::int64_t n = 0;
  double elasticity = 0.0, elasticity_se = 0.0, elasticity_ci_low = 0.0, elasticity_ci_high = 0.0;
  double elasticity_p_value = 1.0;  // H0: elasticity = 0
  double intercept = 0.0, intercept_se = 0.0, intercept_ci_low = 0.0, intercept_ci_high = 0.0;
  double r_squared = 0.0;
  double residual_se = 0.0;
};

struct SizeEffect {
  // Communes of the fit: at least one initiative and a known population > 0.
  std::int64_t communes = 0;
  std::int64_t communes_without_population = 0;  // present in the data but left out
  std::optional<CorrelationFigures> pearson_raw;  // population vs initiatives
  std::optional<CorrelationFigures> pearson_log;  // ln population vs ln initiatives
  std::optional<CorrelationFigures> spearman;
  std::optional<PowerLawFit> fit;  // absent below 3 communes or when every population is equal
};

struct RuralDefinition {
  std::int64_t threshold = kDefaultRuralBelow;  // rural below this population
  std::string population_vintage;               // the reference's (reference_meta)
  // How many communes got their status from each source (RuralSource).
  std::int64_t by_initiative_attribute = 0, by_commune_attribute = 0, by_population = 0, unknown = 0;
  // Communes whose initiatives carry contradicting `rural` attributes.
  std::int64_t conflicting_attributes = 0;
};

// The rural gap at equal population, from a count model of each commune's initiatives:
// a negative binomial regression (log link) on ln(population) and a rural indicator,
//   ln E[initiatives] = b0 + elasticity * ln(population) + ln(rate_ratio) * rural,
// fitted on the communes with a known population and a known rural status. Unlike a
// comparison of residuals around one log-log line, it does not extrapolate that line across
// the threshold that separates the groups (core/src/stats/count_model.hpp says how it is fitted).
struct RuralCountModel {
  std::int64_t communes = 0, rural_communes = 0, urban_communes = 0;
  // exp(coefficient of rural): a rural commune's expected initiatives over an urban one's of
  // the same population (0.7: 30 % fewer); 95 % Wald interval and two-sided p (H0: ratio 1).
  double rate_ratio = 1.0, rate_ratio_ci_low = 1.0, rate_ratio_ci_high = 1.0, rate_ratio_p_value = 1.0;
  // The coefficient of ln(population), rurality held fixed; 95 % interval, p (H0: 0).
  double elasticity = 0.0, elasticity_ci_low = 0.0, elasticity_ci_high = 0.0, elasticity_p_value = 1.0;
  double dispersion = 0.0;  // alpha of Var = mu + alpha mu^2, by profile maximum likelihood
};

struct RuralEffect {
  RuralDefinition definition;
  GroupFigures rural, urban;
  // Absent when the model cannot be fitted: a group without a commune of known population,
  // no more communes than coefficients, or a fit that does not converge.
  std::optional<RuralCountModel> count_model;
};

// The population bands of the breakdown: [min, max) in inhabitants.
struct PopulationBand {
  const char* key;
  const char* label;
  std::int64_t min;
  std::optional<std::int64_t> max;  // absent: no upper bound
};
inline constexpr std::array<PopulationBand, 4> kPopulationBands = {{
    {"lt2k", "Moins de 2 000 hab.", 0, 2000},
    {"2k-10k", "2 000 à 9 999 hab.", 2000, 10000},
    {"10k-50k", "10 000 à 49 999 hab.", 10000, 50000},
    {"ge50k", "50 000 hab. et plus", 50000, std::nullopt},
}};

// A sentence of the summary. Every number in `text` is one of the report's figures.
struct Finding {
  std::string id;    // stable: "top_domain", "size_correlation"... (docs/report-json.md)
  std::string text;  // French
};

struct Report {
  RunInfo run;
  ReportOptions options;  // the filters and threshold this report was computed with
  std::int64_t initiatives = 0;
  std::int64_t communes = 0;  // communes with at least one initiative
  std::vector<DomainShare> domains;  // rule-set order, then the unclassified row
  Coverage coverage;
  SizeEffect size;
  RuralEffect rural;
  std::vector<GroupFigures> by_population_band;  // kPopulationBands order; a band with no commune is kept
  std::vector<GroupFigures> by_region;           // by initiatives, descending
  std::vector<GroupFigures> by_department;       // by initiatives, descending
  std::vector<CommunePoint> commune_points;      // by population, descending (unknown last)
  std::vector<Finding> findings;
  // The run's coded validation sample, measured; absent when the run has none (its shares
  // are then uncorrected). Measured on the whole sample: the filters do not apply to it, and
  // the corrected shares apply its confusion to the filtered counts.
  std::optional<ValidationFigures> validation;
};

// The report as the stable JSON document documented in docs/report-json.md: what
// `baro report --format json` prints and what exporter plugins receive.
std::string report_to_json(const Report& report);

// Throws baro::Error: kDataError when the database holds no run (nothing classified yet) or
// the requested run does not exist; kUsage when options.rural_below is not positive.
Report compute_report(const Store& store, const ReportOptions& options = {});

}  // namespace baro
