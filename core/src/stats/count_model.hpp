// A regression model for counts: negative binomial (NB2) with a log link, the model the
// report uses for the rural gap at equal population.
//
// Why a count model: the number of initiatives of a commune is a count, its variance grows
// faster than its mean (communes differ beyond their size), and rural and urban communes
// never share a population range (the threshold defines them). Comparing the two groups'
// residuals around one log-log line extrapolates that line across the threshold and biases
// the gap toward zero; a model with population and rurality side by side estimates the
// rural effect at equal population directly:
//
//   y_i ~ NB(mu_i, alpha),  ln mu_i = b0 + b1 x_i1 + ... ,  Var(y_i) = mu_i + alpha mu_i^2
//
// Estimation (the choice is documented in docs/report-json.md):
// - for a given dispersion alpha, the coefficients are fitted by iteratively reweighted least
//   squares (Fisher scoring, weights mu / (1 + alpha mu)), each step a least-squares solve by
//   Eigen's column-pivoting Householder QR on the weighted design;
// - alpha is estimated by profile maximum likelihood: Boost.Math's Brent minimiser over
//   ln alpha in [ln 1e-8, ln 1e3], each evaluation refitting the coefficients. At its optimum
//   this is the joint maximum-likelihood estimate (statsmodels' NegativeBinomial);
// - standard errors come from the expected information at the estimated alpha, (X'WX)^-1,
//   as statsmodels' GLM with family NegativeBinomial(alpha) gives them; intervals and
//   p-values are Wald's, with the normal distribution.
//
// Zero counts are allowed; the report only sees communes with at least one initiative, and
// the model does not correct for that truncation (docs/report-json.md says so).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace baro::stats {

struct RegressionCoefficient {
  double estimate = 0.0;
  double standard_error = 0.0;
  double z = 0.0;          // estimate / standard_error
  double p_value = 1.0;    // two-sided, H0: the coefficient is 0 (normal distribution)
  double ci_low = 0.0, ci_high = 0.0;  // kConfidenceLevel Wald interval
};

struct NegativeBinomialFit {
  std::size_t n = 0;
  // The intercept first, then one per predictor, in the order given.
  std::vector<RegressionCoefficient> coefficients;
  double alpha = 0.0;           // the dispersion: Var = mu + alpha mu^2 (0: Poisson)
  double log_likelihood = 0.0;  // at the estimates
  int iterations = 0;           // IRLS iterations of the final fit
};

// Fits counts[i] on an intercept and predictors[j][i]. std::nullopt when the sizes differ,
// a count is negative or not an integer, there are no more observations than coefficients,
// the design is rank-deficient (a predictor constant, or collinear with others), or IRLS does
// not converge. Inputs must be finite.
std::optional<NegativeBinomialFit> negative_binomial_regression(std::span<const double> counts,
                                                                const std::vector<std::vector<double>>& predictors);

}  // namespace baro::stats
