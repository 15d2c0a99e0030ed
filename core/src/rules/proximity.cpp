#include "rules/proximity.hpp"

#include <algorithm>
#include <unordered_map>

#include "baro/error.hpp"
#include "rules/patterns.hpp"

namespace baro::rules {
namespace {

// What the keyword patterns call a word character (patterns.cpp): an ASCII letter or digit,
// or any byte of a non-ASCII character.
bool is_word_byte(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80; }
bool is_joiner(char c) { return c == ' ' || c == '-' || c == '\''; }

bool word_matches(std::string_view word, const KeywordWord& pattern) {
  return pattern.prefix ? word.starts_with(pattern.text) : word == pattern.text;
}

// The word positions of a match [begin, end) in bytes: the first word ending after `begin`
// and the last starting before `end`. False when no word lies inside (a keyword of symbols).
bool to_word_span(const std::vector<Word>& words, std::size_t begin, std::size_t end, WordSpan& out) {
  const auto first = std::partition_point(words.begin(), words.end(), [&](const Word& w) { return w.end <= begin; });
  const auto after = std::partition_point(words.begin(), words.end(), [&](const Word& w) { return w.begin < end; });
  if (first >= after) return false;
  out = {static_cast<std::uint32_t>(first - words.begin()), static_cast<std::uint32_t>(after - words.begin() - 1)};
  return true;
}

// Every match of `re` (an exact keyword pattern: group 1 is the keyword), at every start:
// matches of one keyword may overlap ("le le" in "le le le"), and each start counts.
template <typename OnMatch>
void each_match(const RE2& re, std::string_view text, OnMatch&& on_match) {
  const re2::StringPiece whole(text.data(), text.size());
  re2::StringPiece groups[2];
  std::size_t pos = 0;
  while (pos <= text.size() && re.Match(whole, pos, text.size(), RE2::UNANCHORED, groups, 2)) {
    if (groups[1].data() == nullptr) break;
    const auto begin = static_cast<std::size_t>(groups[1].data() - text.data());
    on_match(begin, begin + groups[1].size());
    pos = begin + 1;
  }
}

}  // namespace

void split_words(std::string_view folded, std::vector<Word>& words) {
  words.clear();
  bool joined = false;
  std::size_t i = 0;
  const std::size_t n = folded.size();
  while (i < n) {
    if (!is_word_byte(static_cast<unsigned char>(folded[i]))) {
      if (!is_joiner(folded[i])) joined = false;
      ++i;
      continue;
    }
    const std::size_t begin = i;
    while (i < n && is_word_byte(static_cast<unsigned char>(folded[i]))) ++i;
    words.push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(i), joined && !words.empty()});
    joined = true;
  }
}

bool near_holds(const Proximity& p, const std::vector<WordSpan>& a, const std::vector<WordSpan>& b,
                std::vector<std::pair<WordSpan, WordSpan>>* pairs) {
  const auto within = static_cast<std::uint32_t>(p.within);
  bool holds = false;
  for (const WordSpan& x : a) {
    for (const WordSpan& y : b) {
      const bool a_first = x.last < y.first && y.first - x.last <= within;
      const bool b_first = p.order == Proximity::Order::kEither && y.last < x.first && x.first - y.last <= within;
      if (!a_first && !b_first) continue;
      holds = true;
      if (pairs == nullptr) return true;
      pairs->emplace_back(x, y);
    }
  }
  return holds;
}

// ---------------------------------------------------------------------------------------
// WordMatcher

struct WordMatcher::Impl {
  // What a keyword's match means: rule `index` matched or is vetoed, or a match on
  // proximity side `index`.
  struct Use {
    enum class Kind : unsigned char { kRuleMatch = 1, kRuleVeto, kSide } kind = Kind::kRuleMatch;
    std::uint32_t index = 0;
  };
  struct Keyword {
    std::vector<KeywordWord> words;
    std::vector<Use> uses;
  };
  // A keyword waiting at a trie node, with the first byte of its second word (0 for a single
  // word): frequent words (« des », « pour ») start many phrases, and most are rejected on
  // that byte without reading the keyword itself.
  struct Candidate {
    std::uint32_t id = 0;
    unsigned char next = 0;
  };
  // A byte trie of the keywords' first words. A node lists the keywords whose first word is
  // exactly the bytes leading to it, and those whose first word's stem (before `*`) is.
  struct Node {
    std::vector<unsigned char> labels;  // sorted
    std::vector<std::uint32_t> children;
    std::vector<Candidate> exact, prefix;
  };
  // A distinct proximity question and the rules it decides: rules often share one (the
  // staff-training veto sits on twenty rules), and it is matched and decided once per text.
  struct Target {
    std::uint32_t rule = 0;
    bool veto = false;
  };
  struct Clause {
    const Proximity* proximity = nullptr;
    std::uint32_t a_side = 0, b_side = 0;
    std::vector<Target> targets;
  };
  // A proximity keyword that is not plain: RE2 finds it, and its matches become word spans.
  struct OddKeyword {
    std::unique_ptr<RE2> re;
    std::vector<std::uint32_t> sides;
  };

  std::uint32_t child(std::uint32_t node, unsigned char c) const {
    const Node& n = nodes[node];
    const auto it = std::lower_bound(n.labels.begin(), n.labels.end(), c);
    if (it == n.labels.end() || *it != c) return 0;
    return n.children[static_cast<std::size_t>(it - n.labels.begin())];
  }

  // The trie once built, in contiguous arrays: the scan is a walk of the trie per word of
  // text, and one heap block per node made it a chain of cache misses.
  struct FlatNode {
    std::uint32_t child_begin = 0, child_count = 0;
    std::uint32_t exact_begin = 0, exact_count = 0;
    std::uint32_t prefix_begin = 0, prefix_count = 0;
  };
  void flatten() {
    flat.resize(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const Node& n = nodes[i];
      FlatNode& f = flat[i];
      f.child_begin = static_cast<std::uint32_t>(labels.size());
      f.child_count = static_cast<std::uint32_t>(n.labels.size());
      labels.insert(labels.end(), n.labels.begin(), n.labels.end());
      children.insert(children.end(), n.children.begin(), n.children.end());
      f.exact_begin = static_cast<std::uint32_t>(candidates.size());
      f.exact_count = static_cast<std::uint32_t>(n.exact.size());
      candidates.insert(candidates.end(), n.exact.begin(), n.exact.end());
      f.prefix_begin = static_cast<std::uint32_t>(candidates.size());
      f.prefix_count = static_cast<std::uint32_t>(n.prefix.size());
      candidates.insert(candidates.end(), n.prefix.begin(), n.prefix.end());
    }
    for (unsigned c = 0; c < 256; ++c) root[c] = child(0, static_cast<unsigned char>(c));
    nodes.clear();
    nodes.shrink_to_fit();
  }
  std::uint32_t flat_child(std::uint32_t node, unsigned char c) const {
    if (node == 0) return root[c];
    const FlatNode& n = flat[node];
    const unsigned char* begin = labels.data() + n.child_begin;
    const unsigned char* end = begin + n.child_count;
    const unsigned char* it = std::lower_bound(begin, end, c);
    if (it == end || *it != c) return 0;
    return children[n.child_begin + static_cast<std::uint32_t>(it - begin)];
  }

  std::uint32_t add_child(std::uint32_t node, unsigned char c) {
    if (const std::uint32_t existing = child(node, c); existing != 0) return existing;
    const auto next = static_cast<std::uint32_t>(nodes.size());
    nodes.emplace_back();
    Node& n = nodes[node];
    const auto at = std::lower_bound(n.labels.begin(), n.labels.end(), c) - n.labels.begin();
    n.labels.insert(n.labels.begin() + at, c);
    n.children.insert(n.children.begin() + at, next);
    return next;
  }

  // The id of `keyword` (folded words), added on first sight.
  std::uint32_t keyword_id(const std::vector<KeywordWord>& words) {
    std::string key;
    for (const auto& w : words) key += w.text + (w.prefix ? "* " : " ");
    const auto [it, added] = ids.try_emplace(key, static_cast<std::uint32_t>(keywords.size()));
    if (!added) return it->second;
    keywords.push_back({words, {}});
    std::uint32_t node = 0;
    for (char c : words.front().text) node = add_child(node, static_cast<unsigned char>(c));
    const auto next = static_cast<unsigned char>(words.size() > 1 ? words[1].text.front() : '\0');
    (words.front().prefix ? nodes[node].prefix : nodes[node].exact).push_back({it->second, next});
    return it->second;
  }

  void add(const std::string& keyword, const Rule& rule, Use use, const RuleSetOptions& options) {
    if (is_plain_keyword(keyword)) {
      keywords[keyword_id(split_keyword(keyword, rule.where, rule.id))].uses.push_back(use);
      return;
    }
    if (use.kind != Use::Kind::kSide) return;  // RuleEngine keeps it in its RE2::Set
    OddKeyword odd;
    odd.re = std::make_unique<RE2>(compile_keywords({keyword}, rule.where, rule.id), pattern_options(options));
    if (!odd.re->ok()) throw config_error("RE2 refuses keyword \"" + keyword + "\" of rule " + rule.id, rule.where);
    odd.sides.push_back(use.index);
    odd_keywords.push_back(std::move(odd));
  }

  // The last word of `keyword` when it matches from word `i`, or -1.
  long match_from(const Keyword& keyword, std::string_view text, const std::vector<Word>& words, std::size_t i) const {
    std::size_t j = i;
    for (std::size_t k = 1; k < keyword.words.size(); ++k) {
      if (++j >= words.size() || !words[j].joined) return -1;
      if (!word_matches(text.substr(words[j].begin, words[j].end - words[j].begin), keyword.words[k])) return -1;
    }
    return static_cast<long>(j);
  }

  void record(std::uint32_t id, WordSpan span, std::vector<unsigned char>& state, Scratch& scratch) const {
    for (const Use& use : keywords[id].uses) {
      switch (use.kind) {
        case Use::Kind::kRuleMatch: state[use.index] |= kRuleMatched; break;
        case Use::Kind::kRuleVeto: state[use.index] |= kRuleVetoed; break;
        case Use::Kind::kSide: side(use.index, span, scratch); break;
      }
    }
  }

  static void side(std::uint32_t s, WordSpan span, Scratch& scratch) {
    auto& spans = scratch.sides[s];
    if (spans.empty()) scratch.touched.push_back(s);
    spans.push_back(span);
  }

  std::vector<Node> nodes = std::vector<Node>(1);  // the root; while building only
  std::vector<FlatNode> flat;
  std::vector<unsigned char> labels;
  std::vector<std::uint32_t> children;
  std::vector<Candidate> candidates;
  std::uint32_t root[256] = {};
  std::vector<Keyword> keywords;
  std::unordered_map<std::string, std::uint32_t> ids;
  std::vector<Clause> clauses;
  std::unordered_map<std::string, std::uint32_t> clause_ids;  // by the question's canonical text
  std::vector<OddKeyword> odd_keywords;
  std::uint32_t sides = 0;
};

WordMatcher::WordMatcher(const RuleSet& rules, bool keyword_rules) : impl_(std::make_unique<Impl>()) {
  using Use = Impl::Use;
  const auto& all = rules.rules();
  for (std::size_t r = 0; r < all.size(); ++r) {
    const Rule& rule = all[r];
    const auto index = static_cast<std::uint32_t>(r);
    if (keyword_rules) {
      for (const auto& k : rule.keywords) impl_->add(k, rule, {Use::Kind::kRuleMatch, index}, rules.options());
      for (const auto& k : rule.unless) impl_->add(k, rule, {Use::Kind::kRuleVeto, index}, rules.options());
    }
    const auto add_clauses = [&](const std::vector<Proximity>& questions, bool veto) {
      for (const Proximity& p : questions) {
        std::string key = std::to_string(p.within) + (p.order == Proximity::Order::kAThenB ? ">" : "~");
        for (const auto* list : {&p.a, &p.b}) {
          std::vector<std::string> sorted = *list;
          std::sort(sorted.begin(), sorted.end());
          key += '\n';
          for (const auto& k : sorted) key += k + '\t';
        }
        const auto [known, added] = impl_->clause_ids.try_emplace(key, static_cast<std::uint32_t>(impl_->clauses.size()));
        if (!added) {
          impl_->clauses[known->second].targets.push_back({index, veto});
          continue;
        }
        Impl::Clause clause{&p, impl_->sides, impl_->sides + 1, {{index, veto}}};
        impl_->sides += 2;
        for (const auto& k : p.a) impl_->add(k, rule, {Use::Kind::kSide, clause.a_side}, rules.options());
        for (const auto& k : p.b) impl_->add(k, rule, {Use::Kind::kSide, clause.b_side}, rules.options());
        impl_->clauses.push_back(std::move(clause));
      }
    };
    add_clauses(rule.near, false);
    add_clauses(rule.unless_near, true);
  }
  impl_->flatten();
}

WordMatcher::~WordMatcher() = default;

bool WordMatcher::is_plain_keyword(const std::string& keyword) {
  try {
    for (const auto& w : split_keyword(keyword, {}, {})) {
      for (char c : w.text) {
        if (!is_word_byte(static_cast<unsigned char>(c))) return false;
      }
    }
    return true;
  } catch (const Error&) {
    return false;  // RuleSet::load refuses it
  }
}

void WordMatcher::match(std::string_view folded, std::vector<unsigned char>& state, Scratch& scratch) const {
  const Impl& m = *impl_;
  if (m.keywords.empty() && m.odd_keywords.empty()) return;
  split_words(folded, scratch.words);
  const auto& words = scratch.words;
  if (scratch.sides.size() < m.sides) scratch.sides.resize(m.sides);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view word = folded.substr(words[i].begin, words[i].end - words[i].begin);
    // The first byte of the next word when it is joined to this one, else 0 (no phrase can go on).
    const unsigned char next =
        i + 1 < words.size() && words[i + 1].joined ? static_cast<unsigned char>(folded[words[i + 1].begin]) : 0;
    const auto try_keywords = [&](std::uint32_t begin, std::uint32_t count) {
      for (std::uint32_t k = begin; k < begin + count; ++k) {
        const Impl::Candidate& c = m.candidates[k];
        if (c.next != 0 && c.next != next) continue;
        const long last = c.next == 0 ? static_cast<long>(i) : m.match_from(m.keywords[c.id], folded, words, i);
        if (last >= 0) m.record(c.id, {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(last)}, state, scratch);
      }
    };
    std::uint32_t node = 0;
    for (std::size_t k = 0; k < word.size(); ++k) {
      node = m.flat_child(node, static_cast<unsigned char>(word[k]));
      if (node == 0) break;
      const Impl::FlatNode& f = m.flat[node];
      if (f.prefix_count != 0) try_keywords(f.prefix_begin, f.prefix_count);
      if (k + 1 == word.size() && f.exact_count != 0) try_keywords(f.exact_begin, f.exact_count);
    }
  }
  for (const auto& odd : m.odd_keywords) {
    each_match(*odd.re, folded, [&](std::size_t begin, std::size_t end) {
      WordSpan span;
      if (!to_word_span(words, begin, end, span)) return;
      for (std::uint32_t s : odd.sides) Impl::side(s, span, scratch);
    });
  }
  if (!scratch.touched.empty()) {
    for (const auto& clause : m.clauses) {
      const auto& a = scratch.sides[clause.a_side];
      const auto& b = scratch.sides[clause.b_side];
      if (a.empty() || b.empty()) continue;
      if (!near_holds(*clause.proximity, a, b)) continue;
      for (const auto& t : clause.targets) state[t.rule] |= t.veto ? kRuleVetoed : kRuleMatched;
    }
    for (std::uint32_t s : scratch.touched) scratch.sides[s].clear();
    scratch.touched.clear();
  }
}

// ---------------------------------------------------------------------------------------
// ExactProximity

ExactProximity::ExactProximity(const Proximity& p, const RuleSetOptions& options)
    : p_(p), a_(compile_keywords(p.a, {}, "near"), pattern_options(options)),
      b_(compile_keywords(p.b, {}, "near"), pattern_options(options)),
      a_keywords_(each_keyword(p.a, options)),
      b_keywords_(each_keyword(p.b, options)) {}

ExactProximity::Patterns ExactProximity::each_keyword(const std::vector<std::string>& keywords,
                                                      const RuleSetOptions& options) {
  Patterns out;
  for (const auto& k : keywords) out.push_back(std::make_unique<RE2>(compile_keywords({k}, {}, "near"), pattern_options(options)));
  return out;
}

std::vector<WordSpan> ExactProximity::word_spans(const Patterns& keywords, std::string_view folded,
                                                 const std::vector<Word>& words, std::vector<Span>* bytes) {
  std::vector<WordSpan> out;
  for (const auto& re : keywords) {
    each_match(*re, folded, [&](std::size_t begin, std::size_t end) {
      WordSpan span;
      if (!to_word_span(words, begin, end, span)) return;
      out.push_back(span);
      if (bytes != nullptr) bytes->push_back({begin, end});
    });
  }
  return out;
}

bool ExactProximity::holds(std::string_view folded) const {
  const re2::StringPiece text(folded.data(), folded.size());
  if (!RE2::PartialMatch(text, a_) || !RE2::PartialMatch(text, b_)) return false;
  std::vector<Word> words;
  split_words(folded, words);
  return near_holds(p_, word_spans(a_keywords_, folded, words, nullptr), word_spans(b_keywords_, folded, words, nullptr));
}

std::vector<Span> ExactProximity::spans(std::string_view folded) const {
  std::vector<Word> words;
  split_words(folded, words);
  std::vector<Span> a_bytes, b_bytes;
  const auto a = word_spans(a_keywords_, folded, words, &a_bytes);
  const auto b = word_spans(b_keywords_, folded, words, &b_bytes);
  std::vector<std::pair<WordSpan, WordSpan>> pairs;
  if (!near_holds(p_, a, b, &pairs)) return {};
  std::vector<Span> out;
  const auto take = [&](const std::vector<WordSpan>& spans, const std::vector<Span>& bytes, WordSpan wanted) {
    for (std::size_t k = 0; k < spans.size(); ++k) {
      if (spans[k].first == wanted.first && spans[k].last == wanted.last) out.push_back(bytes[k]);
    }
  };
  for (const auto& [x, y] : pairs) {
    take(a, a_bytes, x);
    take(b, b_bytes, y);
  }
  std::sort(out.begin(), out.end(), [](const Span& l, const Span& r) { return l.begin != r.begin ? l.begin < r.begin : l.end < r.end; });
  out.erase(std::unique(out.begin(), out.end(), [](const Span& l, const Span& r) { return l.begin == r.begin && l.end == r.end; }), out.end());
  return out;
}

std::vector<Span> ExactProximity::pair_spans(std::string_view folded) const {
  std::vector<Word> words;
  split_words(folded, words);
  const auto a = word_spans(a_keywords_, folded, words, nullptr);
  const auto b = word_spans(b_keywords_, folded, words, nullptr);
  std::vector<std::pair<WordSpan, WordSpan>> pairs;
  near_holds(p_, a, b, &pairs);
  std::vector<Span> out;
  for (const auto& [x, y] : pairs) {
    const WordSpan& first = x.first < y.first ? x : y;
    const WordSpan& second = x.first < y.first ? y : x;
    out.push_back({words[first.first].begin, words[second.last].end});
  }
  std::sort(out.begin(), out.end(), [](const Span& l, const Span& r) { return l.begin != r.begin ? l.begin < r.begin : l.end < r.end; });
  out.erase(std::unique(out.begin(), out.end(), [](const Span& l, const Span& r) { return l.begin == r.begin && l.end == r.end; }), out.end());
  return out;
}

ExactProximity::Diagnosis ExactProximity::diagnose(std::string_view folded) const {
  Diagnosis d;
  std::vector<Word> words;
  split_words(folded, words);
  const auto a = word_spans(a_keywords_, folded, words, &d.a);
  const auto b = word_spans(b_keywords_, folded, words, &d.b);
  d.holds = near_holds(p_, a, b);
  const auto within = static_cast<std::uint32_t>(p_.within);
  bool any_allowed = false, any_overlap = false;
  for (const WordSpan& x : a) {
    for (const WordSpan& y : b) {
      if (x.last < y.first) {
        any_allowed = true;
        const std::uint32_t gap = y.first - x.last;
        if (!d.closest || gap < *d.closest) d.closest = gap;
      } else if (y.last < x.first) {
        const std::uint32_t gap = x.first - y.last;
        if (p_.order == Proximity::Order::kEither) {
          any_allowed = true;
          if (!d.closest || gap < *d.closest) d.closest = gap;
        } else if (gap <= within) {
          d.only_wrong_order = true;
        }
      } else {
        any_overlap = true;
      }
    }
  }
  if (d.closest && *d.closest <= within) d.only_wrong_order = false;
  d.only_overlapping = !any_allowed && any_overlap && !d.only_wrong_order;
  return d;
}

}  // namespace baro::rules
