// Internal: keywords found word by word, with their positions, and the one definition of
// proximity (`near` rules, `unless_near` vetoes) evaluated on those positions.
//
// RE2::Set says which keywords occur in a text, not where, and proximity needs where. So the
// text is cut into words (maximal runs of ASCII letters and digits and non-ASCII characters,
// exactly what the keyword patterns call a word) and every keyword is looked up word by word:
// the first word of each keyword sits in a byte trie, and the rest of a phrase is compared
// with the words that follow. A keyword match is then a span of word positions, and two
// matches are near when their positions say so. There is no regex and no automaton state
// per byte, whatever the number of proximity rules.
//
// WordMatcher is what RuleEngine's single pass runs (every keyword of the set, positions
// included) and what the hyperscan plugin calls for the proximity questions, so that both
// label alike with one implementation. ExactProximity is the plain definition, on RE2's
// matches of each keyword list: RuleEngine's reference mode (RuleSetOptions::prefilter off),
// `baro explain`'s spans and `baro rules check` use it, and tests compare the two.
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baro/rules.hpp"

namespace baro::rules {

// A rule's state while a text is classified, as RuleEngine and the hyperscan plugin keep it.
enum : unsigned char {
  kRuleMatched = 1,  // its keywords, regex or proximity question matched
  kRuleVetoed = 2,   // one of its vetoes matched
};

// A word of a folded text, as byte offsets.
struct Word {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool joined = false;  // only spaces, hyphens and apostrophes since the previous word
};

// Cuts folded text (valid UTF-8) into its words.
void split_words(std::string_view folded, std::vector<Word>& words);

// A keyword match, as the positions of its first and last words.
struct WordSpan {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
};

// Whether a match of `a` and a match of `b` satisfy `p`: no shared word, the later starting
// at most p.within words after the earlier ends, `a` first when p.order says so. When
// `pairs` is given, every satisfying pair is appended to it (a then b); otherwise the search
// stops at the first.
bool near_holds(const Proximity& p, const std::vector<WordSpan>& a, const std::vector<WordSpan>& b,
                std::vector<std::pair<WordSpan, WordSpan>>* pairs = nullptr);

// Every keyword of a rule set (or only those of its proximity questions), matched word by
// word in one pass over the words of a text. Immutable once built; match() may run on
// several threads at once, each with its own Scratch.
class WordMatcher {
 public:
  // What a match() needs per call; reused, it allocates nothing once grown.
  struct Scratch {
    std::vector<Word> words;
    std::vector<std::vector<WordSpan>> sides;  // per proximity side
    std::vector<std::uint32_t> touched;        // sides with spans
  };

  // `keyword_rules`: also the keywords of keyword rules and `unless` vetoes whose words are
  // plain (see is_plain_keyword); false: only the keyword lists of `near` and `unless_near`.
  // Throws baro::Error (kConfig) as compile_keywords does; RuleSet::load has checked them.
  WordMatcher(const RuleSet& rules, bool keyword_rules);
  ~WordMatcher();
  WordMatcher(const WordMatcher&) = delete;
  WordMatcher& operator=(const WordMatcher&) = delete;

  // Whether a keyword rule (or `unless` keyword) can be matched word by word: its words hold
  // only letters, digits and non-ASCII characters once folded. Others (`c++`, `3.0`) stay
  // with RE2; in proximity lists they are matched by RE2 and mapped to word positions.
  static bool is_plain_keyword(const std::string& keyword);

  // Sets kRuleMatched on the rules whose keywords (keyword_rules) or `near` questions match
  // `folded`, kRuleVetoed on those whose `unless` keywords (keyword_rules) or `unless_near`
  // questions match. `state` has one entry per rule; nothing is ever cleared.
  void match(std::string_view folded, std::vector<unsigned char>& state, Scratch& scratch) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A proximity question on RE2's matches of its two keyword lists (compile_keywords): the
// plain definition WordMatcher must agree with. Not thread-safe to build; const use is.
class ExactProximity {
 public:
  ExactProximity(const Proximity& p, const RuleSetOptions& options);
  bool holds(std::string_view folded) const;
  // The matches of both lists that take part in a satisfying pair, in text order, as byte
  // offsets (empty when the question does not hold).
  std::vector<Span> spans(std::string_view folded) const;
  // Each satisfying pair as one span, from the start of the earlier keyword to the end of
  // the later, in text order (`baro kwic --near`).
  std::vector<Span> pair_spans(std::string_view folded) const;

  // Why the question holds or not (`baro explain --rule`): the matches of each list and how
  // close they come.
  struct Diagnosis {
    std::vector<Span> a, b;  // every match of each list, as byte offsets, in list order
    bool holds = false;
    // The fewest words from the end of one match to the start of the other over the pairs in
    // an order the question allows (1: adjacent); nullopt when there is no such pair.
    std::optional<std::uint32_t> closest;
    // Pairs within the window exist, but only with `b` first (order a_then_b).
    bool only_wrong_order = false;
    // Every pair in an allowed order shares a word.
    bool only_overlapping = false;
  };
  Diagnosis diagnose(std::string_view folded) const;

 private:
  using Patterns = std::vector<std::unique_ptr<RE2>>;
  static Patterns each_keyword(const std::vector<std::string>& keywords, const RuleSetOptions& options);
  // Every match of every keyword (one pattern each: at one start, two keywords of a list may
  // end on different words), at every start.
  static std::vector<WordSpan> word_spans(const Patterns& keywords, std::string_view folded,
                                          const std::vector<Word>& words, std::vector<Span>* bytes);
  const Proximity& p_;
  RE2 a_, b_;  // the whole lists, to skip texts where one side is absent
  Patterns a_keywords_, b_keywords_;
};

}  // namespace baro::rules
