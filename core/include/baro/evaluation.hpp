// Measuring a rule set against descriptions a person has labelled.
//
// A labelled set is a CSV or JSON Lines file with one description per record: `description`
// (the free text), `gold` (its primary domain, or empty / null when no domain fits) and
// optionally `also` (the other domains it serves) and `id`. The bundled French set keeps
// one in rules/fr/eval/ (tune.jsonl for tuning, test.jsonl held out).
//
// evaluate() classifies every description with a RuleEngine and scores the primary domain
// the way rules/fr/eval/README.md asks: accuracy (an unclassified prediction is right for a
// `null` gold), the share of labelled descriptions the rules leave unclassified, the `null`
// descriptions that were given a domain anyway, per-domain precision, recall and F1 on the
// primary domain, their macro average, and a confusion matrix. It keeps every outcome so
// that `baro eval` can show the worst errors with the rules that fired.
//
// Thread-safety: the functions are reentrant; an Evaluation is a plain value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "baro/error.hpp"
#include "baro/rules.hpp"

namespace baro {

struct LabelledText {
  std::string id;                   // the file's `id`, else "#<record number>"
  std::string description;
  std::optional<std::string> gold;  // nullopt: no domain fits
  std::vector<std::string> also;
  SourceLocation where;             // file and line of the record
};

// Reads a labelled set: JSON Lines when the name ends in .jsonl or .ndjson (or the content
// starts with `{`), CSV otherwise (any delimiter and encoding `baro inspect` understands;
// `also` holds domain ids separated by `;`, `,`, `|` or spaces). Every domain must be one of
// `rules`'. Throws baro::Error: kNoInput for a missing file, kDataError naming the line of
// the first bad record (missing column, unknown domain, malformed JSON).
std::vector<LabelledText> load_labelled_set(const std::filesystem::path& file, const RuleSet& rules);

// A text to explain, for `baro explain --file`: from JSON Lines (`text` or `description`,
// optional `id` and `gold`, other keys ignored, so a labelled set can be read as is) or from
// plain text (one description per non-blank line).
struct TextToExplain {
  std::string id;                   // `id`, else "#<line number>"
  std::string text;
  bool has_gold = false;            // the record has a `gold` key
  std::optional<std::string> gold;  // its value (nullopt: null)
  SourceLocation where;
};

// Reads FILE as JSON Lines when its name ends in .jsonl or .ndjson or its first non-blank
// character is `{`, as plain text otherwise. A `gold` must be one of `rules`' domains or
// null. Throws baro::Error: kNoInput for a missing file, kDataError naming the line of the
// first bad record, or for a file without any text.
std::vector<TextToExplain> load_texts_to_explain(const std::filesystem::path& file, const RuleSet& rules);

struct DomainMetrics {
  std::size_t domain = 0;          // index into RuleSet::domains()
  std::uint64_t gold = 0;          // descriptions whose gold is this domain
  std::uint64_t predicted = 0;     // descriptions given this primary domain
  std::uint64_t correct = 0;       // both
  double precision = 0.0;          // correct / predicted (0 when nothing was predicted)
  double recall = 0.0;             // correct / gold (0 when there is no gold)
  double f1 = 0.0;
};

struct EvalOutcome {
  std::size_t item = 0;                  // index into the labelled set
  std::optional<std::size_t> gold;       // domain index; nullopt for a `null` gold
  std::vector<std::size_t> also;         // domain indices
  Classification classification;
  bool correct = false;
  // How bad a wrong answer is, for ordering the worst first: 2 when the prediction is not
  // among gold ∪ also (or a labelled text was left unclassified), 1 when the primary is one
  // of the `also` domains or gold is only a secondary label, 0 when right.
  int severity = 0;
};

// A 95 % confidence interval for a proportion (Wilson's score interval, which stays inside
// [0, 1] and is sound for small counts): what a maintainer reads before calling a change of
// accuracy progress. `successes` of `total`; {0, 0} for a total of 0.
struct ProportionInterval {
  double low = 0.0;
  double high = 0.0;
};
ProportionInterval wilson_interval(std::uint64_t successes, std::uint64_t total);

struct Evaluation {
  std::uint64_t total = 0;
  std::uint64_t correct = 0;
  // Labelled descriptions whose predicted primary is the gold domain or one of its `also`.
  std::uint64_t primary_in_gold_or_also = 0;
  // Predictions whose primary tied on score with the runner-up and won by precedence.
  std::uint64_t decided_by_precedence = 0;
  std::uint64_t labelled = 0;           // descriptions with a gold domain
  std::uint64_t unclassified = 0;       // ... of which the rules gave no domain
  std::uint64_t null_gold = 0;          // descriptions with a `null` gold
  std::uint64_t null_given_domain = 0;  // ... of which the rules gave a domain anyway

  double accuracy() const { return total == 0 ? 0.0 : double(correct) / double(total); }
  ProportionInterval accuracy_interval() const { return wilson_interval(correct, total); }
  double primary_in_gold_or_also_share() const {
    return labelled == 0 ? 0.0 : double(primary_in_gold_or_also) / double(labelled);
  }
  double unclassified_share() const { return labelled == 0 ? 0.0 : double(unclassified) / double(labelled); }
  double macro_f1() const;

  std::vector<DomainMetrics> domains;  // one per domain of the rule set, in its order
  // confusion[g][p]: g is the gold domain index or domains.size() for `null`; p the
  // predicted primary index or domains.size() for unclassified.
  std::vector<std::vector<std::uint64_t>> confusion;
  std::vector<EvalOutcome> outcomes;   // one per description, in file order
};

// Classifies every description of `set` with `engine` and scores it.
Evaluation evaluate(const RuleEngine& engine, const std::vector<LabelledText>& set);

}  // namespace baro
