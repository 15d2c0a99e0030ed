#include <iostream>

#include "baro/lifecycle.hpp"
#include "baro/plugins.hpp"
#include "cli.hpp"

namespace baro::cli {

int run_reclassify(const Args& args) {
  CommonPaths paths;
  ClassifierChainSpec chain_spec;
  ReclassifyOptions reclassify_options;
  std::int64_t regex_mem_mb = 0;
  std::int64_t threads = 0;
  po::options_description options("options");
  add_db_option(options, paths);
  add_rules_option(options, paths);
  options.add_options()
      ("force", "make a new run even if the latest one already used these rules and classifiers")
      ("regex-mem-mb", po::value(&regex_mem_mb)->value_name("MB"), "RE2 memory budget (default 256)")
      ("threads", po::value(&threads)->default_value(0)->value_name("N"),
       "threads classifying at once, writing beside them (0: one per core; 1: one thread in all; the labels are the same)");
  add_classifier_chain_options(options, chain_spec);
  po::variables_map vm;
  if (!parse("reclassify", "[--rules DIR] [--classifier NAME]... [--force]",
             "Classifies every stored initiative again with the rule set into a new run, in one\n"
             "transaction, without re-importing any batch. Earlier runs are kept: compare them with\n"
             "`baro runs diff`, report on them with `baro report --run ID`.",
             options, {}, args, vm))
    return 0;
  reclassify_options.threads = checked_threads(threads);
  const auto rules = load_rules(paths, regex_mem_mb);
  const RuleEngine engine(*rules);
  std::unique_ptr<PluginRegistry> registry;
  const auto chain = build_classifier_chain(chain_spec, engine, registry);
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadWrite));
  reclassify_options.force = vm.count("force") > 0;
  const ReclassifyResult result = reclassify(*store, *chain, reclassify_options);
  const std::string ruleset = rules->id() + ' ' + rules->version() + " (" + rules->content_hash().substr(0, 12) + ")";
  if (result.up_to_date) {
    std::cout << "run " << result.run_id << " already classifies every stored initiative with " << ruleset
              << ": nothing to do\n(--force makes a new run anyway)\n";
    return 0;
  }
  std::cout << "reclassified " << group_thousands(result.initiatives) << " initiatives into run " << result.run_id
            << " with " << ruleset << "; " << group_thousands(result.unclassified) << " unclassified ("
            << percent(result.initiatives > 0 ? static_cast<double>(result.unclassified) /
                                                    static_cast<double>(result.initiatives)
                                              : 0.0)
            << ")\n";
  if (result.previous_run != 0) {
    std::cout << "run " << result.previous_run << " is kept: `baro runs diff " << result.previous_run << ' '
              << result.run_id << "` shows what moved, `baro report --run " << result.previous_run
              << "` its figures\n";
  }
  return 0;
}

}  // namespace baro::cli
