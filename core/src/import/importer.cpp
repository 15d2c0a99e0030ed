#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>

#include "baro/error.hpp"
#include "baro/import.hpp"
#include "baro/normalize.hpp"
#include "baro/version.hpp"
#include "baro_format.hpp"
#include "import/commune_resolver.hpp"
#include "import/pipeline.hpp"
#include "import/run_writer.hpp"
#include "store/sqlite_errors.hpp"
#include "util/output_file.hpp"
#include "util/text.hpp"

namespace baro {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxReportedProblems = 20;
constexpr std::uint64_t kProgressEvery = 4096;

using util::trim;

// A record mapped onto Baro's fields and checked.
struct Initiative {
  std::string source_id;
  std::string description;
  std::string title;
  std::string commune_code;
  std::optional<int> year;
  std::optional<bool> rural;
  std::string extra;  // JSON object of the unmapped columns, or empty
  std::string problem;
};

std::string value_of(const Record& record, const ColumnMapping& mapping, Field field) {
  const auto index = mapping.column(field);
  if (!index || *index >= record.values.size()) return {};
  return record.values[*index];
}

std::optional<bool> parse_rural(std::string_view v, std::string& problem) {
  const std::string folded = fold(trim(v));
  if (folded.empty()) return std::nullopt;
  if (folded == "1" || folded == "oui" || folded == "true" || folded == "rural" || folded == "rurale") return true;
  if (folded == "0" || folded == "non" || folded == "false" || folded == "urbain" || folded == "urbaine") return false;
  problem = "rural \"" + std::string(v) + "\" is not a yes/no value (use 1/0, oui/non, rural/urbain)";
  return std::nullopt;
}

// `commune_problem`, when given, receives why the commune did not resolve (kNone otherwise,
// and when the record was refused before its commune was looked at).
Initiative map_record(const Record& record, const SourceInfo& source, const ColumnMapping& mapping,
                      const CommuneResolver* communes, CommuneResolver::Problem* commune_problem = nullptr) {
  if (commune_problem != nullptr) *commune_problem = CommuneResolver::Problem::kNone;
  Initiative out;
  if (!record.problem.empty()) {
    out.problem = record.problem;
    return out;
  }
  for (const std::size_t column : record.structured) {
    for (const Field field : kAllFields) {
      if (mapping.column(field) != column || column >= source.columns.size()) continue;
      const bool array = !record.values[column].empty() && record.values[column][0] == '[';
      const std::string read_as = source.columns[column] == to_string(field) ? "" : " (read as " + to_string(field) + ")";
      out.problem = "the field \"" + source.columns[column] + "\"" + read_as + " holds " +
                    (array ? "an array" : "an object") + ", not text: map a column of text with --map " +
                    to_string(field) + "=COLUMN";
      return out;
    }
  }
  out.source_id = std::string(trim(value_of(record, mapping, Field::kId)));
  if (out.source_id.empty()) out.source_id = std::to_string(record.number);
  out.description = std::string(trim(value_of(record, mapping, Field::kDescription)));
  if (out.description.empty()) {
    out.problem = mapping.column(Field::kDescription) ? "empty description" : "no description field";
    return out;
  }
  out.title = std::string(trim(value_of(record, mapping, Field::kTitle)));
  const std::string year = std::string(trim(value_of(record, mapping, Field::kYear)));
  if (!year.empty()) {
    const bool digits = year.size() == 4 && std::all_of(year.begin(), year.end(), [](unsigned char c) { return std::isdigit(c); });
    const int value = digits ? std::stoi(year) : 0;
    if (!digits || value < 1980 || value > 2100) {
      out.problem = "year \"" + year + "\" is not a year (expected 4 digits between 1980 and 2100, e.g. 2026)";
      return out;
    }
    out.year = value;
  }
  out.rural = parse_rural(value_of(record, mapping, Field::kRural), out.problem);
  if (!out.problem.empty()) return out;
  if (communes != nullptr) {
    const std::string code = value_of(record, mapping, Field::kCommune);
    const std::string name = value_of(record, mapping, Field::kCommuneName);
    const std::string department = value_of(record, mapping, Field::kDepartment);
    const std::string postal_code = value_of(record, mapping, Field::kPostalCode);
    const CommuneResolver::Row row{code, name, department, postal_code};
    const auto column_name = [&](Field field) {
      const auto index = mapping.column(field);
      return index && *index < source.columns.size() ? source.columns[*index] : std::string();
    };
    const auto resolved = communes->resolve(
        row, {column_name(Field::kCommune), column_name(Field::kCommuneName), column_name(Field::kDepartment),
              column_name(Field::kPostalCode)});
    if (resolved.code.empty()) {
      out.problem = resolved.problem;
      if (commune_problem != nullptr) *commune_problem = resolved.kind;
      return out;
    }
    out.commune_code = resolved.code;
  }
  nlohmann::json extra = nlohmann::json::object();
  for (std::size_t i = 0; i < record.values.size() && i < source.columns.size(); ++i) {
    if (record.values[i].empty() || mapping.maps(i)) continue;
    const bool structured = std::find(record.structured.begin(), record.structured.end(), i) != record.structured.end();
    extra[source.columns[i]] = structured ? nlohmann::json::parse(record.values[i]) : nlohmann::json(record.values[i]);
  }
  if (!extra.empty()) out.extra = extra.dump();
  return out;
}

// A record on its way through the pipeline: read and mapped, then classified, then written.
struct ImportItem {
  std::uint64_t number = 0, line = 0, column = 0;
  Initiative initiative;  // its description is moved to `text`
  std::string text;       // the description; empty for a record with a problem (not classified)
  std::string raw;        // the record as read, for the rejects file (only with skip_bad)
};

// RFC 4180 quoting, to rebuild a record's text.
std::string csv_field(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The rejects file is for people: it follows the input's dialect when that was Excel's (a
// `;` CSV, or a UTF-8 BOM: French Excel's dialect, French headers), and is RFC 4180 with
// commas otherwise; either way a cell that a spreadsheet would run as a formula is
// neutralised. It is written through an OutputFile (util/output_file.hpp) made at the first
// rejected record, and put in place only after the batch committed, so a failed import never
// leaves one behind (a FIFO or a device named by --rejects is written as the rows come).
class RejectsFile {
 public:
  RejectsFile(fs::path target, const SourceInfo& source) : target_(std::move(target)) {
    excel_ = source.format == SourceFormat::kCsv && (source.delimiter == ';' || source.has_bom);
    if (excel_) dialect_ = plugins::kExcelCsv;
  }
  void add(std::uint64_t line, std::string_view reason, std::string_view raw) {
    if (!out_) {
      out_ = std::make_unique<OutputFile>(target_, "--rejects");
      out_->write(std::string(dialect_.bom ? "\xEF\xBB\xBF" : "") +
                  (excel_ ? plugins::csv_row({"ligne", "motif", "enregistrement"}, dialect_)
                          : plugins::csv_row({"line", "reason", "record"}, dialect_)));
    }
    const std::string number = std::to_string(line);
    out_->write(plugins::csv_row({number, reason, raw}, dialect_));
  }
  bool empty() const { return out_ == nullptr; }
  void publish() { out_->commit(); }

 private:
  fs::path target_;
  bool excel_ = false;
  plugins::CsvDialect dialect_{',', "\r\n", false, true};
  std::unique_ptr<OutputFile> out_;
};

// Rebuilds a record's text when the reader had no reason to keep it.
std::string raw_text(const Record& record, const SourceInfo& source) {
  if (!record.raw.empty()) return record.raw;
  if (source.format != SourceFormat::kCsv) {
    nlohmann::json object = nlohmann::json::object();
    for (std::size_t i = 0; i < record.values.size() && i < source.columns.size(); ++i) {
      if (record.present.size() > i && record.present[i]) object[source.columns[i]] = record.values[i];
    }
    return object.dump();
  }
  std::string out;
  for (std::size_t i = 0; i < record.values.size(); ++i) {
    if (i > 0) out += source.delimiter;
    const auto& v = record.values[i];
    const bool quote = v.find_first_of(std::string("\"\r\n") + source.delimiter) != std::string::npos;
    out += quote ? csv_field(v) : v;
  }
  return out;
}

// Refuses a batch whose records are already stored in another batch: importing a corrected
// export after `--skip-bad` must not store its good rows twice. With an id column a record is
// known by its id, commune and year (a survey tool numbers each wave's answers from 1 again,
// and waves differ by year); without one (ids are then record numbers) by its description,
// commune and year. One join (SQLite indexes it on the fly), run before the batch commits.
void refuse_known_records(SQLite::Database& db, std::int64_t batch_id, bool has_ids, const fs::path& file) {
  // The other batches' records are set apart first, so that SQLite joins them through an
  // index it builds on the key. Joined directly, it looks them up through the commune index:
  // every row of a commune against every other (a 30,000-row batch of one commune took minutes).
  SQLite::Statement known(
      db, std::string("WITH old AS MATERIALIZED (SELECT batch_id, line, source_id, description, commune_code, year "
                      "FROM initiatives WHERE batch_id <> ?1) "
                      "SELECT n.line, n.source_id, n.commune_code, o.batch_id, o.line FROM initiatives n "
                      "JOIN old o ON ") +
              (has_ids ? "o.source_id = n.source_id" : "o.description = n.description") +
              " AND o.commune_code IS n.commune_code AND o.year IS n.year "
              "WHERE n.batch_id = ?1 GROUP BY n.id ORDER BY n.line");
  known.bind(1, batch_id);
  std::uint64_t count = 0;
  std::set<std::int64_t> batches;
  std::vector<std::string> details;
  while (known.executeStep()) {
    ++count;
    const std::int64_t other = known.getColumn(3).getInt64();
    batches.insert(other);
    if (details.size() < kMaxReportedProblems) {
      details.push_back(SourceLocation{file.string(), static_cast<std::uint64_t>(known.getColumn(0).getInt64())}.to_string() +
                        ": " + (has_ids ? "id \"" + known.getColumn(1).getString() + "\", commune " : "the same description, commune ") +
                        known.getColumn(2).getString() + ": already in batch " + std::to_string(other) + " (line " +
                        known.getColumn(4).getString() + ")");
    }
  }
  if (count == 0) return;
  std::string listed;
  for (const auto id : batches) listed += (listed.empty() ? "" : ", ") + std::to_string(id);
  const std::string first = std::to_string(*batches.begin());
  Error error = data_error(std::to_string(count) + (count == 1 ? " record is" : " records are") + " already stored in batch" +
                               (batches.size() == 1 ? " " : "es ") + listed + " (" +
                               (has_ids ? "same id, commune and year" : "same description, commune and year") +
                               "); nothing was imported",
                           {file.string()},
                           "if this file corrects batch " + first + ", import it in its place: baro classify --replace-batch " +
                               first + " " + file.string() + " (`baro batches list` shows the batches)");
  for (auto& d : details) error.add_detail(std::move(d));
  if (count > details.size()) error.set_details_omitted(count - details.size());
  throw error;
}

}  // namespace

ImportResult import_batch(Store& store, const RuleEngine& engine, const fs::path& file, const ImportOptions& options) {
  const auto chain = ClassifierChain::rules_only(engine);
  return import_batch(store, *chain, file, options);
}

ImportResult import_batch(Store& store, ClassifierChain& classifiers, const fs::path& file,
                          const ImportOptions& options) {
  if (store.read_only()) throw internal_error("import_batch needs a writable store");
  auto reader = RecordReader::open(file, options.ingest);
  const SourceInfo& source = reader->source();
  if (options.skip_bad && options.rejects_path.empty() && source.spool) {
    throw usage_error("--skip-bad on standard input or a pipe needs --rejects FILE: there is no input file to write "
                      "the rejects beside",
                      "e.g. --skip-bad --rejects rejets.csv");
  }

  ImportResult result;
  // Checked here, before taking the write lock, so that a re-import is a no-op even while
  // another import runs; and again inside the transaction, where it is authoritative.
  // Re-importing the very content of the batch being replaced is a replacement, not a no-op.
  const auto is_no_op = [&options](const std::optional<BatchInfo>& same_content) {
    return same_content && !options.replace && same_content->id != options.replace_batch;
  };
  // Replacing a batch that is not there is a mistake to report, even when this content is
  // already stored (the user named the wrong batch).
  if (options.replace_batch > 0 && !store.batch(options.replace_batch)) {
    throw data_error("there is no batch " + std::to_string(options.replace_batch) + " to replace",
                     {store.path().string()}, "`baro batches list` shows the batches this database holds");
  }
  auto existing = store.find_batch_by_hash(source.content_hash);
  if (is_no_op(existing)) {
    result.already_present = true;
    result.batch = *existing;
    return result;
  }
  auto mapping = ColumnMapping::resolve(source, options.column_map);
  std::size_t mapped_columns = source.columns.size();
  const CommuneResolver communes(store);
  if (communes.empty()) {
    throw data_error("the database holds no commune reference", {store.path().string()},
                     "run `baro init` to load the bundled INSEE reference");
  }

  fs::path rejects_path = options.rejects_path;
  if (rejects_path.empty()) {
    rejects_path = file;
    rejects_path += ".rejects.csv";
  }
  RejectsFile rejects(rejects_path, source);
  auto& db = store.database();
  PipelineOptions pipeline;
  pipeline.threads = options.threads;
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    // Another process may have imported the same bytes while this one waited for the lock:
    // that import wins, and this one is the no-op a re-import always is.
    existing = store.find_batch_by_hash(source.content_hash);
    if (is_no_op(existing)) {
      result.already_present = true;
      result.batch = *existing;
      return result;
    }
    const std::int64_t replaced = options.replace_batch > 0 ? options.replace_batch : existing ? existing->id : 0;
    // A replacement is a new batch: it takes the next id, never the replaced one (which reports
    // and exports made before may cite). Computed before the delete, which would free that id.
    const std::int64_t next_batch_id = db.execAndGet("SELECT coalesce(max(id), 0) + 1 FROM batches").getInt64();
    if (replaced > 0) {
      SQLite::Statement drop(db, "DELETE FROM batches WHERE id = ?");
      drop.bind(1, replaced);
      if (drop.exec() == 0) {
        throw data_error("there is no batch " + std::to_string(replaced) + " to replace", {store.path().string()},
                         "`baro batches list` shows the batches this database holds");
      }
      result.replaced_batch = replaced;
    }
    SQLite::Statement insert_batch(
        db,
        "INSERT INTO batches (id, source, content_hash, format, encoding, delimiter, line_endings, column_map, "
        "records, imported, rejected, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    insert_batch.bind(1, next_batch_id);
    insert_batch.bind(2, file.string());
    insert_batch.bind(3, source.content_hash);
    insert_batch.bind(4, to_string(source.format));
    insert_batch.bind(5, to_string(source.encoding));
    if (source.format == SourceFormat::kCsv) insert_batch.bind(6, std::string(1, source.delimiter));
    insert_batch.bind(7, source.line_endings);
    insert_batch.bind(8, mapping.to_json(source));
    insert_batch.exec();
    const std::int64_t batch_id = next_batch_id;

    RunWriter run(store, classifiers);
    result.run_id = run.run_id();
    result.new_run = run.is_new();
    result.reclassified = run.is_new() ? run.classify_stored(batch_id, pipeline) : 0;

    SQLite::Statement insert_initiative(
        db,
        "INSERT INTO initiatives (batch_id, record_no, line, source_id, commune_code, title, description, year, rural, "
        "extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement first_use(db, "SELECT line FROM initiatives WHERE batch_id = ? AND source_id = ?");

    std::uint64_t records = 0, imported = 0, bad = 0;
    Error refusal = data_error("", {});
    std::size_t reported = 0;
    const auto reject = [&](const ImportItem& item, std::uint64_t column, const std::string& reason) {
      ++bad;
      if (options.skip_bad) rejects.add(item.line, reason, item.raw);
      if (reported < kMaxReportedProblems) {
        refusal.add_detail(SourceLocation{file.string(), item.line, column}.to_string() + ": " + reason);
        ++reported;
      }
    };
    // Reading thread: parse and map records (it alone touches `reader`, `source` and `mapping`).
    Record record;
    const std::function<bool(PipelineChunk<ImportItem>&)> read = [&](PipelineChunk<ImportItem>& chunk) {
      while (chunk.items.size() < std::max<std::size_t>(1, pipeline.chunk_records)) {
        if (!reader->next(record)) return false;
        if (source.columns.size() != mapped_columns) {  // JSON: new keys appeared
          mapping = ColumnMapping::resolve(source, options.column_map);
          mapped_columns = source.columns.size();
        }
        ImportItem item;
        item.number = record.number;
        item.line = record.line;
        item.column = record.column;
        item.initiative = map_record(record, source, mapping, &communes);
        // Any record may turn out to be a duplicate once written: keep its text for the rejects file.
        if (options.skip_bad) item.raw = raw_text(record, source);
        if (item.initiative.problem.empty()) item.text = std::move(item.initiative.description);
        chunk.items.push_back(std::move(item));
      }
      return true;
    };
    // Writing, on this thread: the transaction's connection is used by one thread only.
    const std::function<void(PipelineChunk<ImportItem>&)> write = [&](PipelineChunk<ImportItem>& chunk) {
      for (std::size_t i = 0; i < chunk.items.size(); ++i) {
        const ImportItem& item = chunk.items[i];
        const Initiative& initiative = item.initiative;
        ++records;
        if (options.progress && records % kProgressEvery == 0) options.progress(records, 0);
        if (!initiative.problem.empty()) {
          reject(item, item.column, initiative.problem);
          continue;
        }
        insert_initiative.bind(1, batch_id);
        insert_initiative.bind(2, static_cast<std::int64_t>(item.number));
        insert_initiative.bind(3, static_cast<std::int64_t>(item.line));
        insert_initiative.bindNoCopy(4, initiative.source_id);
        insert_initiative.bindNoCopy(5, initiative.commune_code);
        if (initiative.title.empty()) insert_initiative.bind(6); else insert_initiative.bindNoCopy(6, initiative.title);
        insert_initiative.bindNoCopy(7, item.text);
        if (initiative.year) insert_initiative.bind(8, *initiative.year); else insert_initiative.bind(8);
        if (initiative.rural) insert_initiative.bind(9, *initiative.rural ? 1 : 0); else insert_initiative.bind(9);
        if (initiative.extra.empty()) insert_initiative.bind(10); else insert_initiative.bindNoCopy(10, initiative.extra);
        try {
          insert_initiative.exec();
          insert_initiative.reset();
        } catch (const SQLite::Exception& e) {
          // SQLiteCpp's statement exceptions carry only the primary code; ask the connection
          // before reset() overwrites its error state.
          const int extended = sqlite3_extended_errcode(db.getHandle());
          insert_initiative.tryReset();  // reports the same failure again: already known
          if (extended != SQLITE_CONSTRAINT_UNIQUE) throw;
          first_use.bind(1, batch_id);
          first_use.bind(2, initiative.source_id);
          std::string first_line = "?";
          if (first_use.executeStep()) first_line = first_use.getColumn(0).getString();
          first_use.reset();
          reject(item, 0, "duplicate id \"" + initiative.source_id + "\" (already used at line " + first_line + ")");
          continue;
        }
        run.write(db.getLastInsertRowid(), chunk.results[i]);
        ++imported;
      }
    };
    run_pipeline<ImportItem>(classifiers, pipeline, /*producer_thread=*/true, read, write);
    if (records == 0) {
      throw data_error("no records: the file has a header but no data", {file.string()},
                       "export the survey again with its answers");
    }
    if (bad > 0 && !options.skip_bad) {
      Error error = data_error(std::to_string(bad) + " of " + std::to_string(records) +
                                   (records == 1 ? " record cannot" : " records cannot") + " be used; nothing was imported",
                               {file.string()},
                               "fix them, or import the others with --skip-bad (the bad ones then go to a rejects file)");
      for (const auto& d : refusal.details()) error.add_detail(d);
      if (bad > reported) error.set_details_omitted(bad - reported);
      throw error;
    }
    if (imported == 0) {
      throw data_error("none of the " + std::to_string(records) + " records can be used; nothing was imported",
                       {file.string()}, "check the column mapping with `baro inspect`");
    }
    refuse_known_records(db, batch_id, mapping.column(Field::kId).has_value(), file);
    SQLite::Statement finish(db, "UPDATE batches SET records = ?, imported = ?, rejected = ? WHERE id = ?");
    finish.bind(1, static_cast<std::int64_t>(records));
    finish.bind(2, static_cast<std::int64_t>(imported));
    finish.bind(3, static_cast<std::int64_t>(bad));
    finish.bind(4, batch_id);
    finish.exec();
    transaction.commit();
    result.rejected = static_cast<std::int64_t>(bad);
    if (!rejects.empty()) {
      rejects.publish();
      result.rejects_file = rejects_path;
    }
    result.batch = *store.find_batch_by_hash(source.content_hash);
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "importing " + file.string());
  }
  return result;
}

void classify_dry_run(const RuleEngine& engine, const fs::path& file, const ImportOptions& options,
                      const std::function<void(const DryRunResult&)>& sink) {
  auto reader = RecordReader::open(file, options.ingest);
  const SourceInfo& source = reader->source();
  auto mapping = ColumnMapping::resolve(source, options.column_map);
  std::size_t mapped_columns = source.columns.size();
  Record record;
  while (reader->next(record)) {
    if (source.columns.size() != mapped_columns) {
      mapping = ColumnMapping::resolve(source, options.column_map);
      mapped_columns = source.columns.size();
    }
    Initiative initiative = map_record(record, source, mapping, nullptr);
    if (!initiative.problem.empty() && record.problem.empty()) record.problem = initiative.problem;
    DryRunResult result{record, initiative.source_id.empty() ? std::to_string(record.number) : initiative.source_id,
                        record.problem.empty() ? initiative.description : std::string(), {}};
    if (record.problem.empty()) result.classification = engine.classify(fold(initiative.description));
    sink(result);
  }
}

CommuneCheck check_communes(const Store& store, const fs::path& file, const ImportOptions& options) {
  const CommuneResolver communes(store);
  if (communes.empty()) {
    throw data_error("the database holds no commune reference", {store.path().string()},
                     "run `baro init` to load the bundled INSEE reference");
  }
  auto reader = RecordReader::open(file, options.ingest);
  const SourceInfo& source = reader->source();
  auto mapping = ColumnMapping::resolve(source, options.column_map);
  std::size_t mapped_columns = source.columns.size();
  CommuneCheck check;
  std::map<CommuneResolver::Problem, CommuneCheck::Reason> reasons;
  Record record;
  while (reader->next(record)) {
    if (source.columns.size() != mapped_columns) {
      mapping = ColumnMapping::resolve(source, options.column_map);
      mapped_columns = source.columns.size();
    }
    ++check.records;
    CommuneResolver::Problem kind = CommuneResolver::Problem::kNone;
    const Initiative initiative = map_record(record, source, mapping, &communes, &kind);
    if (initiative.problem.empty()) {
      ++check.resolved;
    } else if (kind == CommuneResolver::Problem::kNone) {
      ++check.other_problems;
    } else {
      auto [it, first] = reasons.try_emplace(kind);
      if (first) it->second = {CommuneResolver::to_id(kind), CommuneResolver::describe(kind), 0, record.line, initiative.problem};
      ++it->second.rows;
    }
  }
  for (auto& [kind, reason] : reasons) check.unresolved.push_back(std::move(reason));
  std::stable_sort(check.unresolved.begin(), check.unresolved.end(),
                   [](const auto& a, const auto& b) { return a.rows > b.rows; });
  return check;
}

}  // namespace baro
