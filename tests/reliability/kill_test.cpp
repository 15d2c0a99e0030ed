// Crash safety: `baro classify` killed with SIGKILL at random moments of a large import, and
// `baro reclassify` killed at random moments of a new run.
//
// A batch is imported in one SQLite transaction, so whatever the moment of the kill, the
// database must afterwards pass `PRAGMA integrity_check`, hold the batch wholly (every
// record, classified) or not at all, and accept the same import again without duplicates.
// A reclassification writes its run in one transaction too: the new run is whole or absent,
// the earlier run untouched, and running it again completes.
//
// The moments are drawn uniformly over the duration of an uninterrupted import (measured
// first) plus 10 %, so trials fall in every phase: start-up, rule compilation, reading the
// reference, the transaction itself, the commit, and after it. The seed is random unless
// BARO_KILL_SEED is set, and is printed with every trial's timing so a failure can be
// replayed: BARO_KILL_SEED=<seed> build/tests/reliability_kill_test.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

#include "reliability/generated_batch.hpp"
#include "support/test_support.hpp"

using baro::test::BaroProcess;
using baro::test::run_baro;
using baro::test::TempDir;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// The release tree looks for a moment that breaks atomicity: many trials on a batch large
// enough that many moments fall inside the transaction (12,000 records: ~0.36 s to import in
// the release tree; in one run, 11 of 16 kills left the batch absent and 5 present). Every run
// draws new moments, so trials accumulate across runs.
// The sanitizer tree looks for memory errors and undefined behaviour on the same code paths,
// which a few trials on a smaller batch reach (ASan is ~4x slower; `make test` has a budget).
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kRecords = 4000;
constexpr int kTrials = 8;
#else
constexpr std::size_t kRecords = 12000;
constexpr int kTrials = 16;
#endif

const std::string kRules = baro::test::mini_rules_dir().string();
// A changed rule set (tests/data/rules/mini-v2): what a maintainer reclassifies with.
const std::string kChangedRules = (baro::test::mini_rules_dir().parent_path() / "mini-v2").string();

std::uint32_t kill_seed() {
  if (const char* env = std::getenv("BARO_KILL_SEED"); env != nullptr && *env) {
    return static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10));
  }
  return std::random_device{}();
}

struct DatabaseState {
  std::string integrity;
  std::int64_t foreign_key_problems = 0;
  std::int64_t batches = 0;
  std::int64_t initiatives = 0;
  std::int64_t distinct_ids = 0;
  std::int64_t batch_imported_column = 0;
  std::int64_t classified = 0;
  std::int64_t runs = 0;
};

DatabaseState inspect(const fs::path& db) {
  // Read-write, as the next baro would open it: SQLite replays or discards the WAL left by
  // the killed process (a read-only connection could not).
  SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
  DatabaseState s;
  s.integrity = d.execAndGet("PRAGMA integrity_check").getString();
  SQLite::Statement fk(d, "PRAGMA foreign_key_check");
  while (fk.executeStep()) ++s.foreign_key_problems;
  s.batches = d.execAndGet("SELECT count(*) FROM batches").getInt64();
  s.initiatives = d.execAndGet("SELECT count(*) FROM initiatives").getInt64();
  s.distinct_ids = d.execAndGet("SELECT count(DISTINCT source_id) FROM initiatives").getInt64();
  s.batch_imported_column = d.execAndGet("SELECT coalesce(sum(imported), 0) FROM batches").getInt64();
  s.classified = d.execAndGet("SELECT count(*) FROM classifications").getInt64();
  s.runs = d.execAndGet("SELECT count(*) FROM runs").getInt64();
  return s;
}

void require_whole_or_absent(const DatabaseState& s) {
  CHECK(s.integrity == "ok");
  CHECK(s.foreign_key_problems == 0);
  if (s.batches == 0) {
    CHECK(s.initiatives == 0);
    CHECK(s.classified == 0);
    CHECK(s.runs == 0);
  } else {
    CHECK(s.batches == 1);
    CHECK(s.initiatives == static_cast<std::int64_t>(kRecords));
    CHECK(s.distinct_ids == static_cast<std::int64_t>(kRecords));
    CHECK(s.batch_imported_column == static_cast<std::int64_t>(kRecords));
    CHECK(s.classified == static_cast<std::int64_t>(kRecords));
    CHECK(s.runs == 1);
  }
}

// Runs and their sizes, for the reclassification trials: run id → classifications.
std::vector<std::pair<std::int64_t, std::int64_t>> runs_of(const fs::path& db) {
  SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  SQLite::Statement runs(d, "SELECT r.id, (SELECT count(*) FROM classifications c WHERE c.run_id = r.id) FROM runs r ORDER BY r.id");
  while (runs.executeStep()) out.emplace_back(runs.getColumn(0).getInt64(), runs.getColumn(1).getInt64());
  return out;
}

// Starts baro with `args` in `dir`, sends SIGKILL after `kill_at_ms` (or once it has ended,
// if sooner), and returns whether it had finished first; a run that finished must have
// succeeded.
bool run_and_kill(const std::vector<std::string>& args, const fs::path& dir, double kill_at_ms) {
  BaroProcess process(args, dir);
  const auto deadline = Clock::now() + std::chrono::microseconds(static_cast<std::int64_t>(kill_at_ms * 1000));
  // Poll rather than sleep the whole delay: a process that finishes early is not waited for.
  while (Clock::now() < deadline && process.running()) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  const bool finished_first = !process.running();
  process.kill(SIGKILL);
  const auto outcome = process.wait();
  if (finished_first) REQUIRE(outcome.exit_code == 0);
  return finished_first;
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

TEST_CASE("baro classify killed at random moments leaves the batch wholly present or absent", "[reliability][kill]") {
  TempDir dir;
  const auto batch = baro::test::write_generated_batch(dir / "batch.csv", kRecords, 20260101);
  const std::vector<std::string> classify{"classify", "--db", "baro.db", "--rules", kRules, "batch.csv"};

  // The uninterrupted import: the reference outcome and the time scale of the trials.
  baro::test::fresh_db(dir);
  const auto start = Clock::now();
  const auto full = run_baro(classify, dir.path());
  const double full_ms = ms_since(start);
  REQUIRE(full.exit_code == 0);
  const DatabaseState reference = inspect(dir / "baro.db");
  REQUIRE(reference.batches == 1);
  REQUIRE(reference.initiatives == static_cast<std::int64_t>(kRecords));

  const std::uint32_t seed = kill_seed();
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> moment(0.0, full_ms * 1.1);
  std::cout << "kill test: seed " << seed << " (BARO_KILL_SEED), " << kRecords << " records, uninterrupted import "
            << static_cast<int>(full_ms) << " ms, " << kTrials << " trials\n";
  int absent = 0, present = 0;
  for (int trial = 1; trial <= kTrials; ++trial) {
    const double kill_at_ms = moment(random);
    INFO("seed " << seed << ", trial " << trial << ", SIGKILL after " << kill_at_ms << " ms");
    baro::test::fresh_db(dir);
    std::error_code ec;
    fs::remove(dir / "baro.db-wal", ec);
    fs::remove(dir / "baro.db-shm", ec);

    const bool finished_first = run_and_kill(classify, dir.path(), kill_at_ms);

    const DatabaseState after_kill = inspect(dir / "baro.db");
    require_whole_or_absent(after_kill);
    (after_kill.batches == 0 ? absent : present) += 1;

    // Importing again completes, without duplicates, whatever the kill left.
    const auto again_start = Clock::now();
    const auto again = run_baro(classify, dir.path());
    INFO("re-import: " << again.out << again.err);
    REQUIRE(again.exit_code == 0);
    CHECK_THAT(again.out, after_kill.batches == 0 ? Catch::Contains("as batch") : Catch::Contains("already imported"));
    const DatabaseState after_again = inspect(dir / "baro.db");
    CHECK(after_again.batches == 1);
    require_whole_or_absent(after_again);
    std::cout << "  trial " << trial << ": SIGKILL at " << static_cast<int>(kill_at_ms) << " ms"
              << (finished_first ? " (after the import ended)" : "") << ": batch "
              << (after_kill.batches == 0 ? "absent" : "present") << "; re-import " << static_cast<int>(ms_since(again_start))
              << " ms, " << after_again.initiatives << " initiatives\n";
  }
  std::cout << "kill test: " << kTrials << " trials passed (" << absent << " batch absent, " << present
            << " present after the kill), seed " << seed << "\n";
}

TEST_CASE("baro reclassify killed at random moments leaves the new run wholly present or absent",
          "[reliability][kill]") {
  TempDir dir;
  baro::test::write_generated_batch(dir / "batch.csv", kRecords, 20261129);
  // The imported database (run 1, the mini rules), kept aside: each trial starts from a copy.
  baro::test::fresh_db(dir, "imported.db");
  REQUIRE(run_baro({"classify", "--db", "imported.db", "--rules", kRules, "batch.csv"}, dir.path()).exit_code == 0);
  {
    SQLite::Database d((dir / "imported.db").string(), SQLite::OPEN_READWRITE);
    d.exec("PRAGMA wal_checkpoint(TRUNCATE)");  // so that copying the main file copies everything
  }
  const DatabaseState imported = inspect(dir / "imported.db");
  REQUIRE(imported.runs == 1);
  const auto reset_db = [&] {
    std::error_code ec;
    fs::remove(dir / "baro.db-wal", ec);
    fs::remove(dir / "baro.db-shm", ec);
    fs::copy_file(dir / "imported.db", dir / "baro.db", fs::copy_options::overwrite_existing);
  };
  const std::vector<std::string> reclassify{"reclassify", "--db", "baro.db", "--rules", kChangedRules};

  reset_db();
  const auto start = Clock::now();
  const auto full = run_baro(reclassify, dir.path());
  const double full_ms = ms_since(start);
  INFO(full.out << full.err);
  REQUIRE(full.exit_code == 0);
  const auto reference_runs = runs_of(dir / "baro.db");
  REQUIRE(reference_runs.size() == 2);
  REQUIRE(reference_runs[1].second == static_cast<std::int64_t>(kRecords));

  const std::uint32_t seed = kill_seed();
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> moment(0.0, full_ms * 1.1);
  std::cout << "reclassify kill test: seed " << seed << " (BARO_KILL_SEED), " << kRecords
            << " stored initiatives, uninterrupted reclassification " << static_cast<int>(full_ms) << " ms, " << kTrials
            << " trials\n";
  int absent = 0, present = 0;
  for (int trial = 1; trial <= kTrials; ++trial) {
    const double kill_at_ms = moment(random);
    INFO("seed " << seed << ", trial " << trial << ", SIGKILL after " << kill_at_ms << " ms");
    reset_db();
    const bool finished_first = run_and_kill(reclassify, dir.path(), kill_at_ms);

    // The batch and run 1 are as imported; run 2 is whole or absent.
    const DatabaseState after_kill = inspect(dir / "baro.db");
    CHECK(after_kill.integrity == "ok");
    CHECK(after_kill.foreign_key_problems == 0);
    CHECK(after_kill.initiatives == static_cast<std::int64_t>(kRecords));
    const auto runs = runs_of(dir / "baro.db");
    REQUIRE(!runs.empty());
    CHECK(runs[0] == reference_runs[0]);
    if (runs.size() == 1) {
      ++absent;
      CHECK(after_kill.classified == imported.classified);
    } else {
      ++present;
      CHECK(runs.size() == 2);
      CHECK(runs[1].second == static_cast<std::int64_t>(kRecords));
    }

    // Running it again completes: a new run when the killed one left none, else nothing to do.
    const auto again = run_baro(reclassify, dir.path());
    INFO("again: " << again.out << again.err);
    REQUIRE(again.exit_code == 0);
    CHECK_THAT(again.out, runs.size() == 1 ? Catch::Contains("reclassified") : Catch::Contains("nothing to do"));
    CHECK(runs_of(dir / "baro.db") == reference_runs);
    std::cout << "  trial " << trial << ": SIGKILL at " << static_cast<int>(kill_at_ms) << " ms"
              << (finished_first ? " (after it ended)" : "") << ": new run " << (runs.size() == 1 ? "absent" : "present")
              << "\n";
  }
  std::cout << "reclassify kill test: " << kTrials << " trials passed (" << absent << " run absent, " << present
            << " present after the kill), seed " << seed << "\n";
}
