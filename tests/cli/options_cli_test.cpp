// End-to-end: options the real `baro` binary refuses in its own words, with exit 64 (usage)
// or 66 (no input), before anything is read or written (issue 16, item 4).
#include <catch2/catch.hpp>

#include <string>

#include "baro/version.hpp"
#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;

namespace {
const std::string kRules = baro::test::mini_rules_dir().string();
}  // namespace

TEST_CASE("option --threads outside 0..256 is refused with the range, never reaching the engine", "[cli][options]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto before = baro::test::database_fingerprint(db);
  const auto file = dir.write("b.csv", "id;code_insee;description\n1;69123;EPN\n");
  for (const std::string threads : {"-1", "100000", "257"}) {
    const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, "--threads", threads, file.string()});
    CHECK(r.exit_code == 64);
    CHECK_THAT(r.err, Catch::Contains("baro: --threads " + threads + " is out of range: expected 1 to 256\n"
                                      "hint: --threads is the number of threads classifying (0: one per core)"));
  }
  const auto words = run_baro({"classify", "--db", db.string(), "--rules", kRules, "--threads", "many", file.string()});
  CHECK(words.exit_code == 64);
  CHECK_THAT(words.err, Catch::Contains("baro classify: --threads \"many\" is not a valid value (a whole number is "
                                        "expected)"));
  const auto reclassify = run_baro({"reclassify", "--db", db.string(), "--rules", kRules, "--threads", "-1"});
  CHECK(reclassify.exit_code == 64);
  CHECK_THAT(reclassify.err, Catch::Contains("--threads -1 is out of range"));
  CHECK(baro::test::database_fingerprint(db) == before);
}

TEST_CASE("option --db naming a folder is a missing input (66)", "[cli][options]") {
  TempDir dir;
  std::filesystem::create_directory(dir / "folder.db");
  const auto r = run_baro({"runs", "list", "--db", (dir / "folder.db").string()});
  CHECK(r.exit_code == 66);
  CHECK_THAT(r.err, Catch::Contains("folder.db: is a directory, not a database file"));
}

TEST_CASE("baro -V is --version, and baro help CMD is CMD --help", "[cli][options]") {
  const auto v = run_baro({"-V"});
  CHECK(v.exit_code == 0);
  CHECK(v.out == std::string("baro ") + baro::kVersion + "\n");
  const auto help = run_baro({"help", "classify"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::StartsWith("usage: baro classify [OPTIONS] FILE..."));
  const auto unknown = run_baro({"help", "frobnicate"});
  CHECK(unknown.exit_code == 64);
  CHECK_THAT(unknown.err, Catch::Contains("baro help: unknown command \"frobnicate\""));
}

TEST_CASE("runs diff with three runs says so in the project's words", "[cli][options]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto r = run_baro({"runs", "diff", "--db", db.string(), "1", "2", "3"});
  CHECK(r.exit_code == 64);
  CHECK_THAT(r.err, Catch::Contains("baro: baro runs diff: too many arguments\nhint: usage: baro runs diff A B"));
  CHECK_THAT(r.err, !Catch::Contains("positional"));
}
