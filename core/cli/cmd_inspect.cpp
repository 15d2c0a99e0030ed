#include <nlohmann/json.hpp>

#include <charconv>
#include <iostream>
#include <optional>
#include <utility>

#include "baro/error.hpp"
#include "baro/import.hpp"
#include "baro/ingest.hpp"
#include "baro/store.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

nlohmann::json communes_json(const CommuneCheck& check, const std::string& db) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& r : check.unresolved) {
    reasons.push_back({{"reason", r.id}, {"records", r.rows}, {"first_line", r.first_line}, {"first_problem", r.first_problem}});
  }
  return {{"db", db},
          {"records", check.records},
          {"resolved", check.resolved},
          {"unresolved", reasons},
          {"other_problems", check.other_problems}};
}

void print_communes(const CommuneCheck& check, const std::string& db) {
  std::uint64_t unresolved = 0;
  for (const auto& r : check.unresolved) unresolved += r.rows;
  std::cout << "\ncommunes (against the reference of " << db << ")\n"
            << "  " << group_thousands(static_cast<std::int64_t>(check.resolved)) << " of "
            << group_thousands(static_cast<std::int64_t>(check.records)) << " records resolve";
  if (unresolved > 0) std::cout << ", " << group_thousands(static_cast<std::int64_t>(unresolved)) << " do not:";
  std::cout << '\n';
  for (const auto& r : check.unresolved) {
    std::cout << "  " << group_thousands(static_cast<std::int64_t>(r.rows)) << "  " << r.id << ": " << r.what
              << "\n      first, line " << r.first_line << ": " << r.first_problem << '\n';
  }
  if (check.other_problems > 0) {
    std::cout << "  " << group_thousands(static_cast<std::int64_t>(check.other_problems))
              << " records are refused before their commune is looked at (`baro classify --dry-run` says why)\n";
  }
}

}  // namespace

int run_inspect(const Args& args) {
  std::string file;
  std::int64_t limit = -1;
  po::options_description options("options");
  options.add_options()
      ("file", po::value(&file), "the file to inspect")
      ("json", "every record as a JSON object on stdout (keys: the file's columns; values: as read); the detected format on stderr")
      ("limit", po::value(&limit)->value_name("N"), "how many records to show (default: 5; all with --json)")
      ("db", po::value<std::string>()->implicit_value("")->value_name("PATH"),
       "also resolve every row's commune against this database's reference, as `classify` would, and count "
       "the rows that do not resolve by reason (--db alone: $BARO_DB, else ./baro.db)");
  add_source_reading_options(options);  // its --records POINTER; a number there is the former --records N
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse("inspect", "[--json] [--db[=PATH]] FILE",
             "Shows what Baro reads from FILE before anything is imported: the detected\n"
             "encoding, delimiter and line endings, the header, how columns map onto Baro's\n"
             "fields, and the first records exactly as parsed. With --db, how many rows\n"
             "name a commune the reference knows, and why the others do not.",
             options, positional, args, vm))
    return 0;
  // `--db` takes an optional value, and Boost gives it the next word: in `inspect --db FILE`,
  // that word is the file, and the database the default one.
  std::optional<std::string> db_path;
  if (vm.count("db")) db_path = vm["db"].as<std::string>();
  if (file.empty() && db_path && !db_path->empty()) file = std::exchange(*db_path, std::string());
  if (db_path && db_path->empty()) db_path = default_db_path();
  if (file.empty()) throw usage_error("baro inspect: no file given", "usage: baro inspect [--json] [--db[=PATH]] FILE");
  SourceReading reading = source_reading(vm);
  // `inspect --records N` once meant --limit N; a JSON Pointer never starts with a digit.
  if (reading.ingest.records && !reading.ingest.records->empty() &&
      reading.ingest.records->find_first_not_of("0123456789") == std::string::npos && !vm.count("limit")) {
    const std::string& count = *reading.ingest.records;
    if (std::from_chars(count.data(), count.data() + count.size(), limit).ec != std::errc()) {
      throw usage_error("--records " + count + ": too many records to show", "use --limit N with a smaller N");
    }
    reading.ingest.records.reset();
  }
  const IngestOptions& ingest = reading.ingest;
  const auto& overrides = reading.column_map;
  const bool json = vm.count("json") > 0;
  if (limit < 0) limit = json ? std::numeric_limits<std::int64_t>::max() : 5;

  // The commune check reads the file again, as an import would: done first, so that a file
  // that cannot be imported at all says so before anything is printed.
  std::optional<CommuneCheck> communes;
  if (db_path) {
    const auto store = Store::open(*db_path, {OpenMode::kReadOnly});
    ImportOptions import;
    import.ingest = ingest;
    import.column_map = overrides;
    communes = check_communes(*store, file, import);
  }

  auto reader = RecordReader::open(file, ingest);
  const SourceInfo& source = reader->source();
  const auto describe_format = [&](const ColumnMapping* mapping) {
    nlohmann::json info{{"file", file},
                        {"format", to_string(source.format)},
                        {"encoding", to_string(source.encoding)},
                        {"encoding_forced", source.encoding_forced},
                        {"bom", source.has_bom},
                        {"line_endings", source.line_endings},
                        {"size_bytes", source.size_bytes},
                        {"content_hash", source.content_hash},
                        {"columns", source.columns}};
    if (source.format == SourceFormat::kCsv) info["delimiter"] = std::string(1, source.delimiter);
    if (source.format == SourceFormat::kJsonArray) info["records_pointer"] = source.records_pointer;
    if (mapping != nullptr) info["mapping"] = nlohmann::json::parse(mapping->to_json(source));
    return info;
  };

  std::int64_t shown = 0, total = 0, problems = 0;
  Record record;
  if (json) {
    while (shown < limit && reader->next(record)) {
      ++total;
      nlohmann::json object = nlohmann::json::object();
      for (std::size_t i = 0; i < record.values.size() && i < source.columns.size(); ++i) {
        if (i < record.present.size() && !record.present[i]) continue;
        object[source.columns[i]] = record.values[i];
      }
      if (!record.problem.empty()) {
        ++problems;
        std::cerr << "baro: " << SourceLocation{file, record.line, record.column}.to_string() << ": " << record.problem
                  << '\n';
        continue;
      }
      std::cout << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      ++shown;
    }
    std::optional<ColumnMapping> mapping;
    try {
      mapping = ColumnMapping::resolve(source, overrides);
    } catch (const Error&) {
      // inspect reports the format even when the mapping would be refused at import.
    }
    nlohmann::json info = describe_format(mapping ? &*mapping : nullptr);
    if (communes) info["communes"] = communes_json(*communes, *db_path);
    std::cerr << info.dump() << '\n';
    return 0;
  }

  std::cout << "file          " << file << " (" << group_thousands(static_cast<std::int64_t>(source.size_bytes)) << " bytes)\n"
            << "format        " << to_string(source.format) << '\n'
            << "encoding      " << to_string(source.encoding)
            << (source.encoding_forced ? " (forced)" : source.has_bom ? " (byte-order mark)" : " (detected)") << '\n';
  if (source.format == SourceFormat::kCsv) {
    std::cout << "delimiter     " << (source.delimiter == '\t' ? std::string("tab") : std::string(1, source.delimiter)) << '\n';
  }
  if (source.format == SourceFormat::kJsonArray && !source.records_pointer.empty()) {
    std::cout << "records at    " << source.records_pointer << " (an array inside the document)\n";
  }
  std::cout << "line endings  " << source.line_endings << '\n';
  std::vector<Record> first;
  while (reader->next(record)) {
    ++total;
    if (!record.problem.empty()) ++problems;
    if (static_cast<std::int64_t>(first.size()) < limit) first.push_back(record);
  }
  std::cout << "records       " << group_thousands(total);
  if (problems > 0) std::cout << " (" << group_thousands(problems) << " malformed)";
  std::cout << "\ncolumns       ";
  for (std::size_t i = 0; i < source.columns.size(); ++i) std::cout << (i ? " | " : "") << source.columns[i];
  std::cout << "\n\nmapping\n";
  try {
    const auto mapping = ColumnMapping::resolve(source, overrides);
    for (const auto& line : mapping.describe(source)) std::cout << "  " << line << '\n';
  } catch (const Error& e) {
    std::cout << "  " << e.message() << "\n  hint: " << e.hint() << '\n';
  }
  if (communes) print_communes(*communes, *db_path);
  for (const auto& r : first) {
    std::cout << "\nrecord " << r.number << " (line " << r.line << ")\n";
    if (!r.problem.empty()) {
      std::cout << "  error: " << r.problem << '\n';
      continue;
    }
    for (std::size_t i = 0; i < r.values.size() && i < source.columns.size(); ++i) {
      if (i < r.present.size() && !r.present[i]) continue;
      std::cout << "  " << source.columns[i] << ": " << nlohmann::json(r.values[i]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
  }
  return 0;
}

}  // namespace baro::cli
