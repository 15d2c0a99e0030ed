#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "baro/error.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace fs = std::filesystem;

int dispatch_subcommand(const char* command, const char* summary, const std::vector<Command>& subcommands,
                        const Args& args) {
  const auto usage = [&](std::ostream& out) {
    out << "usage: baro " << command << " SUBCOMMAND [OPTIONS] [ARGS]\n\n" << summary << "\n\nsubcommands:\n";
    for (const auto& c : subcommands) {
      const std::string name = c.name;
      out << "  " << name << std::string(name.size() < 10 ? 10 - name.size() : 1, ' ') << c.summary << '\n';
    }
    out << "\n`baro " << command << " SUBCOMMAND --help` describes a subcommand.\n";
  };
  if (args.empty()) {
    usage(std::cerr);
    return static_cast<int>(ExitCode::kUsage);
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage(std::cout);
    return 0;
  }
  for (const auto& c : subcommands) {
    if (args[0] == c.name) return c.run(Args(args.begin() + 1, args.end()));
  }
  throw usage_error("unknown subcommand \"" + args[0] + "\" of baro " + command,
                    std::string("`baro ") + command + " --help` lists them");
}

void add_source_reading_options(po::options_description& options) {
  options.add_options()
      ("map", po::value<std::vector<std::string>>()->composing()->value_name("FIELD=COLUMN"),
       "read FIELD (description, commune, commune_name, department, postal_code, title, id, year, rural) from COLUMN")
      ("encoding", po::value<std::string>()->value_name("NAME"), "force the encoding (default: detected)")
      ("format", po::value<std::string>()->value_name("csv|jsonl|json"), "force the format (default: from the extension)")
      ("delimiter", po::value<std::string>()->value_name("CHAR"), "force the CSV delimiter: , ; | or tab")
      ("records", po::value<std::string>()->value_name("POINTER"),
       "JSON documents: the JSON Pointer of the array of records, e.g. /responses (default: found when unique)");
}

SourceReading source_reading(const po::variables_map& vm) {
  SourceReading out;
  if (vm.count("encoding")) {
    const auto& name = vm["encoding"].as<std::string>();
    out.ingest.encoding = parse_text_encoding(name);
    if (!out.ingest.encoding) {
      throw usage_error("unknown encoding \"" + name + "\"",
                        "use utf-8, windows-1252, iso-8859-1, iso-8859-15, utf-16le or utf-16be");
    }
  }
  if (vm.count("format")) {
    const auto& name = vm["format"].as<std::string>();
    out.ingest.format = parse_source_format(name);
    if (!out.ingest.format) throw usage_error("unknown format \"" + name + "\"", "use csv, jsonl or json");
  }
  if (vm.count("delimiter")) {
    const std::string d = vm["delimiter"].as<std::string>();
    if (d == "tab" || d == "\\t") out.ingest.delimiter = '\t';
    else if (d == "," || d == ";" || d == "|") out.ingest.delimiter = d[0];
    else throw usage_error("unknown delimiter \"" + d + "\"", "use ',', ';', '|' or tab");
  }
  if (vm.count("records")) {
    out.ingest.records = vm["records"].as<std::string>();
  }
  if (vm.count("map")) {
    for (const auto& pair : vm["map"].as<std::vector<std::string>>()) {
      const auto eq = pair.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
        throw usage_error("--map " + pair + ": expected FIELD=COLUMN", "e.g. --map description=Descriptif");
      }
      out.column_map.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
    }
  }
  return out;
}

std::string default_db_path() {
  const char* env = std::getenv("BARO_DB");
  return env != nullptr && *env ? env : "baro.db";
}

void add_db_option(po::options_description& options, CommonPaths& paths) {
  options.add_options()("db", po::value(&paths.db)->default_value(default_db_path()),
                        "SQLite database (default: $BARO_DB, else ./baro.db)");
  options.add_options()("busy-timeout-ms", po::value(&paths.busy_timeout_ms)->default_value(paths.busy_timeout_ms),
                        "how long to wait for another process writing to the database before giving up (exit 75)");
}

void add_rules_option(po::options_description& options, CommonPaths& paths) {
  options.add_options()("rules", po::value(&paths.rules)->value_name("DIR"),
                        "rule set folder (default: the bundled French rules)");
}

namespace {

// Boost says "the argument ('x') for option '--threads' is invalid"; say it in the project's words.
std::string option_value_problem(const po::invalid_option_value& e) {
  const std::string option = e.get_option_name();
  std::string value;
  const std::string what = e.what();
  const auto open = what.find("('");
  const auto close = what.find("')", open == std::string::npos ? 0 : open);
  if (open != std::string::npos && close != std::string::npos) value = what.substr(open + 2, close - open - 2);
  return option + " \"" + value + "\" is not a valid value (a whole number is expected)";
}

}  // namespace

bool parse_command_line(const char* name, const char* synopsis, const char* description,
                        const po::options_description& options, const po::positional_options_description* positional,
                        const Args& args, po::variables_map& vm, std::vector<std::string>* unregistered) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  try {
    po::command_line_parser parser(args);
    parser.options(all);
    if (positional != nullptr) parser.positional(*positional);
    if (unregistered != nullptr) parser.allow_unregistered();
    const auto parsed = parser.run();
    po::store(parsed, vm);
    if (unregistered != nullptr) *unregistered = po::collect_unrecognized(parsed.options, po::include_positional);
    if (vm.count("help")) {
      std::cout << "usage: baro " << name << ' ' << synopsis << "\n\n" << description << "\n\n" << all << '\n';
      return false;
    }
    po::notify(vm);
  } catch (const po::too_many_positional_options_error&) {
    throw usage_error(std::string("baro ") + name + ": too many arguments", std::string("usage: baro ") + name + " " +
                                                                               synopsis + " (see `baro " + name + " --help`)");
  } catch (const po::invalid_option_value& e) {
    throw usage_error(std::string("baro ") + name + ": " + option_value_problem(e),
                      std::string("see `baro ") + name + " --help`");
  } catch (const po::error& e) {
    throw usage_error(std::string("baro ") + name + ": " + e.what(), std::string("see `baro ") + name + " --help`");
  }
  return true;
}

void check_range(const char* option, std::int64_t value, std::int64_t min, std::int64_t max, const char* meaning) {
  if (value >= min && value <= max) return;
  throw usage_error(std::string("--") + option + " " + std::to_string(value) + " is out of range: expected " +
                        std::to_string(min) + " to " + std::to_string(max),
                    std::string("--") + option + " is " + meaning);
}

ConfusionCell parse_cell(const std::string& command, const RuleSet& set, const std::string& text) {
  const auto colon = text.find(':');
  const auto side = [&](const std::string& id, const char* none, const char* what) -> std::optional<std::size_t> {
    if (id == none) return std::nullopt;
    if (const auto d = set.find_domain(id)) return d;
    std::string ids;
    for (const auto& d : set.domains()) ids += (ids.empty() ? "" : ", ") + d.id;
    throw usage_error(command + " --cell: unknown " + what + " domain \"" + id + "\"",
                      "the domains are " + ids + ", or " + none);
  };
  if (colon == std::string::npos) {
    throw usage_error(command + " --cell: expected GOLD:PREDICTED, got \"" + text + "\"",
                      "e.g. --cell communication:culture (null for no gold domain, none for unclassified)");
  }
  return {side(text.substr(0, colon), "null", "gold"), side(text.substr(colon + 1), "none", "predicted")};
}

unsigned checked_threads(std::int64_t value) {
  if (value != 0) check_range("threads", value, 1, kMaxThreads, "the number of threads classifying (0: one per core)");
  return static_cast<unsigned>(value);
}

bool parse(const char* name, const char* synopsis, const char* description, const po::options_description& options,
           const po::positional_options_description& positional, const Args& args, po::variables_map& vm) {
  return parse_command_line(name, synopsis, description, options, &positional, args, vm, nullptr);
}

fs::path data_dir() {
  if (const char* env = std::getenv("BARO_DATA_DIR"); env != nullptr && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw internal_error("cannot find the baro executable's location (/proc/self/exe)");
  return exe.parent_path().parent_path() / "share" / "baro";
}

fs::path default_rules_dir() { return data_dir() / "rules" / "fr"; }
fs::path default_reference_dir() { return data_dir() / "reference"; }

RuleSetOptions rule_set_options(std::int64_t regex_mem_mb) {
  RuleSetOptions options;
  if (regex_mem_mb > 0) options.max_mem_bytes = regex_mem_mb << 20;
  return options;
}

std::unique_ptr<RuleSet> load_rules(const CommonPaths& paths, std::int64_t regex_mem_mb) {
  return RuleSet::load(paths.rules.empty() ? default_rules_dir() : fs::path(paths.rules),
                       rule_set_options(regex_mem_mb));
}

fs::path rules_dir_argument(const std::string& dir) { return dir.empty() ? default_rules_dir() : fs::path(dir); }

std::string format_weight(double weight) {
  std::ostringstream out;
  out << weight;  // the shortest form: 2, 1.5, 0.25
  return out.str();
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

bool use_colour(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour) return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(fd) == 1;
}

std::string group_thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string percent(double share, int decimals) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(decimals);
  out << share * 100.0 << " %";
  return out.str();
}

}  // namespace baro::cli
