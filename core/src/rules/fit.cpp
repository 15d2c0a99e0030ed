// `baro rules fit`: liblinear's logistic regression over the rules that fired.
#include "baro/fit.hpp"

#include <linear.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>

#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "util/hash.hpp"

namespace baro {
namespace fs = std::filesystem;

namespace {

// What fitting needs of a description: the rules that fired (they do not depend on the
// weights, so the text is scanned once) and its gold domain.
struct Example {
  std::vector<std::size_t> fired, vetoed;
  std::optional<std::size_t> gold;
  bool teaches() const { return gold.has_value() && !fired.empty(); }
};

// Four decimals: enough for a score, few enough to review; -0 is written 0.
double round4(double value) {
  const double r = std::round(value * 1e4) / 1e4;
  return r == 0.0 ? 0.0 : r;
}

void quiet(const char*) {}

struct ModelDeleter {
  void operator()(model* m) const { free_and_destroy_model(&m); }
};

FittedWeights train_weights(const RuleSet& rules, const std::vector<const Example*>& examples, double cost,
                            bool per_rule) {
  const std::size_t n_rules = rules.rules().size();
  const std::size_t n_domains = rules.domains().size();
  FittedWeights out;
  out.rules_hash = rules.rules_hash();
  out.offsets.assign(n_domains, 0.0);
  out.weights.assign(n_rules, std::vector<double>(n_domains, 0.0));

  // One sparse row per description: its fired rules (features 1…n, value 1); then each
  // domain's hand-set score, the sum of the weights of its fired rules (features n+1…n+D),
  // which carries the maintainers' knowledge to rules too rare in the data to be learnt
  // alone; then the bias feature liblinear expects when prob.bias >= 0, and the end marker.
  // Both kinds of feature are linear in the firings, so the model folds back into one weight
  // per rule and domain: weight[r][d] = coef(r, d) + coef(hand score of r's domain, d) × w_r.
  const int bias_feature = static_cast<int>(n_rules + n_domains + 1);
  std::vector<std::vector<feature_node>> rows;
  std::vector<double> labels;
  std::vector<bool> present(n_domains, false);
  std::vector<double> hand(n_domains);
  for (const Example* e : examples) {
    if (!e->teaches()) continue;
    std::vector<feature_node> row;
    std::fill(hand.begin(), hand.end(), 0.0);
    for (std::size_t r : e->fired) {
      if (per_rule) row.push_back({static_cast<int>(r + 1), 1.0});
      hand[rules.rules()[r].domain] += rules.rules()[r].weight;
    }
    for (std::size_t d = 0; d < n_domains; ++d) {
      if (hand[d] != 0.0) row.push_back({static_cast<int>(n_rules + d + 1), hand[d]});
    }
    row.push_back({bias_feature, 1.0});
    row.push_back({-1, 0.0});
    rows.push_back(std::move(row));
    labels.push_back(static_cast<double>(*e->gold));
    present[*e->gold] = true;
  }
  if (rows.empty()) {
    throw data_error("nothing to fit on: no description has both a gold domain and a rule that fires", {},
                     "give labelled files whose descriptions the rule set classifies (baro eval FILE shows them)");
  }
  if (std::count(present.begin(), present.end(), true) < 2) {
    // One domain only: nothing to tell apart; every candidate keeps offset 0 and weight 0.
    return out;
  }
  std::vector<feature_node*> x;
  for (auto& row : rows) x.push_back(row.data());
  problem prob{};
  prob.l = static_cast<int>(rows.size());
  prob.n = bias_feature;
  prob.y = labels.data();
  prob.x = x.data();
  prob.bias = 1.0;
  parameter param{};
  param.solver_type = L2R_LR;  // primal trust-region Newton: deterministic, unlike the dual solvers
  param.eps = 1e-4;
  param.C = cost;
  param.p = 0.1;
  if (const char* problem_text = check_parameter(&prob, &param)) {
    throw internal_error(std::string("liblinear refuses the fit's parameters: ") + problem_text);
  }
  set_print_string_function(&quiet);
  const std::unique_ptr<model, ModelDeleter> fitted(train(&prob, &param));
  const int n_classes = get_nr_class(fitted.get());
  std::vector<int> class_labels(static_cast<std::size_t>(n_classes));
  get_labels(fitted.get(), class_labels.data());
  double lowest_offset = std::numeric_limits<double>::infinity();
  for (int k = 0; k < n_classes; ++k) {
    const auto d = static_cast<std::size_t>(class_labels[static_cast<std::size_t>(k)]);
    for (std::size_t r = 0; r < n_rules; ++r) {
      const Rule& rule = rules.rules()[r];
      const double through_hand = get_decfun_coef(fitted.get(), int(n_rules + rule.domain + 1), k) * rule.weight;
      out.weights[r][d] = round4(get_decfun_coef(fitted.get(), int(r + 1), k) + through_hand);
    }
    // liblinear regularises the bias like any weight; it is the domain's offset.
    out.offsets[d] = round4(get_decfun_bias(fitted.get(), k));
    lowest_offset = std::min(lowest_offset, out.offsets[d]);
  }
  // A domain no description was labelled with has nothing learnt: it gets the lowest offset,
  // so that it wins only where nothing else is a candidate.
  for (std::size_t d = 0; d < n_domains; ++d) {
    if (!present[d]) out.offsets[d] = lowest_offset;
  }
  return out;
}

bool right(const RuleSet& rules, const Example& e, const FittedWeights* weights) {
  return score_rules(rules, e.fired, e.vetoed, weights).primary == e.gold;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", round4(value));
  return buffer;
}

std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

}  // namespace

FitResult fit_weights(const RuleEngine& engine, const std::vector<FitInput>& files, const FitOptions& options) {
  if (options.folds < 2) throw usage_error("the cross-validation needs at least 2 folds");
  if (!(options.cost > 0.0) || !std::isfinite(options.cost)) throw usage_error("the cost C must be a number above 0");
  const RuleSet& rules = engine.rule_set();
  std::vector<Example> examples;
  for (const auto& file : files) {
    for (const auto& item : file.items) {
      const Classification c = engine.classify(fold(item.description));
      Example e{c.fired, c.vetoed, std::nullopt};
      if (item.gold) e.gold = rules.find_domain(*item.gold);
      examples.push_back(std::move(e));
    }
  }
  FitResult result;
  result.folds = options.folds;
  std::vector<const Example*> all;
  for (const auto& e : examples) {
    all.push_back(&e);
    if (e.teaches()) ++result.used;
  }
  result.weights = train_weights(rules, all, options.cost, options.per_rule);

  // Folds dealt in file order within each gold domain (`null` being one more), so that each
  // fold holds the same mix of domains and the result does not depend on any random state.
  std::vector<std::size_t> fold_of(examples.size());
  std::vector<std::size_t> dealt(rules.domains().size() + 1, 0);
  for (std::size_t i = 0; i < examples.size(); ++i) {
    fold_of[i] = dealt[examples[i].gold.value_or(rules.domains().size())]++ % options.folds;
  }
  FitFigures& cv = result.cross_validation;
  cv.total = examples.size();
  for (const auto& e : examples) cv.hand_set_correct += right(rules, e, nullptr) ? 1 : 0;
  for (std::size_t k = 0; k < options.folds; ++k) {
    std::vector<const Example*> training;
    for (std::size_t i = 0; i < examples.size(); ++i) {
      if (fold_of[i] != k) training.push_back(&examples[i]);
    }
    const FittedWeights weights = train_weights(rules, training, options.cost, options.per_rule);
    for (std::size_t i = 0; i < examples.size(); ++i) {
      if (fold_of[i] == k && right(rules, examples[i], &weights)) ++cv.fitted_correct;
    }
  }
  return result;
}

std::string weights_json(const RuleSet& rules, const std::vector<FitInput>& files, const FitOptions& options,
                         const FitResult& fit) {
  const auto& domains = rules.domains();
  const fs::path base = fs::weakly_canonical(rules.directory());
  std::ostringstream out;
  out << "{\n"
      << "  \"format\": \"baro-weights/1\",\n"
      << "  \"comment\": \"Written by `baro rules fit`; do not edit: refit (docs/rules.md, Fitted weights). "
         "A candidate domain's decision value is its offset plus, for each rule that fired, the rule's weight "
         "for that domain; the highest wins.\",\n"
      << "  \"ruleset\": {\"id\": " << quoted(rules.id()) << ", \"version\": " << quoted(rules.version())
      << ", \"rules_hash\": " << quoted(rules.rules_hash()) << "},\n"
      << "  \"model\": {\"kind\": \"one-vs-rest L2-regularised logistic regression over the rules that fired\", "
      << "\"library\": \"liblinear " << LIBLINEAR_VERSION / 100 << '.' << LIBLINEAR_VERSION % 100
      << " (L2R_LR)\", \"cost\": " << number(options.cost) << "},\n"
      << "  \"fitted_on\": [\n";
  for (std::size_t f = 0; f < files.size(); ++f) {
    ContentHasher hasher;
    hasher.update(read_bytes(files[f].path));
    const std::string path = fs::weakly_canonical(files[f].path).lexically_relative(base).generic_string();
    out << "    {\"file\": " << quoted(path) << ", \"xxh3_128\": " << quoted(hasher.hex_digest())
        << ", \"descriptions\": " << files[f].items.size() << '}' << (f + 1 < files.size() ? "," : "") << '\n';
  }
  const FitFigures& cv = fit.cross_validation;
  const auto figure = [&](std::uint64_t correct) {
    const ProportionInterval ci = wilson_interval(correct, cv.total);
    return "{\"correct\": " + std::to_string(correct) + ", \"accuracy\": " +
           number(cv.total == 0 ? 0.0 : double(correct) / double(cv.total)) + ", \"interval_95\": [" + number(ci.low) +
           ", " + number(ci.high) + "]}";
  };
  out << "  ],\n"
      << "  \"used\": " << fit.used << ",\n"
      << "  \"cross_validation\": {\"folds\": " << fit.folds << ", \"descriptions\": " << cv.total
      << ",\n    \"hand_set\": " << figure(cv.hand_set_correct) << ",\n    \"fitted\": " << figure(cv.fitted_correct)
      << "},\n"
      << "  \"offsets\": {";
  for (std::size_t d = 0; d < domains.size(); ++d) {
    out << (d == 0 ? "" : ", ") << quoted(domains[d].id) << ": " << number(fit.weights.offsets[d]);
  }
  out << "},\n  \"weights\": {";
  bool first = true;
  for (std::size_t r = 0; r < rules.rules().size(); ++r) {
    const auto& w = fit.weights.weights[r];
    if (std::all_of(w.begin(), w.end(), [](double v) { return v == 0.0; })) continue;  // never fired: 0
    out << (first ? "\n" : ",\n") << "    " << quoted(rules.rules()[r].id) << ": {";
    bool first_domain = true;
    for (std::size_t d = 0; d < domains.size(); ++d) {
      if (w[d] == 0.0) continue;
      out << (first_domain ? "" : ", ") << quoted(domains[d].id) << ": " << number(w[d]);
      first_domain = false;
    }
    out << '}';
    first = false;
  }
  out << (first ? "" : "\n  ") << "}\n}\n";
  return out.str();
}

}  // namespace baro
