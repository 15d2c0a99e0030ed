#include <iostream>

#include "baro/store.hpp"
#include "cli.hpp"

namespace baro::cli {

int run_init(const Args& args) {
  CommonPaths paths;
  std::string reference;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()("reference", po::value(&reference)->value_name("DIR"),
                        "commune reference folder (default: the bundled INSEE 2026 reference)");
  po::variables_map vm;
  if (!parse("init", "[--db FILE]",
             "Creates the database (or upgrades an older one) and loads the commune reference:\n"
             "communes with their population, department and region, and the old codes of\n"
             "merged communes. Running it again reloads the reference and keeps all data.",
             options, {}, args, vm))
    return 0;
  auto store = Store::open(paths.db, paths.store_options(OpenMode::kCreate));
  const auto communes = store->load_reference(reference.empty() ? default_reference_dir() : std::filesystem::path(reference));
  std::cout << "baro: " << paths.db << " is ready: " << group_thousands(communes) << " communes in the reference\n";
  return 0;
}

}  // namespace baro::cli
