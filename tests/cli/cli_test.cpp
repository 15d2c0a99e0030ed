// End-to-end: the real `baro` binary on temporary files.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;
using nlohmann::json;

namespace {

const std::string kRules = baro::test::mini_rules_dir().string();

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("baro classify --dry-run --json prints one object per record in input order", "[cli][classify]") {
  TempDir dir;
  const auto file = dir.write("b.csv",
                              "\xEF\xBB\xBF\"id\";\"code_insee\";\"description\"\r\n"
                              "\"x1\";\"69123\";\"Inscription cantine en ligne\"\r\n"
                              "\"\";\"\";\"Rien à voir\"\r\n");
  const auto r = run_baro({"classify", "--rules", kRules, "--dry-run", "--json", file.string()});
  REQUIRE(r.exit_code == 0);
  const auto records = json_lines(r.out);
  REQUIRE(records.size() == 2);
  CHECK(records[0]["id"] == "x1");
  CHECK(records[0]["primary"] == "education");
  CHECK(records[0]["domains"] == json::array({"education", "demarches"}));
  CHECK(records[0]["rules"] == json::array({"education.cantine", "demarches.en_ligne"}));
  CHECK(records[1]["id"] == "2");  // no id: the 1-based record number
  CHECK(records[1]["primary"].is_null());
  CHECK(records[1]["domains"].empty());
  CHECK(r.err.empty());
}

TEST_CASE("baro init, classify twice and report: one batch", "[cli][classify]") {
  TempDir dir;
  const auto db = (dir / "b.db").string();
  REQUIRE(run_baro({"init", "--db", db, "--reference", baro::test::reference_dir().string()}).exit_code == 0);
  const auto file = dir.write("s.csv", "id;code_insee;description\n1;69123;EPN\n2;75056;Budget participatif\n");
  const auto first = run_baro({"classify", "--db", db, "--rules", kRules, file.string()});
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("as batch 1: 2 initiatives"));
  const auto second = run_baro({"classify", "--db", db, "--rules", kRules, file.string()});
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("already imported as batch 1"));
  const auto report = run_baro({"report", "--db", db});
  REQUIRE(report.exit_code == 0);
  CHECK_THAT(report.out, Catch::Contains("initiatives  2") && Catch::Contains("communes     2"));
  CHECK_THAT(report.out, Catch::Contains("Démocratie locale et participation"));
}

TEST_CASE("BARO_DB names the default database", "[cli]") {
  TempDir dir;
  const auto db = (dir / "env.db").string();
  REQUIRE(run_baro({"init", "--reference", baro::test::reference_dir().string()}, dir.path(), {"BARO_DB=" + db}).exit_code == 0);
  CHECK(std::filesystem::exists(db));
  CHECK_FALSE(std::filesystem::exists(dir / "baro.db"));
}

TEST_CASE("exit codes: usage 64, bad data 65, missing input 66, bad rules 78", "[cli][errors]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir).string();
  CHECK(run_baro({}).exit_code == 64);
  CHECK(run_baro({"frobnicate"}).exit_code == 64);
  CHECK(run_baro({"classify", "--no-such-option"}).exit_code == 64);
  const auto missing = run_baro({"classify", "--db", db, "--rules", kRules, (dir / "absent.csv").string()});
  CHECK(missing.exit_code == 66);
  CHECK_THAT(missing.err, Catch::StartsWith("baro: ") && Catch::Contains("absent.csv: no such file"));
  const auto bad = run_baro({"classify", "--db", db, "--rules", kRules,
                             dir.write("bad.csv", "id;code_insee;description\n1;69123;ok\n2;69123;\"oops\n").string()});
  CHECK(bad.exit_code == 65);
  CHECK_THAT(bad.err, Catch::Contains("bad.csv:3: unterminated quoted field"));
  dir.write("rules/ruleset.json", "{\"id\": \"x\", \"version\": \"1\", \"domains\": [{\"id\": \"a\", \"label\": \"A\"}]}");
  dir.write("rules/a.json", "{\"domain\": \"a\", \"rules\": [{\"id\": \"a.r\", \"regex\": \"(\"}]}");
  const auto rules = run_baro({"explain", "--rules", (dir / "rules").string(), "texte"});
  CHECK(rules.exit_code == 78);
  CHECK_THAT(rules.err, Catch::Contains("a.json:1:") && Catch::Contains("rule a.r"));
  const auto nodb = run_baro({"report", "--db", (dir / "none.db").string()});
  CHECK(nodb.exit_code == 66);
  CHECK_THAT(nodb.err, Catch::Contains("baro init"));
}

TEST_CASE("baro explain shows the normalised text, the spans and the primary", "[cli][explain]") {
  const auto r = run_baro({"explain", "--rules", kRules, "Ateliers numériques à l’EPN pour les seniors"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("normalised  ateliers numeriques a l'epn pour les seniors"));
  CHECK_THAT(r.out, Catch::Contains("[Ateliers numériques]"));  // not a terminal: brackets, no colour
  CHECK_THAT(r.out, Catch::Contains("l’[EPN]"));
  CHECK_THAT(r.out, Catch::Contains("primary     acces"));
  const auto vetoed = run_baro({"explain", "--rules", kRules, "Ateliers numériques des agents municipaux"});
  CHECK_THAT(vetoed.out, Catch::Contains("vetoed acces.atelier") && Catch::Contains("[agents municipaux]"));
  const auto j = run_baro({"explain", "--rules", kRules, "--json", "EPN"});
  REQUIRE(j.exit_code == 0);
  const auto parsed = json::parse(j.out);
  CHECK(parsed["primary"] == "acces");
  CHECK(parsed["rules"][0]["spans"][0]["text"] == "EPN");
}

TEST_CASE("baro inspect --json prints records as read and the format on stderr", "[cli][inspect]") {
  TempDir dir;
  const auto file = dir.write("w.csv", "Identifiant;Descriptif;Commune\r\n 7 ;M\xE9" "diath\xE8que ; 69123\r\n");
  const auto r = run_baro({"inspect", "--json", file.string()});
  REQUIRE(r.exit_code == 0);
  const auto records = json_lines(r.out);
  REQUIRE(records.size() == 1);
  CHECK(records[0] == json{{"Identifiant", " 7 "}, {"Descriptif", "Médiathèque "}, {"Commune", " 69123"}});
  const auto format = json::parse(r.err);
  CHECK(format["encoding"] == "windows-1252");
  CHECK(format["delimiter"] == ";");
  CHECK(format["line_endings"] == "CRLF");
  CHECK(format["mapping"]["description"] == "Descriptif");
  CHECK(format["mapping"]["commune"] == "Commune");
  const auto human = run_baro({"inspect", file.string()});
  REQUIRE(human.exit_code == 0);
  CHECK_THAT(human.out, Catch::Contains("windows-1252 (detected)") && Catch::Contains("description ← \"Descriptif\""));
}

TEST_CASE("every command has --help", "[cli]") {
  for (const char* command : {"init", "classify", "report", "explain", "inspect"}) {
    INFO(command);
    const auto r = run_baro({command, "--help"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith(std::string("usage: baro ") + command));
  }
}
