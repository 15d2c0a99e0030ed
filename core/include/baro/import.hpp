// Importing a survey batch: read → normalise → classify → store, as one transaction.
//
// A batch is a file. Its records are mapped onto Baro's fields (description, commune, …)
// by column name — the canonical names, the usual French headers (descriptif, code_insee,
// annee…) or the user's own mapping — validated (a description, a known commune, a real
// year), classified by the rule engine and stored with their labels. If any record cannot
// be used, the batch is refused and the database is left exactly as it was, unless
// skip_bad is set: then the good records are imported and the bad ones written, with their
// line and reason, to a rejects file.
//
// Importing the same bytes again is a no-op that names the batch holding them (identity is
// the file's content hash); `replace` imports them again in place of the old batch.
//
// Labels go into a classification run (see store.hpp). If the latest run was made with the
// same rule set and classifiers, the new initiatives join it; otherwise a new run is
// started that classifies every stored initiative, so that a run always describes the
// whole database as it stood.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "baro/classifier.hpp"
#include "baro/ingest.hpp"
#include "baro/rules.hpp"
#include "baro/store.hpp"

namespace baro {

// The fields Baro knows. Every other column is kept verbatim as an extra attribute.
// A commune is given by `commune` (an INSEE code, or a name), `commune_name`, `department`
// and `postal_code`, in any combination; when a row has a code and a name, the code is the key
// and the name must agree with it (a postal code in the INSEE column is the classic error).
// When a file has both a code column and a name column, the code column feeds `commune`.
enum class Field { kId = 1, kDescription, kCommune, kCommuneName, kDepartment, kTitle, kYear, kRural, kPostalCode };
inline constexpr Field kAllFields[] = {Field::kId,          Field::kDescription, Field::kCommune,
                                       Field::kCommuneName, Field::kDepartment,  Field::kPostalCode,
                                       Field::kTitle,       Field::kYear,        Field::kRural};
std::string to_string(Field field);                          // "description", "commune", …
std::optional<Field> parse_field(std::string_view name);

// Which column feeds which field, decided once from a source's header.
class ColumnMapping {
 public:
  // `overrides` are the user's `--map FIELD=COLUMN` pairs. Throws baro::Error (kUsage for an
  // unknown field or column in `overrides`, kDataError for duplicate column names or a
  // missing description column), naming the file and listing the columns it has.
  static ColumnMapping resolve(const SourceInfo& source,
                               const std::vector<std::pair<std::string, std::string>>& overrides);
  std::optional<std::size_t> column(Field field) const;
  // Whether some field is read from column `column` (the others are kept as `extra`).
  bool maps(std::size_t column) const;
  // "description ← Descriptif (column 6)" lines, for `baro inspect`.
  std::vector<std::string> describe(const SourceInfo& source) const;
  std::string to_json(const SourceInfo& source) const;

 private:
  std::vector<std::pair<Field, std::size_t>> columns_;
};

struct ImportOptions {
  IngestOptions ingest;
  std::vector<std::pair<std::string, std::string>> column_map;  // FIELD=COLUMN overrides
  bool skip_bad = false;
  // Default: "<input>.rejects.csv" beside the input; a pipe or standard input has none, and
  // skip_bad without a rejects_path is then refused (kUsage). Written in French Excel's
  // dialect when the input was in it (a `;` CSV or a UTF-8 BOM), RFC 4180 with commas
  // otherwise; cells that a spreadsheet would run as formulas get a leading '.
  std::filesystem::path rejects_path;
  bool replace = false;
  // Imports the file in place of batch `replace_batch` (its initiatives leave every run),
  // in the same transaction: how a corrected export replaces the batch it corrects. 0: none.
  std::int64_t replace_batch = 0;
  // Threads that classify (docs/performance.md). 0: one per core; 1: everything, reading
  // and writing included, on the calling thread. From 2 on, reading and writing have a
  // thread each beside them: they cost less than classifying and spend time waiting, so
  // they share the cores rather than take one each. The result is the same whatever the number.
  unsigned threads = 0;
  // Called now and then, on the calling thread, with the records and bytes read so far (for a progress line).
  std::function<void(std::uint64_t records, std::uint64_t bytes)> progress;
};

struct ImportResult {
  bool already_present = false;    // the same content was imported before: nothing changed
  BatchInfo batch;                 // the batch imported, or the one already holding the content
  std::int64_t run_id = 0;
  bool new_run = false;            // a new run was started (rules or classifiers changed)
  std::int64_t reclassified = 0;   // initiatives of earlier batches classified into the new run
  std::int64_t rejected = 0;
  std::filesystem::path rejects_file;  // written only when rows were rejected
  std::int64_t replaced_batch = 0;     // with `replace` or `replace_batch`: the batch replaced, else 0
};

// Imports one file. Throws baro::Error; on any error the database is unchanged and no
// rejects file is left behind. A file whose records are already stored in another batch is
// refused (kDataError), never imported twice: records are the same when they have the same
// id, commune and year, or, in a file without an id column, the same description, commune
// and year. The
// message lists them and names the batch to replace (`replace_batch`).
ImportResult import_batch(Store& store, const RuleEngine& engine, const std::filesystem::path& file,
                          const ImportOptions& options);
// The same with a chain of classifiers (see classifier.hpp) instead of the rules engine alone.
ImportResult import_batch(Store& store, ClassifierChain& classifiers, const std::filesystem::path& file,
                          const ImportOptions& options);

// One record classified without touching any database (`baro classify --dry-run`).
struct DryRunResult {
  const Record& record;
  std::string id;           // the record's id, else its 1-based record number
  std::string description;  // empty when the record has a problem
  Classification classification;
};

// Reads and classifies `file`, calling `sink` for every record in input order. Only the
// description is required. Records with a problem are passed with `record.problem` set.
void classify_dry_run(const RuleEngine& engine, const std::filesystem::path& file, const ImportOptions& options,
                      const std::function<void(const DryRunResult&)>& sink);

// What an import of a file would make of its communes, found without importing anything
// (`baro inspect --db`): a user sees how many rows resolve, how many do not and why, before
// the import refuses the batch (or rejects those rows with --skip-bad).
struct CommuneCheck {
  struct Reason {
    std::string id;              // stable: "code_name_disagree", "unknown_name"…
    std::string what;            // what the reason means, e.g. "a name several communes bear"
    std::uint64_t rows = 0;
    std::uint64_t first_line = 0;  // of the first such row
    std::string first_problem;     // that row's message, as the import gives it
  };
  std::uint64_t records = 0;         // read from the file
  std::uint64_t resolved = 0;        // whose commune resolves
  std::uint64_t other_problems = 0;  // refused before their commune is looked at (a malformed record, no description…)
  std::vector<Reason> unresolved;    // one per reason, most rows first
};

// Reads `file` as `classify` would (same options, same mapping) and resolves each row's
// commune against the reference `store` holds. Throws what the import throws before its
// first record (unreadable file, no description column, no reference: run `baro init`).
CommuneCheck check_communes(const Store& store, const std::filesystem::path& file, const ImportOptions& options);

}  // namespace baro
