// Resource bounds and the engine bugs found by fuzzing, at the library level.
#include <catch2/catch.hpp>

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
  baro::RuleSetOptions options;
  options.max_mem_bytes = 1 << 20;  // each mini rule fits in 1 MiB; the whole-set scanner does not
  const auto rules = baro::RuleSet::load(baro::test::mini_rules_dir(), options);
  try {
    baro::RuleEngine engine(*rules);
    FAIL("the rule set should not fit");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kConfig);
    CHECK_THAT(e.message(), Catch::Contains("does not fit in RE2's memory limit (1 MiB) once all its rules are combined") &&
                                Catch::Contains("the largest rules are ") && Catch::Contains("RE2 instructions"));
    // The location is the largest rule's, so an editor jumps to it.
    CHECK_THAT(e.where().file, Catch::EndsWith(".json"));
    CHECK(e.where().line > 0);
    CHECK_THAT(e.hint(), Catch::Contains("--regex-mem-mb"));
  }
  // The default budget holds the same rules.
  const auto fitting = baro::RuleSet::load(baro::test::mini_rules_dir());
  CHECK_NOTHROW(baro::RuleEngine(*fitting));
}
