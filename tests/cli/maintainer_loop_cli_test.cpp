// End-to-end: the maintainer's loop with errors in plain view (docs/maintainers.md) — explain
// --file and --rule, runs diff's listing, kwic's source id and domain, rules suggest --cell
// and rules stats --min-hits — each with the exact listing expected on a small fixture.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;
using nlohmann::json;

namespace {

const std::string kData = BARO_TEST_DATA_DIR;
const std::string kMini = baro::test::mini_rules_dir().string();
const std::string kMiniV2 = kData + "/rules/mini-v2";
const std::string kCorpus = kData + "/lifecycle/corpus.csv";

// A small labelled set on the fixture rules: l2 and l3 (newsletters of the library) are
// communication read as culture.
const char* const kLabelled = R"J({"id": "l1", "description": "EPN", "gold": "acces"}
{"id": "l2", "description": "Lettre d'information de la médiathèque", "gold": "communication"}
{"id": "l3", "description": "Lettre d'information numérique de la bibliothèque", "gold": "communication"}
{"id": "l4", "description": "Catalogue de la médiathèque", "gold": "culture"}
{"id": "l5", "description": "Information des familles sur l'école", "gold": "education"}
)J";

// A database holding the corpus classified with mini (run 1), then with mini-v2 (run 2).
struct Database {
  TempDir dir;
  std::string db = baro::test::fresh_db(dir).string();
  Database() {
    REQUIRE(run_baro({"classify", "--db", db, "--rules", kMini, kCorpus}).exit_code == 0);
  }
  baro::test::RunResult baro(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", db});
    return run_baro(args);
  }
};

}  // namespace

TEST_CASE("baro explain --file explains every text of a file, with its id and gold", "[cli][explain][loop]") {
  TempDir dir;
  const auto file = dir.write("set.jsonl", kLabelled);
  const auto r = run_baro({"explain", "--rules", kMini, "--file", file.string()});
  REQUIRE(r.exit_code == 0);
  const std::string f = file.string(), rules = kMini + "/";
  const auto block = [&](const char* head, const char* body) { return std::string(head) + body; };
  CHECK(r.out ==
        "── l1  " + f + ":1  gold acces\n"
        "text        EPN\nnormalised  epn\n\n"
        "fires  acces.epn  (acces, weight 3)  " + rules + "acces.json:4:6\n       [EPN]\n\n"
        "scores  acces 3\nprimary     acces\ngold        acces  (right)\n\n"
        "── l2  " + f + ":2  gold communication\n" +
        block("text        Lettre d'information de la médiathèque\n",
              "normalised  lettre d'information de la mediatheque\n\n") +
        "fires  culture.mediatheque  (culture, weight 3)  " + rules + "culture.json:4:6\n"
        "       Lettre d'information de la [médiathèque]\n\n"
        "scores  culture 3\nprimary     culture\ngold        communication  (wrong)\n\n"
        "── l3  " + f + ":3  gold communication\n"
        "text        Lettre d'information numérique de la bibliothèque\n"
        "normalised  lettre d'information numerique de la bibliotheque\n\n"
        "fires  culture.mediatheque  (culture, weight 3)  " + rules + "culture.json:4:6\n"
        "       Lettre d'information numérique de la [bibliothèque]\n\n"
        "scores  culture 3\nprimary     culture\ngold        communication  (wrong)\n\n"
        "── l4  " + f + ":4  gold culture\n"
        "text        Catalogue de la médiathèque\nnormalised  catalogue de la mediatheque\n\n"
        "fires  culture.mediatheque  (culture, weight 3)  " + rules + "culture.json:4:6\n"
        "       Catalogue de la [médiathèque]\n\n"
        "scores  culture 3\nprimary     culture\ngold        culture  (right)\n\n"
        "── l5  " + f + ":5  gold education\n"
        "text        Information des familles sur l'école\nnormalised  information des familles sur l'ecole\n\n"
        "fires  education.ecole  (education, weight 2)  " + rules + "education.json:4:6\n"
        "       Information des familles sur l'[école]\n\n"
        "scores  education 2\nprimary     education\ngold        education  (right)\n\n"
        "5 texts, 3 of 5 with a gold domain right\n");

  // Plain text: one description per line, blank lines skipped, ids are line numbers.
  const auto plain = dir.write("texts.txt", "EPN\n\nRéfection de la toiture\n");
  const auto p = run_baro({"explain", "--rules", kMini, "--file", plain.string(), "--json"});
  REQUIRE(p.exit_code == 0);
  std::istringstream lines(p.out);
  std::string first, second, third;
  std::getline(lines, first);
  std::getline(lines, second);
  CHECK_FALSE(std::getline(lines, third));
  CHECK(json::parse(first)["id"] == "#1");
  CHECK(json::parse(first)["primary"] == "acces");
  CHECK_FALSE(json::parse(first).contains("gold"));
  CHECK(json::parse(second)["id"] == "#3");
  CHECK(json::parse(second)["primary"].is_null());

  // Errors name the file and line; a TEXT and --file together are refused.
  const auto bad = dir.write("bad.jsonl", "{\"text\": \"EPN\"}\n{\"id\": \"x\"}\n");
  const auto b = run_baro({"explain", "--rules", kMini, "--file", bad.string()});
  CHECK(b.exit_code == 65);
  CHECK_THAT(b.err, Catch::Contains(bad.string() + ":2") && Catch::Contains("missing \"text\""));
  const auto unknown = dir.write("gold.jsonl", "{\"text\": \"EPN\", \"gold\": \"sport\"}\n");
  CHECK(run_baro({"explain", "--rules", kMini, "--file", unknown.string()}).exit_code == 65);
  CHECK(run_baro({"explain", "--rules", kMini, "--file", (dir / "absent.jsonl").string()}).exit_code == 66);
  CHECK(run_baro({"explain", "--rules", kMini, "--file", file.string(), "EPN"}).exit_code == 64);
}

TEST_CASE("baro explain --rule says which keyword, veto, regex part or proximity failed", "[cli][explain][loop]") {
  const auto vetoed = run_baro({"explain", "--rules", kMini, "--rule", "acces.atelier",
                                "Ateliers numériques pour les agents municipaux"});
  REQUIRE(vetoed.exit_code == 0);
  CHECK(vetoed.out ==
        "text        Ateliers numériques pour les agents municipaux\n"
        "normalised  ateliers numeriques pour les agents municipaux\n"
        "rule        acces.atelier  (acces, weight 2)  " + kMini + "/acces.json:6:6\n\n"
        "  keyword  \"atelier* numerique*\"       matches  [Ateliers numériques] pour les agents municipaux\n"
        "  keyword  \"initiation* informatique\"  no match: does not occur\n"
        "  unless   \"agents municipaux\"         matches, vetoes the rule  Ateliers numériques pour les [agents municipaux]\n\n"
        "verdict     does not fire: it matched (keyword \"atelier* numerique*\") but is vetoed by unless \"agents municipaux\"\n"
        "primary     (unclassified)\n");

  const auto regex = run_baro({"explain", "--rules", kMini, "--rule", "acces.wifi", "Wifi dans le parc"});
  REQUIRE(regex.exit_code == 0);
  CHECK(regex.out ==
        "text        Wifi dans le parc\nnormalised  wifi dans le parc\n"
        "rule        acces.wifi  (acces, weight 2)  " + kMini + "/acces.json:9:6\n\n"
        "  regex  \"wi ?-?fi .{0,30}(public|gratuit)\"  no match: `wi ?-?fi .{0,30}` matches, but `(public|gratuit)` matches nowhere\n\n"
        "verdict     does not fire: its regex does not match\nprimary     (unclassified)\n");

  TempDir dir;
  std::filesystem::copy(baro::test::mini_rules_dir(), dir / "rules", std::filesystem::copy_options::recursive);
  dir.write("rules/solidarite.json", R"J({"domain": "solidarite", "rules": [
    {"id": "solidarite.aidants", "weight": 2, "near": {"a": ["aide*"], "b": ["aidant*"], "within": 2},
     "unless_near": [{"a": ["formation*"], "b": ["agent*"], "within": 3}],
     "examples": {"match": ["Aide aux aidants"]}}
  ]})J");
  const auto near = run_baro({"explain", "--rules", (dir / "rules").string(), "--rule", "solidarite.aidants",
                              "Aide numérique pour les proches aidants"});
  REQUIRE(near.exit_code == 0);
  CHECK(near.out ==
        "text        Aide numérique pour les proches aidants\nnormalised  aide numerique pour les proches aidants\n"
        "rule        solidarite.aidants  (solidarite, weight 2)  " + (dir / "rules" / "solidarite.json").string() + ":2:6\n\n"
        "  near         \"aide*\" near \"aidant*\" within 2      no match: both lists match, but 5 words apart at the closest (within 2)\n"
        "                                                    [Aide] numérique pour les proches [aidants]\n"
        "  unless_near  \"formation*\" near \"agent*\" within 3  no match: neither list matches\n\n"
        "verdict     does not fire: its `near` question does not hold\nprimary     (unclassified)\n");
  const auto j = json::parse(run_baro({"explain", "--rules", (dir / "rules").string(), "--rule",
                                       "solidarite.aidants", "--json", "Aide numérique pour les proches aidants"})
                                 .out);
  CHECK(j["fires"] == false);
  CHECK(j["parts"][0]["kind"] == "near");
  CHECK(j["parts"][0]["why"] == "both lists match, but 5 words apart at the closest (within 2)");
  CHECK(j["parts"][0]["spans"][1]["text"] == "aidants");

  const auto typo = run_baro({"explain", "--rules", kMini, "--rule", "acces.ateliers", "EPN"});
  CHECK(typo.exit_code == 64);
  CHECK_THAT(typo.err, Catch::Contains("no rule \"acces.ateliers\"") &&
                           Catch::Contains("acces.epn, acces.atelier, acces.wifi"));
}

TEST_CASE("baro runs diff lists the initiatives that changed, with --limit and in JSON", "[cli][lifecycle][loop]") {
  Database d;
  REQUIRE(d.baro({"reclassify", "--rules", kMiniV2}).exit_code == 0);
  const auto diff = d.baro({"runs", "diff", "1", "2"});
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.out, Catch::EndsWith("\ninitiatives that changed (2 of 2, by initiative)\n"
                                       "  #4  a4  communication → solidarite\n"
                                       "  #5  a5  non classé → vie_quotidienne\n"));
  const auto limited = d.baro({"runs", "diff", "1", "2", "--limit", "1"});
  CHECK_THAT(limited.out, Catch::EndsWith("\ninitiatives that changed (1 of 2, by initiative)\n"
                                          "  #4  a4  communication → solidarite\n"
                                          "  … and 1 more (--limit 0 lists all)\n"));
  const auto j = json::parse(d.baro({"runs", "diff", "1", "2", "--json", "--limit", "1"}).out);
  CHECK(j["changed"] == 2);
  CHECK(j["changes"] == json::parse(R"J([{"initiative": 4, "batch": 1, "source_id": "a4",
                                           "from": "communication", "to": "solidarite"}])J"));
}

TEST_CASE("baro kwic shows each line's source id and primary domain", "[cli][kwic][loop]") {
  Database d;
  const auto r = d.baro({"kwic", "numerique*", "--width", "20"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "4 matches in 4 of 12 initiatives\n\n"
        " #1  a1   acces       …d'un espace public   numérique\n"
        " #6  a6   acces                  Ateliers   numériques   pour les seniors\n"
        "#11  a11  acces            EPN : ateliers   numériques   et initiation info…\n"
        "#12  a12  non classé             Ateliers   numériques   pour les agents mu…\n");
}

TEST_CASE("baro rules suggest --cell lists the words typical of one confusion cell", "[cli][diagnostics][loop]") {
  TempDir dir;
  const auto file = dir.write("set.jsonl", kLabelled);
  const auto r = run_baro({"rules", "suggest", "--rules", kMini, "--cell", "communication:culture", file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        file.string() + " (test-mini 1.0.0): gold communication, predicted culture: 2 of 5 descriptions\n"
        "(elsewhere: the other descriptions of the file holding the term)\n\n"
        "words                         in cell  occurrences  elsewhere\n"
        "lettre                              2            2          0\n"
        "information                         2            2          1\n\n"
        "two-word phrases              in cell  occurrences  elsewhere\n"
        "  (none that often)\n\n"
        "words near each other (within 5 words)      in cell  occurrences  elsewhere\n"
        "information … lettre                2            2          0\n");
  const auto j = json::parse(
      run_baro({"rules", "suggest", "--rules", kMini, "--cell", "communication:culture", "--json", file.string()}).out);
  CHECK(j["descriptions"] == 2);
  CHECK(j["words"][0] == json({{"term", "lettre"}, {"initiatives", 2}, {"occurrences", 2}, {"elsewhere", 0}}));
  CHECK(run_baro({"rules", "suggest", "--rules", kMini, "--cell", "communication:sport", file.string()}).exit_code == 64);
  CHECK(run_baro({"rules", "suggest", "--rules", kMini, "--cell", "communication:culture"}).exit_code == 64);
}

TEST_CASE("baro rules stats --min-hits keeps the rules with enough hits", "[cli][diagnostics][loop]") {
  Database d;
  const auto r = d.baro({"rules", "stats", "--min-hits", "2"});
  const std::string hash = json::parse(d.baro({"runs", "list", "--json"}).out)[0]["ruleset"]["hash"].get<std::string>().substr(0, 12);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "run 1 (test-mini 1.0.0, " + hash + "): 12 initiatives, 3 unclassified (25.0 %)\n\n"
        "rule                domain       hits    share  decided   lost  overlap  vetoed  problems\n"
        "demarches.en_ligne  demarches       2   16.7 %        1      1        0       0  conflict, broad\n"
        "acces.epn           acces           2   16.7 %        1      0        1       0  broad; overlaps most with acces.atelier (1)\n"
        "acces.atelier       acces           2   16.7 %        1      0        1       1  broad; overlaps most with acces.epn (1)\n\n"
        "domains labelled together\n"
        "  acces + solidarite          1    8.3 %\n"
        "  education + demarches       1    8.3 %\n"
        "  demarches + vie_quotidienne       1    8.3 %\n");
  const auto j = json::parse(d.baro({"rules", "stats", "--min-hits", "2", "--json"}).out);
  for (const auto& rule : j["rules"]) CHECK(rule["hits"].get<int>() >= 2);
  const auto zero = d.baro({"rules", "stats", "--min-hits", "0"});
  CHECK(zero.exit_code == 64);
  CHECK_THAT(zero.err, Catch::Contains("--min-hits 0 is out of range"));
  CHECK(d.baro({"rules", "stats", "--min-hits", "-3"}).exit_code == 64);
}
