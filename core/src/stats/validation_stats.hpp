// Internal: the arithmetic of a coded validation sample, on plain numbers, so that the tests
// can check it against hand computations (tests/stats/validation_test.cpp).
//
// Categories are indices 0..K-1: the run's domains in order, then "none" (K - 1). Strata are
// the predicted categories: the sample is drawn within each, so the confusion P(true | predicted)
// is estimated stratum by stratum, and the inclusion probabilities n_h / N_h weigh the rows
// whenever strata are pooled.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace baro::stats {

// A uniform index below `n` (> 0) from 64-bit draws, rejecting the few draws above the last
// multiple of n so that every index is equally likely. std::uniform_int_distribution and
// std::shuffle differ between standard libraries; mt19937_64's output and this do not, so a
// seed draws the same sample everywhere.
inline std::size_t uniform_index(std::mt19937_64& rng, std::size_t n) {
  const std::uint64_t range = n;
  const std::uint64_t limit = std::mt19937_64::max() - std::mt19937_64::max() % range;
  std::uint64_t draw = rng();
  while (draw >= limit) draw = rng();
  return static_cast<std::size_t>(draw % range);
}

struct CodedRow {
  std::size_t predicted = 0;            // the run's primary category: the row's stratum
  std::size_t gold = 0;                 // the first coder's category
  std::optional<std::size_t> gold_2;    // the second coder's, when there is one
};

struct ConfusionFigures {
  std::int64_t coded = 0, correct = 0;
  double weighted_accuracy = 0.0;
  std::vector<std::int64_t> predicted, gold, correct_by_category;  // K each
  std::vector<std::optional<double>> precision, recall;            // K each; recall weighted
  std::int64_t double_coded = 0;
  std::optional<double> kappa;
};

// `stratum_sizes[h]`: the run's initiatives predicted in category h (N_h), K entries.
ConfusionFigures measure_confusion(std::size_t categories, const std::vector<std::int64_t>& stratum_sizes,
                                   const std::vector<CodedRow>& rows);

// Cohen's kappa of two coders' categories (paired): (p_o - p_e) / (1 - p_e). Absent below 2
// pairs or when p_e is 1 (both coders always gave the same single category).
std::optional<double> cohen_kappa(std::size_t categories, const std::vector<std::size_t>& first,
                                  const std::vector<std::size_t>& second);

struct CorrectedShare {
  double share = 0.0;               // estimated true share of the category
  double ci_low = 0.0, ci_high = 0.0;  // bootstrap percentile interval (kConfidenceLevel)
};

inline constexpr int kBootstrapResamples = 2000;
inline constexpr std::uint64_t kBootstrapSeed = 20261205;

// The true share of each category: sum over strata h of counts[h] * P(category | h) / N,
// P estimated from the stratum's coded rows (a stratum without one is taken as classified
// right: nothing measured, nothing moved). `counts`: the initiatives of each predicted
// category the shares are about (the report's, after its filters). The interval resamples
// each stratum's coded rows with replacement, `resamples` times from `seed` (deterministic),
// and takes the 2.5th and 97.5th percentiles. Empty when the counts sum to 0.
std::vector<CorrectedShare> corrected_shares(std::size_t categories, const std::vector<std::int64_t>& counts,
                                             const std::vector<CodedRow>& rows, int resamples = kBootstrapResamples,
                                             std::uint64_t seed = kBootstrapSeed);

}  // namespace baro::stats
