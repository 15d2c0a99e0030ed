#include "store/validation_tables.hpp"

#include <SQLiteCpp/Statement.h>

namespace baro::store {
namespace {

std::optional<std::string> optional_text(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

}  // namespace

std::optional<StoredSample> load_sample(SQLite::Database& db, std::int64_t run_id) {
  SQLite::Statement head(db, "SELECT seed FROM validation_samples WHERE run_id = ?");
  head.bind(1, run_id);
  if (!head.executeStep()) return std::nullopt;
  StoredSample out;
  out.seed = std::stoull(head.getColumn(0).getString());
  SQLite::Statement strata(db,
                           "SELECT s.predicted, s.initiatives, s.sampled FROM validation_strata s "
                           "LEFT JOIN run_domains d ON d.run_id = s.run_id AND d.domain = s.predicted "
                           "WHERE s.run_id = ? ORDER BY d.position IS NULL, d.position");
  strata.bind(1, run_id);
  while (strata.executeStep()) {
    out.strata.push_back({strata.getColumn(0).getString(), strata.getColumn(1).getInt64(), strata.getColumn(2).getInt64()});
  }
  SQLite::Statement items(db,
                          "SELECT v.initiative_id, coalesce(c.primary_domain, ''), v.gold, v.gold_2, coalesce(v.also, '') "
                          "FROM validation_items v JOIN classifications c "
                          "ON c.run_id = v.run_id AND c.initiative_id = v.initiative_id "
                          "WHERE v.run_id = ? ORDER BY v.initiative_id");
  items.bind(1, run_id);
  while (items.executeStep()) {
    out.items.push_back({items.getColumn(0).getInt64(), items.getColumn(1).getString(), optional_text(items.getColumn(2)),
                         optional_text(items.getColumn(3)), items.getColumn(4).getString()});
  }
  return out;
}

bool sample_has_codes(SQLite::Database& db, std::int64_t run_id) {
  SQLite::Statement q(db, "SELECT 1 FROM validation_items WHERE run_id = ? AND gold IS NOT NULL LIMIT 1");
  q.bind(1, run_id);
  return q.executeStep();
}

void save_sample(SQLite::Database& db, std::int64_t run_id, std::uint64_t seed, std::int64_t requested_size,
                 const std::vector<StratumRow>& strata, const std::vector<std::int64_t>& initiative_ids) {
  SQLite::Statement remove(db, "DELETE FROM validation_samples WHERE run_id = ?");
  remove.bind(1, run_id);
  remove.exec();
  SQLite::Statement sample(db,
                           "INSERT INTO validation_samples (run_id, seed, requested_size, created_at) "
                           "VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
  sample.bind(1, run_id);
  sample.bind(2, std::to_string(seed));
  sample.bind(3, requested_size);
  sample.exec();
  SQLite::Statement stratum(db, "INSERT INTO validation_strata (run_id, predicted, initiatives, sampled) VALUES (?, ?, ?, ?)");
  for (const auto& s : strata) {
    stratum.bind(1, run_id);
    stratum.bind(2, s.predicted);
    stratum.bind(3, s.initiatives);
    stratum.bind(4, s.sampled);
    stratum.exec();
    stratum.reset();
  }
  SQLite::Statement item(db, "INSERT INTO validation_items (run_id, initiative_id) VALUES (?, ?)");
  for (const auto id : initiative_ids) {
    item.bind(1, run_id);
    item.bind(2, id);
    item.exec();
    item.reset();
  }
}

void save_codes(SQLite::Database& db, std::int64_t run_id, const std::vector<SampleItemRow>& coded) {
  SQLite::Statement clear(db, "UPDATE validation_items SET gold = NULL, gold_2 = NULL, also = NULL WHERE run_id = ?");
  clear.bind(1, run_id);
  clear.exec();
  SQLite::Statement set(db, "UPDATE validation_items SET gold = ?, gold_2 = ?, also = ? WHERE run_id = ? AND initiative_id = ?");
  for (const auto& row : coded) {
    if (row.gold) set.bind(1, *row.gold);
    else set.bind(1);
    if (row.gold_2) set.bind(2, *row.gold_2);
    else set.bind(2);
    if (row.also.empty()) set.bind(3);
    else set.bind(3, row.also);
    set.bind(4, run_id);
    set.bind(5, row.initiative_id);
    set.exec();
    set.reset();
  }
}

}  // namespace baro::store
