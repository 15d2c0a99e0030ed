// `baro sample`: a stratified random sample of a run's initiatives, for people to code
// (baro/validation.hpp).
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "baro/validation.hpp"
#include "cli.hpp"

namespace baro::cli {

int run_sample(const Args& args) {
  CommonPaths paths;
  SampleOptions sample;
  std::string out;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()
      ("run", po::value<std::int64_t>()->value_name("ID"), "the run to sample (default: the latest)")
      ("size", po::value(&sample.size)->default_value(sample.size)->value_name("N"), "initiatives to draw")
      ("seed", po::value<std::uint64_t>()->value_name("S"),
       "seed of the draw: the same seed draws the same sample (default: a random one, printed and recorded)")
      ("out", po::value(&out)->required()->value_name("FILE"), "the CSV to write (UTF-8 with BOM, `;`; a link's target is replaced, a FIFO written directly)")
      ("replace", "replace the run's sample even if it holds codes (they are lost)");
  po::variables_map vm;
  if (!parse("sample", "--out FILE [--run ID] [--size N] [--seed S] [--replace]",
             "Draws a random sample of a run's initiatives, stratified by predicted primary domain\n"
             "(proportional allocation, at least 2 per domain that has any), for people to code by\n"
             "hand. Writes FILE (French Excel: BOM, `;`, CRLF) with the columns\n"
             "id;commune;description;domaine_predit;codage;autres_domaines (codage and\n"
             "autres_domaines empty) and, beside it, <name>.domaines.csv with the codes a coder may use.\n"
             "The sample and each stratum's inclusion probability are recorded with the run; read\n"
             "the coded file back with `baro validate FILE`.",
             options, {}, args, vm))
    return 0;
  if (vm.count("run")) sample.run_id = vm["run"].as<std::int64_t>();
  if (vm.count("seed")) sample.seed = vm["seed"].as<std::uint64_t>();
  sample.replace = vm.count("replace") > 0;
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadWrite));
  const SampleSummary summary = draw_validation_sample(*store, sample, out);
  std::int64_t initiatives = 0;
  std::size_t width = 11;
  for (const auto& s : summary.strata) {
    initiatives += s.initiatives;
    width = std::max(width, s.predicted.size());
  }
  std::cout << "drew " << group_thousands(summary.size) << " of " << group_thousands(initiatives)
            << " initiatives of run " << summary.run_id << " (seed " << summary.seed << ") into " << out << '\n'
            << "the codes a coder may use: " << summary.domains_file.string() << "\n\n"
            << std::left << std::setw(static_cast<int>(width + 2)) << "stratum" << std::right << std::setw(12)
            << "initiatives" << std::setw(8) << "drawn" << std::setw(13) << "inclusion" << '\n';
  for (const auto& s : summary.strata) {
    if (s.initiatives == 0) continue;
    std::ostringstream probability;
    probability << std::fixed << std::setprecision(4) << s.inclusion_probability();
    std::cout << std::left << std::setw(static_cast<int>(width + 2))
              << (s.predicted.empty() ? std::string(kNoDomainCode) : s.predicted) << std::right << std::setw(12)
              << group_thousands(s.initiatives) << std::setw(8) << group_thousands(s.sampled) << std::setw(13)
              << probability.str() << '\n';
  }
  std::cout << "\nnext: fill in `codage` (and `autres_domaines`) for each row, then `baro validate " << out << " --run "
            << summary.run_id << "`\n";
  return 0;
}

}  // namespace baro::cli
