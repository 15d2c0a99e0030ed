// End-to-end: listing, deleting and replacing batches (`baro batches`, `classify --replace-batch`).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;
using nlohmann::json;

namespace {

const std::string kRules = baro::test::mini_rules_dir().string();
const char* const kCommunes[] = {"69123", "75056", "13055", "33063", "31555", "06088", "44109", "67482", "34172", "35238"};
const char* const kTexts[] = {"Ouverture d'un EPN", "Budget participatif", "Catalogue de la médiathèque",
                              "Espace de coworking", "Inscription à la cantine en ligne"};

// A survey of `rows` records with ids 1…rows; the rows listed in `bad` carry an unknown commune.
std::string survey(int rows, const std::vector<int>& bad = {}, bool ids = true) {
  std::string out = ids ? "id;code_insee;description;annee\n" : "code_insee;description;annee\n";
  for (int i = 1; i <= rows; ++i) {
    const bool broken = std::find(bad.begin(), bad.end(), i) != bad.end();
    if (ids) out += std::to_string(i) + ";";
    out += std::string(broken ? "99999" : kCommunes[i % 10]) + ";" + kTexts[i % 5] + " n°" + std::to_string(i) + ";2026\n";
  }
  return out;
}

std::int64_t stored_initiatives(const std::string& db) {
  const auto r = run_baro({"batches", "list", "--db", db, "--json"});
  REQUIRE(r.exit_code == 0);
  std::int64_t n = 0;
  for (const auto& b : json::parse(r.out)) n += b["initiatives"].get<std::int64_t>();
  return n;
}

}  // namespace

TEST_CASE("a corrected export after --skip-bad is refused, then replaces its batch", "[cli][batches]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir).string();
  const auto first = dir.write("enquete.csv", survey(20, {4, 11}));
  const auto partial = run_baro({"classify", "--db", db, "--rules", kRules, "--skip-bad", first.string()});
  REQUIRE(partial.exit_code == 0);
  CHECK_THAT(partial.out, Catch::Contains("as batch 1: 18 initiatives, 2 rejected"));

  const auto corrected = dir.write("enquete-corrigee.csv", survey(20));
  const auto refused = run_baro({"classify", "--db", db, "--rules", kRules, corrected.string()});
  CHECK(refused.exit_code == 65);
  CHECK_THAT(refused.err,
             Catch::Contains("enquete-corrigee.csv: 18 records are already stored in batch 1 (same id, commune and year); "
                             "nothing was imported") &&
                 Catch::Contains("enquete-corrigee.csv:2: id \"1\", commune 75056: already in batch 1 (line 2)") &&
                 Catch::Contains("hint: if this file corrects batch 1, import it in its place: baro classify "
                                 "--replace-batch 1 " + corrected.string()));
  CHECK(stored_initiatives(db) == 18);

  const auto replaced = run_baro({"classify", "--db", db, "--rules", kRules, "--replace-batch", "1", corrected.string()});
  REQUIRE(replaced.exit_code == 0);
  CHECK_THAT(replaced.out, Catch::Contains("as batch 2: 20 initiatives, replacing batch 1"));
  const auto list = json::parse(run_baro({"batches", "list", "--db", db, "--json"}).out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == 2);
  CHECK(list[0]["initiatives"] == 20);

  const auto absent = run_baro({"classify", "--db", db, "--rules", kRules, "--replace-batch", "7", corrected.string()});
  CHECK(absent.exit_code == 65);
  CHECK_THAT(absent.err, Catch::Contains("there is no batch 7 to replace"));
  CHECK(stored_initiatives(db) == 20);
}

TEST_CASE("without an id column, records are known by description, commune and year", "[cli][batches]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir).string();
  REQUIRE(run_baro({"classify", "--db", db, "--rules", kRules, dir.write("a.csv", survey(6, {}, false)).string()})
              .exit_code == 0);
  // The same rows, one more and one changed: the five known ones are named.
  std::string again = survey(7, {}, false);
  const std::string third = "n°3;";  // '°' is two bytes
  again.replace(again.find(third), third.size(), "n°3 bis;");
  const auto r = run_baro({"classify", "--db", db, "--rules", kRules, dir.write("b.csv", again).string()});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains("5 records are already stored in batch 1 (same description, commune and year)"));
  // Another year is another wave, not a duplicate.
  std::string next_year = survey(6, {}, false);
  for (auto at = next_year.find(";2026"); at != std::string::npos; at = next_year.find(";2026", at)) next_year.replace(at, 5, ";2027");
  CHECK(run_baro({"classify", "--db", db, "--rules", kRules, dir.write("c.csv", next_year).string()}).exit_code == 0);
  CHECK(stored_initiatives(db) == 12);
}

TEST_CASE("batches list names each batch's file, records and runs", "[cli][batches]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir).string();
  const auto empty = run_baro({"batches", "list", "--db", db});
  REQUIRE(empty.exit_code == 0);
  CHECK(empty.out == "no batch yet: `baro classify FILE` imports one\n");
  REQUIRE(run_baro({"classify", "--db", db, "--rules", kRules, "--skip-bad", dir.write("a.csv", survey(5, {2})).string()})
              .exit_code == 0);
  const auto r = run_baro({"batches", "list", "--db", db});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("batch  imported              source") &&
                        Catch::Contains("records  rejected  initiatives  runs\n"));
  CHECK_THAT(r.out, Catch::Contains("a.csv  csv           5         1            4  1\n"));
}

TEST_CASE("batches delete asks, needs --yes without a terminal, and runs keep the other batches", "[cli][batches]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir).string();
  const auto a = dir.write("a.csv", survey(5));
  std::string b_rows = survey(3);
  for (auto at = b_rows.find(";2026"); at != std::string::npos; at = b_rows.find(";2026", at)) b_rows.replace(at, 5, ";2025");
  const auto b = dir.write("b.csv", b_rows);
  REQUIRE(run_baro({"classify", "--db", db, "--rules", kRules, a.string()}).exit_code == 0);
  REQUIRE(run_baro({"classify", "--db", db, "--rules", kRules, b.string()}).exit_code == 0);

  const auto unconfirmed = run_baro({"batches", "delete", "--db", db, "1"});
  CHECK(unconfirmed.exit_code == 64);
  CHECK_THAT(unconfirmed.err, Catch::Contains("baro batches delete 1 needs --yes when standard input is not a terminal") &&
                                  Catch::Contains("it would delete batch 1 (" + a.string()));
  CHECK(stored_initiatives(db) == 8);

  const auto deleted = run_baro({"batches", "delete", "--db", db, "1", "--yes"});
  REQUIRE(deleted.exit_code == 0);
  CHECK_THAT(deleted.out, Catch::StartsWith("deleted batch 1 (" + a.string()) &&
                              Catch::Contains(", 5 initiatives; in run 1); run 1 now describes the batches that remain\n"));
  CHECK(stored_initiatives(db) == 3);
  const auto report = json::parse(run_baro({"report", "--db", db, "--format", "json"}).out);
  CHECK(report["initiatives"] == 3);

  const auto again = run_baro({"batches", "delete", "--db", db, "1", "--yes"});
  CHECK(again.exit_code == 65);
  CHECK_THAT(again.err, Catch::Contains("there is no batch 1") && Catch::Contains("`baro batches list`"));
}
