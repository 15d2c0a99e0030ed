// `baro rules suggest`: the words and phrases of what the rules leave unclassified.
#include <nlohmann/json.hpp>

#include <iostream>

#include "baro/diagnostics.hpp"
#include "baro/display.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

nlohmann::json terms_json(const std::vector<TermCount>& terms) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : terms) {
    out.push_back({{"term", t.term}, {"initiatives", t.initiatives}, {"occurrences", t.occurrences}});
  }
  return out;
}

void print_terms(const std::string& title, const std::vector<TermCount>& terms) {
  std::size_t width = 24;
  for (const auto& t : terms) width = std::max(width, display_width(t.term));
  std::cout << '\n' << pad_right(title, width) << pad_left("initiatives", 13) << pad_left("occurrences", 13) << '\n';
  if (terms.empty()) std::cout << "  (none that often)\n";
  for (const auto& t : terms) {
    std::cout << pad_right(t.term, width) << pad_left(group_thousands(t.initiatives), 13)
              << pad_left(group_thousands(t.occurrences), 13) << '\n';
  }
}

}  // namespace

int run_rules_suggest(const Args& args) {
  CommonPaths paths;
  SuggestOptions suggest_options;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()
      ("run", po::value<std::int64_t>()->value_name("ID"), "the run whose unclassified initiatives to read (default: the latest)")
      ("top", po::value(&suggest_options.top)->value_name("N")->default_value(30), "words and phrases listed, each")
      ("min", po::value(&suggest_options.min_initiatives)->value_name("N")->default_value(2),
       "only terms found in at least N initiatives")
      ("within", po::value(&suggest_options.within)->value_name("N")->default_value(5),
       "the window of word pairs (the start of a `near` rule), in words")
      ("json", "machine-readable output");
  po::variables_map vm;
  if (!parse("rules suggest", "[--run ID] [--top N] [--min N] [--json]",
             "Lists the most frequent words, two-word phrases and pairs of words close to each other\n"
             "(within --within words, not adjacent: the start of a `near` rule) among the initiatives a run left\n"
             "unclassified, French stop words left out, with the number of initiatives holding each:\n"
             "a starting list for new rules. Terms are shown folded, as a keyword is written; check\n"
             "one in context with `baro kwic TERM --unclassified` before writing a rule.",
             options, {}, args, vm))
    return 0;
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
