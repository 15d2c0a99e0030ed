// The one scoring function: from the rules that fired to a text's labels and primary domain.
// RuleEngine and the hyperscan classifier both call it, so that the two cannot drift apart.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "baro/rules.hpp"

namespace baro {
namespace {

// Hand-set weights: each candidate's score from its fired rules' weights, per the set's
// ScoringSettings.
void score_with_weights(const RuleSet& rules, std::vector<DomainScore>& candidates) {
  const ScoringSettings& scoring = rules.scoring();
  std::vector<double> weights;
  for (auto& d : candidates) {
    if (scoring.stacking == ScoringSettings::Stacking::kSum) {
      // In rule-set order, so that the doubles are the same whoever sums them.
      for (std::size_t r : d.rules) d.score += rules.rules()[r].weight;
      continue;
    }
    weights.clear();
    for (std::size_t r : d.rules) weights.push_back(rules.rules()[r].weight);
    std::sort(weights.begin(), weights.end(), std::greater<>());
    double factor = 1.0;
    for (double w : weights) {
      d.score += w * factor;
      factor *= scoring.decay;
    }
  }
}

// Fitted weights: each candidate's decision value (scale × its hand-set score + its offset +
// the fired rules' residuals), then the softmax over the candidates.
void score_with_fitted(const RuleSet& rules, const FittedWeights& fitted, std::vector<DomainScore>& candidates,
                       const std::vector<std::size_t>& fired) {
  score_with_weights(rules, candidates);
  double highest = -std::numeric_limits<double>::infinity();
  for (auto& d : candidates) {
    double decision = fitted.scale * d.score + fitted.offsets[d.domain];
    for (std::size_t r : fired) decision += fitted.residuals[r][d.domain];
    d.score = decision;
    highest = std::max(highest, decision);
  }
  double total = 0.0;
  for (auto& d : candidates) {
    d.score = std::exp(d.score - highest);
    total += d.score;
  }
  // A share so small that it underflows stays a (tiny) positive score: a candidate domain is
  // still a label, and classifier plugins may only report scores above 0.
  for (auto& d : candidates) d.score = std::max(d.score / total, std::numeric_limits<double>::min());
}

}  // namespace

Classification score_rules(const RuleSet& rules, const std::vector<std::size_t>& fired,
                           const std::vector<std::size_t>& vetoed) {
  return score_rules(rules, fired, vetoed, rules.fitted());
}

Classification score_rules(const RuleSet& rules, const std::vector<std::size_t>& fired,
                           const std::vector<std::size_t>& vetoed, const FittedWeights* weights) {
  return score_rules(rules, fired, vetoed, weights, FirstMatch());
}

Classification score_rules(const RuleSet& rules, const std::vector<std::size_t>& fired,
                           const std::vector<std::size_t>& vetoed, const FittedWeights* weights,
                           const FirstMatch& first_match) {
  Classification result;
  result.fired = fired;
  result.vetoed = vetoed;
  std::vector<DomainScore> scores(rules.domains().size());
  for (std::size_t r : fired) scores[rules.rules()[r].domain].rules.push_back(r);
  for (std::size_t d = 0; d < scores.size(); ++d) {
    if (scores[d].rules.empty()) continue;
    scores[d].domain = d;
    result.domains.push_back(std::move(scores[d]));
  }
  if (result.domains.empty()) return result;
  if (weights != nullptr) {
    score_with_fitted(rules, *weights, result.domains, fired);
  } else {
    score_with_weights(rules, result.domains);
  }
  // Under "first_mention", where each domain's evidence starts; asked of the locator only for
  // the domains tied on the highest score (ties are rare, and locating re-runs patterns).
  std::vector<std::size_t> starts;
  if (rules.scoring().ties == ScoringSettings::Ties::kFirstMention && first_match) {
    double top = -std::numeric_limits<double>::infinity();
    for (const auto& d : result.domains) top = std::max(top, d.score);
    std::size_t at_top = 0;
    for (const auto& d : result.domains) at_top += d.score == top ? 1 : 0;
    if (at_top > 1) {
      starts.assign(rules.domains().size(), std::numeric_limits<std::size_t>::max());
      for (const auto& d : result.domains) {
        if (d.score != top) continue;
        for (std::size_t r : d.rules) starts[d.domain] = std::min(starts[d.domain], first_match(r));
      }
    }
  }
  // Highest score first; an exact tie goes to the domain named first (when asked and located),
  // then to the domain earlier in the precedence list.
  const auto better = [&](const DomainScore& a, const DomainScore& b) {
    if (a.score != b.score) return a.score > b.score;
    if (!starts.empty() && starts[a.domain] != starts[b.domain]) return starts[a.domain] < starts[b.domain];
    return rules.precedence_rank(a.domain) < rules.precedence_rank(b.domain);
  };
  const DomainScore* first = &result.domains.front();
  const DomainScore* second = nullptr;
  for (std::size_t i = 1; i < result.domains.size(); ++i) {
    const DomainScore* d = &result.domains[i];
    if (better(*d, *first)) {
      second = first;
      first = d;
    } else if (second == nullptr || better(*d, *second)) {
      second = d;
    }
  }
  result.primary = first->domain;
  if (second == nullptr) {
    result.margin = first->score;
  } else {
    result.runner_up = second->domain;
    result.margin = first->score - second->score;
    result.by_precedence = first->score == second->score;
  }
  return result;
}

double fitted_contribution(const RuleSet& rules, const FittedWeights& fitted, std::size_t rule, std::size_t domain) {
  const Rule& r = rules.rules()[rule];
  return (r.domain == domain ? fitted.scale * r.weight : 0.0) + fitted.residuals[rule][domain];
}

}  // namespace baro
