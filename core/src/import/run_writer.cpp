#include "import/run_writer.hpp"

#include <SQLiteCpp/Database.h>

#include <algorithm>

#include "baro/version.hpp"

namespace baro {

RunWriter::RunWriter(Store& store, ClassifierChain& classifiers, bool force_new)
    : store_(store), classifiers_(classifiers) {
  auto& db = store.database();
  const RuleSet& rules = classifiers.rule_set();
  // The identity recorded with the run: every classifier's name and version, in chain order.
  const std::string chain = classifiers.identities_json();
  if (!force_new) {
    // A run that lacks some stored initiatives (its successor was deleted after a batch was
    // classified into it) is not joined: it would stay incomplete for good.
    SQLite::Statement latest(db,
                             "SELECT id, ruleset_hash, classifiers, "
                             "(SELECT count(*) FROM classifications c WHERE c.run_id = runs.id) = "
                             "(SELECT count(*) FROM initiatives) FROM runs ORDER BY id DESC LIMIT 1");
    if (latest.executeStep() && latest.getColumn(1).getString() == rules.content_hash() &&
        latest.getColumn(2).getString() == chain && latest.getColumn(3).getInt() == 1) {
      run_id_ = latest.getColumn(0).getInt64();
    }
  }
  if (run_id_ == 0) {
    SQLite::Statement insert(db,
                             "INSERT INTO runs (id, ruleset_id, ruleset_version, ruleset_hash, classifiers, "
                             "engine_version, created_at) VALUES ((SELECT max(coalesce((SELECT max(id) FROM runs), 0), "
                             "last_deleted) + 1 FROM run_ids), ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    insert.bind(1, rules.id());
    insert.bind(2, rules.version());
    insert.bind(3, rules.content_hash());
    insert.bind(4, chain);
    insert.bind(5, std::string(kVersion));
    insert.exec();
    run_id_ = db.getLastInsertRowid();
    is_new_ = true;
    SQLite::Statement domain(db, "INSERT INTO run_domains (run_id, position, domain, label) VALUES (?, ?, ?, ?)");
    for (std::size_t i = 0; i < rules.domains().size(); ++i) {
      domain.bind(1, run_id_);
      domain.bind(2, static_cast<std::int64_t>(i));
      domain.bind(3, rules.domains()[i].id);
      domain.bind(4, rules.domains()[i].label);
      domain.exec();
      domain.reset();
    }
    SQLite::Statement rule(db, "INSERT INTO run_rules (run_id, position, rule_id, domain, weight) VALUES (?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < rules.rules().size(); ++i) {
      const Rule& r = rules.rules()[i];
      rule.bind(1, run_id_);
      rule.bind(2, static_cast<std::int64_t>(i));
      rule.bind(3, r.id);
      rule.bind(4, rules.domains()[r.domain].id);
      rule.bind(5, r.weight);
      rule.exec();
      rule.reset();
    }
  }
  insert_classification_ = std::make_unique<SQLite::Statement>(
      db,
      "INSERT INTO classifications (run_id, initiative_id, primary_domain, classifier, vetoed) VALUES (?, ?, ?, ?, ?)");
  insert_label_ = std::make_unique<SQLite::Statement>(
      db, "INSERT INTO labels (run_id, initiative_id, domain, score, rules) VALUES (?, ?, ?, ?, ?)");
}

std::int64_t RunWriter::classify_stored(std::int64_t except_batch, const PipelineOptions& pipeline) {
  struct Stored {
    std::int64_t id = 0;
    std::string text;
  };
  // Reading and writing share this thread's connection (one transaction); they take turns,
  // and classification overlaps both on the pipeline's workers.
  SQLite::Statement stored(store_.database(), "SELECT id, description FROM initiatives WHERE batch_id != ? ORDER BY id");
  stored.bind(1, except_batch);
  std::int64_t n = 0;
  const std::size_t chunk_records = std::max<std::size_t>(1, pipeline.chunk_records);
  run_pipeline<Stored>(
      classifiers_, pipeline, /*producer_thread=*/false,
      [&](PipelineChunk<Stored>& chunk) {
        while (chunk.items.size() < chunk_records) {
          if (!stored.executeStep()) return false;
          chunk.items.push_back({stored.getColumn(0).getInt64(), stored.getColumn(1).getString()});
        }
        return true;
      },
      [&](PipelineChunk<Stored>& chunk) {
        for (std::size_t i = 0; i < chunk.items.size(); ++i) write(chunk.items[i].id, chunk.results[i]);
        n += static_cast<std::int64_t>(chunk.items.size());
      });
  return n;
}

void RunWriter::add(std::int64_t initiative_id, std::string_view description) {
  classifiers_.classify(description, result_);
  write(initiative_id, result_);
}

void RunWriter::write(std::int64_t initiative_id, const ClassifierChain::Result& result) {
  const RuleSet& rules = classifiers_.rule_set();
  const ClassifierOutput& c = result.output;
  auto& classification = *insert_classification_;
  classification.bind(1, run_id_);
  classification.bind(2, initiative_id);
  if (c.primary) classification.bindNoCopy(3, rules.domains()[*c.primary].id); else classification.bind(3);
  if (result.by != nullptr) classification.bindNoCopy(4, result.by->identity().name); else classification.bind(4);
  classification.bindNoCopy(5, result.vetoed);
  classification.exec();
  classification.reset();
  auto& label = *insert_label_;
  for (const auto& d : c.domains) {
    label.bind(1, run_id_);
    label.bind(2, initiative_id);
    label.bindNoCopy(3, rules.domains()[d.domain].id);
    label.bind(4, d.score);
    label.bindNoCopy(5, d.evidence);
    label.exec();
    label.reset();
  }
}

}  // namespace baro
