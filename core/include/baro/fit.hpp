// Fitting a rule set's weights on descriptions people have labelled (`baro rules fit`).
//
// The rules carry the knowledge (which words say which domain); what hand-set weights guess
// is how much each rule should count against the others. fit_weights() learns that from
// labelled files: one-vs-rest L2-regularised logistic regression (liblinear, solver L2R_LR)
// whose features are the rules that fired on each description, one weight per rule and
// domain plus one offset per domain. The result, written as weights.json beside the rule set
// (weights_json()), is what RuleSet::load reads and score_rules() uses; the rule files stay
// the maintainers' text. docs/rules.md, "Fitted weights", says when to refit and how to read
// the file.
//
// Deterministic: the same rule set and files give a byte-identical weights.json (liblinear's
// L2R_LR solver is deterministic, folds are dealt in file order, weights are rounded to four
// decimals before they are used or written).
//
// Thread-safety: reentrant; liblinear's progress printing is switched off process-wide.
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
  // liblinear's C: the inverse of the regularisation strength. Larger trusts the data more.
  // The default was chosen by cross-validation on the bundled tuning files (docs/rules.md).
  double cost = 0.5;
  // Folds of the cross-validation that measures the hand-set and the fitted weights on the
  // same descriptions (each description predicted by weights fitted without it). At least 2.
  std::size_t folds = 5;
  // Learn a correction for each rule (true), or only how much each domain's hand-set score
  // counts for each domain, with the offsets (false: 90 numbers for nine domains, far less
  // to over-fit on a few hundred descriptions).
  bool per_rule = true;
};

// A labelled file to fit on, as load_labelled_set() read it.
struct FitInput {
  std::filesystem::path path;
  std::vector<LabelledText> items;
};

struct FitFigures {
  std::uint64_t total = 0;            // every description of the files
  std::uint64_t hand_set_correct = 0;  // right with the rule files' weights
  std::uint64_t fitted_correct = 0;    // right with weights fitted on the other folds
};

struct FitResult {
  FittedWeights weights;       // fitted on every description that can teach something
  std::uint64_t used = 0;      // those: a gold domain and at least one fired rule
  FitFigures cross_validation;
  std::size_t folds = 0;
};

// Fits the weights of `engine`'s rule set on `files` and cross-validates them. Throws
// baro::Error (kDataError) when no description has both a gold domain and a fired rule.
FitResult fit_weights(const RuleEngine& engine, const std::vector<FitInput>& files, const FitOptions& options);

// weights.json for `fit` (format "baro-weights/1"), with the rule set's identity, each file
// (its path relative to the rule set's folder, its XXH3-128 and its counts), the options and
// the cross-validated figures: one rule per line, so that a refit reads as a diff.
std::string weights_json(const RuleSet& rules, const std::vector<FitInput>& files, const FitOptions& options,
                         const FitResult& fit);

}  // namespace baro
