// RuleSet::check: every problem of a rule set in one pass, where RuleSet::load stops at the first.
#include <catch2/catch.hpp>

#include "baro/error.hpp"
#include "baro/rules.hpp"
#include "support/test_support.hpp"

using baro::RuleSet;
using baro::test::TempDir;

namespace {

const char* const kManifest = R"J({"id": "t", "version": "1", "expectations": "expectations.json", "domains": [
  {"id": "acces", "label": "Accès", "file": "acces.json"},
  {"id": "culture", "label": "Culture", "file": "culture.json"}]})J";

std::filesystem::path write_set(const TempDir& dir, const std::string& acces, const std::string& culture,
                                const std::string& expectations = "[]") {
  dir.write("rules/ruleset.json", kManifest);
  dir.write("rules/acces.json", acces);
  dir.write("rules/culture.json", culture);
  dir.write("rules/expectations.json", expectations);
  return dir / "rules";
}

// The problems' messages, each prefixed with its location, for readable assertions.
std::vector<std::string> problems_of(const baro::RuleSetCheck& check) {
  std::vector<std::string> out;
  for (const auto& p : check.problems) out.push_back(p.what());
  return out;
}

bool any_contains(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines) {
    if (l.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("rules check reports every problem of every file, not only the first", "[rules][check]") {
  TempDir dir;
  const auto path = write_set(dir,
                              R"J({"domain": "acces", "rules": [
  {"id": "acces.a", "keyword": ["epn"], "examples": {"match": ["EPN"]}},
  {"id": "acces.b", "keywords": ["' - '", "wi*fi"], "examples": {"match": ["wifi"]}},
  {"id": "acces.c", "regex": "(?<=x)y", "examples": {"match": ["xy"]}},
  {"id": "acces.d", "keywords": ["ok"], "unless": ["--"], "examples": {"match": ["ok"]}},
  {"id": "acces.e", "keywords": ["fine"], "weight": 0, "examples": {"match": ["fine"]}}
]})J",
                              R"J({"domain": "culture", "rules": [
  {"id": "acces.a", "keywords": ["musee"], "examples": {"match": ["musée"]}},
  {"id": "culture.huge", "regex": "\\pL{1000}\\pN{1000}", "examples": {"match": ["a"]}}
]})J",
                              R"J([{"text": "x", "primary": "sport"}])J");
  baro::RuleSetOptions small_budget;
  small_budget.max_mem_bytes = 8 << 20;
  const auto check = RuleSet::check(path, small_budget);
  const auto problems = problems_of(check);
  INFO([&] {
    std::string all;
    for (const auto& p : problems) all += p + "\n";
    return all;
  }());
  CHECK(any_contains(problems, "acces.json:2:") );
  CHECK(any_contains(problems, "unknown key \"keyword\" in rule acces.a"));
  CHECK(any_contains(problems, "keyword \"' - '\" of rule acces.b is empty"));
  CHECK(any_contains(problems, "keyword \"wi*fi\" of rule acces.b: '*' is a suffix wildcard"));
  CHECK(any_contains(problems, "acces.json:4:") );
  CHECK(any_contains(problems, "RE2 cannot compile the regex of rule acces.c"));
  CHECK(any_contains(problems, "keyword \"--\" of rule acces.d is empty"));
  CHECK(any_contains(problems, "\"weight\" must be a number above 0 in rule acces.e"));
  CHECK(any_contains(problems, "culture.json:2:") );
  CHECK(any_contains(problems, "regex of rule culture.huge is too large for RE2's memory limit (8 MiB)"));
  CHECK(any_contains(problems, "\"primary\" must be a domain id"));
  // A rule id is taken even when its rule is broken, so the second acces.a is still a duplicate.
  CHECK(any_contains(problems, "duplicate rule id \"acces.a\""));
  // acces.a's misspelt key also leaves it without keywords: that is said too.
  CHECK(any_contains(problems, "rule acces.a has none of \"keywords\", \"near\" and \"regex\""));
  CHECK(problems.size() == 10);
  for (const auto& p : check.problems) CHECK(p.code() == baro::ExitCode::kConfig);
}

TEST_CASE("rules check names examples that contradict their own rule, on the example's line", "[rules][check]") {
  TempDir dir;
  const auto path = write_set(dir,
                              R"J({"domain": "acces", "rules": [
  {"id": "acces.atelier", "keywords": ["atelier* numerique*"], "unless": ["agents"],
   "examples": {"match": ["Ateliers numériques",
                          "Ateliers numériques pour les agents"],
                "no_match": ["Atelier numérique"]}},
  {"id": "acces.sans_exemple", "keywords": ["epn"]}
]})J",
                              R"J({"domain": "culture", "rules": []})J");
  const auto check = RuleSet::check(path);
  const auto problems = problems_of(check);
  REQUIRE(problems.size() == 3);
  CHECK_THAT(problems[0], Catch::StartsWith((path / "acces.json").string() + ":4:") &&
                              Catch::Contains("match example \"Ateliers numériques pour les agents\" of rule acces.atelier") &&
                              Catch::Contains("vetoes it (\"agents\""));
  CHECK_THAT(problems[1], Catch::Contains(":5:") && Catch::Contains("no_match example \"Atelier numérique\"") &&
                              Catch::Contains("it fires (matched \"atelier numerique\""));
  CHECK_THAT(problems[2], Catch::Contains("rule acces.sans_exemple has no example"));
  // Both rules are sound patterns, so they still load for `baro rules test` and `explain`.
  REQUIRE(check.rules != nullptr);
  CHECK(check.rules->rules().size() == 2);
}

TEST_CASE("rules check reports a JSON syntax error and still checks the other files", "[rules][check]") {
  TempDir dir;
  const auto path = write_set(dir, "{\"domain\": \"acces\",\n \"rules\": [,]}",
                              R"J({"domain": "culture", "rules": [{"id": "culture.x", "keywords": ["musee"], "examples": {"match": ["cinéma"]}}]})J");
  const auto problems = problems_of(RuleSet::check(path));
  REQUIRE(problems.size() == 2);
  CHECK_THAT(problems[0], Catch::Contains("acces.json:2:") && Catch::Contains("invalid JSON"));
  CHECK_THAT(problems[1], Catch::Contains("culture.x") && Catch::Contains("none of its keywords matches"));
}

TEST_CASE("rules check finds nothing wrong with a sound set, and load still stops at the first problem",
          "[rules][check]") {
  CHECK(RuleSet::check(baro::test::mini_rules_dir()).problems.empty());
  TempDir dir;
  const auto path = write_set(dir, R"J({"domain": "acces", "rules": [
  {"id": "acces.a", "keyword": ["epn"]}, {"id": "acces.b", "weight": -1, "keywords": ["x"]}]})J",
                              R"J({"domain": "culture", "rules": []})J");
  try {
    RuleSet::load(path);
    FAIL("the broken set loaded");
  } catch (const baro::Error& e) {
    CHECK_THAT(e.message(), Catch::Contains("unknown key \"keyword\""));
    CHECK(e.where().line == 2);
  }
}

TEST_CASE("rules check without ruleset.json reports that alone", "[rules][check]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "empty");
  const auto check = RuleSet::check(dir / "empty");
  CHECK(check.rules == nullptr);
  REQUIRE(check.problems.size() == 1);
  CHECK_THAT(check.problems[0].message(), Catch::Contains("missing ruleset.json"));
}
