#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "baro/diagnostics.hpp"
#include "baro/error.hpp"
#include "baro/version.hpp"
#include "lifecycle/corpus.hpp"
#include "store/sqlite_errors.hpp"

namespace baro {
namespace {

// Scores are sums of weights; removing one weight by subtraction may differ from the sum
// the engine made in the last bits.
constexpr double kScoreEpsilon = 1e-9;

struct RuleRow {
  std::string id, domain;
  double weight = 0.0;
};

std::vector<RuleRow> run_rule_list(SQLite::Database& db, const RunInfo& run,
                                   const RuleSet* rules, const Store& store) {
  std::vector<RuleRow> out;
  SQLite::Statement q(db, "SELECT rule_id, domain, weight FROM run_rules WHERE run_id = ? ORDER BY position");
  q.bind(1, run.id);
  while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getDouble()});
  if (!out.empty()) return out;
  if (rules != nullptr && rules->content_hash() == run.ruleset_hash) {
    for (const auto& r : rules->rules()) out.push_back({r.id, rules->domains()[r.domain].id, r.weight});
    return out;
  }
  throw data_error("run " + std::to_string(run.id) +
                       " was made before Baro recorded the rules of a run, so its statistics need the rule set "
                       "that made it (" + run.ruleset_id + ' ' + run.ruleset_version + ", hash " +
                       run.ruleset_hash.substr(0, 12) + ")",
                   {store.path().string()},
                   rules != nullptr ? "the rules given have another content hash; pass the folder that made the run, "
                                      "or make a new run with `baro reclassify`"
                                    : "pass that folder with --rules DIR, or make a new run with `baro reclassify`");
}

int severity(const RuleStat& s) {
  if (s.problems.empty()) return 4;
  const std::string& worst = s.problems.front();
  return worst == "dead" ? 0 : worst == "conflict" ? 1 : worst == "redundant" ? 2 : 3;
}

}  // namespace

RuleStats compute_rule_stats(const Store& store, const RuleStatsOptions& options) {
  RuleStats stats;
  stats.run = lifecycle::require_run_or_latest(store, options.run_id);
  try {
    lifecycle::ReadSnapshot snapshot(store);
    const auto corpus = lifecycle::load_run(snapshot.db(), stats.run.id);
    const auto rule_rows = run_rule_list(snapshot.db(), stats.run, options.rules, store);
    stats.initiatives = static_cast<std::int64_t>(corpus.items.size());
    stats.vetoes_recorded = corpus.vetoes_recorded;

    std::unordered_map<std::string, std::size_t> rule_index;
    for (const auto& row : rule_rows) {
      rule_index.emplace(row.id, stats.rules.size());
      RuleStat s;
      s.rule = row.id;
      s.domain = row.domain;
      s.weight = row.weight;
      stats.rules.push_back(std::move(s));
    }
    const auto stat_of = [&](const std::string& id, const std::string& domain) -> RuleStat& {
      auto [it, added] = rule_index.emplace(id, stats.rules.size());
      if (added) {  // a rule missing from the list: never in practice, counted all the same
        RuleStat s;
        s.rule = id;
        s.domain = domain;
        stats.rules.push_back(std::move(s));
      }
      return stats.rules[it->second];
    };
    std::unordered_map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < corpus.domains.size(); ++i) position.emplace(corpus.domains[i].id, i);
    const auto position_of = [&](const std::string& domain) {
      const auto it = position.find(domain);
      return it == position.end() ? corpus.domains.size() : it->second;
    };
    std::map<std::pair<std::string, std::string>, std::int64_t> together;  // rule pairs of one domain
    std::map<std::pair<std::size_t, std::size_t>, std::int64_t> pairs;      // domain positions

    for (const auto& [id, e] : corpus.items) {
      if (!e.primary) ++stats.unclassified;
      for (const auto& vetoed : e.vetoed) ++stat_of(vetoed, "").vetoed;
      for (std::size_t i = 0; i < e.domains.size(); ++i) {
        const DomainEvidence& d = e.domains[i];
        for (std::size_t j = i + 1; j < e.domains.size(); ++j) {
          const std::size_t x = position_of(d.domain), y = position_of(e.domains[j].domain);
          ++pairs[{std::min(x, y), std::max(x, y)}];
        }
        const bool is_primary = e.primary && *e.primary == d.domain;
        for (const auto& rule : d.rules) {
          RuleStat& s = stat_of(rule, d.domain);
          ++s.hits;
          if (!is_primary) ++s.lost;
          if (d.rules.size() > 1) {
            ++s.overlap;
            for (const auto& other : d.rules) {
              if (other != rule) ++together[{rule, other}];
            }
          }
          if (!is_primary) continue;
          // Would the domain still be primary without this rule's weight?
          bool stays = d.rules.size() > 1;
          const double without = d.score - s.weight;
          for (std::size_t k = 0; stays && k < e.domains.size(); ++k) {
            if (k == i) continue;
            const DomainEvidence& other = e.domains[k];
            if (without > other.score + kScoreEpsilon) continue;
            if (std::fabs(without - other.score) <= kScoreEpsilon && position_of(d.domain) < position_of(other.domain))
              continue;
            stays = false;
          }
          if (!stays) ++s.decided;
        }
      }
    }
    for (const auto& [rules, n] : together) {
      RuleStat& s = stats.rules[rule_index.at(rules.first)];
      if (n > s.overlaps_most_with_count) {
        s.overlaps_most_with = rules.second;
        s.overlaps_most_with_count = n;
      }
    }
    const double total = static_cast<double>(stats.initiatives);
    for (auto& s : stats.rules) {
      s.share = total > 0 ? static_cast<double>(s.hits) / total : 0.0;
      if (s.hits == 0) {
        s.problems.push_back("dead");
        continue;
      }
      if (s.lost * 2 >= s.hits) s.problems.push_back("conflict");
      if (s.overlap == s.hits && s.decided == 0) s.problems.push_back("redundant");
      if (s.share >= options.broad_share) s.problems.push_back("broad");
    }
    // Worst problems first; within one kind, the most consequential first. Dead rules keep
    // rule-set order (they have no numbers to sort by).
    std::stable_sort(stats.rules.begin(), stats.rules.end(), [](const RuleStat& x, const RuleStat& y) {
      const int sx = severity(x), sy = severity(y);
      if (sx != sy) return sx < sy;
      if (sx == 1 && x.lost != y.lost) return x.lost > y.lost;
      return x.hits > y.hits;
    });
    if (options.min_hits > 0) {
      stats.rules.erase(std::remove_if(stats.rules.begin(), stats.rules.end(),
                                       [&](const RuleStat& r) { return r.hits < options.min_hits; }),
                        stats.rules.end());
    }
    for (const auto& [p, n] : pairs) {
      const auto name = [&](std::size_t pos) { return pos < corpus.domains.size() ? corpus.domains[pos].id : "?"; };
      stats.pairs.push_back({name(p.first), name(p.second), n, total > 0 ? static_cast<double>(n) / total : 0.0});
    }
    std::stable_sort(stats.pairs.begin(), stats.pairs.end(),
                     [](const DomainPair& x, const DomainPair& y) { return x.both > y.both; });
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "computing rule statistics");
  }
  return stats;
}

std::string rule_stats_to_json(const RuleStats& stats) {
  using nlohmann::json;
  json rules = json::array();
  for (const auto& s : stats.rules) {
    rules.push_back({{"rule", s.rule},
                     {"domain", s.domain},
                     {"weight", s.weight},
                     {"hits", s.hits},
                     {"share", s.share},
                     {"decided", s.decided},
                     {"lost", s.lost},
                     {"overlap", s.overlap},
                     {"overlaps_most_with", s.overlaps_most_with.empty() ? json(nullptr) : json(s.overlaps_most_with)},
                     {"overlaps_most_with_count", s.overlaps_most_with_count},
                     {"vetoed", stats.vetoes_recorded ? json(s.vetoed) : json(nullptr)},
                     {"problems", s.problems}});
  }
  json pairs = json::array();
  for (const auto& p : stats.pairs) pairs.push_back({{"a", p.a}, {"b", p.b}, {"both", p.both}, {"share", p.share}});
  const json out = {{"schema", "baro-rule-stats/1"},
                    {"engine_version", kVersion},
                    {"run",
                     {{"id", stats.run.id},
                      {"ruleset", {{"id", stats.run.ruleset_id}, {"version", stats.run.ruleset_version}, {"hash", stats.run.ruleset_hash}}},
                      {"created_at", stats.run.created_at}}},
                    {"initiatives", stats.initiatives},
                    {"unclassified", stats.unclassified},
                    {"rules", rules},
                    {"domain_pairs", pairs}};
  return out.dump(2);
}

}  // namespace baro
