// Measuring a run's accuracy on a coded sample, and correcting its shares with what the
// sample measured.
//
// A classifier's shares are only as good as its classification: content analysts check it
// on a random sample that people code by hand. The workflow is two commands:
//   1. draw_validation_sample() (`baro sample`) draws a sample of a run's initiatives,
//      stratified by predicted primary domain, writes it as a CSV that French Excel opens
//      (UTF-8 with a BOM, `;`) with empty `gold` and `also` columns, plus a companion file
//      listing the domain codes a coder may use, and records the sample with the run: each
//      stratum's size and how many were drawn from it (its inclusion probability).
//   2. validate_sample() (`baro validate`) reads the coded file back, stores the codes with
//      the run, and measures: accuracy with its Wilson 95 % interval, per-domain precision
//      and recall, and Cohen's kappa when two coders coded the same rows (`gold_2`).
// compute_report() then gives each domain a corrected share (docs/report-json.md,
// `quality`): the run's predicted counts redistributed by the confusion the sample
// measured, with a bootstrap interval.
//
// Categories: the run's domains, in rule-set order, then "none" (unclassified, or no domain
// fits), written kNoDomainCode in the files.
//
// Thread-safety: the functions are reentrant; use one Store per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "baro/evaluation.hpp"
#include "baro/store.hpp"

namespace baro {

// What the sample files write for "no domain": in `predicted`, an unclassified initiative;
// in `gold`, a description no domain fits. An empty `gold` is a row not coded yet.
inline constexpr const char* kNoDomainCode = "aucun";
// The header line of the file `baro sample` writes, in French for the coders: `codage` is
// the code a coder gives, `autres_domaines` other domains, `codage_2` (added by hand) a second
// coder's. validate_sample() also reads the English names of files drawn before (`gold`,
// `also`, `gold_2`, `predicted`).
inline constexpr const char* kSampleHeader = "id;commune;description;domaine_predit;codage;autres_domaines";

struct SampleOptions {
  std::optional<std::int64_t> run_id;  // default: the latest run
  std::int64_t size = 200;             // initiatives to draw; all of them when the run has fewer
  // Drives every random choice: the same seed, run and size draw the same sample. Default:
  // one from std::random_device, recorded with the sample and returned.
  std::optional<std::uint64_t> seed;
  // A run keeps one sample. Drawing again replaces one that holds no code yet; one with codes
  // is only replaced with this set (its codes are lost).
  bool replace = false;
};

// One stratum: the initiatives of the run with one predicted primary domain.
struct SampleStratum {
  std::string predicted;  // domain id; "" for unclassified
  std::string label;
  std::int64_t initiatives = 0;  // N_h: the run's initiatives in the stratum
  std::int64_t sampled = 0;      // n_h: drawn from it
  // n_h / N_h: the chance each of its initiatives had to be drawn; 0 for an empty stratum.
  double inclusion_probability() const {
    return initiatives > 0 ? static_cast<double>(sampled) / static_cast<double>(initiatives) : 0.0;
  }
};

struct SampleSummary {
  std::int64_t run_id = 0;
  std::uint64_t seed = 0;
  std::int64_t size = 0;                 // initiatives drawn
  std::vector<SampleStratum> strata;     // the run's domains in order, then unclassified
  std::filesystem::path domains_file;    // the companion file: codes and labels
};

// How `size` draws are shared among strata of `stratum_sizes` initiatives: proportional to
// the sizes (largest remainders), then at least min(`minimum`, N_h) in every non-empty
// stratum, taken from the strata with the most draws above their minimum. The result sums to
// min(size, sum of sizes) and never exceeds a stratum's size.
std::vector<std::int64_t> allocate_sample(const std::vector<std::int64_t>& stratum_sizes, std::int64_t size,
                                          std::int64_t minimum = 2);

// Draws the sample of a run, writes it to `out` (and the domain list beside it, named
// `<stem>.domaines.csv`), and records it with the run. Both are CSV for French Excel (UTF-8
// BOM, `;`, CRLF, cells that would be formulas neutralised with a leading '). A regular file
// is written to a temporary file renamed into place (a link's target is replaced, a FIFO is
// written directly); the database changes in one transaction, after they are written.
// Throws baro::Error: kUsage for a size below 1 or `out` "-" (standard output), kDataError for a missing run or a run whose
// sample already holds codes (without `replace`), kCannotCreate/kIoError for the files.
SampleSummary draw_validation_sample(Store& store, const SampleOptions& options, const std::filesystem::path& out);

struct ValidationDomain {
  std::string domain;  // id; "" for the none category
  std::string label;
  std::int64_t predicted = 0;  // coded rows predicted in it
  std::int64_t gold = 0;       // coded rows whose gold it is
  std::int64_t correct = 0;    // both
  std::optional<double> precision;  // correct / predicted; absent without a prediction
  // Of the initiatives whose true category it is, the share predicted in it: weighted by the
  // inverse inclusion probabilities, so that it estimates the run's recall; absent without a gold.
  std::optional<double> recall;
};

// What a coded sample measures. Accuracy is over the coded rows (a row is correct when its
// `gold` is the predicted category); with proportional allocation it estimates the run's
// accuracy, and `weighted_accuracy` is the stratified estimate itself.
struct ValidationFigures {
  std::int64_t run_id = 0;
  std::int64_t sampled = 0;    // rows of the sample
  std::int64_t coded = 0;      // n: rows with a gold code
  std::int64_t correct = 0;
  double accuracy = 0.0;
  ProportionInterval accuracy_ci95;  // Wilson
  double weighted_accuracy = 0.0;    // sum over strata of N_h / N times the stratum's accuracy
  std::int64_t double_coded = 0;     // rows with both `gold` and `gold_2`
  std::optional<double> kappa;       // Cohen's, over the double-coded rows; absent below 2 of them or when undefined
  std::vector<ValidationDomain> domains;  // the run's domains, then the none category
};

// Reads a coded sample of `options.run_id` (default: the latest run): columns `id` and
// `codage` (or `gold`), optionally `codage_2` and `autres_domaines` (`gold_2`, `also`); each
// code a domain id of the run or kNoDomainCode (any case); an empty `codage` is a row not
// coded yet. Every id must be one of the run's
// sample. Stores the codes with the run (replacing earlier ones, one transaction) and
// returns the figures. Throws baro::Error: kNoInput for a missing file; kDataError naming
// the file, line and column of the first bad value (an unknown domain, with the valid codes
// in the hint; an id outside the sample), or when no row is coded; kDataError when the run
// has no sample.
struct ValidateOptions {
  std::optional<std::int64_t> run_id;
};
ValidationFigures validate_sample(Store& store, const std::filesystem::path& file, const ValidateOptions& options = {});

}  // namespace baro
