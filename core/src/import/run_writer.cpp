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
    // A run that lacks some stored initiatives (its successor was deleted after a batch was
    // classified into it) is not joined: it would stay incomplete for good.
    SQLite::Statement latest(db,
                             "SELECT id, ruleset_hash, classifiers, "
                             "(SELECT count(*) FROM classifications c WHERE c.run_id = runs.id) = "
                             "(SELECT count(*) FROM initiatives) FROM runs ORDER BY id DESC LIMIT 1");
    if (latest.executeStep() && latest.getColumn(1).getString() == rules.content_hash() &&
        latest.getColumn(2).getString() == classifiers && latest.getColumn(3).getInt() == 1) {
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
      db, "INSERT INTO classifications (run_id, initiative_id, primary_domain, vetoed) VALUES (?, ?, ?, ?)");
  insert_label_ = std::make_unique<SQLite::Statement>(
      db, "INSERT INTO labels (run_id, initiative_id, domain, score, rules) VALUES (?, ?, ?, ?, ?)");
}

std::int64_t RunWriter::classify_stored(std::int64_t except_batch) {
  SQLite::Statement stored(store_.database(), "SELECT id, description FROM initiatives WHERE batch_id != ? ORDER BY id");
  stored.bind(1, except_batch);
  std::int64_t n = 0;
  while (stored.executeStep()) {
    add(stored.getColumn(0).getInt64(), stored.getColumn(1).getString());
    ++n;
  }
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
  if (c.primary) classification.bind(3, rules.domains()[*c.primary].id); else classification.bind(3);
  std::string vetoed;
  for (std::size_t r : c.vetoed) {
    if (!vetoed.empty()) vetoed += ' ';
    vetoed += rules.rules()[r].id;
  }
  classification.bind(4, vetoed);
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
    label.bind(3, rules.domains()[d.domain].id);
    label.bind(4, d.score);
    label.bind(5, fired);
    label.exec();
    label.reset();
  }
}

}  // namespace baro
