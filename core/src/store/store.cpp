#include "baro/store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "baro/error.hpp"
#include "baro/ingest.hpp"
#include "baro/normalize.hpp"
#include "store/commune_names.hpp"
#include "store/schema.hpp"
#include "store/sqlite_errors.hpp"

namespace baro {
namespace fs = std::filesystem;

namespace {

bool looks_like_sqlite(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char header[16] = {};
  in.read(header, sizeof header);
  const auto n = in.gcount();
  return n == 0 || (n == 16 && std::string_view(header, 16) == std::string_view("SQLite format 3\0", 16));
}

// A file: URI naming `path` (SQLite's URI parser decodes %XX; '?', '#' and '%' must be
// escaped), opened immutable: no locks, no -wal or -shm file.
std::string immutable_uri(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  if (ec) absolute = path;
  std::string out = "file:";
  for (const unsigned char c : absolute.string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out + "?immutable=1";
}

// A WAL file that still holds transactions: an immutable connection would not see them.
bool has_pending_wal(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(fs::path(path.string() + "-wal"), ec);
  return !ec && size > 0;
}

}  // namespace

std::unique_ptr<Store> Store::open(const fs::path& path, const StoreOptions& options) {
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (!exists && options.mode != OpenMode::kCreate) {
    throw no_input_error("no database here", {path.string()},
                         "create it with `baro init` (or name another one with --db or BARO_DB)");
  }
  if (exists && fs::is_directory(path, ec)) {
    throw no_input_error("is a directory, not a database file", {path.string()},
                "name a file with --db, e.g. --db baro.db");
  }
  if (exists && !looks_like_sqlite(path)) {
    throw data_error("this file is not a SQLite database", {path.string()},
                     "name a database made by `baro init` with --db, or a new path");
  }
  std::unique_ptr<Store> store(new Store());
  store->path_ = path;
  store->read_only_ = options.mode == OpenMode::kReadOnly;
  // The first read makes SQLite open the WAL index (-shm): a connection that cannot is
  // refused there, not by the constructor.
  const auto connect = [&](const std::string& name, int flags) {
    store->db_ = std::make_unique<SQLite::Database>(name, flags, options.busy_timeout_ms);
    return store->db_->execAndGet("PRAGMA user_version").getInt();
  };
  try {
    int version = 0;
    if (options.mode != OpenMode::kReadOnly) {
      version = connect(path.string(),
                        SQLite::OPEN_READWRITE | (options.mode == OpenMode::kCreate ? SQLite::OPEN_CREATE : 0));
    } else {
      try {
        version = connect(path.string(), SQLite::OPEN_READONLY);
      } catch (const SQLite::Exception& e) {
        // A read-only folder (or file) keeps SQLite from making the WAL index beside the
        // database. Nobody can write there either, so the file is read as immutable: no
        // locks, no -shm. Quietly: reading a read-only database is nothing to warn about.
        const int code = e.getErrorCode() & 0xFF;
        if (code != SQLITE_CANTOPEN && code != SQLITE_READONLY) throw;
        if (has_pending_wal(path)) {
          throw Error(ExitCode::kCannotCreate,
                      "the database cannot be written here, and its -wal file holds changes not yet merged into it",
                      {path.string()},
                      "run any baro command on it once where it can be written (that merges them), or copy it "
                      "with its -wal file to a folder you can write");
        }
        store->db_.reset();
        version = connect(immutable_uri(path), SQLite::OPEN_READONLY | SQLITE_OPEN_URI);
      }
    }
    auto& db = *store->db_;
    if (version > kSchemaVersion) {
      throw data_error("this database was made by a newer Baro (schema version " + std::to_string(version) +
                           "; this Baro knows up to " + std::to_string(kSchemaVersion) + ")",
                       {path.string()}, "use a newer baro to read it; it was left untouched");
    }
    db.exec("PRAGMA foreign_keys = ON");
    if (!store->read_only_) {
      // WAL: readers (reports, exports) see the last committed state while an import writes.
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = NORMAL");
      // A batch is one transaction that touches several indexes at random places (communes,
      // ids, run rows): with SQLite's default 2 MiB page cache those pages are spilled to the
      // WAL and read back over and over. 64 MiB keeps a large batch's working set in memory;
      // it is an upper bound, allocated as pages are used.
      db.exec("PRAGMA cache_size = -65536");
      if (version < kSchemaVersion) store::migrate(db, version);
    } else if (version < kSchemaVersion) {
      throw data_error(version == 0 ? "the database is empty (not initialised)"
                                    : "the database has an older schema and is opened read-only",
                       {path.string()}, "run `baro init` (or any writing command) on it first");
    }
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, path, "opening the database");
  }
  return store;
}

Store::~Store() = default;

std::int64_t Store::load_reference(const fs::path& reference_dir) {
  std::error_code ec;
  fs::path communes_file;
  for (const auto& entry : fs::directory_iterator(reference_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("fr-communes-", 0) == 0 && entry.path().extension() == ".csv") communes_file = entry.path();
  }
  if (ec || communes_file.empty()) {
    throw no_input_error("no commune reference (fr-communes-YYYY.csv) in this folder", {reference_dir.string()},
                         "the reference ships in data/reference/; pass its folder with --reference");
  }
  const std::string vintage = communes_file.stem().string().substr(std::string("fr-communes-").size());

  // Reads a reference CSV, handing each row to `row` with a lookup by column name (the
  // column indices are resolved once per file, not per row: 37,000 rows).
  struct Row {
    const std::unordered_map<std::string, std::size_t>* index;  // column name → position
    const Record* record;
    const std::string& at(const std::string& name) const {
      const auto it = index->find(name);
      if (it != index->end() && it->second < record->values.size()) return record->values[it->second];
      static const std::string kEmpty;
      return kEmpty;
    }
    std::size_t count(const std::string& name) const { return index->count(name); }
  };
  const auto read_rows = [](const fs::path& file, const std::vector<std::string>& required,
                            const std::function<void(const Row&)>& row) {
    auto reader = RecordReader::open(file);
    std::unordered_map<std::string, std::size_t> index;
    const auto& columns = reader->source().columns;
    for (std::size_t i = 0; i < columns.size(); ++i) index.emplace(columns[i], i);  // the first of a repeated name
    for (const auto& name : required) {
      if (!index.count(name)) {
        throw data_error("the reference file has no \"" + name + "\" column", {file.string(), 1});
      }
    }
    Record record;
    while (reader->next(record)) {
      if (!record.problem.empty()) throw data_error(record.problem, {file.string(), record.line, record.column});
      row(Row{&index, &record});
    }
  };

  std::int64_t loaded = 0;
  try {
    auto& db = *db_;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    const SQLite::Statement in_use(db, "SELECT 1 FROM initiatives LIMIT 1");
    db.exec(
        "DELETE FROM commune_aliases; DELETE FROM commune_other_names; DELETE FROM commune_postal_codes; "
        "DELETE FROM regions; DELETE FROM departments; DELETE FROM reference_meta");
    // Communes referenced by initiatives stay (their rows are updated in place below).
    SQLite::Statement insert_region(db, "INSERT INTO regions (code, name) VALUES (?, ?)");
    read_rows(reference_dir / "fr-regions.csv", {"code", "nom"}, [&](const Row& v) {
      insert_region.bind(1, v.at("code"));
      insert_region.bind(2, v.at("nom"));
      insert_region.exec();
      insert_region.reset();
    });
    SQLite::Statement insert_department(db, "INSERT INTO departments (code, name, region_code) VALUES (?, ?, ?)");
    read_rows(reference_dir / "fr-departements.csv", {"code", "nom", "region"}, [&](const Row& v) {
      insert_department.bind(1, v.at("code"));
      insert_department.bind(2, v.at("nom"));
      insert_department.bind(3, v.at("region"));
      insert_department.exec();
      insert_department.reset();
    });
    SQLite::Statement upsert_commune(
        db,
        "INSERT INTO communes (code, name, name_key, department, region, zone, population, epci_siren) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (code) DO UPDATE SET name = ?2, name_key = ?3, "
        "department = ?4, region = ?5, zone = ?6, population = ?7, epci_siren = ?8");
    struct Alias {
      std::string code, commune, kind;
    };
    std::vector<Alias> aliases;
    // Names and postal codes of the other rows, kept until every current commune is in (an
    // arrondissement's row may come before its commune's).
    struct OtherName {
      std::string name, code, commune, kind;
    };
    std::vector<OtherName> other_names;
    struct PostalCode {
      std::string postal_code, code, commune;
    };
    std::vector<PostalCode> postal_codes;
    const auto add_postal_codes = [&postal_codes](const Row& v, const std::string& commune) {
      std::string_view codes = v.at("codes_postaux");
      while (!codes.empty()) {
        const auto bar = codes.find('|');
        postal_codes.push_back({std::string(codes.substr(0, bar)), v.at("code_insee"), commune});
        codes = bar == std::string_view::npos ? std::string_view() : codes.substr(bar + 1);
      }
    };
    std::set<std::string> current;
    read_rows(communes_file, {"code_insee", "nom", "type", "departement", "region", "population", "parent_code", "anciens_codes"},
              [&](const Row& v) {
                const std::string& type = v.at("type");
                if (type == "commune-actuelle") {
                  upsert_commune.bind(1, v.at("code_insee"));
                  upsert_commune.bind(2, v.at("nom"));
                  upsert_commune.bind(3, commune_name_key(v.at("nom")));
                  upsert_commune.bind(4, v.at("departement"));
                  upsert_commune.bind(5, v.at("region"));
                  upsert_commune.bind(6, v.count("zone") ? v.at("zone") : std::string());
                  if (v.at("population").empty()) upsert_commune.bind(7);
                  else upsert_commune.bind(7, static_cast<std::int64_t>(std::stoll(v.at("population"))));
                  upsert_commune.bind(8, v.count("epci_siren") ? v.at("epci_siren") : std::string());
                  upsert_commune.exec();
                  upsert_commune.reset();
                  current.insert(v.at("code_insee"));
                  ++loaded;
                  std::string_view old = v.at("anciens_codes");
                  while (!old.empty()) {
                    const auto bar = old.find('|');
                    aliases.push_back({std::string(old.substr(0, bar)), v.at("code_insee"), "ancien-code"});
                    old = bar == std::string_view::npos ? std::string_view() : old.substr(bar + 1);
                  }
                  add_postal_codes(v, v.at("code_insee"));
                } else if (!v.at("parent_code").empty()) {
                  aliases.push_back({v.at("code_insee"), v.at("parent_code"), type});
                  other_names.push_back({v.at("nom"), v.at("code_insee"), v.at("parent_code"), type});
                  add_postal_codes(v, v.at("parent_code"));
                }
              });
    SQLite::Statement insert_alias(db, "INSERT OR IGNORE INTO commune_aliases (code, commune_code, kind) VALUES (?, ?, ?)");
    for (const auto& alias : aliases) {
      if (alias.code == alias.commune || !current.count(alias.commune)) continue;
      insert_alias.bind(1, alias.code);
      insert_alias.bind(2, alias.commune);
      insert_alias.bind(3, alias.kind);
      insert_alias.exec();
      insert_alias.reset();
    }
    SQLite::Statement insert_name(
        db, "INSERT OR IGNORE INTO commune_other_names (name_key, name, code, commune_code, kind) VALUES (?, ?, ?, ?, ?)");
    for (const auto& other : other_names) {
      if (!current.count(other.commune)) continue;
      insert_name.bind(1, commune_name_key(other.name));
      insert_name.bind(2, other.name);
      insert_name.bind(3, other.code);
      insert_name.bind(4, other.commune);
      insert_name.bind(5, other.kind);
      insert_name.exec();
      insert_name.reset();
    }
    SQLite::Statement insert_postal(
        db, "INSERT OR IGNORE INTO commune_postal_codes (postal_code, code, commune_code) VALUES (?, ?, ?)");
    for (const auto& postal : postal_codes) {
      if (!current.count(postal.commune)) continue;
      insert_postal.bind(1, postal.postal_code);
      insert_postal.bind(2, postal.code);
      insert_postal.bind(3, postal.commune);
      insert_postal.exec();
      insert_postal.reset();
    }
    SQLite::Statement meta(db, "INSERT INTO reference_meta (key, value) VALUES (?, ?)");
    for (const auto& [key, value] : std::map<std::string, std::string>{
             {"source", "@etalab/decoupage-administratif 6.0.0 (Etalab, MIT licence)"},
             {"population_vintage", vintage},
             {"communes_file", communes_file.filename().string()}}) {
      meta.bind(1, key);
      meta.bind(2, value);
      meta.exec();
      meta.reset();
    }
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, path_, "loading the commune reference");
  }
  return loaded;
}

std::int64_t Store::commune_count() const {
  try {
    return db_->execAndGet("SELECT count(*) FROM communes").getInt64();
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, path_, "counting communes");
  }
}

namespace {

BatchInfo read_batch(SQLite::Statement& q) {
  BatchInfo b;
  b.id = q.getColumn(0).getInt64();
  b.source = q.getColumn(1).getString();
  b.content_hash = q.getColumn(2).getString();
  b.format = q.getColumn(3).getString();
  b.encoding = q.getColumn(4).getString();
  b.delimiter = q.getColumn(5).getString();
  b.line_endings = q.getColumn(6).getString();
  b.records = q.getColumn(7).getInt64();
  b.imported = q.getColumn(8).getInt64();
  b.rejected = q.getColumn(9).getInt64();
  b.imported_at = q.getColumn(10).getString();
  return b;
}

constexpr const char* kBatchColumns =
    "SELECT id, source, content_hash, format, encoding, delimiter, line_endings, records, imported, rejected, "
    "imported_at FROM batches ";

RunInfo read_run(SQLite::Statement& q) {
  RunInfo r;
  r.id = q.getColumn(0).getInt64();
  r.ruleset_id = q.getColumn(1).getString();
  r.ruleset_version = q.getColumn(2).getString();
  r.ruleset_hash = q.getColumn(3).getString();
  for (const auto& c : nlohmann::json::parse(q.getColumn(4).getString(), nullptr, false)) {
    if (c.is_object()) r.classifiers.push_back({c.value("name", ""), c.value("version", "")});
  }
  r.engine_version = q.getColumn(5).getString();
  r.created_at = q.getColumn(6).getString();
  r.initiatives = q.getColumn(7).getInt64();
  return r;
}

constexpr const char* kRunColumns =
    "SELECT id, ruleset_id, ruleset_version, ruleset_hash, classifiers, engine_version, created_at, "
    "(SELECT count(*) FROM classifications c WHERE c.run_id = runs.id) FROM runs ";

}  // namespace

std::optional<BatchInfo> Store::find_batch_by_hash(const std::string& content_hash) const {
  try {
    SQLite::Statement q(*db_, std::string(kBatchColumns) + "WHERE content_hash = ?");
    q.bind(1, content_hash);
    if (q.executeStep()) return read_batch(q);
    return std::nullopt;
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, path_, "looking up a batch");
  }
}

std::optional<BatchInfo> Store::batch(std::int64_t id) const {
  try {
    SQLite::Statement q(*db_, std::string(kBatchColumns) + "WHERE id = ?");
    q.bind(1, id);
    if (q.executeStep()) return read_batch(q);
    return std::nullopt;
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, path_, "looking up a batch");
  }
}

std::vector<BatchInfo> Store::batches() const {
  try {
    std::vector<BatchInfo> out;
    SQLite::Statement q(*db_, std::string(kBatchColumns) + "ORDER BY id");
    while (q.executeStep()) out.push_back(read_batch(q));
    return out;
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, path_, "listing batches");
  }
}

std::vector<RunInfo> Store::runs() const {
  try {
    std::vector<RunInfo> out;
    SQLite::Statement q(*db_, std::string(kRunColumns) + "ORDER BY id");
    while (q.executeStep()) out.push_back(read_run(q));
    return out;
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, path_, "listing runs");
  }
}

std::optional<RunInfo> Store::latest_run() const {
  try {
    SQLite::Statement q(*db_, std::string(kRunColumns) + "ORDER BY id DESC LIMIT 1");
    if (q.executeStep()) return read_run(q);
    return std::nullopt;
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, path_, "reading the latest run");
  }
}

std::optional<RunInfo> Store::run(std::int64_t id) const {
  try {
    SQLite::Statement q(*db_, std::string(kRunColumns) + "WHERE id = ?");
    q.bind(1, id);
    if (q.executeStep()) return read_run(q);
    return std::nullopt;
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, path_, "reading a run");
  }
}

}  // namespace baro
