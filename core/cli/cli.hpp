// The `baro` command line: a thin layer over the engine. Each command lives in its own
// cmd_*.cpp and is listed once in main.cpp; this header holds what they share.
#pragma once

#include <boost/program_options.hpp>

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

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

// --db and --rules, with their defaults (BARO_DB or ./baro.db; the bundled French rules).
struct CommonPaths {
  std::string db;
  std::string rules;
};
void add_db_option(po::options_description& options, CommonPaths& paths);
void add_rules_option(po::options_description& options, CommonPaths& paths);

// Parses `args` for command `name`; prints help and returns false when --help was given.
// Throws baro::Error (kUsage) with the parser's complaint and where to read more.
bool parse(const char* name, const char* synopsis, const char* description, const po::options_description& options,
           const po::positional_options_description& positional, const Args& args, po::variables_map& vm);

// Where the bundled data lives: <prefix>/share/baro, found from the executable's location
// (the build tree mirrors the install tree); BARO_DATA_DIR overrides it.
std::filesystem::path data_dir();
std::filesystem::path default_rules_dir();
std::filesystem::path default_reference_dir();

std::unique_ptr<RuleSet> load_rules(const CommonPaths& paths, std::int64_t regex_mem_mb = 0);

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
int run_eval(const Args& args);
int run_rules(const Args& args);
int run_rules_check(const Args& args);
int run_rules_test(const Args& args);

// The rule set folder a `rules` subcommand works on: its DIR argument, else the bundled set.
std::filesystem::path rules_dir_argument(const std::string& dir);
RuleSetOptions rule_set_options(std::int64_t regex_mem_mb);

// "2", "1.5": a rule weight or a domain score as a maintainer wrote it.
std::string format_weight(double weight);

}  // namespace baro::cli
