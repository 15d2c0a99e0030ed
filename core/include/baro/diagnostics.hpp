// Rule diagnostics on the stored corpus: what each rule does across a whole barometer, where
// agents' words appear in context, and which words the rules still miss.
//
// A rule that passes its own examples can still be dead on real data, fire on half the
// corpus, or keep losing to another domain. compute_rule_stats() reads a run and says, per
// rule, how often it fired, how often it decided the primary domain and how often its domain
// lost; per pair of domains, how many initiatives carry both labels; worst problems first.
// find_in_context() is the keyword-in-context view a maintainer reads before writing a rule
// (same folding and keyword syntax as rules, so what it finds is what a rule would match);
// suggest_terms() lists the words and two-word phrases most frequent among the initiatives a
// run left unclassified.
//
// Every function reads one consistent snapshot and writes nothing. They throw baro::Error:
// kDataError for a run that does not exist or when nothing has been classified, kConfig for a
// pattern that does not compile (naming it).
//
// Thread-safety: as Store (one connection, one thread at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baro/rules.hpp"
#include "baro/store.hpp"

namespace baro {

// ---- Rule statistics --------------------------------------------------------------------

struct RuleStatsOptions {
  std::optional<std::int64_t> run_id;  // default: the latest run
  // A rule that fires on at least this share of the corpus is flagged "broad": in a
  // nine-domain barometer, one rule touching a tenth of all initiatives is rarely specific.
  double broad_share = 0.10;
  // Runs made before the database recorded their rule list (schema version 1) need the rule
  // set that made them, to know their rules and weights; its content hash must match.
  const RuleSet* rules = nullptr;
  // Only the rules with at least this many hits are listed (0: all, dead ones included);
  // the other figures (initiatives, pairs) are not filtered.
  std::int64_t min_hits = 0;
};

struct RuleStat {
  std::string rule;    // id
  std::string domain;
  double weight = 0.0;
  std::int64_t hits = 0;     // initiatives it fired on
  double share = 0.0;        // hits / initiatives of the run
  // Hits where its domain is the primary one and would not have been without this rule
  // (same scores minus its weight, same tie-break by domain order).
  std::int64_t decided = 0;
  std::int64_t lost = 0;     // hits where another domain is primary (conflict)
  std::int64_t overlap = 0;  // hits where another rule of its domain fired too (redundancy)
  std::string overlaps_most_with;          // that other rule, the most frequent one
  std::int64_t overlaps_most_with_count = 0;
  std::int64_t vetoed = 0;   // matched but vetoed by its `unless`
  // Worst first: "dead" (never fires), "conflict" (its domain loses on at least half its
  // hits), "redundant" (every hit shared with another rule of its domain, never decisive),
  // "broad" (share ≥ broad_share). Empty for a healthy rule.
  std::vector<std::string> problems;
};

struct DomainPair {
  std::string a, b;       // in rule-set order
  std::int64_t both = 0;  // initiatives labelled with both
  double share = 0.0;     // both / initiatives of the run
};

struct RuleStats {
  RunInfo run;
  std::int64_t initiatives = 0;
  std::int64_t unclassified = 0;
  bool vetoes_recorded = true;  // false for runs made before vetoes were stored
  std::vector<RuleStat> rules;  // worst problems first, then by hits
  std::vector<DomainPair> pairs;  // pairs labelled together at least once, most frequent first
};

RuleStats compute_rule_stats(const Store& store, const RuleStatsOptions& options = {});

// The statistics as JSON ("schema": "baro-rule-stats/1"), as `baro rules stats --json` prints.
std::string rule_stats_to_json(const RuleStats& stats);

// ---- Keyword in context ------------------------------------------------------------------

struct KwicOptions {
  // The pattern is a keyword in rule syntax (docs/rules.md: word boundaries, `*` suffix
  // wildcard, any spaces/hyphens/apostrophes between words) unless `regex` is set, in which
  // case it is an RE2 pattern on the folded text, as a rule's "regex".
  bool regex = false;
  // With `near` (a keyword, not with `regex`): the places where the pattern occurs within
  // `within` words of `near`, as a `near` rule reads them (docs/rules.md); a match runs from
  // the first of the two keywords to the end of the second. `a_then_b`: the pattern first.
  std::optional<std::string> near;
  int within = 6;
  bool a_then_b = false;
  // Only initiatives whose primary domain in the run is `domain`, or (unclassified) that
  // have none. Either needs a run: `run_id`, else the latest.
  std::optional<std::string> domain;
  bool unclassified = false;
  std::optional<std::int64_t> run_id;
  std::size_t max_matches = 0;  // 0: all
};

struct KwicMatch {
  std::int64_t initiative_id = 0;
  std::int64_t batch_id = 0;
  std::string source_id;
  std::string text;          // the description as written
  // Its primary domain in KwicResult::labels_run (nullopt: unclassified, or no run at all).
  std::optional<std::string> primary;
  std::size_t begin = 0;     // the match, as byte offsets into `text`, on character boundaries
  std::size_t end = 0;
};

struct KwicResult {
  std::optional<RunInfo> run;       // the run that filtered the initiatives, if any
  // The run each match's primary domain comes from: `run`, else the latest run; nullopt when
  // nothing has been classified.
  std::optional<RunInfo> labels_run;
  std::int64_t searched = 0;        // initiatives searched
  std::int64_t initiatives = 0;     // initiatives with at least one match
  std::int64_t total_matches = 0;   // all matches, even beyond max_matches
  std::vector<KwicMatch> matches;   // by initiative id, then position
};

KwicResult find_in_context(const Store& store, std::string_view pattern, const KwicOptions& options = {});

// One concordance line: the left context right-aligned in exactly `context_columns` display
// columns, the match as written, and the right context cut to `context_columns`. Line
// breaks and tabs in the text become spaces. Lines made with the same `context_columns`
// put every match in the same column, whatever the accents, combining marks or wide
// characters before it.
struct KwicLine {
  std::string left, match, right;
};
KwicLine kwic_line(const KwicMatch& match, std::size_t context_columns);

// ---- Suggestions -------------------------------------------------------------------------

struct SuggestOptions {
  std::optional<std::int64_t> run_id;  // default: the latest run
  std::size_t top = 30;                // words and phrases listed, each
  std::int64_t min_initiatives = 2;    // a term must appear in at least this many
  int within = 5;                      // the window of `near` pairs, in words
};

struct TermCount {
  std::string term;              // folded, as a keyword would be written
  std::int64_t initiatives = 0;  // unclassified initiatives (count_terms: texts) containing it
  std::int64_t occurrences = 0;
};

struct Suggestions {
  RunInfo run;
  std::int64_t unclassified = 0;
  std::vector<TermCount> words;    // most frequent first (by initiatives, then occurrences, then term)
  std::vector<TermCount> phrases;  // two adjacent words, neither a stop word
  // Two words (neither a stop word) within SuggestOptions::within words of each other but not
  // adjacent, as "x … y" in alphabetical order: the start of a `near` rule.
  std::vector<TermCount> near;
};

// Words are runs of letters and digits of the folded text; French stop words (articles,
// prepositions, pronouns, common auxiliaries), single letters and numbers are left out.
Suggestions suggest_terms(const Store& store, const SuggestOptions& options = {});

// The same word statistics over any texts (as written; folded here), e.g. the descriptions of
// one confusion cell of a labelled set (`baro rules suggest --cell`). `options.run_id` is not
// used; `texts` counts them.
struct TermCounts {
  std::int64_t texts = 0;
  std::vector<TermCount> words, phrases, near;  // as in Suggestions
};
TermCounts count_terms(const std::vector<std::string>& texts, const SuggestOptions& options = {});

// Whether `folded_word` is one of the French stop words suggest_terms() leaves out.
bool is_french_stop_word(std::string_view folded_word);

}  // namespace baro
