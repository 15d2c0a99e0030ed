// Internal: turning a rule's keywords and regex into the RE2 patterns the engine runs on
// folded text, and checking that RE2 accepts each of them within the memory budget.
#pragma once

#include <re2/re2.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "baro/rules.hpp"

namespace baro::rules {

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

// Why one of a rule's own examples contradicts it, or nullopt when it does not: a `match`
// example (should_fire) must make the rule fire, a `no_match` must not. The reason names what
// matched or vetoed, on the normalised text. The rule's patterns must be compiled.
std::optional<std::string> example_contradiction(const Rule& rule, std::string_view example, bool should_fire,
                                                 const RuleSetOptions& options);

}  // namespace baro::rules
