// Internal: a run's coded validation sample as figures, shared by `baro validate` and the
// report so that both measure the same thing the same way.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <string>
#include <vector>

#include "baro/validation.hpp"
#include "stats/validation_stats.hpp"
#include "store/validation_tables.hpp"

namespace baro::stats {

// The categories of a run: its domains in order, then "none" (id "", the unclassified row).
struct RunCategories {
  std::vector<std::string> ids, labels;
  std::size_t none() const { return ids.size() - 1; }
  // The index of a stored domain id ("" and ids the run does not know: none).
  std::size_t index_of(const std::string& id) const;
};
RunCategories run_categories(SQLite::Database& db, std::int64_t run_id);

struct MeasuredSample {
  ValidationFigures figures;
  std::vector<CodedRow> rows;  // the coded items
};

// The figures of `sample`'s coded items.
MeasuredSample measure_sample(std::int64_t run_id, const RunCategories& categories, const store::StoredSample& sample);

}  // namespace baro::stats
