#include <cmath>
#include <nlohmann/json.hpp>

#include "baro/report.hpp"
#include "baro/version.hpp"

namespace baro {
namespace {

using nlohmann::json;

template <typename T>
json optional(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

// Shares and statistics are rounded to 12 significant digits: enough for any use, and the
// document no longer changes in its last bits between compilers or platforms.
double round12(double x) {
  if (x == 0.0) return 0.0;  // never "-0.0"
  if (!std::isfinite(x)) return x;
  const double scale = std::pow(10.0, 11 - static_cast<int>(std::floor(std::log10(std::fabs(x)))));
  return std::round(x * scale) / scale;
}
json number(double x) { return round12(x); }
json number(const std::optional<double>& x) { return x ? json(round12(*x)) : json(nullptr); }

json domain_mix(const Report& report, const std::vector<DomainCount>& mix) {
  json out = json::array();
  for (std::size_t d = 0; d < mix.size() && d < report.domains.size(); ++d) {
    const auto& id = report.domains[d].domain;
    out.push_back({{"domain", id.empty() ? json(nullptr) : json(id)},
                   {"count", mix[d].count},
                   {"share", number(mix[d].share)}});
  }
  return out;
}

json group(const Report& report, const GroupFigures& g) {
  return {{"key", g.key},
          {"label", g.label},
          {"communes", g.communes},
          {"initiatives", g.initiatives},
          {"population", g.population},
          {"initiatives_per_commune", number(g.per_commune)},
          {"initiatives_per_10k_inhabitants", number(g.per_10k_inhabitants)},
          {"mean_residual", number(g.mean_residual)},
          {"domain_mix", domain_mix(report, g.domain_mix)}};
}

json correlation(const std::optional<CorrelationFigures>& c) {
  if (!c) return nullptr;
  json out = {{"n", c->n}, {"coefficient", number(c->coefficient)}, {"p_value", number(c->p_value)}};
  out["p_value_method"] = c->exact_p_value ? "exact permutation test" : "t approximation";
  if (c->ci_low) out["ci95"] = {number(*c->ci_low), number(*c->ci_high)};
  return out;
}

json fit(const std::optional<PowerLawFit>& f) {
  if (!f) return nullptr;
  return {{"model", "ln(initiatives) = intercept + elasticity * ln(population)"},
          {"n", f->n},
          {"elasticity", number(f->elasticity)},
          {"elasticity_se", number(f->elasticity_se)},
          {"elasticity_ci95", {number(f->elasticity_ci_low), number(f->elasticity_ci_high)}},
          {"elasticity_p_value", number(f->elasticity_p_value)},
          {"intercept", number(f->intercept)},
          {"intercept_se", number(f->intercept_se)},
          {"intercept_ci95", {number(f->intercept_ci_low), number(f->intercept_ci_high)}},
          {"r_squared", number(f->r_squared)},
          {"residual_se", number(f->residual_se)}};
}

json band_bounds(const GroupFigures& g) {
  for (const auto& band : kPopulationBands) {
    if (g.key == band.key) return {{"min_population", band.min}, {"max_population", optional(band.max)}};
  }
  return {{"min_population", nullptr}, {"max_population", nullptr}};
}

json validation(const std::optional<ValidationFigures>& v) {
  if (!v) return nullptr;
  json domains = json::array();
  for (const auto& d : v->domains) {
    domains.push_back({{"domain", d.domain.empty() ? json(nullptr) : json(d.domain)},
                       {"predicted", d.predicted},
                       {"gold", d.gold},
                       {"correct", d.correct},
                       {"precision", number(d.precision)},
                       {"recall", number(d.recall)}});
  }
  return {{"method", "stratified random sample by predicted primary domain, coded by hand (`baro sample`, "
                     "`baro validate`); accuracy over the coded rows with Wilson's 95 % interval; corrected shares: "
                     "predicted counts redistributed by P(true | predicted) of each stratum, percentile bootstrap "
                     "within strata (2000 resamples, fixed seed)"},
          {"sampled", v->sampled},
          {"n", v->coded},
          {"correct", v->correct},
          {"accuracy", number(v->accuracy)},
          {"ci95_low", number(v->accuracy_ci95.low)},
          {"ci95_high", number(v->accuracy_ci95.high)},
          {"weighted_accuracy", number(v->weighted_accuracy)},
          {"double_coded", v->double_coded},
          {"kappa", number(v->kappa)},
          {"domains", domains}};
}

}  // namespace

std::string report_to_json(const Report& report) {
  json classifiers = json::array();
  for (const auto& c : report.run.classifiers) classifiers.push_back({{"name", c.name}, {"version", c.version}});
  json domains = json::array();
  for (const auto& d : report.domains) {
    domains.push_back({{"domain", d.domain.empty() ? json(nullptr) : json(d.domain)},
                       {"label", d.label},
                       {"primary_count", d.primary_count},
                       {"primary_share", number(d.primary_share)},
                       {"touching_count", d.touching_count},
                       {"touching_share", number(d.touching_share)},
                       {"corrected_share", number(d.corrected_share)},
                       {"corrected_share_ci95", d.corrected_share
                                                    ? json{number(d.corrected_ci_low), number(d.corrected_ci_high)}
                                                    : json(nullptr)}});
  }
  const Coverage& c = report.coverage;
  const json coverage = {
      {"communes", c.communes},
      {"reference_communes", c.reference_communes},
      {"initiatives_per_commune",
       {{"mean", number(c.mean)},
        {"min", c.min},
        {"q1", number(c.q1)},
        {"median", number(c.median)},
        {"q3", number(c.q3)},
        {"max", c.max}}},
      {"max_commune", c.max_commune_code.empty()
                          ? json(nullptr)
                          : json{{"code", c.max_commune_code}, {"name", c.max_commune_name}, {"initiatives", c.max}}},
  };
  const SizeEffect& s = report.size;
  const json size_effect = {{"communes", s.communes},
                            {"communes_without_population", s.communes_without_population},
                            {"pearson_raw", correlation(s.pearson_raw)},
                            {"pearson_log", correlation(s.pearson_log)},
                            {"spearman", correlation(s.spearman)},
                            {"loglog_fit", fit(s.fit)}};
  const RuralEffect& r = report.rural;
  const RuralDefinition& def = r.definition;
  json count_model = nullptr;
  if (r.count_model) {
    const RuralCountModel& m = *r.count_model;
    count_model = {
        {"method", "negative binomial regression (NB2, log link) of each commune's initiatives on ln(population) "
                   "and rural; IRLS, dispersion by profile maximum likelihood, Wald 95 % intervals"},
        {"communes", m.communes},
        {"rural_communes", m.rural_communes},
        {"urban_communes", m.urban_communes},
        {"rate_ratio", number(m.rate_ratio)},
        {"ci95_low", number(m.rate_ratio_ci_low)},
        {"ci95_high", number(m.rate_ratio_ci_high)},
        {"p_value", number(m.rate_ratio_p_value)},
        {"elasticity", number(m.elasticity)},
        {"elasticity_ci95", {number(m.elasticity_ci_low), number(m.elasticity_ci_high)}},
        {"elasticity_p_value", number(m.elasticity_p_value)},
        {"dispersion", number(m.dispersion)}};
  }
  const json rural = {
      {"definition",
       {{"rule", "rural when population < threshold, unless a rural attribute was imported (initiative first, then commune)"},
        {"threshold", def.threshold},
        {"population_vintage", def.population_vintage.empty() ? json(nullptr) : json(def.population_vintage)},
        {"communes_by_source",
         {{"initiative", def.by_initiative_attribute},
          {"commune", def.by_commune_attribute},
          {"population", def.by_population},
          {"unknown", def.unknown}}},
        {"conflicting_attributes", def.conflicting_attributes}}},
      {"rural", group(report, r.rural)},
      {"urban", group(report, r.urban)},
      {"count_model", count_model},
  };
  json bands = json::array(), regions = json::array(), departments = json::array();
  for (const auto& g : report.by_population_band) {
    json band = group(report, g);
    band.update(band_bounds(g));
    bands.push_back(std::move(band));
  }
  for (const auto* areas : {&report.by_region, &report.by_department}) {
    for (const auto& g : *areas) {
      json area = group(report, g);
      area["small_sample"] = g.small_sample;
      (areas == &report.by_region ? regions : departments).push_back(std::move(area));
    }
  }
  json points = json::array();
  for (const auto& p : report.commune_points) {
    points.push_back({{"code", p.code},
                      {"name", p.name},
                      {"department", p.department},
                      {"region", p.region},
                      {"population", optional(p.population)},
                      {"initiatives", p.initiatives},
                      {"rural", optional(p.rural)},
                      {"rural_source", to_string(p.rural_source)},
                      {"residual", number(p.residual)}});
  }
  json findings = json::array();
  for (const auto& f : report.findings) findings.push_back({{"id", f.id}, {"text", f.text}});
  const ReportOptions& o = report.options;
  const json out = {
      {"schema", kReportSchema},
      {"engine_version", kVersion},
      {"run",
       {{"id", report.run.id},
        {"ruleset", {{"id", report.run.ruleset_id}, {"version", report.run.ruleset_version}, {"hash", report.run.ruleset_hash}}},
        {"classifiers", classifiers},
        {"engine_version", report.run.engine_version},
        {"created_at", report.run.created_at}}},
      {"filters",
       {{"batch", optional(o.batch_id)},
        {"year", optional(o.year)},
        {"region", optional(o.region)},
        {"department", optional(o.department)}}},
      {"scope", "communes present in the data: at least one initiative after the filters"},
      {"initiatives", report.initiatives},
      {"communes", report.communes},
      {"domains", domains},
      {"coverage", coverage},
      {"size_effect", size_effect},
      {"rural", rural},
      {"breakdowns", {{"population_bands", bands}, {"regions", regions}, {"departments", departments}}},
      {"commune_points", points},
      {"findings", findings},
      {"quality", {{"validation", validation(report.validation)}, {"shares_corrected", report.validation.has_value()}}},
  };
  return out.dump(2);
}

}  // namespace baro
