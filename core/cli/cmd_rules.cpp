// `baro rules SUBCOMMAND`: the maintainer's tools for a rule set. Each subcommand lives in
// its own cmd_rules_*.cpp; this file only lists them and dispatches.
#include <cstring>
#include <iostream>

#include "baro/error.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

const std::vector<Command>& subcommands() {
  static const std::vector<Command> table = {
      {"check", "validate a rule set and report every problem", run_rules_check},
      {"test", "run every rule's examples and the set's expectations", run_rules_test},
  };
  return table;
}

void print_usage(std::ostream& out) {
  out << "usage: baro rules SUBCOMMAND [OPTIONS] [DIR]\n\n"
         "Tools for the maintainers of a rule set (DIR, default: the bundled French rules).\n\n"
         "subcommands:\n";
  for (const auto& c : subcommands()) {
    out << "  " << c.name << std::string(10 - std::strlen(c.name), ' ') << c.summary << '\n';
  }
  out << "\n`baro rules SUBCOMMAND --help` describes one. The format: docs/rules.md.\n";
}

}  // namespace

int run_rules(const Args& args) {
  if (args.empty()) {
    print_usage(std::cerr);
    return static_cast<int>(ExitCode::kUsage);
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(std::cout);
    return 0;
  }
  for (const auto& c : subcommands()) {
    if (args[0] == c.name) return c.run(Args(args.begin() + 1, args.end()));
  }
  throw usage_error("unknown subcommand \"rules " + args[0] + "\"", "`baro rules --help` lists them");
}

}  // namespace baro::cli
