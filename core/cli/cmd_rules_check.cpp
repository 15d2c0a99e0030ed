// `baro rules check [DIR]`: every problem of a rule set at once, so that a maintainer fixes
// them in one pass instead of one load error at a time.
#include <iostream>

#include "baro/error.hpp"
#include "baro/rules.hpp"
#include "cli.hpp"

namespace baro::cli {

int run_rules_check(const Args& args) {
  std::string dir;
  std::int64_t regex_mem_mb = 256;
  po::options_description options("options");
  options.add_options()("dir", po::value(&dir)->value_name("DIR"), "the rule set folder (default: the bundled rules)")(
      "regex-mem-mb", po::value(&regex_mem_mb)->default_value(256), "RE2 memory budget for the rules, in MiB");
  po::positional_options_description positional;
  positional.add("dir", 1);
  po::variables_map vm;
  if (!parse("rules check", "[--regex-mem-mb N] [DIR]",
             "Validates the rule set in DIR and reports every problem with its file, line,\n"
             "column and rule id: JSON syntax, unknown keys, unknown or duplicate domains,\n"
             "duplicate rule ids, keywords that normalise to nothing, patterns RE2 refuses or\n"
             "that exceed its memory budget, rules without a `match` example and examples\n"
             "that contradict their own rule. Exits with 78 if there is any. Notes (which do\n"
             "not fail the check) name each `regex` or `unless_regex` that a `near` rule or an\n"
             "`unless_near` veto could say without a regex.",
             options, positional, args, vm))
    return 0;
  if (regex_mem_mb <= 0) throw usage_error("baro rules check: --regex-mem-mb must be above 0");

  const auto path = rules_dir_argument(dir);
  const RuleSetCheck check = RuleSet::check(path, rule_set_options(regex_mem_mb));
  for (const auto& note : check.notes) {
    std::cout << "note: " << note.what() << '\n';
    if (!note.hint().empty()) std::cout << "  hint: " << note.hint() << '\n';
  }
  for (const auto& problem : check.problems) {
    std::cout << problem.what() << '\n';
    if (!problem.hint().empty()) std::cout << "  hint: " << problem.hint() << '\n';
  }
  if (!check.problems.empty()) {
    std::cout << path.string() << ": " << check.problems.size() << (check.problems.size() == 1 ? " problem" : " problems")
              << '\n';
    return static_cast<int>(ExitCode::kConfig);
  }
  for (const auto& warning : check.warnings) {
    std::cout << "warning: " << warning.what() << '\n';
    if (!warning.hint().empty()) std::cout << "  hint: " << warning.hint() << '\n';
  }
  const RuleSet& set = *check.rules;
  std::size_t examples = 0;
  for (const auto& rule : set.rules()) examples += rule.match_examples.size() + rule.no_match_examples.size();
  std::cout << path.string() << ": " << set.id() << ' ' << set.version() << ", " << set.rules().size() << " rules in "
            << set.domains().size() << " domains, " << examples << " examples, " << set.expectations().size()
            << " expectations: no problem\n";
  return 0;
}

}  // namespace baro::cli
