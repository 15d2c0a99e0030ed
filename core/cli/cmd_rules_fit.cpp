// `baro rules fit FILE…`: fits a correction of the rule set's hand-set weights on labelled
// files and writes it to weights.json beside it, after measuring hand-set and fitted weights
// by repeated cross-validation, file by file.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "baro/error.hpp"
#include "baro/evaluation.hpp"
#include "baro/fit.hpp"
#include "baro/rules.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

std::string accuracy(double correct, std::uint64_t total) {
  // The interval of the (rounded) mean count: the repeats re-use the same descriptions.
  const ProportionInterval ci = wilson_interval(static_cast<std::uint64_t>(std::llround(correct)), total);
  char text[128];
  const bool whole = correct == std::floor(correct);
  std::snprintf(text, sizeof text, whole ? "  (%.0f of %llu; 95 %% interval %.1f–%.1f %%)" : "  (%.1f of %llu; 95 %% interval %.1f–%.1f %%)",
                correct, static_cast<unsigned long long>(total), 100 * ci.low, 100 * ci.high);
  return percent(total == 0 ? 0.0 : correct / double(total)) + text;
}

std::string gain(const FitFileFigures& f, std::size_t folds) {
  const MeanInterval g = mean_interval(f.gains, folds);
  char text[256];
  std::snprintf(text, sizeof text,
                "%+.1f points (sd %.1f over %zu folds; 95 %% interval %+.1f to %+.1f); per repeat %.1f fixed, %.1f broken",
                g.mean, g.sd, f.gains.size(), g.mean - g.half_width, g.mean + g.half_width, f.fixed, f.broken);
  return text;
}

void print_figures(const std::string& title, const FitFileFigures& f, std::size_t folds) {
  std::cout << "  " << title << '\n'
            << "    hand-set weights  " << accuracy(double(f.hand_set_correct), f.total) << '\n'
            << "    fitted weights    " << accuracy(f.fitted_correct, f.total) << '\n'
            << "    gain per fold     " << gain(f, folds) << '\n';
}

FitOptions::Residuals residuals_option(const std::string& text) {
  if (text == "own") return FitOptions::Residuals::kOwnDomain;
  if (text == "all") return FitOptions::Residuals::kAllDomains;
  if (text == "none") return FitOptions::Residuals::kNone;
  throw usage_error("baro rules fit: --residuals must be own, all or none, not \"" + text + "\"");
}

}  // namespace

int run_rules_fit(const Args& args) {
  std::string dir, out, residuals = "all";
  std::vector<std::string> files, weights;
  FitOptions fit_options;
  po::options_description options("options");
  options.add_options()("rules", po::value(&dir)->value_name("DIR"), "the rule set folder (default: the bundled rules)")(
      "file", po::value(&files)->composing(), "a labelled set (CSV or JSON Lines, as for baro eval)")(
      "weight", po::value(&weights)->composing()->value_name("FILE=K"),
      "each description of FILE (one of the files given) counts K times in the fit (default 1; e.g. 3 for real "
      "descriptions among synthetic ones); repeat for several files")(
      "cost", po::value(&fit_options.cost)->default_value(fit_options.cost)->value_name("C"),
      "the inverse of the residuals' L2 penalty: larger trusts the data more, smaller stays nearer the hand-set weights")(
      "residuals", po::value(&residuals)->default_value(residuals)->value_name("own|all|none"),
      "a residual per rule and competing domain (all), per rule for its own domain (own), or none (scale and offsets only)")(
      "cv", po::value(&fit_options.folds)->default_value(fit_options.folds)->value_name("K"),
      "folds of the cross-validation (at least 2)")(
      "repeats", po::value(&fit_options.repeats)->default_value(fit_options.repeats)->value_name("R"),
      "times the cross-validation is dealt again, with seeds SEED, SEED+1, …")(
      "seed", po::value(&fit_options.seed)->default_value(fit_options.seed)->value_name("SEED"),
      "the first seed of the folds")(
      "out", po::value(&out)->value_name("FILE"), "where to write (default: DIR/weights.json)")(
      "dry-run", "measure only: write nothing");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (!parse("rules fit",
             "[--rules DIR] [--weight FILE=K]… [--cost C] [--residuals own|all|none] [--cv K] [--repeats R] "
             "[--out FILE] [--dry-run] FILE…",
             "Fits, on the labelled FILEs, how much each domain's hand-set score counts (a scale),\n"
             "an offset per domain and an L2-penalised residual per rule (a conditional logit over\n"
             "the candidate domains: the candidates, and so unclassified texts, do not change);\n"
             "reports, file by file, R×K-fold cross-validated accuracy of the hand-set and of the\n"
             "fitted weights with 95 % intervals and the gain per fold; and writes weights.json\n"
             "beside the rule set, which the engine then uses. Never fit on a held-out test file.\n"
             "The same rule set, files and options always give the same bytes (docs/rules.md,\n"
             "\"Fitted weights\").",
             options, positional, args, vm))
    return 0;
  if (files.empty()) throw usage_error("baro rules fit: no labelled file given", "usage: baro rules fit FILE…");
  fit_options.residuals = residuals_option(residuals);
  std::map<std::string, double> weight_of;
  for (const auto& w : weights) {
    const auto eq = w.rfind('=');
    double k = 0.0;
    std::size_t used = 0;
    try {
      if (eq != std::string::npos) k = std::stod(w.substr(eq + 1), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (eq == std::string::npos || used == 0 || used != w.size() - eq - 1 || !(k > 0.0) || !std::isfinite(k)) {
      throw usage_error("baro rules fit: --weight \"" + w + "\" is not FILE=K with K a number above 0",
                        "e.g. --weight rules/fr/eval/real-tune.jsonl=3");
    }
    const std::string file = w.substr(0, eq);
    if (std::find(files.begin(), files.end(), file) == files.end()) {
      throw usage_error("baro rules fit: --weight names " + file + ", which is not one of the files to fit on",
                        "write FILE exactly as it is given among the files");
    }
    weight_of[file] = k;
  }

  RuleSetOptions rule_options;
  rule_options.fitted_weights = false;  // firing does not depend on weights; the file is about to be replaced
  const auto path = rules_dir_argument(dir);
  const auto rules = RuleSet::load(path, rule_options);
  const RuleEngine engine(*rules);
  std::vector<FitInput> inputs;
  for (const auto& f : files) {
    const auto it = weight_of.find(f);
    inputs.push_back({f, load_labelled_set(f, *rules), it == weight_of.end() ? 1.0 : it->second});
  }
  const FitResult fit = fit_weights(engine, inputs, fit_options);

  std::cout << "rule set     " << rules->id() << ' ' << rules->version() << " (" << path.string() << ")\n"
            << "fitted on    ";
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::cout << (i == 0 ? "" : ", ") << inputs[i].path.string() << " (" << inputs[i].items.size();
    if (inputs[i].weight != 1.0) std::cout << ", weight " << format_weight(inputs[i].weight);
    std::cout << ')';
    total += inputs[i].items.size();
  }
  std::size_t n_residuals = 0;
  for (const auto& by_domain : fit.weights.residuals) {
    for (double v : by_domain) n_residuals += v != 0.0 ? 1 : 0;
  }
  std::cout << "\n             " << fit.used << " of " << total
            << " descriptions used (the others have no gold domain, or none of its rules fires)\n"
            << "model        scale × hand-set score + offset per domain + "
            << (fit_options.residuals == FitOptions::Residuals::kNone
                    ? std::string("no residual")
                    : std::string(fit_options.residuals == FitOptions::Residuals::kOwnDomain ? "own-domain" : "all-domain") +
                          " residuals (L2, C " + format_weight(fit_options.cost) + ")")
            << "\n             scale " << format_weight(fit.weights.scale) << ", " << n_residuals
            << " residuals not 0 (" << fit.iterations << " Newton steps)\n\n"
            << fit_options.folds << "-fold cross-validation, " << fit_options.repeats << (fit_options.repeats == 1 ? " repeat" : " repeats")
            << " (seed " << fit_options.seed;
  if (fit_options.repeats > 1) std::cout << "–" << fit_options.seed + fit_options.repeats - 1;
  std::cout << "), primary accuracy; fitted: mean over the repeats\n";
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    print_figures(inputs[i].path.string() + " (" + std::to_string(inputs[i].items.size()) + ")", fit.files[i],
                  fit_options.folds);
  }
  if (inputs.size() > 1) print_figures("all (" + std::to_string(total) + ")", fit.all, fit_options.folds);
  std::cout << "  (the gain's interval counts the " << fit_options.folds
            << " folds of a repeat as independent; the repeats re-use the same descriptions)\n";
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
