// The bundled French rule set against its floors, through the real `baro eval` (issue 14's
// targets, docs/rules.md "The bundled set's figures"). On the held-out half of the real coded
// initiatives (rules/fr/eval/real-test.jsonl, never read to change a rule) and on the held-out
// synthetic split (test.jsonl, relabelled to the codebook). Where a target is not reached yet
// the floor is what the set honestly reaches, so that a change that loses ground fails here;
// the target stays beside it. `baro rules check` and `baro rules test` on the same set are
// CTest tests of their own (tests/CMakeLists.txt).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using baro::test::run_baro;
using nlohmann::json;

namespace {

const std::string kBundled = std::string(BARO_SOURCE_DIR) + "/rules/fr";

json eval(const std::string& split) {
  const auto r = run_baro({"eval", "--json", "--rules", kBundled, kBundled + "/eval/" + split});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("the bundled rule set holds its floors on the held-out half of the real data", "[rules][bundled]") {
  const json figures = eval("real-test.jsonl");
  CHECK(figures["total"] == 132);
  // Target 0.92 (two human coders reach 0.96); reached: 120 of 132 (1.3.0; 118 before ties by
  // first mention).
  CHECK(figures["accuracy"].get<double>() >= 0.90);
  // Target 0.97: reached.
  CHECK(figures["primary_in_gold_or_also_share"].get<double>() >= 0.97);
  // Target ≤ 1 %: reached.
  CHECK(figures["unclassified_share"].get<double>() <= 0.01);
  // Target 0.85 for every domain; the lowest reached is acces's 0.839 (1.3.0).
  for (const auto& domain : figures["domains"]) {
    INFO("domain " << domain["id"] << ": precision " << domain["precision"] << ", recall " << domain["recall"]);
    CHECK(domain["f1"].get<double>() >= 0.83);
  }
}

TEST_CASE("the bundled rule set holds its floors on the held-out synthetic split", "[rules][bundled]") {
  const json figures = eval("test.jsonl");
  CHECK(figures["total"] == 171);
  // Target 0.93; reached: 157 of 171 (0.918, 1.3.0). Proximity rules (1.2.0) on the relabelled
  // split lost one description that either change alone kept; the floor follows, the target stays.
  CHECK(figures["accuracy"].get<double>() >= 0.91);
  CHECK(figures["unclassified_share"].get<double>() <= 0.01);
  for (const auto& domain : figures["domains"]) {
    INFO("domain " << domain["id"] << ": precision " << domain["precision"] << ", recall " << domain["recall"]);
    CHECK(domain["f1"].get<double>() >= 0.80);
  }
}

TEST_CASE("the bundled rule set does at least as well on the tuning files", "[rules][bundled]") {
  // Tuning is done on these, so they must not fall below the held-out floors; a drop here is
  // the first sign that a change over-fits or breaks a rule.
  const json synthetic = eval("tune.jsonl");
  CHECK(synthetic["total"].get<int>() >= 366);  // maintainers add tuning entries (eval/README.md)
  CHECK(synthetic["accuracy"].get<double>() >= 0.95);
  CHECK(synthetic["unclassified_share"].get<double>() <= 0.01);
  const json real = eval("real-tune.jsonl");
  CHECK(real["total"] == 135);
  CHECK(real["accuracy"].get<double>() >= 0.87);
}
