// The `hyperscan` classifier plugin, end to end through the real `baro` binary and the real
// plugin library: it must give exactly the labels of the built-in RE2 classifier `rules` —
// primary domain, domains, scores, evidence and vetoes — on the bundled rule set (the
// evaluation splits and a generated survey) and on a rule set made of the patterns where the
// two engines differ (tests/data/rules/hyperscan/).
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kBundledRules = (fs::path(BARO_SOURCE_DIR) / "rules" / "fr").string();
const std::string kHyperscanRules = (fs::path(BARO_TEST_DATA_DIR) / "rules" / "hyperscan").string();

// Every run gets its own HOME so that nothing of ~/.local/lib/baro/plugins leaks in. The
// compiled databases go to `cache` (the plugin's option `cache`): by default one folder of the
// build tree shared by the tests, so that the bundled rules are compiled once per build, not
// once per test (the cache key is everything given to the compiler).
struct Baro {
  TempDir home;
  fs::path cache = BARO_HYPERSCAN_CACHE;
  baro::test::RunResult operator()(std::vector<std::string> args) const {
    return run_baro(args, {}, {"HOME=" + home.path().string(), "XDG_CACHE_HOME=" + cache.string()});
  }
};

std::string csv_field(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A survey CSV (id;code_insee;description) holding `descriptions`.
fs::path survey(const TempDir& dir, const std::string& name, const std::vector<std::string>& descriptions) {
  std::string csv = "id;code_insee;description\n";
  for (std::size_t i = 0; i < descriptions.size(); ++i) {
    csv += std::to_string(i + 1) + ";69123;" + csv_field(descriptions[i]) + "\n";
  }
  return dir.write(name, csv);
}

std::vector<std::string> eval_descriptions() {
  std::vector<std::string> out;
  for (const char* split : {"tune.jsonl", "test.jsonl"}) {
    std::ifstream in(fs::path(kBundledRules) / "eval" / split);
    REQUIRE(in);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(nlohmann::json::parse(line).at("description").get<std::string>());
    }
  }
  return out;
}

// One run's results as comparable lines: its classifications (primary, vetoes) and its
// labels (domain, score, evidence), by initiative. Scores are printed with every digit.
struct RunRows {
  std::vector<std::string> classifications, labels;
  std::size_t classified = 0, with_vetoes = 0;
  std::set<std::string> classifiers;  // classifications.classifier
};

RunRows run_rows(const fs::path& db_path, std::int64_t run) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  RunRows out;
  SQLite::Statement c(db,
                      "SELECT initiative_id, IFNULL(primary_domain, '-'), IFNULL(vetoed, ''), IFNULL(classifier, '-') "
                      "FROM classifications WHERE run_id = ? ORDER BY initiative_id");
  c.bind(1, run);
  while (c.executeStep()) {
    const std::string primary = c.getColumn(1).getString(), vetoed = c.getColumn(2).getString();
    out.classifications.push_back(c.getColumn(0).getString() + " " + primary + " [" + vetoed + "]");
    if (primary != "-") ++out.classified;
    if (!vetoed.empty()) ++out.with_vetoes;
    out.classifiers.insert(c.getColumn(3).getString());
  }
  SQLite::Statement l(db,
                      "SELECT initiative_id, domain, printf('%.17g', score), rules FROM labels WHERE run_id = ? "
                      "ORDER BY initiative_id, domain");
  l.bind(1, run);
  while (l.executeStep()) {
    out.labels.push_back(l.getColumn(0).getString() + " " + l.getColumn(1).getString() + " " +
                         l.getColumn(2).getString() + " [" + l.getColumn(3).getString() + "]");
  }
  return out;
}

// The first differences only: a failure on 100,000 rows must stay readable.
void require_same(const std::vector<std::string>& expected, const std::vector<std::string>& actual,
                  const std::string& what) {
  INFO(what);
  REQUIRE(expected.size() == actual.size());
  std::ostringstream diff;
  std::size_t differences = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (expected[i] == actual[i]) continue;
    if (++differences <= 10) diff << "rules:     " << expected[i] << "\nhyperscan: " << actual[i] << "\n";
  }
  INFO(diff.str());
  CHECK(differences == 0);
}

void require_same_results(const RunRows& rules, const RunRows& hyperscan) {
  require_same(rules.classifications, hyperscan.classifications, "classifications (initiative, primary, vetoes)");
  require_same(rules.labels, hyperscan.labels, "labels (initiative, domain, score, evidence)");
}

std::string classifiers_of(const fs::path& db_path, std::int64_t run) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  SQLite::Statement s(db, "SELECT classifiers FROM runs WHERE id = ?");
  s.bind(1, run);
  REQUIRE(s.executeStep());
  return s.getColumn(0).getString();
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// The generated survey of the differential tests. BARO_HYPERSCAN_SURVEY is made by a CTest
// fixture (tests/CMakeLists.txt): 100,000 rows, fewer in the sanitizer tree only. Run by
// hand, the binary makes its own small one in `dir`.
fs::path generated_survey(const TempDir& dir) {
  fs::path file = BARO_HYPERSCAN_SURVEY;
  if (fs::exists(file)) return file;
  file = dir / "survey.csv";
  const auto g = baro::test::run_program({"/usr/bin/python3", BARO_SOURCE_DIR "/tools/generate_survey.py", "--rows",
                                          "5000", "--seed", "2026", "--out", file.string()});
  REQUIRE(g.exit_code == 0);
  return file;
}

}  // namespace

TEST_CASE("hyperscan labels the evaluation descriptions exactly as rules does", "[plugins][hyperscan][differential]") {
  // rules/fr breaks exact ties by first mention ("scoring": {"ties": "first_mention"}): the 16
  // ties of these descriptions are decided by where the tied rules matched, by score_rules()
  // for rules and by the plugin host, from the rule ids hyperscan reports, for hyperscan.
  Baro baro;
  TempDir dir;
  const auto descriptions = eval_descriptions();
  REQUIRE(descriptions.size() > 500);
  const auto file = survey(dir, "eval.csv", descriptions);
  const auto with_rules = baro::test::fresh_db(dir, "rules.db");
  const auto with_hyperscan = baro::test::fresh_db(dir, "hyperscan.db");
  const auto r1 = baro({"classify", "--db", with_rules.string(), "--rules", kBundledRules, file.string()});
  REQUIRE(r1.exit_code == 0);
  const auto r2 = baro({"classify", "--db", with_hyperscan.string(), "--rules", kBundledRules, "--classifier",
                        "hyperscan", file.string()});
  INFO(r2.err);
  REQUIRE(r2.exit_code == 0);
  CHECK(r2.err.find("run on RE2") == std::string::npos);  // the bundled set compiles whole

  const auto rules = run_rows(with_rules, 1);
  const auto hyperscan = run_rows(with_hyperscan, 1);
  CHECK(rules.classified > descriptions.size() * 9 / 10);
  CHECK(rules.with_vetoes > 0);
  require_same_results(rules, hyperscan);
  CHECK(hyperscan.classifiers.count("hyperscan") == 1);
  CHECK(hyperscan.classifiers.count("rules") == 0);
  CHECK_THAT(classifiers_of(with_hyperscan, 1), Catch::Contains(R"("name":"hyperscan")"));
}

TEST_CASE("hyperscan labels as rules does with a precedence list and fitted weights", "[plugins][hyperscan][differential]") {
  // Both classifiers call the engine's one scoring function (score_rules): a precedence list
  // that is not the display order, and weights.json, must move both alike.
  Baro baro;
  TempDir dir;
  const fs::path rules = dir / "fr";
  fs::create_directories(rules);
  for (const auto& entry : fs::directory_iterator(kBundledRules)) {
    if (entry.path().extension() == ".json") fs::copy_file(entry.path(), rules / entry.path().filename());
  }
  auto manifest = baro::test::read_file(rules / "ruleset.json");
  const auto at = manifest.find("\"precedence\": [");
  REQUIRE(at != std::string::npos);
  manifest.replace(at, manifest.find(']', at) + 1 - at,
                   R"("precedence": ["solidarite", "economie", "vie_quotidienne", "democratie", "demarches",
                                     "education", "culture", "communication", "acces"])");
  dir.write("fr/ruleset.json", manifest);
  const auto fit = baro({"rules", "fit", "--rules", rules.string(), "--cv", "2", "--repeats", "1", kBundledRules + "/eval/tune.jsonl"});
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  REQUIRE(fs::exists(rules / "weights.json"));

  const auto descriptions = eval_descriptions();
  const auto file = survey(dir, "eval.csv", descriptions);
  const auto with_rules = baro::test::fresh_db(dir, "rules.db");
  const auto with_hyperscan = baro::test::fresh_db(dir, "hyperscan.db");
  REQUIRE(baro({"classify", "--db", with_rules.string(), "--rules", rules.string(), file.string()}).exit_code == 0);
  const auto r2 = baro({"classify", "--db", with_hyperscan.string(), "--rules", rules.string(), "--classifier",
                        "hyperscan", file.string()});
  INFO(r2.err);
  REQUIRE(r2.exit_code == 0);
  require_same_results(run_rows(with_rules, 1), run_rows(with_hyperscan, 1));
}

TEST_CASE("hyperscan reclassifies a generated survey exactly as rules classified it",
          "[plugins][hyperscan][differential]") {
  TempDir dir;
  const fs::path file = generated_survey(dir);
  Baro baro;
  const auto db = baro::test::fresh_db(dir);
  const auto r1 = baro({"classify", "--db", db.string(), "--rules", kBundledRules, file.string()});
  INFO(r1.err);
  REQUIRE(r1.exit_code == 0);
  const auto r2 = baro({"reclassify", "--db", db.string(), "--rules", kBundledRules, "--classifier", "hyperscan"});
  INFO(r2.err);
  REQUIRE(r2.exit_code == 0);
  const auto rules = run_rows(db, 1);
  const auto hyperscan = run_rows(db, 2);
  CHECK(rules.classifications.size() >= 5000);
  CHECK(rules.with_vetoes > 0);
  require_same_results(rules, hyperscan);
  CHECK_THAT(classifiers_of(db, 2), Catch::Contains(R"("name":"hyperscan")"));
}

TEST_CASE("hyperscan runs on RE2 the patterns Hyperscan refuses, says so once, with the same labels", "[plugins][hyperscan]") {
  Baro baro;
  TempDir dir;
  const std::vector<std::string> texts = {
      "Ouverture d'un EPN en mairie",
      "EPN réservé aux agents municipaux",
      "Ateliers du samedi : numérique pour tous",
      "Atelier numerique",
      "Wi-Fi gratuit place du marché",
      "Wifi réservé aux agents",
      "Wifi, réservé le soir aux agents",
      "Un kit avec une tablette",
      std::string("Un kit ") + std::string(990, 'x') + " tablette",   // 1,000 characters of gap: fires
      std::string("Un kit ") + std::string(1000, 'x') + " tablette",  // 1,008: does not
      "Visite virtuelle du musée",
      "Musée fermé le lundi",
      "Musées fermés les mardis, EPN ouvert",
      "Klub lecture",
      "\u212Alub lecture et \u017Fortie au musée",  // KELVIN SIGN, LONG S
      "Rien à voir",
      "Initiation au C++, au C#, au C et au c+++",
      "Initiation au C",
      "Exposition 日本語 et café-concert",
      "Exposition x日本, cafe   concert",
      "Exposition 日本",
  };
  const auto file = survey(dir, "s.csv", texts);
  const auto with_rules = baro::test::fresh_db(dir, "rules.db");
  const auto with_hyperscan = baro::test::fresh_db(dir, "hyperscan.db");
  REQUIRE(baro({"classify", "--db", with_rules.string(), "--rules", kHyperscanRules, file.string()}).exit_code == 0);
  const auto r = baro({"classify", "--db", with_hyperscan.string(), "--rules", kHyperscanRules, "--classifier",
                       "hyperscan", file.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // One line, naming each rule (or vetoes) that runs on RE2 and why; acces.kit is not among
  // them: Hyperscan's prefilter mode takes it, and RE2 confirms its matches.
  CHECK(count(r.err, "run on RE2") == 1);
  CHECK_THAT(r.err, Catch::Contains("baro: plugin hyperscan: warning: 3 rule pattern(s) of test-hyperscan run on RE2"));
  CHECK_THAT(r.err, Catch::Contains("culture.cafe (non-ASCII characters)"));
  CHECK_THAT(r.err, Catch::Contains("acces.lazy (Hyperscan: Unrecognised character after (?"));
  CHECK_THAT(r.err, Catch::Contains("acces.wifi (vetoes: Hyperscan:"));
  CHECK(r.err.find("acces.kit") == std::string::npos);

  const auto rules = run_rows(with_rules, 1);
  const auto hyperscan = run_rows(with_hyperscan, 1);
  require_same_results(rules, hyperscan);
  // The fixture does exercise what it is for.
  const auto& labels = hyperscan.labels;
  const auto has = [&](const std::string& line) { return std::find(labels.begin(), labels.end(), line) != labels.end(); };
  CHECK(has("3 acces 2 [acces.lazy]"));
  CHECK(has("9 acces 1 [acces.kit]"));
  CHECK_FALSE(has("10 acces 1 [acces.kit]"));
  CHECK(has("17 acces 1 [acces.code]"));
  CHECK(hyperscan.classifications[17] == "18 - []");
  CHECK(has("19 culture 2 [culture.japon culture.cafe]"));
  CHECK(has("20 culture 1 [culture.cafe]"));  // x日本 is one word; 3 spaces fit .{0,3}
  CHECK(has("21 culture 1 [culture.japon]"));
  CHECK(hyperscan.classifications[5] == "6 - [acces.wifi]");
  CHECK(hyperscan.classifications[11] == "12 - [culture.musee]");

  SECTION("report-fallback=false keeps it quiet") {
    const auto quiet = baro::test::fresh_db(dir, "quiet.db");
    const auto q = baro({"classify", "--db", quiet.string(), "--rules", kHyperscanRules, "--classifier", "hyperscan",
                         "--classifier-option", "hyperscan.report-fallback=false", file.string()});
    INFO(q.err);
    REQUIRE(q.exit_code == 0);
    CHECK(q.err.find("run on RE2") == std::string::npos);
    require_same_results(rules, run_rows(quiet, 1));
  }
}

TEST_CASE("hyperscan counts a bounded repeat in characters as RE2 does, not in bytes", "[plugins][hyperscan]") {
  Baro baro;
  TempDir dir;
  // gap.ab is `a.{0,5}b`. Accents are folded away before matching; other scripts and emoji
  // stay multi-byte characters in the folded text.
  const std::vector<std::string> texts = {
      "a日本語b",              // 3 characters, 9 bytes: fires
      "aéééééb",               // folded to aeeeeeb: fires
      "aèèèèèèb",              // folded to aeeeeeeb, 6 characters: does not
      "aαβγδεb",               // 5 two-byte characters: fires
      "aαβγδεζb",              // 6: does not
      "a🙂🙂🙂🙂🙂b",           // 5 four-byte characters (20 bytes): fires
      "a🙂🙂🙂🙂🙂🙂b",         // 6: does not
      "A\u00A0\u00A0\u00A0B",  // no-break spaces, folded to spaces: fires
  };
  const std::vector<bool> fires = {true, true, false, true, false, true, false, true};
  const auto file = survey(dir, "s.csv", texts);
  const auto with_rules = baro::test::fresh_db(dir, "rules.db");
  const auto with_hyperscan = baro::test::fresh_db(dir, "hyperscan.db");
  REQUIRE(baro({"classify", "--db", with_rules.string(), "--rules", kHyperscanRules, file.string()}).exit_code == 0);
  REQUIRE(baro({"classify", "--db", with_hyperscan.string(), "--rules", kHyperscanRules, "--classifier", "hyperscan",
                "--classifier-option", "hyperscan.report-fallback=false", file.string()})
              .exit_code == 0);
  const auto rules = run_rows(with_rules, 1);
  const auto hyperscan = run_rows(with_hyperscan, 1);
  require_same_results(rules, hyperscan);
  REQUIRE(hyperscan.classifications.size() == texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    INFO(texts[i]);
    CHECK(hyperscan.classifications[i] == std::to_string(i + 1) + (fires[i] ? " gap []" : " - []"));
  }
}

TEST_CASE("hyperscan labels near rules and unless_near vetoes exactly as rules does", "[plugins][hyperscan][near]") {
  Baro baro;
  TempDir dir;
  const std::vector<std::string> texts = {
      "Réparation de vélos",                           // 1: a then b, 2 words apart
      "Ordinateurs : atelier repair café",             // 2: b then a, a phrase
      "Réparation, le samedi matin, des vélos",        // 3: 5 words apart: too far
      "Réparation des ordinateurs des agents",         // 4: vetoed by unless_near
      "Réparation de C++",                             // 5: a keyword with a symbol
      "Vente de vélos d'occasion",                     // 6: ordered, fires
      "Vélos : vente",                                 // 7: wrong order: only proche.velo
      "Bourse aux vélos",                              // 8: the keyword of a near rule
      "Vélo volé",                                     // 9: proche.velo vetoed
      "Vélo日本 réparation",                           // 10: non-ASCII letters inside a word
      "Réparation€vélo",                               // 11: a symbol is part of a word
  };
  const auto file = survey(dir, "s.csv", texts);
  const auto with_rules = baro::test::fresh_db(dir, "rules.db");
  const auto with_hyperscan = baro::test::fresh_db(dir, "hyperscan.db");
  REQUIRE(baro({"classify", "--db", with_rules.string(), "--rules", kHyperscanRules, file.string()}).exit_code == 0);
  REQUIRE(baro({"classify", "--db", with_hyperscan.string(), "--rules", kHyperscanRules, "--classifier", "hyperscan",
                "--classifier-option", "hyperscan.report-fallback=false", file.string()})
              .exit_code == 0);
  const auto rules = run_rows(with_rules, 1);
  const auto hyperscan = run_rows(with_hyperscan, 1);
  require_same_results(rules, hyperscan);
  const auto& labels = hyperscan.labels;
  const auto has = [&](const std::string& line) { return std::find(labels.begin(), labels.end(), line) != labels.end(); };
  CHECK(has("1 proche 3 [proche.reparation proche.velo]"));
  CHECK(has("2 proche 2 [proche.reparation]"));
  CHECK(has("3 proche 1 [proche.velo]"));
  CHECK(hyperscan.classifications[3] == "4 - [proche.reparation]");
  CHECK(has("5 proche 2 [proche.reparation]"));
  CHECK(has("6 proche 2 [proche.vente proche.velo]"));
  CHECK(has("7 proche 1 [proche.velo]"));
  CHECK(has("8 proche 2 [proche.vente proche.velo]"));
  CHECK(hyperscan.classifications[8] == "9 - [proche.velo]");
  CHECK(has("10 proche 3 [proche.reparation proche.velo]"));
  CHECK(hyperscan.classifications[10] == "11 - []");
}

TEST_CASE("plugins describe hyperscan explains the classifier and its option", "[plugins][hyperscan][cli]") {
  Baro baro;
  const auto r = baro({"plugins", "describe", "hyperscan"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("hyperscan — classifier 1.1.0"));
  CHECK_THAT(r.out, Catch::Contains("exactly the labels of `rules`"));
  CHECK_THAT(r.out, Catch::Contains("report-fallback"));
}

TEST_CASE("hyperscan caches its compiled databases, and a damaged cache is only a miss", "[plugins][hyperscan]") {
  Baro baro;
  TempDir dir;
  baro.cache = dir / "cache";
  const std::vector<std::string> texts = {"Ouverture d'un EPN en mairie", "Wifi réservé aux agents",
                                          "Ateliers du samedi : numérique pour tous", "Un kit avec une tablette"};
  const auto file = survey(dir, "s.csv", texts);
  const auto classify = [&](const std::string& name) {
    const auto db = baro::test::fresh_db(dir, name);
    const auto r = baro({"classify", "--db", db.string(), "--rules", kHyperscanRules, "--classifier", "hyperscan",
                         file.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(count(r.err, "run on RE2") == 1);  // also said when the databases come from the cache
    return run_rows(db, 1);
  };
  const auto first = classify("first.db");
  const fs::path folder = baro.cache / "baro" / "hyperscan";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(folder)) files.push_back(e.path());
  CHECK(files.size() == 3);  // literal keywords, other keywords (acces.code), regexes
  const auto cached = classify("cached.db");
  require_same_results(first, cached);
  for (const auto& f : files) {
    const std::string bytes = baro::test::read_file(f);
    dir.write("damaged", bytes.substr(0, bytes.size() / 2) + std::string(64, '\xff'));
    fs::copy_file(dir / "damaged", f, fs::copy_options::overwrite_existing);
  }
  require_same_results(first, classify("damaged.db"));
}

TEST_CASE("hyperscan on several threads, one instance each, labels as it does on one thread",
          "[plugins][hyperscan][threads]") {
  TempDir dir;
  const auto file = survey(dir, "eval.csv", eval_descriptions());
  Baro baro;
  std::vector<RunRows> runs;
  for (const char* threads : {"1", "4"}) {
    const auto db = baro::test::fresh_db(dir, std::string("threads-") + threads + ".db");
    const auto r = baro({"classify", "--db", db.string(), "--rules", kBundledRules, "--classifier", "hyperscan",
                         "--threads", threads, file.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    runs.push_back(run_rows(db, 1));
  }
  CHECK(runs[0].classifications.size() > 500);
  CHECK(runs[0].with_vetoes > 0);
  require_same_results(runs[0], runs[1]);
}
