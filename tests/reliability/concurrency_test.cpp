// Concurrency: several `baro` processes on one database.
//
// SQLite in WAL mode lets readers see the last committed state while one writer works, and
// queues writers behind its lock for the busy timeout. What Baro must add: a report during
// an import shows the previous figures, never part of the batch; two imports at once run
// one after the other (or the second gives up with exit 75 and says why); and the same
// batch imported twice at once is imported once. "database is locked" never surfaces as an
// internal error.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <chrono>
#include <regex>
#include <thread>

#include "reliability/generated_batch.hpp"
#include "support/test_support.hpp"

using baro::test::BaroProcess;
using baro::test::run_baro;
using baro::test::TempDir;
namespace fs = std::filesystem;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kLargeBatch = 8000;
#else
constexpr std::size_t kLargeBatch = 30000;
#endif

const std::string kRules = baro::test::mini_rules_dir().string();
// How long a writer queued behind another may wait in these tests.
const std::string kPatientMs = "300000";

// "initiatives  12 345" → 12345; -1 when the report has no such line.
std::int64_t reported_initiatives(const std::string& report) {
  std::smatch m;
  if (!std::regex_search(report, m, std::regex("initiatives +([0-9 ]+)\n"))) return -1;
  std::string digits;
  for (char c : m[1].str()) {
    if (c != ' ') digits += c;
  }
  return std::stoll(digits);
}

// Waits until some process holds the database's write lock (an import inside its
// transaction), or `process` has ended. True when the lock was seen held.
bool wait_for_writer(const fs::path& db, BaroProcess& process) {
  SQLite::Database probe(db.string(), SQLite::OPEN_READWRITE);  // no busy timeout: fail at once
  while (process.running()) {
    try {
      probe.exec("BEGIN IMMEDIATE");
      probe.exec("ROLLBACK");
    } catch (const SQLite::Exception& e) {
      if ((e.getErrorCode() & 0xFF) == SQLITE_BUSY) return true;
      throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

}  // namespace

namespace {

// Imports a generated batch of `records` and runs `baro report` over and over while the
// import writes; checks every report, and returns how many ran whole during the import.
int reports_during_import(std::size_t records) {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  dir.write("small.csv", "id;code_insee;description\ns1;69123;Espace public numérique\ns2;75056;Budget participatif\n");
  REQUIRE(run_baro({"classify", "--db", "baro.db", "--rules", kRules, "small.csv"}, dir.path()).exit_code == 0);
  baro::test::write_generated_batch(dir / "large.csv", records, 7);

  BaroProcess import({"classify", "--db", "baro.db", "--rules", kRules, "large.csv"}, dir.path());
  REQUIRE(wait_for_writer(db, import));
  int during = 0;
  while (true) {
    const bool before = import.running();
    const auto report = run_baro({"report", "--db", "baro.db"}, dir.path());
    const bool after = import.running();
    INFO(report.err);
    REQUIRE(report.exit_code == 0);
    const auto n = reported_initiatives(report.out);
    if (before && after) {
      // The whole report ran while the import was in progress.
      CHECK(n == 2);
      ++during;
    } else {
      CHECK((n == 2 || n == 2 + static_cast<std::int64_t>(records)));
    }
    if (!after) break;
  }
  const auto done = import.wait();
  INFO(done.err);
  REQUIRE(done.exit_code == 0);
  const auto final_report = run_baro({"report", "--db", "baro.db"}, dir.path());
  CHECK(reported_initiatives(final_report.out) == 2 + static_cast<std::int64_t>(records));
  return during;
}

}  // namespace

TEST_CASE("baro report during a large import shows the previous state, never part of the batch",
          "[reliability][concurrency]") {
  // At least one report must run whole while the import writes. How long each takes depends
  // on the build (a sanitizer slows the report more than the import) and on the machine's
  // load: when no report fitted, the case runs again with a batch three times larger.
  int during = 0;
  for (std::size_t records = kLargeBatch; during == 0 && records <= 9 * kLargeBatch; records *= 3) {
    during = reports_during_import(records);
  }
  CHECK(during >= 1);
}

TEST_CASE("two imports at once run one after the other", "[reliability][concurrency]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  baro::test::write_generated_batch(dir / "first.csv", kLargeBatch, 1, "f");
  baro::test::write_generated_batch(dir / "second.csv", 500, 2, "s");
  BaroProcess first({"classify", "--db", "baro.db", "--rules", kRules, "first.csv"}, dir.path());
  REQUIRE(wait_for_writer(db, first));
  // The second waits for the first's lock (a generous timeout: a loaded CI machine may be slow).
  const auto second =
      run_baro({"classify", "--db", "baro.db", "--busy-timeout-ms", kPatientMs, "--rules", kRules, "second.csv"}, dir.path());
  const auto first_done = first.wait();
  INFO(first_done.err << second.err);
  CHECK(first_done.exit_code == 0);
  CHECK(second.exit_code == 0);
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  CHECK(d.execAndGet("SELECT count(*) FROM batches").getInt64() == 2);
  CHECK(d.execAndGet("SELECT count(*) FROM initiatives").getInt64() == static_cast<std::int64_t>(kLargeBatch) + 500);
  CHECK(d.execAndGet("SELECT count(*) FROM classifications").getInt64() == static_cast<std::int64_t>(kLargeBatch) + 500);
}

TEST_CASE("regression: the same batch imported twice at once is imported once, not an internal UNIQUE error",
          "[reliability][concurrency][regression]") {
  // Both processes looked the content hash up before taking the write lock; the second then
  // inserted the same hash after the first committed and died with "UNIQUE constraint
  // failed: batches.content_hash" as an internal error (exit 70).
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  baro::test::write_generated_batch(dir / "batch.csv", kLargeBatch, 3);
  BaroProcess first({"classify", "--db", "baro.db", "--rules", kRules, "batch.csv"}, dir.path());
  REQUIRE(wait_for_writer(db, first));
  const auto second =
      run_baro({"classify", "--db", "baro.db", "--busy-timeout-ms", kPatientMs, "--rules", kRules, "batch.csv"}, dir.path());
  const auto first_done = first.wait();
  INFO(first_done.err << second.err);
  CHECK(first_done.exit_code == 0);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("already imported as batch 1"));
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  CHECK(d.execAndGet("SELECT count(*) FROM batches").getInt64() == 1);
  CHECK(d.execAndGet("SELECT count(*) FROM initiatives").getInt64() == static_cast<std::int64_t>(kLargeBatch));
}

TEST_CASE("an import that cannot get the write lock in time fails with exit 75 and changes nothing",
          "[reliability][concurrency]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  dir.write("batch.csv", "id;code_insee;description\na1;69123;Espace public numérique\n");
  // Taken before the holder connects: reading the file in a process that holds a SQLite
  // connection to it would drop that connection's POSIX locks (fcntl locks are per process).
  const std::string before = baro::test::database_fingerprint(db);
  {
    SQLite::Database holder(db.string(), SQLite::OPEN_READWRITE);
    holder.exec("BEGIN IMMEDIATE");
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"classify", "--db", "baro.db", "--busy-timeout-ms", "200", "--rules", kRules,
                                   "batch.csv"},
          std::vector<std::string>{"init", "--db", "baro.db", "--busy-timeout-ms", "200", "--reference",
                                   baro::test::reference_dir().string()}}) {
      const auto r = run_baro(command, dir.path());
      INFO("baro " << command.front() << ": exit " << r.exit_code << "\n" << r.out << r.err);
      CHECK(r.exit_code == 75);
      CHECK_THAT(r.err, Catch::StartsWith("baro: baro.db: the database is busy"));
      CHECK_THAT(r.err, Catch::Contains("hint:"));
      CHECK_THAT(r.err, !Catch::Contains("internal") && !Catch::Contains("database is locked"));
    }
    holder.exec("ROLLBACK");
  }
  CHECK(baro::test::database_fingerprint(db) == before);
  // Once the lock is released the same import goes through.
  CHECK(run_baro({"classify", "--db", "baro.db", "--rules", kRules, "batch.csv"}, dir.path()).exit_code == 0);
}
