// evaluate() and load_labelled_set(): the figures `baro eval` prints, on the fixture rule set
// where every outcome can be worked out by hand (weights in tests/data/rules/mini).
#include <catch2/catch.hpp>

#include "baro/error.hpp"
#include "baro/evaluation.hpp"
#include "baro/rules.hpp"
#include "support/test_support.hpp"

using baro::test::TempDir;
using Catch::Matchers::WithinAbs;

namespace {

// Ten descriptions: six right, a secondary label promoted, a score lost to another domain,
// a labelled text left unclassified, a `null` text given a domain.
const char* const kLabelled = R"J({"id": "a1", "description": "Ouverture d'un EPN", "gold": "acces", "also": []}
{"id": "a2", "description": "Site web de la commune", "gold": "communication"}
{"id": "a3", "description": "Facebook de la médiathèque", "gold": "communication", "also": ["culture"]}
{"id": "a4", "description": "PARKING", "gold": "vie_quotidienne", "also": []}
{"id": "a5", "description": "Paiement en ligne", "gold": "demarches", "also": []}
{"id": "a6", "description": "Réfection de la toiture", "gold": null, "also": []}
{"id": "a7", "description": "Coworking pour les seniors", "gold": "solidarite", "also": []}

{"id": "a8", "description": "Portail famille", "gold": "education", "also": ["demarches"]}
{"id": "a9", "description": "Atelier numérique", "gold": null, "also": []}
{"id": "a10", "description": "Budget participatif", "gold": "democratie", "also": []}
)J";

struct Fixture {
  std::unique_ptr<baro::RuleSet> rules = baro::RuleSet::load(baro::test::mini_rules_dir());
  baro::RuleEngine engine{*rules};
  TempDir dir;
};

std::size_t domain(const baro::RuleSet& rules, const char* id) { return *rules.find_domain(id); }

}  // namespace

TEST_CASE("evaluate scores accuracy, unclassified share, null handling and per-domain F1", "[eval]") {
  Fixture f;
  const auto items = baro::load_labelled_set(f.dir.write("set.jsonl", kLabelled), *f.rules);
  REQUIRE(items.size() == 10);
  CHECK(items[7].id == "a8");
  CHECK(items[7].where.line == 9);  // the blank line is skipped but counted
  const auto eval = baro::evaluate(f.engine, items);

  CHECK(eval.total == 10);
  CHECK(eval.correct == 6);  // a6's null gold left unclassified counts as right
  CHECK_THAT(eval.accuracy(), WithinAbs(0.6, 1e-9));
  CHECK(eval.labelled == 8);
  CHECK(eval.unclassified == 1);
  CHECK_THAT(eval.unclassified_share(), WithinAbs(0.125, 1e-9));
  CHECK(eval.null_gold == 2);
  CHECK(eval.null_given_domain == 1);

  const auto& acces = eval.domains[domain(*f.rules, "acces")];
  CHECK(acces.gold == 1);
  CHECK(acces.predicted == 2);
  CHECK(acces.correct == 1);
  CHECK_THAT(acces.precision, WithinAbs(0.5, 1e-9));
  CHECK_THAT(acces.recall, WithinAbs(1.0, 1e-9));
  CHECK_THAT(acces.f1, WithinAbs(2.0 / 3.0, 1e-9));
  const auto& communication = eval.domains[domain(*f.rules, "communication")];
  CHECK_THAT(communication.precision, WithinAbs(1.0, 1e-9));
  CHECK_THAT(communication.recall, WithinAbs(0.5, 1e-9));
  const auto& culture = eval.domains[domain(*f.rules, "culture")];
  CHECK(culture.gold == 0);
  CHECK(culture.predicted == 1);
  CHECK(culture.f1 == 0.0);
  // Every domain was either a gold or a prediction: the macro average runs over all nine.
  CHECK_THAT(eval.macro_f1(), WithinAbs((2.0 / 3 + 2.0 / 3 + 1 + 1 + 1) / 9, 1e-9));

  const std::size_t none = f.rules->domains().size();
  CHECK(eval.confusion[none][domain(*f.rules, "acces")] == 1);
  CHECK(eval.confusion[none][none] == 1);
  CHECK(eval.confusion[domain(*f.rules, "education")][none] == 1);
  CHECK(eval.confusion[domain(*f.rules, "communication")][domain(*f.rules, "culture")] == 1);

  // Severity: a secondary label promoted, or the gold among the labels, is a softer error.
  CHECK(eval.outcomes[2].severity == 1);  // culture is in `also`
  CHECK(eval.outcomes[6].severity == 1);  // solidarite fired, economie won
  CHECK(eval.outcomes[7].severity == 2);  // unclassified
  CHECK(eval.outcomes[8].severity == 2);  // null given acces
  CHECK(eval.outcomes[0].severity == 0);
}

TEST_CASE("a labelled CSV reads gold and also in any separator, empty gold meaning null", "[eval][csv]") {
  Fixture f;
  const auto file = f.dir.write("set.csv",
                                "id;description;gold;also\r\n"
                                "c1;Facebook de la médiathèque;communication;culture, demarches\r\n"
                                "c2;Réfection de la toiture;;\r\n"
                                "c3;\"Atelier numérique; seniors\";acces;solidarite|education\r\n");
  const auto items = baro::load_labelled_set(file, *f.rules);
  REQUIRE(items.size() == 3);
  CHECK(items[0].also == std::vector<std::string>{"culture", "demarches"});
  CHECK_FALSE(items[1].gold);
  CHECK(items[2].description == "Atelier numérique; seniors");
  CHECK(items[2].also == std::vector<std::string>{"solidarite", "education"});
  CHECK(baro::evaluate(f.engine, items).correct == 2);
}

TEST_CASE("a labelled set with an unknown domain or a broken line is refused with its line", "[eval][errors]") {
  Fixture f;
  const auto expect_error = [&](const std::string& name, const std::string& text, baro::ExitCode code,
                                std::uint64_t line, const std::string& message) {
    try {
      baro::load_labelled_set(f.dir.write(name, text), *f.rules);
      FAIL("the labelled set was accepted");
    } catch (const baro::Error& e) {
      CHECK(e.code() == code);
      CHECK(e.where().line == line);
      CHECK_THAT(e.message(), Catch::Contains(message));
    }
  };
  expect_error("a.jsonl", "{\"description\": \"x\", \"gold\": \"acces\"}\n{\"description\": \"y\", \"gold\": \"sport\"}\n",
               baro::ExitCode::kDataError, 2, "unknown domain \"sport\"");
  expect_error("b.jsonl", "{\"description\": \"x\", \"gold\": \"acces\", \"also\": [\"sante\"]}\n",
               baro::ExitCode::kDataError, 1, "unknown domain \"sante\"");
  expect_error("c.jsonl", "{\"description\": \"x\", \"gold\": \"acces\"}\n{\"description\": \"y\",\n",
               baro::ExitCode::kDataError, 2, "invalid JSON");
  expect_error("d.jsonl", "{\"description\": \"x\"}\n", baro::ExitCode::kDataError, 1, "missing \"gold\"");
  expect_error("e.csv", "texte;gold\nx;acces\n", baro::ExitCode::kDataError, 1, "`description` and `gold`");
  try {
    baro::load_labelled_set(f.dir / "absent.jsonl", *f.rules);
    FAIL("a missing file was accepted");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kNoInput);
  }
}
