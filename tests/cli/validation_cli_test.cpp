// `baro sample` and `baro validate`, end to end on the report fixture (tests/stats/report_fixture.hpp),
// then the report's « Qualité du classement »: a sample coded with a known number of
// disagreements gives exactly the accuracy it implies, and corrected shares that equal a hand
// computation.
//
// Run 2 of the fixture: 45 initiatives, ids 1-26 acces, 27-34 communication, 35-38 culture,
// 39-42 unclassified, 43-45 education. A sample of 20 draws 11, 3, 2, 2 and 2 of them
// (tests/stats/validation_test.cpp works the allocation out).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <map>
#include <sstream>

#include "stats/report_fixture.hpp"
#include "support/test_support.hpp"

using baro::test::read_file;
using baro::test::run_baro;
using baro::test::TempDir;
using nlohmann::json;

namespace {

struct SampleRow {
  std::string id, predicted;
};

// The rows of a sample file as `baro sample` writes it: fixture descriptions hold no `;`, quote or newline.
std::vector<SampleRow> read_sample(const std::string& bytes) {
  std::vector<SampleRow> rows;
  std::istringstream in(bytes.substr(3));  // the BOM
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string x; std::getline(fields, x, ';');) f.push_back(x);
    rows.push_back({f.at(0), f.at(3)});
  }
  return rows;
}

struct Fixture {
  TempDir dir;
  std::string db, sample, coded;
  std::vector<SampleRow> rows;
  Fixture() {
    baro::test::make_report_fixture(dir / "baro.db", dir / "reference");
    db = (dir / "baro.db").string();
    sample = (dir / "sample.csv").string();
    coded = (dir / "coded.csv").string();
  }
  baro::test::RunResult baro(std::vector<std::string> args) const {
    args.insert(args.begin() + 1, {"--db", db});
    return run_baro(args);
  }
  void draw() {
    const auto r = baro({"sample", "--run", "2", "--size", "20", "--seed", "7", "--out", sample});
    REQUIRE(r.exit_code == 0);
    rows = read_sample(read_file(sample));
  }
  // Codes every row as predicted except: 2 acces rows coded culture, and 1 of the 2
  // unclassified rows coded acces (the other `aucun`, which agrees): 3 disagreements.
  std::string code_with_three_disagreements() const {
    std::string out = "id;gold\n";
    int acces_changed = 0, none_changed = 0;
    for (const auto& row : rows) {
      std::string gold = row.predicted;
      if (row.predicted == "acces" && acces_changed < 2) {
        gold = "culture";
        ++acces_changed;
      } else if (row.predicted == "aucun" && none_changed < 1) {
        gold = "acces";
        ++none_changed;
      }
      out += row.id + ";" + gold + "\n";
    }
    return out;
  }
};

}  // namespace

TEST_CASE("sample draws a stratified sample, the same one for the same seed", "[cli][validation]") {
  Fixture f;
  f.draw();
  const std::string bytes = read_file(f.sample);
  CHECK(bytes.substr(0, 3) == "\xEF\xBB\xBF");
  CHECK(bytes.substr(3, bytes.find('\n') - 2) == "id;commune;description;domaine_predit;codage;autres_domaines\r\n");
  REQUIRE(f.rows.size() == 20);
  std::map<std::string, int> per_stratum;
  for (const auto& row : f.rows) per_stratum[row.predicted] += 1;
  CHECK(per_stratum == std::map<std::string, int>{{"acces", 11}, {"communication", 3}, {"culture", 2},
                                                  {"education", 2}, {"aucun", 2}});
  CHECK_THAT(read_file(f.dir / "sample.domaines.csv"),
             Catch::StartsWith("\xEF\xBB\xBF" "code;libellé\r\nacces;Accès et inclusion numérique\r\n") &&
                 Catch::Contains("\r\naucun;"));
  // Drawn again with the same seed (no code yet, so it is replaced): the same file.
  const auto again = f.baro({"sample", "--run", "2", "--size", "20", "--seed", "7", "--out", (f.dir / "again.csv").string()});
  REQUIRE(again.exit_code == 0);
  CHECK(read_file(f.dir / "again.csv") == bytes);
}

TEST_CASE("validate gives the accuracy the coded file implies, with its Wilson interval", "[cli][validation]") {
  Fixture f;
  f.draw();
  f.dir.write("coded.csv", f.code_with_three_disagreements());
  const auto r = f.baro({"validate", f.coded, "--run", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // 17 of 20; Wilson's 95 % interval, by its formula: 63.96 % to 94.76 %.
  CHECK_THAT(r.out, Catch::StartsWith("run 2: 20 of 20 sampled initiatives coded; codes stored with the run\n\n"
                                      "accuracy           85.0 %  (17 of 20; 95 % interval 64.0–94.8 %)\n"));
  CHECK_THAT(r.out, Catch::Contains("\nacces"));
}

TEST_CASE("the report corrects the shares with the measured confusion", "[cli][validation][report]") {
  Fixture f;
  f.draw();
  f.dir.write("coded.csv", f.code_with_three_disagreements());
  REQUIRE(f.baro({"validate", f.coded, "--run", "2"}).exit_code == 0);
  const auto r = f.baro({"report", "--run", "2", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const json report = json::parse(r.out);
  const json& v = report.at("quality").at("validation");
  CHECK(v.at("n") == 20);
  CHECK(v.at("accuracy").get<double>() == Approx(0.85));
  CHECK(v.at("kappa").is_null());
  // By hand: acces keeps 9/11 of its 26 and gains half of the 4 unclassified,
  // 26 * 9/11 + 4 * 1/2 = 23.2727; culture keeps its 4 and gains 26 * 2/11 = 4.7273;
  // communication 8 and education 3 are unchanged; none keeps 4 * 1/2 = 2. Over 45.
  const std::map<std::string, double> expected = {{"acces", (26.0 * 9 / 11 + 2) / 45}, {"communication", 8.0 / 45},
                                                  {"culture", (4 + 26.0 * 2 / 11) / 45}, {"education", 3.0 / 45},
                                                  {"", 2.0 / 45}};
  for (const auto& d : report.at("domains")) {
    const std::string id = d.at("domain").is_null() ? "" : d.at("domain").get<std::string>();
    const double hand = expected.count(id) ? expected.at(id) : 0.0;
    INFO(id);
    CHECK(d.at("corrected_share").get<double>() == Approx(hand).epsilon(1e-9));
    CHECK(d.at("corrected_share_ci95").at(0).get<double>() <= hand + 1e-12);
    CHECK(d.at("corrected_share_ci95").at(1).get<double>() >= hand - 1e-12);
  }
  const auto text = f.baro({"report", "--run", "2"});
  CHECK_THAT(text.out, Catch::Contains("\nQualité du classement\nSur un échantillon de 20\u00A0initiatives codées à la "
                                       "main, le classement est exact pour 85,0\u00A0% d'entre elles (IC 95 % "
                                       "64,0\u00A0% à 94,8\u00A0%)."));
  // Raw 26 / 45, corrected 23.2727 / 45, side by side.
  CHECK_THAT(text.out, Catch::Contains("\nAccès et inclusion numérique" + std::string(19, ' ') + "57,8 %   51,7 % ("));
  const auto html = f.baro({"report", "--run", "2", "--format", "html"});
  CHECK_THAT(html.out, Catch::Contains("<section id=\"qualite\">\n<h2>Qualité du classement</h2>") &&
                           Catch::Contains("data-figure=\"domain.acces.corrected_share\""));
}

TEST_CASE("without a coded sample the report says the shares are uncorrected", "[cli][validation][report]") {
  Fixture f;
  const auto json_report = json::parse(f.baro({"report", "--run", "2", "--format", "json"}).out);
  CHECK(json_report.at("quality").at("validation").is_null());
  CHECK(json_report.at("domains").at(0).at("corrected_share").is_null());
  CHECK(json_report.at("domains").at(0).at("corrected_share_ci95").is_null());
  const auto markdown = f.baro({"report", "--run", "2", "--format", "markdown"});
  CHECK_THAT(markdown.out, Catch::Contains("\n## Qualité du classement\n\nAucun échantillon codé à la main pour cette "
                                           "classification : les parts des domaines ne sont pas corrigées des erreurs "
                                           "du classement (baro sample, puis baro validate).\n"));
}

TEST_CASE("validate refuses an unknown domain with its line, column and the valid codes", "[cli][validation]") {
  Fixture f;
  f.draw();
  f.dir.write("coded.csv", "id;gold\n" + f.rows[0].id + ";acces\n" + f.rows[1].id + ";acess\n");
  const auto r = f.baro({"validate", f.coded, "--run", "2"});
  CHECK(r.exit_code == 65);
  CHECK(r.err == "baro: " + f.coded + ":3: unknown domain \"acess\" in column `gold`\n"
                 "hint: the codes are: acces, communication, culture, education, demarches, democratie, "
                 "vie_quotidienne, economie, solidarite, aucun (an empty `gold`: not coded yet)\n");
}

TEST_CASE("validate refuses an initiative outside the sample", "[cli][validation]") {
  Fixture f;
  f.draw();
  std::string outside;
  for (int id = 1; id <= 45 && outside.empty(); ++id) {
    bool drawn = false;
    for (const auto& row : f.rows) drawn = drawn || row.id == std::to_string(id);
    if (!drawn) outside = std::to_string(id);
  }
  f.dir.write("coded.csv", "id;gold\n" + outside + ";acces\n");
  const auto r = f.baro({"validate", f.coded, "--run", "2"});
  CHECK(r.exit_code == 65);
  CHECK(r.err == "baro: " + f.coded + ":2: initiative " + outside + " is not in the validation sample of run 2\n"
                 "hint: was this file drawn from another run? `baro validate --run N` names the run\n");
}

TEST_CASE("validate on a run without a sample says how to draw one", "[cli][validation]") {
  Fixture f;
  f.dir.write("coded.csv", "id;gold\n1;acces\n");
  const auto r = f.baro({"validate", f.coded, "--run", "2"});
  CHECK(r.exit_code == 65);
  CHECK(r.err == "baro: " + f.db + ": run 2 has no validation sample\n"
                 "hint: draw one with `baro sample --run 2 --size 200 --out FILE`, code it, then read it back\n");
}

TEST_CASE("a coded sample is not replaced without --replace", "[cli][validation]") {
  Fixture f;
  f.draw();
  f.dir.write("coded.csv", f.code_with_three_disagreements());
  REQUIRE(f.baro({"validate", f.coded, "--run", "2"}).exit_code == 0);
  const auto r = f.baro({"sample", "--run", "2", "--size", "10", "--out", (f.dir / "new.csv").string()});
  CHECK(r.exit_code == 65);
  CHECK(r.err == "baro: " + f.db + ": run 2 already has a coded validation sample\n"
                 "hint: drawing a new one discards its codes: add --replace if that is what you want\n");
  CHECK_FALSE(std::filesystem::exists(f.dir / "new.csv"));
}
