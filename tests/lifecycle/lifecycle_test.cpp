// Runs over their lifetime: reclassification after a rule change, diffs, listing, deletion.
// The fixture corpus (tests/data/lifecycle/corpus.csv) and the rule sets mini and mini-v2
// (mini plus solidarite.handicap and vie_quotidienne.signalement) are small enough that
// every expected figure below is counted by hand in the comments.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include <numeric>

#include "baro/error.hpp"
#include "baro/import.hpp"
#include "baro/lifecycle.hpp"
#include "baro/report.hpp"
#include "support/test_support.hpp"

using baro::RuleEngine;
using baro::RuleSet;
using baro::Store;
using baro::test::TempDir;

namespace {

const std::filesystem::path kCorpus = std::filesystem::path(BARO_TEST_DATA_DIR) / "lifecycle" / "corpus.csv";
const std::filesystem::path kMiniV2 = std::filesystem::path(BARO_TEST_DATA_DIR) / "rules" / "mini-v2";

// A database with the fixture corpus imported with mini (run 1).
struct Fixture {
  TempDir dir;
  std::filesystem::path db_path = baro::test::fresh_db(dir);
  std::unique_ptr<Store> store = Store::open(db_path);
  std::unique_ptr<RuleSet> mini = RuleSet::load(baro::test::mini_rules_dir());
  std::unique_ptr<RuleSet> mini_v2 = RuleSet::load(kMiniV2);
  RuleEngine engine{*mini};
  RuleEngine engine_v2{*mini_v2};

  Fixture() { baro::import_batch(*store, engine, kCorpus, {}); }

  std::int64_t count(const std::string& sql) { return store->database().execAndGet(sql).getInt64(); }
  std::string primary(std::int64_t run, const std::string& source_id) {
    SQLite::Statement q(store->database(),
                        "SELECT coalesce(primary_domain, '-') FROM classifications c JOIN initiatives i ON "
                        "i.id = c.initiative_id WHERE c.run_id = ? AND i.source_id = ?");
    q.bind(1, run);
    q.bind(2, source_id);
    return q.executeStep() ? q.getColumn(0).getString() : "(absent)";
  }
};

std::string key(const std::optional<std::string>& domain) { return domain ? *domain : "-"; }

baro::ReportOptions of_run(std::int64_t run) {
  baro::ReportOptions options;
  options.run_id = run;
  return options;
}

}  // namespace

TEST_CASE("reclassify after a rule change moves exactly the initiatives the change touches", "[lifecycle][reclassify]") {
  Fixture f;
  const auto result = baro::reclassify(*f.store, f.engine_v2);
  CHECK_FALSE(result.up_to_date);
  CHECK(result.run_id == 2);
  CHECK(result.previous_run == 1);
  CHECK(result.initiatives == 12);
  CHECK(result.unclassified == 2);  // a3 (no rule) and a12 (acces.atelier vetoed)
  const auto diff = baro::diff_runs(*f.store, 1, 2);
  CHECK(diff.compared == 12);
  CHECK(diff.changed == 2);
  // a9: culture before and after (tie 3–3 with solidarite, culture listed first), but it
  // gained the solidarite label.
  CHECK(diff.labels_changed == 1);
  REQUIRE(diff.moves.size() == 2);
  std::map<std::string, std::vector<std::string>> moved;
  for (const auto& m : diff.moves) {
    CHECK(m.count == 1);
    for (const auto& e : m.examples) moved[key(m.from) + ">" + key(m.to)].push_back(e.source_id);
  }
  CHECK(moved == std::map<std::string, std::vector<std::string>>{
                     {"communication>solidarite", {"a4"}},  // communication.site 2 < solidarite.handicap 3
                     {"->vie_quotidienne", {"a5"}}});       // only vie_quotidienne.signalement fires
  // Every other initiative kept its primary domain in the new run; the old run is untouched.
  for (const char* id : {"a1", "a2", "a3", "a6", "a7", "a8", "a9", "a10", "a11", "a12"}) {
    CHECK(f.primary(1, id) == f.primary(2, id));
  }
  CHECK(f.primary(1, "a4") == "communication");
  CHECK(f.primary(1, "a5") == "-");
  CHECK(f.count("SELECT count(*) FROM classifications WHERE run_id = 1") == 12);
  // The rules that fired on each side are named.
  for (const auto& m : diff.moves) {
    if (key(m.from) != "communication") continue;
    REQUIRE(m.examples.size() == 1);
    const auto& e = m.examples[0];
    CHECK(e.description == "Site internet accessible aux personnes en situation de handicap");
    REQUIRE(e.a.domains.size() == 1);
    CHECK(e.a.domains[0].rules == std::vector<std::string>{"communication.site"});
    REQUIRE(e.b.domains.size() == 2);
    CHECK(e.b.domains[1].domain == "solidarite");
    CHECK(e.b.domains[1].rules == std::vector<std::string>{"solidarite.handicap"});
    CHECK(e.b.domains[1].score == 3.0);
  }
}

TEST_CASE("the diff matrix sums to the compared initiatives, its rows to A and its columns to B", "[lifecycle][diff]") {
  Fixture f;
  baro::reclassify(*f.store, f.engine_v2);
  for (const auto& diff : {baro::diff_runs(*f.store, 1, 2), baro::diff_runs(*f.store, 2, 1),
                           baro::diff_run_with_rules(*f.store, 1, f.engine_v2)}) {
    const std::size_t n = diff.domains.size();
    REQUIRE(n == 10);  // nine domains and the unclassified
    CHECK_FALSE(diff.domains.back().has_value());
    REQUIRE(diff.matrix.size() == n);
    std::int64_t total = 0, off_diagonal = 0;
    for (std::size_t from = 0; from < n; ++from) {
      REQUIRE(diff.matrix[from].size() == n);
      const std::int64_t row = std::accumulate(diff.matrix[from].begin(), diff.matrix[from].end(), std::int64_t{0});
      CHECK(row == diff.shares[from].count_a);
      std::int64_t column = 0;
      for (std::size_t to = 0; to < n; ++to) {
        column += diff.matrix[to][from];
        if (to != from) off_diagonal += diff.matrix[from][to];
      }
      CHECK(column == diff.shares[from].count_b);
      total += row;
    }
    CHECK(total == diff.compared);
    CHECK(off_diagonal == diff.changed);
    std::int64_t moved = 0;
    for (const auto& m : diff.moves) moved += m.count;
    CHECK(moved == diff.changed);
    double delta = 0.0, share_a = 0.0;
    for (const auto& s : diff.shares) {
      delta += s.delta_points;
      share_a += s.share_a;
    }
    CHECK(delta == Approx(0.0).margin(1e-9));
    CHECK(share_a == Approx(1.0));
  }
  // Shares in points: communication 1/12 → 0, unclassified 3/12 → 2/12.
  const auto diff = baro::diff_runs(*f.store, 1, 2);
  CHECK(diff.shares[1].domain == "communication");
  CHECK(diff.shares[1].delta_points == Approx(-100.0 / 12));
  CHECK(diff.shares.back().count_a == 3);
  CHECK(diff.shares.back().count_b == 2);
}

TEST_CASE("a diff against a rules folder equals the diff against the run that folder makes", "[lifecycle][diff]") {
  Fixture f;
  const auto preview = baro::run_diff_to_json(baro::diff_run_with_rules(*f.store, 1, f.engine_v2));
  const auto before = f.count("SELECT count(*) FROM classifications");
  CHECK(f.count("SELECT count(*) FROM runs") == 1);  // the preview wrote nothing
  CHECK(before == 12);
  baro::reclassify(*f.store, f.engine_v2);
  const auto applied = baro::run_diff_to_json(baro::diff_runs(*f.store, 1, 2));
  auto p = nlohmann::json::parse(preview), a = nlohmann::json::parse(applied);
  CHECK(p["b"]["kind"] == "rules");
  CHECK(a["b"]["kind"] == "run");
  for (const char* field : {"compared", "changed", "labels_changed", "domains", "matrix", "shares", "moves"}) {
    CHECK(p[field] == a[field]);
  }
}

TEST_CASE("reclassify with the rules of the latest run writes nothing unless forced", "[lifecycle][reclassify]") {
  Fixture f;
  const auto same = baro::reclassify(*f.store, f.engine);
  CHECK(same.up_to_date);
  CHECK(same.run_id == 1);
  CHECK(f.count("SELECT count(*) FROM runs") == 1);
  baro::ReclassifyOptions force;
  force.force = true;
  const auto forced = baro::reclassify(*f.store, f.engine, force);
  CHECK_FALSE(forced.up_to_date);
  CHECK(forced.run_id == 2);
  CHECK(baro::diff_runs(*f.store, 1, 2).changed == 0);
}

TEST_CASE("reclassify on a database without initiatives is refused", "[lifecycle][reclassify]") {
  TempDir dir;
  auto store = Store::open(baro::test::fresh_db(dir));
  const auto rules = RuleSet::load(baro::test::mini_rules_dir());
  const RuleEngine engine(*rules);
  try {
    baro::reclassify(*store, engine);
    FAIL("expected a refusal");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kDataError);
    CHECK_THAT(e.hint(), Catch::Contains("baro classify"));
  }
}

TEST_CASE("runs record their rule list and vetoes", "[lifecycle][store]") {
  Fixture f;
  CHECK(f.count("SELECT count(*) FROM run_rules WHERE run_id = 1") == static_cast<std::int64_t>(f.mini->rules().size()));
  CHECK(f.store->database()
            .execAndGet("SELECT vetoed FROM classifications c JOIN initiatives i ON i.id = c.initiative_id "
                        "WHERE run_id = 1 AND source_id = 'a12'")
            .getString() == "acces.atelier");
  CHECK(f.count("SELECT count(*) FROM classifications WHERE run_id = 1 AND vetoed = ''") == 11);
}

TEST_CASE("deleting a run removes only that run", "[lifecycle][delete]") {
  Fixture f;
  baro::reclassify(*f.store, f.engine_v2);
  baro::ReclassifyOptions force;
  force.force = true;
  baro::reclassify(*f.store, f.engine, force);  // run 3
  const auto report_1 = baro::report_to_json(baro::compute_report(*f.store, of_run(1)));
  const auto report_3 = baro::report_to_json(baro::compute_report(*f.store, of_run(3)));
  baro::delete_run(*f.store, 2);
  CHECK(f.count("SELECT count(*) FROM runs") == 2);
  for (const char* table : {"classifications", "labels", "run_domains", "run_rules"}) {
    INFO(table);
    CHECK(f.count(std::string("SELECT count(*) FROM ") + table + " WHERE run_id = 2") == 0);
    CHECK(f.count(std::string("SELECT count(*) FROM ") + table + " WHERE run_id = 1") > 0);
    CHECK(f.count(std::string("SELECT count(*) FROM ") + table + " WHERE run_id = 3") > 0);
  }
  CHECK(f.count("SELECT count(*) FROM initiatives") == 12);
  CHECK(f.count("SELECT count(*) FROM batches") == 1);
  CHECK(baro::report_to_json(baro::compute_report(*f.store, of_run(1))) == report_1);
  CHECK(baro::report_to_json(baro::compute_report(*f.store, of_run(3))) == report_3);
  try {
    baro::delete_run(*f.store, 2);
    FAIL("expected a refusal");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kDataError);
    CHECK_THAT(e.message(), Catch::Contains("there is no run 2"));
  }
}

TEST_CASE("a run left incomplete by a deletion is not joined by the next import", "[lifecycle][delete]") {
  Fixture f;
  baro::reclassify(*f.store, f.engine_v2);  // run 2 (mini-v2)
  // A new batch classified with mini-v2 joins run 2; run 1 lacks it.
  baro::import_batch(*f.store, f.engine_v2,
                     f.dir.write("more.csv", "id;code_insee;description\nb1;69123;Budget participatif 2026\n"), {});
  baro::delete_run(*f.store, 2);
  const auto runs = baro::list_runs(*f.store);
  REQUIRE(runs.size() == 1);
  CHECK_FALSE(runs[0].complete);
  CHECK(runs[0].latest);
  // Importing with mini (run 1's rules) opens a complete run instead of extending run 1.
  const auto result = baro::import_batch(
      *f.store, f.engine, f.dir.write("third.csv", "id;code_insee;description\nc1;69123;Site web\n"), {});
  CHECK(result.new_run);
  CHECK(result.run_id == 3);  // never 2 again: ids of deleted runs are not reused
  CHECK(f.count("SELECT count(*) FROM classifications WHERE run_id = 3") == 14);
  CHECK(f.count("SELECT count(*) FROM classifications WHERE run_id = 1") == 12);
}

TEST_CASE("list_runs names the latest run and counts the unclassified", "[lifecycle][list]") {
  Fixture f;
  baro::reclassify(*f.store, f.engine_v2);
  const auto runs = baro::list_runs(*f.store);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].info.id == 1);
  CHECK(runs[0].unclassified == 3);
  CHECK_FALSE(runs[0].latest);
  CHECK(runs[1].unclassified == 2);
  CHECK(runs[1].latest);
  CHECK(runs[1].info.ruleset_version == "1.1.0");
  CHECK(runs[0].complete);
  CHECK(runs[1].complete);
}

TEST_CASE("diffing a run that does not exist names it", "[lifecycle][diff]") {
  Fixture f;
  CHECK_THROWS_WITH(baro::diff_runs(*f.store, 1, 9), Catch::Contains("there is no run 9"));
}

TEST_CASE("a version-1 database is migrated forward with its runs", "[lifecycle][store]") {
  Fixture f;
  // Take the database back to what version 1 held: no rule lists, no vetoes, no classifier
  // names, no id watermark, no validation sample (version 3), no other names or postal codes of
  // communes (version 4).
  f.store->database().exec(
      "DROP TABLE commune_postal_codes; DROP TABLE commune_other_names; "
      "DROP TABLE validation_items; DROP TABLE validation_strata; DROP TABLE validation_samples; "
      "DROP TABLE run_rules; ALTER TABLE classifications DROP COLUMN vetoed; "
      "ALTER TABLE classifications DROP COLUMN classifier; DROP TRIGGER runs_keep_deleted_ids; "
      "DROP TABLE run_ids; PRAGMA user_version = 1");
  f.store.reset();
  f.store = Store::open(f.db_path);
  CHECK(f.count("PRAGMA user_version") == baro::kSchemaVersion);
  CHECK(f.count("SELECT count(*) FROM run_rules") == 0);
  CHECK(f.count("SELECT count(*) FROM classifications WHERE run_id = 1 AND vetoed IS NULL") == 12);
  // The classified rows of the old run name the only classifier there was.
  CHECK(f.count("SELECT count(*) FROM classifications WHERE run_id = 1 AND classifier = 'rules'") ==
        f.count("SELECT count(*) FROM classifications WHERE run_id = 1 AND primary_domain IS NOT NULL"));
  // The old run still reports and diffs; a new run records everything.
  CHECK(baro::compute_report(*f.store, of_run(1)).initiatives == 12);
  baro::reclassify(*f.store, f.engine_v2);
  CHECK(baro::diff_runs(*f.store, 1, 2).changed == 2);
  CHECK(f.count("SELECT count(*) FROM run_rules WHERE run_id = 2") == static_cast<std::int64_t>(f.mini_v2->rules().size()));
}
