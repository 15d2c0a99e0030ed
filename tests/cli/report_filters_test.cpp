// `baro report` filters, end to end: unknown values refused with the run's values in the
// hint, department codes in any case, an empty selection refused, and the filters in force
// named by the text and Markdown reports.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "stats/report_fixture.hpp"
#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;

namespace {

// The database of tests/stats/report_fixture.hpp: run 2 has initiatives in departments 01
// and 02 (regions 84 and 32), batches 1 (2025) and 2 (2026); batch 1 is all in 01.
struct Fixture {
  TempDir dir;
  std::string db;
  Fixture() {
    baro::test::make_report_fixture(dir / "baro.db", dir / "reference");
    db = (dir / "baro.db").string();
  }
  baro::test::RunResult report(std::vector<std::string> args) const {
    args.insert(args.begin(), {"report", "--db", db});
    return run_baro(args);
  }
};

}  // namespace

TEST_CASE("an unknown department is refused with the run's departments in the hint", "[cli][report][filters]") {
  Fixture f;
  const auto r = f.report({"--department", "99"});
  CHECK(r.exit_code == 64);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "baro: unknown department '99' (--department takes an INSEE code: 01, 2A, 971)\n"
        "hint: departments with initiatives in run 2: 01, 02\n");
}

TEST_CASE("an unknown region is refused with the run's regions in the hint", "[cli][report][filters]") {
  Fixture f;
  const auto r = f.report({"--region", "99"});
  CHECK(r.exit_code == 64);
  CHECK(r.err ==
        "baro: unknown region '99' (--region takes an INSEE region code: 84, 11, 976)\n"
        "hint: regions with initiatives in run 2: 32, 84\n");
}

TEST_CASE("an unknown batch is refused with the run's batches in the hint", "[cli][report][filters]") {
  Fixture f;
  const auto r = f.report({"--batch", "7"});
  CHECK(r.exit_code == 64);
  CHECK(r.err == "baro: there is no batch 7\nhint: batches in run 2: 1, 2\n");
}

TEST_CASE("a year no initiative has is refused with the run's years in the hint", "[cli][report][filters]") {
  Fixture f;
  const auto r = f.report({"--year", "1990"});
  CHECK(r.exit_code == 64);
  CHECK(r.err == "baro: no initiative of any batch is dated 1990\nhint: years in run 2: 2025, 2026\n");
}

TEST_CASE("known filters that together select nothing exit 66 and say so", "[cli][report][filters]") {
  Fixture f;
  const auto r = f.report({"--year", "2025", "--department", "02", "--format", "json"});
  CHECK(r.exit_code == 66);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::StartsWith("baro: ") &&
                        Catch::Contains("baro.db: no initiative of run 2 matches the filters (year 2025, department 02)\n"
                                        "hint: each filter is known to the database, but together they select "
                                        "nothing: remove one\n"));
}

TEST_CASE("department codes are case-insensitive: 2a is 2A", "[cli][report][filters]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir).string();
  const auto survey = dir.write("s.csv", "id;code_insee;description\n1;2A004;EPN\n2;69123;Budget participatif\n");
  REQUIRE(run_baro({"classify", "--db", db, "--rules", baro::test::mini_rules_dir().string(), survey.string()})
              .exit_code == 0);
  const auto r = run_baro({"report", "--db", db, "--department", "2a", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const auto report = nlohmann::json::parse(r.out);
  CHECK(report["filters"]["department"] == "2A");
  CHECK(report["initiatives"] == 1);
}

TEST_CASE("the text and Markdown reports name the filters in force", "[cli][report][filters]") {
  Fixture f;
  const auto text = f.report({"--year", "2025", "--department", "01"});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("\nPérimètre : année 2025, département 01\n"));
  const auto markdown = f.report({"--batch", "2", "--region", "32", "--format", "markdown"});
  REQUIRE(markdown.exit_code == 0);
  CHECK_THAT(markdown.out, Catch::Contains("\nPérimètre : lot n° 2, région 32.\n"));
  const auto everything = f.report({});
  REQUIRE(everything.exit_code == 0);
  CHECK_THAT(everything.out, Catch::Contains("\nPérimètre : toutes les initiatives de la classification\n"));
}
