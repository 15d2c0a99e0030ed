// The life of classification runs: reclassifying the stored corpus with a changed rule set,
// comparing two runs (or a run and a rule set not yet applied), and deleting old runs; and
// of the batches they classify: listing them, deleting one that was imported by mistake.
//
// A rule set is never finished. When a maintainer changes rules the barometer's figures
// move, and before publishing they must see exactly which initiatives move and why. Every
// classification therefore lives in a run that names the rule set (id, version, content
// hash), the classifiers and the engine version that made it (see store.hpp); runs are kept
// until deleted explicitly, so the figures of any earlier run stay available to
// compute_report(). reclassify() makes a new run from the stored initiatives without
// re-importing anything; diff_runs() says what changed between two runs: how many
// initiatives changed primary domain, the from→to matrix, the change of each domain's share,
// and examples of each move with the rules that fired on either side.
//
// Every function throws baro::Error: kDataError for a run that does not exist or an empty
// database, kBusy when another writer holds the database too long. Writes are one
// transaction each: on any error the database is left as it was.
//
// Thread-safety: as Store (one connection, one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baro/classifier.hpp"
#include "baro/rules.hpp"
#include "baro/store.hpp"

namespace baro {

// A run as `baro runs list` shows it.
struct RunSummary {
  RunInfo info;
  std::int64_t unclassified = 0;  // its initiatives without a primary domain
  // It classifies every initiative stored now. A run made before a batch was imported into
  // a newer run, once that newer run is deleted, lacks that batch; reclassify() mends it.
  bool complete = false;
  bool latest = false;            // what reports describe by default
};

// Every run, oldest first.
std::vector<RunSummary> list_runs(const Store& store);

struct ReclassifyOptions {
  // Make a new run even when the latest run already used this rule set (same content hash)
  // and classifiers and covers every stored initiative: it would label everything alike.
  // Default false: reclassify() then writes nothing and says so.
  bool force = false;
  // Threads that classify, as ImportOptions::threads (0: one per core; 1: one thread in all).
  unsigned threads = 0;
};

struct ReclassifyResult {
  bool up_to_date = false;        // nothing written: the latest run already is what was asked for
  std::int64_t run_id = 0;        // the new run (or, when up_to_date, the latest one)
  std::int64_t previous_run = 0;  // the latest run before this call; 0 when there was none
  std::int64_t initiatives = 0;   // initiatives classified into the new run
  std::int64_t unclassified = 0;  // of which left without a primary domain
};

// Classifies every stored initiative again with `classifiers` into a new run, in one
// transaction. Older runs are kept. Throws kDataError when no initiative is stored.
ReclassifyResult reclassify(Store& store, ClassifierChain& classifiers, const ReclassifyOptions& options = {});
// The same with the rules engine alone.
ReclassifyResult reclassify(Store& store, const RuleEngine& engine, const ReclassifyOptions& options = {});

// Deletes run `run_id` with its classifications, labels and domain and rule lists; batches,
// initiatives and every other run are untouched. One transaction. Throws kDataError when
// there is no such run.
void delete_run(Store& store, std::int64_t run_id);

// A batch as `baro batches list` shows it.
struct BatchSummary {
  BatchInfo info;
  std::int64_t initiatives = 0;    // stored now
  std::vector<std::int64_t> runs;  // the runs that classify some of its initiatives, oldest first
};

// Every batch, oldest first.
std::vector<BatchSummary> list_batches(const Store& store);

// Deletes batch `batch_id` and its initiatives, in one transaction. The initiatives leave
// every run that classified them (with their labels and validation codes); the runs stay and
// describe the other batches, so a report of such a run changes. Returns the batch as it was.
// Throws kDataError when there is no such batch, or when a run that classifies it has a
// validation sample (whose strata sizes would no longer hold).
BatchSummary delete_batch(Store& store, std::int64_t batch_id);

// One side of a comparison: a stored run, or a rule set applied in memory to the stored
// initiatives (nothing is written).
struct DiffSide {
  std::string kind;               // "run" or "rules"
  std::int64_t run_id = 0;        // kind "run"
  std::string rules_directory;    // kind "rules"
  std::string ruleset_id, ruleset_version, ruleset_hash;
  std::string created_at;         // kind "run"
  std::int64_t initiatives = 0;   // initiatives this side classifies
};

// What one side says about an initiative: its primary domain and, per labelled domain, the
// score and the ids of the rules that fired.
struct DomainEvidence {
  std::string domain;
  double score = 0.0;
  std::vector<std::string> rules;
};
struct Evidence {
  std::optional<std::string> primary;  // nullopt: unclassified
  std::vector<DomainEvidence> domains;  // rule-set order
  std::vector<std::string> vetoed;      // rules that matched but an `unless` vetoed
};

struct MovedInitiative {
  std::int64_t initiative_id = 0;
  std::int64_t batch_id = 0;
  std::string source_id;    // the id the survey gave it
  std::string description;  // as written
  Evidence a, b;
};

// An off-diagonal cell of the matrix: initiatives whose primary domain went from → to.
struct Move {
  std::optional<std::string> from, to;  // nullopt: unclassified
  std::int64_t count = 0;
  std::vector<MovedInitiative> examples;  // the first ones by initiative id
};

// A compared initiative whose primary domain changed: the listing of `baro runs diff`.
struct ChangedInitiative {
  std::int64_t initiative_id = 0;
  std::int64_t batch_id = 0;
  std::string source_id;                // the id the survey gave it
  std::optional<std::string> from, to;  // nullopt: unclassified
};

struct ShareChange {
  std::optional<std::string> domain;  // nullopt: the unclassified row
  std::string label;
  std::int64_t count_a = 0, count_b = 0;
  double share_a = 0.0, share_b = 0.0;  // of the initiatives compared (0..1)
  double delta_points = 0.0;            // (share_b - share_a) * 100
};

struct RunDiff {
  DiffSide a, b;
  std::int64_t compared = 0;        // initiatives classified by both sides
  std::int64_t only_in_a = 0;       // e.g. a batch deleted since run A
  std::int64_t only_in_b = 0;       // e.g. a batch imported after run A
  std::int64_t changed = 0;         // compared initiatives whose primary domain changed
  std::int64_t labels_changed = 0;  // same primary domain, different set of labelled domains
  // The matrix's rows and columns: A's domains in rule-set order, then B's new ones, then
  // the unclassified (nullopt). matrix[from][to] counts the compared initiatives; it sums
  // to `compared`, its row sums are A's primary counts and its column sums B's.
  std::vector<std::optional<std::string>> domains;
  std::vector<std::vector<std::int64_t>> matrix;
  std::vector<ShareChange> shares;  // one per entry of `domains`
  std::vector<Move> moves;          // non-empty off-diagonal cells, largest first
  // The initiatives whose primary domain changed, by initiative id: the first
  // RunDiffOptions::max_changes of the `changed` ones.
  std::vector<ChangedInitiative> changes;
};

struct RunDiffOptions {
  std::size_t examples_per_move = 3;
  std::size_t max_changes = 50;  // entries of RunDiff::changes at most; 0: all
};

// Compares run `a` with run `b`. Throws kDataError when either does not exist.
RunDiff diff_runs(const Store& store, std::int64_t a, std::int64_t b, const RunDiffOptions& options = {});
// Compares run `a` with what `engine` would make of the stored initiatives, without writing.
RunDiff diff_run_with_rules(const Store& store, std::int64_t a, const RuleEngine& engine,
                            const RunDiffOptions& options = {});

// The diff as a stable JSON document ("schema": "baro-runs-diff/1"), as `baro runs diff
// --json` prints it; docs/maintainers.md describes it.
std::string run_diff_to_json(const RunDiff& diff);

}  // namespace baro
