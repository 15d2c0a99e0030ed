#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

#include "baro/error.hpp"
#include "baro/rules.hpp"
#include "rules/patterns.hpp"

namespace baro {

// How the rules are run. Keyword rules compile into one RE2::Set: a trie-like DFA that scans
// a description once, whatever the number of rules. Regex rules are run one by one: their
// gaps (`.{0,40}`) would make the set's DFA build a new state at almost every byte — tens
// of regex rules in the set slow the whole scan down a hundredfold — while each alone has a
// small DFA that stays warm. Vetoes are only run for the rules that matched.
struct RuleEngine::Impl {
  explicit Impl(const RuleSetOptions& options) : set(rules::pattern_options(options), RE2::UNANCHORED) {}

  RE2::Set set;
  std::vector<std::size_t> set_rules;          // rule index by the index Set::Add returned
  std::vector<std::size_t> regex_rules;        // rules matched one by one
  std::vector<std::unique_ptr<RE2>> positive;  // per rule, for regex rules and spans
  std::vector<std::unique_ptr<RE2>> veto;      // per rule, null without vetoes
};

RuleEngine::RuleEngine(const RuleSet& rules) : rules_(rules), impl_(std::make_unique<Impl>(rules.options())) {
  const RE2::Options options = rules::pattern_options(rules.options());
  const auto& all = rules.rules();
  impl_->positive.reserve(all.size());
  impl_->veto.reserve(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Rule& rule = all[i];
    impl_->positive.push_back(std::make_unique<RE2>(rule.pattern, options));
    impl_->veto.push_back(rule.veto_pattern.empty() ? nullptr : std::make_unique<RE2>(rule.veto_pattern, options));
    if (!rule.regex.empty()) {
      impl_->regex_rules.push_back(i);
      continue;
    }
    std::string error;
    const int index = impl_->set.Add(rule.pattern, &error);
    if (index < 0) throw config_error("RE2 refuses the keywords of rule " + rule.id + ": " + error, rule.where);
    if (static_cast<std::size_t>(index) != impl_->set_rules.size()) throw internal_error("RE2::Set index out of order");
    impl_->set_rules.push_back(i);
  }
  if (!impl_->set_rules.empty() && !impl_->set.Compile()) {
    throw config_error("the rule set does not fit in RE2's memory limit (" +
                           std::to_string(rules.options().max_mem_bytes >> 20) + " MiB) once all its rules are combined",
                       {rules.directory().string()}, "raise --regex-mem-mb, or simplify the largest regex rules");
  }
}

RuleEngine::~RuleEngine() = default;

Classification RuleEngine::classify(std::string_view folded) const {
  Classification result;
  const std::size_t n = rules_.rules().size();
  std::vector<unsigned char> state(n, 0);  // bit 1: matched, bit 2: vetoed
  if (!impl_->set_rules.empty()) {
    std::vector<int> hits;
    RE2::Set::ErrorInfo error{};
    if (!impl_->set.Match(folded, &hits, &error) && error.kind != RE2::Set::kNoError) {
      // An out-of-memory DFA returns false as if nothing matched: never let that pass.
      throw Error(ExitCode::kInternal,
                  error.kind == RE2::Set::kOutOfMemory
                      ? "RE2 ran out of memory while scanning a description with the rule set"
                      : "RE2 failed while scanning a description",
                  {rules_.directory().string()}, "raise the regex memory budget with --regex-mem-mb");
    }
    for (int index : hits) state[impl_->set_rules[static_cast<std::size_t>(index)]] = 1;
  }
  for (std::size_t r : impl_->regex_rules) {
    if (RE2::PartialMatch(folded, *impl_->positive[r])) state[r] = 1;
  }
  for (std::size_t r = 0; r < n; ++r) {
    if (state[r] && impl_->veto[r] != nullptr && RE2::PartialMatch(folded, *impl_->veto[r])) state[r] |= 2;
  }
  std::vector<DomainScore> scores(rules_.domains().size());
  for (std::size_t i = 0; i < n; ++i) {
    if ((state[i] & 1) == 0) continue;
    if (state[i] & 2) {
      result.vetoed.push_back(i);
      continue;
    }
    result.fired.push_back(i);
    const Rule& rule = rules_.rules()[i];
    scores[rule.domain].score += rule.weight;
    scores[rule.domain].rules.push_back(i);
  }
  double best = 0.0;
  for (std::size_t d = 0; d < scores.size(); ++d) {
    if (scores[d].rules.empty()) continue;
    scores[d].domain = d;
    // Strictly greater: on a tie the domain listed first in ruleset.json keeps the lead.
    if (!result.primary || scores[d].score > best) {
      result.primary = d;
      best = scores[d].score;
    }
    result.domains.push_back(std::move(scores[d]));
  }
  return result;
}

namespace {

std::vector<Span> all_matches(const RE2& re, std::string_view text) {
  std::vector<Span> spans;
  re2::StringPiece groups[2];
  std::size_t pos = 0;
  const int n_groups = std::min(2, re.NumberOfCapturingGroups() + 1);
  while (pos <= text.size() &&
         re.Match(re2::StringPiece(text.data(), text.size()), pos, text.size(), RE2::UNANCHORED, groups, n_groups)) {
    const re2::StringPiece& g = n_groups > 1 && groups[1].data() != nullptr ? groups[1] : groups[0];
    const std::size_t begin = static_cast<std::size_t>(g.data() - text.data());
    const std::size_t end = begin + g.size();
    spans.push_back({begin, end});
    // Continue after the span (at least one byte on, so an empty match cannot loop).
    pos = std::max(end, static_cast<std::size_t>(groups[0].data() - text.data()) + 1);
    if (end > begin) pos = end;
    if (pos == begin) ++pos;
  }
  return spans;
}

}  // namespace

std::vector<Span> RuleEngine::spans(std::size_t rule, std::string_view folded) const {
  if (rule >= impl_->positive.size()) return {};
  return all_matches(*impl_->positive[rule], folded);
}

std::vector<Span> RuleEngine::veto_spans(std::size_t rule, std::string_view folded) const {
  if (rule >= impl_->veto.size() || impl_->veto[rule] == nullptr) return {};
  return all_matches(*impl_->veto[rule], folded);
}

}  // namespace baro
