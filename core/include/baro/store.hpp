// The SQLite store: the commune reference, imported batches, their initiatives, and the
// classification runs with their labels. docs/schema.md documents every table.
//
// The database runs in WAL mode with foreign keys on, so that a report can read a
// consistent snapshot while an import writes. Its schema version lives in
// `PRAGMA user_version`; opening a database migrates it forward, and a database made by a
// newer Baro is refused rather than damaged. Every write Baro makes is one transaction:
// a batch is imported whole or not at all.
//
// Thread-safety: a Store is one connection; use it from one thread at a time (open one
// Store per thread to read concurrently).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace baro {

inline constexpr int kSchemaVersion = 4;

enum class OpenMode {
  kReadWrite = 1,  // the database must exist (run `baro init` first)
  kCreate,         // create it if missing
  // Readers and exporters: writing through this Store fails. A database whose folder (or
  // file) cannot be written — where SQLite cannot make its WAL index (-shm) — is read as
  // immutable (SQLite's `immutable=1`: no locks, no -shm), without a warning: nobody can
  // write it there either. One exception: a non-empty -wal file beside it holds commits an
  // immutable reader would not see, and the open fails (kCannotCreate) instead.
  kReadOnly,
};

struct StoreOptions {
  OpenMode mode = OpenMode::kReadWrite;
  // How long a writer waits for another writer (or a reader finishing a checkpoint) before
  // failing with ExitCode::kBusy.
  int busy_timeout_ms = 10000;
};

struct BatchInfo {
  std::int64_t id = 0;
  std::string source;        // the file name as given
  std::string content_hash;
  std::string format, encoding, delimiter, line_endings;
  std::int64_t records = 0, imported = 0, rejected = 0;
  std::string imported_at;   // ISO 8601 UTC
};

struct ClassifierIdentity {
  std::string name;
  std::string version;
};

struct RunInfo {
  std::int64_t id = 0;
  std::string ruleset_id, ruleset_version, ruleset_hash;
  std::vector<ClassifierIdentity> classifiers;
  std::string engine_version;
  std::string created_at;    // ISO 8601 UTC
  std::int64_t initiatives = 0;
};

class Store {
 public:
  // Opens (and if needed creates and migrates) the database at `path`. Throws baro::Error:
  // kNoInput if it does not exist in kReadWrite/kReadOnly mode, kDataError if the file is not
  // a SQLite database or was made by a newer Baro, kCannotCreate if it cannot be created.
  static std::unique_ptr<Store> open(const std::filesystem::path& path, const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  bool read_only() const noexcept { return read_only_; }

  // Loads (or replaces) the commune reference from a folder holding fr-communes-*.csv,
  // fr-regions.csv and fr-departements.csv (data/reference/). One transaction.
  // Returns the number of current communes loaded.
  std::int64_t load_reference(const std::filesystem::path& reference_dir);
  std::int64_t commune_count() const;

  std::optional<BatchInfo> find_batch_by_hash(const std::string& content_hash) const;
  std::optional<BatchInfo> batch(std::int64_t id) const;
  std::vector<BatchInfo> batches() const;
  std::vector<RunInfo> runs() const;           // oldest first
  std::optional<RunInfo> latest_run() const;
  std::optional<RunInfo> run(std::int64_t id) const;

  // The underlying connection, for the engine's own modules (import, stats). Not part of
  // the stable API: the schema may change between versions.
  SQLite::Database& database() noexcept { return *db_; }
  const SQLite::Database& database() const noexcept { return *db_; }

 private:
  Store() = default;
  std::filesystem::path path_;
  bool read_only_ = false;
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace baro
