// Fitting a rule set's weights on descriptions people have labelled (`baro rules fit`).
//
// The rules carry the knowledge (which words say which domain) and the hand-set weights the
// maintainers' judgement of how much each counts. fit_weights() learns a correction of them
// from labelled files: a conditional (multinomial) logit over each description's candidate
// domains (those with a fired rule, so that "unclassified" never moves), in which domain d
// scores
//     s_d = scale × hand_d + offset_d + Σ over fired rules r of residual[r][d]
// with hand_d the hand-set score. The scale and the offsets are free; the residuals carry an
// L2 penalty (1 / 2C) Σ residual², so that with little data the model stays the hand-set
// scores rather than shrinking toward zero. By default a rule has a residual for each domain
// it was seen competing for. Descriptions of a file given a weight above 1 (real ones, say) count that many
// times in the loss. The problem is smooth and strictly convex (a tiny ridge of 1e-4 pins the
// scale toward 1 and the offsets toward 0, where the data say nothing); it is solved by
// Newton's method with a backtracking line search, to a gradient below 1e-8.
//
// The result, written as weights.json beside the rule set (weights_json(), "baro-weights/2"),
// is what RuleSet::load reads and score_rules() applies (FittedWeights). docs/rules.md,
// "Fitted weights", says when to refit and how to read the file.
//
// Deterministic: the same rule set, files and options give a byte-identical weights.json
// (folds are dealt by a seeded Mersenne twister of our own drawing, parameters are rounded
// to four decimals before they are used or written).
//
// Thread-safety: reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "baro/evaluation.hpp"
#include "baro/rules.hpp"

namespace baro {

struct FitOptions {
  // The inverse of the residuals' L2 penalty: larger trusts the data more. The default was
  // chosen by cross-validation on the bundled tuning files (docs/rules.md).
  double cost = 0.3;
  // Residuals: one per rule and domain it was seen competing for (kAllDomains: the rule
  // moves any candidate it fires beside), one per rule for its own domain only (kOwnDomain),
  // or none: scale and offsets only (kNone). kAllDomains lost less on the synthetic tuning
  // descriptions for the same gain on the real ones (docs/rules.md).
  enum class Residuals { kNone, kOwnDomain, kAllDomains };
  Residuals residuals = Residuals::kAllDomains;
  // Folds of the cross-validation (at least 2), dealt at random within each file and gold
  // domain, `repeats` times (seeds seed, seed + 1, …).
  std::size_t folds = 5;
  std::size_t repeats = 3;
  std::uint64_t seed = 1000;
};

// A labelled file to fit on, as load_labelled_set() read it, and how much each of its
// descriptions counts in the loss (e.g. 3 for real descriptions among synthetic ones).
struct FitInput {
  std::filesystem::path path;
  std::vector<LabelledText> items;
  double weight = 1.0;
};

// Cross-validated figures for one file: every description of it is predicted once per
// repeat, by parameters fitted on the other folds (of every file).
struct FitFileFigures {
  std::uint64_t total = 0;            // descriptions of the file
  std::uint64_t hand_set_correct = 0;  // primary = gold with the rule files' weights
  double fitted_correct = 0.0;         // the same with fitted weights, mean over the repeats
  double fixed = 0.0, broken = 0.0;    // per repeat: hand-set wrong and fitted right, and the reverse
  // Per fold (folds × repeats): fitted minus hand-set accuracy on the file's part of the fold,
  // in points; folds without a description of the file are left out.
  std::vector<double> gains;
};

struct FitResult {
  FittedWeights weights;  // fitted on every description that can teach something
  std::uint64_t used = 0;  // those: a gold domain among the candidates (a fired rule of it)
  std::vector<FitFileFigures> files;  // cross-validation, one per input file
  FitFileFigures all;                 // the same over every file
  std::size_t iterations = 0;         // Newton steps of the final fit
};

// Fits the weights of `engine`'s rule set on `files` and cross-validates them. Throws
// baro::Error (kUsage) on bad options, (kDataError) when no description can teach anything.
FitResult fit_weights(const RuleEngine& engine, const std::vector<FitInput>& files, const FitOptions& options);

// weights.json for `fit` (format "baro-weights/2"), with the rule set's identity, each file
// (its path relative to the rule set's folder, its XXH3-128, its count and weight), the
// options and the cross-validated figures; then the scale, the offsets and the residuals,
// one rule per line, so that a refit reads as a diff.
std::string weights_json(const RuleSet& rules, const std::vector<FitInput>& files, const FitOptions& options,
                         const FitResult& fit);

// The mean of `values` and the half-width of its 95 % Student interval with `independent`
// observations (the folds of one repeat: the repeats re-use the same descriptions), for the
// per-fold gains. {0, 0} without values.
struct MeanInterval {
  double mean = 0.0, sd = 0.0, half_width = 0.0;
};
MeanInterval mean_interval(const std::vector<double>& values, std::size_t independent);

}  // namespace baro
