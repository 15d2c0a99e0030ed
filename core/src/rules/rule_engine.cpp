#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "baro/error.hpp"
#include "baro/rules.hpp"
#include "rules/patterns.hpp"
#include "rules/proximity.hpp"

namespace baro {

// Each text is scanned once word by word and once by one RE2::Set (RuleSetOptions::prefilter,
// the default):
//   - the word matcher (rules::WordMatcher) finds every keyword whose words are letters and
//     digits: those of keyword rules, of `unless` vetoes and of proximity questions, with
//     their word positions, and decides `near` and `unless_near` on those positions;
//   - the set holds the other keywords (with symbols, such as `c++`) on their own, in the
//     scanner's form (rules::padded_keyword_pattern), matched on the text padded with a
//     space at each end, and the literal "atoms" RE2's FilteredRE2 says each regex pattern needs. A regex pattern
//     (a regex rule, or vetoes with `unless_regex`) runs on its own, on the unpadded text,
//     only when the scan found enough of its atoms (or always, if it has none). Regexes
//     with gaps (`a.*b`) are what makes a single-pass set slow: their DFA states multiply.
//     Rules often share a veto (staff training, building works): a pattern written by
//     several rules is compiled and run once per text, whatever the number of its rules.
// Without the prefilter, every exact pattern goes into one RE2::Set and proximity questions
// run on RE2's matches of their keyword lists (rules::ExactProximity): the plain definition.
struct RuleEngine::Impl {
  explicit Impl(const RuleSetOptions& options)
      : set(rules::pattern_options(options), RE2::UNANCHORED), filtered(kMinAtomBytes) {}

  // Atoms shorter than this would match nearly every text and filter nothing.
  static constexpr int kMinAtomBytes = 2;

  enum class Kind { kRule = 1, kVeto, kAtom };
  struct Entry {
    Kind kind = Kind::kRule;
    std::size_t index = 0;  // rule index, or atom index for kAtom
  };
  // The rules (and, for vetoes, the rules whose vetoes) a FilteredRE2 pattern stands for.
  struct Filtered {
    std::vector<std::size_t> rules;
    bool veto = false;
  };
  // The exact pattern of a rule or of its vetoes, compiled on first use: only spans
  // (explain) need them, and most runs never do.
  struct Exact {
    const std::string* pattern = nullptr;
    std::once_flag once;
    std::unique_ptr<RE2> re;
  };

  const RE2& exact(std::vector<std::unique_ptr<Exact>>& all, std::size_t rule, const RE2::Options& options) const {
    Exact& e = *all[rule];
    std::call_once(e.once, [&] { e.re = std::make_unique<RE2>(*e.pattern, options); });
    return *e.re;
  }
  // A rule's proximity questions on RE2's matches, built on first use (the reference mode,
  // the fallback and spans need them).
  struct ExactNear {
    std::once_flag once;
    std::vector<std::unique_ptr<rules::ExactProximity>> near, unless_near;
  };
  const ExactNear& exact_near(const Rule& rule, std::size_t index, const RuleSetOptions& options) const {
    ExactNear& e = *near_of[index];
    std::call_once(e.once, [&] {
      for (const auto& p : rule.near) e.near.push_back(std::make_unique<rules::ExactProximity>(p, options));
      for (const auto& p : rule.unless_near) e.unless_near.push_back(std::make_unique<rules::ExactProximity>(p, options));
    });
    return e;
  }
  static bool any_holds(const std::vector<std::unique_ptr<rules::ExactProximity>>& questions, std::string_view text) {
    return std::any_of(questions.begin(), questions.end(), [&](const auto& q) { return q->holds(text); });
  }

  bool padded = false;  // the set scans " " + text + " "
  RE2::Options options;
  RE2::Set set;
  std::vector<Entry> entries;         // by the index Set::Add returned
  re2::FilteredRE2 filtered;
  std::vector<Filtered> filtered_of;  // by FilteredRE2 id
  mutable std::vector<std::unique_ptr<Exact>> positive;  // per rule
  mutable std::vector<std::unique_ptr<Exact>> veto;      // per rule; null without vetoes
  mutable std::vector<std::unique_ptr<ExactNear>> near_of;  // per rule
  std::unique_ptr<rules::WordMatcher> words;  // with the prefilter: every plain keyword; without: proximity only
};

namespace {

[[noreturn]] void refuse_pattern(const Rule& rule, bool veto, const std::string& error) {
  throw config_error("RE2 refuses the " + std::string(veto ? "vetoes" : "pattern") + " of rule " + rule.id + ": " + error,
                     rule.where);
}

}  // namespace

RuleEngine::RuleEngine(const RuleSet& rules) : rules_(rules), impl_(std::make_unique<Impl>(rules.options())) {
  const RE2::Options options = rules::pattern_options(rules.options());
  impl_->options = options;
  const bool prefilter = rules.options().prefilter;
  impl_->padded = prefilter;
  const auto& all = rules.rules();
  const auto add_to_set = [&](const std::string& pattern, Impl::Entry entry, const Rule& rule) {
    std::string error;
    const int index = impl_->set.Add(pattern, &error);
    if (index < 0) refuse_pattern(rule, entry.kind == Impl::Kind::kVeto, error);
    if (static_cast<std::size_t>(index) != impl_->entries.size()) throw internal_error("RE2::Set index out of order");
    impl_->entries.push_back(entry);
  };
  std::unordered_map<std::string, int> filtered_ids;  // pattern (vetoes marked) -> FilteredRE2 id
  const auto add_filtered = [&](const std::string& pattern, std::size_t rule, bool veto) {
    const auto [known, added] = filtered_ids.try_emplace((veto ? "v " : "m ") + pattern, 0);
    if (!added) {
      impl_->filtered_of[static_cast<std::size_t>(known->second)].rules.push_back(rule);
      return;
    }
    int id = 0;
    const RE2::ErrorCode code = impl_->filtered.Add(pattern, options, &id);
    if (code != RE2::NoError) refuse_pattern(all[rule], veto, "error code " + std::to_string(code));
    if (static_cast<std::size_t>(id) != impl_->filtered_of.size()) throw internal_error("FilteredRE2 id out of order");
    impl_->filtered_of.push_back({{rule}, veto});
    known->second = id;
  };
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Rule& rule = all[i];
    impl_->positive.push_back(std::make_unique<Impl::Exact>());
    impl_->positive.back()->pattern = &rule.pattern;
    impl_->veto.push_back(nullptr);
    if (!rule.veto_pattern.empty()) {
      impl_->veto.back() = std::make_unique<Impl::Exact>();
      impl_->veto.back()->pattern = &rule.veto_pattern;
    }
    impl_->near_of.push_back(std::make_unique<Impl::ExactNear>());
    if (!prefilter) {
      if (!rule.pattern.empty()) add_to_set(rule.pattern, {Impl::Kind::kRule, i}, rule);
      if (!rule.veto_pattern.empty()) add_to_set(rule.veto_pattern, {Impl::Kind::kVeto, i}, rule);
      continue;
    }
    // Plain keywords are the word matcher's; the others go into the set.
    for (const auto& keyword : rule.keywords) {
      if (!rules::WordMatcher::is_plain_keyword(keyword)) {
        add_to_set(rules::padded_keyword_pattern(keyword), {Impl::Kind::kRule, i}, rule);
      }
    }
    if (!rule.regex.empty()) add_filtered(rule.pattern, i, false);
    for (const auto& keyword : rule.unless) {
      if (!rules::WordMatcher::is_plain_keyword(keyword)) {
        add_to_set(rules::padded_keyword_pattern(keyword), {Impl::Kind::kVeto, i}, rule);
      }
    }
    if (!rule.unless_regex.empty()) add_filtered(rules::unless_regex_pattern(rule), i, true);
  }
  impl_->words = std::make_unique<rules::WordMatcher>(rules, prefilter);
  if (!impl_->filtered_of.empty()) {
    std::vector<std::string> atoms;
    impl_->filtered.Compile(&atoms);
    // Atoms are lowercased literals; matching them case-insensitively keeps the prefilter
    // sound whatever case folding left in the text.
    for (std::size_t a = 0; a < atoms.size(); ++a) {
      std::string error;
      const int index = impl_->set.Add("(?i)" + RE2::QuoteMeta(atoms[a]), &error);
      if (index < 0) throw internal_error("RE2 refuses the prefilter atom \"" + atoms[a] + "\": " + error);
      if (static_cast<std::size_t>(index) != impl_->entries.size()) throw internal_error("RE2::Set index out of order");
      impl_->entries.push_back({Impl::Kind::kAtom, a});
    }
  }
  if (!impl_->entries.empty() && !impl_->set.Compile()) {
    // Each rule fitted alone (RuleSet::load checked): name the biggest, which are what to
    // simplify, rather than leave the maintainer to guess. Compiling them again costs a
    // moment, on a path that ends the run anyway.
    std::vector<std::pair<int, std::size_t>> sizes;
    for (std::size_t i = 0; i < all.size(); ++i) sizes.emplace_back(RE2(all[i].pattern, options).ProgramSize(), i);
    std::sort(sizes.begin(), sizes.end(), std::greater<>());
    std::string largest;
    for (std::size_t k = 0; k < sizes.size() && k < 3; ++k) {
      largest += (k == 0 ? "" : ", ") + all[sizes[k].second].id + " (" + std::to_string(sizes[k].first) + " RE2 instructions)";
    }
    const std::int64_t budget = rules.options().max_mem_bytes;
    throw config_error("the rule set does not fit in RE2's memory limit (" +
                           (budget >= (1 << 20) ? std::to_string(budget >> 20) + " MiB"
                                                : std::to_string(budget >> 10) + " KiB") +
                           ") once all its rules are combined; the largest rules are " + largest,
                       all[sizes.front().second].where,
                       "raise --regex-mem-mb, or split the largest keyword lists into several rules");
  }
}

RuleEngine::~RuleEngine() = default;

namespace {

// What the scan of one text needs, kept per thread so that it allocates nothing once the
// buffers have grown: an import classifies millions of short texts.
struct Scratch {
  std::string padded;
  std::vector<int> hits, atoms, candidates;
  std::vector<unsigned char> state;
  rules::WordMatcher::Scratch words;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

}  // namespace

Classification RuleEngine::classify(std::string_view folded) const {
  const std::size_t n = rules_.rules().size();
  if (n == 0) return {};
  Scratch& buffers = scratch();
  std::vector<int>& hits = buffers.hits;
  hits.clear();
  if (!impl_->entries.empty()) {
    std::string_view scanned = folded;
    if (impl_->padded) {
      std::string& padded = buffers.padded;
      padded.assign(1, ' ');
      padded += folded;
      padded += ' ';
      scanned = padded;
    }
    RE2::Set::ErrorInfo error{};
    if (!impl_->set.Match(scanned, &hits, &error) && error.kind != RE2::Set::kNoError) {
      if (error.kind != RE2::Set::kOutOfMemory) {
        throw internal_error("RE2 failed while scanning a description with the rule set " + rules_.id() +
                             " (RE2::Set error " + std::to_string(static_cast<int>(error.kind)) + ")");
      }
      // The set's DFA ran out of its budget, and RE2::Set has no slower fallback: its false
      // would read as "no rule matched". Match rule by rule instead, with each rule's own
      // RE2, which falls back to the NFA when its DFA runs short: slower, never wrong.
      return classify_rule_by_rule(folded);
    }
  }
  std::vector<unsigned char>& state = buffers.state;
  state.assign(n, 0);
  std::vector<int>& atoms = buffers.atoms;
  atoms.clear();
  for (int index : hits) {
    const auto& entry = impl_->entries[static_cast<std::size_t>(index)];
    if (entry.kind == Impl::Kind::kAtom) atoms.push_back(static_cast<int>(entry.index));
    if (entry.kind == Impl::Kind::kRule) state[entry.index] |= kMatched;
  }
  impl_->words->match(folded, state, buffers.words);
  if (!impl_->padded) {
    // The reference: proximity on RE2's matches of each keyword list.
    const auto& all = rules_.rules();
    for (std::size_t i = 0; i < n; ++i) {
      if (all[i].near.empty() && all[i].unless_near.empty()) continue;
      const auto& e = impl_->exact_near(all[i], i, rules_.options());
      if (Impl::any_holds(e.near, folded)) state[i] |= kMatched;
      if ((state[i] & kMatched) && Impl::any_holds(e.unless_near, folded)) state[i] |= kVetoed;
    }
  }
  const re2::StringPiece text(folded.data(), folded.size());
  if (!impl_->filtered_of.empty()) {
    std::vector<int>& candidates = buffers.candidates;
    candidates.clear();
    impl_->filtered.AllPotentials(atoms, &candidates);
    for (int id : candidates) {
      const auto& f = impl_->filtered_of[static_cast<std::size_t>(id)];
      if (f.veto) continue;
      // Run the pattern only if one of its rules is still undecided.
      const bool open = std::any_of(f.rules.begin(), f.rules.end(), [&](std::size_t r) { return !(state[r] & kMatched); });
      if (open && RE2::PartialMatch(text, impl_->filtered.GetRE2(id))) {
        for (std::size_t r : f.rules) state[r] |= kMatched;
      }
    }
    // A veto only matters for a rule that matched.
    for (int id : candidates) {
      const auto& f = impl_->filtered_of[static_cast<std::size_t>(id)];
      if (!f.veto) continue;
      const bool wanted = std::any_of(f.rules.begin(), f.rules.end(), [&](std::size_t r) { return state[r] == kMatched; });
      if (wanted && RE2::PartialMatch(text, impl_->filtered.GetRE2(id))) {
        for (std::size_t r : f.rules) state[r] |= kVetoed;
      }
    }
  }
  for (int index : hits) {
    const auto& entry = impl_->entries[static_cast<std::size_t>(index)];
    // A veto only matters for a rule that matched.
    if (entry.kind == Impl::Kind::kVeto && (state[entry.index] & kMatched)) state[entry.index] |= kVetoed;
  }
  return score(state, folded);
}

Classification RuleEngine::classify_rule_by_rule(std::string_view folded) const {
  const std::size_t n = rules_.rules().size();
  std::vector<unsigned char> state(n, 0);
  const re2::StringPiece text(folded.data(), folded.size());
  const auto& all = rules_.rules();
  for (std::size_t i = 0; i < n; ++i) {
    const bool proximity = !all[i].near.empty() || !all[i].unless_near.empty();
    const Impl::ExactNear* e = proximity ? &impl_->exact_near(all[i], i, rules_.options()) : nullptr;
    const bool matched =
        (!all[i].pattern.empty() && RE2::PartialMatch(text, impl_->exact(impl_->positive, i, impl_->options))) ||
        (e != nullptr && Impl::any_holds(e->near, folded));
    if (!matched) continue;
    state[i] |= kMatched;
    if ((impl_->veto[i] != nullptr && RE2::PartialMatch(text, impl_->exact(impl_->veto, i, impl_->options))) ||
        (e != nullptr && Impl::any_holds(e->unless_near, folded)))
      state[i] |= kVetoed;
  }
  return score(state, folded);
}

Classification RuleEngine::score(const std::vector<unsigned char>& state, std::string_view folded) const {
  std::vector<std::size_t> fired, vetoed;
  for (std::size_t i = 0; i < state.size(); ++i) {
    if ((state[i] & kMatched) == 0) continue;
    (state[i] & kVetoed ? vetoed : fired).push_back(i);
  }
  // Only a tie under "first_mention" asks where a rule matched: the spans are found then.
  const FirstMatch first_match = [&](std::size_t rule) {
    const auto found = spans(rule, folded);
    std::size_t first = std::numeric_limits<std::size_t>::max();
    for (const Span& s : found) first = std::min(first, s.begin);
    return first;
  };
  return score_rules(rules_, fired, vetoed, rules_.fitted(), first_match);
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

// The spans of every question that holds, in text order.
std::vector<Span> proximity_spans(const std::vector<std::unique_ptr<rules::ExactProximity>>& questions,
                                  std::string_view folded, std::vector<Span> spans) {
  for (const auto& q : questions) {
    const auto more = q->spans(folded);
    spans.insert(spans.end(), more.begin(), more.end());
  }
  std::sort(spans.begin(), spans.end(), [](const Span& l, const Span& r) { return l.begin != r.begin ? l.begin < r.begin : l.end < r.end; });
  spans.erase(std::unique(spans.begin(), spans.end(), [](const Span& l, const Span& r) { return l.begin == r.begin && l.end == r.end; }),
              spans.end());
  return spans;
}

}  // namespace

std::vector<Span> RuleEngine::spans(std::size_t rule, std::string_view folded) const {
  if (rule >= impl_->positive.size()) return {};
  const Rule& r = rules_.rules()[rule];
  std::vector<Span> spans;
  if (!r.pattern.empty()) spans = all_matches(impl_->exact(impl_->positive, rule, impl_->options), folded);
  if (r.near.empty()) return spans;
  return proximity_spans(impl_->exact_near(r, rule, rules_.options()).near, folded, std::move(spans));
}

std::vector<Span> RuleEngine::veto_spans(std::size_t rule, std::string_view folded) const {
  if (rule >= impl_->veto.size()) return {};
  std::vector<Span> spans;
  if (impl_->veto[rule] != nullptr) spans = all_matches(impl_->exact(impl_->veto, rule, impl_->options), folded);
  const Rule& r = rules_.rules()[rule];
  if (r.unless_near.empty()) return spans;
  return proximity_spans(impl_->exact_near(r, rule, rules_.options()).unless_near, folded, std::move(spans));
}

}  // namespace baro
