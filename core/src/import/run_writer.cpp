#include "import/run_writer.hpp"

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include "baro/normalize.hpp"
#include "baro/version.hpp"

namespace baro {

std::string RunWriter::classifiers_json() {
  // The built-in rules classifier's output changes only with the engine or the rule set
  // (whose hash is recorded separately), so its version is the engine's.
  return nlohmann::json::array({{{"name", "rules"}, {"version", kVersion}}}).dump();
}

RunWriter::RunWriter(Store& store, const RuleEngine& engine, bool force_new) : store_(store), engine_(engine) {
  auto& db = store.database();
  const RuleSet& rules = engine.rule_set();
  const std::string classifiers = classifiers_json();
  if (!force_new) {
    SQLite::Statement latest(db, "SELECT id, ruleset_hash, classifiers FROM runs ORDER BY id DESC LIMIT 1");
    if (latest.executeStep() && latest.getColumn(1).getString() == rules.content_hash() &&
        latest.getColumn(2).getString() == classifiers) {
      run_id_ = latest.getColumn(0).getInt64();
    }
  }
  if (run_id_ == 0) {
    SQLite::Statement insert(db,
                             "INSERT INTO runs (ruleset_id, ruleset_version, ruleset_hash, classifiers, engine_version, "
                             "created_at) VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    insert.bind(1, rules.id());
    insert.bind(2, rules.version());
    insert.bind(3, rules.content_hash());
    insert.bind(4, classifiers);
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
  }
  insert_classification_ = std::make_unique<SQLite::Statement>(
      db, "INSERT INTO classifications (run_id, initiative_id, primary_domain) VALUES (?, ?, ?)");
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
  run_pipeline<Stored>(
      engine_, pipeline, /*producer_thread=*/false,
      [&](PipelineChunk<Stored>& chunk) {
        while (chunk.items.size() < std::max<std::size_t>(1, pipeline.chunk_records)) {
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
  write(initiative_id, engine_.classify(fold(description)));
}

void RunWriter::write(std::int64_t initiative_id, const Classification& c) {
  const RuleSet& rules = engine_.rule_set();
  auto& classification = *insert_classification_;
  classification.bind(1, run_id_);
  classification.bind(2, initiative_id);
  if (c.primary) classification.bindNoCopy(3, rules.domains()[*c.primary].id); else classification.bind(3);
  classification.exec();
  classification.reset();
  auto& label = *insert_label_;
  for (const auto& d : c.domains) {
    std::string fired;
    for (std::size_t r : d.rules) {
      if (!fired.empty()) fired += ' ';
      fired += rules.rules()[r].id;
    }
    label.bind(1, run_id_);
    label.bind(2, initiative_id);
    label.bindNoCopy(3, rules.domains()[d.domain].id);
    label.bind(4, d.score);
    label.bind(5, fired);
    label.exec();
    label.reset();
  }
}

}  // namespace baro
