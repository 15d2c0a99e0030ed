// End-to-end: survey-tool exports whose records sit in an array inside one JSON document
// (tests/data/forms/: the shapes LimeSurvey, KoboToolbox and a Google Forms script write).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;

namespace {

const std::string kRules = baro::test::mini_rules_dir().string();

std::string form(const std::string& name) {
  return (std::filesystem::path(BARO_TEST_DATA_DIR) / "forms" / name).string();
}

// The initiatives stored in `db`, over all its batches.
std::int64_t stored_initiatives(const std::string& db) {
  const auto r = run_baro({"batches", "list", "--db", db, "--json"});
  REQUIRE(r.exit_code == 0);
  std::int64_t n = 0;
  for (const auto& batch : nlohmann::json::parse(r.out)) n += batch.at("initiatives").get<std::int64_t>();
  return n;
}

}  // namespace

TEST_CASE("a LimeSurvey responses export is imported without naming its array", "[cli][json]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir).string();
  const auto r = run_baro({"classify", "--db", db, "--rules", kRules, form("limesurvey-responses.json")});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("as batch 1: 3 initiatives"));
  CHECK(stored_initiatives(db) == 3);
}

TEST_CASE("a KoboToolbox data export: attachments, geolocation and tags do not spoil a record", "[cli][json]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir).string();
  const auto inspect = run_baro({"inspect", form("kobotoolbox-data.json")});
  REQUIRE(inspect.exit_code == 0);
  CHECK_THAT(inspect.out, Catch::Contains("format        json") &&
                              Catch::Contains("records at    /results (an array inside the document)") &&
                              Catch::Contains("records       2\n"));
  const auto r = run_baro({"classify", "--db", db, "--rules", kRules, form("kobotoolbox-data.json")});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("as batch 1: 2 initiatives"));

  // Mapping a structured column onto a field of Baro's is refused with the column named.
  const auto other_db = baro::test::fresh_db(dir, "other.db").string();
  const auto mapped = run_baro({"classify", "--db", other_db, "--rules", kRules, "--map", "description=_geolocation",
                                form("kobotoolbox-data.json")});
  CHECK(mapped.exit_code == 65);
  CHECK_THAT(mapped.err, Catch::Contains("kobotoolbox-data.json:6: the field \"_geolocation\" (read as description) holds an array, "
                                         "not text: map a column of text with --map description=COLUMN"));
}

TEST_CASE("a Google Forms export with two arrays asks for --records, then imports", "[cli][json]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir).string();
  const auto file = form("google-forms-export.json");
  const auto refused = run_baro({"classify", "--db", db, "--rules", kRules, file});
  CHECK(refused.exit_code == 65);
  CHECK_THAT(refused.err,
             Catch::Contains("the JSON document holds 2 arrays of records: /form/items (3 records), /responses (2 records)") &&
                 Catch::Contains("hint: name the one to import, e.g. --records /form/items"));
  CHECK(stored_initiatives(db) == 0);

  const auto wrong = run_baro({"classify", "--db", db, "--rules", kRules, "--records", "/form", file});
  CHECK(wrong.exit_code == 65);
  CHECK_THAT(wrong.err, Catch::Contains("--records /form: no array of records there"));
  const auto malformed = run_baro({"classify", "--db", db, "--rules", kRules, "--records", "responses", file});
  CHECK(malformed.exit_code == 64);
  CHECK_THAT(malformed.err, Catch::Contains("--records responses: not a JSON Pointer"));

  const auto r = run_baro({"classify", "--db", db, "--rules", kRules, "--records", "/responses", file});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("as batch 1: 2 initiatives"));
}

TEST_CASE("a pretty-printed document is no longer read as broken JSON Lines", "[cli][json]") {
  TempDir dir;
  const auto file = dir.write("export.json",
                              "{\n  \"responses\": [\n    {\n      \"code_insee\": \"69123\",\n"
                              "      \"description\": \"Ouverture d'un EPN\"\n    }\n  ]\n}\n");
  const auto r = run_baro({"classify", "--dry-run", "--json", "--rules", kRules, file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["primary"] == "acces");
  CHECK(r.err.empty());
}
