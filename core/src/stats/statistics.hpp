// The few statistics the barometer publishes: quantiles, Pearson and Spearman correlation,
// an ordinary least-squares line with its standard errors, and the Mann–Whitney U test.
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
  double p_value = 1.0;           // two-sided, H0: no correlation (t with n - 2 degrees of freedom)
  // The kConfidenceLevel interval by Fisher's z transform; absent for Spearman (the
  // transform's standard error is not exact for ranks) and when n < 4.
  std::optional<double> ci_low, ci_high;
};

// Pearson's product-moment correlation of paired samples. std::nullopt when the samples differ
// in size, n < 3, or either variable is constant.
std::optional<Correlation> pearson(std::span<const double> x, std::span<const double> y);

// Spearman's rank correlation: Pearson's r of the average ranks (so ties are handled exactly),
// with the same t-based p-value as SciPy's spearmanr. Same conditions as pearson().
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

// The Mann–Whitney U (Wilcoxon rank-sum) test of two independent samples.
struct MannWhitney {
  std::size_t n1 = 0, n2 = 0;
  double u1 = 0.0;  // U of the first sample: R1 - n1 (n1 + 1) / 2, R1 its rank sum in the pooled sample
  double u2 = 0.0;  // n1 n2 - u1
  // The normal approximation: z of u1, with the tie-corrected variance and a continuity
  // correction of 0.5 towards the mean (SciPy's mannwhitneyu, method="asymptotic").
  double z = 0.0;
  double p_value = 1.0;  // two-sided
  // u1 / (n1 n2): the probability that a value of the first sample exceeds one of the second,
  // ties counting one half (the "common-language" effect size).
  double effect = 0.5;
};

// std::nullopt when either sample is empty or every pooled value is tied (no variance).
std::optional<MannWhitney> mann_whitney(std::span<const double> first, std::span<const double> second);

}  // namespace baro::stats
