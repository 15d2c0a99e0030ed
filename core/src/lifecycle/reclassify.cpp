#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "baro/error.hpp"
#include "baro/lifecycle.hpp"
#include "import/run_writer.hpp"
#include "lifecycle/corpus.hpp"
#include "store/sqlite_errors.hpp"

namespace baro {

ReclassifyResult reclassify(Store& store, const RuleEngine& engine, const ReclassifyOptions& options) {
  const auto chain = ClassifierChain::rules_only(engine);
  return reclassify(store, *chain, options);
}

ReclassifyResult reclassify(Store& store, ClassifierChain& classifiers, const ReclassifyOptions& options) {
  ReclassifyResult result;
  auto& db = store.database();
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::int64_t stored = db.execAndGet("SELECT count(*) FROM initiatives").getInt64();
    if (stored == 0) {
      throw data_error("no initiative is stored, so there is nothing to reclassify", {store.path().string()},
                       "import a survey batch first with `baro classify FILE`");
    }
    SQLite::Statement latest(db,
                             "SELECT id, ruleset_hash, classifiers, "
                             "(SELECT count(*) FROM classifications c WHERE c.run_id = runs.id) "
                             "FROM runs ORDER BY id DESC LIMIT 1");
    if (latest.executeStep()) {
      result.previous_run = latest.getColumn(0).getInt64();
      const bool same = latest.getColumn(1).getString() == classifiers.rule_set().content_hash() &&
                        latest.getColumn(2).getString() == classifiers.identities_json() &&
                        latest.getColumn(3).getInt64() == stored;
      if (same && !options.force) {
        result.up_to_date = true;
        result.run_id = result.previous_run;
        return result;  // the transaction rolls back: nothing was written
      }
    }
    RunWriter writer(store, classifiers, /*force_new=*/true);
    result.run_id = writer.run_id();
    PipelineOptions pipeline;
    pipeline.threads = options.threads;
    result.initiatives = writer.classify_stored(/*except_batch=*/0, pipeline);
    SQLite::Statement unclassified(db,
                                   "SELECT count(*) FROM classifications WHERE run_id = ? AND primary_domain IS NULL");
    unclassified.bind(1, result.run_id);
    unclassified.executeStep();
    result.unclassified = unclassified.getColumn(0).getInt64();
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "reclassifying the stored initiatives");
  }
  return result;
}

void delete_run(Store& store, std::int64_t run_id) {
  auto& db = store.database();
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    // Foreign keys cascade to run_domains, run_rules, classifications and their labels.
    SQLite::Statement drop(db, "DELETE FROM runs WHERE id = ?");
    drop.bind(1, run_id);
    if (drop.exec() == 0) {
      throw data_error("there is no run " + std::to_string(run_id), {store.path().string()},
                       "`baro runs list` shows the runs this database holds");
    }
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "deleting run " + std::to_string(run_id));
  }
}

}  // namespace baro

namespace baro {

std::vector<RunSummary> list_runs(const Store& store) {
  std::vector<RunSummary> out;
  try {
    lifecycle::ReadSnapshot snapshot(store);
    for (auto& run : store.runs()) out.push_back({std::move(run), 0, false, false});
    const std::int64_t stored = snapshot.db().execAndGet("SELECT count(*) FROM initiatives").getInt64();
    SQLite::Statement unclassified(snapshot.db(),
                                   "SELECT count(*) FROM classifications WHERE run_id = ? AND primary_domain IS NULL");
    for (auto& summary : out) {
      unclassified.bind(1, summary.info.id);
      unclassified.executeStep();
      summary.unclassified = unclassified.getColumn(0).getInt64();
      unclassified.reset();
      summary.complete = summary.info.initiatives == stored;
    }
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "listing runs");
  }
  if (!out.empty()) out.back().latest = true;
  return out;
}

}  // namespace baro
