// Proximity rules (`near`, `unless_near`): what "within N words" means, the order, the
// vetoes, the loader's refusals, the spans explain shows, and that the word matcher of the
// single pass labels exactly as the plain definition on RE2's matches (prefilter off).
#include <catch2/catch.hpp>

#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "rules/proximity.hpp"
#include "support/test_support.hpp"

using baro::RuleEngine;
using baro::RuleSet;
using baro::test::TempDir;

namespace {

std::filesystem::path write_rule_set(const TempDir& dir, const std::string& rules_json) {
  dir.write("rules/ruleset.json", R"J({"id": "t", "version": "1", "domains": [
      {"id": "acces", "label": "Accès", "file": "acces.json"},
      {"id": "culture", "label": "Culture", "file": "culture.json"}]})J");
  dir.write("rules/acces.json", rules_json);
  dir.write("rules/culture.json", R"J({"domain": "culture", "rules": []})J");
  return dir / "rules";
}

// Workshops near digital words, vetoed when staff training is near; plus a keyword rule and
// an ordered question, so that each engine path meets every kind of rule.
const char* const kRules = R"J({"domain": "acces", "rules": [
  {"id": "acces.ateliers", "weight": 3,
   "near": {"a": ["atelier*", "initiation*", "formation*"], "b": ["numerique*", "informatique*", "tablette*"], "within": 3},
   "unless_near": [{"a": ["formation*"], "b": ["agent*", "personnel* communal*"], "within": 3}],
   "examples": {"match": ["Ateliers numériques"], "no_match": ["Formation informatique des agents"]}},
  {"id": "acces.aide", "weight": 2,
   "near": [{"a": ["aide*"], "b": ["demarche* en ligne"], "within": 4, "order": "a_then_b"},
            {"a": ["c++"], "b": ["cours"], "within": 1}],
   "examples": {"match": ["Aide aux démarches en ligne"]}},
  {"id": "acces.epn", "keywords": ["epn", "espace public numerique"], "unless": ["ferme*"],
   "examples": {"match": ["EPN"]}},
  {"id": "acces.mixte", "keywords": ["cyber base"], "near": {"a": ["borne*"], "b": ["wifi"], "within": 2},
   "examples": {"match": ["Cyber-base", "Borne wifi"]}}
]})J";

std::vector<std::string> fired(const RuleSet& set, const RuleEngine& engine, const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t r : engine.classify(baro::fold(text)).fired) out.push_back(set.rules()[r].id);
  return out;
}

using Ids = std::vector<std::string>;

baro::Error load_error(const std::string& rules_json) {
  TempDir dir;
  try {
    RuleSet::load(write_rule_set(dir, rules_json));
  } catch (const baro::Error& e) {
    return e;
  }
  FAIL("the rule set loaded without error");
  return baro::Error(baro::ExitCode::kOk, "");
}

}  // namespace

TEST_CASE("a near rule fires when a keyword of a is within N words of one of b, in either order", "[rules][near]") {
  TempDir dir;
  const auto set = RuleSet::load(write_rule_set(dir, kRules));
  const RuleEngine engine(*set);
  CHECK(fired(*set, engine, "Ateliers numériques") == Ids{"acces.ateliers"});                          // adjacent: 1
  CHECK(fired(*set, engine, "Atelier pour le numérique") == Ids{"acces.ateliers"});                    // 3 words on
  CHECK(fired(*set, engine, "Atelier pour tous, chaque mois, au numérique").empty());                  // 5 words on
  CHECK(fired(*set, engine, "Des tablettes en initiation") == Ids{"acces.ateliers"});                  // b before a
  CHECK(fired(*set, engine, "Initiation-numérique") == Ids{"acces.ateliers"});                         // any separator
  CHECK(fired(*set, engine, "Ateliers").empty());                                                      // a alone
  CHECK(fired(*set, engine, "Le numérique : ateliers").size() == 1);                                   // punctuation is no word
}

TEST_CASE("a near question in order a_then_b does not fire the other way round", "[rules][near]") {
  TempDir dir;
  const auto set = RuleSet::load(write_rule_set(dir, kRules));
  const RuleEngine engine(*set);
  CHECK(fired(*set, engine, "Aide gratuite aux démarches en ligne") == Ids{"acces.aide"});
  CHECK(fired(*set, engine, "Démarches en ligne : une aide").empty());
  // A phrase keyword counts from its last word, and a keyword with a symbol still has words.
  CHECK(fired(*set, engine, "cours de C++").empty());
  CHECK(fired(*set, engine, "C++ cours") == Ids{"acces.aide"});
}

TEST_CASE("a rule with keywords and near fires on either", "[rules][near]") {
  TempDir dir;
  const auto set = RuleSet::load(write_rule_set(dir, kRules));
  const RuleEngine engine(*set);
  CHECK(fired(*set, engine, "Une cyber-base") == Ids{"acces.mixte"});
  CHECK(fired(*set, engine, "Une borne avec wifi") == Ids{"acces.mixte"});
  CHECK(fired(*set, engine, "Une borne, puis plus loin du wifi").empty());
}

TEST_CASE("two matches that share a word are not near each other", "[rules][near]") {
  TempDir dir;
  const auto set = RuleSet::load(write_rule_set(dir, R"J({"domain": "acces", "rules": [
      {"id": "acces.x", "near": {"a": ["atelier numerique"], "b": ["numerique*"], "within": 2}, "examples": {"match": ["x"]}}]})J"));
  const RuleEngine engine(*set);
  CHECK(fired(*set, engine, "atelier numérique").empty());
  CHECK(fired(*set, engine, "atelier numérique et numérique").size() == 1);
}

TEST_CASE("unless_near vetoes a rule when its own question holds", "[rules][near]") {
  TempDir dir;
  const auto set = RuleSet::load(write_rule_set(dir, kRules));
  const RuleEngine engine(*set);
  const auto c = engine.classify(baro::fold("Formation informatique des agents"));
  CHECK(c.fired.empty());
  REQUIRE(c.vetoed.size() == 1);
  CHECK(set->rules()[c.vetoed.front()].id == "acces.ateliers");
  // The veto's words too far apart: the rule fires.
  CHECK(fired(*set, engine, "Formation informatique pour les habitants et, plus tard, les agents") ==
        Ids{"acces.ateliers"});
}

TEST_CASE("explain's spans of a near rule are both keywords of each pair that holds", "[rules][near][spans]") {
  TempDir dir;
  const auto set = RuleSet::load(write_rule_set(dir, kRules));
  const RuleEngine engine(*set);
  const std::string text = baro::fold("Ateliers numériques et formation sur tablette");
  const auto spans = engine.spans(*set->find_rule("acces.ateliers"), text);
  std::vector<std::string> words;
  for (const auto& s : spans) words.push_back(text.substr(s.begin, s.end - s.begin));
  CHECK(words == Ids{"ateliers", "numeriques", "formation", "tablette"});
  const std::string staff = baro::fold("Formation des agents");
  const auto veto = engine.veto_spans(*set->find_rule("acces.ateliers"), staff);
  REQUIRE(veto.size() == 2);
  CHECK(staff.substr(veto[1].begin, veto[1].end - veto[1].begin) == "agents");
}

TEST_CASE("the word matcher labels exactly as proximity on RE2's matches", "[rules][near][prefilter]") {
  TempDir dir;
  const auto path = write_rule_set(dir, kRules);
  baro::RuleSetOptions reference_options;
  reference_options.prefilter = false;
  const auto fast_set = RuleSet::load(path);
  const auto reference_set = RuleSet::load(path, reference_options);
  const RuleEngine fast(*fast_set), reference(*reference_set);
  const std::vector<std::string> words = {"atelier", "ateliers", "numerique", "tablette", "formation", "agents",
                                          "aide", "demarches en ligne", "c++", "cours", "epn", "borne", "wifi", "de", ",",
                                          "€", "-", "l'", "x2"};
  // Every sequence of up to four of these words, joined by a space: distances 1 to 3, both
  // orders, vetoes, symbols between words.
  std::size_t texts = 0;
  std::vector<std::size_t> index(4, 0);
  for (std::size_t n = 1; n <= 4; ++n) {
    std::size_t total = 1;
    for (std::size_t k = 0; k < n; ++k) total *= words.size();
    for (std::size_t code = 0; code < total; code += n == 4 ? 13 : 1) {
      std::string text;
      for (std::size_t k = 0, c = code; k < n; ++k, c /= words.size()) text += (k ? " " : "") + words[c % words.size()];
      const std::string folded = baro::fold(text);
      const auto f = fast.classify(folded), r = reference.classify(folded);
      INFO(text);
      CHECK(f.fired == r.fired);
      CHECK(f.vetoed == r.vetoed);
      ++texts;
    }
  }
  CHECK(texts > 10000);
}

TEST_CASE("the loader refuses malformed proximity questions with the rule and what to do", "[rules][near][errors]") {
  const auto message = [](const std::string& rule) {
    return std::string(load_error(R"J({"domain": "acces", "rules": [)J" + rule + "]}").what());
  };
  CHECK_THAT(message(R"J({"id": "acces.x", "near": {"a": [], "b": ["y"], "within": 3}})J"),
             Catch::Contains("\"a\" of \"near\" of rule acces.x is an empty list"));
  CHECK_THAT(message(R"J({"id": "acces.x", "near": {"a": ["x"], "within": 3}})J"),
             Catch::Contains("has no \"b\" list"));
  CHECK_THAT(message(R"J({"id": "acces.x", "near": {"a": ["x"], "b": ["y"], "within": 31}})J"),
             Catch::Contains("\"within\" must be a whole number of words from 1 to 30"));
  CHECK_THAT(message(R"J({"id": "acces.x", "near": {"a": ["x"], "b": ["y"], "within": 0}})J"),
             Catch::Contains("from 1 to 30"));
  CHECK_THAT(message(R"J({"id": "acces.x", "near": {"a": ["x"], "b": ["y"]}})J"), Catch::Contains("has no \"within\""));
  CHECK_THAT(message(R"J({"id": "acces.x", "near": {"a": ["x"], "b": ["y"], "within": 2, "order": "b_then_a"}})J"),
             Catch::Contains("\"order\" must be \"either\" (the default) or \"a_then_b\""));
  CHECK_THAT(message(R"J({"id": "acces.x", "regex": "x", "near": {"a": ["x"], "b": ["y"], "within": 2}})J"),
             Catch::Contains("has a \"regex\" and \"near\": a regex rule stands alone"));
  CHECK_THAT(message(R"J({"id": "acces.x", "near": []})J"), Catch::Contains("a non-empty list of objects"));
  CHECK_THAT(message(R"J({"id": "acces.x", "near": {"a": ["x*y"], "b": ["y"], "within": 2}})J"),
             Catch::Contains("'*' is a suffix wildcard"));
  CHECK_THAT(message(R"J({"id": "acces.x", "keywords": ["x"], "unless_near": {"a": ["x"], "b": ["y"], "within": 2, "gap": 1}})J"),
             Catch::Contains("unknown key \"gap\""));
  const baro::Error e = load_error(R"J({"domain": "acces", "rules": [{"id": "acces.x", "near": {"a": [], "b": ["y"], "within": 3}}]})J");
  CHECK(e.code() == baro::ExitCode::kConfig);
  CHECK_THAT(e.where().file, Catch::EndsWith("acces.json"));
}

TEST_CASE("rules check notes a regex that near could say, and names a near example that does not hold",
          "[rules][near][check]") {
  TempDir dir;
  const auto path = write_rule_set(dir, R"J({"domain": "acces", "rules": [
    {"id": "acces.r", "regex": "\\b(atelier)s?\\b.{0,40}\\b(numerique)", "examples": {"match": ["Ateliers numériques"]}},
    {"id": "acces.n", "near": {"a": ["atelier*"], "b": ["numerique*"], "within": 2},
     "examples": {"match": ["Ateliers du samedi matin : numérique"]}}]})J");
  const auto check = RuleSet::check(path);
  REQUIRE(check.notes.size() == 1);
  CHECK_THAT(check.notes[0].what(), Catch::Contains("the regex of rule acces.r is a word list near a word list"));
  REQUIRE(check.problems.size() == 1);
  CHECK_THAT(check.problems[0].what(), Catch::Contains("of rule acces.n contradicts it: no keyword of \"a\" is near enough"));
}
