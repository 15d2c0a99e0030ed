// End-to-end: a maintainer's rule change through the real `baro` binary — reclassify, runs
// list/diff/delete, rules stats/suggest and kwic — on the fixture corpus.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

#include "baro/display.hpp"
#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;
using nlohmann::json;

namespace {

const std::string kData = BARO_TEST_DATA_DIR;
const std::string kMini = baro::test::mini_rules_dir().string();
const std::string kMiniV2 = kData + "/rules/mini-v2";
const std::string kCorpus = kData + "/lifecycle/corpus.csv";

// A database holding the corpus classified with mini (run 1).
struct Database {
  TempDir dir;
  std::string db = baro::test::fresh_db(dir).string();
  Database() {
    const auto r = run_baro({"classify", "--db", db, "--rules", kMini, kCorpus});
    REQUIRE(r.exit_code == 0);
  }
  baro::test::RunResult baro(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", db});  // after the subcommand: `baro runs delete 1 --db X`
    return run_baro(args);
  }
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("a maintainer adds a rule, reclassifies, reads the diff and keeps the old run", "[cli][lifecycle]") {
  Database d;
  const auto reclassified = d.baro({"reclassify", "--rules", kMiniV2});
  REQUIRE(reclassified.exit_code == 0);
  CHECK_THAT(reclassified.out, Catch::Contains("reclassified 12 initiatives into run 2") &&
                                   Catch::Contains("baro runs diff 1 2"));

  const auto diff = d.baro({"runs", "diff", "1", "2"});
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.out, Catch::Contains("primary changed  2 (16.7 %)"));
  CHECK_THAT(diff.out, Catch::Contains("communication → solidarite: 1"));
  CHECK_THAT(diff.out, Catch::Contains("non classé → vie_quotidienne: 1"));
  CHECK_THAT(diff.out, Catch::Contains("Site internet accessible aux personnes en situation de handicap"));
  CHECK_THAT(diff.out, Catch::Contains("B:  communication 2 [communication.site]; solidarite 3 [solidarite.handicap]"));

  const auto json_diff = json::parse(d.baro({"runs", "diff", "1", "2", "--json"}).out);
  CHECK(json_diff["schema"] == "baro-runs-diff/1");
  CHECK(json_diff["changed"] == 2);
  CHECK(json_diff["a"]["run"] == 1);
  CHECK(json_diff["b"]["ruleset"]["version"] == "1.1.0");

  // The old run is still there for reports.
  const auto old_report = d.baro({"report", "--run", "1"});
  REQUIRE(old_report.exit_code == 0);
  CHECK_THAT(old_report.out, Catch::Contains("Classification n° 1 — règles test-mini 1.0.0"));
  CHECK_THAT(d.baro({"report"}).out, Catch::Contains("Classification n° 2 — règles test-mini 1.1.0"));

  const auto list = json::parse(d.baro({"runs", "list", "--json"}).out);
  REQUIRE(list.size() == 2);
  CHECK(list[0]["id"] == 1);
  CHECK(list[0]["unclassified"] == 3);
  CHECK(list[1]["latest"] == true);
  CHECK(list[1]["ruleset"]["hash"].get<std::string>().size() == 32);
  CHECK_THAT(d.baro({"runs", "list"}).out, Catch::Contains("test-mini 1.1.0") && Catch::Contains("latest"));
}

TEST_CASE("runs diff against a rules folder previews the change and writes nothing", "[cli][lifecycle]") {
  Database d;
  const auto before = baro::test::read_file(d.db);
  const auto preview = d.baro({"runs", "diff", "1", kMiniV2, "--json"});
  REQUIRE(preview.exit_code == 0);
  const auto j = json::parse(preview.out);
  CHECK(j["b"]["kind"] == "rules");
  CHECK(j["changed"] == 2);
  // A read-only SQLite connection to a WAL database may leave an empty -wal beside it.
  CHECK(baro::test::read_file(d.db) == before);
  const std::filesystem::path wal = d.db + "-wal";
  CHECK((!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0));
}

TEST_CASE("reclassify with unchanged rules is a no-op, and runs delete removes one run", "[cli][lifecycle]") {
  Database d;
  const auto same = d.baro({"reclassify", "--rules", kMini});
  CHECK(same.exit_code == 0);
  CHECK_THAT(same.out, Catch::Contains("nothing to do"));
  REQUIRE(d.baro({"reclassify", "--rules", kMiniV2}).exit_code == 0);
  const auto deleted = d.baro({"runs", "delete", "1"});
  CHECK(deleted.exit_code == 0);
  CHECK_THAT(deleted.out, Catch::Contains("deleted run 1"));
  const auto list = json::parse(d.baro({"runs", "list", "--json"}).out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == 2);
  const auto again = d.baro({"runs", "delete", "1"});
  CHECK(again.exit_code == 65);
  CHECK_THAT(again.err, Catch::Contains("there is no run 1") && Catch::Contains("baro runs list"));
  CHECK(d.baro({"runs", "diff", "2", "x", "y"}).exit_code == 64);
  CHECK(d.baro({"runs", "frobnicate"}).exit_code == 64);
}

TEST_CASE("rules stats and rules suggest read the stored corpus", "[cli][diagnostics]") {
  Database d;
  REQUIRE(d.baro({"reclassify", "--rules", kMiniV2}).exit_code == 0);
  const auto stats = d.baro({"rules", "stats", "--json"});
  REQUIRE(stats.exit_code == 0);
  const auto j = json::parse(stats.out);
  CHECK(j["run"]["id"] == 2);
  CHECK(j["rules"][0]["problems"] == json::array({"dead"}));
  const auto text = d.baro({"rules", "stats", "--run", "1"});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("acces.wifi") && Catch::Contains("dead") &&
                           Catch::Contains("domains labelled together"));
  const auto suggest = d.baro({"rules", "suggest", "--run", "1", "--min", "1", "--json"});
  REQUIRE(suggest.exit_code == 0);
  CHECK(json::parse(suggest.out)["unclassified"] == 3);
}

TEST_CASE("baro kwic prints the match in one column, whatever the accents before it", "[cli][kwic]") {
  Database d;
  const auto r = d.baro({"kwic", "numerique*", "--width", "20"});
  REQUIRE(r.exit_code == 0);
  const auto out = lines(r.out);
  REQUIRE(out.size() >= 3);
  CHECK(out[0] == "4 matches in 4 of 12 initiatives");  // a1, a6, a11, a12
  std::size_t column = 0;
  int matched = 0;
  for (std::size_t i = 2; i < out.size(); ++i) {
    const auto at = out[i].find("  num");
    REQUIRE(at != std::string::npos);
    const std::size_t c = baro::display_width(out[i].substr(0, at));
    if (matched++ == 0) column = c;
    CHECK(c == column);
  }
  CHECK(matched == 4);
  const auto unclassified = d.baro({"kwic", "atelier*", "--unclassified"});
  CHECK_THAT(unclassified.out, Catch::StartsWith("1 match in 1 of 3 initiatives (run 1, unclassified)"));
  CHECK(d.baro({"kwic", "atelier*", "--domain", "sport"}).exit_code == 64);
}
