// Internal: the stored corpus as one run classified it, or as a rule set would classify it,
// read into memory for comparison and diagnostics; and a read snapshot to read it in.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "baro/lifecycle.hpp"
#include "baro/rules.hpp"
#include "baro/store.hpp"

namespace baro::lifecycle {

// Holds a read transaction for its lifetime, so that several queries see one state of the
// database even while another process commits; rolled back (nothing to undo) on exit.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(const Store& store);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  SQLite::Database& db() const noexcept { return db_; }

 private:
  SQLite::Database& db_;
};

struct ClassifiedCorpus {
  std::vector<Domain> domains;  // rule-set order
  // By ascending initiative id.
  std::vector<std::pair<std::int64_t, Evidence>> items;
  bool vetoes_recorded = true;  // false for runs made before the database recorded vetoes
};

// The run's classifications; throws kDataError naming the database when there is no such run.
RunInfo require_run(const Store& store, std::int64_t run_id);
// Run `run_id`, or the latest run when none is given; kDataError when it does not exist or
// nothing has been classified yet.
RunInfo require_run_or_latest(const Store& store, std::optional<std::int64_t> run_id);
ClassifiedCorpus load_run(SQLite::Database& db, std::int64_t run_id);
// Every stored initiative classified by `engine`, nothing written.
ClassifiedCorpus classify_stored(SQLite::Database& db, const RuleEngine& engine);
// `classification`, made by `rules`, as evidence.
Evidence to_evidence(const RuleSet& rules, const Classification& classification);

// Space-separated ids → ids.
std::vector<std::string> split_ids(const std::string& text);

}  // namespace baro::lifecycle
