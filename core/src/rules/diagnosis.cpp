// RuleEngine::diagnose(): why one rule fires or not on one text, part by part, for `baro
// explain --rule`. Each keyword, regex, proximity question and veto is compiled and matched
// on its own, with the same definitions the engine's single pass uses (compile_keywords,
// fold_regex, ExactProximity), so that the answer agrees with classify().
#include <re2/re2.h>

#include <algorithm>
#include <string>
#include <vector>

#include "baro/error.hpp"
#include "baro/rules.hpp"
#include "rules/patterns.hpp"
#include "rules/proximity.hpp"

namespace baro {
namespace {

// Every non-overlapping match of `pattern` on `text` (the first capturing group when there
// is one: a keyword without its word boundaries).
std::vector<Span> matches(const RE2& re, std::string_view text) {
  std::vector<Span> out;
  re2::StringPiece groups[2];
  const int n = std::min(2, re.NumberOfCapturingGroups() + 1);
  const re2::StringPiece whole(text.data(), text.size());
  std::size_t pos = 0;
  while (pos <= text.size() && re.Match(whole, pos, text.size(), RE2::UNANCHORED, groups, n)) {
    const re2::StringPiece& g = n > 1 && groups[1].data() != nullptr ? groups[1] : groups[0];
    const auto begin = static_cast<std::size_t>(g.data() - text.data());
    const std::size_t end = begin + g.size();
    if (end > begin) out.push_back({begin, end});
    // On after the match proper: a keyword's trailing boundary may start the next one.
    pos = end > pos ? end : pos + 1;
  }
  return out;
}

std::string quoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "\"" : ", \"") + w + "\"";
  return out;
}

std::string question_text(const Proximity& p) {
  return quoted_list(p.a) + " near " + quoted_list(p.b) + " within " + std::to_string(p.within) +
         (p.order == Proximity::Order::kAThenB ? " (a then b)" : "");
}

// The top-level items of an RE2 pattern: groups, classes, escapes and single characters,
// each with its quantifier; split at top-level `|` into alternatives. Only used to say which
// part of a regex fails: a pattern it misreads gives a vaguer answer, never a wrong verdict.
std::vector<std::vector<std::string>> top_level_items(std::string_view re) {
  std::vector<std::vector<std::string>> alternatives(1);
  std::size_t i = 0;
  const auto skip_class = [&](std::size_t j) {  // re[j] == '['; returns one past its ']'
    ++j;
    if (j < re.size() && re[j] == '^') ++j;
    if (j < re.size() && re[j] == ']') ++j;
    while (j < re.size() && re[j] != ']') {
      if (re[j] == '\\') ++j;
      else if (re[j] == '[' && j + 1 < re.size() && re[j + 1] == ':') {
        const auto close = re.find(":]", j + 2);
        if (close != std::string_view::npos) j = close + 1;
      }
      ++j;
    }
    return std::min(j + 1, re.size());
  };
  while (i < re.size()) {
    const std::size_t start = i;
    const char c = re[i];
    if (c == '|') {
      alternatives.emplace_back();
      ++i;
      continue;
    }
    if (c == '\\') {
      i += 2;
      if (i < re.size() && (re[i - 1] == 'p' || re[i - 1] == 'P' || re[i - 1] == 'x') && re[i] == '{') {
        const auto close = re.find('}', i);
        i = close == std::string_view::npos ? re.size() : close + 1;
      }
    } else if (c == '[') {
      i = skip_class(i);
    } else if (c == '(') {
      int depth = 0;
      while (i < re.size()) {
        if (re[i] == '\\') {
          i += 2;
          continue;
        }
        if (re[i] == '[') {
          i = skip_class(i);
          continue;
        }
        if (re[i] == '(') ++depth;
        if (re[i] == ')' && --depth == 0) {
          ++i;
          break;
        }
        ++i;
      }
    } else {
      ++i;
      while (i < re.size() && (static_cast<unsigned char>(re[i]) & 0xC0) == 0x80) ++i;  // a whole UTF-8 character
    }
    i = std::min(i, re.size());
    // Its quantifier, if any.
    if (i < re.size() && (re[i] == '*' || re[i] == '+' || re[i] == '?')) {
      ++i;
    } else if (i < re.size() && re[i] == '{') {
      const auto close = re.find('}', i);
      if (close != std::string_view::npos &&
          re.substr(i + 1, close - i - 1).find_first_not_of("0123456789,") == std::string_view::npos) {
        i = close + 1;
      }
    }
    if (i < re.size() && re[i] == '?' && i > start + 1) ++i;  // lazy
    alternatives.back().emplace_back(re.substr(start, i - start));
  }
  return alternatives;
}

bool regex_matches(const std::string& written, std::string_view folded, const RuleSetOptions& options) {
  const RE2 re("(?i)(?:" + rules::fold_regex(written) + ")", rules::pattern_options(options));
  return re.ok() && RE2::PartialMatch(re2::StringPiece(folded.data(), folded.size()), re);
}

// Which part of a regex fails on `folded`: the longest run of top-level items from the start
// that still matches, and the item after it.
std::string regex_failure(const std::string& regex, std::string_view folded, const RuleSetOptions& options) {
  const auto alternatives = top_level_items(regex);
  std::vector<std::string> reasons;
  for (const auto& items : alternatives) {
    std::string prefix;
    std::string reason = "matches nowhere";
    for (const auto& item : items) {
      if (!regex_matches(prefix + item, folded, options)) {
        if (prefix.empty()) {
          reason = "`" + item + "` matches nowhere";
        } else if (!regex_matches(item, folded, options)) {
          reason = "`" + prefix + "` matches, but `" + item + "` matches nowhere";
        } else {
          reason = "`" + prefix + "` matches, but `" + item + "` does not follow it";
        }
        break;
      }
      prefix += item;
    }
    reasons.push_back(alternatives.size() > 1 ? "alternative `" + [&] {
      std::string all;
      for (const auto& item : items) all += item;
      return all;
    }() + "`: " + reason : reason);
  }
  std::string out;
  for (const auto& r : reasons) out += (out.empty() ? "" : "; ") + r;
  return out;
}

RulePart question_part(RulePart::Kind kind, const Proximity& p, std::string_view folded, const RuleSetOptions& options) {
  RulePart part;
  part.kind = kind;
  part.written = question_text(p);
  const auto d = rules::ExactProximity(p, options).diagnose(folded);
  part.matched = d.holds;
  part.spans = d.a;
  part.spans.insert(part.spans.end(), d.b.begin(), d.b.end());
  std::sort(part.spans.begin(), part.spans.end(),
            [](const Span& l, const Span& r) { return l.begin != r.begin ? l.begin < r.begin : l.end < r.end; });
  if (d.holds) return part;
  if (d.a.empty() && d.b.empty()) {
    part.why = "neither list matches";
  } else if (d.a.empty()) {
    part.why = "no keyword of the first list (" + quoted_list(p.a) + ") matches";
  } else if (d.b.empty()) {
    part.why = "no keyword of the second list (" + quoted_list(p.b) + ") matches";
  } else if (d.only_wrong_order) {
    part.why = "both lists match, but only with the second first (the rule asks for a then b)";
  } else if (d.closest) {
    part.why = "both lists match, but " + std::to_string(*d.closest) + " words apart at the closest (within " +
               std::to_string(p.within) + ")";
  } else {
    part.why = "both lists match, but only on the same words";
  }
  return part;
}

}  // namespace

const char* rule_part_kind_name(RulePart::Kind kind) {
  switch (kind) {
    case RulePart::Kind::kKeyword: return "keyword";
    case RulePart::Kind::kRegex: return "regex";
    case RulePart::Kind::kNear: return "near";
    case RulePart::Kind::kUnless: return "unless";
    case RulePart::Kind::kUnlessRegex: return "unless_regex";
    case RulePart::Kind::kUnlessNear: return "unless_near";
  }
  return "?";
}

RuleDiagnosis RuleEngine::diagnose(std::size_t rule, std::string_view folded) const {
  if (rule >= rules_.rules().size()) {
    throw usage_error("no rule number " + std::to_string(rule) + " in rule set " + rules_.id());
  }
  const Rule& r = rules_.rules()[rule];
  const RuleSetOptions& options = rules_.options();
  const RE2::Options re_options = rules::pattern_options(options);
  RuleDiagnosis d;
  d.rule = rule;
  const auto keyword_part = [&](RulePart::Kind kind, const std::string& keyword) {
    RulePart part;
    part.kind = kind;
    part.written = keyword;
    const RE2 re(compile_keywords({keyword}, r.where, r.id), re_options);
    part.spans = matches(re, folded);
    part.matched = !part.spans.empty();
    if (!part.matched) part.why = "does not occur";
    return part;
  };
  for (const auto& keyword : r.keywords) d.parts.push_back(keyword_part(RulePart::Kind::kKeyword, keyword));
  if (!r.regex.empty()) {
    RulePart part;
    part.kind = RulePart::Kind::kRegex;
    part.written = r.regex;
    const RE2 re(r.pattern, re_options);
    part.spans = matches(re, folded);
    part.matched = RE2::PartialMatch(re2::StringPiece(folded.data(), folded.size()), re);
    if (!part.matched) part.why = regex_failure(r.regex, folded, options);
    d.parts.push_back(std::move(part));
  }
  for (const auto& p : r.near) d.parts.push_back(question_part(RulePart::Kind::kNear, p, folded, options));
  for (const auto& keyword : r.unless) d.parts.push_back(keyword_part(RulePart::Kind::kUnless, keyword));
  for (const auto& regex : r.unless_regex) {
    RulePart part;
    part.kind = RulePart::Kind::kUnlessRegex;
    part.written = regex;
    const RE2 re("(?i)" + rules::fold_regex(regex), re_options);
    part.spans = matches(re, folded);
    part.matched = RE2::PartialMatch(re2::StringPiece(folded.data(), folded.size()), re);
    if (!part.matched) part.why = regex_failure(regex, folded, options);
    d.parts.push_back(std::move(part));
  }
  for (const auto& p : r.unless_near) d.parts.push_back(question_part(RulePart::Kind::kUnlessNear, p, folded, options));
  for (const auto& part : d.parts) {
    if (part.matched && !part.veto()) d.matched = true;
  }
  for (const auto& part : d.parts) {
    if (part.matched && part.veto() && d.matched) d.vetoed = true;
  }
  return d;
}

}  // namespace baro
