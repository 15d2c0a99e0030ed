// `baro rules SUBCOMMAND`: the maintainer's tools for a rule set. Each subcommand lives in
// its own cmd_rules_*.cpp; this file only lists them.
#include "cli.hpp"

namespace baro::cli {

int run_rules(const Args& args) {
  static const std::vector<Command> subcommands = {
      {"check", "validate a rule set and report every problem", run_rules_check},
      {"test", "run every rule's examples and the set's expectations", run_rules_test},
      {"stats", "what each rule does on the stored corpus, worst first", run_rules_stats},
      {"suggest", "frequent words and phrases the rules leave unclassified", run_rules_suggest},
      {"fit", "fit the rules' weights on labelled files (weights.json)", run_rules_fit},
  };
  return dispatch_subcommand("rules",
                             "Tools for the maintainers of a rule set: check and test it (docs/rules.md), then\n"
                             "measure it on the stored corpus (docs/maintainers.md), fit its weights on labelled files.",
                             subcommands, args);
}

}  // namespace baro::cli
