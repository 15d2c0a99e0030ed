// Rule statistics, keyword in context and suggestions on the fixture corpus
// (tests/data/lifecycle/corpus.csv). The expected figures are counted by hand; the comment
// beside each says how.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>

#include <map>

#include "baro/diagnostics.hpp"
#include "baro/display.hpp"
#include "baro/error.hpp"
#include "baro/import.hpp"
#include "baro/lifecycle.hpp"
#include "support/test_support.hpp"

using baro::RuleEngine;
using baro::RuleSet;
using baro::Store;
using baro::test::TempDir;

namespace {

const std::filesystem::path kData(BARO_TEST_DATA_DIR);

struct Fixture {
  TempDir dir;
  std::filesystem::path db_path = baro::test::fresh_db(dir);
  std::unique_ptr<Store> store = Store::open(db_path);
  std::unique_ptr<RuleSet> mini = RuleSet::load(baro::test::mini_rules_dir());
  RuleEngine engine{*mini};
};

// The corpus imported with mini (run 1), then reclassified with mini-v2 (run 2).
struct CorpusFixture : Fixture {
  std::unique_ptr<RuleSet> mini_v2 = RuleSet::load(kData / "rules" / "mini-v2");
  RuleEngine engine_v2{*mini_v2};
  CorpusFixture() {
    baro::import_batch(*store, engine, kData / "lifecycle" / "corpus.csv", {});
    baro::reclassify(*store, engine_v2);
  }
};

struct Expected {
  std::int64_t hits, decided, lost, overlap, vetoed;
  std::vector<std::string> problems;
};

}  // namespace

TEST_CASE("rule stats on the fixture corpus equal the hand-counted values", "[diagnostics][stats]") {
  CorpusFixture f;
  baro::RuleStatsOptions options;
  options.broad_share = 0.25;  // no rule reaches 3 of 12 initiatives
  const auto stats = baro::compute_rule_stats(*f.store, options);
  CHECK(stats.run.id == 2);
  CHECK(stats.initiatives == 12);
  CHECK(stats.unclassified == 2);  // a3, a12
  CHECK(stats.vetoes_recorded);
  // Per initiative under mini-v2 (rule: weight), primary in capitals:
  //  a1 ACCES epn:3 · a2 EDUCATION cantine:3, demarches en_ligne:2 · a3 — · a4 communication
  //  site:2, SOLIDARITE handicap:3 · a5 VIE_QUOTIDIENNE signalement:2 · a6 ACCES atelier:2,
  //  solidarite seniors:1 · a7 vie_quotidienne stationnement:2, DEMARCHES en_ligne:2 (tie,
  //  demarches listed first) · a8 DEMOCRATIE budget:4 · a9 CULTURE mediatheque:3, solidarite
  //  handicap:3 (tie) · a10 ECONOMIE coworking:3 · a11 ACCES epn:3 + atelier:2 (acces 5: neither
  //  alone decides) · a12 — (atelier vetoed by "agents municipaux").
  const std::map<std::string, Expected> expected = {
      {"acces.epn", {2, 1, 0, 1, 0, {}}},
      {"acces.atelier", {2, 1, 0, 1, 1, {}}},
      {"acces.wifi", {0, 0, 0, 0, 0, {"dead"}}},
      {"communication.site", {1, 0, 1, 0, 0, {"conflict"}}},
      {"communication.reseaux", {0, 0, 0, 0, 0, {"dead"}}},
      {"culture.mediatheque", {1, 1, 0, 0, 0, {}}},
      {"education.ecole", {0, 0, 0, 0, 0, {"dead"}}},
      {"education.cantine", {1, 1, 0, 0, 0, {}}},
      {"demarches.en_ligne", {2, 1, 1, 0, 0, {"conflict"}}},
      {"democratie.budget", {1, 1, 0, 0, 0, {}}},
      {"vie_quotidienne.stationnement", {1, 0, 1, 0, 0, {"conflict"}}},
      {"vie_quotidienne.signalement", {1, 1, 0, 0, 0, {}}},
      {"economie.coworking", {1, 1, 0, 0, 0, {}}},
      {"solidarite.seniors", {1, 0, 1, 0, 0, {"conflict"}}},
      {"solidarite.handicap", {2, 1, 1, 0, 0, {"conflict"}}},
  };
  REQUIRE(stats.rules.size() == expected.size());
  for (const auto& s : stats.rules) {
    INFO(s.rule);
    REQUIRE(expected.count(s.rule) == 1);
    const Expected& e = expected.at(s.rule);
    CHECK(s.hits == e.hits);
    CHECK(s.share == Approx(static_cast<double>(e.hits) / 12));
    CHECK(s.decided == e.decided);
    CHECK(s.lost == e.lost);
    CHECK(s.overlap == e.overlap);
    CHECK(s.vetoed == e.vetoed);
    CHECK(s.problems == e.problems);
  }
  const auto& epn = *std::find_if(stats.rules.begin(), stats.rules.end(), [](auto& s) { return s.rule == "acces.epn"; });
  CHECK(epn.overlaps_most_with == "acces.atelier");
  CHECK(epn.overlaps_most_with_count == 1);
  CHECK(epn.weight == 3.0);
  // Worst first: the dead rules (rule-set order), then the conflicts (most lost, then most hits).
  std::vector<std::string> order;
  for (std::size_t i = 0; i < 8; ++i) order.push_back(stats.rules[i].rule);
  CHECK(order == std::vector<std::string>{"acces.wifi", "communication.reseaux", "education.ecole",
                                          "demarches.en_ligne", "solidarite.handicap", "communication.site",
                                          "vie_quotidienne.stationnement", "solidarite.seniors"});
  // Pairs of domains on one initiative: a2, a4, a6, a7, a9 — one each.
  std::map<std::string, std::int64_t> pairs;
  for (const auto& p : stats.pairs) pairs[p.a + "+" + p.b] = p.both;
  CHECK(pairs == std::map<std::string, std::int64_t>{{"education+demarches", 1},
                                                     {"communication+solidarite", 1},
                                                     {"acces+solidarite", 1},
                                                     {"demarches+vie_quotidienne", 1},
                                                     {"culture+solidarite", 1}});
}

TEST_CASE("rule stats flag broad rules and read an older run on request", "[diagnostics][stats]") {
  CorpusFixture f;
  baro::RuleStatsOptions options;
  options.broad_share = 0.15;  // 2 of 12 initiatives is 16.7 %
  options.run_id = 1;
  const auto stats = baro::compute_rule_stats(*f.store, options);
  CHECK(stats.run.id == 1);
  CHECK(stats.unclassified == 3);  // a3, a5, a12 under mini
  std::map<std::string, std::vector<std::string>> problems;
  for (const auto& s : stats.rules) problems[s.rule] = s.problems;
  CHECK(problems.at("acces.epn") == std::vector<std::string>{"broad"});
  // Under mini, a4 is communication: communication.site decides it.
  CHECK(problems.at("communication.site").empty());
  CHECK(problems.count("solidarite.handicap") == 0);
}

TEST_CASE("rule stats of a run without a recorded rule list need the rule set that made it", "[diagnostics][stats]") {
  CorpusFixture f;
  // What a run made before schema version 2 looks like.
  f.store->database().exec("DELETE FROM run_rules WHERE run_id = 1; UPDATE classifications SET vetoed = NULL WHERE run_id = 1");
  baro::RuleStatsOptions options;
  options.run_id = 1;
  try {
    baro::compute_rule_stats(*f.store, options);
    FAIL("expected a refusal");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kDataError);
    CHECK_THAT(e.hint(), Catch::Contains("--rules"));
  }
  options.rules = f.mini_v2.get();  // another hash: still refused
  CHECK_THROWS_AS(baro::compute_rule_stats(*f.store, options), baro::Error);
  options.rules = f.mini.get();
  const auto stats = baro::compute_rule_stats(*f.store, options);
  CHECK_FALSE(stats.vetoes_recorded);
  CHECK(stats.rules.size() == f.mini->rules().size());
}

TEST_CASE("kwic finds keywords as rules match them and filters by the run's domains", "[diagnostics][kwic]") {
  CorpusFixture f;
  const auto all = baro::find_in_context(*f.store, "atelier* numerique*");
  CHECK(all.searched == 12);
  CHECK(all.initiatives == 3);  // a6, a11, a12
  REQUIRE(all.matches.size() == 3);
  // The match as written, capitals and accents included.
  CHECK(all.matches[0].text.substr(all.matches[0].begin, all.matches[0].end - all.matches[0].begin) ==
        "Ateliers numériques");
  CHECK(all.matches[1].text.substr(all.matches[1].begin, all.matches[1].end - all.matches[1].begin) ==
        "ateliers numériques");
  CHECK(all.matches[1].source_id == "a11");
  CHECK_FALSE(all.run.has_value());

  baro::KwicOptions unclassified;
  unclassified.unclassified = true;
  unclassified.run_id = 1;
  const auto a12 = baro::find_in_context(*f.store, "atelier*", unclassified);
  REQUIRE(a12.matches.size() == 1);
  CHECK(a12.matches[0].source_id == "a12");
  CHECK(a12.searched == 3);

  baro::KwicOptions acces;
  acces.domain = "acces";
  const auto in_acces = baro::find_in_context(*f.store, "atelier*", acces);
  CHECK(in_acces.initiatives == 2);  // a6, a11 in the latest run
  CHECK(in_acces.run->id == 2);

  // Word boundaries as in rules: "ent" is not found inside "agents" or "parent".
  CHECK(baro::find_in_context(*f.store, "ent").total_matches == 0);
  baro::KwicOptions regex;
  regex.regex = true;
  CHECK(baro::find_in_context(*f.store, "d[eé]p[oô]ts? sauvages?", regex).total_matches == 1);

  // --near: the pairs a `near` rule would see, each from the first keyword to the second.
  baro::KwicOptions near;
  near.near = "numerique*";
  near.within = 1;
  near.a_then_b = true;
  const auto pairs = baro::find_in_context(*f.store, "atelier*", near);
  CHECK(pairs.total_matches == 3);  // the same three as the phrase
  REQUIRE_FALSE(pairs.matches.empty());
  CHECK(pairs.matches[0].text.substr(pairs.matches[0].begin, pairs.matches[0].end - pairs.matches[0].begin) ==
        "Ateliers numériques");
  near.regex = true;
  CHECK_THROWS_WITH(baro::find_in_context(*f.store, "atelier*", near), Catch::Contains("--near works with keywords"));

  acces.domain = "sport";
  CHECK_THROWS_WITH(baro::find_in_context(*f.store, "atelier*", acces), Catch::Contains("no domain \"sport\""));
  CHECK_THROWS_AS(baro::find_in_context(*f.store, "*"), baro::Error);
}

TEST_CASE("kwic aligns the match in one column with accented, decomposed, wide and emoji text", "[diagnostics][kwic]") {
  Fixture f;
  baro::import_batch(*f.store, f.engine,
                     f.dir.write("accents.csv",
                                 "id;code_insee;description\n"
                                 "k1;69123;Plan numérique\n"
                                 "k2;69123;ÉCOLE NUMÉRIQUE et médiathèque œcuménique\n"
                                 "k3;69123;Café nume\xCC\x81rique (accent décomposé)\n"
                                 "k4;69123;日本語の説明 numérique 東京\n"
                                 "k5;69123;🎉🎉 Fête du numérique à l’école, très longue description qui dépasse la "
                                 "largeur de contexte à droite\n"
                                 "k6;69123;Une description très longue, bien plus longue que la largeur de contexte à "
                                 "gauche, avant le mot numérique\n"),
                     {});
  const auto result = baro::find_in_context(*f.store, "numerique");
  REQUIRE(result.matches.size() == 6);
  const std::vector<std::string> written = {"numérique", "NUMÉRIQUE", "nume\xCC\x81rique",
                                            "numérique", "numérique", "numérique"};
  for (std::size_t width : {std::size_t{10}, std::size_t{24}}) {
    for (std::size_t i = 0; i < result.matches.size(); ++i) {
      INFO("line " << i << ", width " << width);
      const auto line = baro::kwic_line(result.matches[i], width);
      CHECK(line.match == written[i]);
      // The match starts in the same column on every line; the right context never exceeds it.
      CHECK(baro::display_width(line.left) == width);
      CHECK(baro::display_width(line.right) <= width);
    }
  }
  // Six wide characters and a space are 13 columns: 11 spaces of padding; cut to 10 columns,
  // the ellipsis and four wide characters and the space.
  CHECK(baro::kwic_line(result.matches[3], 24).left == std::string(11, ' ') + "日本語の説明 ");
  CHECK(baro::kwic_line(result.matches[3], 10).left == "…語の説明 ");
  CHECK_THAT(baro::kwic_line(result.matches[4], 24).right, Catch::StartsWith(" à l’école,"));
  CHECK_THAT(baro::kwic_line(result.matches[4], 24).right, Catch::EndsWith("…"));
  CHECK_THAT(baro::kwic_line(result.matches[5], 24).left, Catch::StartsWith("…"));
}

TEST_CASE("suggest counts words and adjacent phrases of unclassified initiatives without stop words",
          "[diagnostics][suggest]") {
  Fixture f;
  baro::import_batch(*f.store, f.engine,
                     f.dir.write("unclassified.csv",
                                 "id;code_insee;description\n"
                                 "s1;69123;Signalement des dépôts sauvages par les habitants\n"
                                 "s2;69123;Application de signalement des dépôts sauvages\n"
                                 "s3;69123;Signalement d'anomalies sur la voirie, signalement 2026\n"
                                 "s4;69123;Réfection de la toiture de l'église\n"
                                 "s5;69123;Site internet : signalement des dépôts\n"),  // classified: not counted
                     {});
  const auto s = baro::suggest_terms(*f.store);
  CHECK(s.unclassified == 4);
  std::vector<std::string> words;
  for (const auto& w : s.words) words.push_back(w.term);
  // signalement in 3 initiatives (4 times); depots and sauvages in 2 each (ties by term).
  CHECK(words == std::vector<std::string>{"signalement", "depots", "sauvages"});
  CHECK(s.words[0].initiatives == 3);
  CHECK(s.words[0].occurrences == 4);
  // "signalement d'anomalies": "d" is a stop word, so no phrase spans it; "2026" is a number.
  REQUIRE(s.phrases.size() == 1);
  CHECK(s.phrases[0].term == "depots sauvages");
  CHECK(s.phrases[0].initiatives == 2);
  // Words 2 to 5 words apart (s1: signalement des depots; s2: signalement des depots sauvages).
  std::vector<std::string> near;
  for (const auto& n : s.near) near.push_back(n.term);
  CHECK(near == std::vector<std::string>{"depots … signalement", "sauvages … signalement"});

  baro::SuggestOptions once;
  once.min_initiatives = 1;
  once.top = 100;
  std::vector<std::string> all;
  for (const auto& w : baro::suggest_terms(*f.store, once).words) all.push_back(w.term);
  for (const char* stop : {"des", "de", "la", "les", "par", "sur", "d", "l", "2026"}) {
    CHECK(std::find(all.begin(), all.end(), stop) == all.end());
  }
  CHECK(std::find(all.begin(), all.end(), "eglise") != all.end());
  CHECK(baro::is_french_stop_word("les"));
  CHECK_FALSE(baro::is_french_stop_word("numerique"));
}
