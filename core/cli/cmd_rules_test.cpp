// `baro rules test [DIR]`: runs a rule set's own tests — every rule's examples and the
// whole-set expectations — and prints each failure with what the set did instead, so that a
// maintainer sees which rule to change without a second command.
#include <algorithm>
#include <iostream>
#include <optional>

#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

class RuleTester {
 public:
  RuleTester(const RuleSet& set, const RuleEngine& engine, std::ostream& out)
      : set_(set), engine_(engine), out_(out) {}

  void run_examples(std::size_t r) {
    const Rule& rule = set_.rules()[r];
    for (const auto& example : rule.match_examples) example_case(r, example, true);
    for (const auto& example : rule.no_match_examples) example_case(r, example, false);
  }

  void run_expectation(const Expectation& e) {
    ++expectations_;
    const std::string folded = fold(e.text);
    const Classification c = engine_.classify(folded);
    const std::optional<std::string> primary =
        c.primary ? std::optional<std::string>(set_.domains()[*c.primary].id) : std::nullopt;
    std::string missing;
    for (const auto& also : e.also) {
      bool found = false;
      for (const auto& d : c.domains) found |= set_.domains()[d.domain].id == also;
      if (!found) missing += (missing.empty() ? "" : ", ") + also;
    }
    if (primary == e.primary && missing.empty()) return;
    ++failures_;
    out_ << "FAIL expectation  " << e.where.to_string() << "\n     \"" << e.text << "\"\n     expected "
         << (e.primary ? *e.primary : std::string("unclassified"));
    if (!e.also.empty()) {
      out_ << " (also";
      for (const auto& a : e.also) out_ << ' ' << a;
      out_ << ')';
    }
    out_ << ", got " << (primary ? *primary : std::string("unclassified"));
    if (!missing.empty()) out_ << "; missing label" << (missing.find(',') == std::string::npos ? " " : "s ") << missing;
    out_ << '\n';
    describe(c, folded);
  }

  std::size_t examples() const { return examples_; }
  std::size_t expectations() const { return expectations_; }
  std::size_t failures() const { return failures_; }

 private:
  void example_case(std::size_t r, const std::string& example, bool should_fire) {
    ++examples_;
    const Rule& rule = set_.rules()[r];
    const std::string folded = fold(example);
    const Classification c = engine_.classify(folded);
    const bool fired = std::find(c.fired.begin(), c.fired.end(), r) != c.fired.end();
    if (fired == should_fire) return;
    ++failures_;
    out_ << "FAIL " << rule.id << "  " << rule.where.to_string() << "\n     " << (should_fire ? "match" : "no_match")
         << " example \"" << example << "\"\n     ";
    if (should_fire) {
      const bool vetoed = std::find(c.vetoed.begin(), c.vetoed.end(), r) != c.vetoed.end();
      if (vetoed) {
        out_ << "the rule matched " << quoted_spans(engine_.spans(r, folded), folded)
             << " but its `unless` vetoed it on " << quoted_spans(engine_.veto_spans(r, folded), folded) << '\n';
      } else {
        out_ << "the rule does not fire: none of its " << (rule.regex.empty() ? "keywords" : "regex")
             << " matches the normalised text \"" << folded << "\"\n";
      }
    } else {
      out_ << "the rule fires on " << quoted_spans(engine_.spans(r, folded), folded)
           << "; add an `unless` for this trap\n";
    }
  }

  // What the set did with a text: the rules that fired and the scores.
  void describe(const Classification& c, const std::string& folded) {
    if (c.fired.empty()) out_ << "     no rule fires on \"" << folded << "\"\n";
    for (std::size_t r : c.fired) {
      const Rule& rule = set_.rules()[r];
      out_ << "     fired  " << rule.id << " (" << set_.domains()[rule.domain].id << ", weight "
           << format_weight(rule.weight) << ") on " << quoted_spans(engine_.spans(r, folded), folded) << '\n';
    }
    for (std::size_t r : c.vetoed) {
      out_ << "     vetoed " << set_.rules()[r].id << " by " << quoted_spans(engine_.veto_spans(r, folded), folded)
           << '\n';
    }
    if (!c.domains.empty()) {
      out_ << "     scores";
      for (const auto& d : c.domains) out_ << ' ' << set_.domains()[d.domain].id << '=' << format_weight(d.score);
      out_ << '\n';
    }
  }

  static std::string quoted_spans(const std::vector<Span>& spans, const std::string& folded) {
    std::string out;
    for (const auto& s : spans) {
      out += (out.empty() ? "\"" : ", \"") + folded.substr(s.begin, s.end - s.begin) + "\"";
    }
    return out.empty() ? std::string("(nothing)") : out;
  }

  const RuleSet& set_;
  const RuleEngine& engine_;
  std::ostream& out_;
  std::size_t examples_ = 0;
  std::size_t expectations_ = 0;
  std::size_t failures_ = 0;
};

}  // namespace

int run_rules_test(const Args& args) {
  std::string dir;
  po::options_description options("options");
  options.add_options()("dir", po::value(&dir)->value_name("DIR"), "the rule set folder (default: the bundled rules)");
  po::positional_options_description positional;
  positional.add("dir", 1);
  po::variables_map vm;
  if (!parse("rules test", "[DIR]",
             "Runs the tests a rule set carries: each rule's examples (a `match` example must\n"
             "make that rule fire, a `no_match` example must not) and the whole-set\n"
             "expectations (text -> expected primary domain and other labels). Prints every\n"
             "failure with the rules that fired, the vetoes and the scores. Exits with 78 if\n"
             "any test fails. A set that does not load is reported as by `baro rules check`.",
             options, positional, args, vm))
    return 0;

  const auto path = rules_dir_argument(dir);
  const auto set = RuleSet::load(path);
  const RuleEngine engine(*set);
  RuleTester tester(*set, engine, std::cout);
  for (std::size_t r = 0; r < set->rules().size(); ++r) tester.run_examples(r);
  for (const auto& e : set->expectations()) tester.run_expectation(e);

  std::cout << path.string() << ": " << set->rules().size() << " rules, " << tester.examples() << " examples, "
            << tester.expectations() << " expectations: ";
  if (tester.failures() == 0) {
    std::cout << "all pass\n";
    return 0;
  }
  std::cout << tester.failures() << (tester.failures() == 1 ? " failure" : " failures")
            << " (`baro explain \"TEXT\"` shows any text in detail)\n";
  return static_cast<int>(ExitCode::kConfig);
}

}  // namespace baro::cli
