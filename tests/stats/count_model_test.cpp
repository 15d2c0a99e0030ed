// The negative binomial regression of the rural gap: against statsmodels, and calibrated on
// surveys simulated with a known rural factor.
//
// Expected values: statsmodels 0.13.5 (Debian 12's python3-statsmodels), printed by
// tools/stats_reference.py ("negative binomial regression"), which holds the same data.
#include <catch2/catch.hpp>

#include <boost/random/gamma_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <vector>

#include "stats/count_model.hpp"

namespace stats = baro::stats;

namespace {

// tools/stats_reference.py: NB_POPULATION, NB_COUNTS (40 communes, one zero count).
const std::vector<double> kPopulation = {15388, 35033, 1499, 202,   6847,  399,   18313, 1509,  3183, 102171,
                                         27846, 42237, 6133, 81227, 170,   57210, 2030,  706,   5339, 82911,
                                         1371,  65148, 3410, 96431, 24815, 28199, 1681,  7629,  790,  31548,
                                         845,   13450, 248,  781,   1643,  474,   855,   578,   196,  1484};
const std::vector<double> kCounts = {54, 53, 2,  2,  13, 2,  57, 8,  6, 125, 31, 57, 39, 36, 2,  20, 9, 5, 27, 64,
                                     9,  39, 11, 122, 83, 79, 19, 14, 2, 50,  3,  28, 9,  8,  1,  0,  8, 5, 3,  3};

// ln(population) and the rural indicator (population < 2,000): the report's two predictors.
std::vector<std::vector<double>> predictors(const std::vector<double>& population) {
  std::vector<double> log_population, rural;
  for (const double p : population) {
    log_population.push_back(std::log(p));
    rural.push_back(p < 2000 ? 1.0 : 0.0);
  }
  return {log_population, rural};
}

}  // namespace

TEST_CASE("the negative binomial fit matches statsmodels: coefficients, dispersion, errors", "[stats][count_model]") {
  const auto fit = stats::negative_binomial_regression(kCounts, predictors(kPopulation));
  REQUIRE(fit);
  CHECK(fit->n == 40);
  REQUIRE(fit->coefficients.size() == 3);
  // The dispersion is found by a one-dimensional search to about 1e-9 in ln alpha; the
  // coefficients and errors depend on it smoothly.
  CHECK(fit->alpha == Approx(0.2513708861498481).epsilon(1e-6));
  CHECK(fit->log_likelihood == Approx(-141.5749779740671).epsilon(1e-9));
  const auto& intercept = fit->coefficients[0];
  const auto& elasticity = fit->coefficients[1];
  const auto& rural = fit->coefficients[2];
  CHECK(intercept.estimate == Approx(-1.3110294555868558).epsilon(1e-6));
  CHECK(elasticity.estimate == Approx(0.5044459698716612).epsilon(1e-6));
  CHECK(rural.estimate == Approx(-0.4081715460575337).epsilon(1e-6));
  CHECK(intercept.standard_error == Approx(0.9020886424612122).epsilon(1e-6));
  CHECK(elasticity.standard_error == Approx(0.08982552193196795).epsilon(1e-6));
  CHECK(rural.standard_error == Approx(0.3572337495097372).epsilon(1e-6));
  CHECK(elasticity.p_value == Approx(1.9560695102675892e-08).epsilon(1e-5));
  CHECK(rural.p_value == Approx(0.2532090498467401).epsilon(1e-6));
  CHECK(std::exp(rural.estimate) == Approx(0.664864814101353).epsilon(1e-6));
  CHECK(std::exp(rural.ci_low) == Approx(0.33010752998515464).epsilon(1e-6));
  CHECK(std::exp(rural.ci_high) == Approx(1.3390946309219487).epsilon(1e-6));
}

TEST_CASE("counts that follow the model exactly give its coefficients and a Poisson dispersion", "[stats][count_model]") {
  // The report fixture's six communes: 2 sqrt(pop / 400), doubled for urban ones.
  const std::vector<double> population = {400, 400, 1600, 1600, 6400, 6400};
  const std::vector<double> counts = {2, 4, 4, 8, 8, 16};
  const std::vector<double> log_population = {std::log(400.0), std::log(400.0), std::log(1600.0),
                                              std::log(1600.0), std::log(6400.0), std::log(6400.0)};
  const std::vector<double> rural = {1, 0, 1, 0, 1, 0};
  const auto fit = stats::negative_binomial_regression(counts, {log_population, rural});
  REQUIRE(fit);
  CHECK(fit->coefficients[1].estimate == Approx(0.5).epsilon(1e-7));
  CHECK(std::exp(fit->coefficients[2].estimate) == Approx(0.5).epsilon(1e-7));
  CHECK(fit->alpha < 1e-6);  // no variation beyond Poisson's
}

TEST_CASE("the count model refuses what it cannot fit", "[stats][count_model]") {
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const std::vector<double> constant = {1, 1, 1, 1, 1};
  CHECK_FALSE(stats::negative_binomial_regression(std::vector<double>{1, 2, 3, 4, 5}, {x, constant}));  // collinear
  CHECK_FALSE(stats::negative_binomial_regression(std::vector<double>{1, 2, 3}, {{1, 2, 3}, {0, 1, 0}}));  // n = p
  CHECK_FALSE(stats::negative_binomial_regression(std::vector<double>{1, 2.5, 3, 4}, {{1, 2, 3, 4}}));     // not a count
  CHECK_FALSE(stats::negative_binomial_regression(std::vector<double>{1, -2, 3, 4}, {{1, 2, 3, 4}}));      // negative
  CHECK_FALSE(stats::negative_binomial_regression(std::vector<double>{0, 0, 0, 0}, {{1, 2, 3, 4}}));       // no rate
  CHECK_FALSE(stats::negative_binomial_regression(std::vector<double>{1, 2, 3, 4}, {{1, 2, 3}}));          // sizes
}

TEST_CASE("calibration: on 200 simulated surveys with a rural factor of 0.7 the estimate is unbiased and its "
          "interval covers 0.7 at least 90 % of the time",
          "[stats][count_model][calibration]") {
  // Each survey: 120 communes, populations log-uniform between 150 and 150,000, rural below
  // 2,000; counts gamma-Poisson (NB2, alpha = 0.25) with ln mu = -1.5 + 0.55 ln(population)
  // + ln(0.7) for rural communes. Boost.Random, seeded: the same draws on every platform.
  constexpr double kRuralFactor = 0.7, kAlpha = 0.25;
  constexpr int kSurveys = 200, kCommunes = 120;
  boost::random::mt19937 generator(20260015);
  boost::random::uniform_real_distribution<double> log_size(std::log(150.0), std::log(150000.0));
  double sum_of_estimates = 0.0;
  int covered = 0, fitted = 0;
  for (int survey = 0; survey < kSurveys; ++survey) {
    std::vector<double> counts, log_population, rural;
    for (int c = 0; c < kCommunes; ++c) {
      const double population = std::round(std::exp(log_size(generator)));
      const bool is_rural = population < 2000;
      const double mu = std::exp(-1.5 + 0.55 * std::log(population)) * (is_rural ? kRuralFactor : 1.0);
      boost::random::gamma_distribution<double> heterogeneity(1.0 / kAlpha, kAlpha * mu);
      boost::random::poisson_distribution<int, double> count(heterogeneity(generator));
      counts.push_back(count(generator));
      log_population.push_back(std::log(population));
      rural.push_back(is_rural ? 1.0 : 0.0);
    }
    const auto fit = stats::negative_binomial_regression(counts, {log_population, rural});
    if (!fit) continue;
    ++fitted;
    const auto& r = fit->coefficients[2];
    sum_of_estimates += std::exp(r.estimate);
    if (std::exp(r.ci_low) <= kRuralFactor && kRuralFactor <= std::exp(r.ci_high)) ++covered;
  }
  REQUIRE(fitted == kSurveys);
  const double mean_estimate = sum_of_estimates / kSurveys;
  INFO("mean rate ratio " << mean_estimate << ", interval covers 0.7 in " << covered << " of " << kSurveys);
  CHECK(std::fabs(mean_estimate - kRuralFactor) < 0.05);
  CHECK(covered >= kSurveys * 9 / 10);
}
