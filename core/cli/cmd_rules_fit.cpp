// `baro rules fit FILE…`: fits the rule set's weights on labelled files and writes them to
// weights.json beside it, after measuring hand-set and fitted weights by cross-validation.
#include <fstream>
#include <iostream>

#include "baro/error.hpp"
#include "baro/evaluation.hpp"
#include "baro/fit.hpp"
#include "baro/rules.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

std::string figure(std::uint64_t correct, std::uint64_t total) {
  const ProportionInterval ci = wilson_interval(correct, total);
  char interval[64];
  std::snprintf(interval, sizeof interval, "%.1f–%.1f %%", 100 * ci.low, 100 * ci.high);
  return percent(total == 0 ? 0.0 : double(correct) / double(total)) + "  (" + std::to_string(correct) + " of " +
         std::to_string(total) + "; 95 % interval " + interval + ")";
}

}  // namespace

int run_rules_fit(const Args& args) {
  std::string dir, out;
  std::vector<std::string> files;
  FitOptions fit_options;
  po::options_description options("options");
  options.add_options()("rules", po::value(&dir)->value_name("DIR"), "the rule set folder (default: the bundled rules)")(
      "file", po::value(&files)->composing(), "a labelled set (CSV or JSON Lines, as for baro eval)")(
      "cv", po::value(&fit_options.folds)->default_value(fit_options.folds)->value_name("K"),
      "folds of the cross-validation (at least 2)")(
      "cost", po::value(&fit_options.cost)->default_value(fit_options.cost)->value_name("C"),
      "liblinear's C: above 1 trusts the data more, below 1 keeps weights smaller")(
      "out", po::value(&out)->value_name("FILE"), "where to write (default: DIR/weights.json)")(
      "domain-scores-only", "fit only how much each domain's hand-set score counts, not each rule")(
      "dry-run", "measure only: write nothing");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (!parse("rules fit", "[--rules DIR] [--cv K] [--cost C] [--out FILE] [--dry-run] FILE…",
             "Fits the weight of every rule for every domain, and an offset per domain, on the\n"
             "labelled FILEs (one-vs-rest logistic regression over the rules that fire, with\n"
             "liblinear), reports K-fold cross-validated accuracy of the hand-set and of the\n"
             "fitted weights with 95 % intervals, and writes weights.json beside the rule set,\n"
             "which the engine then uses. Never fit on a held-out test file. The same rule set\n"
             "and files always give the same bytes (docs/rules.md, \"Fitted weights\").",
             options, positional, args, vm))
    return 0;
  if (files.empty()) throw usage_error("baro rules fit: no labelled file given", "usage: baro rules fit FILE…");
  fit_options.per_rule = vm.count("domain-scores-only") == 0;

  RuleSetOptions rule_options;
  rule_options.fitted_weights = false;  // firing does not depend on weights; the file is about to be replaced
  const auto path = rules_dir_argument(dir);
  const auto rules = RuleSet::load(path, rule_options);
  const RuleEngine engine(*rules);
  std::vector<FitInput> inputs;
  for (const auto& f : files) inputs.push_back({f, load_labelled_set(f, *rules)});
  const FitResult fit = fit_weights(engine, inputs, fit_options);

  std::cout << "rule set     " << rules->id() << ' ' << rules->version() << " (" << path.string() << ")\n"
            << "fitted on    ";
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::cout << (i == 0 ? "" : ", ") << inputs[i].path.string() << " (" << inputs[i].items.size() << ')';
    total += inputs[i].items.size();
  }
  std::cout << "\n             " << fit.used << " of " << total
            << " descriptions used (the others have no gold domain or no rule fires)\n\n"
            << fit.folds << "-fold cross-validation on the " << total << " descriptions (primary accuracy)\n"
            << "  hand-set weights  " << figure(fit.cross_validation.hand_set_correct, total) << '\n'
            << "  fitted weights    " << figure(fit.cross_validation.fitted_correct, total) << '\n';
  if (vm.count("dry-run")) return 0;
  const std::string target = out.empty() ? (path / "weights.json").string() : out;
  const std::string text = weights_json(*rules, inputs, fit_options, fit);
  std::ofstream file(target, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) throw Error(ExitCode::kCannotCreate, "cannot write the weights", {target}, "check the folder's permissions");
  std::cout << "\nwrote " << target << " (`baro rules check` warns when the rules change after it)\n";
  return 0;
}

}  // namespace baro::cli
