#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>

#include "baro/error.hpp"
#include "baro/import.hpp"
#include "baro/report.hpp"
#include "support/test_support.hpp"

using baro::ImportOptions;
using baro::RuleEngine;
using baro::RuleSet;
using baro::Store;
using baro::test::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  std::filesystem::path db_path = baro::test::fresh_db(dir);
  std::unique_ptr<Store> store = Store::open(db_path);
  std::unique_ptr<RuleSet> rules = RuleSet::load(baro::test::mini_rules_dir());
  RuleEngine engine{*rules};

  std::int64_t count(const std::string& sql) { return store->database().execAndGet(sql).getInt64(); }
};

const char* kGoodBatch =
    "id;code_insee;titre;annee;description\n"
    "a1;69123;EPN;2026;Ouverture d'un espace public numérique\n"
    "a2;2A004;;2026;Inscription à la cantine en ligne\n"
    "a3;01004;Église;2025;Réfection de la toiture de l'église\n";

}  // namespace

TEST_CASE("a batch is imported with its initiatives, classifications and labels", "[import]") {
  Fixture f;
  const auto file = f.dir.write("batch.csv", kGoodBatch);
  const auto result = baro::import_batch(*f.store, f.engine, file, {});
  CHECK_FALSE(result.already_present);
  CHECK(result.batch.imported == 3);
  CHECK(result.new_run);
  CHECK(f.count("SELECT count(*) FROM initiatives") == 3);
  CHECK(f.count("SELECT count(*) FROM classifications") == 3);
  CHECK(f.count("SELECT count(*) FROM classifications WHERE primary_domain IS NULL") == 1);
  CHECK(f.store->database().execAndGet("SELECT primary_domain FROM classifications c JOIN initiatives i ON i.id = c.initiative_id WHERE source_id = 'a2'").getString() == "education");
  CHECK(f.count("SELECT count(*) FROM labels WHERE domain = 'demarches'") == 1);
  CHECK(f.store->database().execAndGet("SELECT rules FROM labels WHERE domain = 'acces'").getString() == "acces.epn");
  CHECK(f.store->database().execAndGet("SELECT encoding FROM batches").getString() == "utf-8");
  const auto run = f.store->latest_run();
  REQUIRE(run);
  CHECK(run->ruleset_id == "test-mini");
  CHECK(run->ruleset_hash == f.rules->content_hash());
  REQUIRE(run->classifiers.size() == 1);
  CHECK(run->classifiers[0].name == "rules");
}

TEST_CASE("importing the same content again is a no-op naming the batch", "[import][idempotent]") {
  Fixture f;
  const auto first = baro::import_batch(*f.store, f.engine, f.dir.write("a.csv", kGoodBatch), {});
  const auto before = f.count("SELECT count(*) FROM initiatives");
  // Same bytes under another name: still the same batch.
  const auto again = baro::import_batch(*f.store, f.engine, f.dir.write("copy.csv", kGoodBatch), {});
  CHECK(again.already_present);
  CHECK(again.batch.id == first.batch.id);
  CHECK(f.count("SELECT count(*) FROM batches") == 1);
  CHECK(f.count("SELECT count(*) FROM initiatives") == before);
}

TEST_CASE("replace imports the content again in place of the old batch", "[import][idempotent]") {
  Fixture f;
  const auto file = f.dir.write("a.csv", kGoodBatch);
  const auto first = baro::import_batch(*f.store, f.engine, file, {});
  ImportOptions options;
  options.replace = true;
  const auto again = baro::import_batch(*f.store, f.engine, file, options);
  CHECK(again.replaced_batch == first.batch.id);
  CHECK(f.count("SELECT count(*) FROM batches") == 1);
  CHECK(f.count("SELECT count(*) FROM initiatives") == 3);
  CHECK(f.count("SELECT count(*) FROM classifications") == 3);
}

TEST_CASE("a batch with one broken row changes nothing and names the line", "[import][atomic]") {
  Fixture f;
  baro::import_batch(*f.store, f.engine, f.dir.write("ok.csv", kGoodBatch), {});
  f.store.reset();
  const auto before = baro::test::database_fingerprint(f.db_path);
  f.store = Store::open(f.db_path);
  const auto bad = f.dir.write("bad.csv",
                               "id;code_insee;description\n"
                               "b1;69123;Wifi public gratuit\n"
                               "b2;99999;Site internet\n"
                               "b3;69123;Médiathèque\n");
  try {
    baro::import_batch(*f.store, f.engine, bad, {});
    FAIL("expected the batch to be refused");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kDataError);
    REQUIRE(e.details().size() == 1);
    CHECK_THAT(e.details()[0], Catch::Contains("bad.csv:3: unknown commune code 99999"));
    CHECK_THAT(e.message(), Catch::Contains("nothing was imported"));
  }
  CHECK_FALSE(std::filesystem::exists(f.dir / "bad.csv.rejects.csv"));
  f.store.reset();
  CHECK(baro::test::database_fingerprint(f.db_path) == before);
}

TEST_CASE("skip-bad imports the good rows and writes exactly the bad ones to the rejects file", "[import][atomic]") {
  Fixture f;
  const auto bad = f.dir.write("bad.csv",
                               "id;code_insee;annee;description\n"
                               "b1;69123;2026;Wifi public gratuit\n"
                               "b2;1001;2026;Site internet\n"
                               "b3;69123;deux mille;Médiathèque\n"
                               "b4;69123;2026;\n"
                               "b1;69123;2026;Doublon\n"
                               "b6;2a004;2026;Corse\n");
  ImportOptions options;
  options.skip_bad = true;
  const auto result = baro::import_batch(*f.store, f.engine, bad, options);
  CHECK(result.batch.imported == 1);
  CHECK(result.rejected == 5);
  const std::string rejects = baro::test::read_file(f.dir / "bad.csv.rejects.csv");
  // A `;` input is French Excel's: so is its rejects file (BOM, `;`, CRLF, French headers).
  CHECK_THAT(rejects, Catch::StartsWith("\xEF\xBB\xBFligne;motif;enregistrement\r\n"));
  CHECK_THAT(rejects, Catch::Contains("3;\"commune code \"\"1001\"\"") && Catch::Contains("did you mean 01001?"));
  CHECK_THAT(rejects, Catch::Contains("4;\"year \"\"deux mille\"\" is not a year"));
  CHECK_THAT(rejects, Catch::Contains("5;empty description;\"b4;69123;2026;\"\r\n"));
  CHECK_THAT(rejects, Catch::Contains("6;\"duplicate id \"\"b1\"\" (already used at line 2)\""));
  CHECK_THAT(rejects, Catch::Contains("did you mean 2A004?"));
  CHECK_THAT(rejects, Catch::Contains("\"b6;2a004;2026;Corse\""));
}

TEST_CASE("communes resolve by old code and by name with department", "[import][communes]") {
  Fixture f;
  const auto file = f.dir.write("names.csv",
                                "id;commune;departement;description\n"
                                "1;01316;;Site internet\n"
                                "2;St-Étienne;42;Site internet\n"
                                "3;LYON;69;Site internet\n"
                                "4;13201;;Site internet\n");
  baro::import_batch(*f.store, f.engine, file, {});
  SQLite::Statement q(f.store->database(), "SELECT commune_code FROM initiatives ORDER BY record_no");
  std::vector<std::string> codes;
  while (q.executeStep()) codes.push_back(q.getColumn(0).getString());
  CHECK(codes == std::vector<std::string>{"01098", "42218", "69123", "13055"});
}

TEST_CASE("a missing description column is refused with the columns listed", "[import][mapping]") {
  Fixture f;
  const auto file = f.dir.write("nodesc.csv", "id;code_insee;texte_libre\n1;69123;EPN\n");
  try {
    baro::import_batch(*f.store, f.engine, file, {});
    FAIL("expected an error");
  } catch (const baro::Error& e) {
    CHECK_THAT(e.message(), Catch::Contains("no description column") && Catch::Contains("\"texte_libre\""));
    CHECK_THAT(e.hint(), Catch::Contains("--map description="));
  }
  ImportOptions options;
  options.column_map = {{"description", "texte_libre"}};
  CHECK(baro::import_batch(*f.store, f.engine, file, options).batch.imported == 1);
}

TEST_CASE("new rules start a new run that classifies every stored initiative", "[import][runs]") {
  Fixture f;
  baro::import_batch(*f.store, f.engine, f.dir.write("a.csv", kGoodBatch), {});
  f.dir.write("rules2/x", "");
  std::filesystem::copy(baro::test::mini_rules_dir(), f.dir / "rules2", std::filesystem::copy_options::recursive |
                                                                             std::filesystem::copy_options::overwrite_existing);
  f.dir.write("rules2/culture.json", R"({"domain": "culture", "rules": [
      {"id": "culture.eglise", "keywords": ["eglise"], "weight": 1, "examples": {"match": ["église"]}}]})");
  auto rules2 = RuleSet::load(f.dir / "rules2");
  RuleEngine engine2(*rules2);
  const auto result = baro::import_batch(*f.store, engine2, f.dir.write("b.csv",
      "id;code_insee;description\nz1;69123;Visite virtuelle de l'église\n"), {});
  CHECK(result.new_run);
  CHECK(result.reclassified == 3);
  CHECK(f.count("SELECT count(*) FROM runs") == 2);
  CHECK(f.count("SELECT count(*) FROM classifications WHERE run_id = 1") == 3);
  CHECK(f.count("SELECT count(*) FROM classifications WHERE run_id = 2") == 4);
  CHECK(f.count("SELECT count(*) FROM classifications WHERE run_id = 2 AND primary_domain = 'culture'") == 2);
  // The report describes the latest run by default, an older one on request.
  CHECK(baro::compute_report(*f.store).initiatives == 4);
  baro::ReportOptions old;
  old.run_id = 1;
  CHECK(baro::compute_report(*f.store, old).initiatives == 3);
}

TEST_CASE("the report's shares sum to one with the unclassified row", "[import][report]") {
  Fixture f;
  baro::import_batch(*f.store, f.engine, f.dir.write("a.csv", kGoodBatch), {});
  const auto report = baro::compute_report(*f.store);
  CHECK(report.initiatives == 3);
  CHECK(report.communes == 3);
  double total = 0;
  for (const auto& d : report.domains) total += d.primary_share;
  CHECK(total == Approx(1.0));
  CHECK(report.domains.back().domain.empty());
  CHECK(report.domains.back().primary_count == 1);
}
