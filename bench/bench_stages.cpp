// baro_bench_stages: times each stage of an import on its own, so that `make bench` can put
// Baro's end-to-end figure next to the limits the hardware and the libraries allow.
//
//   baro_bench_stages --input FILE --rules DIR --reference DIR [--reps N] [--stage NAME]...
//
// Every stage runs `--reps` times and prints one JSON object per line on stdout:
//   {"stage": "classify", "items": 100000, "bytes": 31234567, "seconds": [0.91, 0.90, 0.93]}
// The inputs of a stage are prepared outside the timed region (descriptions held in memory,
// texts folded in advance for the bare scans, classifications computed in advance for the
// bare inserts), so each figure is the cost of that stage alone. Stages that scan build a
// fresh scanner for every repetition: an import makes a single pass over cold caches, and a
// warm-cache figure would flatter it.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "baro/classifier.hpp"
#include "baro/error.hpp"
#include "baro/import.hpp"
#include "baro/ingest.hpp"
#include "baro/normalize.hpp"
#include "baro/plugins.hpp"
#include "baro/rules.hpp"
#include "baro/store.hpp"
#include "import/commune_resolver.hpp"
#include "rules/patterns.hpp"

namespace fs = std::filesystem;

namespace {

struct Row {
  std::string source_id;
  std::string commune;  // resolved code
  std::string description;
  std::string title;
  std::int64_t year = 0;
};

struct Options {
  fs::path input, rules, reference, work_dir = fs::temp_directory_path();
  int reps = 3;
  std::int64_t regex_mem_mb = 0;  // 0: the rule set's default
  std::vector<std::string> stages;
};

using Clock = std::chrono::steady_clock;

// Wall-clock and CPU time of a timed region. The machine is often shared: CPU seconds say
// what a stage costs, wall seconds what a user waits.
struct Timing {
  double wall = 0.0;
  double cpu = 0.0;
};

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

class Stopwatch {
 public:
  Stopwatch() : wall_(Clock::now()), cpu_(process_cpu_seconds()) {}
  Timing elapsed() const {
    return {std::chrono::duration<double>(Clock::now() - wall_).count(), process_cpu_seconds() - cpu_};
  }

 private:
  Clock::time_point wall_;
  double cpu_;
};

void report(const std::string& stage, std::size_t items, std::uint64_t bytes, const std::vector<Timing>& timings,
            const std::string& note = {}) {
  std::cout << "{\"stage\": \"" << stage << "\", \"items\": " << items << ", \"bytes\": " << bytes
            << ", \"seconds\": [";
  for (std::size_t i = 0; i < timings.size(); ++i) std::cout << (i ? ", " : "") << timings[i].wall;
  std::cout << "], \"cpu_seconds\": [";
  for (std::size_t i = 0; i < timings.size(); ++i) std::cout << (i ? ", " : "") << timings[i].cpu;
  std::cout << "]";
  if (!note.empty()) std::cout << ", \"note\": \"" << note << "\"";
  std::cout << "}" << std::endl;
}

template <typename F>
std::vector<Timing> repeat(int reps, F&& body) {
  std::vector<Timing> out;
  for (int r = 0; r < reps; ++r) out.push_back(body());
  return out;
}

std::unique_ptr<baro::Store> fresh_store(const fs::path& path, const fs::path& reference, const char* journal) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path.string() + suffix);
  auto store = baro::Store::open(path, {baro::OpenMode::kCreate});
  store->load_reference(reference);
  store->database().exec(std::string("PRAGMA journal_mode = ") + journal);
  return store;
}

// The rows of the same schema an import writes: the batch, its initiatives, the run, one
// classification and one label row per domain, with prepared statements. `rows_per_txn` 0
// means one transaction for everything (what an import does: a batch is atomic).
Timing bare_insert(baro::Store& store, const baro::RuleSet& rules, const std::vector<Row>& rows,
                   const std::vector<baro::Classification>& labels, std::size_t rows_per_txn) {
  auto& db = store.database();
  const Stopwatch watch;
  db.exec("BEGIN IMMEDIATE");
  db.exec(
      "INSERT INTO batches (source, content_hash, format, encoding, column_map, records, imported, rejected, "
      "imported_at) VALUES ('bench', 'bench', 'csv', 'utf-8', '{}', 0, 0, 0, 'now')");
  const std::int64_t batch = db.getLastInsertRowid();
  db.exec(
      "INSERT INTO runs (ruleset_id, ruleset_version, ruleset_hash, classifiers, engine_version, created_at) VALUES "
      "('bench', '0', 'bench', '[]', '0', 'now')");
  const std::int64_t run = db.getLastInsertRowid();
  SQLite::Statement initiative(db,
                               "INSERT INTO initiatives (batch_id, record_no, line, source_id, commune_code, title, "
                               "description, year, rural, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement classification(db,
                                   "INSERT INTO classifications (run_id, initiative_id, primary_domain) VALUES (?, ?, ?)");
  SQLite::Statement label(db, "INSERT INTO labels (run_id, initiative_id, domain, score, rules) VALUES (?, ?, ?, ?, ?)");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    initiative.bind(1, batch);
    initiative.bind(2, static_cast<std::int64_t>(i + 1));
    initiative.bind(3, static_cast<std::int64_t>(i + 2));
    initiative.bind(4, row.source_id);
    initiative.bind(5, row.commune);
    if (row.title.empty()) initiative.bind(6); else initiative.bind(6, row.title);
    initiative.bind(7, row.description);
    if (row.year) initiative.bind(8, row.year); else initiative.bind(8);
    initiative.bind(9);
    initiative.bind(10);
    initiative.exec();
    initiative.reset();
    const std::int64_t id = db.getLastInsertRowid();
    const baro::Classification& c = labels[i];
    classification.bind(1, run);
    classification.bind(2, id);
    if (c.primary) classification.bind(3, rules.domains()[*c.primary].id); else classification.bind(3);
    classification.exec();
    classification.reset();
    for (const auto& d : c.domains) {
      std::string fired;
      for (std::size_t r : d.rules) fired += (fired.empty() ? "" : " ") + rules.rules()[r].id;
      label.bind(1, run);
      label.bind(2, id);
      label.bind(3, rules.domains()[d.domain].id);
      label.bind(4, d.score);
      label.bind(5, fired);
      label.exec();
      label.reset();
    }
    if (rows_per_txn != 0 && (i + 1) % rows_per_txn == 0) {
      db.exec("COMMIT");
      db.exec("BEGIN IMMEDIATE");
    }
  }
  db.exec("COMMIT");
  return watch.elapsed();
}

int run(const Options& options) {
  baro::RuleSetOptions rule_options;
  if (options.regex_mem_mb > 0) rule_options.max_mem_bytes = options.regex_mem_mb << 20;
  const auto rules = baro::RuleSet::load(options.rules, rule_options);
  const auto wants = [&](const std::string& stage) {
    return options.stages.empty() || std::find(options.stages.begin(), options.stages.end(), stage) != options.stages.end();
  };
  const std::uint64_t file_bytes = fs::file_size(options.input);

  // Reading + parsing alone: the pre-scan (encoding, content hash) and the record stream.
  if (wants("parse")) {
    std::size_t records = 0;
    const auto seconds = repeat(options.reps, [&] {
      const Stopwatch watch;
      auto reader = baro::RecordReader::open(options.input);
      baro::Record record;
      records = 0;
      while (reader->next(record)) ++records;
      return watch.elapsed();
    });
    report("parse", records, file_bytes, seconds);
  }

  // The rows themselves, mapped as an import maps them, for the stages below.
  std::vector<Row> rows;
  std::uint64_t description_bytes = 0;
  {
    fs::path db_path = options.work_dir / "baro-bench-ref.db";
    auto store = fresh_store(db_path, options.reference, "wal");
    const baro::CommuneResolver communes(*store);
    auto reader = baro::RecordReader::open(options.input);
    const auto mapping = baro::ColumnMapping::resolve(reader->source(), {});
    const auto column = [&](const baro::Record& r, baro::Field f) -> std::string {
      const auto i = mapping.column(f);
      return i && *i < r.values.size() ? r.values[*i] : std::string();
    };
    baro::Record record;
    while (reader->next(record)) {
      Row row;
      row.source_id = column(record, baro::Field::kId);
      row.description = column(record, baro::Field::kDescription);
      row.title = column(record, baro::Field::kTitle);
      const std::string year = column(record, baro::Field::kYear);
      row.year = year.empty() ? 0 : std::atoll(year.c_str());
      row.commune = communes
                        .resolve(column(record, baro::Field::kCommune), column(record, baro::Field::kCommuneName),
                                 column(record, baro::Field::kDepartment))
                        .code;
      description_bytes += row.description.size();
      rows.push_back(std::move(row));
    }
    store.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_path.string() + suffix);
  }

  if (wants("fold")) {
    std::size_t sink = 0;
    const auto seconds = repeat(options.reps, [&] {
      const Stopwatch watch;
      for (const auto& row : rows) sink += baro::fold(row.description).size();
      return watch.elapsed();
    });
    report("fold", rows.size(), description_bytes, seconds);
    if (sink == 0) std::cerr << "nothing folded\n";
  }

  std::vector<std::string> folded;
  folded.reserve(rows.size());
  for (const auto& row : rows) folded.push_back(baro::fold(row.description));

  // The classification stage as an import runs it: fold + classify, one thread, a fresh
  // engine (cold DFA cache) per repetition.
  std::vector<baro::Classification> labels;
  if (wants("classify") || wants("insert") || wants("insert-variants")) {
    const int reps = wants("classify") ? options.reps : 1;
    const auto seconds = repeat(reps, [&] {
      const baro::RuleEngine engine(*rules);
      labels.clear();
      labels.reserve(rows.size());
      const Stopwatch watch;
      for (const auto& row : rows) labels.push_back(engine.classify(baro::fold(row.description)));
      return watch.elapsed();
    });
    if (wants("classify")) report("classify", rows.size(), description_bytes, seconds);
  }

  // The same stage with the Hyperscan plugin instead of the rules (fold + plugin call +
  // Hyperscan scans + RE2 confirmations), when the build has it: a fresh instance per
  // repetition, its compiled database read from the cache as an import does after the
  // first run.
  if (wants("classify-hyperscan")) {
    const auto registry = baro::PluginRegistry::load();
    const auto& plugins = registry->plugins();
    const bool present = std::any_of(plugins.begin(), plugins.end(), [](const baro::PluginInfo& p) {
      return p.name == "hyperscan" && p.loaded && p.kind == baro::PluginKind::kClassifier;
    });
    if (!present) {
      std::cerr << "baro_bench_stages: no hyperscan plugin in this build; stage classify-hyperscan skipped\n";
    } else {
      const baro::RuleEngine engine(*rules);
      const auto seconds = repeat(options.reps, [&] {
        std::vector<std::unique_ptr<baro::Classifier>> members;
        members.push_back(registry->make_classifier("hyperscan", {}, engine));
        baro::ClassifierChain chain(*rules, std::move(members));
        baro::ClassifierChain::Result result;
        const Stopwatch watch;
        for (const auto& row : rows) chain.classify(row.description, result);
        return watch.elapsed();
      });
      report("classify-hyperscan", rows.size(), description_bytes, seconds);
    }
  }

  // The scan limit: the engine's own RE2::Set (every keyword in its padded form, and the
  // FilteredRE2 atoms of the regex patterns) matched once over every padded text, and
  // nothing else: no regex confirmation, no scoring.
  if (wants("scan-re2set")) {
    std::vector<std::string> padded;
    padded.reserve(folded.size());
    for (const auto& text : folded) padded.push_back(" " + text + " ");
    const auto seconds = repeat(options.reps, [&] {
      const RE2::Options re2_options = baro::rules::pattern_options(rules->options());
      RE2::Set set(re2_options, RE2::UNANCHORED);
      re2::FilteredRE2 filtered(2);
      for (const auto& rule : rules->rules()) {
        int id = 0;
        for (const auto& k : rule.keywords) set.Add(baro::rules::padded_keyword_pattern(k), nullptr);
        if (rule.keywords.empty()) filtered.Add(rule.pattern, re2_options, &id);
        for (const auto& k : rule.unless_regex.empty() ? rule.unless : std::vector<std::string>{})
          set.Add(baro::rules::padded_keyword_pattern(k), nullptr);
        if (!rule.unless_regex.empty()) filtered.Add(rule.veto_pattern, re2_options, &id);
      }
      std::vector<std::string> atoms;
      if (filtered.NumRegexps() > 0) filtered.Compile(&atoms);
      for (const auto& atom : atoms) set.Add("(?i)" + RE2::QuoteMeta(atom), nullptr);
      if (!set.Compile()) throw baro::internal_error("the bare RE2::Set does not compile");
      std::vector<int> hits;
      const Stopwatch watch;
      for (const auto& text : padded) {
        RE2::Set::ErrorInfo error{};
        if (!set.Match(text, &hits, &error) && error.kind != RE2::Set::kNoError)
          throw baro::internal_error("RE2::Set failed during the bare scan");
      }
      return watch.elapsed();
    });
    report("scan-re2set", rows.size(), description_bytes, seconds);
  }

  const fs::path db_path = options.work_dir / "baro-bench-insert.db";
  if (wants("insert")) {
    std::vector<Timing> seconds;
    for (int r = 0; r < options.reps; ++r) {
      auto store = fresh_store(db_path, options.reference, "wal");
      seconds.push_back(bare_insert(*store, *rules, rows, labels, 0));
    }
    report("insert", rows.size(), description_bytes, seconds, "WAL, one transaction");
  }
  if (wants("insert-variants")) {
    struct Variant {
      const char* name;
      const char* journal;
      std::size_t rows_per_txn;
    };
    for (const Variant& v : {Variant{"insert-delete-journal", "delete", 0}, Variant{"insert-wal-10k", "wal", 10000}}) {
      std::vector<Timing> seconds;
      for (int r = 0; r < options.reps; ++r) {
        auto store = fresh_store(db_path, options.reference, v.journal);
        seconds.push_back(bare_insert(*store, *rules, rows, labels, v.rows_per_txn));
      }
      report(v.name, rows.size(), description_bytes, seconds);
    }
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db_path.string() + suffix);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) {
        std::cerr << "baro_bench_stages: " << args[i] << " needs a value\n";
        std::exit(64);
      }
      return args[++i];
    };
    if (args[i] == "--input") options.input = value();
    else if (args[i] == "--rules") options.rules = value();
    else if (args[i] == "--reference") options.reference = value();
    else if (args[i] == "--work-dir") options.work_dir = value();
    else if (args[i] == "--reps") options.reps = std::max(1, std::atoi(value().c_str()));
    else if (args[i] == "--regex-mem-mb") options.regex_mem_mb = std::atoll(value().c_str());
    else if (args[i] == "--stage") options.stages.push_back(value());
    else {
      std::cerr << "usage: baro_bench_stages --input FILE --rules DIR --reference DIR [--work-dir DIR] [--reps N]\n"
                   "                         [--regex-mem-mb N] [--stage parse|fold|classify|classify-hyperscan|scan-re2set|insert|"
                   "insert-variants]...\n";
      return 64;
    }
  }
  if (options.input.empty() || options.rules.empty() || options.reference.empty()) {
    std::cerr << "baro_bench_stages: --input, --rules and --reference are required\n";
    return 64;
  }
  try {
    return run(options);
  } catch (const baro::Error& e) {
    std::cerr << "baro_bench_stages: " << e.describe() << '\n';
    return static_cast<int>(e.code());
  } catch (const SQLite::Exception& e) {
    std::cerr << "baro_bench_stages: SQLite: " << e.getErrorStr() << '\n';
    return 70;
  }
}
