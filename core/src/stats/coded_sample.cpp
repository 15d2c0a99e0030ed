// `baro validate`: reading a coded sample back, storing its codes, measuring it.
#include "stats/coded_sample.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <map>
#include <set>

#include "baro/ingest.hpp"
#include "lifecycle/corpus.hpp"
#include "store/sqlite_errors.hpp"

namespace baro {
namespace fs = std::filesystem;

namespace stats {

std::size_t RunCategories::index_of(const std::string& id) const {
  const auto it = std::find(ids.begin(), ids.end(), id);
  return it == ids.end() ? none() : static_cast<std::size_t>(it - ids.begin());
}

RunCategories run_categories(SQLite::Database& db, std::int64_t run_id) {
  RunCategories out;
  SQLite::Statement q(db, "SELECT domain, label FROM run_domains WHERE run_id = ? ORDER BY position");
  q.bind(1, run_id);
  while (q.executeStep()) {
    out.ids.push_back(q.getColumn(0).getString());
    out.labels.push_back(q.getColumn(1).getString());
  }
  out.ids.emplace_back();
  out.labels.emplace_back("Non classé");
  return out;
}

MeasuredSample measure_sample(std::int64_t run_id, const RunCategories& categories, const store::StoredSample& sample) {
  const std::size_t k = categories.ids.size();
  MeasuredSample out;
  std::vector<std::int64_t> stratum_sizes(k, 0);
  for (const auto& s : sample.strata) stratum_sizes[categories.index_of(s.predicted)] += s.initiatives;
  for (const auto& item : sample.items) {
    if (!item.gold) continue;
    CodedRow row;
    row.predicted = categories.index_of(item.predicted);
    row.gold = categories.index_of(*item.gold);
    if (item.gold_2) row.gold_2 = categories.index_of(*item.gold_2);
    out.rows.push_back(row);
  }
  const ConfusionFigures c = measure_confusion(k, stratum_sizes, out.rows);
  ValidationFigures& f = out.figures;
  f.run_id = run_id;
  f.sampled = static_cast<std::int64_t>(sample.items.size());
  f.coded = c.coded;
  f.correct = c.correct;
  f.accuracy = c.coded > 0 ? static_cast<double>(c.correct) / static_cast<double>(c.coded) : 0.0;
  f.accuracy_ci95 = wilson_interval(static_cast<std::uint64_t>(c.correct), static_cast<std::uint64_t>(c.coded));
  f.weighted_accuracy = c.weighted_accuracy;
  f.double_coded = c.double_coded;
  f.kappa = c.kappa;
  for (std::size_t i = 0; i < k; ++i) {
    f.domains.push_back({categories.ids[i], categories.labels[i], c.predicted[i], c.gold[i], c.correct_by_category[i],
                         c.precision[i], c.recall[i]});
  }
  return out;
}

}  // namespace stats

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

// Reads the codes of a sample file, checking each against the run's categories and sample.
class CodeReader {
 public:
  CodeReader(const fs::path& file, const stats::RunCategories& categories, const store::StoredSample& sample)
      : file_(file), categories_(categories) {
    for (std::size_t i = 0; i < sample.items.size(); ++i) item_of_[sample.items[i].initiative_id] = i;
    for (const auto& id : categories.ids) {
      if (!id.empty()) valid_codes_ += id + ", ";
    }
    valid_codes_ += kNoDomainCode;
  }

  // The coded rows of the file, as sample items (id and codes), in file order.
  std::vector<store::SampleItemRow> read(const store::StoredSample& sample) {
    const auto reader = RecordReader::open(file_);
    const auto& columns = reader->source().columns;
    // `baro sample` writes French names (kSampleColumns); files drawn before it did have the
    // English ones (gold, gold_2, also, predicted): both are read, and messages use the
    // file's own name for a column.
    const auto column = [&](std::initializer_list<const char*> names) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < columns.size(); ++i) {
        for (const char* name : names) {
          if (lower(trim(columns[i])) == name) return i;
        }
      }
      return std::nullopt;
    };
    const auto id_column = column({"id"}), gold_column = column({"codage", "gold"});
    if (!id_column || !gold_column) {
      throw data_error(std::string("the file has no `") + (id_column ? "codage" : "id") + "` column", {file_.string(), 1},
                       "read back the file `baro sample` wrote, with its header line: " + std::string(kSampleHeader));
    }
    const auto gold_2_column = column({"codage_2", "gold_2"}), also_column = column({"autres_domaines", "also"});
    const auto predicted_column = column({"domaine_predit", "predicted"});
    const auto name_of = [&](const std::optional<std::size_t>& c) { return c ? trim(columns[*c]) : std::string(); };
    gold_name_ = name_of(gold_column);
    std::vector<store::SampleItemRow> out;
    std::set<std::int64_t> seen;
    Record record;
    while (reader->next(record)) {
      const SourceLocation where{file_.string(), record.line};
      if (!record.problem.empty()) throw data_error(record.problem, {file_.string(), record.line, record.column});
      const auto value = [&](const std::optional<std::size_t>& c) {
        return c && *c < record.values.size() ? trim(record.values[*c]) : std::string();
      };
      const std::string id_text = value(id_column);
      std::int64_t id = 0;
      std::size_t used = 0;
      try {
        id = std::stoll(id_text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (id_text.empty() || used != id_text.size()) {
        throw data_error("`id` is \"" + id_text + "\", not an initiative id", where,
                         "keep the `id` column as `baro sample` wrote it");
      }
      const auto item = item_of_.find(id);
      if (item == item_of_.end()) {
        throw data_error("initiative " + id_text + " is not in the validation sample of run " +
                             std::to_string(run_id_of_sample_) + "",
                         where, "was this file drawn from another run? `baro validate --run N` names the run");
      }
      if (!seen.insert(id).second) throw data_error("initiative " + id_text + " appears twice", where);
      const auto& stored = sample.items[item->second];
      if (predicted_column) {
        const std::string written = lower(value(predicted_column));
        const std::string expected = stored.predicted.empty() ? kNoDomainCode : stored.predicted;
        if (written != expected) {
          throw data_error("`" + name_of(predicted_column) + "` is \"" + written + "\" but run " + std::to_string(run_id_of_sample_) +
                               " classified initiative " + id_text + " as \"" + expected + "\"",
                           where, "was this file drawn from another run? `baro validate --run N` names the run");
        }
      }
      store::SampleItemRow row;
      row.initiative_id = id;
      row.gold = code(value(gold_column), where, gold_name_);
      if (!row.gold) continue;  // not coded yet
      row.gold_2 = code(value(gold_2_column), where, name_of(gold_2_column));
      std::string also, word;
      const auto flush = [&] {
        if (word.empty()) return;
        const auto c = code(word, where, name_of(also_column));
        word.clear();
        if (c && !c->empty()) also += (also.empty() ? "" : " ") + *c;
      };
      for (char ch : value(also_column)) {
        if (ch == ';' || ch == ',' || ch == '|' || ch == ' ' || ch == '\t') flush();
        else word += ch;
      }
      flush();
      row.also = also;
      out.push_back(std::move(row));
    }
    return out;
  }

  void set_run(std::int64_t run) { run_id_of_sample_ = run; }
  // The coding column's name as the file spells it ("codage", or "gold" in older files).
  const std::string& gold_name() const { return gold_name_; }

 private:
  // A code as stored: the domain id, "" for kNoDomainCode, nullopt for an empty cell.
  std::optional<std::string> code(const std::string& text, const SourceLocation& where, const std::string& column) const {
    const std::string value = lower(trim(text));
    if (value.empty()) return std::nullopt;
    if (value == kNoDomainCode) return std::string();
    for (const auto& id : categories_.ids) {
      if (!id.empty() && lower(id) == value) return id;
    }
    throw data_error("unknown domain \"" + trim(text) + "\" in column `" + column + "`", where,
                     "the codes are: " + valid_codes_ + " (an empty `" + gold_name_ + "`: not coded yet)");
  }

  fs::path file_;
  const stats::RunCategories& categories_;
  std::map<std::int64_t, std::size_t> item_of_;
  std::string valid_codes_;
  std::int64_t run_id_of_sample_ = 0;
  std::string gold_name_ = "codage";
};

}  // namespace

ValidationFigures validate_sample(Store& store, const fs::path& file, const ValidateOptions& options) {
  auto& db = store.database();
  const RunInfo run = lifecycle::require_run_or_latest(store, options.run_id);
  std::optional<store::StoredSample> sample;
  stats::RunCategories categories;
  try {
    sample = store::load_sample(db, run.id);
    categories = stats::run_categories(db, run.id);
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "reading the validation sample");
  }
  if (!sample) {
    throw data_error("run " + std::to_string(run.id) + " has no validation sample", {store.path().string()},
                     "draw one with `baro sample --run " + std::to_string(run.id) +
                         " --size 200 --out FILE`, code it, then read it back");
  }
  CodeReader reader(file, categories, *sample);
  reader.set_run(run.id);
  const auto coded = reader.read(*sample);
  if (coded.empty()) {
    throw data_error("no row is coded: every `" + reader.gold_name() + "` is empty", {file.string()},
                     "write in `" + reader.gold_name() + "` the code of each description's domain (the codes are in the .domaines.csv file "
                     "beside the sample), or " + std::string(kNoDomainCode) + " when none fits");
  }
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    store::save_codes(db, run.id, coded);
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "storing the codes");
  }
  // Measured from the codes as stored, the way the report reads them.
  std::map<std::int64_t, const store::SampleItemRow*> by_id;
  for (const auto& row : coded) by_id[row.initiative_id] = &row;
  for (auto& item : sample->items) {
    const auto it = by_id.find(item.initiative_id);
    item.gold = it == by_id.end() ? std::nullopt : it->second->gold;
    item.gold_2 = it == by_id.end() ? std::nullopt : it->second->gold_2;
  }
  return stats::measure_sample(run.id, categories, *sample).figures;
}

}  // namespace baro
