// The `baro` command line: a thin layer over the engine. Each command lives in its own
// cmd_*.cpp and is listed once in main.cpp; this header holds what they share.
#pragma once

#include <boost/program_options.hpp>

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "baro/classifier.hpp"
#include "baro/ingest.hpp"
#include "baro/plugins.hpp"
#include "baro/rules.hpp"
#include "baro/store.hpp"

namespace baro::cli {

namespace po = boost::program_options;

using Args = std::vector<std::string>;

struct Command {
  const char* name;
  const char* summary;
  std::function<int(const Args&)> run;
};

// Commands with subcommands (`baro runs list`, `baro rules stats`): each subcommand is a
// Command of its own, in its own file; this runs the one named by args[0], and prints the
// list for --help or a missing name (an unknown name is a usage error).
int dispatch_subcommand(const char* command, const char* summary, const std::vector<Command>& subcommands,
                        const Args& args);

// --db (with --busy-timeout-ms) and --rules, with their defaults (BARO_DB or ./baro.db; the
// bundled French rules).
struct CommonPaths {
  std::string db;
  std::string rules;
  int busy_timeout_ms = StoreOptions{}.busy_timeout_ms;
  // What every command opens the database with: `mode` and the user's busy timeout.
  StoreOptions store_options(OpenMode mode) const { return {mode, busy_timeout_ms}; }
};
void add_db_option(po::options_description& options, CommonPaths& paths);
// The database when --db is not given: $BARO_DB, else ./baro.db.
std::string default_db_path();
void add_rules_option(po::options_description& options, CommonPaths& paths);

// How to read a survey file, as `classify` and `inspect` take it: --encoding, --format,
// --delimiter and --map FIELD=COLUMN (repeatable). Unknown values are usage errors that list
// the accepted ones.
struct SourceReading {
  IngestOptions ingest;
  std::vector<std::pair<std::string, std::string>> column_map;
};
void add_source_reading_options(po::options_description& options);
SourceReading source_reading(const po::variables_map& vm);

// Parses `args` for command `name`; prints help and returns false when --help was given.
// Throws baro::Error (kUsage) with the parser's complaint and where to read more.
// `positional` names the bare arguments. With `unregistered`, the arguments the command does
// not know are collected there instead of refused, and `positional` is null: Boost refuses
// any bare argument a positional description does not name, and a bare argument may be the
// value of a plugin's option.
bool parse_command_line(const char* name, const char* synopsis, const char* description,
                        const po::options_description& options, const po::positional_options_description* positional,
                        const Args& args, po::variables_map& vm, std::vector<std::string>* unregistered);
// Refuses a numeric option outside [min, max] (exit 64), naming the option, the value, the
// range and what the option means: a value out of range must never reach the engine (a
// negative thread count wraps to four billion threads).
void check_range(const char* option, std::int64_t value, std::int64_t min, std::int64_t max, const char* meaning);
// Threads for classify and reclassify: 0 (one per core) or 1 to kMaxThreads.
inline constexpr std::int64_t kMaxThreads = 256;
unsigned checked_threads(std::int64_t value);
// parse_command_line() for a command that knows all its arguments.
bool parse(const char* name, const char* synopsis, const char* description, const po::options_description& options,
           const po::positional_options_description& positional, const Args& args, po::variables_map& vm);

// Where the bundled data lives: <prefix>/share/baro, found from the executable's location
// (the build tree mirrors the install tree); BARO_DATA_DIR overrides it.
std::filesystem::path data_dir();
std::filesystem::path default_rules_dir();
std::filesystem::path default_reference_dir();

std::unique_ptr<RuleSet> load_rules(const CommonPaths& paths, std::int64_t regex_mem_mb = 0);

// --plugin-path DIR (repeatable), searched before $BARO_PLUGIN_PATH and the installed plugins.
void add_plugin_path_option(po::options_description& options, std::vector<std::string>& plugin_path);
std::unique_ptr<PluginRegistry> load_plugins(const std::vector<std::string>& plugin_path);

// The classifier chain of `classify` and `reclassify`: --classifier NAME (repeatable, in
// order), --classifier-option NAME.KEY=VALUE and --plugin-path.
struct ClassifierChainSpec {
  std::vector<std::string> classifiers;
  std::vector<std::string> options;
  std::vector<std::string> plugin_path;
  // No plugin involved: the built-in rules engine alone.
  bool rules_only() const;
};
void add_classifier_chain_options(po::options_description& options, ClassifierChainSpec& spec);
// Builds the chain `spec` names over `engine`. Plugins are loaded (into `registry`, which
// must outlive the chain) and their instances created here, before any database is opened
// for writing, so that a broken plugin or option changes nothing.
std::unique_ptr<ClassifierChain> build_classifier_chain(const ClassifierChainSpec& spec, const RuleEngine& engine,
                                                        std::unique_ptr<PluginRegistry>& registry);

// Like parse(), but arguments the command does not know are returned instead of refused:
// they are a plugin's options (`--excel`, `--delimiter ';'`), checked later against the
// plugin's own table by plugin_options().
bool parse_with_plugin_options(const char* name, const char* synopsis, const char* description,
                               const po::options_description& options, const Args& args, po::variables_map& vm,
                               std::vector<std::string>& rest);
// `--key=value`, `--key value` and, for a boolean option, `--key` alone.
PluginOptionValues plugin_options(const PluginInfo& plugin, const std::vector<std::string>& rest);

// `baro export` and `baro report` are one command with two faces: run an exporter plugin on
// a read-only connection (cmd_export.cpp).
struct ExportCommand {
  const char* name;
  const char* synopsis;
  const char* description;
  const char* exporter_option;   // "to" or "format"
  const char* default_exporter;  // nullptr: the option is required
};
int run_export_command(const ExportCommand& command, const Args& args);

// The options and usage of a plugin, as `baro plugins describe` prints them.
void describe_plugin(std::ostream& out, const PluginInfo& plugin);

// Terminal conventions: progress only on a terminal, colour only on a terminal without NO_COLOR.
bool stderr_is_terminal();
bool use_colour(int fd);

// "12 345" — French thousands grouping with a narrow no-break space is unreadable in
// terminals and breaks copy-paste into spreadsheets; a plain space is used.
std::string group_thousands(std::int64_t n);
std::string percent(double share, int decimals = 1);

int run_init(const Args& args);
int run_classify(const Args& args);
int run_report(const Args& args);
int run_explain(const Args& args);
int run_inspect(const Args& args);
int run_plugins(const Args& args);
int run_export(const Args& args);
int run_eval(const Args& args);
int run_rules(const Args& args);  // check, test, stats, suggest, fit
int run_rules_check(const Args& args);
int run_rules_test(const Args& args);

// The rule set folder a `rules` subcommand works on: its DIR argument, else the bundled set.
std::filesystem::path rules_dir_argument(const std::string& dir);
RuleSetOptions rule_set_options(std::int64_t regex_mem_mb);

// One confusion cell of a labelled set, from --cell GOLD:PREDICTED (`baro eval`, `baro rules
// suggest`): GOLD a domain id or "null", PREDICTED a domain id or "none" (unclassified), as
// the confusion matrix names its rows and columns. An unknown id is a usage error naming
// `command` and listing the domains.
struct ConfusionCell {
  std::optional<std::size_t> gold, predicted;
};
ConfusionCell parse_cell(const std::string& command, const RuleSet& set, const std::string& text);

// "2", "1.5": a rule weight or a domain score as a maintainer wrote it.
std::string format_weight(double weight);
int run_reclassify(const Args& args);
int run_batches(const Args& args);    // list, delete
int run_batches_list(const Args& args);
int run_batches_delete(const Args& args);
int run_runs(const Args& args);       // list, delete, diff
int run_runs_list(const Args& args);
int run_runs_delete(const Args& args);
int run_runs_diff(const Args& args);
int run_rules_stats(const Args& args);
int run_rules_suggest(const Args& args);
int run_rules_fit(const Args& args);
int run_kwic(const Args& args);
int run_sample(const Args& args);
int run_validate(const Args& args);

}  // namespace baro::cli
