#include <catch2/catch.hpp>

#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "support/test_support.hpp"

using baro::RuleEngine;
using baro::RuleSet;
using baro::test::TempDir;

namespace {

// A one-domain-file rule set written from JSON text, for the loader's error cases.
std::filesystem::path write_rule_set(const TempDir& dir, const std::string& rules_json,
                                     const std::string& domains = R"J([{"id": "acces", "label": "Accès", "file": "acces.json"},
                                                                      {"id": "culture", "label": "Culture", "file": "culture.json"}])J") {
  dir.write("rules/ruleset.json", R"J({"id": "t", "version": "1", "domains": )J" + domains + "}");
  dir.write("rules/acces.json", rules_json);
  dir.write("rules/culture.json", R"J({"domain": "culture", "rules": []})J");
  return dir / "rules";
}

std::vector<std::string> fired_ids(const RuleSet& set, const RuleEngine& engine, const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t r : engine.classify(baro::fold(text)).fired) out.push_back(set.rules()[r].id);
  return out;
}

baro::Error load_error(const std::filesystem::path& dir) {
  try {
    auto set = RuleSet::load(dir);
    RuleEngine engine(*set);
  } catch (const baro::Error& e) {
    return e;
  }
  FAIL("the rule set loaded without error");
  return baro::Error(baro::ExitCode::kOk, "");
}

}  // namespace

TEST_CASE("keywords match on word boundaries, whatever the accents and case", "[rules][keywords]") {
  auto set = RuleSet::load(baro::test::mini_rules_dir());
  RuleEngine engine(*set);
  CHECK(fired_ids(*set, engine, "Installation de TNI à l'ÉCOLE") == std::vector<std::string>{"education.ecole"});
  CHECK(fired_ids(*set, engine, "Réunion des parents").empty());        // "ent" inside "parents"
  CHECK(fired_ids(*set, engine, "Accès à l'ENT").size() == 1);          // "ent" alone
  CHECK(fired_ids(*set, engine, "Les écoles du village").size() == 1);   // ecole* suffix wildcard
  CHECK(fired_ids(*set, engine, "Les écoliers").empty());               // but not another word
}

TEST_CASE("keyword phrases accept any run of spaces, hyphens or apostrophes between words", "[rules][keywords]") {
  auto set = RuleSet::load(baro::test::mini_rules_dir());
  RuleEngine engine(*set);
  for (const char* text : {"un espace public numérique", "un espace-public  numérique", "un Espace Public’Numérique"}) {
    INFO(text);
    CHECK(fired_ids(*set, engine, text) == std::vector<std::string>{"acces.epn"});
  }
  CHECK(fired_ids(*set, engine, "un espace publicnumérique").empty());
}

TEST_CASE("compile_keywords escapes regex syntax and rejects misplaced wildcards", "[rules][keywords]") {
  const baro::SourceLocation here{"x.json", 1, 1};
  const std::string pattern = baro::compile_keywords({"c++ (avancé)", "numeri*"}, here, "r");
  CHECK_THAT(pattern, Catch::Contains(R"J(c\+\+)J"));
  CHECK_THAT(pattern, Catch::Contains(R"J(\(avance\))J"));
  REQUIRE_THROWS_WITH(baro::compile_keywords({"nu*meri"}, here, "r"), Catch::Contains("may only end a word"));
  REQUIRE_THROWS_WITH(baro::compile_keywords({" - ' "}, here, "r"), Catch::Contains("is empty"));
  REQUIRE_THROWS_WITH(baro::compile_keywords({"*"}, here, "r"), Catch::Contains("lone '*'"));
}

TEST_CASE("scores sum the weights and the highest score is primary", "[rules][scoring]") {
  auto set = RuleSet::load(baro::test::mini_rules_dir());
  RuleEngine engine(*set);
  // education.cantine (3) beats demarches.en_ligne (2): canteen registration is education.
  const auto c = engine.classify(baro::fold("Inscription à la cantine en ligne"));
  REQUIRE(c.primary);
  CHECK(set->domains()[*c.primary].id == "education");
  REQUIRE(c.domains.size() == 2);
  CHECK(set->domains()[c.domains[0].domain].id == "education");
  CHECK(c.domains[0].score == 3.0);
  CHECK(c.domains[1].score == 2.0);
  // Two acces rules add up: 3 + 2 beats culture's 3.
  const auto sum = engine.classify(baro::fold("EPN et ateliers numériques à la médiathèque"));
  CHECK(set->domains()[*sum.primary].id == "acces");
}

TEST_CASE("a tie goes to the domain listed first in ruleset.json", "[rules][scoring]") {
  auto set = RuleSet::load(baro::test::mini_rules_dir());
  RuleEngine engine(*set);
  // acces.epn (3, acces is 1st) vs culture.mediatheque (3, culture is 3rd).
  const auto c = engine.classify(baro::fold("EPN de la médiathèque"));
  CHECK(set->domains()[*c.primary].id == "acces");
  // economie.coworking (3) vs culture.mediatheque (3): culture is listed first.
  const auto d = engine.classify(baro::fold("coworking à la médiathèque"));
  CHECK(set->domains()[*d.primary].id == "culture");
}

TEST_CASE("unless vetoes a rule and the veto is reported", "[rules][unless]") {
  auto set = RuleSet::load(baro::test::mini_rules_dir());
  RuleEngine engine(*set);
  const auto c = engine.classify(baro::fold("Ateliers numériques pour les agents municipaux"));
  CHECK_FALSE(c.primary);
  REQUIRE(c.vetoed.size() == 1);
  CHECK(set->rules()[c.vetoed[0]].id == "acces.atelier");
}

TEST_CASE("no match means unclassified", "[rules][scoring]") {
  auto set = RuleSet::load(baro::test::mini_rules_dir());
  RuleEngine engine(*set);
  const auto c = engine.classify(baro::fold("Réfection de la toiture de l'église"));
  CHECK_FALSE(c.primary);
  CHECK(c.domains.empty());
  CHECK(c.fired.empty());
}

TEST_CASE("spans locate keywords without their word boundaries", "[rules][spans]") {
  auto set = RuleSet::load(baro::test::mini_rules_dir());
  RuleEngine engine(*set);
  const std::string text = baro::fold("EPN, puis un EPN.");
  const auto spans = engine.spans(*set->find_rule("acces.epn"), text);
  REQUIRE(spans.size() == 2);
  CHECK(text.substr(spans[0].begin, spans[0].end - spans[0].begin) == "epn");
  CHECK(spans[0].begin == 0);
  CHECK(text.substr(spans[1].begin, spans[1].end - spans[1].begin) == "epn");
}

TEST_CASE("regex rules are matched case-insensitively on folded text, accents in patterns folded", "[rules][regex]") {
  TempDir dir;
  auto set = RuleSet::load(write_rule_set(dir, R"J({"domain": "acces", "rules": [
      {"id": "acces.fibre", "regex": "fibre (optique|très haut débit)"}]})J"));
  RuleEngine engine(*set);
  CHECK(fired_ids(*set, engine, "Déploiement FIBRE TRES HAUT DEBIT") == std::vector<std::string>{"acces.fibre"});
  CHECK(fired_ids(*set, engine, "fibre artistique").empty());
}

TEST_CASE("rule set errors name the file, line, column and rule id", "[rules][errors]") {
  TempDir dir;
  SECTION("invalid JSON") {
    const auto e = load_error(write_rule_set(dir, "{\"domain\": \"acces\",\n \"rules\": [,]}"));
    CHECK(e.code() == baro::ExitCode::kConfig);
    CHECK(e.where().line == 2);
    CHECK_THAT(e.message(), Catch::Contains("invalid JSON"));
  }
  SECTION("a regex RE2 cannot compile") {
    const auto e = load_error(write_rule_set(dir, "{\"domain\": \"acces\", \"rules\": [\n  {\"id\": \"acces.bad\", \"regex\": \"(?<=x)y\"}]}"));
    CHECK(e.where().line == 2);
    CHECK(e.where().column == 4);
    CHECK_THAT(e.message(), Catch::Contains("acces.bad") && Catch::Contains("RE2 cannot compile"));
  }
  SECTION("a pattern too large for the memory budget") {
    const auto e = load_error(write_rule_set(dir, R"J({"domain": "acces", "rules": [{"id": "acces.huge", "regex": "((a|b|c|d){1000}){1000}"}]})J"));
    CHECK_THAT(e.message(), Catch::Contains("acces.huge"));
  }
  SECTION("a duplicate rule id") {
    const auto e = load_error(write_rule_set(dir, R"J({"domain": "acces", "rules": [
      {"id": "acces.x", "keywords": ["a"]},
      {"id": "acces.x", "keywords": ["b"]}]})J"));
    CHECK_THAT(e.message(), Catch::Contains("duplicate rule id \"acces.x\"") && Catch::Contains("acces.json:2"));
    CHECK(e.where().line == 3);
  }
  SECTION("an unknown domain") {
    const auto e = load_error(write_rule_set(dir, R"J({"domain": "sport", "rules": []})J"));
    CHECK_THAT(e.message(), Catch::Contains("not a domain of ruleset.json"));
  }
  SECTION("an unknown key, with the allowed ones listed") {
    const auto e = load_error(write_rule_set(dir, R"J({"domain": "acces", "rules": [{"id": "acces.x", "keyword": ["a"]}]})J"));
    CHECK_THAT(e.message(), Catch::Contains("unknown key \"keyword\""));
    CHECK_THAT(e.hint(), Catch::Contains("keywords"));
  }
  SECTION("a rule with both keywords and regex") {
    const auto e = load_error(write_rule_set(dir, R"J({"domain": "acces", "rules": [{"id": "acces.x", "keywords": ["a"], "regex": "b"}]})J"));
    CHECK_THAT(e.message(), Catch::Contains("has a \"regex\" and \"keywords\": a regex rule stands alone"));
  }
  SECTION("a missing folder") {
    const auto e = load_error(dir / "nowhere");
    CHECK(e.code() == baro::ExitCode::kConfig);
  }
}

TEST_CASE("comments are allowed in rule files and the content hash tracks the files", "[rules][loader]") {
  TempDir dir;
  const auto path = write_rule_set(dir, "// a comment\n{\"domain\": \"acces\", /* inline */ \"rules\": [{\"id\": \"acces.x\", \"keywords\": [\"a\"]}]}");
  const auto first = RuleSet::load(path)->content_hash();
  CHECK(first.size() == 32);
  CHECK(RuleSet::load(path)->content_hash() == first);
  dir.write("rules/acces.json", "{\"domain\": \"acces\", \"rules\": [{\"id\": \"acces.x\", \"keywords\": [\"b\"]}]}");
  CHECK(RuleSet::load(path)->content_hash() != first);
}

TEST_CASE("the fixture rule set's own examples and expectations hold", "[rules][examples]") {
  auto set = RuleSet::load(baro::test::mini_rules_dir());
  RuleEngine engine(*set);
  for (std::size_t r = 0; r < set->rules().size(); ++r) {
    const auto& rule = set->rules()[r];
    for (const auto& text : rule.match_examples) {
      INFO(rule.id << " should match: " << text);
      const auto fired = engine.classify(baro::fold(text)).fired;
      CHECK(std::find(fired.begin(), fired.end(), r) != fired.end());
    }
    for (const auto& text : rule.no_match_examples) {
      INFO(rule.id << " should not match: " << text);
      const auto fired = engine.classify(baro::fold(text)).fired;
      CHECK(std::find(fired.begin(), fired.end(), r) == fired.end());
    }
  }
  REQUIRE(set->expectations().size() == 2);
  const auto c = engine.classify(baro::fold(set->expectations()[1].text));
  CHECK_FALSE(c.primary);
}

TEST_CASE("the engine fires exactly the rules whose own pattern matches and whose vetoes do not", "[rules][engine]") {
  // Keyword rules run in one RE2::Set, regex rules one by one, vetoes only on what matched:
  // whatever the split, the result must equal running every rule alone.
  TempDir dir;
  auto set = RuleSet::load(write_rule_set(dir, R"J({"domain": "acces", "rules": [
      {"id": "acces.kw", "keywords": ["atelier*", "wifi"], "unless": ["agents"]},
      {"id": "acces.gap", "regex": "\\b(aide|accompagnement)\\b.{0,30}\\b(numerique|internet)\\b", "unless_regex": ["formation .{0,20}agents"]},
      {"id": "acces.alt", "regex": "fibre|tres haut debit"}]})J"));
  RuleEngine engine(*set);
  const std::vector<std::string> texts = {
      "Ateliers numériques", "Aide au numérique pour tous", "aide aux devoirs, puis plus loin que trente caractères : internet",
      "Ateliers pour les agents", "Accompagnement internet et formation des nouveaux agents", "Wifi et fibre optique",
      "rien", "", "Très haut débit", "accompagnement numerique"};
  for (const auto& text : texts) {
    INFO(text);
    const std::string folded = baro::fold(text);
    std::vector<std::size_t> expected;
    for (std::size_t r = 0; r < set->rules().size(); ++r) {
      const auto& rule = set->rules()[r];
      const bool matches = !engine.spans(r, folded).empty();
      const bool vetoed = !rule.veto_pattern.empty() && !engine.veto_spans(r, folded).empty();
      if (matches && !vetoed) expected.push_back(r);
    }
    CHECK(engine.classify(folded).fired == expected);
  }
}
