// The statistics module against values computed independently.
//
// Sources of the expected values:
// - Anscombe (1973), "Graphs in Statistical Analysis", The American Statistician 27(1):17-21,
//   data set I: the published r = 0.816, fit y = 3.00 + 0.500 x, R^2 = 0.67.
// - Everything with more digits: SciPy 1.10.1 / NumPy 1.24 (Debian 12's python3-scipy),
//   printed by tools/stats_reference.py, which holds the same samples; run it to check them.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "stats/french.hpp"
#include "stats/statistics.hpp"

namespace stats = baro::stats;

namespace {

const std::vector<double> kAnscombeX = {10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5};
const std::vector<double> kAnscombeY1 = {8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68};

// Barometer-shaped: populations and initiative counts, with ties in both.
const std::vector<double> kPopulation = {312, 845, 845, 1520, 1980, 2400, 3100, 5800, 5800, 12000, 24500, 51000, 98000, 515000};
const std::vector<double> kInitiatives = {1, 2, 1, 3, 2, 2, 4, 6, 3, 11, 9, 21, 30, 120};

std::vector<double> logs(const std::vector<double>& v) {
  std::vector<double> out;
  for (double x : v) out.push_back(std::log(x));
  return out;
}

// Relative tolerance for values computed by two implementations in double precision.
constexpr double kClose = 1e-9;

}  // namespace

TEST_CASE("Pearson's r, its p-value and Fisher interval match Anscombe's data set I", "[stats][pearson]") {
  const auto r = stats::pearson(kAnscombeX, kAnscombeY1);
  REQUIRE(r);
  CHECK(r->n == 11);
  CHECK(r->r == Approx(0.816).margin(0.0005));  // as published
  CHECK(r->r == Approx(0.81642051634484).epsilon(kClose));
  CHECK(r->p_value == Approx(0.002169628873078783).epsilon(1e-7));
  REQUIRE(r->ci_low);
  CHECK(*r->ci_low == Approx(0.4243912133932165).epsilon(1e-7));
  CHECK(*r->ci_high == Approx(0.9506932537865606).epsilon(1e-7));
}

TEST_CASE("least squares reproduces Anscombe's line with SciPy's standard errors and intervals", "[stats][ols]") {
  const auto fit = stats::least_squares(kAnscombeX, kAnscombeY1);
  REQUIRE(fit);
  CHECK(fit->slope == Approx(0.500).margin(0.0005));     // as published
  CHECK(fit->intercept == Approx(3.00).margin(0.005));   // as published
  CHECK(fit->r_squared == Approx(0.67).margin(0.005));   // as published
  CHECK(fit->slope == Approx(0.5000909090909091).epsilon(kClose));
  CHECK(fit->intercept == Approx(3.0000909090909103).epsilon(kClose));
  CHECK(fit->r_squared == Approx(0.666542459508775).epsilon(kClose));
  CHECK(fit->slope_se == Approx(0.11790550059563408).epsilon(kClose));
  CHECK(fit->intercept_se == Approx(1.1247467908086437).epsilon(kClose));
  CHECK(fit->residual_se == Approx(1.236603322726321).epsilon(kClose));
  CHECK(fit->slope_ci_low == Approx(0.23337013639193327).epsilon(1e-7));
  CHECK(fit->slope_ci_high == Approx(0.766811681789885).epsilon(1e-7));
  CHECK(fit->intercept_ci_low == Approx(0.4557368999931932).epsilon(1e-7));
  CHECK(fit->intercept_ci_high == Approx(5.544444918188628).epsilon(1e-7));
  CHECK(fit->slope_p_value == Approx(0.00216962887307879).epsilon(1e-7));
  CHECK(fit->intercept_p_value == Approx(0.025734051399162388).epsilon(1e-7));
}

TEST_CASE("average ranks give tied values the mean of the ranks they span", "[stats][ranks]") {
  CHECK(stats::average_ranks(std::vector<double>{10, 20, 20, 30}) == std::vector<double>{1, 2.5, 2.5, 4});
  CHECK(stats::average_ranks(kPopulation) ==
        std::vector<double>{1.0, 2.5, 2.5, 4.0, 5.0, 6.0, 7.0, 8.5, 8.5, 10.0, 11.0, 12.0, 13.0, 14.0});
  CHECK(stats::average_ranks(kInitiatives) ==
        std::vector<double>{1.5, 4.0, 1.5, 6.5, 4.0, 4.0, 8.0, 9.0, 6.5, 11.0, 10.0, 12.0, 13.0, 14.0});
  CHECK(stats::average_ranks(std::vector<double>{}).empty());
}

TEST_CASE("Spearman's rho with ties in both variables matches SciPy", "[stats][spearman]") {
  const auto rho = stats::spearman(kPopulation, kInitiatives);
  REQUIRE(rho);
  CHECK(rho->r == Approx(0.9512288654779684).epsilon(kClose));
  CHECK(rho->p_value == Approx(1.748403028417335e-07).epsilon(1e-6));
  CHECK_FALSE(rho->ci_low);
  // Ranks do not change under a monotone transform.
  const auto rho_log = stats::spearman(logs(kPopulation), logs(kInitiatives));
  REQUIRE(rho_log);
  CHECK(rho_log->r == Approx(rho->r).epsilon(1e-12));
  const auto anscombe = stats::spearman(kAnscombeX, kAnscombeY1);
  REQUIRE(anscombe);
  CHECK(anscombe->r == Approx(0.8181818181818182).epsilon(kClose));
  CHECK(anscombe->p_value == Approx(0.0020831448404786904).epsilon(1e-7));
}

TEST_CASE("Spearman's p-value is exact up to ten pairs: three communes in order get 1/3", "[stats][spearman]") {
  // The t approximation would say p = 0 for a perfect order of three.
  const auto three = stats::spearman(std::vector<double>{100, 200, 300}, std::vector<double>{1, 2, 3});
  REQUIRE(three);
  CHECK(three->r == 1.0);
  CHECK(three->exact);
  CHECK(three->p_value == Approx(1.0 / 3.0));
  // With ties in both variables (SciPy's permutation_test over every pairing).
  const std::vector<double> population(kPopulation.begin(), kPopulation.begin() + 8);
  const std::vector<double> initiatives(kInitiatives.begin(), kInitiatives.begin() + 8);
  const auto tied = stats::spearman(population, initiatives);
  REQUIRE(tied);
  CHECK(tied->r == Approx(0.8459369199492186).epsilon(kClose));
  CHECK(tied->p_value == Approx(0.013095238095238096).epsilon(1e-12));
  // Eleven pairs and more: the t approximation, as SciPy's spearmanr.
  const auto anscombe = stats::spearman(kAnscombeX, kAnscombeY1);
  REQUIRE(anscombe);
  CHECK_FALSE(anscombe->exact);
}

TEST_CASE("Pearson on raw and on log values of a barometer-shaped sample matches SciPy", "[stats][pearson]") {
  const auto raw = stats::pearson(kPopulation, kInitiatives);
  REQUIRE(raw);
  CHECK(raw->r == Approx(0.9958571364963573).epsilon(kClose));
  CHECK(raw->p_value == Approx(7.234976545486434e-14).epsilon(1e-6));
  CHECK(*raw->ci_low == Approx(0.9865548522767595).epsilon(1e-7));
  CHECK(*raw->ci_high == Approx(0.9987275786873715).epsilon(1e-7));
  const auto log = stats::pearson(logs(kPopulation), logs(kInitiatives));
  REQUIRE(log);
  CHECK(log->r == Approx(0.9745069224505649).epsilon(kClose));
  CHECK(log->p_value == Approx(3.751297075837535e-09).epsilon(1e-6));
  CHECK(*log->ci_low == Approx(0.9192060120095334).epsilon(1e-7));
  CHECK(*log->ci_high == Approx(0.992111699455914).epsilon(1e-7));
}

TEST_CASE("the log-log fit gives the elasticity, intercept and their uncertainty as SciPy does", "[stats][ols]") {
  const auto fit = stats::least_squares(logs(kPopulation), logs(kInitiatives));
  REQUIRE(fit);
  CHECK(fit->n == 14);
  CHECK(fit->slope == Approx(0.648999752446587).epsilon(kClose));
  CHECK(fit->intercept == Approx(-4.005284946472433).epsilon(kClose));
  CHECK(fit->r_squared == Approx(0.9496637419040713).epsilon(kClose));
  CHECK(fit->slope_se == Approx(0.04313297796409433).epsilon(kClose));
  CHECK(fit->intercept_se == Approx(0.38638236418791483).epsilon(kClose));
  CHECK(fit->residual_se == Approx(0.32123777135901027).epsilon(kClose));
  CHECK(fit->slope_ci_low == Approx(0.5550210666768288).epsilon(1e-7));
  CHECK(fit->slope_ci_high == Approx(0.7429784382163452).epsilon(1e-7));
  CHECK(fit->intercept_ci_low == Approx(-4.847139798720745).epsilon(1e-7));
  CHECK(fit->intercept_ci_high == Approx(-3.1634300942241214).epsilon(1e-7));
  CHECK(fit->slope_p_value == Approx(3.751297075837548e-09).epsilon(1e-6));
  CHECK(fit->intercept_p_value == Approx(2.4250716670206787e-07).epsilon(1e-6));
}

TEST_CASE("quantiles interpolate linearly between order statistics like NumPy", "[stats][quantile]") {
  CHECK(stats::quantile(kInitiatives, 0.0) == 1.0);
  CHECK(stats::quantile(kInitiatives, 0.25) == Approx(2.0));
  CHECK(stats::quantile(kInitiatives, 0.5) == Approx(3.5));
  CHECK(stats::quantile(kInitiatives, 0.75) == Approx(10.5));
  CHECK(stats::quantile(kInitiatives, 1.0) == 120.0);
  CHECK(stats::quantile({7.0}, 0.5) == 7.0);
  CHECK_THROWS_AS(stats::quantile({}, 0.5), std::invalid_argument);
  CHECK(stats::mean(kInitiatives) == Approx(215.0 / 14.0));
}

TEST_CASE("undefined statistics are absent rather than NaN", "[stats][edge]") {
  const std::vector<double> flat = {3, 3, 3, 3}, rising = {1, 2, 3, 4};
  CHECK_FALSE(stats::pearson(flat, rising));
  CHECK_FALSE(stats::spearman(rising, flat));
  CHECK_FALSE(stats::least_squares(flat, rising));  // x constant: no line
  CHECK_FALSE(stats::pearson(std::vector<double>{1, 2}, std::vector<double>{1, 2}));  // n < 3
  CHECK_FALSE(stats::pearson(rising, std::vector<double>{1, 2, 3}));  // sizes differ
}

TEST_CASE("a perfect relationship has r = 1, p = 0 and a zero-width interval", "[stats][edge]") {
  const std::vector<double> x = {1, 2, 3, 4, 5}, y = {3, 5, 7, 9, 11};
  const auto r = stats::pearson(x, y);
  REQUIRE(r);
  CHECK(r->r == 1.0);
  CHECK(r->p_value == 0.0);
  CHECK(*r->ci_low == 1.0);
  const auto fit = stats::least_squares(x, y);
  REQUIRE(fit);
  CHECK(fit->slope == Approx(2.0));
  CHECK(fit->intercept == Approx(1.0));
  CHECK(fit->r_squared == Approx(1.0));
  CHECK(fit->slope_p_value == 0.0);
  CHECK(std::isfinite(fit->slope_ci_low));
}

TEST_CASE("French formatting uses a decimal comma and no-break spaces", "[stats][french]") {
  using namespace baro::stats;
  CHECK(fr_integer(12345) == "12\u00A0345");
  CHECK(fr_integer(-1000) == "\u22121\u00A0000");  // a true minus sign
  CHECK(fr_integer(999) == "999");
  CHECK(fr_decimal(0.8234, 2) == "0,82");
  CHECK(fr_decimal(-1234.56, 1) == "\u22121\u00A0234,6");
  CHECK(fr_decimal(-0.001, 2) == "0,00");
  CHECK(fr_percent(0.2734) == "27,3\u00A0%");
  CHECK(fr_percent(0.5, 0) == "50\u00A0%");
  CHECK(fr_p_value(0.0004) == "p < 0,001");
  CHECK(fr_p_value(0.00312) == "p = 0,0031");
  CHECK(fr_p_value(0.04685) == "p = 0,047");
  CHECK(fr_p_value(0.41) == "p = 0,41");
  CHECK(fr_p_value(1.0) == "p = 1,00");
}
