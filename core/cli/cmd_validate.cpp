// `baro validate`: a coded sample read back, stored with its run, and measured
// (baro/validation.hpp).
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "baro/validation.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

std::string decimals(double x, int n) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(n) << x;
  return out.str();
}

std::string optional_percent(const std::optional<double>& x) { return x ? percent(*x) : std::string("—"); }

}  // namespace

int run_validate(const Args& args) {
  CommonPaths paths;
  ValidateOptions validate;
  std::string file;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()("run", po::value<std::int64_t>()->value_name("ID"), "the sampled run (default: the latest)")(
      "file", po::value(&file)->value_name("FILE"), "the coded sample");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse("validate", "FILE [--run ID]",
             "Reads back a sample drawn by `baro sample` once people have coded it: `codage` holds\n"
             "each description's true primary domain (a domain code, or aucun when none fits;\n"
             "empty: not coded yet), `codage_2` a second coder's when there is one (the English\n"
             "names of older files, gold and gold_2, are read too). Stores the codes\n"
             "with the run, then prints the accuracy with its Wilson 95 % interval, each domain's\n"
             "precision and recall, and Cohen's kappa between two coders. `baro report` then\n"
             "shows each domain's share corrected for the measured confusion.",
             options, positional, args, vm))
    return 0;
  if (file.empty()) throw usage_error("baro validate: no coded sample given", "usage: baro validate FILE [--run ID]");
  if (vm.count("run")) validate.run_id = vm["run"].as<std::int64_t>();
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadWrite));
  const ValidationFigures f = validate_sample(*store, file, validate);
  std::cout << "run " << f.run_id << ": " << group_thousands(f.coded) << " of " << group_thousands(f.sampled)
            << " sampled initiatives coded";
  if (f.coded < f.sampled) std::cout << " (" << group_thousands(f.sampled - f.coded) << " not coded yet)";
  std::cout << "; codes stored with the run\n\n"
            << "accuracy           " << percent(f.accuracy) << "  (" << f.correct << " of " << f.coded
            << "; 95 % interval " << decimals(100 * f.accuracy_ci95.low, 1) << "–"
            << decimals(100 * f.accuracy_ci95.high, 1) << " %)\n"
            << "weighted accuracy  " << percent(f.weighted_accuracy) << "  (strata weighted by their size)\n";
  if (f.kappa) {
    std::cout << "Cohen's kappa      " << decimals(*f.kappa, 3) << "  (" << f.double_coded << " rows coded twice)\n";
  } else if (f.double_coded > 0) {
    std::cout << "Cohen's kappa      —  (undefined on " << f.double_coded << " rows coded twice)\n";
  }
  std::size_t width = 6;
  for (const auto& d : f.domains) width = std::max(width, d.domain.size());
  std::cout << '\n' << std::left << std::setw(static_cast<int>(width + 2)) << "domain" << std::right << std::setw(10)
            << "predicted" << std::setw(6) << "gold" << std::setw(11) << "precision" << std::setw(9) << "recall"
            << '\n';
  for (const auto& d : f.domains) {
    if (d.predicted == 0 && d.gold == 0) continue;
    std::cout << std::left << std::setw(static_cast<int>(width + 2))
              << (d.domain.empty() ? std::string(kNoDomainCode) : d.domain) << std::right << std::setw(10)
              << d.predicted << std::setw(6) << d.gold << std::setw(11) << optional_percent(d.precision)
              << std::setw(9) << optional_percent(d.recall) << '\n';
  }
  std::cout << "\nrecall is weighted by the strata's inclusion probabilities; `baro report --run " << f.run_id
            << "` shows the corrected shares\n";
  return 0;
}

}  // namespace baro::cli
