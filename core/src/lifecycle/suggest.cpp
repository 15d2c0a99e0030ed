#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <unordered_map>

#include "baro/diagnostics.hpp"
#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "lifecycle/corpus.hpp"
#include "store/sqlite_errors.hpp"

namespace baro {
namespace {

// French function words, folded (accents stripped) as the words they are compared with.
// Content words frequent in surveys ("mise", "place", "projet") are deliberately kept: they
// are noise for some rules and the start of others, which the maintainer decides.
constexpr std::string_view kStopWords[] = {
    "a", "afin", "ai", "ainsi", "alors", "apres", "as", "au", "aupres", "aussi",
    "autre", "autres", "aux", "avant", "avec", "avez", "avoir", "avons", "c", "ca",
    "car", "ce", "ceci", "cela", "celle", "celles", "celui", "ces", "cet", "cette",
    "ceux", "chaque", "chez", "comme", "d", "dans", "de", "deja", "depuis", "des",
    "donc", "dont", "du", "elle", "elles", "en", "encore", "entre", "est", "et",
    "etaient", "etait", "etc", "ete", "etre", "eux", "faire", "fait", "il", "ils",
    "j", "je", "l", "la", "le", "les", "leur", "leurs", "lors", "lui",
    "m", "ma", "mais", "me", "meme", "mes", "moi", "moins", "mon", "n",
    "ne", "ni", "non", "nos", "notre", "nous", "on", "ont", "or", "ou",
    "oui", "par", "pas", "peu", "plus", "pour", "puis", "qu", "quand", "que",
    "quel", "quelle", "quelles", "quels", "qui", "s", "sa", "sans", "se", "selon",
    "sera", "ses", "si", "soit", "son", "sont", "sous", "sur", "t", "ta",
    "te", "tes", "toi", "ton", "tous", "tout", "toute", "toutes", "tres", "tu",
    "un", "une", "vers", "via", "vos", "votre", "vous", "y",
};

// Sorted, for binary search.
static_assert(std::is_sorted(std::begin(kStopWords), std::end(kStopWords)));

bool is_word_byte(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 || (c >= 'A' && c <= 'Z'); }
bool is_joiner(char c) { return c == ' ' || c == '-' || c == '\''; }

bool keep(std::string_view word) {
  if (word.size() < 2) return false;
  if (std::all_of(word.begin(), word.end(), [](unsigned char c) { return c >= '0' && c <= '9'; })) return false;
  return !is_french_stop_word(word);
}

struct Tally {
  std::int64_t initiatives = 0;
  std::int64_t occurrences = 0;
};

std::vector<TermCount> top(const std::unordered_map<std::string, Tally>& tallies, const SuggestOptions& options) {
  std::vector<TermCount> out;
  for (const auto& [term, t] : tallies) {
    if (t.initiatives >= options.min_initiatives) out.push_back({term, t.initiatives, t.occurrences});
  }
  std::sort(out.begin(), out.end(), [](const TermCount& x, const TermCount& y) {
    if (x.initiatives != y.initiatives) return x.initiatives > y.initiatives;
    if (x.occurrences != y.occurrences) return x.occurrences > y.occurrences;
    return x.term < y.term;
  });
  if (out.size() > options.top) out.resize(options.top);
  return out;
}

// The word statistics of a set of texts, one text at a time.
class TermCounter {
 public:
  explicit TermCounter(const SuggestOptions& options) : options_(options) {
    if (options.within < 2 || options.within > Proximity::kMaxWithin) {
      throw usage_error("the window of word pairs must be from 2 to " + std::to_string(Proximity::kMaxWithin) + " words",
                        "adjacent words (a window of 1) are the two-word phrases");
    }
  }

  void add(std::string_view description) {
    ++texts_;
    auto& words = words_;
    auto& phrases = phrases_;
    auto& near = near_;
    const SuggestOptions& options = options_;
    const std::string text = fold(description);
    std::set<std::string> seen_words, seen_phrases, seen_near;
    std::string previous;  // the kept word just before, if only joiners lie between
    std::vector<std::pair<std::string, std::size_t>> recent;  // kept words and their positions
    std::size_t position = 0;  // of the current word among all the words
    std::size_t pos = 0;
    while (pos < text.size()) {
      const std::size_t start = pos;
      while (pos < text.size() && is_word_byte(static_cast<unsigned char>(text[pos]))) ++pos;
      if (pos == start) {  // a separator: only spaces, hyphens and apostrophes keep words adjacent
        if (!is_joiner(text[pos])) previous.clear();
        ++pos;
        continue;
      }
      const std::string word = text.substr(start, pos - start);
      ++position;
      if (!keep(word)) {
        previous.clear();
        continue;
      }
      // Pairs with the kept words 2 to `within` words before: adjacent ones are phrases.
      for (const auto& [other, at] : recent) {
        const std::size_t distance = position - at;
        if (distance < 2 || distance > static_cast<std::size_t>(options.within) || other == word) continue;
        const std::string pair = std::min(other, word) + " … " + std::max(other, word);
        ++near[pair].occurrences;
        if (seen_near.insert(pair).second) ++near[pair].initiatives;
      }
      recent.emplace_back(word, position);
      if (recent.size() > static_cast<std::size_t>(options.within)) recent.erase(recent.begin());
      ++words[word].occurrences;
      if (seen_words.insert(word).second) ++words[word].initiatives;
      if (!previous.empty()) {
        const std::string phrase = previous + ' ' + word;
        ++phrases[phrase].occurrences;
        if (seen_phrases.insert(phrase).second) ++phrases[phrase].initiatives;
      }
      previous = word;
    }
  }

  TermCounts result() const {
    TermCounts out;
    out.texts = texts_;
    out.words = top(words_, options_);
    out.phrases = top(phrases_, options_);
    out.near = top(near_, options_);
    return out;
  }

 private:
  const SuggestOptions& options_;
  std::int64_t texts_ = 0;
  std::unordered_map<std::string, Tally> words_, phrases_, near_;
};

}  // namespace

bool is_french_stop_word(std::string_view folded_word) {
  return std::binary_search(std::begin(kStopWords), std::end(kStopWords), folded_word);
}

Suggestions suggest_terms(const Store& store, const SuggestOptions& options) {
  Suggestions result;
  result.run = lifecycle::require_run_or_latest(store, options.run_id);
  TermCounter counter(options);
  try {
    lifecycle::ReadSnapshot snapshot(store);
    SQLite::Statement q(snapshot.db(),
                        "SELECT i.description FROM initiatives i JOIN classifications c ON c.initiative_id = i.id "
                        "AND c.run_id = ? WHERE c.primary_domain IS NULL ORDER BY i.id");
    q.bind(1, result.run.id);
    while (q.executeStep()) counter.add(q.getColumn(0).getString());
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "counting words of the unclassified initiatives");
  }
  TermCounts counts = counter.result();
  result.unclassified = counts.texts;
  result.words = std::move(counts.words);
  result.phrases = std::move(counts.phrases);
  result.near = std::move(counts.near);
  return result;
}

TermCounts count_terms(const std::vector<std::string>& texts, const SuggestOptions& options) {
  TermCounter counter(options);
  for (const auto& text : texts) counter.add(text);
  return counter.result();
}

}  // namespace baro
