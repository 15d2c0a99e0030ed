// Resource bounds and the engine bugs found by fuzzing, at the library level.
#include <catch2/catch.hpp>

#include <memory>

#include "baro/error.hpp"
#include "baro/ingest.hpp"
#include "baro/rules.hpp"
#include "support/test_support.hpp"

using baro::test::TempDir;

TEST_CASE("regression: a CSV reader refused while reading its header frees libcsv's buffer",
          "[reliability][ingest][regression]") {
  // Found by fuzz_ingest (LeakSanitizer): the reader parses the header in its constructor;
  // when decoding failed there, ~CsvReader never ran and libcsv's buffer leaked. The leak
  // shows in the sanitized tree, where LeakSanitizer fails this test.
  TempDir dir;
  // UTF-16LE "id;desc", then half a surrogate pair at the end of the file.
  const auto file = dir.write("header.csv", std::string("i\0d\0;\0d\0e\0s\0c\0\x00\xD8", 16));
  baro::IngestOptions options;
  options.encoding = baro::TextEncoding::kUtf16Le;
  options.format = baro::SourceFormat::kCsv;
  try {
    baro::RecordReader::open(file, options);
    FAIL("the truncated file should be refused");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kDataError);
    CHECK_THAT(e.message(), Catch::Contains("ends in the middle of a utf-16le character"));
    CHECK(e.where().file == file.string());
  }
}

TEST_CASE("rules that fit RE2's memory budget alone but not together are refused naming the largest",
          "[reliability][rules][limits]") {
  // Plain keywords are matched word by word; what RE2's combined scanner holds are regex atoms
  // and keywords with symbols. A set of many such keywords: shrink the budget until the
  // combined scanner no longer fits while each rule still does (RuleSet::load checks them
  // one by one).
  baro::test::TempDir dir;
  std::string rules_json = R"J({"domain": "acces", "rules": [)J";
  for (int r = 0; r < 40; ++r) {
    rules_json += std::string(r ? "," : "") + R"J({"id": "acces.r)J" + std::to_string(r) + R"J(", "keywords": [)J";
    for (int k = 0; k < 10; ++k) {
      rules_json += std::string(k ? "," : "") + "\"v" + std::to_string(r) + "." + std::to_string(k) + "x" + std::to_string(r * k) + "\"";
    }
    rules_json += "]}";
  }
  rules_json += "]}";
  dir.write("rules/ruleset.json", R"J({"id": "t", "version": "1", "domains": [{"id": "acces", "label": "A", "file": "acces.json"}]})J");
  dir.write("rules/acces.json", rules_json);
  const auto symbols = dir / "rules";
  bool refused_together = false;
  for (std::int64_t budget = 1 << 20; budget >= (32 << 10) && !refused_together; budget = budget * 3 / 4) {
    baro::RuleSetOptions options;
    options.max_mem_bytes = budget;
    std::unique_ptr<baro::RuleSet> rules;
    try {
      rules = baro::RuleSet::load(symbols, options);
    } catch (const baro::Error& e) {
      INFO("at " << budget << " bytes a rule no longer fits alone: " << e.describe());
      break;
    }
    try {
      baro::RuleEngine engine(*rules);
    } catch (const baro::Error& e) {
      refused_together = true;
      INFO(e.describe());
      CHECK(e.code() == baro::ExitCode::kConfig);
      CHECK_THAT(e.message(), Catch::Contains("does not fit in RE2's memory limit") &&
                                  Catch::Contains("once all its rules are combined; the largest rules are ") &&
                                  Catch::Contains("RE2 instructions"));
      // The location is the largest rule's, so an editor jumps to it.
      CHECK_THAT(e.where().file, Catch::EndsWith(".json"));
      CHECK(e.where().line > 0);
      CHECK_THAT(e.hint(), Catch::Contains("--regex-mem-mb"));
    }
  }
  CHECK(refused_together);
  // The default budget holds the same rules.
  const auto fitting = baro::RuleSet::load(symbols);
  CHECK_NOTHROW(baro::RuleEngine(*fitting));
}
