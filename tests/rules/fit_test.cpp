// fit_weights() and weights_json(): the conditional logit recovers a known scale and offset
// from descriptions labelled in known proportions, is deterministic to the byte, and what it
// writes the engine reads back and applies exactly as the fit predicted. The rule set has
// three domains: a.alpha (2) and a.alphas (2) both fire on "alpha", a.alphas alone on
// "alphas", b.beta (4), c.delta (2).
#include <catch2/catch.hpp>

#include <cmath>

#include "baro/error.hpp"
#include "baro/fit.hpp"
#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "support/test_support.hpp"

using baro::test::TempDir;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

void write_set(const TempDir& dir) {
  dir.write("rules/ruleset.json", R"({"id": "tiny", "version": "1",
      "domains": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}, {"id": "c", "label": "C"}]})");
  dir.write("rules/a.json", R"({"domain": "a", "rules": [{"id": "a.alpha", "keywords": ["alpha"], "weight": 2,
                                                   "examples": {"match": ["alpha"]}},
                                                  {"id": "a.alphas", "keywords": ["alpha*"], "weight": 2,
                                                   "examples": {"match": ["alphas"]}}]})");
  dir.write("rules/b.json", R"({"domain": "b", "rules": [{"id": "b.beta", "keywords": ["beta"], "weight": 4,
                                                   "examples": {"match": ["beta"]}}]})");
  dir.write("rules/c.json", R"({"domain": "c", "rules": [{"id": "c.delta", "keywords": ["delta"], "weight": 2,
                                                   "examples": {"match": ["delta"]}}]})");
}

// `n` copies of `text` labelled `gold` (nullopt: no domain).
void add(baro::FitInput& input, const std::string& text, std::optional<std::string> gold, int n) {
  for (int i = 0; i < n; ++i) {
    baro::LabelledText item;
    item.id = "#" + std::to_string(input.items.size() + 1);
    item.description = text;
    item.gold = gold;
    input.items.push_back(item);
  }
}

// "alphas delta": a 2 against c 2, so a's log-odds are offset_a - offset_c: 9 to 3 says ln 3.
// "alpha delta": a 4 against c 2, log-odds 2 × scale + ln 3: 18 to 2 says ln 9, so scale is
// ln 3 / 2. Domain b is never a candidate there: its offset stays 0.
baro::FitInput known_proportions(const TempDir& dir) {
  baro::FitInput input;
  add(input, "alphas delta", "a", 9);
  add(input, "alphas delta", "c", 3);
  add(input, "alpha delta", "a", 18);
  add(input, "alpha delta", "c", 2);
  add(input, "nothing fires here", std::nullopt, 2);
  std::string lines;
  for (const auto& item : input.items) {
    lines += R"({"description": ")" + item.description + R"(", "gold": )" +
             (item.gold ? "\"" + *item.gold + "\"" : std::string("null")) + "}\n";
  }
  input.path = dir.write("train.jsonl", lines);
  return input;
}

}  // namespace

TEST_CASE("rules fit recovers the scale and offsets that generated the labels", "[rules][fit]") {
  TempDir dir;
  write_set(dir);
  const auto rules = baro::RuleSet::load(dir / "rules");
  const baro::RuleEngine engine(*rules);
  baro::FitOptions options;
  options.residuals = baro::FitOptions::Residuals::kNone;
  options.folds = 2;
  options.repeats = 1;
  const auto fit = baro::fit_weights(engine, {known_proportions(dir)}, options);
  CHECK(fit.used == 32);
  CHECK_THAT(fit.weights.scale, WithinAbs(std::log(3.0) / 2, 2e-3));
  CHECK_THAT(fit.weights.offsets[0] - fit.weights.offsets[2], WithinAbs(std::log(3.0), 2e-3));
  CHECK(fit.weights.offsets[1] == 0.0);
  // The hand-set weights give a every time (4 or the tie 2-2 by precedence): 27 of 32, and the
  // 2 unlabelled ones stay unclassified. The fit cannot do better than the majorities either.
  CHECK(fit.all.total == 34);
  CHECK(fit.all.hand_set_correct == 29);
  CHECK(fit.all.gains.size() == 2);
}

TEST_CASE("rules fit with residuals weighs a file and is deterministic to the byte", "[rules][fit]") {
  TempDir dir;
  write_set(dir);
  const auto rules = baro::RuleSet::load(dir / "rules");
  const baro::RuleEngine engine(*rules);
  baro::FitInput input;
  add(input, "beta alpha", "a", 6);  // the 4-4 tie goes to a by precedence: right
  add(input, "beta delta", "c", 4);  // b 4 against c 2: the hand-set weights say b
  add(input, "beta", "b", 4);
  add(input, "delta", "c", 4);
  std::string lines;
  for (const auto& item : input.items) lines += R"({"description": ")" + item.description + R"(", "gold": ")" + *item.gold + "\"}\n";
  input.path = dir.write("train.jsonl", lines);
  baro::FitOptions options;
  options.cost = 3;
  options.folds = 3;
  options.residuals = baro::FitOptions::Residuals::kOwnDomain;
  const auto fit = baro::fit_weights(engine, {input}, options);
  // "beta delta" now goes to c; c.delta's residual is for c (its own domain) only, and is
  // pulled up (the offsets, barely penalised, do most of the work).
  const auto delta = *rules->find_rule("c.delta");
  CHECK(fit.weights.residuals[delta][2] >= 0.0);
  CHECK(fit.weights.residuals[delta][1] == 0.0);
  CHECK(baro::score_rules(*rules, engine.classify("beta delta").fired, {}, &fit.weights).primary == 2u);
  CHECK(fit.all.hand_set_correct == 14);

  const std::string first = baro::weights_json(*rules, {input}, options, fit);
  const auto again = baro::fit_weights(engine, {input}, options);
  CHECK(baro::weights_json(*rules, {input}, options, again) == first);
  CHECK_THAT(first, Contains("\"format\": \"baro-weights/2\""));
  CHECK_THAT(first, Contains("\"residuals\": \"own-domain\""));

  // The file read back gives the same parameters and the same labels as the fit's own.
  dir.write("rules/weights.json", first);
  const auto fitted = baro::RuleSet::load(dir / "rules");
  REQUIRE(fitted->fitted() != nullptr);
  CHECK(fitted->fitted()->scale == fit.weights.scale);
  CHECK(fitted->fitted()->offsets == fit.weights.offsets);
  CHECK(fitted->fitted()->residuals == fit.weights.residuals);
  const baro::RuleEngine with_weights(*fitted);
  for (const std::string text : {"beta alpha", "beta delta", "alphas delta", "delta", "nothing"}) {
    INFO(text);
    const auto c = with_weights.classify(baro::fold(text));
    CHECK(c.primary == baro::score_rules(*rules, engine.classify(baro::fold(text)).fired, {}, &fit.weights).primary);
  }
  CHECK_FALSE(with_weights.classify("nothing").primary.has_value());  // unclassified never moves

  // A file's weight counts: the same descriptions with the tie file weighted differently
  // give other numbers.
  input.weight = 5;
  const auto weighted = baro::fit_weights(engine, {input}, options);
  CHECK(weighted.weights.offsets != fit.weights.offsets);
}

TEST_CASE("rules fit refuses what cannot be fitted, with what to do", "[rules][fit]") {
  TempDir dir;
  write_set(dir);
  const auto rules = baro::RuleSet::load(dir / "rules");
  const baro::RuleEngine engine(*rules);
  baro::FitInput input;
  input.path = dir / "none.jsonl";
  add(input, "nothing fires", "a", 3);
  CHECK_THROWS_WITH(baro::fit_weights(engine, {input}, {}), Contains("nothing to fit on"));
  baro::FitOptions one_fold;
  one_fold.folds = 1;
  CHECK_THROWS_WITH(baro::fit_weights(engine, {input}, one_fold), Contains("at least 2 folds"));
}

TEST_CASE("the gain's interval is Student's with the folds of one repeat as observations", "[rules][fit]") {
  const auto m = baro::mean_interval({1.0, 3.0, 2.0, 2.0}, 4);
  CHECK_THAT(m.mean, WithinAbs(2.0, 1e-12));
  CHECK_THAT(m.sd, WithinAbs(std::sqrt(2.0 / 3.0), 1e-12));
  CHECK_THAT(m.half_width, WithinAbs(3.182446305 * std::sqrt(2.0 / 3.0) / 2.0, 1e-6));
  CHECK(baro::mean_interval({}, 5).mean == 0.0);
}
