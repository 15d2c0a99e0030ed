// Internal: every SQL statement on a run's validation sample (validation_samples,
// validation_strata, validation_items; docs/schema.md). Callers get plain rows and run these
// inside their own transaction; SQLite exceptions are theirs to translate.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace baro::store {

struct StratumRow {
  std::string predicted;  // '' for unclassified
  std::int64_t initiatives = 0, sampled = 0;
};

struct SampleItemRow {
  std::int64_t initiative_id = 0;
  std::string predicted;              // the run's primary domain; '' for unclassified
  std::optional<std::string> gold;    // absent: not coded; "": no domain fits
  std::optional<std::string> gold_2;
  std::string also;
};

struct StoredSample {
  std::uint64_t seed = 0;
  std::vector<StratumRow> strata;
  std::vector<SampleItemRow> items;  // by initiative id
};

// The run's sample, or nullopt when it has none.
std::optional<StoredSample> load_sample(SQLite::Database& db, std::int64_t run_id);

// Whether any item of the run's sample holds a code.
bool sample_has_codes(SQLite::Database& db, std::int64_t run_id);

// Replaces the run's sample (and any codes it held) with a new one.
void save_sample(SQLite::Database& db, std::int64_t run_id, std::uint64_t seed, std::int64_t requested_size,
                 const std::vector<StratumRow>& strata, const std::vector<std::int64_t>& initiative_ids);

// Sets the codes of the given items (every code of the sample is cleared first: a file read
// back is the whole coding).
void save_codes(SQLite::Database& db, std::int64_t run_id, const std::vector<SampleItemRow>& coded);

}  // namespace baro::store
