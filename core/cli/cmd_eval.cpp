// `baro eval FILE`: how well a rule set classifies descriptions a person has labelled. The
// text output is for a maintainer tuning rules (the worst errors come with the rules that
// fired); --json is for CI and scripts.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "baro/evaluation.hpp"
#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

using nlohmann::json;

std::string fixed(double value, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string pad(std::string s, std::size_t width, bool right = false) {
  // Domain ids and numbers are ASCII, so bytes are columns.
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

std::string domain_name(const RuleSet& set, const std::optional<std::size_t>& d, const char* none) {
  return d ? set.domains()[*d].id : std::string(none);
}

// Worst first: predictions outside gold ∪ also, then those that at least got a label right;
// inside each, the larger the winning margin over the gold domain the worse; then file order.
std::vector<const EvalOutcome*> errors_worst_first(const Evaluation& eval) {
  std::vector<const EvalOutcome*> errors;
  for (const auto& o : eval.outcomes) {
    if (!o.correct) errors.push_back(&o);
  }
  const auto margin = [](const EvalOutcome& o) {
    double predicted = 0.0, gold = 0.0;
    for (const auto& d : o.classification.domains) {
      if (o.classification.primary == d.domain) predicted = d.score;
      if (o.gold == d.domain) gold = d.score;
    }
    return predicted - gold;
  };
  std::stable_sort(errors.begin(), errors.end(), [&](const EvalOutcome* a, const EvalOutcome* b) {
    if (a->severity != b->severity) return a->severity > b->severity;
    return margin(*a) > margin(*b);
  });
  return errors;
}

// "87.4 %  (118 of 135; 95 % interval 80.8–92.0 %)": a figure with the count behind it and
// its Wilson interval, so that a change of two points on a hundred descriptions is not read
// as progress.
std::string share_with_interval(std::uint64_t successes, std::uint64_t total) {
  const double share = total == 0 ? 0.0 : double(successes) / double(total);
  const ProportionInterval ci = wilson_interval(successes, total);
  return percent(share) + "  (" + std::to_string(successes) + " of " + std::to_string(total) + "; 95 % interval " +
         fixed(100 * ci.low, 1) + "–" + fixed(100 * ci.high, 1) + " %)";
}

json interval_json(std::uint64_t successes, std::uint64_t total) {
  const ProportionInterval ci = wilson_interval(successes, total);
  return {{"low", ci.low}, {"high", ci.high}, {"confidence", 0.95}, {"method", "wilson"}};
}

// How a prediction won: the runner-up, the margin, and whether a tie was decided by precedence.
void add_decision(json& out, const RuleSet& set, const Classification& c) {
  out["runner_up"] = c.runner_up ? json(set.domains()[*c.runner_up].id) : json(nullptr);
  out["margin"] = c.primary ? json(c.margin) : json(nullptr);
  out["by_precedence"] = c.by_precedence;
}

// How the set breaks exact ties, as eval and explain print it.
std::string tie_rule(const RuleSet& set) {
  return set.scoring().ties == ScoringSettings::Ties::kFirstMention ? "first mention" : "precedence";
}

std::string decision_text(const RuleSet& set, const Classification& c) {
  if (!c.primary) return {};
  if (!c.runner_up) return "alone, score " + format_weight(c.margin);
  if (c.by_precedence) return "tie with " + set.domains()[*c.runner_up].id + ", decided by " + tie_rule(set);
  return "margin " + format_weight(c.margin) + " over " + set.domains()[*c.runner_up].id;
}

json fired_json(const RuleSet& set, const Classification& c) {
  json fired = json::array();
  for (std::size_t r : c.fired) {
    const Rule& rule = set.rules()[r];
    fired.push_back({{"id", rule.id}, {"domain", set.domains()[rule.domain].id}, {"weight", rule.weight}});
  }
  return fired;
}

json to_json(const RuleSet& set, const std::string& file, const std::vector<LabelledText>& items,
             const Evaluation& eval) {
  json out;
  out["file"] = file;
  out["ruleset"] = {{"id", set.id()}, {"version", set.version()}, {"content_hash", set.content_hash()}};
  out["total"] = eval.total;
  out["correct"] = eval.correct;
  out["accuracy"] = eval.accuracy();
  out["accuracy_interval"] = interval_json(eval.correct, eval.total);
  out["primary_in_gold_or_also"] = eval.primary_in_gold_or_also;
  out["primary_in_gold_or_also_share"] = eval.primary_in_gold_or_also_share();
  out["primary_in_gold_or_also_interval"] = interval_json(eval.primary_in_gold_or_also, eval.labelled);
  out["decided_by_precedence"] = eval.decided_by_precedence;
  out["weights"] = set.fitted() != nullptr ? "fitted" : "hand-set";
  out["labelled"] = eval.labelled;
  out["unclassified"] = eval.unclassified;
  out["unclassified_share"] = eval.unclassified_share();
  out["null_gold"] = eval.null_gold;
  out["null_given_domain"] = eval.null_given_domain;
  out["macro_f1"] = eval.macro_f1();
  out["domains"] = json::array();
  for (const auto& d : eval.domains) {
    out["domains"].push_back({{"id", set.domains()[d.domain].id},
                              {"gold", d.gold},
                              {"predicted", d.predicted},
                              {"correct", d.correct},
                              {"precision", d.precision},
                              {"recall", d.recall},
                              {"f1", d.f1}});
  }
  json labels = json::array();
  for (const auto& d : set.domains()) labels.push_back(d.id);
  labels.push_back(nullptr);
  out["confusion"] = {{"labels", labels}, {"matrix", eval.confusion}};
  // Every prediction, in file order, with how it won (ties decided by precedence flagged).
  out["predictions"] = json::array();
  for (const auto& o : eval.outcomes) {
    const auto& c = o.classification;
    json p{{"id", items[o.item].id},
           {"gold", items[o.item].gold ? json(*items[o.item].gold) : json(nullptr)},
           {"predicted", c.primary ? json(set.domains()[*c.primary].id) : json(nullptr)},
           {"correct", o.correct}};
    add_decision(p, set, c);
    out["predictions"].push_back(std::move(p));
  }
  out["errors"] = json::array();
  for (const EvalOutcome* o : errors_worst_first(eval)) {
    const LabelledText& item = items[o->item];
    json labels_given = json::array();
    for (const auto& d : o->classification.domains) labels_given.push_back(set.domains()[d.domain].id);
    out["errors"].push_back({{"id", item.id},
                             {"line", item.where.line},
                             {"description", item.description},
                             {"gold", item.gold ? json(*item.gold) : json(nullptr)},
                             {"also", item.also},
                             {"predicted", o->classification.primary
                                               ? json(set.domains()[*o->classification.primary].id)
                                               : json(nullptr)},
                             {"labels", labels_given},
                             {"severity", o->severity},
                             {"fired", fired_json(set, o->classification)}});
    add_decision(out["errors"].back(), set, o->classification);
  }
  return out;
}

void print_text(const RuleSet& set, const std::string& file, const std::vector<LabelledText>& items,
                const Evaluation& eval, std::size_t worst) {
  std::cout << "rule set     " << set.id() << ' ' << set.version() << " (" << set.directory().string() << ")\n"
            << "labelled set " << file << ", " << eval.total << " descriptions\n\n";
  std::cout << "primary accuracy   " << share_with_interval(eval.correct, eval.total) << '\n'
            << "in gold or also    " << share_with_interval(eval.primary_in_gold_or_also, eval.labelled)
            << "  (of those with a gold domain)\n"
            << "unclassified       " << percent(eval.unclassified_share()) << "  (" << eval.unclassified << " of "
            << eval.labelled << " with a gold domain)\n"
            << "null given domain  " << eval.null_given_domain << " of " << eval.null_gold << '\n'
            << "ties               " << eval.decided_by_precedence
            << " decided by " << tie_rule(set) << " (`--json` lists every prediction's margin)\n"
            << "macro F1           " << fixed(eval.macro_f1(), 3) << '\n'
            << "weights            " << (set.fitted() != nullptr ? "fitted (" + set.fitted()->file.filename().string() + ")" : std::string("hand-set"))
            << "\n\n";

  std::cout << pad("domain", 16) << pad("gold", 6, true) << pad("predicted", 11, true) << pad("correct", 9, true)
            << pad("precision", 11, true) << pad("recall", 8, true) << pad("F1", 7, true) << '\n';
  for (const auto& d : eval.domains) {
    std::cout << pad(set.domains()[d.domain].id, 16) << pad(std::to_string(d.gold), 6, true)
              << pad(std::to_string(d.predicted), 11, true) << pad(std::to_string(d.correct), 9, true)
              << pad(fixed(d.precision, 3), 11, true) << pad(fixed(d.recall, 3), 8, true)
              << pad(fixed(d.f1, 3), 7, true) << '\n';
  }

  // Columns are the first four letters of each id: the matrix must fit a terminal.
  const std::size_t n = set.domains().size();
  std::cout << "\nconfusion (rows: gold, columns: predicted primary)\n" << pad("", 16);
  for (std::size_t p = 0; p <= n; ++p) {
    std::cout << pad(p < n ? set.domains()[p].id.substr(0, 4) : std::string("none"), 5, true);
  }
  std::cout << '\n';
  for (std::size_t g = 0; g <= n; ++g) {
    std::uint64_t row = 0;
    for (auto v : eval.confusion[g]) row += v;
    if (row == 0) continue;
    std::cout << pad(g < n ? set.domains()[g].id : std::string("null"), 16);
    for (std::size_t p = 0; p <= n; ++p) {
      const auto v = eval.confusion[g][p];
      std::cout << pad(v == 0 ? std::string(".") : std::to_string(v), 5, true);
    }
    std::cout << '\n';
  }

  const auto errors = errors_worst_first(eval);
  if (errors.empty() || worst == 0) return;
  std::cout << "\nworst errors (" << std::min(worst, errors.size()) << " of " << errors.size() << ")\n";
  for (std::size_t i = 0; i < errors.size() && i < worst; ++i) {
    const EvalOutcome& o = *errors[i];
    const LabelledText& item = items[o.item];
    std::cout << "  " << item.id << "  " << item.where.to_string() << "\n    \"" << item.description << "\"\n"
              << "    gold " << (item.gold ? *item.gold : std::string("null"));
    if (!item.also.empty()) {
      std::cout << " (also";
      for (const auto& a : item.also) std::cout << ' ' << a;
      std::cout << ')';
    }
    std::cout << ", predicted " << domain_name(set, o.classification.primary, "unclassified");
    if (o.classification.primary) std::cout << " (" << decision_text(set, o.classification) << ')';
    std::cout << '\n';
    for (std::size_t r : o.classification.fired) {
      const Rule& rule = set.rules()[r];
      std::cout << "    fired  " << rule.id << " (" << set.domains()[rule.domain].id << ", "
                << format_weight(rule.weight) << ")\n";
    }
    for (std::size_t r : o.classification.vetoed) std::cout << "    vetoed " << set.rules()[r].id << '\n';
  }
  if (errors.size() > worst) std::cout << "  … " << errors.size() - worst << " more (--worst N, or --json)\n";
}

// Every description of one confusion cell, with the rules that fired for each domain and how
// the prediction won.
void print_cell(const RuleSet& set, const std::vector<LabelledText>& items, const Evaluation& eval, const ConfusionCell& cell) {
  const std::string gold = domain_name(set, cell.gold, "null");
  const std::string predicted = domain_name(set, cell.predicted, "none");
  std::vector<const EvalOutcome*> members;
  for (const auto& o : eval.outcomes) {
    if (o.gold == cell.gold && o.classification.primary == cell.predicted) members.push_back(&o);
  }
  std::cout << "gold " << gold << ", predicted " << predicted << ": " << members.size()
            << (members.size() == 1 ? " description\n" : " descriptions\n");
  for (const EvalOutcome* o : members) {
    const LabelledText& item = items[o->item];
    const Classification& c = o->classification;
    std::cout << "\n  " << item.id << "  " << item.where.to_string() << "\n    \"" << item.description << "\"\n";
    if (c.primary) std::cout << "    " << decision_text(set, c) << '\n';
    for (const auto& d : c.domains) {
      std::cout << "    " << pad(set.domains()[d.domain].id, 16) << pad(format_weight(d.score), 8, true) << " ";
      for (std::size_t k = 0; k < d.rules.size(); ++k) {
        const Rule& rule = set.rules()[d.rules[k]];
        std::cout << (k == 0 ? " " : ", ") << rule.id << " (" << format_weight(rule.weight) << ')';
      }
      std::cout << '\n';
    }
    for (std::size_t r : c.vetoed) std::cout << "    vetoed " << set.rules()[r].id << '\n';
  }
}

// What a change of rules did to the same labelled set: descriptions it fixed (wrong with the
// baseline, right now), broke (the reverse) and moved (wrong both times, to another domain).
void print_comparison(const RuleSet& set, const RuleSet& baseline_set, const std::vector<LabelledText>& items,
                      const Evaluation& now, const Evaluation& baseline) {
  struct Change {
    const char* kind;
    std::size_t item;
  };
  std::vector<Change> changes;
  std::size_t fixed = 0, broken = 0, moved = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const EvalOutcome& a = baseline.outcomes[i];
    const EvalOutcome& b = now.outcomes[i];
    if (a.classification.primary == b.classification.primary) continue;
    const char* kind = b.correct ? "fixed" : a.correct ? "broken" : "moved";
    ++(b.correct ? fixed : a.correct ? broken : moved);
    changes.push_back({kind, i});
  }
  std::stable_sort(changes.begin(), changes.end(), [](const Change& x, const Change& y) {
    const auto rank = [](const char* k) { return k[0] == 'f' ? 0 : k[0] == 'b' ? 1 : 2; };
    return rank(x.kind) < rank(y.kind);
  });
  std::cout << "baseline     " << baseline_set.id() << ' ' << baseline_set.version() << " ("
            << baseline_set.directory().string() << "): " << share_with_interval(baseline.correct, baseline.total) << '\n'
            << "rule set     " << set.id() << ' ' << set.version() << " (" << set.directory().string()
            << "): " << share_with_interval(now.correct, now.total) << '\n'
            << "fixed " << fixed << ", broken " << broken << ", moved " << moved << '\n';
  for (const Change& c : changes) {
    const LabelledText& item = items[c.item];
    std::cout << "  " << pad(c.kind, 7) << item.id << "  "
              << domain_name(baseline_set, baseline.outcomes[c.item].classification.primary, "none") << " -> "
              << domain_name(set, now.outcomes[c.item].classification.primary, "none") << "  (gold "
              << (item.gold ? *item.gold : std::string("null")) << ")  \"" << item.description << "\"\n";
  }
}

}  // namespace

int run_eval(const Args& args) {
  CommonPaths paths;
  std::string file;
  std::size_t worst = 10;
  po::options_description options("options");
  add_rules_option(options, paths);
  options.add_options()("file", po::value(&file)->value_name("FILE"), "the labelled set (CSV or JSON Lines)")(
      "worst", po::value(&worst)->default_value(10), "how many of the worst errors to show")(
      "json", "machine-readable output (every error included)")(
      "baseline", po::value<std::string>()->value_name("DIR"),
      "compare with the rule set in DIR: what the change fixed, broke and moved")(
      "cell", po::value<std::string>()->value_name("GOLD:PREDICTED"),
      "list only the descriptions of one confusion cell (null: no gold domain; none: unclassified)");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse("eval", "[--rules DIR] [--json] [--worst N] [--cell GOLD:PREDICTED] [--baseline DIR] FILE",
             "Classifies every description of FILE (CSV or JSON Lines with `description`,\n"
             "`gold` — a domain id, or empty/null when none fits — and optional `also` and\n"
             "`id`) and prints the primary-domain accuracy, the share of labelled\n"
             "descriptions left unclassified, per-domain precision, recall and F1, a confusion\n"
             "matrix, and the worst errors with the rules that fired. With --cell, only the\n"
             "descriptions of that confusion cell, each with the rules that fired per domain\n"
             "and the margin. With --baseline DIR, what changed from the rule set in DIR:\n"
             "the descriptions fixed, broken and moved, with counts.",
             options, positional, args, vm))
    return 0;
  if (file.empty()) throw usage_error("baro eval: no labelled set given", "usage: baro eval FILE");

  const auto rules = load_rules(paths);
  const RuleEngine engine(*rules);
  const auto items = load_labelled_set(file, *rules);
  std::optional<ConfusionCell> cell;
  if (vm.count("cell")) cell = parse_cell("baro eval", *rules, vm["cell"].as<std::string>());
  const Evaluation eval = evaluate(engine, items);
  if (cell) {
    print_cell(*rules, items, eval, *cell);
    return 0;
  }
  if (vm.count("baseline")) {
    CommonPaths baseline_paths;
    baseline_paths.rules = vm["baseline"].as<std::string>();
    const auto baseline_rules = load_rules(baseline_paths);
    if (baseline_rules->domains().size() != rules->domains().size()) {
      throw usage_error("baro eval --baseline: the two rule sets do not have the same domains");
    }
    for (std::size_t d = 0; d < rules->domains().size(); ++d) {
      if (baseline_rules->domains()[d].id != rules->domains()[d].id) {
        throw usage_error("baro eval --baseline: the two rule sets do not have the same domains");
      }
    }
    const RuleEngine baseline_engine(*baseline_rules);
    print_comparison(*rules, *baseline_rules, items, eval, evaluate(baseline_engine, items));
    return 0;
  }
  if (vm.count("json")) {
    std::cout << to_json(*rules, file, items, eval).dump(2) << '\n';
  } else {
    print_text(*rules, file, items, eval, worst);
  }
  return 0;
}

}  // namespace baro::cli
