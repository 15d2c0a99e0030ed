// Internal: turning a rule's keywords and regex into the RE2 patterns the engine runs on
// folded text, and checking that RE2 accepts each of them within the memory budget.
#pragma once

#include <re2/re2.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baro/rules.hpp"

namespace baro::rules {

// One word of a keyword, folded: `text` is the whole word, or the stem before a `*` suffix
// wildcard (`prefix`).
struct KeywordWord {
  std::string text;
  bool prefix = false;
};

// The words of a keyword (keyword syntax: separated by spaces, hyphens or apostrophes),
// folded. Throws baro::Error (kConfig) naming `rule_id` at `where` for a keyword that folds
// to nothing or uses `*` other than at the end of a word. compile_keywords() and the word
// matcher (rules/proximity.hpp) both read keywords through it, so they cannot disagree.
std::vector<KeywordWord> split_keyword(const std::string& keyword, const SourceLocation& where,
                                       std::string_view rule_id);

// The RE2 options every rule pattern is compiled with.
RE2::Options pattern_options(const RuleSetOptions& options);

// Folds the non-ASCII characters of an RE2 pattern (é → e, œ → oe) and leaves ASCII alone,
// so that escapes such as \D or \S keep their meaning; case is handled by (?i).
std::string fold_regex(std::string_view pattern);

// The scanner's form of one keyword (keyword syntax), for a text padded with one space at
// each end: `CPHRASEC`, C being the word-boundary class. It matches the padded text exactly
// where compile_keywords({keyword}) matches the text, and it is what makes a single-pass
// RE2::Set of thousands of keywords cheap: without `^`/`$`, every keyword starts with the
// same character class, which RE2 factors out of the set, and the keywords' common literal
// prefixes then merge into one trie, so the DFA's states stay small.
std::string padded_keyword_pattern(const std::string& keyword);

// Fills rule.pattern and rule.veto_pattern, compiling each keyword, regex and veto alone first
// so that every one RE2 refuses (or that does not fit its memory budget) is passed to
// `report` with the rule's id and location. The patterns stay empty if anything was reported.
void compile_rule_patterns(Rule& rule, const RuleSetOptions& options, const std::function<void(Error)>& report);

// The RE2 pattern of a rule's `unless_regex` vetoes alone (empty without), as they are
// written inside Rule::veto_pattern.
std::string unless_regex_pattern(const Rule& rule);

// Whether an RE2 pattern looks like a word list near a word list: a group, a bounded gap
// (`.{0,N}`, `[^.]{0,N}`, `.*`), another group — what `near` writes without a regex.
bool looks_like_proximity(std::string_view regex);

// Why one of a rule's own examples contradicts it, or nullopt when it does not: a `match`
// example (should_fire) must make the rule fire, a `no_match` must not. The reason names what
// matched or vetoed, on the normalised text. The rule's patterns must be compiled.
std::optional<std::string> example_contradiction(const Rule& rule, std::string_view example, bool should_fire,
                                                 const RuleSetOptions& options);

}  // namespace baro::rules
