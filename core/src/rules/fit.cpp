// `baro rules fit`: a conditional logit over the candidate domains, the hand-set score as a
// scaled offset, solved by Newton's method (baro/fit.hpp says what and why).
#include "baro/fit.hpp"

#include <Eigen/Dense>
#include <boost/math/distributions/students_t.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>

#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "util/hash.hpp"

namespace baro {
namespace fs = std::filesystem;

namespace {

// The ridge that keeps the problem strictly convex where the data say nothing (a domain never
// a candidate, descriptions the hand-set scores separate perfectly): the scale toward 1, the
// offsets toward 0. Small enough not to matter where there are data.
constexpr double kRidge = 1e-4;
constexpr std::size_t kMaxNewtonSteps = 100;

// What fitting needs of a description: the rules that fired (they do not depend on the
// weights, so the text is scanned once), its candidates with their hand-set scores, its gold
// domain's position among them, its file and weight.
struct Example {
  std::vector<std::size_t> fired, vetoed;
  std::vector<std::size_t> candidates;
  std::vector<double> hand;
  std::optional<std::size_t> gold;
  int gold_at = -1;  // index into candidates; -1: the gold domain is not a candidate (or none)
  std::size_t file = 0;
  double weight = 1.0;
  bool hand_right = false;
  bool teaches() const { return gold_at >= 0; }
};

// Four decimals: enough for a score, few enough to review; -0 is written 0.
double round4(double value) {
  const double r = std::round(value * 1e4) / 1e4;
  return r == 0.0 ? 0.0 : r;
}

// One candidate's sparse features: (parameter index, value).
using Features = std::vector<std::pair<std::size_t, double>>;

struct Problem {
  std::size_t n_params = 0, first_residual = 0;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> residual_index;  // (rule, domain) → parameter
  std::vector<const Example*> examples;
  std::vector<std::vector<Features>> features;  // per example, per candidate
  double penalty = 0.0;                         // 1 / C
};

Problem build_problem(const RuleSet& rules, const std::vector<const Example*>& examples, const FitOptions& options) {
  Problem p;
  const std::size_t n_domains = rules.domains().size();
  p.first_residual = 1 + n_domains;
  p.penalty = 1.0 / options.cost;
  for (const Example* e : examples) {
    if (!e->teaches()) continue;
    p.examples.push_back(e);
    if (options.residuals == FitOptions::Residuals::kNone) continue;
    for (std::size_t r : e->fired) {
      if (options.residuals == FitOptions::Residuals::kOwnDomain) {
        p.residual_index.emplace(std::make_pair(r, rules.rules()[r].domain), 0);
      } else {
        for (std::size_t d : e->candidates) p.residual_index.emplace(std::make_pair(r, d), 0);
      }
    }
  }
  std::size_t next = p.first_residual;
  for (auto& [key, index] : p.residual_index) index = next++;  // in (rule, domain) order
  p.n_params = next;
  for (const Example* e : p.examples) {
    std::vector<Features> per_candidate;
    for (std::size_t c = 0; c < e->candidates.size(); ++c) {
      const std::size_t d = e->candidates[c];
      Features f{{0, e->hand[c]}, {1 + d, 1.0}};
      for (std::size_t r : e->fired) {
        if (const auto it = p.residual_index.find({r, d}); it != p.residual_index.end()) f.emplace_back(it->second, 1.0);
      }
      per_candidate.push_back(std::move(f));
    }
    p.features.push_back(std::move(per_candidate));
  }
  return p;
}

double penalty_of(const Problem& p, const Eigen::VectorXd& theta) {
  double value = 0.5 * kRidge * ((theta[0] - 1.0) * (theta[0] - 1.0));
  for (std::size_t i = 1; i < p.first_residual; ++i) value += 0.5 * kRidge * theta[Eigen::Index(i)] * theta[Eigen::Index(i)];
  for (std::size_t i = p.first_residual; i < p.n_params; ++i) {
    value += 0.5 * p.penalty * theta[Eigen::Index(i)] * theta[Eigen::Index(i)];
  }
  return value;
}

// The weighted negative log-likelihood plus the penalties; with `gradient` and `hessian`
// when they are given.
double objective(const Problem& p, const Eigen::VectorXd& theta, Eigen::VectorXd* gradient, Eigen::MatrixXd* hessian) {
  double value = penalty_of(p, theta);
  if (gradient != nullptr) {
    gradient->setZero(Eigen::Index(p.n_params));
    (*gradient)[0] = kRidge * (theta[0] - 1.0);
    for (std::size_t i = 1; i < p.n_params; ++i) {
      (*gradient)[Eigen::Index(i)] = (i < p.first_residual ? kRidge : p.penalty) * theta[Eigen::Index(i)];
    }
    hessian->setZero(Eigen::Index(p.n_params), Eigen::Index(p.n_params));
    (*hessian)(0, 0) = kRidge;
    for (std::size_t i = 1; i < p.n_params; ++i) {
      (*hessian)(Eigen::Index(i), Eigen::Index(i)) = i < p.first_residual ? kRidge : p.penalty;
    }
  }
  std::vector<double> s, prob;
  std::vector<std::size_t> local;  // the parameters this example touches
  for (std::size_t i = 0; i < p.examples.size(); ++i) {
    const Example& e = *p.examples[i];
    const auto& features = p.features[i];
    s.assign(features.size(), 0.0);
    for (std::size_t c = 0; c < features.size(); ++c) {
      for (const auto& [j, x] : features[c]) s[c] += theta[Eigen::Index(j)] * x;
    }
    const double highest = *std::max_element(s.begin(), s.end());
    double total = 0.0;
    prob.resize(s.size());
    for (std::size_t c = 0; c < s.size(); ++c) total += (prob[c] = std::exp(s[c] - highest));
    for (double& q : prob) q /= total;
    value += e.weight * (std::log(total) + highest - s[std::size_t(e.gold_at)]);
    if (gradient == nullptr) continue;
    // Local dense view: X (candidates × touched parameters).
    local.clear();
    for (const auto& f : features) {
      for (const auto& [j, x] : f) local.push_back(j);
    }
    std::sort(local.begin(), local.end());
    local.erase(std::unique(local.begin(), local.end()), local.end());
    Eigen::MatrixXd X = Eigen::MatrixXd::Zero(Eigen::Index(features.size()), Eigen::Index(local.size()));
    for (std::size_t c = 0; c < features.size(); ++c) {
      for (const auto& [j, x] : features[c]) {
        const auto at = std::lower_bound(local.begin(), local.end(), j) - local.begin();
        X(Eigen::Index(c), at) += x;
      }
    }
    Eigen::VectorXd pv(Eigen::Index(prob.size()));
    for (std::size_t c = 0; c < prob.size(); ++c) pv[Eigen::Index(c)] = prob[c];
    Eigen::VectorXd residual = pv;
    residual[e.gold_at] -= 1.0;
    const Eigen::VectorXd g = e.weight * (X.transpose() * residual);
    const Eigen::MatrixXd W = Eigen::MatrixXd(pv.asDiagonal()) - pv * pv.transpose();
    const Eigen::MatrixXd h = e.weight * (X.transpose() * W * X);
    for (std::size_t a = 0; a < local.size(); ++a) {
      (*gradient)[Eigen::Index(local[a])] += g[Eigen::Index(a)];
      for (std::size_t b = 0; b < local.size(); ++b) {
        (*hessian)(Eigen::Index(local[a]), Eigen::Index(local[b])) += h(Eigen::Index(a), Eigen::Index(b));
      }
    }
  }
  return value;
}

FittedWeights train_weights(const RuleSet& rules, const std::vector<const Example*>& examples,
                            const FitOptions& options, std::size_t* iterations = nullptr) {
  const std::size_t n_domains = rules.domains().size();
  const Problem p = build_problem(rules, examples, options);
  if (p.examples.empty()) {
    throw data_error("nothing to fit on: no description has a gold domain with a rule that fires for it", {},
                     "give labelled files whose descriptions the rule set classifies (baro eval FILE shows them)");
  }
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(Eigen::Index(p.n_params));
  theta[0] = 1.0;
  Eigen::VectorXd gradient, step;
  Eigen::MatrixXd hessian;
  std::size_t steps = 0;
  double value = objective(p, theta, &gradient, &hessian);
  while (steps < kMaxNewtonSteps && gradient.lpNorm<Eigen::Infinity>() > 1e-8) {
    step = hessian.ldlt().solve(-gradient);
    const double slope = gradient.dot(step);
    if (!(slope < 0.0)) break;  // no descent left: at the optimum to rounding
    // Backtracking (Armijo): halve until the objective drops enough.
    double t = 1.0, next = 0.0;
    for (int halvings = 0; halvings < 60; ++halvings, t *= 0.5) {
      next = objective(p, theta + t * step, nullptr, nullptr);
      if (next <= value + 1e-4 * t * slope) break;
    }
    theta += t * step;
    ++steps;
    const double previous = value;
    value = objective(p, theta, &gradient, &hessian);
    if (previous - value < 1e-14 * (1.0 + std::abs(value)) && -slope < 1e-14) break;
  }
  if (iterations != nullptr) *iterations = steps;

  FittedWeights out;
  out.rules_hash = rules.rules_hash();
  out.scale = round4(theta[0]);
  out.offsets.assign(n_domains, 0.0);
  for (std::size_t d = 0; d < n_domains; ++d) out.offsets[d] = round4(theta[Eigen::Index(1 + d)]);
  out.residuals.assign(rules.rules().size(), std::vector<double>(n_domains, 0.0));
  for (const auto& [key, index] : p.residual_index) out.residuals[key.first][key.second] = round4(theta[Eigen::Index(index)]);
  return out;
}

bool right(const RuleSet& rules, const Example& e, const FittedWeights* weights) {
  return score_rules(rules, e.fired, e.vetoed, weights).primary == e.gold;
}

// A uniform draw in [0, n) from the generator's raw output (std::uniform_int_distribution is
// not the same across standard libraries; the folds must be).
std::size_t draw(std::mt19937_64& rng, std::size_t n) { return static_cast<std::size_t>(rng() % n); }

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string number(double value, const char* format = "%.4f") {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, round4(value));
  return buffer;
}

std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

const char* residuals_name(FitOptions::Residuals r) {
  switch (r) {
    case FitOptions::Residuals::kNone: return "none";
    case FitOptions::Residuals::kOwnDomain: return "own-domain";
    case FitOptions::Residuals::kAllDomains: return "all-domains";
  }
  return "?";
}

}  // namespace

MeanInterval mean_interval(const std::vector<double>& values, std::size_t independent) {
  MeanInterval out;
  if (values.empty()) return out;
  double sum = 0.0;
  for (double v : values) sum += v;
  out.mean = sum / double(values.size());
  if (values.size() < 2) return out;
  double squares = 0.0;
  for (double v : values) squares += (v - out.mean) * (v - out.mean);
  out.sd = std::sqrt(squares / double(values.size() - 1));
  const std::size_t n = std::max<std::size_t>(2, std::min(independent, values.size()));
  const boost::math::students_t t(double(n - 1));
  out.half_width = boost::math::quantile(t, 0.975) * out.sd / std::sqrt(double(n));
  return out;
}

FitResult fit_weights(const RuleEngine& engine, const std::vector<FitInput>& files, const FitOptions& options) {
  if (options.folds < 2) throw usage_error("the cross-validation needs at least 2 folds");
  if (options.repeats < 1) throw usage_error("the cross-validation needs at least 1 repeat");
  if (!(options.cost > 0.0) || !std::isfinite(options.cost)) throw usage_error("the cost C must be a number above 0");
  const RuleSet& rules = engine.rule_set();
  const std::size_t n_domains = rules.domains().size();
  std::vector<Example> examples;
  for (std::size_t f = 0; f < files.size(); ++f) {
    if (!(files[f].weight > 0.0) || !std::isfinite(files[f].weight)) {
      throw usage_error("the weight of " + files[f].path.string() + " must be a number above 0");
    }
    for (const auto& item : files[f].items) {
      const std::string folded = fold(item.description);
      const Classification c = engine.classify(folded);
      Example e;
      e.fired = c.fired;
      e.vetoed = c.vetoed;
      e.file = f;
      e.weight = files[f].weight;
      if (item.gold) e.gold = rules.find_domain(*item.gold);
      // The hand-set weights as the engine scores them without weights.json, ties included
      // ("ties": "first_mention" asks where the tied rules matched).
      const FirstMatch first_match = [&](std::size_t rule) {
        std::size_t first = std::numeric_limits<std::size_t>::max();
        for (const Span& s : engine.spans(rule, folded)) first = std::min(first, s.begin);
        return first;
      };
      const Classification hand = score_rules(rules, e.fired, e.vetoed, nullptr, first_match);
      e.hand_right = hand.primary == e.gold;
      for (const auto& d : hand.domains) {
        if (e.gold == d.domain) e.gold_at = int(e.candidates.size());
        e.candidates.push_back(d.domain);
        e.hand.push_back(d.score);
      }
      examples.push_back(std::move(e));
    }
  }
  FitResult result;
  std::vector<const Example*> all;
  for (const auto& e : examples) {
    all.push_back(&e);
    if (e.teaches()) ++result.used;
  }
  result.weights = train_weights(rules, all, options, &result.iterations);

  result.files.resize(files.size());
  for (const auto& e : examples) {
    for (FitFileFigures* figures : {&result.files[e.file], &result.all}) {
      ++figures->total;
      figures->hand_set_correct += e.hand_right ? 1 : 0;
    }
  }
  // Folds dealt at random within each stratum (file × gold domain, `null` being one more),
  // one after the other, so that each fold holds its share of every file and domain.
  std::vector<std::size_t> fold_of(examples.size());
  const double per_repeat = 1.0 / double(options.repeats);
  for (std::size_t rep = 0; rep < options.repeats; ++rep) {
    std::mt19937_64 rng(options.seed + rep);
    std::map<std::size_t, std::vector<std::size_t>> strata;
    for (std::size_t i = 0; i < examples.size(); ++i) {
      strata[examples[i].file * (n_domains + 1) + examples[i].gold.value_or(n_domains)].push_back(i);
    }
    std::size_t dealt = 0;
    for (auto& [key, members] : strata) {
      for (std::size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[draw(rng, i)]);
      for (std::size_t i : members) fold_of[i] = dealt++ % options.folds;
    }
    for (std::size_t k = 0; k < options.folds; ++k) {
      std::vector<const Example*> training;
      for (std::size_t i = 0; i < examples.size(); ++i) {
        if (fold_of[i] != k) training.push_back(&examples[i]);
      }
      const FittedWeights weights = train_weights(rules, training, options);
      std::vector<double> n(files.size() + 1, 0.0), gain(files.size() + 1, 0.0);
      for (std::size_t i = 0; i < examples.size(); ++i) {
        if (fold_of[i] != k) continue;
        const Example& e = examples[i];
        const bool fitted_right = right(rules, e, &weights);
        const double change = double(fitted_right) - double(e.hand_right);
        for (std::size_t slot : {e.file, files.size()}) {
          FitFileFigures& figures = slot == files.size() ? result.all : result.files[slot];
          figures.fitted_correct += fitted_right ? per_repeat : 0.0;
          if (fitted_right && !e.hand_right) figures.fixed += per_repeat;
          if (!fitted_right && e.hand_right) figures.broken += per_repeat;
          n[slot] += 1.0;
          gain[slot] += change;
        }
      }
      for (std::size_t slot = 0; slot <= files.size(); ++slot) {
        if (n[slot] == 0.0) continue;
        FitFileFigures& figures = slot == files.size() ? result.all : result.files[slot];
        figures.gains.push_back(100.0 * gain[slot] / n[slot]);
      }
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
      << "  \"format\": \"baro-weights/2\",\n"
      << "  \"comment\": \"Written by `baro rules fit`; do not edit: refit (docs/rules.md, Fitted weights). "
         "A candidate domain's decision value is scale x its hand-set score + its offset + the residuals of the "
         "rules that fired; the highest wins.\",\n"
      << "  \"ruleset\": {\"id\": " << quoted(rules.id()) << ", \"version\": " << quoted(rules.version())
      << ", \"rules_hash\": " << quoted(rules.rules_hash()) << "},\n"
      << "  \"model\": {\"kind\": \"conditional logit over the candidate domains: scale x hand-set score + offset + "
         "L2-penalised residuals\", \"residuals\": "
      << quoted(residuals_name(options.residuals)) << ", \"cost\": " << number(options.cost) << "},\n"
      << "  \"fitted_on\": [\n";
  for (std::size_t f = 0; f < files.size(); ++f) {
    ContentHasher hasher;
    hasher.update(read_bytes(files[f].path));
    const std::string path = fs::weakly_canonical(files[f].path).lexically_relative(base).generic_string();
    out << "    {\"file\": " << quoted(path) << ", \"xxh3_128\": " << quoted(hasher.hex_digest())
        << ", \"descriptions\": " << files[f].items.size() << ", \"weight\": " << number(files[f].weight) << '}'
        << (f + 1 < files.size() ? "," : "") << '\n';
  }
  const auto figures = [&](const FitFileFigures& f) {
    const MeanInterval gain = mean_interval(f.gains, options.folds);
    return "{\"descriptions\": " + std::to_string(f.total) + ", \"hand_set_correct\": " +
           std::to_string(f.hand_set_correct) + ", \"fitted_correct\": " + number(f.fitted_correct) +
           ", \"gain_points\": {\"mean\": " + number(gain.mean) + ", \"sd\": " + number(gain.sd) +
           ", \"interval_95\": [" + number(gain.mean - gain.half_width) + ", " + number(gain.mean + gain.half_width) +
           "]}}";
  };
  out << "  ],\n"
      << "  \"used\": " << fit.used << ",\n"
      << "  \"cross_validation\": {\"folds\": " << options.folds << ", \"repeats\": " << options.repeats
      << ", \"seed\": " << options.seed << ",\n    \"files\": [";
  for (std::size_t f = 0; f < fit.files.size(); ++f) {
    out << (f == 0 ? "\n      " : ",\n      ") << figures(fit.files[f]);
  }
  out << "],\n    \"all\": " << figures(fit.all) << "},\n"
      << "  \"scale\": " << number(fit.weights.scale) << ",\n"
      << "  \"offsets\": {";
  for (std::size_t d = 0; d < domains.size(); ++d) {
    out << (d == 0 ? "" : ", ") << quoted(domains[d].id) << ": " << number(fit.weights.offsets[d]);
  }
  out << "},\n  \"residuals\": {";
  bool first = true;
  for (std::size_t r = 0; r < rules.rules().size(); ++r) {
    const auto& w = fit.weights.residuals[r];
    if (std::all_of(w.begin(), w.end(), [](double v) { return v == 0.0; })) continue;  // none learnt: 0
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
