#include "lifecycle/corpus.hpp"

#include <SQLiteCpp/Statement.h>

#include "baro/error.hpp"
#include "baro/normalize.hpp"

namespace baro::lifecycle {

ReadSnapshot::ReadSnapshot(const Store& store) : db_(const_cast<SQLite::Database&>(store.database())) {
  db_.exec("BEGIN");
}

ReadSnapshot::~ReadSnapshot() {
  try {
    db_.exec("ROLLBACK");
  } catch (...) {  // a destructor must not throw; a failed read rollback leaves nothing behind
  }
}

RunInfo require_run(const Store& store, std::int64_t run_id) {
  auto run = store.run(run_id);
  if (!run) {
    throw data_error("there is no run " + std::to_string(run_id), {store.path().string()},
                     "`baro runs list` shows the runs this database holds");
  }
  return *run;
}

RunInfo require_run_or_latest(const Store& store, std::optional<std::int64_t> run_id) {
  if (run_id) return require_run(store, *run_id);
  auto latest = store.latest_run();
  if (!latest) {
    throw data_error("nothing has been classified in this database yet", {store.path().string()},
                     "import a survey batch with `baro classify FILE`");
  }
  return *latest;
}

std::vector<std::string> split_ids(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t space = text.find(' ', pos);
    const std::size_t end = space == std::string::npos ? text.size() : space;
    if (end > pos) out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

ClassifiedCorpus load_run(SQLite::Database& db, std::int64_t run_id) {
  ClassifiedCorpus corpus;
  SQLite::Statement domains(db, "SELECT domain, label FROM run_domains WHERE run_id = ? ORDER BY position");
  domains.bind(1, run_id);
  while (domains.executeStep()) corpus.domains.push_back({domains.getColumn(0).getString(), domains.getColumn(1).getString()});

  SQLite::Statement classifications(
      db, "SELECT initiative_id, primary_domain, vetoed FROM classifications WHERE run_id = ? ORDER BY initiative_id");
  classifications.bind(1, run_id);
  while (classifications.executeStep()) {
    Evidence e;
    if (!classifications.getColumn(1).isNull()) e.primary = classifications.getColumn(1).getString();
    if (classifications.getColumn(2).isNull()) corpus.vetoes_recorded = false;
    else e.vetoed = split_ids(classifications.getColumn(2).getString());
    corpus.items.emplace_back(classifications.getColumn(0).getInt64(), std::move(e));
  }
  // Labels in the same initiative order, domains in rule-set order: one merge pass.
  SQLite::Statement labels(db,
                           "SELECT l.initiative_id, l.domain, l.score, l.rules FROM labels l "
                           "LEFT JOIN run_domains d ON d.run_id = l.run_id AND d.domain = l.domain "
                           "WHERE l.run_id = ? ORDER BY l.initiative_id, d.position");
  labels.bind(1, run_id);
  std::size_t i = 0;
  while (labels.executeStep()) {
    const std::int64_t id = labels.getColumn(0).getInt64();
    while (i < corpus.items.size() && corpus.items[i].first < id) ++i;
    if (i == corpus.items.size() || corpus.items[i].first != id) continue;  // the foreign key forbids it
    corpus.items[i].second.domains.push_back(
        {labels.getColumn(1).getString(), labels.getColumn(2).getDouble(), split_ids(labels.getColumn(3).getString())});
  }
  return corpus;
}

Evidence to_evidence(const RuleSet& rules, const Classification& c) {
  Evidence e;
  if (c.primary) e.primary = rules.domains()[*c.primary].id;
  for (const auto& d : c.domains) {
    DomainEvidence de{rules.domains()[d.domain].id, d.score, {}};
    for (std::size_t r : d.rules) de.rules.push_back(rules.rules()[r].id);
    e.domains.push_back(std::move(de));
  }
  for (std::size_t r : c.vetoed) e.vetoed.push_back(rules.rules()[r].id);
  return e;
}

ClassifiedCorpus classify_stored(SQLite::Database& db, const RuleEngine& engine) {
  const RuleSet& rules = engine.rule_set();
  ClassifiedCorpus corpus;
  corpus.domains = rules.domains();
  SQLite::Statement stored(db, "SELECT id, description FROM initiatives ORDER BY id");
  while (stored.executeStep()) {
    const Classification c = engine.classify(fold(stored.getColumn(1).getString()));
    corpus.items.emplace_back(stored.getColumn(0).getInt64(), to_evidence(rules, c));
  }
  return corpus;
}

}  // namespace baro::lifecycle
