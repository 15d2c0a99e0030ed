// Rule sets and the RE2 rules engine: from an initiative's text to its domains.
//
// A rule set is a folder (docs/rules.md has the full format): ruleset.json names the set,
// its version and its ordered domains; one JSON file per domain holds its rules. A rule is
// `keywords` (words or phrases matched on word boundaries, `*` as a word-suffix wildcard,
// any run of spaces, hyphens or apostrophes between words), an RE2 `regex`, or `near` (a
// keyword of one list within N words of a keyword of another), all matched on folded text
// (see normalize.hpp); it has a weight and optional vetoes (`unless`, `unless_regex`,
// `unless_near`). A domain's score comes from the weights of its rules that fired (their sum,
// or with diminishing returns: ScoringSettings), or, when the set has a weights.json written by
// `baro rules fit`, from the fitted weights (FittedWeights); the primary domain has the highest
// score, exact ties going to the earlier domain of the set's precedence list (or, with
// "ties": "first_mention", to the domain named first in the text). score_rules() is
// that one scoring function, shared by RuleEngine and the hyperscan classifier.
//
// RuleSet::load validates everything up front and throws baro::Error (kConfig) naming the
// file, line, column and rule id of the first problem. RuleEngine compiles the patterns into
// one RE2::Set so that a description is scanned once; regex rules run on their own, only on
// texts holding the literal words they need (see
// RuleSetOptions::prefilter); the patterns of the rules that fired are run again
// only when spans are asked for (explain).
//
// Thread-safety: a loaded RuleSet and a built RuleEngine are immutable; classify() and
// spans() may be called from several threads at once. Both are expensive to build and are
// therefore neither copyable nor movable once built (hold them by unique_ptr).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baro/error.hpp"

namespace baro {

struct Domain {
  std::string id;     // e.g. "acces"
  std::string label;  // e.g. "Accès et inclusion numérique"
};

// A proximity question (`near`, `unless_near`): a keyword of `a` and a keyword of `b` occur
// within `within` words of each other. Words are the runs of letters and digits of the
// folded text; two matches are `within` N words when the second starts at most N words
// after the first ends (adjacent words: 1), and they may not share a word.
struct Proximity {
  enum class Order {
    kEither = 1,  // "either" (the default): a before b or b before a
    kAThenB,      // "a_then_b": the keyword of `a` comes first
  };
  std::vector<std::string> a, b;  // keyword syntax, as written
  int within = 0;                 // in words, kMinWithin..kMaxWithin
  Order order = Order::kEither;

  static constexpr int kMinWithin = 1;
  static constexpr int kMaxWithin = 30;
};

struct Rule {
  std::string id;                     // unique in the set, e.g. "acces.epn"
  std::size_t domain = 0;             // index into RuleSet::domains()
  double weight = 1.0;
  std::vector<std::string> keywords;  // as written
  std::string regex;                  // as written; empty for keyword rules
  std::vector<Proximity> near;        // proximity questions: the rule fires when any holds (or a keyword matches)
  std::vector<std::string> unless;        // keyword syntax
  std::vector<std::string> unless_regex;  // RE2 syntax
  std::vector<Proximity> unless_near;     // vetoes when any of them holds
  std::vector<std::string> match_examples;
  std::vector<std::string> no_match_examples;
  std::string comment;
  SourceLocation where;               // the rule's "id" in its file

  // The RE2 patterns actually compiled, on folded text; `pattern` is empty for a `near` rule,
  // `veto_pattern` without `unless` or `unless_regex` (proximity is never a regex).
  std::string pattern;
  std::string veto_pattern;
};

struct Expectation {
  std::string text;
  std::optional<std::string> primary;  // nullopt: must stay unclassified
  std::vector<std::string> also;
  SourceLocation where;
};

// How the weights of a domain's fired rules add up (ruleset.json "scoring"; docs/rules.md,
// "Scoring"). With fitted weights, it still makes the hand-set score that the fitted scale
// multiplies.
struct ScoringSettings {
  enum class Stacking {
    kSum = 1,     // "sum": every fired rule adds its weight (the default)
    kDiminishing  // "diminishing": strongest first, the k-th rule (from 0) adds weight × decay^k
  };
  Stacking stacking = Stacking::kSum;
  double decay = 0.5;  // in (0, 1]; only for kDiminishing
  // How an exact tie on the highest score is broken.
  enum class Ties {
    kPrecedence = 1,  // "precedence": the earlier domain of the precedence list (the default)
    kFirstMention     // "first_mention": the tied domain whose evidence starts earliest in the text
                      // (the codebook's « what the text names first is the object »), then precedence
  };
  Ties ties = Ties::kPrecedence;
};

// Weights fitted on labelled descriptions by `baro rules fit`, read from weights.json beside
// ruleset.json ("format": "baro-weights/2"; docs/rules.md, "Fitted weights"). With them, a
// candidate domain d (one with a fired rule: the candidates, and so "unclassified", are those
// of the hand-set weights) gets the decision value
//     scale × hand_d + offsets[d] + Σ over fired rules r of residuals[r][d]
// where hand_d is its hand-set score (ScoringSettings applied), and its score is the softmax
// of the decision values over the candidate domains: a share in (0, 1], the candidates'
// shares summing to 1. The highest wins; an exact tie goes by precedence.
struct FittedWeights {
  std::string rules_hash;                      // RuleSet::rules_hash() of the set they were fitted on
  double scale = 1.0;                          // how much the hand-set score counts
  std::vector<double> offsets;                 // per domain
  std::vector<std::vector<double>> residuals;  // per rule of the set, per domain (all 0: none learnt)
  std::vector<std::string> unknown_rules;      // ids in weights.json that the set does not have
  std::filesystem::path file;
};

struct RuleSetOptions {
  // RE2 memory budget for each compiled rule and for the whole-set scanner. A pattern that
  // does not fit is reported with its rule id. The scanner's DFA cache comes out of this
  // budget too: too small a budget makes scanning slow, never wrong. The default was chosen
  // with `make bench` (docs/performance.md): with gap rules prefiltered, the scanner's DFA
  // settles well under it on a single pass, and below ~16 MiB it starts discarding states.
  std::int64_t max_mem_bytes = 256ll << 20;
  // How RuleEngine keeps its single pass fast (docs/performance.md). On: each keyword enters
  // the scanner on its own, so that RE2 merges all keywords into one trie, and regex
  // patterns (regex rules, `unless_regex` vetoes) are kept out of it: the scanner looks for
  // the literal words each of them requires (RE2's FilteredRE2 prefilter) and such a pattern
  // runs on its own only on texts that contain them. The labels are exactly the same either
  // way (tests compare the two). Off: one exact pattern per rule in one RE2::Set, regexes
  // with gaps included — the plain reference, many times slower on a cold cache.
  bool prefilter = true;
  // Read weights.json beside ruleset.json when there is one. `baro rules fit` turns it off:
  // it must be able to refit over a file it is about to replace, even a broken one.
  bool fitted_weights = true;
};

class RuleSet;

// What RuleSet::check found: every problem, and the rules that loaded despite them.
struct RuleSetCheck {
  // Null when ruleset.json itself is unusable; otherwise the set without the rules (and
  // expectations) that have a problem, so that the rest can still be examined.
  std::unique_ptr<RuleSet> rules;
  // Every problem, in the order of the files (ruleset.json, the domain files in its order,
  // the expectations), each naming its file, line and column and its rule id; empty when
  // the set is sound.
  std::vector<Error> problems;
  // What does not stop the set from working but should be acted on: fitted weights that were
  // fitted on another version of the rules (each with the command that refits them).
  std::vector<Error> warnings;
  // Advice that is not a problem (the set stays sound): each `regex` or `unless_regex` shaped
  // like a word list near a word list (`(…).{0,N}(…)`), which a `near` rule or an
  // `unless_near` veto says more readably and matches without a regex.
  std::vector<Error> notes;
};

class RuleSet {
 public:
  // Loads and validates the rule set in `dir` (which holds ruleset.json). Throws
  // baro::Error (kConfig) at the first problem.
  static std::unique_ptr<RuleSet> load(const std::filesystem::path& dir,
                                       const RuleSetOptions& options = {});

  // Validates the rule set in `dir` completely, for `baro rules check`: every problem load()
  // would stop at, and also rules without a `match` example, examples that contradict their
  // own rule, and a set that does not fit RE2's memory budget once combined. Never throws
  // for a problem of the set (it is returned); throws only what it cannot report (e.g.
  // std::bad_alloc).
  static RuleSetCheck check(const std::filesystem::path& dir, const RuleSetOptions& options = {});

  const std::string& id() const noexcept { return id_; }
  const std::string& version() const noexcept { return version_; }
  const std::string& language() const noexcept { return language_; }
  const std::string& description() const noexcept { return description_; }
  // XXH3-128 over ruleset.json, the domain files (names and bytes) and weights.json when
  // there is one, 32 hex digits: two rule sets with the same hash label every text alike.
  // Without weights.json it is rules_hash().
  const std::string& content_hash() const noexcept { return content_hash_; }
  // The same over ruleset.json and the domain files only: what fitted weights are tied to.
  const std::string& rules_hash() const noexcept { return rules_hash_; }
  const std::filesystem::path& directory() const noexcept { return directory_; }
  const std::vector<Domain>& domains() const noexcept { return domains_; }
  const std::vector<Rule>& rules() const noexcept { return rules_; }
  const std::vector<Expectation>& expectations() const noexcept { return expectations_; }
  const RuleSetOptions& options() const noexcept { return options_; }
  const ScoringSettings& scoring() const noexcept { return scoring_; }
  // The domains in tie-break order (ruleset.json "precedence"; by default the order of
  // "domains", which is also the reports' display order).
  const std::vector<std::size_t>& precedence() const noexcept { return precedence_; }
  // The position of domain `d` in precedence(): lower wins a tie.
  std::size_t precedence_rank(std::size_t d) const noexcept { return precedence_rank_[d]; }
  // The fitted weights of weights.json; nullptr when the set has none.
  const FittedWeights* fitted() const noexcept { return fitted_ ? &*fitted_ : nullptr; }

  std::optional<std::size_t> find_domain(std::string_view id) const;
  std::optional<std::size_t> find_rule(std::string_view id) const;

 private:
  friend class RuleSetLoader;
  RuleSet() = default;
  std::string id_, version_, language_, description_, content_hash_, rules_hash_;
  std::filesystem::path directory_;
  std::vector<Domain> domains_;
  std::vector<std::size_t> precedence_, precedence_rank_;
  ScoringSettings scoring_;
  std::optional<FittedWeights> fitted_;
  std::vector<Rule> rules_;
  std::vector<Expectation> expectations_;
  RuleSetOptions options_;
};

struct DomainScore {
  std::size_t domain = 0;  // index into RuleSet::domains()
  double score = 0.0;      // > 0: weights (hand-set), or a softmax share (fitted)
  std::vector<std::size_t> rules;  // indices into RuleSet::rules() that fired for it
};

struct Classification {
  std::optional<std::size_t> primary;  // nullopt: unclassified
  std::vector<DomainScore> domains;    // every domain with a fired rule, in rule-set order
  std::vector<std::size_t> fired;      // rules that fired, ascending
  std::vector<std::size_t> vetoed;     // rules that matched but were vetoed by `unless`
  // The best of the other candidate domains; nullopt when the primary is the only one.
  std::optional<std::size_t> runner_up;
  // The primary's score minus the runner-up's (the primary's own score when it is alone);
  // 0 exactly when the two tied and the set's tie rule decided.
  double margin = 0.0;
  // The two tied: the set's tie rule ("precedence", or "first_mention" then precedence) decided.
  bool by_precedence = false;
};

// The one scoring function: from the rules that fired on a text (ascending indices into
// rules.rules()) and those vetoed, its candidate domains, their scores (the set's
// ScoringSettings, or its fitted weights when it has them), its primary domain, runner-up and
// margin. Both RuleEngine and the hyperscan classifier call it, so that they label alike.
Classification score_rules(const RuleSet& rules, const std::vector<std::size_t>& fired,
                           const std::vector<std::size_t>& vetoed);
// The same with the given fitted weights instead of the set's own (nullptr: the hand-set
// weights, whatever weights.json holds): for `baro rules fit`, which compares them.
Classification score_rules(const RuleSet& rules, const std::vector<std::size_t>& fired,
                           const std::vector<std::size_t>& vetoed, const FittedWeights* weights);
// Where fired rule `rule` first matched on the text (byte offset of its earliest span in the
// folded text). Asked only for an exact tie under "ties": "first_mention", so callers can find
// it lazily (RuleEngine::spans); without a locator such ties go by precedence.
using FirstMatch = std::function<std::size_t(std::size_t rule)>;
Classification score_rules(const RuleSet& rules, const std::vector<std::size_t>& fired,
                           const std::vector<std::size_t>& vetoed, const FittedWeights* weights,
                           const FirstMatch& first_match);

// What fired rule `rule` adds to domain `domain`'s decision value under `fitted`: its hand-set
// weight times the scale when the rule is of that domain (as stacked by "sum"), plus its
// residual for that domain. For `explain`.
double fitted_contribution(const RuleSet& rules, const FittedWeights& fitted, std::size_t rule, std::size_t domain);

// A match of a rule on the folded text, as byte offsets into that text.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// One part of a rule (a keyword, its regex, a proximity question, a veto) and what it found
// in a text: RuleEngine::diagnose()'s answer to "why did this rule (not) fire?".
struct RulePart {
  enum class Kind {
    kKeyword = 1,  // one of `keywords`
    kRegex,        // `regex`
    kNear,         // one question of `near`
    kUnless,       // one of `unless`
    kUnlessRegex,  // one of `unless_regex`
    kUnlessNear,   // one question of `unless_near`
  };
  Kind kind = Kind::kKeyword;
  std::string written;      // as the rule writes it; a question as `"a", "b" near "c" within N`
  bool matched = false;     // a question: holds
  std::vector<Span> spans;  // where it matched on the folded text (a question: the words of
                            // each list it found, even when they are too far apart)
  // What failed, when it did not match: for a regex, the first top-level part that does not
  // follow what matched before it (or that matches nowhere); for a question, the list with no
  // match, or how close its two lists come against the window. Empty when matched.
  std::string why;

  bool veto() const { return kind == Kind::kUnless || kind == Kind::kUnlessRegex || kind == Kind::kUnlessNear; }
};

// Why one rule fires or not on one text.
struct RuleDiagnosis {
  std::size_t rule = 0;       // index into RuleSet::rules()
  bool matched = false;       // one of its keywords, its regex or a `near` question matched
  bool vetoed = false;        // it matched and one of its vetoes did too
  bool fires() const { return matched && !vetoed; }
  std::vector<RulePart> parts;  // keywords, regex, `near`, then `unless`, `unless_regex`, `unless_near`, as written
};

// "keyword", "regex", "near", "unless", "unless_regex", "unless_near".
const char* rule_part_kind_name(RulePart::Kind kind);

class RuleEngine {
 public:
  // Compiles every rule of `rules` (which must outlive the engine). Throws baro::Error
  // (kConfig) naming the rule whose pattern RE2 refuses, or, when the rules fit alone but not
  // together in RuleSetOptions::max_mem_bytes, the largest of them.
  explicit RuleEngine(const RuleSet& rules);
  ~RuleEngine();
  RuleEngine(const RuleEngine&) = delete;
  RuleEngine& operator=(const RuleEngine&) = delete;

  const RuleSet& rule_set() const noexcept { return rules_; }

  // Classifies already-folded text (see fold()). When the whole-set scanner runs out of its
  // memory budget on a text, that text is matched rule by rule instead (slower, same result):
  // an exhausted budget never passes for "no match".
  Classification classify(std::string_view folded) const;

  // Every non-overlapping match of rule `rule` on folded text (keyword rules: the keyword
  // itself, without the word boundary around it; `near` rules: both keywords of each pair
  // that holds), in text order.
  std::vector<Span> spans(std::size_t rule, std::string_view folded) const;
  // Every match of rule `rule`'s vetoes on folded text (`unless_near`: both keywords).
  std::vector<Span> veto_spans(std::size_t rule, std::string_view folded) const;

  // Part by part, why rule `rule` fires or not on folded text (`baro explain --rule`). Each
  // part is matched on its own, with the same definitions as classify(): a rule fires in
  // classify() exactly when its diagnosis fires(). Slower than classify() (each part is
  // compiled on the spot): for one text at a time. Throws baro::Error (kUsage) for a rule
  // index out of range.
  RuleDiagnosis diagnose(std::size_t rule, std::string_view folded) const;

 private:
  struct Impl;
  // Per rule while classifying: matched, and vetoed by its `unless`.
  enum : unsigned char { kMatched = 1, kVetoed = 2 };
  Classification classify_rule_by_rule(std::string_view folded) const;
  Classification score(const std::vector<unsigned char>& state, std::string_view folded) const;

  const RuleSet& rules_;
  std::unique_ptr<Impl> impl_;
};

// The RE2 pattern (on folded text) for a list of keywords; throws baro::Error (kConfig) for
// a keyword that folds to nothing or uses `*` other than at the end of a word. Exposed for
// `baro rules check`, tests and the fuzzer.
std::string compile_keywords(const std::vector<std::string>& keywords, const SourceLocation& where,
                             std::string_view rule_id);

}  // namespace baro
