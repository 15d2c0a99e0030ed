// Listing and deleting batches (`baro batches`).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "baro/error.hpp"
#include "baro/lifecycle.hpp"
#include "lifecycle/corpus.hpp"
#include "store/sqlite_errors.hpp"

namespace baro {
namespace {

// Fills each summary's initiative count and runs from the database `db` reads.
void describe(SQLite::Database& db, std::vector<BatchSummary>& batches) {
  SQLite::Statement initiatives(db, "SELECT count(*) FROM initiatives WHERE batch_id = ?");
  SQLite::Statement runs(db,
                         "SELECT DISTINCT c.run_id FROM classifications c JOIN initiatives i ON i.id = c.initiative_id "
                         "WHERE i.batch_id = ? ORDER BY c.run_id");
  for (auto& batch : batches) {
    initiatives.bind(1, batch.info.id);
    if (initiatives.executeStep()) batch.initiatives = initiatives.getColumn(0).getInt64();
    initiatives.reset();
    runs.bind(1, batch.info.id);
    while (runs.executeStep()) batch.runs.push_back(runs.getColumn(0).getInt64());
    runs.reset();
  }
}

}  // namespace

std::vector<BatchSummary> list_batches(const Store& store) {
  try {
    lifecycle::ReadSnapshot snapshot(store);
    std::vector<BatchSummary> out;
    for (auto& info : store.batches()) out.push_back({std::move(info), 0, {}});
    describe(snapshot.db(), out);
    return out;
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "listing batches");
  }
}

BatchSummary delete_batch(Store& store, std::int64_t batch_id) {
  auto& db = store.database();
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    std::vector<BatchSummary> found;
    for (auto& info : store.batches()) {
      if (info.id == batch_id) found.push_back({std::move(info), 0, {}});
    }
    if (found.empty()) {
      throw data_error("there is no batch " + std::to_string(batch_id), {store.path().string()},
                       "`baro batches list` shows the batches this database holds");
    }
    describe(db, found);
    // A validation sample's strata count the run's initiatives: without the batch its
    // corrected shares would be computed on sizes that no longer hold.
    SQLite::Statement sampled(db, "SELECT run_id FROM validation_samples WHERE run_id IN (SELECT DISTINCT c.run_id "
                                  "FROM classifications c JOIN initiatives i ON i.id = c.initiative_id "
                                  "WHERE i.batch_id = ?) ORDER BY run_id LIMIT 1");
    sampled.bind(1, batch_id);
    if (sampled.executeStep()) {
      const std::string run = sampled.getColumn(0).getString();
      throw data_error("batch " + std::to_string(batch_id) + " is part of run " + run +
                           ", which has a validation sample: deleting it would leave that sample's strata wrong",
                       {store.path().string()},
                       "delete that run first (`baro runs delete " + run + "`), then delete the batch, `baro reclassify` "
                       "and draw a new sample");
    }
    // Foreign keys cascade to its initiatives, their classifications, labels and validation items.
    SQLite::Statement drop(db, "DELETE FROM batches WHERE id = ?");
    drop.bind(1, batch_id);
    drop.exec();
    transaction.commit();
    return found.front();
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "deleting batch " + std::to_string(batch_id));
  }
}

}  // namespace baro
