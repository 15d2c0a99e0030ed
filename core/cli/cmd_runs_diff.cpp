// `baro runs diff A B`: what a rule change does to the barometer, as a maintainer pastes it
// into a pull request.
#include <iostream>
#include <sstream>

#include "baro/display.hpp"
#include "baro/lifecycle.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

constexpr std::size_t kDescriptionColumns = 100;

std::optional<std::int64_t> parse_run_id(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(text);
}

std::string describe(const DiffSide& side) {
  std::string out = side.kind == "run" ? "run " + std::to_string(side.run_id) : "rules " + side.rules_directory;
  out += " (" + side.ruleset_id + ' ' + side.ruleset_version + ", " + side.ruleset_hash.substr(0, 12);
  if (!side.created_at.empty()) out += ", " + side.created_at;
  return out + ")";
}

// Column headers for the matrix: the shortest prefix of at least 4 characters that tells
// the domains apart (acce, comm, cult, educ, dema, demo, vie_, econ, soli).
std::vector<std::string> column_codes(const std::vector<std::optional<std::string>>& domains) {
  std::size_t length = 4;
  for (; length < 16; ++length) {
    std::vector<std::string> codes;
    bool unique = true;
    for (const auto& d : domains) {
      if (!d) continue;
      const std::string code = d->substr(0, length);
      for (const auto& c : codes) unique = unique && c != code;
      codes.push_back(code);
    }
    if (unique) break;
  }
  std::vector<std::string> out;
  for (const auto& d : domains) out.push_back(d ? d->substr(0, length) : "n/c");
  return out;
}

std::string signed_points(double points) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(1);
  if (points >= 0.05) out << '+';
  // -0.0 would print as "-0.0": a change that rounds to nothing is shown as 0.0.
  out << (points > -0.05 && points < 0.05 ? 0.0 : points) << " pt";
  return out.str();
}

std::string evidence_line(const Evidence& e) {
  if (e.domains.empty()) return "no rule fires";
  std::string out;
  for (const auto& d : e.domains) {
    if (!out.empty()) out += "; ";
    std::ostringstream score;
    score << d.score;
    out += d.domain + ' ' + score.str() + " [";
    for (std::size_t i = 0; i < d.rules.size(); ++i) out += (i ? " " : "") + d.rules[i];
    out += ']';
  }
  if (!e.vetoed.empty()) {
    out += "; vetoed:";
    for (const auto& r : e.vetoed) out += ' ' + r;
  }
  return out;
}

// Every initiative that changed primary domain (up to --limit), one a line: its survey id
// and the move, so that a maintainer can check them one by one.
void print_changes(const RunDiff& diff) {
  std::cout << "\ninitiatives that changed (" << group_thousands(static_cast<std::int64_t>(diff.changes.size())) << " of "
            << group_thousands(diff.changed) << ", by initiative)\n";
  std::size_t id_width = 0, source_width = 0;
  for (const auto& c : diff.changes) {
    id_width = std::max(id_width, std::to_string(c.initiative_id).size() + 1);
    source_width = std::max(source_width, display_width(c.source_id));
  }
  for (const auto& c : diff.changes) {
    std::cout << "  " << pad_left("#" + std::to_string(c.initiative_id), id_width) << "  "
              << pad_right(c.source_id, source_width) << "  " << (c.from ? *c.from : "non classé") << " → "
              << (c.to ? *c.to : "non classé") << '\n';
  }
  if (static_cast<std::int64_t>(diff.changes.size()) < diff.changed) {
    std::cout << "  … and " << group_thousands(diff.changed - static_cast<std::int64_t>(diff.changes.size()))
              << " more (--limit 0 lists all)\n";
  }
}

void print_text(const RunDiff& diff) {
  std::cout << "A  " << describe(diff.a) << "\nB  " << describe(diff.b) << "\n\n";
  std::cout << "compared         " << group_thousands(diff.compared) << " initiatives\n";
  const double changed_share =
      diff.compared > 0 ? static_cast<double>(diff.changed) / static_cast<double>(diff.compared) : 0.0;
  std::cout << "primary changed  " << group_thousands(diff.changed) << " (" << percent(changed_share) << ")\n"
            << "labels changed   " << group_thousands(diff.labels_changed)
            << " (same primary domain, another set of labels)\n";
  if (diff.only_in_a > 0) std::cout << "only in A        " << group_thousands(diff.only_in_a) << " (not compared)\n";
  if (diff.only_in_b > 0) std::cout << "only in B        " << group_thousands(diff.only_in_b) << " (not compared)\n";

  std::size_t label_width = 12;
  for (const auto& s : diff.shares) label_width = std::max(label_width, display_width(s.label));
  std::cout << "\n" << pad_right("primary domain", label_width) << pad_left("A", 10) << pad_left("B", 10)
            << pad_left("change", 11) << '\n';
  for (const auto& s : diff.shares) {
    std::cout << pad_right(s.label, label_width) << pad_left(percent(s.share_a), 10) << pad_left(percent(s.share_b), 10)
              << pad_left(signed_points(s.delta_points), 11) << '\n';
  }

  const auto codes = column_codes(diff.domains);
  std::size_t cell = 5;
  for (const auto& row : diff.matrix) {
    for (std::int64_t v : row) cell = std::max(cell, group_thousands(v).size() + 2);
  }
  for (const auto& c : codes) cell = std::max(cell, c.size() + 2);
  std::size_t row_label = 12;
  for (const auto& d : diff.domains) row_label = std::max(row_label, d ? d->size() : 10);
  std::cout << "\nfrom A (rows) to B (columns); n/c = non classé\n" << pad_right("", row_label);
  for (const auto& c : codes) std::cout << pad_left(c, cell);
  std::cout << '\n';
  for (std::size_t f = 0; f < diff.domains.size(); ++f) {
    std::cout << pad_right(diff.domains[f] ? *diff.domains[f] : "non classé", row_label);
    for (std::int64_t v : diff.matrix[f]) std::cout << pad_left(v == 0 ? "." : group_thousands(v), cell);
    std::cout << '\n';
  }

  if (diff.moves.empty()) {
    std::cout << "\nno initiative changed primary domain\n";
    return;
  }
  std::cout << "\nmoves, largest first\n";
  for (const auto& m : diff.moves) {
    std::cout << "\n" << (m.from ? *m.from : "non classé") << " → " << (m.to ? *m.to : "non classé") << ": "
              << group_thousands(m.count) << '\n';
    for (const auto& e : m.examples) {
      std::cout << "  #" << e.initiative_id << " (batch " << e.batch_id << ", id " << e.source_id << ") "
                << fit_width(e.description, kDescriptionColumns) << '\n'
                << "    " << pad_right("A:", 4) << evidence_line(e.a) << '\n'
                << "    " << pad_right("B:", 4) << evidence_line(e.b) << '\n';
    }
    if (m.count > static_cast<std::int64_t>(m.examples.size())) {
      std::cout << "  … and " << group_thousands(m.count - static_cast<std::int64_t>(m.examples.size()))
                << " more\n";
    }
  }
  print_changes(diff);
}

}  // namespace

int run_runs_diff(const Args& args) {
  CommonPaths paths;
  std::vector<std::string> sides;
  std::size_t examples = 3;
  std::size_t limit = 50;
  std::int64_t regex_mem_mb = 0;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()
      ("sides", po::value(&sides)->composing(), "A and B")
      ("examples", po::value(&examples)->value_name("N")->default_value(3), "examples shown per move")
      ("limit", po::value(&limit)->value_name("N")->default_value(50),
       "initiatives that changed listed at most, by id (0: all)")
      ("regex-mem-mb", po::value(&regex_mem_mb)->value_name("MB"), "RE2 memory budget when B is a rules folder")
      ("json", "machine-readable output (schema baro-runs-diff/1)");
  po::positional_options_description positional;
  positional.add("sides", 2);
  po::variables_map vm;
  if (!parse("runs diff", "A B [--json] [--examples N] [--limit N]",
             "Compares run A with run B, or with a rules folder B not yet applied (classified in\n"
             "memory; nothing is written): how many initiatives changed primary domain, the from→to\n"
             "matrix, each domain's share in both and the change in percentage points, and examples\n"
             "of every move with the rules that fired on each side, then the initiatives that changed\n"
             "(source id, from → to; the first --limit by id). A and B are run ids (`baro runs\n"
             "list`); a B that is not a number is a rules folder (write ./3 for a folder named 3).",
             options, positional, args, vm))
    return 0;
  if (sides.size() != 2) {
    throw usage_error("baro runs diff: expected two runs, or a run and a rules folder",
                      "e.g. `baro runs diff 2 3` or `baro runs diff 3 rules/fr`");
  }
  const auto a = parse_run_id(sides[0]);
  if (!a) throw usage_error("baro runs diff: A must be a run id, not \"" + sides[0] + "\"", "`baro runs list` shows them");
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadOnly));
  RunDiffOptions diff_options;
  diff_options.examples_per_move = examples;
  diff_options.max_changes = limit;
  RunDiff diff;
  if (const auto b = parse_run_id(sides[1])) {
    diff = diff_runs(*store, *a, *b, diff_options);
  } else {
    CommonPaths rules_path;
    rules_path.rules = sides[1];
    const auto rules = load_rules(rules_path, regex_mem_mb);
    const RuleEngine engine(*rules);
    diff = diff_run_with_rules(*store, *a, engine, diff_options);
  }
  if (vm.count("json")) {
    std::cout << run_diff_to_json(diff) << '\n';
  } else {
    print_text(diff);
  }
  return 0;
}

}  // namespace baro::cli
