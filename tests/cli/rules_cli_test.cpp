// End-to-end: `baro rules check`, `baro rules test` and `baro eval` as a maintainer runs them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;
using nlohmann::json;

namespace {

const std::string kRules = baro::test::mini_rules_dir().string();

// A copy of the fixture set in `dir`/rules with one domain file replaced.
std::filesystem::path rules_with(const TempDir& dir, const std::string& file, const std::string& content) {
  std::filesystem::copy(baro::test::mini_rules_dir(), dir / "rules", std::filesystem::copy_options::recursive);
  dir.write("rules/" + file, content);
  return dir / "rules";
}

}  // namespace

TEST_CASE("baro rules check passes a sound set and lists every problem of a broken one", "[cli][rules][check]") {
  const auto ok = run_baro({"rules", "check", kRules});
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("test-mini 1.0.0, 13 rules in 9 domains") && Catch::Contains("no problem"));

  TempDir dir;
  const auto broken = rules_with(dir, "culture.json", R"J({"domain": "culture", "rules": [
    {"id": "culture.a", "keywords": ["musee"], "wieght": 2, "examples": {"match": ["musée"]}},
    {"id": "culture.b", "regex": "bibli(o", "examples": {"match": ["biblio"]}},
    {"id": "culture.c", "keywords": ["cinema"], "examples": {"match": ["théâtre"]}}
  ]})J");
  const auto r = run_baro({"rules", "check", broken.string()});
  CHECK(r.exit_code == 78);
  CHECK_THAT(r.out, Catch::Contains("culture.json:2:") && Catch::Contains("unknown key \"wieght\" in rule culture.a"));
  CHECK_THAT(r.out, Catch::Contains("hint: the keys allowed here are:"));
  CHECK_THAT(r.out, Catch::Contains("culture.json:3:") && Catch::Contains("RE2 cannot compile the regex of rule culture.b"));
  CHECK_THAT(r.out, Catch::Contains("culture.json:4:") &&
                        Catch::Contains("match example \"théâtre\" of rule culture.c contradicts it"));
  CHECK_THAT(r.out, Catch::EndsWith("3 problems\n"));
}

TEST_CASE("baro rules test passes the fixture set and explains each failure", "[cli][rules][test]") {
  const auto ok = run_baro({"rules", "test", kRules});
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("13 rules, ") && Catch::Contains("2 expectations: all pass"));

  TempDir dir;
  const auto rules = rules_with(dir, "expectations.json", R"J([
    {"text": "Inscription à la cantine en ligne", "primary": "demarches"},
    {"text": "Atelier numérique à la médiathèque", "primary": "acces", "also": ["solidarite"]},
    {"text": "Réfection de la toiture", "primary": null}
  ])J");
  dir.write("rules/acces.json", R"J({"domain": "acces", "rules": [
    {"id": "acces.epn", "keywords": ["epn"], "weight": 3,
     "examples": {"match": ["Espace public numérique"], "no_match": ["EPN de la ville"]}},
    {"id": "acces.atelier", "keywords": ["atelier* numerique*"], "weight": 2, "unless": ["agents"],
     "examples": {"match": ["Ateliers numériques des agents"]}}
  ]})J");
  const auto r = run_baro({"rules", "test", rules.string()});
  CHECK(r.exit_code == 78);
  CHECK_THAT(r.out, Catch::Contains("FAIL acces.epn  " + (rules / "acces.json").string() + ":2:") &&
                        Catch::Contains("match example \"Espace public numérique\"") &&
                        Catch::Contains("none of its keywords matches the normalised text \"espace public numerique\""));
  CHECK_THAT(r.out, Catch::Contains("no_match example \"EPN de la ville\"") && Catch::Contains("the rule fires on \"epn\""));
  CHECK_THAT(r.out, Catch::Contains("matched \"ateliers numeriques\" but its `unless` vetoed it on \"agents\""));
  CHECK_THAT(r.out, Catch::Contains("FAIL expectation  " + (rules / "expectations.json").string() + ":2:") &&
                        Catch::Contains("expected demarches, got education") &&
                        Catch::Contains("fired  education.cantine (education, weight 3) on \"cantine\"") &&
                        Catch::Contains("scores education=3 demarches=2"));
  CHECK_THAT(r.out, Catch::Contains("expected acces (also solidarite), got culture; missing label solidarite"));
  CHECK_THAT(r.out, Catch::Contains("5 failures"));
}

TEST_CASE("baro eval prints the figures, the confusion matrix and the worst errors; --json has them all",
          "[cli][eval]") {
  TempDir dir;
  const auto file = dir.write("set.jsonl", R"J({"id": "a1", "description": "EPN", "gold": "acces"}
{"id": "a2", "description": "Facebook de la médiathèque", "gold": "communication", "also": ["culture"]}
{"id": "a3", "description": "Portail famille", "gold": "education"}
{"id": "a4", "description": "Toiture de l'église", "gold": null}
)J");
  const auto r = run_baro({"eval", "--rules", kRules, file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("primary accuracy   50.0 %  (2 of 4)"));
  CHECK_THAT(r.out, Catch::Contains("unclassified       33.3 %  (1 of 3 with a gold domain)"));
  CHECK_THAT(r.out, Catch::Contains("acces                1          1        1      1.000   1.000  1.000"));
  CHECK_THAT(r.out, Catch::Contains("confusion (rows: gold, columns: predicted primary)"));
  CHECK_THAT(r.out, Catch::Contains("worst errors (2 of 2)"));
  // The unclassified text is worse than a promoted secondary label, so it comes first.
  CHECK(r.out.find("a3  ") < r.out.find("a2  "));
  CHECK_THAT(r.out, Catch::Contains("gold communication (also culture), predicted culture") &&
                        Catch::Contains("fired  culture.mediatheque (culture, 3)"));

  const auto j = run_baro({"eval", "--rules", kRules, "--json", file.string()});
  REQUIRE(j.exit_code == 0);
  const auto parsed = json::parse(j.out);
  CHECK(parsed["total"] == 4);
  CHECK(parsed["accuracy"] == 0.5);
  CHECK(parsed["ruleset"]["id"] == "test-mini");
  CHECK(parsed["domains"].size() == 9);
  CHECK(parsed["confusion"]["labels"].back().is_null());
  REQUIRE(parsed["errors"].size() == 2);
  CHECK(parsed["errors"][0]["id"] == "a3");
  CHECK(parsed["errors"][0]["predicted"].is_null());
  CHECK(parsed["errors"][1]["fired"][0]["id"] == "communication.reseaux");

  const auto missing = run_baro({"eval", "--rules", kRules, (dir / "absent.csv").string()});
  CHECK(missing.exit_code == 66);
  const auto none = run_baro({"eval", "--rules", kRules});
  CHECK(none.exit_code == 64);
}

TEST_CASE("baro rules without a subcommand, or with an unknown one, is a usage error", "[cli][rules]") {
  CHECK(run_baro({"rules"}).exit_code == 64);
  const auto unknown = run_baro({"rules", "lint"});
  CHECK(unknown.exit_code == 64);
  CHECK_THAT(unknown.err, Catch::Contains("baro rules --help"));
  for (const char* sub : {"check", "test"}) {
    const auto help = run_baro({"rules", sub, "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::StartsWith(std::string("usage: baro rules ") + sub));
  }
  CHECK_THAT(run_baro({"eval", "--help"}).out, Catch::StartsWith("usage: baro eval"));
}
