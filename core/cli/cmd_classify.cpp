#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <limits>

#include "baro/error.hpp"
#include "baro/import.hpp"
#include "baro/normalize.hpp"
#include "baro/plugins.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

ImportOptions import_options(const po::variables_map& vm) {
  ImportOptions options;
  SourceReading reading = source_reading(vm);
  options.ingest = reading.ingest;
  options.ingest.max_field_bytes = vm["max-field-bytes"].as<std::size_t>();
  options.column_map = std::move(reading.column_map);
  return options;
}

nlohmann::json dry_run_json(const DryRunResult& r, const RuleSet& rules) {
  nlohmann::json out;
  out["id"] = r.id;
  out["record"] = r.record.number;
  out["line"] = r.record.line;
  if (!r.record.problem.empty()) {
    out["primary"] = nullptr;
    out["domains"] = nlohmann::json::array();
    out["rules"] = nlohmann::json::array();
    out["error"] = r.record.problem;
    return out;
  }
  const auto& c = r.classification;
  out["primary"] = c.primary ? nlohmann::json(rules.domains()[*c.primary].id) : nlohmann::json(nullptr);
  out["domains"] = nlohmann::json::array();
  out["scores"] = nlohmann::json::object();
  for (const auto& d : c.domains) {
    out["domains"].push_back(rules.domains()[d.domain].id);
    out["scores"][rules.domains()[d.domain].id] = d.score;
  }
  out["rules"] = nlohmann::json::array();
  for (std::size_t i : c.fired) out["rules"].push_back(rules.rules()[i].id);
  return out;
}

}  // namespace

int run_classify(const Args& args) {
  CommonPaths paths;
  std::vector<std::string> files;
  ClassifierChainSpec chain_spec;
  std::string rejects;
  std::int64_t regex_mem_mb = 0;
  std::int64_t threads = 0;
  po::options_description options("options");
  add_db_option(options, paths);
  add_rules_option(options, paths);
  options.add_options()
      ("file", po::value(&files)->composing(), "survey batch files (CSV, JSONL or JSON)")
      ("dry-run", "classify without storing anything (only the description is required)")
      ("json", "with --dry-run: one JSON object per record on stdout")
      ("skip-bad", "import the usable records and write the others to a rejects file")
      ("rejects", po::value(&rejects)->value_name("FILE"), "where --skip-bad writes rejected records (default: FILE.rejects.csv; needed for - and pipes)")
      ("replace", "import again a batch whose content was imported before, replacing it")
      ("replace-batch", po::value<std::int64_t>()->value_name("ID"),
       "import FILE in place of batch ID (a corrected export), in one transaction; `baro batches list` shows the ids")
      ("max-field-bytes", po::value<std::size_t>()->default_value(1u << 20), "longest field accepted")
      ("regex-mem-mb", po::value(&regex_mem_mb)->default_value(256), "RE2 memory budget for the rules, in MiB")
      ("threads", po::value(&threads)->default_value(0)->value_name("N"),
       "threads classifying at once, reading and writing beside them (0: one per core; 1: one thread in all; the labels are the same)");
  add_source_reading_options(options);
  add_classifier_chain_options(options, chain_spec);
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (!parse("classify", "[OPTIONS] FILE...",
             "Imports each FILE as one batch (all of it or nothing) and classifies its\n"
             "initiatives with the rule set. Importing the same content twice is a no-op.\n"
             "FILE may be - (standard input) or a pipe: it is copied to a temporary file first\n"
             "(TMPDIR), and named /dev/stdin in messages.",
             options, positional, args, vm))
    return 0;
  if (files.empty()) throw usage_error("baro classify: no file given", "usage: baro classify [OPTIONS] FILE...");
  // `-` is standard input, read (like a pipe) into a temporary file first: it can be given once.
  if (std::count(files.begin(), files.end(), "-") > 1) {
    throw usage_error("standard input (-) is given twice: it can be read only once", "give - once");
  }
  for (auto& file : files) {
    if (file == "-") file = "/dev/stdin";
  }
  if (rejects == "-") {
    throw usage_error("--rejects -: standard output carries the import's summary", "name a file, e.g. --rejects rejets.csv");
  }
  if (vm.count("json") && !vm.count("dry-run")) {
    throw usage_error("--json goes with --dry-run", "a real import prints a summary; use `baro report --format json`");
  }
  check_range("regex-mem-mb", regex_mem_mb, 1, 65536, "the RE2 memory budget for the rules, in MiB");
  ImportOptions import = import_options(vm);
  import.skip_bad = vm.count("skip-bad") > 0;
  import.replace = vm.count("replace") > 0;
  if (vm.count("replace-batch")) {
    import.replace_batch = vm["replace-batch"].as<std::int64_t>();
    check_range("replace-batch", import.replace_batch, 1, std::numeric_limits<std::int64_t>::max(), "a batch id");
    if (files.size() > 1) throw usage_error("--replace-batch replaces one batch with one file", "give one FILE");
    if (vm.count("dry-run")) throw usage_error("--replace-batch writes to the database", "drop --dry-run");
  }
  import.rejects_path = rejects;
  import.threads = checked_threads(threads);
  if (!rejects.empty() && files.size() > 1) {
    throw usage_error("--rejects names one file but several batches are given", "import them one at a time");
  }

  const auto rules = load_rules(paths, regex_mem_mb);
  const RuleEngine engine(*rules);
  const bool rules_only = chain_spec.rules_only();

  if (vm.count("dry-run")) {
    if (!rules_only) {
      throw usage_error("--dry-run classifies with the built-in rules only",
                        "drop --classifier, or import into a scratch database (--db /tmp/scratch.db)");
    }
    const bool json = vm.count("json") > 0;
    for (const auto& file : files) {
      classify_dry_run(engine, file, import, [&](const DryRunResult& r) {
        if (json) {
          std::cout << dry_run_json(r, *rules).dump() << '\n';
          return;
        }
        std::cout << r.id << '\t';
        if (!r.record.problem.empty()) {
          std::cout << "error: " << r.record.problem << '\n';
          return;
        }
        const auto& c = r.classification;
        std::cout << (c.primary ? rules->domains()[*c.primary].id : "-");
        for (const auto& d : c.domains) {
          if (c.primary && d.domain == *c.primary) continue;
          std::cout << ' ' << rules->domains()[d.domain].id;
        }
        std::cout << '\n';
      });
    }
    return 0;
  }

  // The chain: plugins are loaded and their instances created before the database is
  // opened for writing, so that a broken plugin or option changes nothing.
  std::unique_ptr<PluginRegistry> registry;
  const auto chain = build_classifier_chain(chain_spec, engine, registry);

  auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadWrite));
  const bool progress = stderr_is_terminal();
  for (const auto& file : files) {
    if (progress) {
      import.progress = [&file](std::uint64_t records, std::uint64_t) {
        std::cerr << "\r" << file << ": " << group_thousands(static_cast<std::int64_t>(records)) << " records…" << std::flush;
      };
    }
    const ImportResult result = import_batch(*store, *chain, file, import);
    if (progress) std::cerr << "\r\033[K" << std::flush;
    if (result.already_present) {
      std::cout << "baro: " << file << " is already imported as batch " << result.batch.id << " (from "
                << result.batch.source << ", " << result.batch.imported_at
                << "); nothing to do (--replace imports it again)\n";
      continue;
    }
    std::cout << "baro: imported " << file << " as batch " << result.batch.id << ": "
              << group_thousands(result.batch.imported) << " initiatives";
    if (result.rejected > 0) {
      std::cout << ", " << group_thousands(result.rejected) << " rejected (see " << result.rejects_file.string() << ")";
    }
    if (result.replaced_batch > 0) std::cout << ", replacing batch " << result.replaced_batch;
    std::cout << "; run " << result.run_id << " (rules " << rules->id() << ' ' << rules->version();
    if (!rules_only) {
      std::cout << ", classifiers";
      for (const auto& c : chain->identities()) std::cout << ' ' << c.name << ' ' << c.version;
    }
    std::cout << ')';
    if (result.new_run && result.reclassified > 0) {
      std::cout << ", a new run that also classified " << group_thousands(result.reclassified)
                << " initiatives of earlier batches";
    }
    std::cout << '\n';
  }
  return 0;
}

}  // namespace baro::cli
