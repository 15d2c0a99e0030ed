// `baro runs`: list, delete and (cmd_runs_diff.cpp) compare classification runs.
#include <nlohmann/json.hpp>

#include <iostream>

#include "baro/display.hpp"
#include "baro/lifecycle.hpp"
#include "cli.hpp"

namespace baro::cli {

int run_runs(const Args& args) {
  static const std::vector<Command> subcommands = {
      {"list", "every classification run, oldest first", run_runs_list},
      {"diff", "what changed between two runs, or a run and a rules folder", run_runs_diff},
      {"delete", "delete one run and its labels", run_runs_delete},
  };
  return dispatch_subcommand("runs", "Classification runs: each names the rule set, classifiers and engine that made it.",
                             subcommands, args);
}

int run_runs_list(const Args& args) {
  CommonPaths paths;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()("json", "machine-readable output");
  po::variables_map vm;
  if (!parse("runs list", "[--json]",
             "Lists the classification runs the database keeps, oldest first: the rule set (id,\n"
             "version, content hash), classifiers and engine version that made each, when, and how\n"
             "many initiatives it classifies. Reports describe the latest run unless --run says otherwise.",
             options, {}, args, vm))
    return 0;
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadOnly));
  const auto runs = list_runs(*store);
  if (vm.count("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : runs) {
      nlohmann::json classifiers = nlohmann::json::array();
      for (const auto& c : r.info.classifiers) classifiers.push_back({{"name", c.name}, {"version", c.version}});
      out.push_back({{"id", r.info.id},
                     {"created_at", r.info.created_at},
                     {"ruleset", {{"id", r.info.ruleset_id}, {"version", r.info.ruleset_version}, {"hash", r.info.ruleset_hash}}},
                     {"classifiers", classifiers},
                     {"engine_version", r.info.engine_version},
                     {"initiatives", r.info.initiatives},
                     {"unclassified", r.unclassified},
                     {"complete", r.complete},
                     {"latest", r.latest}});
    }
    std::cout << out.dump(2) << '\n';
    return 0;
  }
  if (runs.empty()) {
    std::cout << "no run yet: `baro classify FILE` imports and classifies a batch\n";
    return 0;
  }
  std::size_t ruleset_width = 8;
  for (const auto& r : runs) {
    ruleset_width = std::max(ruleset_width, display_width(r.info.ruleset_id + ' ' + r.info.ruleset_version));
  }
  std::cout << pad_left("run", 5) << "  " << pad_right("created", 20) << "  " << pad_right("rule set", ruleset_width)
            << "  " << pad_right("hash", 12) << "  " << pad_right("engine", 8) << pad_left("initiatives", 11)
            << pad_left("unclassified", 14) << '\n';
  bool incomplete = false;
  for (const auto& r : runs) {
    const double share = r.info.initiatives > 0
                             ? static_cast<double>(r.unclassified) / static_cast<double>(r.info.initiatives)
                             : 0.0;
    std::cout << pad_left(std::to_string(r.info.id), 5) << "  " << pad_right(r.info.created_at, 20) << "  "
              << pad_right(r.info.ruleset_id + ' ' + r.info.ruleset_version, ruleset_width) << "  "
              << pad_right(r.info.ruleset_hash.substr(0, 12), 12) << "  " << pad_right(r.info.engine_version, 8)
              << pad_left(group_thousands(r.info.initiatives), 11) << pad_left(percent(share), 14)
              << (r.latest ? "  latest" : "") << (r.complete ? "" : "  incomplete") << '\n';
    incomplete = incomplete || !r.complete;
  }
  if (incomplete) {
    std::cout << "\nincomplete: the run lacks initiatives stored since; `baro reclassify` makes a complete run\n";
  }
  return 0;
}

int run_runs_delete(const Args& args) {
  CommonPaths paths;
  std::int64_t id = 0;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()("id", po::value(&id)->required()->value_name("ID"), "the run to delete");
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  if (!parse("runs delete", "ID",
             "Deletes one classification run: its classifications and labels. Batches, initiatives\n"
             "and the other runs are untouched. `baro runs list` shows the ids.",
             options, positional, args, vm))
    return 0;
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadWrite));
  delete_run(*store, id);
  const auto latest = store->latest_run();
  std::cout << "deleted run " << id << "; "
            << (latest ? "reports now describe run " + std::to_string(latest->id) + " by default"
                       : std::string("no run is left"))
            << '\n';
  return 0;
}

}  // namespace baro::cli
