#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "baro/error.hpp"
#include "baro/lifecycle.hpp"
#include "baro/version.hpp"
#include "lifecycle/corpus.hpp"
#include "store/sqlite_errors.hpp"

namespace baro {
namespace {

using lifecycle::ClassifiedCorpus;

DiffSide run_side(const RunInfo& run, const ClassifiedCorpus& corpus) {
  DiffSide side;
  side.kind = "run";
  side.run_id = run.id;
  side.ruleset_id = run.ruleset_id;
  side.ruleset_version = run.ruleset_version;
  side.ruleset_hash = run.ruleset_hash;
  side.created_at = run.created_at;
  side.initiatives = static_cast<std::int64_t>(corpus.items.size());
  return side;
}

DiffSide rules_side(const RuleSet& rules, const ClassifiedCorpus& corpus) {
  DiffSide side;
  side.kind = "rules";
  side.rules_directory = rules.directory().string();
  side.ruleset_id = rules.id();
  side.ruleset_version = rules.version();
  side.ruleset_hash = rules.content_hash();
  side.initiatives = static_cast<std::int64_t>(corpus.items.size());
  return side;
}

std::vector<std::string> labelled_domains(const Evidence& e) {
  std::vector<std::string> out;
  for (const auto& d : e.domains) out.push_back(d.domain);
  std::sort(out.begin(), out.end());
  return out;
}

RunDiff compare(SQLite::Database& db, DiffSide side_a, const ClassifiedCorpus& a, DiffSide side_b,
                const ClassifiedCorpus& b, const RunDiffOptions& options) {
  RunDiff diff;
  diff.a = std::move(side_a);
  diff.b = std::move(side_b);

  // Rows and columns: A's domains, then B's new ones, then any domain only seen in a
  // classification (never in practice), then the unclassified.
  std::map<std::string, std::string> label_of;
  std::map<std::string, std::size_t> index_of;
  const auto add_domain = [&](const std::string& id, const std::string& label) {
    if (index_of.count(id)) return;
    index_of[id] = diff.domains.size();
    diff.domains.emplace_back(id);
    label_of[id] = label;
  };
  for (const auto& d : a.domains) add_domain(d.id, d.label);
  for (const auto& d : b.domains) add_domain(d.id, d.label);
  for (const auto* corpus : {&a, &b}) {
    for (const auto& [id, e] : corpus->items) {
      if (e.primary) add_domain(*e.primary, *e.primary);
    }
  }
  const std::size_t unclassified = diff.domains.size();
  diff.domains.emplace_back(std::nullopt);
  const std::size_t n = diff.domains.size();
  diff.matrix.assign(n, std::vector<std::int64_t>(n, 0));
  const auto index = [&](const Evidence& e) { return e.primary ? index_of.at(*e.primary) : unclassified; };

  struct Example {
    std::int64_t id;
    const Evidence* a;
    const Evidence* b;
  };
  std::map<std::pair<std::size_t, std::size_t>, std::vector<Example>> examples;
  std::vector<Example> changes;
  std::size_t i = 0, j = 0;
  while (i < a.items.size() || j < b.items.size()) {
    if (j == b.items.size() || (i < a.items.size() && a.items[i].first < b.items[j].first)) {
      ++diff.only_in_a;
      ++i;
      continue;
    }
    if (i == a.items.size() || b.items[j].first < a.items[i].first) {
      ++diff.only_in_b;
      ++j;
      continue;
    }
    const auto& [id, ea] = a.items[i];
    const Evidence& eb = b.items[j].second;
    const std::size_t from = index(ea), to = index(eb);
    ++diff.matrix[from][to];
    ++diff.compared;
    if (from != to) {
      ++diff.changed;
      if (options.max_changes == 0 || changes.size() < options.max_changes) changes.push_back({id, &ea, &eb});
      auto& cell = examples[{from, to}];
      if (cell.size() < options.examples_per_move) cell.push_back({id, &ea, &eb});
    } else if (labelled_domains(ea) != labelled_domains(eb)) {
      ++diff.labels_changed;
    }
    ++i;
    ++j;
  }

  std::vector<std::int64_t> rows(n, 0), columns(n, 0);
  for (std::size_t f = 0; f < n; ++f) {
    for (std::size_t t = 0; t < n; ++t) {
      rows[f] += diff.matrix[f][t];
      columns[t] += diff.matrix[f][t];
    }
  }
  const auto share = [&](std::int64_t count) {
    return diff.compared > 0 ? static_cast<double>(count) / static_cast<double>(diff.compared) : 0.0;
  };
  for (std::size_t d = 0; d < n; ++d) {
    ShareChange s;
    s.domain = diff.domains[d];
    s.label = s.domain ? label_of[*s.domain] : "Non classé";
    s.count_a = rows[d];
    s.count_b = columns[d];
    s.share_a = share(s.count_a);
    s.share_b = share(s.count_b);
    s.delta_points = (s.share_b - s.share_a) * 100.0;
    diff.shares.push_back(std::move(s));
  }

  SQLite::Statement details(db, "SELECT batch_id, source_id, description FROM initiatives WHERE id = ?");
  for (std::size_t f = 0; f < n; ++f) {
    for (std::size_t t = 0; t < n; ++t) {
      if (f == t || diff.matrix[f][t] == 0) continue;
      Move move;
      move.from = diff.domains[f];
      move.to = diff.domains[t];
      move.count = diff.matrix[f][t];
      for (const auto& example : examples[{f, t}]) {
        MovedInitiative m;
        m.initiative_id = example.id;
        details.bind(1, example.id);
        if (details.executeStep()) {
          m.batch_id = details.getColumn(0).getInt64();
          m.source_id = details.getColumn(1).getString();
          m.description = details.getColumn(2).getString();
        }
        details.reset();
        m.a = *example.a;
        m.b = *example.b;
        move.examples.push_back(std::move(m));
      }
      diff.moves.push_back(std::move(move));
    }
  }
  for (const auto& change : changes) {
    ChangedInitiative c;
    c.initiative_id = change.id;
    c.from = change.a->primary;
    c.to = change.b->primary;
    details.bind(1, change.id);
    if (details.executeStep()) {
      c.batch_id = details.getColumn(0).getInt64();
      c.source_id = details.getColumn(1).getString();
    }
    details.reset();
    diff.changes.push_back(std::move(c));
  }
  // Largest moves first; ties in matrix order, so the output is stable.
  std::stable_sort(diff.moves.begin(), diff.moves.end(), [](const Move& x, const Move& y) { return x.count > y.count; });
  return diff;
}

}  // namespace

RunDiff diff_runs(const Store& store, std::int64_t a, std::int64_t b, const RunDiffOptions& options) {
  const RunInfo run_a = lifecycle::require_run(store, a);
  const RunInfo run_b = lifecycle::require_run(store, b);
  try {
    lifecycle::ReadSnapshot snapshot(store);
    const ClassifiedCorpus corpus_a = lifecycle::load_run(snapshot.db(), a);
    const ClassifiedCorpus corpus_b = lifecycle::load_run(snapshot.db(), b);
    return compare(snapshot.db(), run_side(run_a, corpus_a), corpus_a, run_side(run_b, corpus_b), corpus_b, options);
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "comparing runs");
  }
}

RunDiff diff_run_with_rules(const Store& store, std::int64_t a, const RuleEngine& engine, const RunDiffOptions& options) {
  const RunInfo run_a = lifecycle::require_run(store, a);
  try {
    lifecycle::ReadSnapshot snapshot(store);
    const ClassifiedCorpus corpus_a = lifecycle::load_run(snapshot.db(), a);
    const ClassifiedCorpus corpus_b = lifecycle::classify_stored(snapshot.db(), engine);
    return compare(snapshot.db(), run_side(run_a, corpus_a), corpus_a, rules_side(engine.rule_set(), corpus_b),
                   corpus_b, options);
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "comparing a run with a rule set");
  }
}

namespace {

nlohmann::json domain_json(const std::optional<std::string>& domain) {
  return domain ? nlohmann::json(*domain) : nlohmann::json(nullptr);
}

nlohmann::json side_json(const DiffSide& side) {
  nlohmann::json out = {{"kind", side.kind},
                        {"ruleset", {{"id", side.ruleset_id}, {"version", side.ruleset_version}, {"hash", side.ruleset_hash}}},
                        {"initiatives", side.initiatives}};
  if (side.kind == "run") {
    out["run"] = side.run_id;
    out["created_at"] = side.created_at;
  } else {
    out["rules_directory"] = side.rules_directory;
  }
  return out;
}

nlohmann::json evidence_json(const Evidence& e) {
  nlohmann::json domains = nlohmann::json::array();
  for (const auto& d : e.domains) domains.push_back({{"domain", d.domain}, {"score", d.score}, {"rules", d.rules}});
  return {{"primary", domain_json(e.primary)}, {"domains", domains}, {"vetoed", e.vetoed}};
}

}  // namespace

std::string run_diff_to_json(const RunDiff& diff) {
  using nlohmann::json;
  json domains = json::array();
  for (const auto& d : diff.domains) domains.push_back(domain_json(d));
  json shares = json::array();
  for (const auto& s : diff.shares) {
    shares.push_back({{"domain", domain_json(s.domain)},
                      {"label", s.label},
                      {"count_a", s.count_a},
                      {"count_b", s.count_b},
                      {"share_a", s.share_a},
                      {"share_b", s.share_b},
                      {"delta_points", s.delta_points}});
  }
  json moves = json::array();
  for (const auto& m : diff.moves) {
    json examples = json::array();
    for (const auto& e : m.examples) {
      examples.push_back({{"initiative", e.initiative_id},
                          {"batch", e.batch_id},
                          {"source_id", e.source_id},
                          {"description", e.description},
                          {"a", evidence_json(e.a)},
                          {"b", evidence_json(e.b)}});
    }
    moves.push_back({{"from", domain_json(m.from)}, {"to", domain_json(m.to)}, {"count", m.count}, {"examples", examples}});
  }
  json changes = json::array();
  for (const auto& c : diff.changes) {
    changes.push_back({{"initiative", c.initiative_id},
                       {"batch", c.batch_id},
                       {"source_id", c.source_id},
                       {"from", domain_json(c.from)},
                       {"to", domain_json(c.to)}});
  }
  const json out = {{"schema", "baro-runs-diff/1"},
                    {"engine_version", kVersion},
                    {"a", side_json(diff.a)},
                    {"b", side_json(diff.b)},
                    {"compared", diff.compared},
                    {"only_in_a", diff.only_in_a},
                    {"only_in_b", diff.only_in_b},
                    {"changed", diff.changed},
                    {"labels_changed", diff.labels_changed},
                    {"domains", domains},
                    {"matrix", diff.matrix},
                    {"shares", shares},
                    {"moves", moves},
                    {"changes", changes}};
  return out.dump(2);
}

}  // namespace baro
