// `baro rules suggest`: the words and phrases of what the rules leave unclassified.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <limits>
#include <unordered_map>

#include "baro/diagnostics.hpp"
#include "baro/display.hpp"
#include "baro/evaluation.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

// Per term, the descriptions outside the cell that hold it (--cell).
using Elsewhere = std::unordered_map<std::string, std::int64_t>;

std::int64_t elsewhere_of(const Elsewhere* elsewhere, const std::string& term) {
  if (elsewhere == nullptr) return 0;
  const auto it = elsewhere->find(term);
  return it == elsewhere->end() ? 0 : it->second;
}

nlohmann::json terms_json(const std::vector<TermCount>& terms, const Elsewhere* elsewhere = nullptr) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : terms) {
    out.push_back({{"term", t.term}, {"initiatives", t.initiatives}, {"occurrences", t.occurrences}});
    if (elsewhere != nullptr) out.back()["elsewhere"] = elsewhere_of(elsewhere, t.term);
  }
  return out;
}

void print_terms(const std::string& title, const std::vector<TermCount>& terms, const Elsewhere* elsewhere = nullptr) {
  std::size_t width = 24;
  for (const auto& t : terms) width = std::max(width, display_width(t.term));
  const char* count_header = elsewhere != nullptr ? "in cell" : "initiatives";
  std::cout << '\n' << pad_right(title, width) << pad_left(count_header, 13) << pad_left("occurrences", 13)
            << (elsewhere != nullptr ? pad_left("elsewhere", 11) : "") << '\n';
  if (terms.empty()) std::cout << "  (none that often)\n";
  for (const auto& t : terms) {
    std::cout << pad_right(t.term, width) << pad_left(group_thousands(t.initiatives), 13)
              << pad_left(group_thousands(t.occurrences), 13)
              << (elsewhere != nullptr ? pad_left(group_thousands(elsewhere_of(elsewhere, t.term)), 11) : "") << '\n';
  }
}

// Typical of the cell first: in the most of its descriptions, then in the fewest others.
void rank_typical(std::vector<TermCount>& terms, const Elsewhere& elsewhere, std::size_t top) {
  std::stable_sort(terms.begin(), terms.end(), [&](const TermCount& x, const TermCount& y) {
    if (x.initiatives != y.initiatives) return x.initiatives > y.initiatives;
    const std::int64_t ex = elsewhere_of(&elsewhere, x.term), ey = elsewhere_of(&elsewhere, y.term);
    if (ex != ey) return ex < ey;
    if (x.occurrences != y.occurrences) return x.occurrences > y.occurrences;
    return x.term < y.term;
  });
  if (terms.size() > top) terms.resize(top);
}

// `rules suggest --cell GOLD:PREDICTED FILE`: the words of one confusion cell of a labelled set.
int suggest_for_cell(const CommonPaths& paths, const std::string& file, const std::string& cell_text,
                     const SuggestOptions& suggest_options, bool as_json) {
  const auto rules = load_rules(paths);
  const RuleEngine engine(*rules);
  const auto items = load_labelled_set(file, *rules);
  const ConfusionCell cell = parse_cell("baro rules suggest", *rules, cell_text);
  const Evaluation eval = evaluate(engine, items);
  std::vector<std::string> inside, outside;
  for (const auto& o : eval.outcomes) {
    const bool member = o.gold == cell.gold && o.classification.primary == cell.predicted;
    (member ? inside : outside).push_back(items[o.item].description);
  }
  // Every term of the cell (ranked and cut below), and every term of the rest, to count it.
  SuggestOptions all = suggest_options;
  all.top = std::numeric_limits<std::size_t>::max();
  TermCounts in = count_terms(inside, all);
  all.min_initiatives = 1;
  const TermCounts out = count_terms(outside, all);
  Elsewhere elsewhere;
  for (const auto* list : {&out.words, &out.phrases, &out.near}) {
    for (const auto& t : *list) elsewhere[t.term] = t.initiatives;
  }
  for (auto* list : {&in.words, &in.phrases, &in.near}) rank_typical(*list, elsewhere, suggest_options.top);
  const std::string gold = cell.gold ? rules->domains()[*cell.gold].id : "null";
  const std::string predicted = cell.predicted ? rules->domains()[*cell.predicted].id : "none";
  if (as_json) {
    const nlohmann::json json = {{"file", file},
                                 {"ruleset", {{"id", rules->id()}, {"version", rules->version()}}},
                                 {"cell", {{"gold", cell.gold ? nlohmann::json(gold) : nlohmann::json(nullptr)},
                                           {"predicted", cell.predicted ? nlohmann::json(predicted) : nlohmann::json(nullptr)}}},
                                 {"descriptions", in.texts},
                                 {"total", eval.total},
                                 {"words", terms_json(in.words, &elsewhere)},
                                 {"phrases", terms_json(in.phrases, &elsewhere)},
                                 {"near", terms_json(in.near, &elsewhere)}};
    std::cout << json.dump(2) << '\n';
    return 0;
  }
  std::cout << file << " (" << rules->id() << ' ' << rules->version() << "): gold " << gold << ", predicted " << predicted
            << ": " << in.texts << " of " << eval.total << " descriptions\n";
  if (in.texts == 0) return 0;
  std::cout << "(elsewhere: the other descriptions of the file holding the term)\n";
  print_terms("words", in.words, &elsewhere);
  print_terms("two-word phrases", in.phrases, &elsewhere);
  print_terms("words near each other (within " + std::to_string(suggest_options.within) + " words)", in.near, &elsewhere);
  return 0;
}

}  // namespace

int run_rules_suggest(const Args& args) {
  CommonPaths paths;
  SuggestOptions suggest_options;
  po::options_description options("options");
  add_db_option(options, paths);
  add_rules_option(options, paths);
  std::string file;
  options.add_options()
      ("cell", po::value<std::string>()->value_name("GOLD:PREDICTED"),
       "the words of one confusion cell of the labelled set FILE instead (null: no gold domain; none: unclassified)")
      ("file", po::value(&file)->value_name("FILE"), "the labelled set, with --cell (as `baro eval` reads it)")
      ("run", po::value<std::int64_t>()->value_name("ID"), "the run whose unclassified initiatives to read (default: the latest)")
      ("top", po::value(&suggest_options.top)->value_name("N")->default_value(30), "words and phrases listed, each")
      ("min", po::value(&suggest_options.min_initiatives)->value_name("N")->default_value(2),
       "only terms found in at least N initiatives")
      ("within", po::value(&suggest_options.within)->value_name("N")->default_value(5),
       "the window of word pairs (the start of a `near` rule), in words")
      ("json", "machine-readable output");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse("rules suggest", "[--run ID] [--top N] [--min N] [--json]  |  --cell GOLD:PREDICTED [--rules DIR] FILE",
             "Lists the most frequent words, two-word phrases and pairs of words close to each other\n"
             "(within --within words, not adjacent: the start of a `near` rule) among the initiatives a run left\n"
             "unclassified, French stop words left out, with the number of initiatives holding each:\n"
             "a starting list for new rules. Terms are shown folded, as a keyword is written; check\n"
             "one in context with `baro kwic TERM --unclassified` before writing a rule.\n"
             "With --cell GOLD:PREDICTED FILE, the same lists for the descriptions of one cell of\n"
             "`baro eval FILE`'s confusion matrix (gold GOLD, predicted PREDICTED), each term with\n"
             "the number of the file's other descriptions holding it: the terms typical of the cell\n"
             "come first (in most of its descriptions, then in fewest others).",
             options, positional, args, vm))
    return 0;
  if (vm.count("cell")) {
    if (file.empty()) {
      throw usage_error("baro rules suggest --cell: no labelled set given",
                        "usage: baro rules suggest --cell GOLD:PREDICTED FILE");
    }
    if (vm.count("run")) throw usage_error("baro rules suggest: --cell reads a labelled set, not a run", "drop --run");
    return suggest_for_cell(paths, file, vm["cell"].as<std::string>(), suggest_options, vm.count("json") > 0);
  }
  if (!file.empty()) {
    throw usage_error("baro rules suggest: a FILE goes with --cell GOLD:PREDICTED",
                      "without --cell, rules suggest reads the latest run of the database");
  }
  if (vm.count("run")) suggest_options.run_id = vm["run"].as<std::int64_t>();
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadOnly));
  const Suggestions s = suggest_terms(*store, suggest_options);
  if (vm.count("json")) {
    const nlohmann::json out = {{"run", s.run.id},
                                {"unclassified", s.unclassified},
                                {"words", terms_json(s.words)},
                                {"phrases", terms_json(s.phrases)},
                                {"near", terms_json(s.near)}};
    std::cout << out.dump(2) << '\n';
    return 0;
  }
  std::cout << "run " << s.run.id << " (" << s.run.ruleset_id << ' ' << s.run.ruleset_version << "): "
            << group_thousands(s.unclassified) << " of " << group_thousands(s.run.initiatives)
            << " initiatives unclassified\n";
  if (s.unclassified == 0) return 0;
  print_terms("words", s.words);
  print_terms("two-word phrases", s.phrases);
  print_terms("words near each other (within " + std::to_string(suggest_options.within) + " words)", s.near);
  return 0;
}

}  // namespace baro::cli
