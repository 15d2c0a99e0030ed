// The plugin host end to end: loading the real built plugins and the broken fixtures of
// tests/plugins/fixtures/, the CLI's plugin commands, and the failure guarantees (no partial
// file, the database untouched).
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kRules = baro::test::mini_rules_dir().string();
const fs::path kGood = fs::path(BARO_FIXTURE_PLUGIN_DIR) / "good";
const fs::path kBroken = fs::path(BARO_FIXTURE_PLUGIN_DIR) / "broken";
const fs::path kLegacy = fs::path(BARO_FIXTURE_PLUGIN_DIR) / "legacy";

// Plugin runs get their own HOME, so that nothing in ~/.local/lib/baro/plugins leaks in.
struct PluginRun {
  TempDir home;
  baro::test::RunResult operator()(std::vector<std::string> args) const {
    return run_baro(args, {}, {"HOME=" + home.path().string()});
  }
};

std::map<std::string, json> by_file(const json& list) {
  std::map<std::string, json> out;
  for (const auto& p : list) out[p["path"].is_null() ? "(built-in) " + p["name"].get<std::string>() : fs::path(p["path"].get<std::string>()).filename().string()] = p;
  return out;
}

// A database with two initiatives classified by the mini rules and one the rules miss.
// `opened_read_only`: also open it once read-only (as an export does), which leaves SQLite's
// empty -wal and -shm files beside it; a writer closing removes them again. Tests compare
// the database with the state the command under test would leave when it changes nothing.
fs::path classified_db(const TempDir& dir, bool opened_read_only = true) {
  const auto db = baro::test::fresh_db(dir);
  const auto file = dir.write("s.csv",
                              "id;code_insee;description\n"
                              "1;69123;Ouverture d'un EPN en mairie\n"
                              "2;75056;Budget participatif en ligne\n"
                              "3;13055;Atelier robotique pour les enfants\n");
  const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, file.string()});
  REQUIRE(r.exit_code == 0);
  if (opened_read_only) REQUIRE(run_baro({"report", "--db", db.string()}).exit_code == 0);
  return db;
}

// The database's bytes, hashed: a failed comparison of megabytes would drown the report.
std::size_t fingerprint(const fs::path& db) { return std::hash<std::string>{}(baro::test::database_fingerprint(db)); }

std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("plugins list --json shows the built-in plugins of the build tree", "[plugins][cli]") {
  PluginRun baro;
  const auto r = baro({"plugins", "list", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto plugins = by_file(json::parse(r.out));
  const auto& rules = plugins.at("(built-in) rules");
  CHECK(rules["kind"] == "classifier");
  CHECK(rules["status"] == "built-in");
  for (const std::string name : {"text", "json", "csv", "jsonl", "markdown", "xlsx", "dta", "sav"}) {
    INFO(name);
    const auto& p = plugins.at(name + ".so");
    CHECK(p["name"] == name);
    CHECK(p["kind"] == "exporter");
    CHECK(p["status"] == "loaded");
    CHECK(p["error"].is_null());
    CHECK(p["api_version"] == "1.2");
    CHECK(fs::path(p["path"].get<std::string>()).parent_path() == fs::path(BARO_PLUGIN_DIR));
  }
}

TEST_CASE("every plugin exports exactly one dynamic symbol, the entry point", "[plugins][abi]") {
  std::vector<fs::path> files;
  for (const auto& dir : {fs::path(BARO_PLUGIN_DIR), kGood}) {
    for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  }
  REQUIRE(files.size() >= 7);
  for (const auto& file : files) {
    INFO(file);
    FILE* nm = ::popen(("nm -D --defined-only '" + file.string() + "'").c_str(), "r");
    REQUIRE(nm != nullptr);
    std::vector<std::string> symbols;
    char line[4096];
    while (std::fgets(line, sizeof line, nm) != nullptr) {
      std::string s(line);
      while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
      symbols.push_back(s.substr(s.rfind(' ') + 1));
    }
    REQUIRE(::pclose(nm) == 0);
    CHECK(symbols == std::vector<std::string>{"baro_plugin_entry"});
  }
}

TEST_CASE("broken plugins are refused one by one, naming the file and the reason, and the others load",
          "[plugins][loader]") {
  PluginRun baro;
  const auto r = baro({"plugins", "list", "--json", "--plugin-path", kGood.string(), "--plugin-path", kBroken.string()});
  REQUIRE(r.exit_code == 0);
  const auto plugins = by_file(json::parse(r.out));
  auto failed_with = [&](const std::string& file, const std::string& reason) {
    INFO(file);
    const auto& p = plugins.at(file);
    CHECK(p["status"] == "failed");
    CHECK(fs::path(p["path"].get<std::string>()) == kBroken / file);
    CHECK_THAT(p["error"].get<std::string>(), Catch::Contains(reason));
  };
  failed_with("wrong_major.so", "built for plugin API 99.0, but this baro speaks API 1.2");
  failed_with("newer_minor.so", "built for plugin API 1.3, newer than this baro's 1.2");
  failed_with("no_entry.so", "does not export the entry symbol baro_plugin_entry");
  failed_with("unresolved_symbol.so", "undefined symbol: baro_fixture_function_that_does_not_exist");
  failed_with("not_a_library.so", "cannot be loaded as a shared library");
  failed_with("twin_b.so", (kBroken / "twin_a.so").string());
  CHECK(plugins.at("twin_a.so")["status"] == "loaded");
  CHECK(plugins.at("throwing.so")["status"] == "loaded");
  CHECK(plugins.at("probe.so")["status"] == "loaded");
  CHECK(plugins.at("keyword.so")["kind"] == "classifier");
  CHECK(plugins.at("text.so")["status"] == "loaded");

  const auto text = baro({"plugins", "list", "--plugin-path", kBroken.string()});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("error: built for plugin API 99.0") && Catch::Contains("could not be loaded"));
}

TEST_CASE("a plugin in a world-writable folder is refused without being loaded", "[plugins][loader]") {
  PluginRun baro;
  TempDir dir;
  const fs::path open_dir = dir / "open";
  fs::create_directory(open_dir);
  fs::copy_file(kGood / "probe.so", open_dir / "probe.so");
  ::chmod(open_dir.c_str(), 0777);
  const auto r = baro({"plugins", "list", "--json", "--plugin-path", open_dir.string()});
  REQUIRE(r.exit_code == 0);
  const auto plugins = by_file(json::parse(r.out));
  const auto& p = plugins.at("probe.so");
  CHECK(p["status"] == "failed");
  CHECK(p["name"].is_null());  // refused before its descriptor was read
  CHECK_THAT(p["error"].get<std::string>(), Catch::Contains("writable by every user"));

  ::chmod(open_dir.c_str(), 0755);
  ::chmod((open_dir / "probe.so").c_str(), 0666);
  const auto file = baro({"plugins", "list", "--json", "--plugin-path", open_dir.string()});
  CHECK_THAT(by_file(json::parse(file.out)).at("probe.so")["error"].get<std::string>(),
             Catch::Contains("writable by every user"));
}

TEST_CASE("a missing --plugin-path folder is an error, not a silent empty list", "[plugins][cli]") {
  PluginRun baro;
  const auto r = baro({"plugins", "list", "--plugin-path", "/nonexistent/plugins"});
  CHECK(r.exit_code == 66);
  CHECK_THAT(r.err, Catch::Contains("/nonexistent/plugins: no plugin folder here"));
}

TEST_CASE("plugins describe prints the option table and how to use the plugin", "[plugins][cli]") {
  PluginRun baro;
  const auto r = baro({"plugins", "describe", "probe", "--plugin-path", kGood.string()});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("probe — exporter 0.3.0 (plugin API 1.2)"));
  CHECK_THAT(r.out, Catch::Contains("usage: baro export --to probe"));
  CHECK_THAT(r.out, Catch::Contains("[--mode plain|fancy]"));
  CHECK_THAT(r.out, Catch::Contains("--mode (one of plain, fancy; default \"plain\")"));
  CHECK_THAT(r.out, Catch::Contains("--percent (int from 0 to 100, default \"50\")"));
  CHECK_THAT(r.out, Catch::Contains("--greeting (string, default \"hello\")") && Catch::Contains("first line"));
  CHECK_THAT(r.out, Catch::Contains("--shout (bool, default \"false\")"));

  const auto csv = baro({"plugins", "describe", "csv"});
  CHECK_THAT(csv.out, Catch::Contains("--excel"));
  const auto none = baro({"plugins", "describe", "wrong_major", "--plugin-path", kBroken.string()});
  CHECK(none.exit_code == 78);
  CHECK_THAT(none.err, Catch::Contains("no plugin called \"wrong_major\"") && Catch::Contains("wrong_major.so: built for plugin API 99.0"));
}

TEST_CASE("export passes the run, the report and every initiative with its labels", "[plugins][export]") {
  PluginRun baro;
  TempDir dir;
  const auto db = classified_db(dir).string();
  const auto r = baro({"export", "--db", db, "--to", "probe", "--plugin-path", kGood.string(), "--shout", "--ratio=0.25"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("HELLO\nrun 1 test-mini [{\"name\":\"rules\""));
  CHECK_THAT(r.out, Catch::Contains("ratio 0.25\nmode plain percent 50 given shout\ninitiatives 3\nfilters {\"run\":1}\n"));
  CHECK_THAT(r.out, Catch::Contains("run-initiatives 3 classifiers rules@"));
  CHECK_THAT(r.out, Catch::Contains("1 69123 acces rules acces=acces.epn\n"));
  CHECK_THAT(r.out, Catch::Contains("3 13055 - -\n"));
  CHECK_THAT(r.err, Catch::Contains("baro: plugin probe: probed 3 initiatives"));

  const auto limited = baro({"export", "--db", db, "--to", "probe", "--plugin-path", kGood.string(), "--limit", "1",
                             "--department", "69"});
  REQUIRE(limited.exit_code == 0);
  CHECK_THAT(limited.out, Catch::Contains("filters {\"department\":\"69\",\"run\":1}"));
  CHECK_THAT(limited.out, Catch::Contains("initiatives 1\n"));
}

TEST_CASE("a plugin built against plugin API 1.1 loads and exports on this host", "[plugins][abi]") {
  // tests/plugins/fixtures/legacy_exporter.c, compiled against the frozen 1.1 header: a
  // smaller descriptor, 1.1's option table and option array, report_json read directly.
  PluginRun baro;
  TempDir dir;
  const auto db = classified_db(dir).string();
  const auto list = baro({"plugins", "list", "--json", "--plugin-path", kLegacy.string()});
  REQUIRE(list.exit_code == 0);
  const auto legacy = by_file(json::parse(list.out)).at("legacy.so");
  CHECK(legacy["status"] == "loaded");
  CHECK(legacy["api_version"] == "1.1");
  REQUIRE(legacy["options"].size() == 3);
  CHECK(legacy["options"][1]["name"] == "second");
  CHECK(legacy["options"][1]["type"] == "int");
  CHECK(legacy["options"][1]["default"] == "2");
  CHECK(legacy["options"][2]["default"] == "false");
  const auto r = baro({"export", "--db", db, "--to", "legacy", "--plugin-path", kLegacy.string(), "--second", "7",
                       "--third"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("legacy options first=one second=7 third=true\nrun 1 report yes\n"));
  CHECK_THAT(r.out, Catch::Contains("\n1 69123 acces=acces.epn\n"));
  CHECK_THAT(r.out, Catch::Contains("\n3 13055\n"));
  const auto bad = baro({"export", "--db", db, "--to", "legacy", "--plugin-path", kLegacy.string(), "--second", "x"});
  CHECK(bad.exit_code == 64);
  CHECK_THAT(bad.err, Catch::Contains("--second x: is not an integer"));
}

TEST_CASE("an exporter gets the domains and the run without the report, and may read the initiatives twice",
          "[plugins][export]") {
  PluginRun baro;
  TempDir dir;
  const auto db = classified_db(dir).string();
  const auto r = baro({"export", "--db", db, "--to", "probe", "--plugin-path", kGood.string(), "--report=false",
                       "--passes", "2", "--department", "69"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, !Catch::Contains("\ninitiatives "));
  CHECK_THAT(r.out, Catch::Contains("run-initiatives 1 classifiers rules@"));
  CHECK_THAT(r.out, Catch::Contains(" department 69\n"));
  // Every domain of the rule set, in its order, those without an initiative too.
  const auto mini = json::parse(baro::test::read_file(fs::path(kRules) / "ruleset.json"), nullptr, true, true);
  std::string domains = "domains";
  std::size_t position = 0;
  for (const auto& d : mini["domains"]) {
    domains += " " + std::to_string(position++) + ":" + d["id"].get<std::string>() + "=" + d["label"].get<std::string>();
  }
  CHECK_THAT(r.out, Catch::Contains(domains + "\n"));
  CHECK(position >= 2);
  // The second pass gives what the first gave.
  CHECK_THAT(r.out, Catch::Contains("pass 1 1\n1 69123 acces rules"));
}

TEST_CASE("plugin options are checked against the plugin's table before anything is read", "[plugins][export]") {
  PluginRun baro;
  TempDir dir;
  const auto db = classified_db(dir).string();
  const auto unknown = baro({"export", "--db", db, "--to", "probe", "--plugin-path", kGood.string(), "--colour", "red"});
  CHECK(unknown.exit_code == 64);
  CHECK_THAT(unknown.err, Catch::Contains("plugin probe has no option --colour") && Catch::Contains("--greeting, --shout"));
  const auto not_int = baro({"export", "--db", db, "--to", "probe", "--plugin-path", kGood.string(), "--limit", "many"});
  CHECK(not_int.exit_code == 64);
  CHECK_THAT(not_int.err, Catch::Contains("--limit many: is not an integer"));
  // Integers too big for 64 bits, bounds, choices: each refused with what is allowed.
  const auto huge = baro({"export", "--db", db, "--to", "probe", "--plugin-path", kGood.string(), "--limit",
                          "99999999999999999999"});
  CHECK(huge.exit_code == 64);
  CHECK_THAT(huge.err, Catch::Contains("--limit 99999999999999999999: is out of range: integers go from "
                                       "-9223372036854775808 to 9223372036854775807"));
  const auto above = baro({"export", "--db", db, "--to", "probe", "--plugin-path", kGood.string(), "--percent", "101"});
  CHECK(above.exit_code == 64);
  CHECK_THAT(above.err, Catch::Contains("--percent 101: is out of range: it must be from 0 to 100"));
  const auto choice = baro({"export", "--db", db, "--to", "probe", "--plugin-path", kGood.string(), "--mode", "loud"});
  CHECK(choice.exit_code == 64);
  CHECK_THAT(choice.err, Catch::Contains("--mode loud: is not one of the allowed values: plain, fancy"));
  const auto chosen = baro({"export", "--db", db, "--to", "probe", "--plugin-path", kGood.string(), "--mode", "fancy",
                            "--percent=0", "--greeting", "hello"});
  REQUIRE(chosen.exit_code == 0);
  CHECK_THAT(chosen.out, Catch::Contains("\nmode fancy percent 0 given greeting mode percent\n"));
  const auto refused = baro({"export", "--db", db, "--to", "probe", "--plugin-path", kGood.string(), "--greeting", "refuse"});
  CHECK(refused.exit_code == 64);
  CHECK_THAT(refused.err, Catch::Contains("plugin probe failed to start: --greeting refuse: refused on purpose"));
  const auto missing = baro({"export", "--db", db, "--to", "nope"});
  CHECK(missing.exit_code == 78);
  CHECK_THAT(missing.err, Catch::Contains("no exporter plugin called \"nope\"") && Catch::Contains("csv"));
  const auto classifier = baro({"export", "--db", db, "--to", "rules"});
  CHECK(classifier.exit_code == 78);
  CHECK_THAT(classifier.err, Catch::Contains("plugin rules is a classifier, not an exporter"));
}

TEST_CASE("a failing exporter leaves neither a partial file nor a changed database", "[plugins][export]") {
  PluginRun baro;
  TempDir dir;
  const auto db = classified_db(dir);
  const auto before = fingerprint(db);
  const fs::path out_dir = dir / "out";
  fs::create_directory(out_dir);
  dir.write("out/report.txt", "the previous export\n");

  const auto thrown = baro({"export", "--db", db.string(), "--to", "throwing", "--plugin-path", kBroken.string(),
                            "--out", (out_dir / "report.txt").string()});
  CHECK(thrown.exit_code == 70);
  CHECK_THAT(thrown.err, Catch::Contains("throwing.so: plugin throwing failed to export: unexpected exception: "
                                         "the throwing fixture always throws"));
  const auto data = baro({"export", "--db", db.string(), "--to", "probe", "--plugin-path", kGood.string(), "--fail-after",
                          "1", "--out", (out_dir / "new.txt").string()});
  CHECK(data.exit_code == 65);
  CHECK_THAT(data.err, Catch::Contains("plugin probe failed to export: failing on purpose after 1"));

  CHECK(leftovers(out_dir) == std::vector<std::string>{"report.txt"});
  CHECK(baro::test::read_file(out_dir / "report.txt") == "the previous export\n");
  CHECK(fingerprint(db) == before);

  const auto ok = baro({"export", "--db", db.string(), "--to", "probe", "--plugin-path", kGood.string(), "--out",
                        (out_dir / "report.txt").string()});
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.out.empty());
  CHECK_THAT(baro::test::read_file(out_dir / "report.txt"), Catch::StartsWith("hello\n"));
  CHECK(leftovers(out_dir) == std::vector<std::string>{"report.txt"});
  CHECK(fingerprint(db) == before);
}

TEST_CASE("an --out path into a missing folder fails before the exporter runs", "[plugins][export]") {
  PluginRun baro;
  TempDir dir;
  const auto db = classified_db(dir).string();
  const auto r = baro({"export", "--db", db, "--to", "json", "--out", (dir / "no" / "such" / "r.json").string()});
  CHECK(r.exit_code == 73);
  CHECK_THAT(r.err, Catch::Contains("cannot create a file in its folder"));
}

TEST_CASE("a chain of classifiers: the plugin only sees what the rules left, and each result names its classifier",
          "[plugins][classify]") {
  PluginRun baro;
  TempDir dir;
  const auto db = classified_db(dir);
  const auto file = dir.write("t.csv", "id;code_insee;description\n10;33063;Club robotique au collège\n11;69123;Un EPN\n");
  const auto r = baro({"classify", "--db", db.string(), "--rules", kRules, file.string(), "--plugin-path", kGood.string(),
                       "--classifier", "rules", "--classifier", "keyword"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("classifiers rules 0.1.0 keyword 2.1.0"));
  SQLite::Database sql(db.string());
  CHECK(sql.execAndGet("SELECT classifiers FROM runs WHERE id = 2").getString() ==
        R"([{"name":"rules","version":"0.1.0"},{"name":"keyword","version":"2.1.0"}])");
  auto classified_by = [&](const std::string& source_id) {
    SQLite::Statement q(sql,
                        "SELECT coalesce(c.classifier, '-') || ' ' || coalesce(c.primary_domain, '-') FROM classifications c "
                        "JOIN initiatives i ON i.id = c.initiative_id WHERE c.run_id = 2 AND i.source_id = ?");
    q.bind(1, source_id);
    REQUIRE(q.executeStep());
    return q.getColumn(0).getString();
  };
  CHECK(classified_by("1") == "rules acces");
  CHECK(classified_by("3") == "keyword education");  // "robotique" folds to contain "robot"
  CHECK(classified_by("10") == "keyword education");
  CHECK(classified_by("11") == "rules acces");
  CHECK(sql.execAndGet("SELECT rules FROM labels l JOIN initiatives i ON i.id = l.initiative_id "
                       "WHERE l.run_id = 2 AND i.source_id = '10'").getString() == "keyword:robot");
  // The first run, made by the rules alone, is kept as it was.
  CHECK(sql.execAndGet("SELECT count(*) FROM classifications WHERE run_id = 1 AND classifier = 'keyword'").getInt() == 0);

  // Replacing the chain: the plugin alone.
  const auto file2 = dir.write("u.csv", "id;code_insee;description\n20;33063;Robot en mairie\n");
  const auto alone = baro({"classify", "--db", db.string(), "--rules", kRules, file2.string(), "--plugin-path",
                           kGood.string(), "--classifier", "keyword", "--classifier-option", "keyword.word=mairie",
                           "--classifier-option", "keyword.domain=demarches"});
  REQUIRE(alone.exit_code == 0);
  CHECK(sql.execAndGet("SELECT classifiers FROM runs WHERE id = 3").getString() == R"([{"name":"keyword","version":"2.1.0"}])");
  CHECK(sql.execAndGet("SELECT count(*) FROM classifications WHERE run_id = 3 AND primary_domain = 'demarches'").getInt() == 2);
}

TEST_CASE("a classifier that fails to start or returns a foreign domain changes nothing", "[plugins][classify]") {
  PluginRun baro;
  TempDir dir;
  const auto db = classified_db(dir, false);
  const auto before = fingerprint(db);
  const auto file = dir.write("t.csv", "id;code_insee;description\n10;33063;Club robotique\n");
  const auto empty = baro({"classify", "--db", db.string(), "--rules", kRules, file.string(), "--plugin-path",
                           kGood.string(), "--classifier", "keyword", "--classifier-option", "keyword.word="});
  CHECK(empty.exit_code == 64);
  CHECK_THAT(empty.err, Catch::Contains("plugin keyword failed to start: --word must not be empty"));
  const auto foreign = baro({"classify", "--db", db.string(), "--rules", kRules, file.string(), "--plugin-path",
                             kGood.string(), "--classifier", "keyword", "--classifier-option", "keyword.domain=sport"});
  CHECK(foreign.exit_code == 65);
  CHECK_THAT(foreign.err, Catch::Contains("plugin keyword returned the unknown domain \"sport\""));
  const auto unknown = baro({"classify", "--db", db.string(), "--rules", kRules, file.string(), "--classifier", "nope"});
  CHECK(unknown.exit_code == 78);
  CHECK_THAT(unknown.err, Catch::Contains("no classifier plugin called \"nope\"") && Catch::Contains("rules"));
  CHECK(fingerprint(db) == before);
}

TEST_CASE("a plugin classifier on several threads, one instance each, stores what one thread stores",
          "[plugins][classify][threads]") {
  PluginRun baro;
  TempDir dir;
  // The bundled sample: 4,000 texts, most of which the mini rules leave to the plugin.
  const std::string sample = (fs::path(BARO_SOURCE_DIR) / "data" / "sample" / "enquete-2026.csv").string();
  const auto rows = [](const fs::path& db) {
    SQLite::Database sql(db.string());
    SQLite::Statement q(sql,
                        "SELECT c.initiative_id, coalesce(c.classifier, '-'), coalesce(c.primary_domain, '-'), "
                        "coalesce(group_concat(l.domain || ':' || l.rules, ' '), '') FROM classifications c "
                        "LEFT JOIN labels l USING (run_id, initiative_id) GROUP BY c.initiative_id ORDER BY c.initiative_id");
    std::vector<std::string> out;
    while (q.executeStep()) {
      out.push_back(q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " " + q.getColumn(2).getString() +
                    " " + q.getColumn(3).getString());
    }
    return out;
  };
  std::vector<std::vector<std::string>> results;
  for (const char* threads : {"1", "3"}) {
    const auto db = baro::test::fresh_db(dir, std::string("t") + threads + ".db");
    const auto r = baro({"classify", "--db", db.string(), "--rules", kRules, sample, "--plugin-path", kGood.string(),
                         "--classifier", "rules", "--classifier", "keyword", "--classifier-option",
                         "keyword.word=numerique", "--threads", threads});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    results.push_back(rows(db));
  }
  REQUIRE(results[0].size() == 4000);
  CHECK(std::count_if(results[0].begin(), results[0].end(),
                      [](const std::string& row) { return row.find(" keyword education ") != std::string::npos; }) > 100);
  CHECK(results[1] == results[0]);

  // A text the plugin fails on (the first with "beziers" is the 3,005th) and a bad record at
  // the end: as with one thread, the failure reported is the earlier one (pipeline_test.cpp
  // holds the threads to that order deterministically). Nothing is stored.
  std::string bytes = baro::test::read_file(sample);
  bytes += "\"zz1\";\"99999\";\"Nulle part\";\"2026\";\"Titre\";\"Wifi public gratuit\"\r\n";
  const std::string failing = dir.write("failing.csv", bytes).string();
  const auto db = baro::test::fresh_db(dir, "failing.db");
  const auto before = fingerprint(db);
  std::vector<std::string> errors;
  for (const char* threads : {"1", "3"}) {
    const auto r = baro({"classify", "--db", db.string(), "--rules", kRules, failing, "--plugin-path", kGood.string(),
                         "--classifier", "keyword", "--classifier", "rules", "--classifier-option",
                         "keyword.word=beziers", "--classifier-option", "keyword.domain=sport", "--threads", threads});
    CHECK(r.exit_code == 65);
    errors.push_back(r.err);
  }
  CHECK_THAT(errors[0], Catch::Contains("plugin keyword returned the unknown domain \"sport\""));
  CHECK(errors[1] == errors[0]);
  CHECK(fingerprint(db) == before);
}
