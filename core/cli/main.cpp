// `baro`: the command-line entry point. Dispatches to one command and is the single place
// where errors become messages and exit codes (docs/exit-codes.md).
#include <SQLiteCpp/Exception.h>

#include <cstring>
#include <iostream>
#include <new>

#include "baro/error.hpp"
#include "baro/version.hpp"
#include "cli.hpp"

namespace {

using baro::cli::Command;

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"init", "create the database and load the commune reference", baro::cli::run_init},
      {"classify", "import survey batches and classify their initiatives", baro::cli::run_classify},
      {"report", "print the barometer's figures", baro::cli::run_report},
      {"export", "write a run's results with an exporter plugin (csv, json, …)", baro::cli::run_export},
      {"plugins", "list the plugins found, or describe one", baro::cli::run_plugins},
      {"explain", "show which rules fire on a text, and why", baro::cli::run_explain},
      {"inspect", "show what Baro reads from a file, before importing it", baro::cli::run_inspect},
      {"rules", "check, test and measure a rule set (for its maintainers)", baro::cli::run_rules},
      {"eval", "measure a rule set against labelled descriptions", baro::cli::run_eval},
      {"reclassify", "classify every stored initiative again into a new run", baro::cli::run_reclassify},
      {"batches", "list imported batches, delete one imported by mistake", baro::cli::run_batches},
      {"runs", "list, compare and delete classification runs", baro::cli::run_runs},
      {"kwic", "show a word in context in the stored descriptions", baro::cli::run_kwic},
      {"sample", "draw a run's validation sample for people to code", baro::cli::run_sample},
      {"validate", "read a coded sample back: the run's accuracy", baro::cli::run_validate},
  };
  return table;
}

void print_usage(std::ostream& out) {
  out << "usage: baro COMMAND [OPTIONS] [ARGS]\n\n"
         "Baro classifies survey batches of local digital initiatives into domains and\n"
         "computes the barometer's figures.\n\ncommands:\n";
  for (const auto& c : commands()) {
    out << "  " << c.name << std::string(12 - std::strlen(c.name), ' ') << c.summary << '\n';
  }
  out << "\n`baro COMMAND --help` describes a command. Exit codes: docs/exit-codes.md.\n";
}

int dispatch(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return static_cast<int>(baro::ExitCode::kUsage);
  }
  const std::string name = argv[1];
  if (name == "help" && argc > 2) {
    // `baro help CMD [SUB]` is `baro CMD [SUB] --help`.
    for (const auto& c : commands()) {
      if (argv[2] == std::string_view(c.name)) {
        baro::cli::Args args(argv + 3, argv + argc);
        args.push_back("--help");
        return c.run(args);
      }
    }
    throw baro::usage_error("baro help: unknown command \"" + std::string(argv[2]) + "\"", "`baro --help` lists the commands");
  }
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return 0;
  }
  if (name == "--version" || name == "-V" || name == "version") {
    std::cout << "baro " << baro::kVersion << '\n';
    return 0;
  }
  for (const auto& c : commands()) {
    if (name == c.name) return c.run(baro::cli::Args(argv + 2, argv + argc));
  }
  throw baro::usage_error("unknown command \"" + name + "\"", "`baro --help` lists the commands");
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  try {
    const int code = dispatch(argc, argv);
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "baro: writing to standard output failed\n";
      return static_cast<int>(baro::ExitCode::kIoError);
    }
    return code;
  } catch (const baro::Error& e) {
    std::cout.flush();
    std::cerr << "baro: " << e.describe() << '\n';
    return static_cast<int>(e.code());
  } catch (const SQLite::Exception& e) {
    // Every store call translates its exceptions; one reaching here is a bug.
    std::cerr << "baro: internal error: unexpected SQLite error: " << e.what()
              << "\nhint: this is a bug in Baro; please report it with the command that triggered it\n";
    return static_cast<int>(baro::ExitCode::kInternal);
  } catch (const std::bad_alloc&) {
    std::cerr << "baro: out of memory\n";
    return static_cast<int>(baro::ExitCode::kInternal);
  } catch (const std::exception& e) {
    std::cerr << "baro: internal error: " << e.what()
              << "\nhint: this is a bug in Baro; please report it with the command that triggered it\n";
    return static_cast<int>(baro::ExitCode::kInternal);
  }
}
