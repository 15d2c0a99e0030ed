#include "stats/count_model.hpp"

#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/minima.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "stats/statistics.hpp"

namespace baro::stats {
namespace {

// The dispersion is searched on a log scale between these bounds: below 1e-8 the model is
// Poisson for any count a survey holds, above 1e3 a count says nothing about its mean.
constexpr double kMinAlpha = 1e-8;
constexpr double kMaxAlpha = 1e3;
constexpr int kMaxIterations = 100;
// IRLS stops when the log-likelihood changes by less than this, relative to its size.
constexpr double kTolerance = 1e-12;
// Above this count, ln Γ(y + 1/α) − ln Γ(1/α) is taken from lgamma rather than summed.
constexpr double kSumUpTo = 1000;

// The NB2 log-likelihood of one count is count_term(y, α) + mean_term(y, μ, α).
// ln Γ(y + 1/α) − ln Γ(1/α) + y ln α is written Σ_{k<y} ln(1 + α k), which stays exact as
// α → 0, where the model becomes Poisson. It does not depend on μ: IRLS computes it once.
double count_term(double y, double alpha) {
  double ratio = 0.0;
  if (y <= kSumUpTo) {
    for (double k = 1; k < y; ++k) ratio += std::log1p(alpha * k);
  } else {
    const double r = 1.0 / alpha;
    ratio = boost::math::lgamma(y + r) - boost::math::lgamma(r) + y * std::log(alpha);
  }
  return ratio - boost::math::lgamma(y + 1.0);
}

double mean_term(double y, double mu, double alpha) {
  return y * std::log(mu) - (y + 1.0 / alpha) * std::log1p(alpha * mu);
}

struct IrlsResult {
  Eigen::VectorXd beta;
  Eigen::MatrixXd covariance;  // (X'WX)^-1 at the estimates
  double log_likelihood = 0.0;
  int iterations = 0;
  bool converged = false;
};

// The coefficients for a known alpha, by iteratively reweighted least squares, starting from
// `start` (empty: from the data). Each step solves the weighted least-squares problem
// sqrt(W) X beta = sqrt(W) z by QR, never forming X'WX for the solve.
IrlsResult fit_for_alpha(const Eigen::VectorXd& y, const Eigen::MatrixXd& x, double alpha, const Eigen::VectorXd& start) {
  const Eigen::Index n = x.rows();
  IrlsResult out;
  Eigen::VectorXd eta(n), mu(n);
  if (start.size() == x.cols()) {
    eta = x * start;
  } else {
    // statsmodels' start: halfway between each count and the mean count, never zero.
    const double mean = y.mean();
    for (Eigen::Index i = 0; i < n; ++i) eta(i) = std::log((y(i) + mean) / 2.0 + 0.1);
  }
  // exp() of more than ~700 overflows; a mean that large means the fit has diverged anyway.
  eta = eta.cwiseMin(700.0);
  mu = eta.array().exp();
  double counts_part = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) counts_part += count_term(y(i), alpha);
  double previous = -std::numeric_limits<double>::infinity();
  for (int iteration = 1; iteration <= kMaxIterations; ++iteration) {
    const Eigen::ArrayXd weight = mu.array() / (1.0 + alpha * mu.array());
    const Eigen::ArrayXd root = weight.sqrt();
    const Eigen::VectorXd working = eta.array() + (y.array() - mu.array()) / mu.array();
    const Eigen::MatrixXd weighted_x = x.array().colwise() * root;
    const Eigen::VectorXd weighted_z = working.array() * root;
    out.beta = weighted_x.colPivHouseholderQr().solve(weighted_z);
    eta = (x * out.beta).cwiseMin(700.0);
    mu = eta.array().exp();
    double ll = counts_part;
    for (Eigen::Index i = 0; i < n; ++i) ll += mean_term(y(i), mu(i), alpha);
    out.iterations = iteration;
    out.log_likelihood = ll;
    if (!std::isfinite(ll)) return out;
    if (std::fabs(ll - previous) <= kTolerance * (std::fabs(ll) + 1.0)) {
      out.converged = true;
      break;
    }
    previous = ll;
  }
  if (!out.converged) return out;
  const Eigen::ArrayXd weight = mu.array() / (1.0 + alpha * mu.array());
  const Eigen::MatrixXd weighted_x = x.array().colwise() * weight.sqrt();
  const Eigen::MatrixXd information = weighted_x.transpose() * weighted_x;
  out.covariance = information.ldlt().solve(Eigen::MatrixXd::Identity(x.cols(), x.cols()));
  return out;
}

}  // namespace

std::optional<NegativeBinomialFit> negative_binomial_regression(std::span<const double> counts,
                                                                const std::vector<std::vector<double>>& predictors) {
  const auto n = static_cast<Eigen::Index>(counts.size());
  const auto p = static_cast<Eigen::Index>(predictors.size()) + 1;
  if (n <= p) return std::nullopt;
  Eigen::VectorXd y(n);
  Eigen::MatrixXd x(n, p);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double c = counts[static_cast<std::size_t>(i)];
    if (c < 0 || c != std::floor(c)) return std::nullopt;
    y(i) = c;
    x(i, 0) = 1.0;
  }
  for (Eigen::Index j = 1; j < p; ++j) {
    const auto& column = predictors[static_cast<std::size_t>(j - 1)];
    if (static_cast<Eigen::Index>(column.size()) != n) return std::nullopt;
    for (Eigen::Index i = 0; i < n; ++i) x(i, j) = column[static_cast<std::size_t>(i)];
  }
  if (x.colPivHouseholderQr().rank() < p) return std::nullopt;
  if (y.maxCoeff() <= 0) return std::nullopt;  // all zeros: no rate to estimate

  // Profile likelihood of ln alpha; each evaluation warm-starts from the previous fit.
  Eigen::VectorXd warm;
  bool failed = false;
  const auto negative_profile = [&](double log_alpha) {
    const IrlsResult fit = fit_for_alpha(y, x, std::exp(log_alpha), warm);
    if (!fit.converged) {
      failed = true;
      return std::numeric_limits<double>::max();
    }
    warm = fit.beta;
    return -fit.log_likelihood;
  };
  constexpr int kBits = 30;  // ln alpha to ~1e-9, far below its standard error
  std::uintmax_t max_iterations = 200;
  const auto best = boost::math::tools::brent_find_minima(negative_profile, std::log(kMinAlpha), std::log(kMaxAlpha),
                                                          kBits, max_iterations);
  if (failed) return std::nullopt;
  NegativeBinomialFit out;
  out.n = static_cast<std::size_t>(n);
  out.alpha = std::exp(best.first);
  const IrlsResult fit = fit_for_alpha(y, x, out.alpha, warm);
  if (!fit.converged || !fit.covariance.allFinite()) return std::nullopt;
  out.log_likelihood = fit.log_likelihood;
  out.iterations = fit.iterations;
  const boost::math::normal standard(0.0, 1.0);
  const double critical = boost::math::quantile(boost::math::complement(standard, (1.0 - kConfidenceLevel) / 2.0));
  for (Eigen::Index j = 0; j < p; ++j) {
    RegressionCoefficient c;
    c.estimate = fit.beta(j);
    c.standard_error = std::sqrt(std::max(0.0, fit.covariance(j, j)));
    if (c.standard_error > 0) {
      c.z = c.estimate / c.standard_error;
      c.p_value = std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(standard, std::fabs(c.z))));
    } else {
      c.p_value = c.estimate == 0.0 ? 1.0 : 0.0;
    }
    c.ci_low = c.estimate - critical * c.standard_error;
    c.ci_high = c.estimate + critical * c.standard_error;
    out.coefficients.push_back(c);
  }
  return out;
}

}  // namespace baro::stats
