// RuleEngine::diagnose(): why a rule fires or not, part by part (`baro explain --rule`). It
// must agree with classify() on every text, and name the part that failed: the keyword list
// without a match, the veto that stopped the rule, the part of a regex or of a `near`
// question that does not hold.
#include <catch2/catch.hpp>

#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "support/test_support.hpp"

using baro::RuleEngine;
using baro::RulePart;
using baro::RuleSet;
using baro::test::TempDir;

namespace {

std::filesystem::path write_rule_set(const TempDir& dir) {
  dir.write("rules/ruleset.json", R"J({"id": "t", "version": "1", "domains": [
      {"id": "acces", "label": "Accès", "file": "acces.json"},
      {"id": "culture", "label": "Culture", "file": "culture.json"}]})J");
  dir.write("rules/acces.json", R"J({"domain": "acces", "rules": [
  {"id": "acces.ateliers", "weight": 3,
   "near": {"a": ["atelier*"], "b": ["numerique*", "tablette*"], "within": 2},
   "unless_near": [{"a": ["formation*"], "b": ["agent*"], "within": 3}],
   "examples": {"match": ["Ateliers numériques"]}},
  {"id": "acces.ordre", "weight": 1,
   "near": {"a": ["aide*"], "b": ["demarche*"], "within": 3, "order": "a_then_b"},
   "examples": {"match": ["Aide aux démarches"]}},
  {"id": "acces.epn", "keywords": ["epn", "espace public numerique"], "unless": ["ferme*"],
   "unless_regex": ["travaux .{0,10}(mairie|ecole)"], "examples": {"match": ["EPN"]}},
  {"id": "acces.wifi", "regex": "wi ?-?fi .{0,20}(public|gratuit)", "weight": 2,
   "examples": {"match": ["Wi-Fi gratuit"]}}
]})J");
  dir.write("rules/culture.json", R"J({"domain": "culture", "rules": [
  {"id": "culture.musee", "keywords": ["musee*"], "examples": {"match": ["Musée"]}}]})J");
  return dir / "rules";
}

const RulePart& part(const baro::RuleDiagnosis& d, RulePart::Kind kind, std::size_t nth = 0) {
  for (const auto& p : d.parts) {
    if (p.kind == kind && nth-- == 0) return p;
  }
  FAIL("no such part");
  return d.parts.front();
}

}  // namespace

TEST_CASE("a rule's diagnosis agrees with classify() on every text", "[rules][diagnose]") {
  TempDir dir;
  const auto set = RuleSet::load(write_rule_set(dir));
  const RuleEngine engine(*set);
  for (const char* text : {"Ateliers numériques", "Ateliers de découverte des outils numériques",
                           "Formation des agents aux ateliers numériques", "Aide aux démarches", "Démarches : aide",
                           "EPN", "EPN fermé", "EPN : travaux à la mairie", "Wi-Fi gratuit", "wifi dans le parc",
                           "Musée", "", "rien"}) {
    const std::string folded = baro::fold(text);
    const auto c = engine.classify(folded);
    for (std::size_t r = 0; r < set->rules().size(); ++r) {
      const auto d = engine.diagnose(r, folded);
      const bool fired = std::find(c.fired.begin(), c.fired.end(), r) != c.fired.end();
      const bool vetoed = std::find(c.vetoed.begin(), c.vetoed.end(), r) != c.vetoed.end();
      INFO(text << " / " << set->rules()[r].id);
      CHECK(d.fires() == fired);
      CHECK(d.vetoed == vetoed);
    }
  }
}

TEST_CASE("a diagnosis names the keyword, veto, regex part or proximity side that failed", "[rules][diagnose]") {
  TempDir dir;
  const auto set = RuleSet::load(write_rule_set(dir));
  const RuleEngine engine(*set);
  const auto diagnose = [&](const char* rule, const char* text) {
    return engine.diagnose(*set->find_rule(rule), baro::fold(text));
  };

  // Keywords: which matched, which did not; the veto that stopped the rule.
  const auto epn = diagnose("acces.epn", "EPN fermé");
  REQUIRE(epn.parts.size() == 4);
  CHECK(part(epn, RulePart::Kind::kKeyword).matched);
  CHECK(part(epn, RulePart::Kind::kKeyword, 1).why == "does not occur");
  CHECK(part(epn, RulePart::Kind::kUnless).matched);
  CHECK_FALSE(part(epn, RulePart::Kind::kUnlessRegex).matched);
  CHECK(epn.matched);
  CHECK(epn.vetoed);
  CHECK_FALSE(epn.fires());

  // A regex: the first top-level part that does not follow what matched before it.
  const auto wifi = diagnose("acces.wifi", "wifi dans le parc");
  CHECK_FALSE(wifi.matched);
  CHECK(part(wifi, RulePart::Kind::kRegex).why == "`wi ?-?fi .{0,20}` matches, but `(public|gratuit)` matches nowhere");
  const auto far = diagnose("acces.wifi", "wifi dans le grand parc de la ville, gratuit");
  CHECK(part(far, RulePart::Kind::kRegex).why == "`wi ?-?fi .{0,20}` matches, but `(public|gratuit)` does not follow it");
  CHECK(part(diagnose("acces.wifi", "parc public"), RulePart::Kind::kRegex).why == "`w` matches nowhere");

  // A `near` question: the side without a match, or how close the two sides come.
  const auto apart = diagnose("acces.ateliers", "Ateliers de découverte des outils numériques");
  const auto& question = part(apart, RulePart::Kind::kNear);
  CHECK_FALSE(question.matched);
  CHECK(question.why == "both lists match, but 5 words apart at the closest (within 2)");
  CHECK(question.spans.size() == 2);
  CHECK(part(diagnose("acces.ateliers", "Ateliers de cuisine"), RulePart::Kind::kNear).why ==
        "no keyword of the second list (\"numerique*\", \"tablette*\") matches");
  CHECK(part(diagnose("acces.ordre", "Démarches : aide"), RulePart::Kind::kNear).why ==
        "both lists match, but only with the second first (the rule asks for a then b)");
  const auto staff = diagnose("acces.ateliers", "Formation des agents aux ateliers numériques");
  CHECK(staff.vetoed);
  CHECK(part(staff, RulePart::Kind::kUnlessNear).matched);
  CHECK(part(staff, RulePart::Kind::kNear).written == "\"atelier*\" near \"numerique*\", \"tablette*\" within 2");
}
