// `baro export --to NAME` and `baro report --format NAME`: one path, through an exporter
// plugin, on a read-only connection to the database.
#include <algorithm>
#include <iostream>

#include "baro/error.hpp"
#include "baro/plugins.hpp"
#include "cli.hpp"

namespace baro::cli {

int run_export_command(const ExportCommand& command, const Args& args) {
  CommonPaths paths;
  std::vector<std::string> plugin_path;
  std::string exporter, out;
  po::options_description options("options");
  add_db_option(options, paths);
  auto exporter_value = po::value(&exporter)->value_name("NAME");
  if (command.default_exporter != nullptr) exporter_value->default_value(command.default_exporter);
  options.add_options()
      (command.exporter_option, exporter_value, "the exporter plugin (`baro plugins list` shows them)")
      ("out,o", po::value(&out)->value_name("FILE"), "write to FILE (replaced only if the export succeeds; a link's target is replaced, a FIFO or device written directly; - is stdout)")
      ("run", po::value<std::int64_t>()->value_name("ID"), "the run to export (default: the latest)")
      ("batch", po::value<std::int64_t>()->value_name("ID"), "only this batch")
      ("year", po::value<int>()->value_name("YYYY"), "only initiatives of this year")
      ("region", po::value<std::string>()->value_name("CODE"), "only this region (INSEE code, e.g. 84)")
      ("department", po::value<std::string>()->value_name("CODE"), "only this department (e.g. 69, 2A, 971)")
      ("rural-below", po::value<std::int64_t>()->value_name("N")->default_value(kDefaultRuralBelow),
       "a commune is rural below N inhabitants, unless an imported `rural` attribute says otherwise");
  add_plugin_path_option(options, plugin_path);
  po::variables_map vm;
  std::vector<std::string> rest;
  if (!parse_with_plugin_options(command.name, command.synopsis, command.description, options, args, vm, rest)) {
    // `--help` with an exporter named: its own options too.
    if (!exporter.empty() && (command.default_exporter == nullptr || (vm.count(command.exporter_option) && !vm[command.exporter_option].defaulted()))) {
      const auto registry = load_plugins(plugin_path);
      std::cout << "exporter ";
      describe_plugin(std::cout, registry->require(exporter, PluginKind::kExporter));
    }
    return 0;
  }
  // `baro export --table domains`: the aggregate tables are the csv exporter's.
  const bool table_given = std::any_of(rest.begin(), rest.end(), [](const std::string& a) {
    return a == "--table" || a.rfind("--table=", 0) == 0;
  });
  if (exporter.empty() && table_given && command.default_exporter == nullptr) exporter = "csv";
  if (exporter.empty()) {
    throw usage_error(std::string("baro ") + command.name + ": which exporter? (--" + command.exporter_option + " NAME)",
                      "`baro plugins list` shows the exporters");
  }

  ExportRequest request;
  request.exporter = exporter;
  request.out = out;
  if (vm.count("run")) request.filters.run_id = vm["run"].as<std::int64_t>();
  if (vm.count("batch")) request.filters.batch_id = vm["batch"].as<std::int64_t>();
  if (vm.count("year")) request.filters.year = vm["year"].as<int>();
  if (vm.count("region")) request.filters.region = vm["region"].as<std::string>();
  if (vm.count("department")) request.filters.department = vm["department"].as<std::string>();
  request.filters.rural_below = vm["rural-below"].as<std::int64_t>();
  if (request.filters.rural_below <= 0) {
    throw usage_error("--rural-below must be a positive population", "INSEE's historic threshold is --rural-below 2000");
  }

  const auto registry = load_plugins(plugin_path);
  const PluginInfo& plugin = registry->require(exporter, PluginKind::kExporter);
  request.options = plugin_options(plugin, rest);
  // Options are checked before the database is touched, so a typo costs nothing.
  registry->resolve_options(plugin, request.options);
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadOnly));
  registry->run_export(*store, request);
  if (!out.empty() && out != "-" && stderr_is_terminal()) std::cerr << "baro: wrote " << out << '\n';
  return 0;
}

int run_export(const Args& args) {
  return run_export_command(
      {"export", "--to NAME | --table NAME [--out FILE] [--run ID] [filters] [plugin options]",
       "Writes a classification run's results with an exporter plugin: csv (one row per\n"
       "initiative), jsonl, json (the aggregates), markdown, text, or a partner's plugin.\n"
       "--table domains|communes|bands|departments|regions|domains-by-department writes one\n"
       "of the report's tables as CSV instead (the csv exporter; --excel for French Excel).\n"
       "Plugin options follow as --NAME VALUE (`baro plugins describe NAME` lists them).\n"
       "The database is opened read-only; with --out, the file is replaced only when the\n"
       "export succeeds.",
       "to", nullptr},
      args);
}

}  // namespace baro::cli
