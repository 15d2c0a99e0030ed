#include "baro/report.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "baro/error.hpp"
#include "lifecycle/corpus.hpp"
#include "stats/coded_sample.hpp"
#include "stats/count_model.hpp"
#include "stats/findings.hpp"
#include "stats/report_scope.hpp"
#include "stats/statistics.hpp"
#include "store/initiative_filter.hpp"
#include "store/sqlite_errors.hpp"
#include "store/validation_tables.hpp"

namespace baro {
namespace {

constexpr const char* kFrom =
    " FROM classifications c JOIN initiatives i ON i.id = c.initiative_id JOIN communes m ON m.code = i.commune_code ";

// What the queries return about one commune present in the data, before any figure.
struct CommuneRow {
  CommunePoint point;
  std::string department_name, region_name;
  std::optional<bool> commune_attribute;     // communes.rural
  std::optional<bool> initiative_attribute;  // initiatives.rural, the most recent batch's
  std::vector<std::int64_t> domain_counts;   // aligned with Report::domains
};

// Sums a group of communes into GroupFigures.
class GroupAccumulator {
 public:
  GroupAccumulator(std::string key, std::string label, std::size_t domains) : domain_counts_(domains, 0) {
    figures_.key = std::move(key);
    figures_.label = std::move(label);
  }

  void add(const CommuneRow& row) {
    figures_.communes += 1;
    figures_.initiatives += row.point.initiatives;
    if (row.point.population && *row.point.population > 0) {
      figures_.population += *row.point.population;
      initiatives_with_population_ += row.point.initiatives;
    }
    if (row.point.residual) residuals_.push_back(*row.point.residual);
    for (std::size_t d = 0; d < domain_counts_.size(); ++d) domain_counts_[d] += row.domain_counts[d];
  }

  const std::vector<double>& residuals() const { return residuals_; }

  GroupFigures finish() const {
    GroupFigures g = figures_;
    if (g.communes > 0) g.per_commune = static_cast<double>(g.initiatives) / static_cast<double>(g.communes);
    if (g.population > 0) {
      g.per_10k_inhabitants =
          static_cast<double>(initiatives_with_population_) * 10000.0 / static_cast<double>(g.population);
    }
    if (!residuals_.empty()) g.mean_residual = stats::mean(residuals_);
    for (const auto count : domain_counts_) {
      g.domain_mix.push_back(
          {count, g.initiatives > 0 ? static_cast<double>(count) / static_cast<double>(g.initiatives) : 0.0});
    }
    return g;
  }

 private:
  GroupFigures figures_;
  std::int64_t initiatives_with_population_ = 0;
  std::vector<double> residuals_;
  std::vector<std::int64_t> domain_counts_;
};

CorrelationFigures to_figures(const stats::Correlation& c) {
  return {static_cast<std::int64_t>(c.n), c.r, c.p_value, c.exact, c.ci_low, c.ci_high};
}

PowerLawFit to_figures(const stats::LinearFit& f) {
  PowerLawFit p;
  p.n = static_cast<std::int64_t>(f.n);
  p.elasticity = f.slope;
  p.elasticity_se = f.slope_se;
  p.elasticity_ci_low = f.slope_ci_low;
  p.elasticity_ci_high = f.slope_ci_high;
  p.elasticity_p_value = f.slope_p_value;
  p.intercept = f.intercept;
  p.intercept_se = f.intercept_se;
  p.intercept_ci_low = f.intercept_ci_low;
  p.intercept_ci_high = f.intercept_ci_high;
  p.r_squared = f.r_squared;
  p.residual_se = f.residual_se;
  return p;
}

std::optional<bool> optional_bool(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt() != 0;
}

// Reads the communes present in the filtered data, with their counts per primary domain and
// their rural attributes. Runs inside the report's read transaction.
std::vector<CommuneRow> read_communes(SQLite::Database& db, const Report& report, RuralDefinition& definition) {
  const ReportOptions& options = report.options;
  const std::string where = store::initiative_filter_sql(options);
  std::unordered_map<std::string, std::size_t> domain_index;
  for (std::size_t d = 0; d < report.domains.size(); ++d) domain_index[report.domains[d].domain] = d;
  const std::size_t unclassified = report.domains.size() - 1;

  std::vector<CommuneRow> rows;
  std::unordered_map<std::string, std::size_t> by_code;
  {
    SQLite::Statement q(db,
                        "SELECT m.code, m.name, m.department, coalesce(d.name, ''), coalesce(m.region, ''), "
                        "coalesce(r.name, ''), m.population, m.rural FROM communes m "
                        "LEFT JOIN departments d ON d.code = m.department LEFT JOIN regions r ON r.code = m.region "
                        "WHERE m.code IN (SELECT i.commune_code" +
                            std::string(kFrom) + "WHERE" + where + ") ORDER BY m.code");
    store::bind_initiative_filter(q, report.run.id, options);
    while (q.executeStep()) {
      CommuneRow row;
      row.point.code = q.getColumn(0).getString();
      row.point.name = q.getColumn(1).getString();
      row.point.department = q.getColumn(2).getString();
      row.department_name = q.getColumn(3).getString();
      row.point.region = q.getColumn(4).getString();
      row.region_name = q.getColumn(5).getString();
      if (!q.getColumn(6).isNull()) row.point.population = q.getColumn(6).getInt64();
      row.commune_attribute = optional_bool(q.getColumn(7));
      row.domain_counts.assign(report.domains.size(), 0);
      by_code[row.point.code] = rows.size();
      rows.push_back(std::move(row));
    }
  }
  {
    SQLite::Statement q(db, "SELECT i.commune_code, c.primary_domain, count(*)" + std::string(kFrom) + "WHERE" +
                                where + " GROUP BY i.commune_code, c.primary_domain");
    store::bind_initiative_filter(q, report.run.id, options);
    while (q.executeStep()) {
      auto& row = rows[by_code.at(q.getColumn(0).getString())];
      std::size_t d = unclassified;
      if (!q.getColumn(1).isNull()) {
        // A primary domain outside the run's domain list cannot be stored by Baro; count it
        // as unclassified rather than lose it, so that the mix still sums to the total.
        const auto it = domain_index.find(q.getColumn(1).getString());
        if (it != domain_index.end()) d = it->second;
      }
      const std::int64_t n = q.getColumn(2).getInt64();
      row.domain_counts[d] += n;
      row.point.initiatives += n;
    }
  }
  {
    // Attributes imported with the batches; when a commune's initiatives disagree, the most
    // recently imported one is the most recent statement about the commune.
    SQLite::Statement q(db, "SELECT i.commune_code, i.rural" + std::string(kFrom) + "WHERE" + where +
                                " AND i.rural IS NOT NULL ORDER BY i.batch_id, i.id");
    store::bind_initiative_filter(q, report.run.id, options);
    std::map<std::string, bool> conflicting;
    while (q.executeStep()) {
      auto& row = rows[by_code.at(q.getColumn(0).getString())];
      const bool rural = q.getColumn(1).getInt() != 0;
      if (row.initiative_attribute && *row.initiative_attribute != rural) conflicting[row.point.code] = true;
      row.initiative_attribute = rural;
    }
    definition.conflicting_attributes = static_cast<std::int64_t>(conflicting.size());
  }
  {
    SQLite::Statement q(db, "SELECT value FROM reference_meta WHERE key = 'population_vintage'");
    if (q.executeStep()) definition.population_vintage = q.getColumn(0).getString();
  }
  return rows;
}

std::int64_t count_reference_communes(SQLite::Database& db, const ReportOptions& options) {
  std::string sql = "SELECT count(*) FROM communes m WHERE 1";
  if (options.region) sql += " AND m.region = :region";
  if (options.department) sql += " AND m.department = :department";
  SQLite::Statement q(db, sql);
  if (options.region) q.bind(":region", *options.region);
  if (options.department) q.bind(":department", *options.department);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

void decide_rural(std::vector<CommuneRow>& rows, RuralDefinition& definition) {
  for (auto& row : rows) {
    auto& p = row.point;
    if (row.initiative_attribute) {
      p.rural = row.initiative_attribute;
      p.rural_source = RuralSource::kInitiative;
      definition.by_initiative_attribute += 1;
    } else if (row.commune_attribute) {
      p.rural = row.commune_attribute;
      p.rural_source = RuralSource::kCommune;
      definition.by_commune_attribute += 1;
    } else if (p.population) {
      p.rural = *p.population < definition.threshold;
      p.rural_source = RuralSource::kPopulation;
      definition.by_population += 1;
    } else {
      p.rural_source = RuralSource::kUnknown;
      definition.unknown += 1;
    }
  }
}

void compute_coverage(const std::vector<CommuneRow>& rows, Coverage& coverage) {
  coverage.communes = static_cast<std::int64_t>(rows.size());
  if (rows.empty()) return;
  std::vector<double> counts;
  const CommuneRow* top = nullptr;
  for (const auto& row : rows) {
    counts.push_back(static_cast<double>(row.point.initiatives));
    const auto population = [](const CommuneRow& r) { return r.point.population.value_or(-1); };
    // rows are in code order, so a strict comparison keeps the lowest code among full ties.
    if (top == nullptr || row.point.initiatives > top->point.initiatives ||
        (row.point.initiatives == top->point.initiatives && population(row) > population(*top))) {
      top = &row;
    }
  }
  coverage.mean = stats::mean(counts);
  coverage.median = stats::quantile(counts, 0.5);
  coverage.q1 = stats::quantile(counts, 0.25);
  coverage.q3 = stats::quantile(counts, 0.75);
  coverage.min = static_cast<std::int64_t>(*std::min_element(counts.begin(), counts.end()));
  coverage.max = top->point.initiatives;
  coverage.max_commune_code = top->point.code;
  coverage.max_commune_name = top->point.name;
}

void compute_size_effect(std::vector<CommuneRow>& rows, SizeEffect& size) {
  std::vector<double> population, initiatives, log_population, log_initiatives;
  std::vector<CommuneRow*> fitted;
  for (auto& row : rows) {
    if (!row.point.population || *row.point.population <= 0) {
      size.communes_without_population += 1;
      continue;
    }
    population.push_back(static_cast<double>(*row.point.population));
    initiatives.push_back(static_cast<double>(row.point.initiatives));
    log_population.push_back(std::log(population.back()));
    log_initiatives.push_back(std::log(initiatives.back()));
    fitted.push_back(&row);
  }
  size.communes = static_cast<std::int64_t>(fitted.size());
  if (const auto r = stats::pearson(population, initiatives)) size.pearson_raw = to_figures(*r);
  if (const auto r = stats::pearson(log_population, log_initiatives)) size.pearson_log = to_figures(*r);
  if (const auto r = stats::spearman(population, initiatives)) size.spearman = to_figures(*r);
  if (const auto fit = stats::least_squares(log_population, log_initiatives)) {
    size.fit = to_figures(*fit);
    // Rounded to 1e-9 so that communes on the same spot of the fit tie in the rank test, as
    // they would with exact arithmetic, instead of being ordered by rounding noise.
    for (std::size_t i = 0; i < fitted.size(); ++i) {
      const double residual = log_initiatives[i] - fit->predict(log_population[i]);
      fitted[i]->point.residual = std::round(residual * 1e9) / 1e9;
    }
  }
}

void compute_rural_effect(const std::vector<CommuneRow>& rows, std::size_t domains, RuralEffect& effect) {
  GroupAccumulator rural("rural", "Communes rurales", domains), urban("urban", "Communes urbaines", domains);
  std::vector<double> counts, log_population, is_rural;
  RuralCountModel model;
  for (const auto& row : rows) {
    if (!row.point.rural) continue;
    (*row.point.rural ? rural : urban).add(row);
    if (!row.point.population || *row.point.population <= 0) continue;
    counts.push_back(static_cast<double>(row.point.initiatives));
    log_population.push_back(std::log(static_cast<double>(*row.point.population)));
    is_rural.push_back(*row.point.rural ? 1.0 : 0.0);
    (*row.point.rural ? model.rural_communes : model.urban_communes) += 1;
  }
  effect.rural = rural.finish();
  effect.urban = urban.finish();
  // A group without a commune makes the rural indicator constant: the fit refuses it.
  const auto fit = stats::negative_binomial_regression(counts, {log_population, is_rural});
  if (!fit) return;
  model.communes = static_cast<std::int64_t>(fit->n);
  const auto& size = fit->coefficients[1];
  const auto& gap = fit->coefficients[2];
  model.rate_ratio = std::exp(gap.estimate);
  model.rate_ratio_ci_low = std::exp(gap.ci_low);
  model.rate_ratio_ci_high = std::exp(gap.ci_high);
  model.rate_ratio_p_value = gap.p_value;
  model.elasticity = size.estimate;
  model.elasticity_ci_low = size.ci_low;
  model.elasticity_ci_high = size.ci_high;
  model.elasticity_p_value = size.p_value;
  model.dispersion = fit->alpha;
  effect.count_model = model;
}

void compute_breakdowns(const std::vector<CommuneRow>& rows, std::size_t domains, Report& report) {
  std::vector<GroupAccumulator> bands;
  for (const auto& band : kPopulationBands) bands.emplace_back(band.key, band.label, domains);
  std::optional<GroupAccumulator> unknown_band;
  std::map<std::string, GroupAccumulator> regions, departments;
  for (const auto& row : rows) {
    if (row.point.population) {
      for (std::size_t b = 0; b < kPopulationBands.size(); ++b) {
        const auto& band = kPopulationBands[b];
        if (*row.point.population >= band.min && (!band.max || *row.point.population < *band.max)) bands[b].add(row);
      }
    } else {
      if (!unknown_band) unknown_band.emplace("unknown", "Population inconnue", domains);
      unknown_band->add(row);
    }
    const auto group = [&](std::map<std::string, GroupAccumulator>& groups, const std::string& code,
                           const std::string& name) -> GroupAccumulator& {
      auto it = groups.find(code);
      if (it == groups.end()) it = groups.emplace(code, GroupAccumulator(code, name.empty() ? code : name, domains)).first;
      return it->second;
    };
    group(regions, row.point.region, row.region_name).add(row);
    group(departments, row.point.department, row.department_name).add(row);
  }
  for (const auto& b : bands) report.by_population_band.push_back(b.finish());
  if (unknown_band) report.by_population_band.push_back(unknown_band->finish());
  const auto by_initiatives = [](const GroupFigures& a, const GroupFigures& b) {
    return a.initiatives != b.initiatives ? a.initiatives > b.initiatives : a.key < b.key;
  };
  for (const auto* areas : {&regions, &departments}) {
    auto& out = areas == &regions ? report.by_region : report.by_department;
    for (const auto& [code, g] : *areas) {
      out.push_back(g.finish());
      out.back().small_sample = out.back().communes < kMinCommunesPerArea;
    }
  }
  std::sort(report.by_region.begin(), report.by_region.end(), by_initiatives);
  std::sort(report.by_department.begin(), report.by_department.end(), by_initiatives);
}

// "01, 02, 2A" — at most `shown` values, then how many more.
std::string list_values(const std::vector<std::string>& values, std::size_t shown = 25) {
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < shown; ++i) out += (i ? ", " : "") + values[i];
  if (values.size() > shown) out += ", … (" + std::to_string(values.size()) + " in all)";
  return out;
}

// The distinct values of `column` (an SQL expression over i and m) among the run's initiatives.
std::vector<std::string> run_values(SQLite::Database& db, std::int64_t run, const std::string& column) {
  SQLite::Statement q(db, "SELECT DISTINCT " + column + kFrom + "WHERE c.run_id = ? AND " + column +
                              " IS NOT NULL ORDER BY 1");
  q.bind(1, run);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

// Checks that each filter names something the database knows, and writes department and
// region codes as the reference spells them ("2a" is "2A"). An unknown value is a usage
// error whose hint lists the values the run has: a typo must not pass for an empty area.
void check_filters(SQLite::Database& db, std::int64_t run, ReportOptions& options) {
  const auto canonical_code = [&](const char* table, const std::string& code) -> std::optional<std::string> {
    SQLite::Statement q(db, std::string("SELECT code FROM ") + table + " WHERE upper(code) = upper(?)");
    q.bind(1, code);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  };
  const std::string in_run = " in run " + std::to_string(run) + ": ";
  if (options.department) {
    const auto code = canonical_code("departments", *options.department);
    if (!code) {
      throw usage_error("unknown department '" + *options.department + "' (--department takes an INSEE code: 01, 2A, 971)",
                        "departments with initiatives" + in_run + list_values(run_values(db, run, "m.department")));
    }
    options.department = *code;
  }
  if (options.region) {
    const auto code = canonical_code("regions", *options.region);
    if (!code) {
      throw usage_error("unknown region '" + *options.region + "' (--region takes an INSEE region code: 84, 11, 976)",
                        "regions with initiatives" + in_run + list_values(run_values(db, run, "m.region")));
    }
    options.region = *code;
  }
  if (options.batch_id) {
    SQLite::Statement q(db, "SELECT 1 FROM batches WHERE id = ?");
    q.bind(1, *options.batch_id);
    if (!q.executeStep()) {
      throw usage_error("there is no batch " + std::to_string(*options.batch_id),
                        "batches" + in_run + list_values(run_values(db, run, "i.batch_id")));
    }
  }
  if (options.year) {
    SQLite::Statement q(db, "SELECT 1 FROM initiatives WHERE year = ? LIMIT 1");
    q.bind(1, *options.year);
    if (!q.executeStep()) {
      throw usage_error("no initiative of any batch is dated " + std::to_string(*options.year),
                        "years" + in_run + list_values(run_values(db, run, "i.year")));
    }
  }
}

// "year 2025, department 2A": the filters in force, for messages and the reports' headers.
std::string describe_filters(const ReportOptions& options) {
  std::vector<std::string> parts;
  if (options.batch_id) parts.push_back("batch " + std::to_string(*options.batch_id));
  if (options.year) parts.push_back("year " + std::to_string(*options.year));
  if (options.region) parts.push_back("region " + *options.region);
  if (options.department) parts.push_back("department " + *options.department);
  return list_values(parts);
}

// The run's coded validation sample, if any: its figures, and the corrected shares of the
// (filtered) predicted counts.
void add_validation(SQLite::Database& db, Report& report) {
  const auto sample = store::load_sample(db, report.run.id);
  if (!sample) return;
  const auto categories = stats::run_categories(db, report.run.id);
  auto measured = stats::measure_sample(report.run.id, categories, *sample);
  if (measured.figures.coded == 0) return;
  std::vector<std::int64_t> counts;
  for (const auto& d : report.domains) counts.push_back(d.primary_count);
  if (counts.size() != categories.ids.size()) return;  // cannot happen: both are the run's domains, then none
  const auto corrected = stats::corrected_shares(counts.size(), counts, measured.rows);
  for (std::size_t k = 0; k < corrected.size(); ++k) {
    report.domains[k].corrected_share = corrected[k].share;
    report.domains[k].corrected_ci_low = corrected[k].ci_low;
    report.domains[k].corrected_ci_high = corrected[k].ci_high;
  }
  report.validation = std::move(measured.figures);
}

}  // namespace

const char* to_string(RuralSource source) noexcept {
  switch (source) {
    case RuralSource::kInitiative: return "initiative";
    case RuralSource::kCommune: return "commune";
    case RuralSource::kPopulation: return "population";
    case RuralSource::kUnknown: break;
  }
  return "unknown";
}

namespace stats {

ReportScope resolve_report_scope(const Store& store, const ReportOptions& options) {
  if (options.rural_below <= 0) {
    throw usage_error("the rural threshold must be a positive population, not " + std::to_string(options.rural_below),
                      "INSEE's historic threshold is --rural-below 2000");
  }
  auto& db = const_cast<SQLite::Database&>(store.database());
  ReportScope scope;
  scope.options = options;
  scope.run = lifecycle::require_run_or_latest(store, options.run_id);
  scope.options.run_id = scope.run.id;
  try {
    check_filters(db, scope.run.id, scope.options);
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "checking the report's filters");
  }
  try {
    SQLite::Statement q(db, std::string("SELECT count(*)") + kFrom + "WHERE" + store::initiative_filter_sql(scope.options));
    store::bind_initiative_filter(q, scope.run.id, scope.options);
    q.executeStep();
    scope.initiatives = q.getColumn(0).getInt64();
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "counting the initiatives of the report");
  }
  const ReportOptions& f = scope.options;
  if (scope.initiatives == 0 && (f.batch_id || f.year || f.region || f.department)) {
    throw no_input_error("no initiative of run " + std::to_string(scope.run.id) + " matches the filters (" +
                             describe_filters(f) + ")",
                         {store.path().string()},
                         "each filter is known to the database, but together they select nothing: remove one");
  }
  return scope;
}

Report compute_report_in_snapshot(const Store& store, const ReportScope& scope) {
  Report report;
  report.run = scope.run;
  report.options = scope.options;
  report.rural.definition.threshold = scope.options.rural_below;
  auto& db = const_cast<SQLite::Database&>(store.database());
  std::vector<CommuneRow> rows;
  // The filters as the reference spells them (resolve_report_scope checked them).
  const ReportOptions& filters = report.options;
  try {
    const std::string where = store::initiative_filter_sql(filters);
    {
      SQLite::Statement q(db, std::string("SELECT count(*), count(DISTINCT i.commune_code)") + kFrom + "WHERE" + where);
      store::bind_initiative_filter(q, report.run.id, filters);
      q.executeStep();
      report.initiatives = q.getColumn(0).getInt64();
      report.communes = q.getColumn(1).getInt64();
    }
    std::map<std::string, std::int64_t> primary, touching;
    std::int64_t unclassified = 0;
    {
      SQLite::Statement q(db, std::string("SELECT c.primary_domain, count(*)") + kFrom + "WHERE" + where +
                                  " GROUP BY c.primary_domain");
      store::bind_initiative_filter(q, report.run.id, filters);
      while (q.executeStep()) {
        if (q.getColumn(0).isNull()) unclassified = q.getColumn(1).getInt64();
        else primary[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
      }
    }
    {
      SQLite::Statement q(db, std::string("SELECT l.domain, count(*)") + kFrom +
                                  "JOIN labels l ON l.run_id = c.run_id AND l.initiative_id = c.initiative_id WHERE" +
                                  where + " GROUP BY l.domain");
      store::bind_initiative_filter(q, report.run.id, filters);
      while (q.executeStep()) touching[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
    }
  const double total = static_cast<double>(report.initiatives);
    const auto share = [&](std::int64_t n) { return total > 0 ? static_cast<double>(n) / total : 0.0; };
    SQLite::Statement domains(db, "SELECT domain, label FROM run_domains WHERE run_id = ? ORDER BY position");
    domains.bind(1, report.run.id);
    while (domains.executeStep()) {
      DomainShare d;
      d.domain = domains.getColumn(0).getString();
      d.label = domains.getColumn(1).getString();
      d.primary_count = primary[d.domain];
      d.touching_count = touching[d.domain];
      d.primary_share = share(d.primary_count);
      d.touching_share = share(d.touching_count);
      report.domains.push_back(std::move(d));
    }
    DomainShare none;
    none.label = "Non classé";
    none.primary_count = unclassified;
    none.primary_share = share(unclassified);
    report.domains.push_back(std::move(none));

    add_validation(db, report);
    rows = read_communes(db, report, report.rural.definition);
    report.coverage.reference_communes = count_reference_communes(db, filters);
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "computing the report");
  }

  const std::size_t domains = report.domains.size();
  decide_rural(rows, report.rural.definition);
  compute_coverage(rows, report.coverage);
  compute_size_effect(rows, report.size);
  compute_rural_effect(rows, domains, report.rural);
  compute_breakdowns(rows, domains, report);
  for (auto& row : rows) report.commune_points.push_back(std::move(row.point));
  std::stable_sort(report.commune_points.begin(), report.commune_points.end(),
                   [](const CommunePoint& a, const CommunePoint& b) {
                     return a.population.value_or(-1) > b.population.value_or(-1);
                   });
  report.findings = stats::generate_findings(report);
  return report;
}

}  // namespace stats

Report compute_report(const Store& store, const ReportOptions& options) {
  auto& db = const_cast<SQLite::Database&>(store.database());
  // One read transaction, begun before the run is chosen: the run and every figure come
  // from the same snapshot, even while an import commits in another process (a run chosen
  // outside it could count initiatives the figures do not).
  try {
    db.exec("BEGIN");
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "computing the report");
  }
  struct Rollback {
    SQLite::Database& db;
    ~Rollback() {
      try {
        db.exec("ROLLBACK");
      } catch (...) {
      }
    }
  } rollback{db};
  return stats::compute_report_in_snapshot(store, stats::resolve_report_scope(store, options));
}

}  // namespace baro
