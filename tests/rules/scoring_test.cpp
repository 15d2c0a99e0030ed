// score_rules() and what the rule set declares for it: the precedence list that breaks ties,
// the margin and runner-up of each prediction, stacking with diminishing returns, and fitted
// weights read from weights.json. Each case writes a three-domain rule set whose scores can be
// worked out by hand: a.alpha (2) and a.alphas (2) both fire on "alpha", b.beta (4), c.delta (2).
#include <catch2/catch.hpp>

#include <cmath>

#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "support/test_support.hpp"

using baro::test::TempDir;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

struct TinySet {
  TempDir dir;
  // `extra`: more keys of ruleset.json, each followed by a comma.
  explicit TinySet(const std::string& extra = {}, const std::string& weights = {}) {
    dir.write("ruleset.json", R"({"id": "tiny", "version": "1", )" + extra +
                                  R"( "domains": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"},
                                                  {"id": "c", "label": "C"}]})");
    dir.write("a.json", R"({"domain": "a", "rules": [{"id": "a.alpha", "keywords": ["alpha"], "weight": 2,
                                                     "examples": {"match": ["alpha"]}},
                                                    {"id": "a.alphas", "keywords": ["alpha*"], "weight": 2,
                                                     "examples": {"match": ["alphas"]}}]})");
    dir.write("b.json", R"({"domain": "b", "rules": [{"id": "b.beta", "keywords": ["beta"], "weight": 4,
                                                    "examples": {"match": ["beta"]}}]})");
    dir.write("c.json", R"({"domain": "c", "rules": [{"id": "c.delta", "keywords": ["delta"], "weight": 2,
                                                    "examples": {"match": ["delta"]}}]})");
    if (!weights.empty()) dir.write("weights.json", weights);
  }
  std::unique_ptr<baro::RuleSet> load() const { return baro::RuleSet::load(dir.path()); }
};

baro::Classification classify(const baro::RuleSet& rules, const std::string& text) {
  const baro::RuleEngine engine(rules);
  return engine.classify(baro::fold(text));
}

std::string weights_file(const std::string& rules_hash) {
  return R"({"format": "baro-weights/2", "ruleset": {"id": "tiny", "version": "1", "rules_hash": ")" + rules_hash +
         R"("}, "scale": 0.5, "offsets": {"a": 0, "b": -1, "c": 0}, "residuals": {"b.beta": {"a": 0.5}}})";
}

}  // namespace

TEST_CASE("a tie on score goes to the domain first in the precedence list, and is flagged", "[rules][scoring]") {
  const TinySet default_order;
  const auto rules = default_order.load();
  CHECK(rules->precedence() == std::vector<std::size_t>{0, 1, 2});
  const auto tie = classify(*rules, "alpha beta");  // a 2+2, b 4
  CHECK(tie.primary == 0u);
  CHECK(tie.runner_up == 1u);
  CHECK(tie.by_precedence);
  CHECK(tie.margin == 0.0);

  const TinySet b_first(R"("precedence": ["b", "c", "a"],)");
  const auto reordered = b_first.load();
  CHECK(reordered->domains()[0].id == "a");  // the display order does not move
  const auto won = classify(*reordered, "alpha beta");
  CHECK(won.primary == 1u);
  CHECK(won.runner_up == 0u);
  CHECK(won.by_precedence);
}

TEST_CASE("with ties first_mention, a tie goes to the domain named first in the text, then to precedence",
          "[rules][scoring]") {
  const TinySet set(R"("scoring": {"ties": "first_mention"},)");
  const auto rules = set.load();
  CHECK(rules->scoring().ties == baro::ScoringSettings::Ties::kFirstMention);
  const auto b_first = classify(*rules, "beta then alpha");  // b 4, a 2+2: b is named first
  CHECK(b_first.primary == 1u);
  CHECK(b_first.runner_up == 0u);
  CHECK(b_first.by_precedence);  // still shown as a tie
  CHECK(b_first.margin == 0.0);
  const auto a_first = classify(*rules, "alpha then beta");
  CHECK(a_first.primary == 0u);
  CHECK(a_first.by_precedence);
  // A third domain below the tie changes nothing; without a locator the tie goes by precedence.
  CHECK(classify(*rules, "delta beta alpha").primary == 1u);
  CHECK(baro::score_rules(*rules, b_first.fired, b_first.vetoed, nullptr).primary == 0u);
  // No tie: the higher score wins wherever it is named.
  CHECK(classify(*rules, "delta alpha alphas").primary == 0u);
}

TEST_CASE("a prediction carries its runner-up and margin, or its score when it is alone", "[rules][scoring]") {
  const TinySet set;
  const auto rules = set.load();
  const auto clear = classify(*rules, "beta delta");
  CHECK(clear.primary == 1u);
  CHECK(clear.runner_up == 2u);
  CHECK(clear.margin == 2.0);
  CHECK_FALSE(clear.by_precedence);

  const auto alone = classify(*rules, "delta");
  CHECK(alone.primary == 2u);
  CHECK_FALSE(alone.runner_up);
  CHECK(alone.margin == 2.0);

  const auto none = classify(*rules, "gamma");
  CHECK_FALSE(none.primary);
  CHECK_FALSE(none.by_precedence);
}

TEST_CASE("diminishing stacking counts a domain's second rule at the decay, so a pile cannot outvote",
          "[rules][scoring]") {
  const TinySet set(R"("scoring": {"stacking": "diminishing", "decay": 0.5},)");
  const auto rules = set.load();
  const auto c = classify(*rules, "alpha beta");  // a 2 + 2×0.5 = 3 against b 4
  CHECK(c.primary == 1u);
  REQUIRE(c.domains.size() == 2);
  CHECK(c.domains[0].score == 3.0);
  CHECK(c.margin == 1.0);
}

TEST_CASE("a precedence or scoring setting that does not fit the domains is refused with what to write",
          "[rules][scoring][errors]") {
  const auto refused = [](const std::string& extra) {
    const TinySet set(extra);
    try {
      set.load();
    } catch (const baro::Error& e) {
      return std::string(e.what()) + " | " + e.hint();
    }
    return std::string("loaded");
  };
  CHECK_THAT(refused(R"("precedence": ["a", "b"],)"), Contains("missing: c"));
  CHECK_THAT(refused(R"("precedence": ["a", "b", "x"],)"), Contains("\"x\", which is not a domain"));
  CHECK_THAT(refused(R"("precedence": ["a", "b", "b"],)"), Contains("lists \"b\" twice"));
  CHECK_THAT(refused(R"("scoring": {"stacking": "max"},)"), Contains("unknown \"stacking\" \"max\""));
  CHECK_THAT(refused(R"("scoring": {"stacking": "diminishing", "decay": 1.5},)"), Contains("above 0 and at most 1"));
  CHECK_THAT(refused(R"("scoring": {"ties": "random"},)"), Contains("unknown \"ties\" \"random\""));
}

TEST_CASE("fitted weights from weights.json decide, as shares of the candidate domains", "[rules][scoring][fit]") {
  const TinySet plain;
  const std::string hash = plain.load()->rules_hash();
  const TinySet fitted({}, weights_file(hash));
  const auto rules = fitted.load();
  REQUIRE(rules->fitted() != nullptr);
  CHECK(rules->rules_hash() == hash);
  CHECK(rules->content_hash() != hash);  // the weights change labels, so they are part of the identity

  // Hand-set a 4, b 4; scaled by 0.5: a 2 + b.beta's residual 0.5 = 2.5, b 2 + offset -1 = 1.
  const auto c = classify(*rules, "alpha beta");
  CHECK(c.primary == 0u);
  REQUIRE(c.domains.size() == 2);
  const double share_a = std::exp(2.5) / (std::exp(2.5) + std::exp(1.0));
  CHECK_THAT(c.domains[0].score, WithinAbs(share_a, 1e-12));
  CHECK_THAT(c.domains[1].score, WithinAbs(1 - share_a, 1e-12));
  CHECK_THAT(c.margin, WithinAbs(2 * share_a - 1, 1e-12));
  // explain's per-rule contribution: the scaled hand-set weight for its own domain + residual.
  const auto beta = *rules->find_rule("b.beta");
  CHECK(baro::fitted_contribution(*rules, *rules->fitted(), beta, 0) == 0.5);
  CHECK(baro::fitted_contribution(*rules, *rules->fitted(), beta, 1) == 2.0);
  // The hand-set weights stay available to compare with.
  CHECK(baro::score_rules(*rules, c.fired, c.vetoed, nullptr).primary == 0u);  // the 4-4 tie, by precedence
}

TEST_CASE("rules check warns when weights.json was fitted on other rules, with the command to refit",
          "[rules][scoring][fit]") {
  const TinySet stale({}, weights_file("0123456789abcdef0123456789abcdef"));
  const auto check = baro::RuleSet::check(stale.dir.path());
  std::string problems;
  for (const auto& problem : check.problems) problems += std::string(problem.what()) + "\n";
  INFO(problems);
  CHECK(check.problems.empty());
  REQUIRE(check.warnings.size() == 1);
  CHECK_THAT(check.warnings[0].what(), Contains("fitted on another version of the rules"));
  CHECK_THAT(check.warnings[0].hint(), Contains("baro rules fit --rules"));

  const TinySet broken({}, R"({"format": "something else"})");
  CHECK_THROWS_WITH(broken.load(), Contains("weights.json is not a weights file"));
  // The format of the earlier one-vs-rest fit is refused with the command to refit.
  const TinySet old_format({}, R"({"format": "baro-weights/1", "offsets": {}, "weights": {}})");
  CHECK_THROWS_WITH(old_format.load(), Contains("earlier `baro rules fit`") && Contains("baro-weights/1"));
  try {
    old_format.load();
    FAIL("baro-weights/1 was accepted");
  } catch (const baro::Error& e) {
    CHECK_THAT(e.hint(), Contains("baro rules fit --rules"));
  }
}
