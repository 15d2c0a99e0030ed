// The few statistics the barometer publishes: quantiles, Pearson and Spearman correlation,
// and an ordinary least-squares line with its standard errors. (The count model of the rural
// gap is count_model.hpp.)
//
// Each function takes plain samples and returns plain numbers, so that it can be checked
// against values computed independently (tests/stats/statistics_test.cpp says where each
// expected value comes from). Tail probabilities and quantiles of the reference
// distributions come from Boost.Math (students_t, normal), never from hand-written
// approximations.
//
// Functions that need a minimum sample return std::nullopt below it, or when the statistic
// is undefined (a constant variable), rather than NaN: a report can then say "not enough
// data" instead of printing "nan". Inputs must be finite numbers.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace baro::stats {

// The confidence level of every interval in the report.
inline constexpr double kConfidenceLevel = 0.95;

double mean(std::span<const double> values);

// The p-quantile (0 <= p <= 1) of a non-empty sample, by linear interpolation between order
// statistics: Hyndman & Fan's type 7, the default of R's quantile() and of NumPy. The median
// is quantile(values, 0.5). Throws std::invalid_argument on an empty sample.
double quantile(std::vector<double> values, double p);

// Ranks 1..n of the values, ties receiving the average of the ranks they span
// ("fractional" or "mid" ranks): {10, 20, 20, 30} -> {1, 2.5, 2.5, 4}.
std::vector<double> average_ranks(std::span<const double> values);

struct Correlation {
  std::size_t n = 0;
  double r = 0.0;                 // Pearson's r, or Spearman's rho
  // Two-sided, H0: no correlation. Pearson: t with n - 2 degrees of freedom. Spearman: the
  // same t approximation, or, up to kExactSpearmanUpTo pairs, exact (`exact` is then true).
  double p_value = 1.0;
  bool exact = false;
  // The kConfidenceLevel interval by Fisher's z transform; absent for Spearman (the
  // transform's standard error is not exact for ranks) and when n < 4.
  std::optional<double> ci_low, ci_high;
};

// Pearson's product-moment correlation of paired samples. std::nullopt when the samples differ
// in size, n < 3, or either variable is constant.
std::optional<Correlation> pearson(std::span<const double> x, std::span<const double> y);

// Up to this many pairs, Spearman's p-value is exact: the t approximation is far off for a
// handful of points (three communes in perfect order get p = 0 from it; the exact p is 1/3).
inline constexpr std::size_t kExactSpearmanUpTo = 10;

// Spearman's rank correlation: Pearson's r of the average ranks (so ties are handled exactly).
// Its p-value is the permutation test's for n <= kExactSpearmanUpTo: the share of the
// distinct orderings of one variable's ranks against the other's (each equally likely under
// H0, ties included) with rho at most, or at least, the observed one; twice the smaller of the
// two, at most 1 (SciPy's permutation_test on the same statistic, every permutation). Above,
// the t approximation of SciPy's spearmanr. Same conditions as pearson().
std::optional<Correlation> spearman(std::span<const double> x, std::span<const double> y);

// y = intercept + slope * x by ordinary least squares.
struct LinearFit {
  std::size_t n = 0;
  double slope = 0.0, intercept = 0.0;
  double r_squared = 0.0;
  double residual_se = 0.0;  // sqrt(SSE / (n - 2))
  double slope_se = 0.0, intercept_se = 0.0;
  // kConfidenceLevel intervals, t with n - 2 degrees of freedom.
  double slope_ci_low = 0.0, slope_ci_high = 0.0;
  double intercept_ci_low = 0.0, intercept_ci_high = 0.0;
  // Two-sided, H0: the coefficient is 0.
  double slope_p_value = 1.0, intercept_p_value = 1.0;

  double predict(double x) const noexcept { return intercept + slope * x; }
};

// std::nullopt when the samples differ in size, n < 3 or x is constant.
std::optional<LinearFit> least_squares(std::span<const double> x, std::span<const double> y);

}  // namespace baro::stats
