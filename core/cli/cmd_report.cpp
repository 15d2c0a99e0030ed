#include <iomanip>
#include <iostream>

#include "baro/report.hpp"
#include "cli.hpp"

namespace baro::cli {

int run_report(const Args& args) {
  CommonPaths paths;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()
      ("run", po::value<std::int64_t>()->value_name("ID"), "the run to describe (default: the latest)")
      ("batch", po::value<std::int64_t>()->value_name("ID"), "only this batch")
      ("year", po::value<int>()->value_name("YYYY"), "only initiatives of this year")
      ("region", po::value<std::string>()->value_name("CODE"), "only this region (INSEE code, e.g. 84)")
      ("department", po::value<std::string>()->value_name("CODE"), "only this department (e.g. 69, 2A, 971)");
  po::variables_map vm;
  if (!parse("report", "[OPTIONS]", "Prints the barometer's figures for a classification run.", options, {}, args, vm))
    return 0;
  ReportOptions report_options;
  if (vm.count("run")) report_options.run_id = vm["run"].as<std::int64_t>();
  if (vm.count("batch")) report_options.batch_id = vm["batch"].as<std::int64_t>();
  if (vm.count("year")) report_options.year = vm["year"].as<int>();
  if (vm.count("region")) report_options.region = vm["region"].as<std::string>();
  if (vm.count("department")) report_options.department = vm["department"].as<std::string>();

  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadOnly));
  const Report report = compute_report(*store, report_options);
  std::cout << "Baromètre des services numériques locaux\n"
            << "run " << report.run.id << " — rules " << report.run.ruleset_id << ' ' << report.run.ruleset_version
            << " (" << report.run.ruleset_hash.substr(0, 12) << "), " << report.run.created_at << "\n\n"
            << "initiatives  " << group_thousands(report.initiatives) << '\n'
            << "communes     " << group_thousands(report.communes) << "\n\n";
  std::size_t width = 7;
  for (const auto& d : report.domains) width = std::max(width, d.label.size());
  std::cout << std::left << std::setw(static_cast<int>(width) + 2) << "domaine" << std::right << std::setw(8)
            << "nombre" << std::setw(10) << "part" << std::setw(14) << "toutes étiq." << '\n';
  for (const auto& d : report.domains) {
    // setw counts bytes: pad by hand so accented labels stay aligned.
    std::size_t chars = 0;
    for (unsigned char c : d.label) chars += (c & 0xC0) != 0x80;
    std::cout << d.label << std::string(width + 2 - chars, ' ') << std::setw(8) << group_thousands(d.primary_count)
              << std::setw(10) << percent(d.primary_share) << std::setw(12)
              << (d.domain.empty() ? std::string("") : percent(d.touching_share)) << '\n';
  }
  return 0;
}

}  // namespace baro::cli
