// The single-pass fast path of RuleEngine (RuleSetOptions::prefilter) must label every text
// exactly as the plain definition does: each rule's exact pattern and vetoes, run one by
// one. These tests compare the two on the bundled rule set, the fixture rule set, the
// labelled evaluation descriptions and texts built around every keyword: neighbours that are
// and are not word boundaries, text edges, and pairs of descriptions where gap rules meet.
#include <catch2/catch.hpp>
#include <re2/re2.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "rules/patterns.hpp"
#include "rules/proximity.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using baro::RuleEngine;
using baro::RuleSet;

namespace {

// The definition: a rule fires when its exact pattern or one of its proximity questions (on
// RE2's matches) matches and no veto does.
struct Reference {
  using Questions = std::vector<std::unique_ptr<baro::rules::ExactProximity>>;
  explicit Reference(const RuleSet& set) : set_(set) {
    const RE2::Options options = baro::rules::pattern_options(set.options());
    for (const auto& rule : set.rules()) {
      positive_.push_back(rule.pattern.empty() ? nullptr : std::make_unique<RE2>(rule.pattern, options));
      veto_.push_back(rule.veto_pattern.empty() ? nullptr : std::make_unique<RE2>(rule.veto_pattern, options));
      near_.emplace_back();
      for (const auto& p : rule.near) near_.back().push_back(std::make_unique<baro::rules::ExactProximity>(p, set.options()));
      unless_near_.emplace_back();
      for (const auto& p : rule.unless_near) {
        unless_near_.back().push_back(std::make_unique<baro::rules::ExactProximity>(p, set.options()));
      }
    }
  }
  static bool any_holds(const Questions& questions, const std::string& folded) {
    return std::any_of(questions.begin(), questions.end(), [&](const auto& q) { return q->holds(folded); });
  }
  void classify(const std::string& folded, std::vector<std::size_t>& fired, std::vector<std::size_t>& vetoed) const {
    fired.clear();
    vetoed.clear();
    for (std::size_t i = 0; i < positive_.size(); ++i) {
      if (!(positive_[i] && RE2::PartialMatch(folded, *positive_[i])) && !any_holds(near_[i], folded)) continue;
      if ((veto_[i] && RE2::PartialMatch(folded, *veto_[i])) || any_holds(unless_near_[i], folded)) vetoed.push_back(i);
      else fired.push_back(i);
    }
  }
  const RuleSet& set_;
  std::vector<std::unique_ptr<RE2>> positive_, veto_;
  std::vector<Questions> near_, unless_near_;
};

std::vector<std::string> rule_ids(const RuleSet& set, const std::vector<std::size_t>& indices) {
  std::vector<std::string> out;
  for (auto i : indices) out.push_back(set.rules()[i].id);
  return out;
}

// Texts that exercise the fast path's approximations with every `stride`-th keyword of the
// set (the bundled set has thousands: a sample keeps the sanitizer run short).
std::vector<std::string> stress_texts(const RuleSet& set, std::size_t stride = 1) {
  std::vector<std::string> out;
  // Neighbours: non-ASCII letters (not word boundaries), non-ASCII symbols (boundaries),
  // ASCII letters and digits, punctuation.
  const std::vector<std::pair<std::string, std::string>> around = {
      {"α", ""}, {"", "β"}, {"€", "€"}, {"• ", " •"}, {"x", ""}, {"", "2"}, {"«", "»"}, {"Ж", "Ж"}, {"", "€s"}};
  std::size_t n = 0;
  for (const auto& rule : set.rules()) {
    for (std::size_t k = 0; k < rule.keywords.size(); k += stride) {
      std::string keyword = rule.keywords[k];
      for (auto star = keyword.find('*'); star != std::string::npos; star = keyword.find('*')) {
        // A wildcard's suffix: an ASCII one, a non-ASCII letter, a symbol.
        const char* suffixes[] = {"ique", "ω", "€"};
        keyword.replace(star, 1, suffixes[n % 3]);
      }
      const auto& [before, after] = around[n++ % around.size()];
      out.push_back("Projet " + before + keyword + after + " de la commune");
      // A symbol inside a phrase, where a wildcard could swallow it.
      std::string with_symbol = keyword;
      if (auto space = with_symbol.find(' '); space != std::string::npos) with_symbol.insert(space, "€");
      out.push_back(with_symbol + " en ligne");
    }
    // Proximity: a keyword of each list, both orders, at the edge of `within` and one word
    // beyond it.
    for (const auto* questions : {&rule.near, &rule.unless_near}) {
      for (const auto& p : *questions) {
        const auto plain = [](std::string k) {
          for (auto star = k.find('*'); star != std::string::npos; star = k.find('*')) k.replace(star, 1, "s");
          return k;
        };
        const std::string a = plain(p.a[n % p.a.size()]), b = plain(p.b[n++ % p.b.size()]);
        for (int gap : {p.within - 1, p.within}) {
          std::string filler;
          for (int w = 0; w < gap; ++w) filler += " mot";
          out.push_back(a + filler + " " + b);
          out.push_back(b + filler + ", " + a);
        }
      }
    }
    for (const auto& example : rule.match_examples) out.push_back(example);
    for (const auto& example : rule.no_match_examples) out.push_back(example);
  }
  return out;
}

std::vector<std::string> eval_descriptions() {
  std::vector<std::string> out;
  for (const char* name : {"tune.jsonl", "test.jsonl"}) {
    std::ifstream in(fs::path(BARO_SOURCE_DIR) / "rules" / "fr" / "eval" / name);
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      out.push_back(nlohmann::json::parse(line).at("description").get<std::string>());
    }
  }
  return out;
}

void check_same_labels(const fs::path& dir, std::size_t stride) {
  auto set = RuleSet::load(dir);
  const RuleEngine engine(*set);
  const Reference reference(*set);
  std::vector<std::string> texts = stress_texts(*set, stride);
  const auto eval = eval_descriptions();
  texts.insert(texts.end(), eval.begin(), eval.end());
  // Pairs of evaluation descriptions: longer texts where several rules and vetoes meet.
  for (std::size_t i = 0; i + 1 < eval.size(); i += 2) texts.push_back(eval[i] + " ; " + eval[i + 1] + " α€");
  std::vector<std::size_t> fired, vetoed;
  std::size_t labelled = 0;
  for (const auto& text : texts) {
    const std::string folded = baro::fold(text);
    reference.classify(folded, fired, vetoed);
    const auto c = engine.classify(folded);
    INFO("text: " << text);
    REQUIRE(rule_ids(*set, c.fired) == rule_ids(*set, fired));
    REQUIRE(rule_ids(*set, c.vetoed) == rule_ids(*set, vetoed));
    labelled += fired.empty() ? 0 : 1;
  }
  // The comparison means something only if many texts fire rules.
  CHECK(labelled > texts.size() / 4);
}

}  // namespace

TEST_CASE("the fast path fires exactly the rules the exact patterns fire, on the fixture rule set",
          "[rules][prefilter]") {
  check_same_labels(baro::test::mini_rules_dir(), 1);
}

TEST_CASE("the fast path fires exactly the rules the exact patterns fire, on the bundled rule set",
          "[rules][prefilter]") {
  const fs::path bundled = fs::path(BARO_SOURCE_DIR) / "rules" / "fr";
  REQUIRE(fs::exists(bundled / "ruleset.json"));
  check_same_labels(bundled, 7);
}

TEST_CASE("the fast path and the single-set reference engine give the same classifications", "[rules][prefilter]") {
  baro::RuleSetOptions reference_options;
  reference_options.prefilter = false;
  const auto fast_set = RuleSet::load(baro::test::mini_rules_dir());
  const auto plain_set = RuleSet::load(baro::test::mini_rules_dir(), reference_options);
  const RuleEngine fast(*fast_set), plain(*plain_set);
  for (const auto& text : stress_texts(*fast_set)) {
    const auto a = fast.classify(baro::fold(text));
    const auto b = plain.classify(baro::fold(text));
    INFO("text: " << text);
    REQUIRE(a.primary == b.primary);
    REQUIRE(a.fired == b.fired);
    REQUIRE(a.vetoed == b.vetoed);
    REQUIRE(a.domains.size() == b.domains.size());
    for (std::size_t d = 0; d < a.domains.size(); ++d) REQUIRE(a.domains[d].score == b.domains[d].score);
  }
}

TEST_CASE("the scanner's form of a keyword matches the padded text exactly where the keyword matches",
          "[rules][prefilter]") {
  for (const std::string keyword : {"espace* public", "a[b", "wi-fi", "numeri*", "l'epn"}) {
    const RE2 padded(baro::rules::padded_keyword_pattern(keyword)), exact(baro::compile_keywords({keyword}, {}, "r"));
    REQUIRE(padded.ok());
    for (const std::string text : {"espaces public", "un espace-public", "aespace public", "espace public2", "a[b", "xa[b",
                                   "le wi fi", "wifi", "numerique", "anumerique", "numeri", "numeri€", "€numeri",
                                   "αespace public", "l' epn", "lepn", ""}) {
      INFO(keyword << " on " << text);
      CHECK(RE2::PartialMatch(" " + text + " ", padded) == RE2::PartialMatch(text, exact));
    }
  }
}
