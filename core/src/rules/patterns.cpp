#include "rules/patterns.hpp"

#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "rules/proximity.hpp"

#include <optional>

namespace baro {
namespace {

// Word boundaries on folded text. RE2's \b only knows ASCII word characters and RE2 has no
// lookaround, so the boundary is consumed: an ASCII character that is not a letter or digit,
// or the edge of the text. Any non-ASCII character counts as part of a word: after folding,
// French text is ASCII, and what stays non-ASCII is another script's letters or a symbol.
// (The Unicode classes \pL and \pN would say the same for letters, but each use compiles
// into thousands of instructions: a few hundred rules then exceed any sane memory budget.)
// Group 1 is the keyword itself (used for spans).
constexpr std::string_view kBoundary = R"([^a-z0-9\x{80}-\x{10FFFF}])";
constexpr std::string_view kBefore = R"((?:^|[^a-z0-9\x{80}-\x{10FFFF}]))";
constexpr std::string_view kAfter = R"((?:[^a-z0-9\x{80}-\x{10FFFF}]|$))";
// Between the words of a phrase: any run of spaces, hyphens or apostrophes.
constexpr std::string_view kBetweenWords = R"([ '\-]+)";
constexpr std::string_view kWordSuffix = R"([a-z0-9\x{80}-\x{10FFFF}]*)";

bool is_separator(char c) { return c == ' ' || c == '-' || c == '\''; }

}  // namespace

namespace rules {

std::vector<KeywordWord> split_keyword(const std::string& keyword, const SourceLocation& where,
                                       std::string_view rule_id) {
  const std::string folded = fold(keyword);
  std::vector<KeywordWord> words;
  std::string word;
  const auto flush = [&] {
    if (word.empty()) return;
    const auto star = word.find('*');
    if (star != std::string::npos && star != word.size() - 1) {
      throw config_error("keyword \"" + keyword + "\" of rule " + std::string(rule_id) +
                             ": '*' is a suffix wildcard and may only end a word",
                         where, "write e.g. \"numeri*\"; use a \"regex\" rule for anything more complex");
    }
    if (word == "*") {
      throw config_error("keyword \"" + keyword + "\" of rule " + std::string(rule_id) + ": a lone '*' matches any word",
                         where, "attach the wildcard to the start of a word, e.g. \"atelier*\"");
    }
    const bool prefix = star != std::string::npos;
    if (prefix) word.pop_back();
    words.push_back({std::move(word), prefix});
    word.clear();
  };
  for (char c : folded) {
    if (is_separator(c)) {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  if (words.empty()) {
    throw config_error("keyword \"" + keyword + "\" of rule " + std::string(rule_id) +
                           " is empty once spaces, hyphens and apostrophes are removed",
                       where, "remove it, or write the word it should match");
  }
  return words;
}

}  // namespace rules

std::string compile_keywords(const std::vector<std::string>& keywords, const SourceLocation& where,
                             std::string_view rule_id) {
  std::string alternatives;
  for (const auto& keyword : keywords) {
    std::string phrase;
    for (const auto& w : rules::split_keyword(keyword, where, rule_id)) {
      if (!phrase.empty()) phrase += kBetweenWords;
      phrase += RE2::QuoteMeta(w.text);
      if (w.prefix) phrase += kWordSuffix;
    }
    if (!alternatives.empty()) alternatives += '|';
    alternatives += phrase;
  }
  return std::string(kBefore) + "(" + alternatives + ")" + std::string(kAfter);
}

namespace rules {

RE2::Options pattern_options(const RuleSetOptions& options) {
  RE2::Options re2_options;
  re2_options.set_log_errors(false);
  re2_options.set_max_mem(options.max_mem_bytes);
  re2_options.set_encoding(RE2::Options::EncodingUTF8);
  return re2_options;
}

std::string fold_regex(std::string_view pattern) {
  std::string out;
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    const auto c = static_cast<unsigned char>(pattern[pos]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++pos;
      continue;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    len = std::min(len, pattern.size() - pos);
    out += fold(pattern.substr(pos, len));
    pos += len;
  }
  return out;
}

std::string padded_keyword_pattern(const std::string& keyword) {
  // The exact pattern of this keyword alone, its `(?:^|C)(` and `)(?:C|$)` replaced by C.
  const std::string exact = compile_keywords({keyword}, {}, {});
  std::string_view phrase(exact);
  phrase.remove_prefix(kBefore.size() + 1);
  phrase.remove_suffix(kAfter.size() + 1);
  return std::string(kBoundary) + std::string(phrase) + std::string(kBoundary);
}

namespace {

std::string regex_alternatives(const std::vector<std::string>& patterns) {
  std::string out;
  for (const auto& p : patterns) {
    if (!out.empty()) out += '|';
    out += "(?:" + fold_regex(p) + ")";
  }
  return out;
}

void check_compiles(const std::string& pattern, const Rule& rule, const RuleSetOptions& options,
                    std::string_view what) {
  RE2 re(pattern, pattern_options(options));
  if (re.ok()) return;
  if (re.error_code() == RE2::ErrorPatternTooLarge) {
    throw config_error("the " + std::string(what) + " of rule " + rule.id + " is too large for RE2's memory limit (" +
                           std::to_string(options.max_mem_bytes >> 20) + " MiB)",
                       rule.where, "shorten its bounded repeats such as .{0,1000}, or split the rule");
  }
  throw config_error("RE2 cannot compile the " + std::string(what) + " of rule " + rule.id + ": " + re.error(),
                     rule.where, "RE2 syntax has no lookaround or backreference; see docs/rules.md");
}

}  // namespace

std::string unless_regex_pattern(const Rule& rule) {
  if (rule.unless_regex.empty()) return {};
  return "(?i)(" + regex_alternatives(rule.unless_regex) + ")";
}

bool looks_like_proximity(std::string_view regex) {
  // A group or a word ends (optionally a `?` or a plural `s?`, then `\b` or a space), a gap of
  // any character or of a negated class, then (optionally `\b` or a space) a group opens.
  static const RE2 kShape(R"((?:\)|[a-z])(?:[a-z]\?|\?)?(?:\\b| )?(?:\.|\[\^[^\]]*\])(?:\{0,\d+\}|\*)(?:\\b| )?\()");
  return RE2::PartialMatch(re2::StringPiece(regex.data(), regex.size()), kShape);
}

void compile_rule_patterns(Rule& rule, const RuleSetOptions& options, const std::function<void(Error)>& report) {
  // Each keyword and veto is tried alone first, so that every bad one is named, not only the
  // first of the combined pattern.
  bool ok = true;
  const auto attempt = [&](const auto& compile) {
    try {
      compile();
    } catch (Error& e) {
      ok = false;
      report(std::move(e));
    }
  };
  for (const auto& keyword : rule.keywords) {
    attempt([&] { check_compiles(compile_keywords({keyword}, rule.where, rule.id), rule, options, "keywords"); });
  }
  if (!rule.regex.empty()) attempt([&] { check_compiles("(?i)" + fold_regex(rule.regex), rule, options, "regex"); });
  for (const auto* questions : {&rule.near, &rule.unless_near}) {
    const char* what = questions == &rule.near ? "near" : "unless_near";
    for (const auto& p : *questions) {
      for (const auto* list : {&p.a, &p.b}) {
        for (const auto& keyword : *list) {
          attempt([&] { check_compiles(compile_keywords({keyword}, rule.where, rule.id), rule, options, what); });
        }
      }
    }
  }
  for (const auto& keyword : rule.unless) {
    attempt([&] { check_compiles(compile_keywords({keyword}, rule.where, rule.id), rule, options, "unless"); });
  }
  for (const auto& p : rule.unless_regex) {
    attempt([&] { check_compiles("(?i)" + fold_regex(p), rule, options, "unless_regex"); });
  }
  if (!ok) return;

  attempt([&] {
    if (!rule.keywords.empty()) {
      rule.pattern = compile_keywords(rule.keywords, rule.where, rule.id);
      check_compiles(rule.pattern, rule, options, "keywords");
    } else if (!rule.regex.empty()) {
      rule.pattern = "(?i)(" + fold_regex(rule.regex) + ")";
      check_compiles(rule.pattern, rule, options, "regex");
    }
    std::string veto;
    if (!rule.unless.empty()) veto = compile_keywords(rule.unless, rule.where, rule.id);
    if (!rule.unless_regex.empty()) {
      const std::string regexes = unless_regex_pattern(rule);
      veto = veto.empty() ? regexes : "(?:" + veto + ")|(?:" + regexes + ")";
    }
    if (!veto.empty()) check_compiles(veto, rule, options, "vetoes");
    rule.veto_pattern = std::move(veto);
  });
}

std::optional<std::string> example_contradiction(const Rule& rule, std::string_view example, bool should_fire,
                                                 const RuleSetOptions& options) {
  const std::string folded = fold(example);
  // The words matched: the first capturing group that took part (a keyword without its word
  // boundaries, or the regex), else the whole match; nullopt when there is no match.
  const auto first_match = [&](const std::string& pattern) -> std::optional<std::string> {
    const RE2 re(pattern, pattern_options(options));
    std::vector<re2::StringPiece> groups(static_cast<std::size_t>(re.NumberOfCapturingGroups()) + 1);
    if (!re.Match(folded, 0, folded.size(), RE2::UNANCHORED, groups.data(), static_cast<int>(groups.size()))) {
      return std::nullopt;
    }
    for (std::size_t g = 1; g < groups.size(); ++g) {
      if (groups[g].data() != nullptr) return std::string(groups[g].data(), groups[g].size());
    }
    return std::string(groups[0].data(), groups[0].size());
  };
  // The words of the first proximity question that holds, as "x … y".
  const auto first_near = [&](const std::vector<Proximity>& questions) -> std::optional<std::string> {
    for (const auto& p : questions) {
      const auto spans = ExactProximity(p, options).spans(folded);
      if (spans.empty()) continue;
      std::string words;
      for (const auto& span : spans) {
        words += (words.empty() ? "" : " … ") + folded.substr(span.begin, span.end - span.begin);
      }
      return words;
    }
    return std::nullopt;
  };
  auto hit = rule.pattern.empty() ? std::nullopt : first_match(rule.pattern);
  if (!hit) hit = first_near(rule.near);
  const bool hits = hit.has_value();
  const std::string matched = hit.value_or("");
  std::optional<std::string> veto;
  if (hits && !rule.veto_pattern.empty()) veto = first_match(rule.veto_pattern);
  if (hits && !veto) veto = first_near(rule.unless_near);
  const bool vetoed = veto.has_value();
  const std::string vetoed_by = veto.value_or("");
  if (should_fire) {
    if (!hits) {
      if (!rule.regex.empty()) return std::string("its regex does not match");
      if (rule.near.empty()) return std::string("none of its keywords matches");
      return std::string(rule.keywords.empty() ? "" : "none of its keywords matches, and ") +
             "no keyword of \"a\" is near enough to one of \"b\" in its `near`";
    }
    if (vetoed) return "its `unless` vetoes it (\"" + vetoed_by + "\" in the normalised text)";
    return std::nullopt;
  }
  if (hits && !vetoed) return "it fires (matched \"" + matched + "\" in the normalised text)";
  return std::nullopt;
}

}  // namespace rules
}  // namespace baro
