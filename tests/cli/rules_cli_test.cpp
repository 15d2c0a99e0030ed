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
  // Each share comes with its count and its Wilson 95 % interval.
  CHECK_THAT(r.out, Catch::Contains("primary accuracy   50.0 %  (2 of 4; 95 % interval 15.0–85.0 %)"));
  CHECK_THAT(r.out, Catch::Contains("in gold or also    66.7 %  (2 of 3; 95 % interval 20.8–93.9 %)"));
  CHECK_THAT(r.out, Catch::Contains("ties               0 decided by precedence"));
  CHECK_THAT(r.out, Catch::Contains("weights            hand-set"));
  CHECK_THAT(r.out, Catch::Contains("unclassified       33.3 %  (1 of 3 with a gold domain)"));
  CHECK_THAT(r.out, Catch::Contains("acces                1          1        1      1.000   1.000  1.000"));
  CHECK_THAT(r.out, Catch::Contains("confusion (rows: gold, columns: predicted primary)"));
  CHECK_THAT(r.out, Catch::Contains("worst errors (2 of 2)"));
  // The unclassified text is worse than a promoted secondary label, so it comes first.
  CHECK(r.out.find("a3  ") < r.out.find("a2  "));
  CHECK_THAT(r.out, Catch::Contains("gold communication (also culture), predicted culture (margin 2 over communication)") &&
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
  CHECK(parsed["errors"][1]["margin"] == 2.0);
  CHECK(parsed["errors"][1]["runner_up"] == "communication");
  CHECK(parsed["accuracy_interval"]["low"].get<double>() == Approx(0.150039).margin(1e-6));
  CHECK(parsed["accuracy_interval"]["high"].get<double>() == Approx(0.849961).margin(1e-6));
  CHECK(parsed["primary_in_gold_or_also"] == 2);
  CHECK(parsed["decided_by_precedence"] == 0);
  REQUIRE(parsed["predictions"].size() == 4);
  CHECK(parsed["predictions"][0] == json({{"id", "a1"}, {"gold", "acces"}, {"predicted", "acces"}, {"correct", true},
                                          {"runner_up", nullptr}, {"margin", 3.0}, {"by_precedence", false}}));
  CHECK(parsed["predictions"][3]["margin"].is_null());

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

TEST_CASE("baro eval and explain flag a tie decided by the precedence list", "[cli][eval][precedence]") {
  TempDir dir;
  // "EPN" (acces 3) and "médiathèque" (culture 3) tie; acces is first in the default order.
  const auto file = dir.write("tie.jsonl", R"J({"id": "t1", "description": "EPN de la médiathèque", "gold": "culture"}
)J");
  const auto r = run_baro({"eval", "--rules", kRules, file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("ties               1 decided by precedence"));
  CHECK_THAT(r.out, Catch::Contains("gold culture, predicted acces (tie with culture, decided by precedence)"));
  const auto e = run_baro({"explain", "--rules", kRules, "EPN de la médiathèque"});
  CHECK_THAT(e.out, Catch::Contains("primary     acces  (tie with culture, decided by precedence)"));
  const auto j = json::parse(run_baro({"explain", "--rules", kRules, "--json", "EPN de la médiathèque"}).out);
  CHECK(j["by_precedence"] == true);
  CHECK(j["margin"] == 0.0);
  CHECK(j["weights"] == "hand-set");

  // Culture first in "precedence": the same tie goes the other way; the display order stays.
  const auto rules = dir / "rules";
  std::filesystem::copy(baro::test::mini_rules_dir(), rules, std::filesystem::copy_options::recursive);
  auto manifest = baro::test::read_file(rules / "ruleset.json");
  const std::string anchor = "\"expectations\"";
  manifest.insert(manifest.find(anchor), R"("precedence": ["culture", "acces", "communication", "education", "demarches",
                 "democratie", "vie_quotidienne", "economie", "solidarite"], )");
  dir.write("rules/ruleset.json", manifest);
  const auto moved = run_baro({"eval", "--rules", rules.string(), file.string()});
  CHECK_THAT(moved.out, Catch::Contains("primary accuracy   100.0 %  (1 of 1;"));
}

TEST_CASE("baro rules fit writes the same weights.json twice, which eval, explain and check then use",
          "[cli][rules][fit]") {
  TempDir dir;
  const auto rules = dir / "rules";
  std::filesystem::copy(baro::test::mini_rules_dir(), rules, std::filesystem::copy_options::recursive);
  // The fixture's tie: "EPN de la médiathèque" labelled culture three times teaches the fit
  // that culture beats acces when both fire.
  std::string lines;
  for (int i = 0; i < 3; ++i) {
    lines += R"({"description": "EPN de la médiathèque", "gold": "culture"})" "\n";
    lines += R"({"description": "Ouverture d'un EPN", "gold": "acces"})" "\n";
    lines += R"({"description": "Site web de la commune", "gold": "communication"})" "\n";
    lines += R"({"description": "Portail de la médiathèque", "gold": "culture"})" "\n";
  }
  const auto file = dir.write("train.jsonl", lines);
  const auto other = dir.write("other.jsonl", R"({"description": "Ouverture d'un EPN", "gold": "acces"})" "\n");
  const std::vector<std::string> command{"rules", "fit", "--rules", rules.string(), "--cv", "3", "--repeats", "2",
                                         "--weight", other.string() + "=2", file.string(), other.string()};
  const auto fit = run_baro(command);
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  CHECK_THAT(fit.out, Catch::Contains("3-fold cross-validation, 2 repeats (seed 1000–1001), primary accuracy"));
  CHECK_THAT(fit.out, Catch::Contains("  " + file.string() + " (12)\n    hand-set weights  75.0 %  (9 of 12; 95 % interval"));
  CHECK_THAT(fit.out, Catch::Contains(other.string() + " (1, weight 2)"));
  CHECK_THAT(fit.out, Catch::Contains("    gain per fold     +") && Catch::Contains("  all (13)"));
  CHECK_THAT(fit.out, Catch::Contains("wrote " + (rules / "weights.json").string()));
  const std::string first = baro::test::read_file(rules / "weights.json");
  const auto weights = json::parse(first);
  CHECK(weights["format"] == "baro-weights/2");
  CHECK(weights["fitted_on"][0]["file"] == "../train.jsonl");
  CHECK(weights["fitted_on"][0]["descriptions"] == 12);
  CHECK(weights["fitted_on"][1]["weight"] == 2);
  CHECK(weights["cross_validation"]["folds"] == 3);
  CHECK(weights["cross_validation"]["files"][0]["hand_set_correct"] == 9);
  CHECK(weights["scale"].is_number());
  CHECK(weights["residuals"].contains("culture.mediatheque"));
  CHECK_FALSE(weights["residuals"].contains("democratie.budget"));  // never fired: no residual written

  REQUIRE(run_baro(command).exit_code == 0);
  CHECK(baro::test::read_file(rules / "weights.json") == first);

  const auto eval = run_baro({"eval", "--rules", rules.string(), file.string()});
  CHECK_THAT(eval.out, Catch::Contains("primary accuracy   100.0 %  (12 of 12;"));
  CHECK_THAT(eval.out, Catch::Contains("weights            fitted (weights.json)"));
  const auto explain = run_baro({"explain", "--rules", rules.string(), "EPN de la médiathèque"});
  CHECK_THAT(explain.out, Catch::Contains("fires  acces.epn  (acces, weight 3; fitted acces ") &&
                              Catch::Contains("primary     culture  (margin "));
  CHECK(run_baro({"rules", "check", rules.string()}).out.find("warning") == std::string::npos);

  // A --weight for a file that is not fitted on, or without a number, is a usage error.
  const auto stray = run_baro({"rules", "fit", "--rules", rules.string(), "--weight", "x.jsonl=3", file.string()});
  CHECK(stray.exit_code == 64);
  CHECK_THAT(stray.err, Catch::Contains("--weight names x.jsonl, which is not one of the files to fit on"));
  const auto bad = run_baro({"rules", "fit", "--rules", rules.string(), "--weight", file.string() + "=many", file.string()});
  CHECK(bad.exit_code == 64);
  CHECK_THAT(bad.err, Catch::Contains("is not FILE=K"));

  // A rule changes after the fit: check warns, with the command to refit, and still passes.
  auto acces = baro::test::read_file(rules / "acces.json");
  acces.replace(acces.find("\"weight\": 3"), 11, "\"weight\": 4");
  dir.write("rules/acces.json", acces);
  const auto stale = run_baro({"rules", "check", rules.string()});
  CHECK(stale.exit_code == 0);
  CHECK_THAT(stale.out, Catch::Contains("warning: ") && Catch::Contains("fitted on another version of the rules") &&
                            Catch::Contains("baro rules fit --rules"));
}

TEST_CASE("baro eval --cell lists one confusion cell with the rules on each side and the margin",
          "[cli][eval][cell]") {
  TempDir dir;
  const auto file = dir.write("set.jsonl", R"J({"id": "a1", "description": "EPN", "gold": "acces"}
{"id": "a2", "description": "Facebook de la médiathèque", "gold": "communication", "also": ["culture"]}
{"id": "a3", "description": "Site web de la médiathèque", "gold": "communication"}
{"id": "a4", "description": "Toiture de l'église", "gold": "culture"}
)J");
  const auto r = run_baro({"eval", "--rules", kRules, "--cell", "communication:culture", file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "gold communication, predicted culture: 2 descriptions\n"
                 "\n  a2  " + file.string() + ":2\n"
                 "    \"Facebook de la médiathèque\"\n"
                 "    margin 2 over communication\n"
                 "    communication          1  communication.reseaux (1)\n"
                 "    culture                3  culture.mediatheque (3)\n"
                 "\n  a3  " + file.string() + ":3\n"
                 "    \"Site web de la médiathèque\"\n"
                 "    margin 1 over communication\n"
                 "    communication          2  communication.site (2)\n"
                 "    culture                3  culture.mediatheque (3)\n");

  const auto unclassified = run_baro({"eval", "--rules", kRules, "--cell", "culture:none", file.string()});
  CHECK(unclassified.out == "gold culture, predicted none: 1 description\n"
                            "\n  a4  " + file.string() + ":4\n"
                            "    \"Toiture de l'église\"\n");
  const auto empty = run_baro({"eval", "--rules", kRules, "--cell", "null:acces", file.string()});
  CHECK(empty.out == "gold null, predicted acces: 0 descriptions\n");

  const auto unknown = run_baro({"eval", "--rules", kRules, "--cell", "communication:cultur", file.string()});
  CHECK(unknown.exit_code == 64);
  CHECK_THAT(unknown.err, Catch::Contains("unknown predicted domain \"cultur\""));
  CHECK(run_baro({"eval", "--rules", kRules, "--cell", "culture", file.string()}).exit_code == 64);
}

TEST_CASE("baro eval --baseline lists what a rule change fixed, broke and moved, with counts",
          "[cli][eval][baseline]") {
  TempDir dir;
  // The change: culture.mediatheque from 3 to 1, so the médiathèque no longer outweighs a
  // channel (ties go to communication, before culture).
  auto culture = baro::test::read_file(baro::test::mini_rules_dir() / "culture.json");
  const auto at = culture.find("\"weight\": 3");
  REQUIRE(at != std::string::npos);
  const auto changed = rules_with(dir, "culture.json", culture.replace(at, 11, "\"weight\": 1"));
  const auto file = dir.write("set.jsonl", R"J({"id": "b1", "description": "Site web de la médiathèque", "gold": "communication"}
{"id": "b2", "description": "Site web et médiathèque", "gold": "culture"}
{"id": "b3", "description": "Facebook de la médiathèque", "gold": "acces"}
{"id": "b4", "description": "EPN", "gold": "acces"}
)J");
  const auto r = run_baro({"eval", "--rules", changed.string(), "--baseline", kRules, file.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "baseline     test-mini 1.0.0 (" + kRules + "): 50.0 %  (2 of 4; 95 % interval 15.0–85.0 %)\n"
                 "rule set     test-mini 1.0.0 (" + changed.string() + "): 50.0 %  (2 of 4; 95 % interval 15.0–85.0 %)\n"
                 "fixed 1, broken 1, moved 1\n"
                 "  fixed  b1  culture -> communication  (gold communication)  \"Site web de la médiathèque\"\n"
                 "  broken b2  culture -> communication  (gold culture)  \"Site web et médiathèque\"\n"
                 "  moved  b3  culture -> communication  (gold acces)  \"Facebook de la médiathèque\"\n");
}
