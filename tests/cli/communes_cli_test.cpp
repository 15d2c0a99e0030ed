// End-to-end: how the real `baro` binary decides which commune a row is about, and refuses a
// row whose code and name disagree, naming both candidates (issue 16, items 1 and 2).
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;

namespace {

const std::string kRules = baro::test::mini_rules_dir().string();

// The commune code of each stored initiative, by source id.
std::vector<std::pair<std::string, std::string>> stored_communes(const std::filesystem::path& db) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(d, "SELECT source_id, commune_code FROM initiatives ORDER BY id");
  std::vector<std::pair<std::string, std::string>> out;
  while (q.executeStep()) out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
  return out;
}

using Communes = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_CASE("a postal code in the INSEE column is refused when the name says otherwise, naming both communes",
          "[cli][communes]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto before = baro::test::database_fingerprint(db);
  const auto file = dir.write("lyon.csv", "id;code_insee;commune;description\n1;69003;Lyon;Atelier numérique\n");
  const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, file.string()});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains(file.string() +
                                    ":2: 69003 is Albigny-sur-Saône (69), but the row says Lyon: 69003 is a postal code "
                                    "of Lyon 3e Arrondissement (69383) (if the column \"code_insee\" holds postal codes, "
                                    "import with --map postal_code=\"code_insee\")"));
  CHECK(baro::test::database_fingerprint(db) == before);
  CHECK_FALSE(std::filesystem::exists(dir / "lyon.csv.rejects.csv"));
}

TEST_CASE("a code that names another commune than the row's name is refused with both candidates", "[cli][communes]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto file = dir.write("b.csv", "id;code_insee;nom_commune;description\n1;69123;Marseille;EPN\n");
  const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, file.string()});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains(":2: 69123 is Lyon (69), but the row says Marseille, which is 13055 Marseille "
                                    "(13, 886 040 inhabitants): correct the code or the name"));
}

TEST_CASE("postal codes mapped as the commune are recognised, and resolve with the name as postal_code",
          "[cli][communes]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto before = baro::test::database_fingerprint(db);
  const auto file = dir.write("m.csv", "id;Code postal;Ville;description\nm1;13001;Marseille;EPN\nm2;69003;Lyon;EPN\n");
  const auto wrong = run_baro({"classify", "--db", db.string(), "--rules", kRules, "--map", "commune=Code postal",
                               file.string()});
  CHECK(wrong.exit_code == 65);
  CHECK_THAT(wrong.err, Catch::Contains(":2: 13001 is Aix-en-Provence (13), but the row says Marseille: 13001 is a "
                                        "postal code of Marseille 1er Arrondissement (13201) (if the column \"Code "
                                        "postal\" holds postal codes, import with --map postal_code=\"Code postal\")"));
  CHECK(baro::test::database_fingerprint(db) == before);

  // Without the wrong --map, "Code postal" is recognised as the postal_code field.
  const auto right = run_baro({"classify", "--db", db.string(), "--rules", kRules, file.string()});
  REQUIRE(right.exit_code == 0);
  CHECK(stored_communes(db) == Communes{{"m1", "13055"}, {"m2", "69123"}});
}

TEST_CASE("an unknown INSEE code that is a postal code says so and names the --map to use", "[cli][communes]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto file = dir.write("p.csv", "id;commune;description\n1;33000;EPN\n");
  const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, file.string()});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains(":2: 33000 is not an INSEE code but a postal code of Bordeaux (33063): if the column \"commune\" holds postal codes, import with --map "
                                    "postal_code=\"commune\" (and a commune name column), or give INSEE codes"));
}

TEST_CASE("names with their postal code, arrondissements and former communes resolve by name", "[cli][communes]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto file = dir.write("n.csv",
                              "id;commune;description\n"
                              "a;Marseille 13001;EPN\n"
                              "b;Lyon 3e Arrondissement;EPN\n"
                              "c;Paris 15e;EPN\n"
                              "d;69006 Lyon;EPN\n"
                              "e;lyon 3ème arrondissement;EPN\n");
  const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(stored_communes(db) ==
        Communes{{"a", "13055"}, {"b", "69123"}, {"c", "75056"}, {"d", "69123"}, {"e", "69123"}});
}

TEST_CASE("with a name column and an INSEE code column, the code is the key and the name its check",
          "[cli][communes]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto file = dir.write("c.csv",
                              "Commune;Code INSEE;description\n"
                              "Saint-Denis;97411;EPN\n"
                              "Lyon 3e Arrondissement;69383;EPN\n"
                              "Lyon;69123;EPN\n");
  const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(stored_communes(db) == Communes{{"1", "97411"}, {"2", "69123"}, {"3", "69123"}});
  const auto inspect = run_baro({"inspect", file.string()});
  CHECK_THAT(inspect.out, Catch::Contains("commune ← \"Code INSEE\"") &&
                              Catch::Contains("commune_name ← \"Commune\""));
}

TEST_CASE("an ambiguous name lists its candidates, and an empty department cell is named as such",
          "[cli][communes]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto file = dir.write("s.csv", "Commune;Département;description\nSaint-Denis;;EPN\nSaint-Denis;974;EPN\n");
  const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, file.string()});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains(":2: several communes are named \"Saint-Denis\": 97411 Saint-Denis (974, 155 634 "
                                    "inhabitants), 93066 Saint-Denis (93, 149 077 inhabitants), 11339 Saint-Denis (11, "
                                    "523 inhabitants), 30247 Saint-Denis (30, 296 inhabitants): the department column "
                                    "\"Département\" is empty on this row: fill it, or give the INSEE code"));
  CHECK_THAT(r.err, !Catch::Contains(":3:"));

  const auto no_column = dir.write("t.csv", "Commune;description\nSaint-Denis;EPN\n");
  const auto r2 = run_baro({"classify", "--db", db.string(), "--rules", kRules, no_column.string()});
  CHECK(r2.exit_code == 65);
  CHECK_THAT(r2.err, Catch::Contains("inhabitants): add a department column (--map department=COLUMN), or give the "
                                     "INSEE code"));
}

TEST_CASE("200 rows of which 10 carry a code that disagrees with the name: refused, or 190 imported with --skip-bad",
          "[cli][communes]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto before = baro::test::database_fingerprint(db);
  std::string csv = "id;code_insee;nom_commune;description\n";
  for (int i = 1; i <= 200; ++i) {
    const bool wrong = i % 20 == 0;  // 10 rows: Lyon's 3rd arrondissement's postal code as its INSEE code
    csv += "r" + std::to_string(i) + (wrong ? ";69003;Lyon" : ";69123;Lyon") + ";Atelier numérique " +
           std::to_string(i) + "\n";
  }
  const auto file = dir.write("big.csv", csv);

  // Seen before any import: how many rows resolve, and why the others do not.
  const auto inspected = run_baro({"inspect", "--db=" + db.string(), file.string()});
  REQUIRE(inspected.exit_code == 0);
  CHECK_THAT(inspected.out,
             Catch::Contains("190 of 200 records resolve, 10 do not:\n"
                             "  10  code_name_disagree: the code and the name designate different communes\n"
                             "      first, line 21: 69003 is Albigny-sur-Saône (69), but the row says Lyon: 69003 is a "
                             "postal code of Lyon 3e Arrondissement (69383)"));
  CHECK(baro::test::database_fingerprint(db) == before);

  const auto refused = run_baro({"classify", "--db", db.string(), "--rules", kRules, file.string()});
  CHECK(refused.exit_code == 65);
  CHECK_THAT(refused.err, Catch::Contains("10 of 200 records cannot be used; nothing was imported"));
  CHECK(baro::test::database_fingerprint(db) == before);

  const auto skipped = run_baro({"classify", "--db", db.string(), "--rules", kRules, "--skip-bad", file.string()});
  REQUIRE(skipped.exit_code == 0);
  CHECK(stored_communes(db).size() == 190);
  const std::string rejects = baro::test::read_file(dir / "big.csv.rejects.csv");
  std::size_t lines = 0, both_named = 0;
  for (std::size_t at = rejects.find('\n'); at != std::string::npos; at = rejects.find('\n', at + 1)) ++lines;
  const std::string both = "69003 is Albigny-sur-Saône (69), but the row says Lyon: 69003 is a postal code of Lyon 3e "
                           "Arrondissement (69383)";
  for (std::size_t at = rejects.find(both); at != std::string::npos; at = rejects.find(both, at + 1)) ++both_named;
  CHECK(lines == 11);  // the header and the 10 rows
  CHECK(both_named == 10);
}

TEST_CASE("inspect --db counts by reason the rows whose commune does not resolve, in JSON too", "[cli][communes]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto before = baro::test::database_fingerprint(db);
  const auto file = dir.write("mix.csv",
                              "id;commune;description\n"
                              "1;75056;Atelier numérique\n"
                              "2;Trifouillis-les-Oies;Wifi public\n"
                              "3;Saint-Denis;Portail famille\n"
                              "4;Lyon;\n"
                              "5;Lyon 3e Arrondissement;Site de la mairie\n");
  const auto r = run_baro({"inspect", "--json", "--db=" + db.string(), file.string()});
  REQUIRE(r.exit_code == 0);
  const auto info = nlohmann::json::parse(r.err.substr(r.err.find('{')));
  const auto& communes = info.at("communes");
  CHECK(communes.at("records") == 5);
  CHECK(communes.at("resolved") == 2);
  CHECK(communes.at("other_problems") == 1);  // no description: refused before its commune
  REQUIRE(communes.at("unresolved").size() == 2);
  std::set<std::string> reasons;
  for (const auto& reason : communes.at("unresolved")) {
    CHECK(reason.at("records") == 1);
    reasons.insert(reason.at("reason").get<std::string>());
  }
  CHECK(reasons == std::set<std::string>{"unknown_name", "ambiguous_name"});
  CHECK(baro::test::database_fingerprint(db) == before);

  const auto absent = run_baro({"inspect", "--db=" + (dir / "absent.db").string(), file.string()});
  CHECK(absent.exit_code == 66);
  CHECK_FALSE(std::filesystem::exists(dir / "absent.db"));
}
