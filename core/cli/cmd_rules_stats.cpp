// `baro rules stats`: per rule, what it does on the stored corpus; worst problems first.
#include <iostream>
#include <limits>
#include <sstream>

#include "baro/diagnostics.hpp"
#include "baro/display.hpp"
#include "cli.hpp"

namespace baro::cli {

int run_rules_stats(const Args& args) {
  CommonPaths paths;
  double broad_percent = 10.0;
  po::options_description options("options");
  add_db_option(options, paths);
  add_rules_option(options, paths);
  options.add_options()
      ("run", po::value<std::int64_t>()->value_name("ID"), "the run to examine (default: the latest)")
      ("broad", po::value(&broad_percent)->value_name("PCT")->default_value(10.0),
       "flag rules firing on at least PCT % of the corpus")
      ("min-hits", po::value<std::int64_t>()->value_name("N"), "only the rules with at least N hits (1 and more)")
      ("json", "machine-readable output (schema baro-rule-stats/1)");
  po::variables_map vm;
  if (!parse("rules stats", "[--run ID] [--min-hits N] [--json]",
             "Per rule, on the initiatives of a run: hits, share of the corpus, hits where it decided\n"
             "the primary domain (without it the domain would not have won), hits where its domain\n"
             "lost to another (conflict), hits shared with another rule of its domain (overlap) and\n"
             "vetoes. Dead, conflicting, redundant and broad rules come first. Then, per pair of\n"
             "domains, the initiatives labelled with both. --rules is only needed for runs made\n"
             "before Baro recorded each run's rules. --min-hits N keeps only the rules with at least N\n"
             "hits (dead rules have none); the domain pairs are not filtered.",
             options, {}, args, vm))
    return 0;
  RuleStatsOptions stats_options;
  if (vm.count("run")) stats_options.run_id = vm["run"].as<std::int64_t>();
  if (vm.count("min-hits")) {
    const std::int64_t min_hits = vm["min-hits"].as<std::int64_t>();
    check_range("min-hits", min_hits, 1, std::numeric_limits<std::int32_t>::max(),
                "the hits a rule needs to be listed (without --min-hits every rule is, dead ones included)");
    stats_options.min_hits = min_hits;
  }
  stats_options.broad_share = broad_percent / 100.0;
  std::unique_ptr<RuleSet> rules;
  if (!paths.rules.empty()) {
    rules = load_rules(paths);
    stats_options.rules = rules.get();
  }
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadOnly));
  const RuleStats stats = compute_rule_stats(*store, stats_options);
  if (vm.count("json")) {
    std::cout << rule_stats_to_json(stats) << '\n';
    return 0;
  }
  const auto share_of = [&](std::int64_t n) {
    return stats.initiatives > 0 ? static_cast<double>(n) / static_cast<double>(stats.initiatives) : 0.0;
  };
  std::cout << "run " << stats.run.id << " (" << stats.run.ruleset_id << ' ' << stats.run.ruleset_version << ", "
            << stats.run.ruleset_hash.substr(0, 12) << "): " << group_thousands(stats.initiatives) << " initiatives, "
            << group_thousands(stats.unclassified) << " unclassified (" << percent(share_of(stats.unclassified))
            << ")\n\n";
  std::size_t rule_width = 4, domain_width = 6;
  for (const auto& s : stats.rules) {
    rule_width = std::max(rule_width, display_width(s.rule));
    domain_width = std::max(domain_width, display_width(s.domain));
  }
  std::cout << pad_right("rule", rule_width) << "  " << pad_right("domain", domain_width) << pad_left("hits", 8)
            << pad_left("share", 9) << pad_left("decided", 9) << pad_left("lost", 7) << pad_left("overlap", 9)
            << pad_left("vetoed", 8) << "  problems\n";
  for (const auto& s : stats.rules) {
    std::string problems;
    for (const auto& p : s.problems) problems += (problems.empty() ? "" : ", ") + p;
    if (s.overlaps_most_with_count > 0) {
      problems += std::string(problems.empty() ? "" : "; ") + "overlaps most with " + s.overlaps_most_with + " (" +
                  group_thousands(s.overlaps_most_with_count) + ")";
    }
    std::cout << pad_right(s.rule, rule_width) << "  " << pad_right(s.domain, domain_width)
              << pad_left(group_thousands(s.hits), 8) << pad_left(percent(s.share), 9)
              << pad_left(group_thousands(s.decided), 9) << pad_left(group_thousands(s.lost), 7)
              << pad_left(group_thousands(s.overlap), 9)
              << pad_left(stats.vetoes_recorded ? group_thousands(s.vetoed) : "?", 8)
              << (problems.empty() ? "" : "  " + problems) << '\n';
  }
  std::cout << "\ndomains labelled together\n";
  if (stats.pairs.empty()) std::cout << "  none: no initiative carries two labels\n";
  for (const auto& p : stats.pairs) {
    std::cout << "  " << pad_right(p.a + " + " + p.b, 2 * domain_width + 3) << pad_left(group_thousands(p.both), 8)
              << pad_left(percent(p.share), 9) << '\n';
  }
  if (!stats.vetoes_recorded) std::cout << "\n? this run was made before vetoes were recorded\n";
  return 0;
}

}  // namespace baro::cli
