#include "stats/validation_stats.hpp"

#include <algorithm>

#include "stats/statistics.hpp"

namespace baro::stats {
namespace {

// Coded rows per stratum.
std::vector<std::int64_t> coded_per_stratum(std::size_t categories, const std::vector<CodedRow>& rows) {
  std::vector<std::int64_t> n(categories, 0);
  for (const auto& row : rows) n[row.predicted] += 1;
  return n;
}

// The corrected shares of one (re)sample: `rows` indexed by stratum.
std::vector<double> shares_of(std::size_t categories, const std::vector<std::int64_t>& counts,
                              const std::vector<std::vector<const CodedRow*>>& by_stratum, double total) {
  std::vector<double> out(categories, 0.0);
  for (std::size_t h = 0; h < categories; ++h) {
    const double n_h = static_cast<double>(counts[h]);
    if (n_h == 0) continue;
    if (by_stratum[h].empty()) {
      out[h] += n_h;
      continue;
    }
    const double per_row = n_h / static_cast<double>(by_stratum[h].size());
    for (const CodedRow* row : by_stratum[h]) out[row->gold] += per_row;
  }
  for (auto& x : out) x /= total;
  return out;
}

}  // namespace

std::optional<double> cohen_kappa(std::size_t categories, const std::vector<std::size_t>& first,
                                  const std::vector<std::size_t>& second) {
  const std::size_t n = std::min(first.size(), second.size());
  if (n < 2) return std::nullopt;
  std::vector<double> a(categories, 0.0), b(categories, 0.0);
  double agree = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    a[first[i]] += 1;
    b[second[i]] += 1;
    agree += first[i] == second[i] ? 1.0 : 0.0;
  }
  const double total = static_cast<double>(n);
  double expected = 0.0;
  for (std::size_t k = 0; k < categories; ++k) expected += (a[k] / total) * (b[k] / total);
  if (expected >= 1.0) return std::nullopt;
  return (agree / total - expected) / (1.0 - expected);
}

ConfusionFigures measure_confusion(std::size_t categories, const std::vector<std::int64_t>& stratum_sizes,
                                   const std::vector<CodedRow>& rows) {
  ConfusionFigures f;
  f.predicted.assign(categories, 0);
  f.gold.assign(categories, 0);
  f.correct_by_category.assign(categories, 0);
  f.precision.assign(categories, std::nullopt);
  f.recall.assign(categories, std::nullopt);
  const auto coded = coded_per_stratum(categories, rows);
  // Each row stands for N_h / n_h initiatives of its stratum.
  const auto weight = [&](const CodedRow& row) {
    return static_cast<double>(stratum_sizes[row.predicted]) / static_cast<double>(coded[row.predicted]);
  };
  std::vector<double> weighted_gold(categories, 0.0), weighted_hits(categories, 0.0);
  double weighted_correct = 0.0, weighted_total = 0.0;
  std::vector<std::size_t> first, second;
  for (const auto& row : rows) {
    const bool right = row.gold == row.predicted;
    f.coded += 1;
    f.correct += right ? 1 : 0;
    f.predicted[row.predicted] += 1;
    f.gold[row.gold] += 1;
    f.correct_by_category[row.predicted] += right ? 1 : 0;
    const double w = weight(row);
    weighted_total += w;
    weighted_gold[row.gold] += w;
    if (right) {
      weighted_correct += w;
      weighted_hits[row.gold] += w;
    }
    if (row.gold_2) {
      first.push_back(row.gold);
      second.push_back(*row.gold_2);
    }
  }
  if (weighted_total > 0) f.weighted_accuracy = weighted_correct / weighted_total;
  for (std::size_t k = 0; k < categories; ++k) {
    if (f.predicted[k] > 0) f.precision[k] = static_cast<double>(f.correct_by_category[k]) / static_cast<double>(f.predicted[k]);
    if (weighted_gold[k] > 0) f.recall[k] = weighted_hits[k] / weighted_gold[k];
  }
  f.double_coded = static_cast<std::int64_t>(first.size());
  f.kappa = cohen_kappa(categories, first, second);
  return f;
}

std::vector<CorrectedShare> corrected_shares(std::size_t categories, const std::vector<std::int64_t>& counts,
                                             const std::vector<CodedRow>& rows, int resamples, std::uint64_t seed) {
  double total = 0.0;
  for (const auto c : counts) total += static_cast<double>(c);
  if (total <= 0) return {};
  std::vector<std::vector<const CodedRow*>> by_stratum(categories);
  for (const auto& row : rows) by_stratum[row.predicted].push_back(&row);
  const std::vector<double> point = shares_of(categories, counts, by_stratum, total);

  // Each resample redraws every stratum's coded rows with replacement, keeping its size:
  // the sample was drawn stratum by stratum, so its variability is within strata.
  std::mt19937_64 rng(seed);
  std::vector<std::vector<double>> draws(categories);
  std::vector<std::vector<const CodedRow*>> resampled(categories);
  for (int b = 0; b < resamples; ++b) {
    for (std::size_t h = 0; h < categories; ++h) {
      const auto& original = by_stratum[h];
      resampled[h].resize(original.size());
      for (auto& row : resampled[h]) row = original[uniform_index(rng, original.size())];
    }
    const auto shares = shares_of(categories, counts, resampled, total);
    for (std::size_t k = 0; k < categories; ++k) draws[k].push_back(shares[k]);
  }
  std::vector<CorrectedShare> out(categories);
  const double tail = (1.0 - kConfidenceLevel) / 2.0;
  for (std::size_t k = 0; k < categories; ++k) {
    out[k].share = point[k];
    if (draws[k].empty()) {
      out[k].ci_low = out[k].ci_high = point[k];
    } else {
      out[k].ci_low = quantile(draws[k], tail);
      out[k].ci_high = quantile(draws[k], 1.0 - tail);
    }
  }
  return out;
}

}  // namespace baro::stats
