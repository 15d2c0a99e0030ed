// `baro kwic PATTERN`: keyword in context, to see how agents really write before writing a rule.
#include <unistd.h>

#include <iostream>

#include "baro/diagnostics.hpp"
#include "baro/display.hpp"
#include "cli.hpp"

namespace baro::cli {

int run_kwic(const Args& args) {
  CommonPaths paths;
  std::vector<std::string> words;
  std::size_t width = 40, limit = 200;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()
      ("pattern", po::value(&words)->composing(), "the keyword (rule syntax) or, with --regex, the RE2 pattern")
      ("domain", po::value<std::string>()->value_name("D"), "only initiatives whose primary domain is D")
      ("unclassified", "only initiatives without a primary domain")
      ("run", po::value<std::int64_t>()->value_name("ID"), "the run --domain and --unclassified read (default: the latest)")
      ("regex", "PATTERN is an RE2 regex on the normalised text, as a rule's \"regex\"")
      ("near", po::value<std::string>()->value_name("KEYWORD"),
       "only where PATTERN occurs within --within words of KEYWORD, as a `near` rule reads them")
      ("within", po::value<int>()->value_name("N")->default_value(6), "the window of --near, in words (1 to 30)")
      ("a-then-b", "with --near: only where PATTERN comes first")
      ("width", po::value(&width)->value_name("N")->default_value(40), "columns of context on each side")
      ("limit", po::value(&limit)->value_name("N")->default_value(200), "lines shown at most (0: all)");
  po::positional_options_description positional;
  positional.add("pattern", -1);
  po::variables_map vm;
  if (!parse("kwic", "PATTERN [--domain D | --unclassified] [--regex | --near KEYWORD [--within N] [--a-then-b]]",
             "Keyword in context: every place PATTERN occurs in the stored descriptions, the text as\n"
             "written with the match aligned in one column. PATTERN is matched like a rule keyword\n"
             "(accents and case folded, word boundaries, `*` as a suffix wildcard, any spaces, hyphens\n"
             "or apostrophes between words), so what kwic finds is what a rule would match. With\n"
             "--near, each match runs from PATTERN to KEYWORD (or back) where they are close enough.\n"
             "Each line starts with the initiative (#id), its source id and its primary domain in\n"
             "the run (--run ID, else the latest run; \"non classé\" when it has none).",
             options, positional, args, vm))
    return 0;
  if (words.empty()) throw usage_error("baro kwic: no pattern given", "usage: baro kwic \"PATTERN\"");
  std::string pattern;
  for (const auto& w : words) pattern += (pattern.empty() ? "" : " ") + w;
  KwicOptions kwic_options;
  kwic_options.regex = vm.count("regex") > 0;
  kwic_options.unclassified = vm.count("unclassified") > 0;
  if (vm.count("domain")) kwic_options.domain = vm["domain"].as<std::string>();
  if (vm.count("run")) kwic_options.run_id = vm["run"].as<std::int64_t>();
  if (vm.count("near")) kwic_options.near = vm["near"].as<std::string>();
  kwic_options.within = vm["within"].as<int>();
  kwic_options.a_then_b = vm.count("a-then-b") > 0;
  if ((vm["within"].defaulted() == false || kwic_options.a_then_b) && !kwic_options.near) {
    throw usage_error("baro kwic: --within and --a-then-b go with --near", "e.g. baro kwic \"atelier*\" --near \"numerique*\" --within 6");
  }
  kwic_options.max_matches = limit;

  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadOnly));
  const KwicResult result = find_in_context(*store, pattern, kwic_options);
  std::string scope;
  if (result.run) {
    scope = " (run " + std::to_string(result.run->id) +
            (kwic_options.domain ? ", primary domain " + *kwic_options.domain
                                 : kwic_options.unclassified ? std::string(", unclassified") : std::string()) +
            ")";
  }
  std::cout << group_thousands(result.total_matches) << (result.total_matches == 1 ? " match" : " matches") << " in "
            << group_thousands(result.initiatives) << " of " << group_thousands(result.searched) << " initiatives"
            << scope << '\n';
  if (result.matches.empty()) return 0;
  std::cout << '\n';
  const bool colour = use_colour(STDOUT_FILENO);
  // Each line: the initiative, its source id, its primary domain in the run the header names
  // (else the latest run; "non classé" when that run left it unclassified), then the context.
  const auto domain_of = [&](const KwicMatch& m) {
    return m.primary ? *m.primary : result.labels_run ? std::string("non classé") : std::string("-");
  };
  std::size_t id_width = 0, source_width = 0, domain_width = 0;
  for (const auto& m : result.matches) {
    id_width = std::max(id_width, std::to_string(m.initiative_id).size() + 1);
    source_width = std::max(source_width, display_width(m.source_id));
    domain_width = std::max(domain_width, display_width(domain_of(m)));
  }
  for (const auto& m : result.matches) {
    const KwicLine line = kwic_line(m, width);
    std::string right = "  " + line.right;
    while (!right.empty() && right.back() == ' ') right.pop_back();
    std::cout << pad_left("#" + std::to_string(m.initiative_id), id_width) << "  " << pad_right(m.source_id, source_width)
              << "  " << pad_right(domain_of(m), domain_width) << "  " << line.left << "  "
              << (colour ? "\033[1m" : "") << line.match << (colour ? "\033[0m" : "") << right << '\n';
  }
  if (static_cast<std::int64_t>(result.matches.size()) < result.total_matches) {
    std::cout << "\n(" << group_thousands(result.total_matches - static_cast<std::int64_t>(result.matches.size()))
              << " more; --limit 0 shows all)\n";
  }
  return 0;
}

}  // namespace baro::cli
