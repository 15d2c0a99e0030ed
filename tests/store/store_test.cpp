#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>

#include "baro/error.hpp"
#include "baro/store.hpp"
#include "support/test_support.hpp"

using baro::OpenMode;
using baro::Store;
using baro::test::TempDir;

TEST_CASE("init creates a WAL database at the current schema version with the reference", "[store]") {
  TempDir dir;
  const auto path = baro::test::fresh_db(dir);
  auto store = Store::open(path);
  auto& db = store->database();
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == baro::kSchemaVersion);
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(db.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(store->commune_count() > 34000);
  // Real reference rows: Lyon, a Corsican commune, an overseas one.
  CHECK(db.execAndGet("SELECT name FROM communes WHERE code = '69123'").getString() == "Lyon");
  CHECK(db.execAndGet("SELECT department FROM communes WHERE code = '2A004'").getString() == "2A");
  CHECK(db.execAndGet("SELECT region FROM communes WHERE code = '97101'").getString() == "01");
  CHECK(db.execAndGet("SELECT count(*) FROM regions").getInt() >= 18);
  CHECK(db.execAndGet("SELECT value FROM reference_meta WHERE key = 'population_vintage'").getString() == "2026");
}

TEST_CASE("old codes, delegated communes and arrondissements resolve to today's commune", "[store][reference]") {
  TempDir dir;
  auto store = Store::open(baro::test::fresh_db(dir));
  auto& db = store->database();
  // Marseille's 1st arrondissement belongs to Marseille.
  CHECK(db.execAndGet("SELECT commune_code FROM commune_aliases WHERE code = '13201'").getString() == "13055");
  // 01316 is an old code of Chazey-Bons (01098), per the reference file.
  CHECK(db.execAndGet("SELECT commune_code FROM commune_aliases WHERE code = '01316'").getString() == "01098");
}

TEST_CASE("a database from a newer Baro is refused and left untouched", "[store][errors]") {
  TempDir dir;
  const auto path = baro::test::fresh_db(dir);
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = " + std::to_string(baro::kSchemaVersion + 1));
  }
  const auto before = baro::test::database_fingerprint(path);
  try {
    Store::open(path);
    FAIL("expected an error");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kDataError);
    CHECK_THAT(e.message(), Catch::Contains("newer Baro"));
  }
  CHECK(baro::test::database_fingerprint(path) == before);
}

TEST_CASE("a file that is not SQLite is refused without being modified", "[store][errors]") {
  TempDir dir;
  const auto path = dir.write("notes.db", "these are not the droids\n");
  REQUIRE_THROWS_WITH(Store::open(path), Catch::Contains("not a SQLite database"));
  CHECK(baro::test::read_file(path) == "these are not the droids\n");
}

TEST_CASE("opening a missing database without create says to run init", "[store][errors]") {
  TempDir dir;
  try {
    Store::open(dir / "absent.db");
    FAIL("expected an error");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kNoInput);
    CHECK_THAT(e.hint(), Catch::Contains("baro init"));
  }
}

TEST_CASE("a read-only store cannot write", "[store]") {
  TempDir dir;
  const auto path = baro::test::fresh_db(dir);
  auto store = Store::open(path, {OpenMode::kReadOnly});
  CHECK(store->read_only());
  REQUIRE_THROWS_AS(store->database().exec("DELETE FROM regions"), SQLite::Exception);
}
