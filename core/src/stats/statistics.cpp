#include "stats/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>

namespace baro::stats {
namespace {

// Two-sided tail probability of a t statistic. An infinite statistic (a perfect fit) has
// probability 0; Boost would accept it, but saying so here keeps the intent visible.
double two_sided_t_p(double t, double degrees_of_freedom) {
  if (std::isinf(t)) return 0.0;
  const boost::math::students_t dist(degrees_of_freedom);
  return std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t))));
}

double t_critical(double degrees_of_freedom) {
  const boost::math::students_t dist(degrees_of_freedom);
  return boost::math::quantile(boost::math::complement(dist, (1.0 - kConfidenceLevel) / 2.0));
}

double normal_critical() {
  const boost::math::normal dist(0.0, 1.0);
  return boost::math::quantile(boost::math::complement(dist, (1.0 - kConfidenceLevel) / 2.0));
}

// Centred sums of squares and products, computed around the means (two passes) so that
// large populations do not lose precision to cancellation.
struct Moments {
  double mean_x = 0.0, mean_y = 0.0;
  double sxx = 0.0, syy = 0.0, sxy = 0.0;
};

Moments moments(std::span<const double> x, std::span<const double> y) {
  Moments m;
  m.mean_x = mean(x);
  m.mean_y = mean(y);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - m.mean_x, dy = y[i] - m.mean_y;
    m.sxx += dx * dx;
    m.syy += dy * dy;
    m.sxy += dx * dy;
  }
  return m;
}

std::optional<Correlation> correlate(std::span<const double> x, std::span<const double> y, bool fisher_interval) {
  if (x.size() != y.size() || x.size() < 3) return std::nullopt;
  const Moments m = moments(x, y);
  if (m.sxx <= 0.0 || m.syy <= 0.0) return std::nullopt;
  Correlation c;
  c.n = x.size();
  c.r = std::clamp(m.sxy / std::sqrt(m.sxx * m.syy), -1.0, 1.0);
  const double df = static_cast<double>(c.n) - 2.0;
  const double one_minus_r2 = 1.0 - c.r * c.r;
  c.p_value = one_minus_r2 <= 0.0 ? 0.0 : two_sided_t_p(c.r * std::sqrt(df / one_minus_r2), df);
  if (fisher_interval && c.n >= 4) {
    if (std::fabs(c.r) == 1.0) {
      c.ci_low = c.ci_high = c.r;
    } else {
      const double z = std::atanh(c.r);
      const double half_width = normal_critical() / std::sqrt(static_cast<double>(c.n) - 3.0);
      c.ci_low = std::tanh(z - half_width);
      c.ci_high = std::tanh(z + half_width);
    }
  }
  return c;
}

// The permutation distribution of sum(rx_i * ry_i), which orders the orderings as rho does
// (the marginals are fixed). Ranks are multiples of 1/2, so the sums are exact in double.
// Two-sided as SciPy's permutation_test: twice the smaller tail, at most 1 (with ties the
// distribution need not be symmetric).
double exact_spearman_p(std::span<const double> rx, std::vector<double> ry) {
  const auto statistic = [&](const std::vector<double>& order) {
    double sum = 0.0;
    for (std::size_t i = 0; i < rx.size(); ++i) sum += rx[i] * order[i];
    return sum;
  };
  const double observed = statistic(ry);
  std::sort(ry.begin(), ry.end());
  std::uint64_t orderings = 0, at_most = 0, at_least = 0;
  do {
    ++orderings;
    const double s = statistic(ry);
    if (s <= observed + 1e-9) ++at_most;
    if (s >= observed - 1e-9) ++at_least;
  } while (std::next_permutation(ry.begin(), ry.end()));
  const double tail = static_cast<double>(std::min(at_most, at_least)) / static_cast<double>(orderings);
  return std::min(1.0, 2.0 * tail);
}

}  // namespace

double mean(std::span<const double> values) {
  if (values.empty()) return 0.0;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double quantile(std::vector<double> values, double p) {
  if (values.empty()) throw std::invalid_argument("quantile of an empty sample");
  std::sort(values.begin(), values.end());
  const double h = (static_cast<double>(values.size()) - 1.0) * std::clamp(p, 0.0, 1.0);
  const auto lower = static_cast<std::size_t>(std::floor(h));
  if (lower + 1 >= values.size()) return values.back();
  return values[lower] + (h - static_cast<double>(lower)) * (values[lower + 1] - values[lower]);
}

std::vector<double> average_ranks(std::span<const double> values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i + 1;
    while (j < order.size() && values[order[j]] == values[order[i]]) ++j;
    // Positions i..j-1 (0-based) hold one tied value: ranks i+1..j, whose mean is (i+1+j)/2.
    const double rank = (static_cast<double>(i) + 1.0 + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) ranks[order[k]] = rank;
    i = j;
  }
  return ranks;
}

std::optional<Correlation> pearson(std::span<const double> x, std::span<const double> y) {
  return correlate(x, y, /*fisher_interval=*/true);
}

std::optional<Correlation> spearman(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) return std::nullopt;
  const auto rx = average_ranks(x), ry = average_ranks(y);
  auto c = correlate(rx, ry, /*fisher_interval=*/false);
  if (c && c->n <= kExactSpearmanUpTo) {
    c->p_value = exact_spearman_p(rx, ry);
    c->exact = true;
  }
  return c;
}

std::optional<LinearFit> least_squares(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 3) return std::nullopt;
  const Moments m = moments(x, y);
  if (m.sxx <= 0.0) return std::nullopt;
  LinearFit fit;
  fit.n = x.size();
  const double n = static_cast<double>(fit.n);
  fit.slope = m.sxy / m.sxx;
  fit.intercept = m.mean_y - fit.slope * m.mean_x;
  double sse = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double e = y[i] - fit.predict(x[i]);
    sse += e * e;
  }
  // A constant y is fitted exactly by a flat line: all of its (zero) variance is explained.
  fit.r_squared = m.syy > 0.0 ? std::clamp(1.0 - sse / m.syy, 0.0, 1.0) : 1.0;
  const double df = n - 2.0;
  fit.residual_se = std::sqrt(sse / df);
  fit.slope_se = fit.residual_se / std::sqrt(m.sxx);
  fit.intercept_se = fit.residual_se * std::sqrt(1.0 / n + m.mean_x * m.mean_x / m.sxx);
  const double t = t_critical(df);
  fit.slope_ci_low = fit.slope - t * fit.slope_se;
  fit.slope_ci_high = fit.slope + t * fit.slope_se;
  fit.intercept_ci_low = fit.intercept - t * fit.intercept_se;
  fit.intercept_ci_high = fit.intercept + t * fit.intercept_se;
  const auto p = [&](double coefficient, double se) {
    if (se > 0.0) return two_sided_t_p(coefficient / se, df);
    return coefficient == 0.0 ? 1.0 : 0.0;  // an exact fit: no sampling error at all
  };
  fit.slope_p_value = p(fit.slope, fit.slope_se);
  fit.intercept_p_value = p(fit.intercept, fit.intercept_se);
  return fit;
}

}  // namespace baro::stats
