// The import pipeline (core/src/import/pipeline.hpp): however many threads classify, an
// import or a reclassification stores exactly what one thread stores, and an error met by
// any stage leaves the database as it was, with the message one thread gives.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "baro/classifier.hpp"
#include "baro/error.hpp"
#include "baro/import.hpp"
#include "baro/lifecycle.hpp"
#include "import/pipeline.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using baro::ImportOptions;
using baro::RuleEngine;
using baro::RuleSet;
using baro::Store;
using baro::test::TempDir;

namespace {

// The small test rule set: what is under test is the order and the completeness of what
// the threads hand over, not the engine (tests/rules/ hold the bundled rules to their
// paths), and under the sanitizers the bundled rules would cost minutes here.
const fs::path kRules = baro::test::mini_rules_dir();

// The first 1,500 records of the bundled sample: six chunks of the pipeline. `insert` goes
// before the record numbered `before`.
std::string sample_bytes(const std::string& insert = {}, int before = 0) {
  std::string bytes = baro::test::read_file(fs::path(BARO_SOURCE_DIR) / "data" / "sample" / "enquete-2026.csv");
  const auto record = [&](int n) {
    char id[32];
    std::snprintf(id, sizeof id, "\n\"2026-%06d\"", n);
    const std::size_t at = bytes.find(id);
    REQUIRE(at != std::string::npos);
    return at + 1;
  };
  bytes.resize(record(1501));
  if (!insert.empty()) bytes.insert(record(before), insert);
  return bytes;
}

// Every row `sql` selects, one line each, its columns separated by '|'.
void append_rows(SQLite::Database& db, const char* sql, std::string& out) {
  SQLite::Statement rows(db, sql);
  while (rows.executeStep()) {
    for (int c = 0; c < rows.getColumnCount(); ++c) out += rows.getColumn(c).getString() + '|';
    out += '\n';
  }
}

// Every stored row an import or a run writes, in id order, as one text: two databases
// hold the same data exactly when their dumps are equal.
std::string dump(const fs::path& db_path) {
  SQLite::Database db(db_path.string());
  std::string out;
  append_rows(db,
              "SELECT id, batch_id, record_no, line, source_id, commune_code, coalesce(title, '-'), description, "
              "coalesce(year, -1), coalesce(extra, '-') FROM initiatives ORDER BY id",
              out);
  append_rows(db,
              "SELECT run_id, initiative_id, coalesce(primary_domain, '-'), coalesce(classifier, '-'), "
              "coalesce(vetoed, '-') FROM classifications ORDER BY run_id, initiative_id",
              out);
  append_rows(db,
              "SELECT run_id, initiative_id, domain, printf('%.6f', score), rules FROM labels "
              "ORDER BY run_id, initiative_id, domain",
              out);
  return out;
}

struct Database {
  TempDir dir;
  fs::path path = baro::test::fresh_db(dir);
};

// Imports `file` with `threads` threads into a fresh database; returns its dump.
std::string import_with(const RuleEngine& engine, const fs::path& file, unsigned threads) {
  Database db;
  {
    auto store = Store::open(db.path);
    ImportOptions options;
    options.threads = threads;
    const auto result = baro::import_batch(*store, engine, file, options);
    REQUIRE(result.batch.imported > 0);
  }
  return dump(db.path);
}

}  // namespace

TEST_CASE("an import stores the same rows whatever the number of threads", "[import][pipeline]") {
  const auto rules = RuleSet::load(kRules);
  const RuleEngine engine(*rules);
  TempDir files;
  const fs::path sample = files.write("sample.csv", sample_bytes());
  const std::string one_thread = import_with(engine, sample, 1);
  CHECK(one_thread.find("acces|rules|") != std::string::npos);  // the dump holds classifications
  for (unsigned threads : {3u, 8u}) {
    INFO("threads: " << threads);
    CHECK(import_with(engine, sample, threads) == one_thread);
  }
}

TEST_CASE("reclassify writes the same run whatever the number of threads", "[import][pipeline][lifecycle]") {
  const auto rules = RuleSet::load(kRules);
  const RuleEngine engine(*rules);
  TempDir files;
  const fs::path sample = files.write("sample.csv", sample_bytes());
  const auto run_with = [&](unsigned threads) {
    Database db;
    {
      auto store = Store::open(db.path);
      ImportOptions options;
      options.threads = 1;
      baro::import_batch(*store, engine, sample, options);
      baro::ReclassifyOptions again;
      again.force = true;
      again.threads = threads;
      const auto result = baro::reclassify(*store, engine, again);
      REQUIRE(result.run_id == 2);
    }
    return dump(db.path);
  };
  const std::string one_thread = run_with(1);
  CHECK(one_thread.find("\n2|1|") != std::string::npos);  // run 2 is in the dump
  CHECK(run_with(3) == one_thread);
}

TEST_CASE("a bad record deep in a batch stops every thread, with one thread's message and nothing stored",
          "[import][pipeline][atomic]") {
  const auto rules = RuleSet::load(kRules);
  const RuleEngine engine(*rules);
  // A record of an unknown commune inserted before the 1,001st, in the fourth chunk.
  const std::string bytes =
      sample_bytes("\"zz1\";\"99999\";\"Nulle part\";\"2026\";\"Titre\";\"Wifi public gratuit\"\r\n", 1001);
  const std::size_t at = bytes.find("\"zz1\"");
  const std::string line = std::to_string(std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
  TempDir files;
  const fs::path file = files.write("broken.csv", bytes);

  const auto message_with = [&](unsigned threads) {
    Database db;
    const std::string before = baro::test::database_fingerprint(db.path);
    std::string message;
    {
      auto store = Store::open(db.path);
      ImportOptions options;
      options.threads = threads;
      try {
        baro::import_batch(*store, engine, file, options);
        FAIL("expected the batch to be refused");
      } catch (const baro::Error& e) {
        CHECK(e.code() == baro::ExitCode::kDataError);
        message = e.message();
        for (const auto& d : e.details()) message += "\n" + d;
      }
    }
    CHECK(baro::test::database_fingerprint(db.path) == before);
    return message;
  };
  const std::string one_thread = message_with(1);
  CHECK_THAT(one_thread, Catch::Contains("broken.csv:" + line + ": unknown commune code 99999"));
  CHECK(message_with(3) == one_thread);
}

namespace {

// A classifier slow enough that the producer runs far ahead of the workers, failing on the
// text "fail": it stands in for any classifier error (RE2 out of memory, a plugin's failure)
// at a moment the test controls.
class SlowClassifier final : public baro::Classifier {
 public:
  const baro::ClassifierIdentity& identity() const noexcept override { return identity_; }
  void classify(std::string_view text, std::string_view, baro::ClassifierOutput&) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (text == "fail") throw baro::Error(baro::ExitCode::kDataError, "cannot classify \"" + std::string(text) + "\"");
  }
  std::unique_ptr<baro::Classifier> clone() const override { return std::make_unique<SlowClassifier>(); }

 private:
  baro::ClassifierIdentity identity_{"slow", "1"};
};

struct Text {
  std::string text;
};

}  // namespace

TEST_CASE("the pipeline reports the error of the earliest record, whichever stage meets it first",
          "[import][pipeline][atomic]") {
  const auto rules = RuleSet::load(baro::test::mini_rules_dir());
  std::vector<std::unique_ptr<baro::Classifier>> members;
  members.push_back(std::make_unique<SlowClassifier>());
  baro::ClassifierChain chain(*rules, std::move(members));
  // Record 50 fails to classify; the producer fails after record 60, long before the
  // workers (2 ms a record) get to record 50. One thread meets record 50 first: so must four.
  for (const bool producer_thread : {true, false}) {
    for (const unsigned threads : {1u, 4u}) {
      INFO("threads: " << threads << ", producer on its own thread: " << producer_thread);
      baro::PipelineOptions options;
      options.threads = threads;
      options.chunk_records = 1;
      std::size_t produced = 0;
      std::vector<std::string> consumed;
      try {
        baro::run_pipeline<Text>(
            chain, options, producer_thread,
            [&](baro::PipelineChunk<Text>& chunk) {
              if (produced == 60) throw baro::Error(baro::ExitCode::kDataError, "cannot read record 60");
              chunk.items.push_back({produced == 50 ? "fail" : "text " + std::to_string(produced)});
              ++produced;
              return true;
            },
            [&](baro::PipelineChunk<Text>& chunk) {
              for (const auto& item : chunk.items) consumed.push_back(item.text);
            });
        FAIL("expected the pipeline to fail");
      } catch (const baro::Error& e) {
        CHECK(e.message() == "cannot classify \"fail\"");
      }
      REQUIRE(consumed.size() == 50);
      CHECK(consumed.front() == "text 0");
      CHECK(consumed.back() == "text 49");
    }
  }
}
