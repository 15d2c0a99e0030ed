// `baro batches`: list the imported batches, delete one imported by mistake.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <limits>
#include <string>

#include "baro/display.hpp"
#include "baro/error.hpp"
#include "baro/lifecycle.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

std::string join_ids(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (const auto id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

std::string describe(const BatchSummary& b) {
  return "batch " + std::to_string(b.info.id) + " (" + b.info.source + ", imported " + b.info.imported_at + ", " +
         group_thousands(b.initiatives) + (b.initiatives == 1 ? " initiative" : " initiatives") +
         (b.runs.empty() ? std::string(")") : "; in run" + std::string(b.runs.size() > 1 ? "s " : " ") + join_ids(b.runs) + ")");
}

}  // namespace

int run_batches(const Args& args) {
  static const std::vector<Command> subcommands = {
      {"list", "every imported batch, oldest first", run_batches_list},
      {"delete", "delete one batch and its initiatives", run_batches_delete},
  };
  return dispatch_subcommand("batches", "Imported survey files: each is one batch, imported whole.", subcommands, args);
}

int run_batches_list(const Args& args) {
  CommonPaths paths;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()("json", "machine-readable output");
  po::variables_map vm;
  if (!parse("batches list", "[--json]",
             "Lists the imported batches, oldest first: the file, when, how it was read, its\n"
             "records (imported and rejected), the initiatives stored now and the runs that\n"
             "classify them.",
             options, {}, args, vm))
    return 0;
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadOnly));
  const auto batches = list_batches(*store);
  if (vm.count("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& b : batches) {
      out.push_back({{"id", b.info.id},
                     {"source", b.info.source},
                     {"imported_at", b.info.imported_at},
                     {"content_hash", b.info.content_hash},
                     {"format", b.info.format},
                     {"encoding", b.info.encoding},
                     {"records", b.info.records},
                     {"imported", b.info.imported},
                     {"rejected", b.info.rejected},
                     {"initiatives", b.initiatives},
                     {"runs", b.runs}});
    }
    std::cout << out.dump(2) << '\n';
    return 0;
  }
  if (batches.empty()) {
    std::cout << "no batch yet: `baro classify FILE` imports one\n";
    return 0;
  }
  std::size_t source_width = 6;
  for (const auto& b : batches) source_width = std::max(source_width, display_width(b.info.source));
  source_width = std::min<std::size_t>(source_width, 48);
  std::cout << pad_left("batch", 5) << "  " << pad_right("imported", 20) << "  " << pad_right("source", source_width)
            << "  " << pad_right("format", 6) << pad_left("records", 9) << pad_left("rejected", 10)
            << pad_left("initiatives", 13) << "  runs\n";
  for (const auto& b : batches) {
    std::cout << pad_left(std::to_string(b.info.id), 5) << "  " << pad_right(b.info.imported_at, 20) << "  "
              << pad_right(fit_width_from_end(b.info.source, source_width), source_width) << "  "
              << pad_right(b.info.format, 6) << pad_left(group_thousands(b.info.records), 9)
              << pad_left(group_thousands(b.info.rejected), 10) << pad_left(group_thousands(b.initiatives), 13) << "  "
              << (b.runs.empty() ? "-" : join_ids(b.runs)) << '\n';
  }
  return 0;
}

int run_batches_delete(const Args& args) {
  CommonPaths paths;
  std::int64_t id = 0;
  po::options_description options("options");
  add_db_option(options, paths);
  options.add_options()
      ("id", po::value(&id)->required()->value_name("ID"), "the batch to delete")
      ("yes", "do not ask for confirmation (needed when standard input is not a terminal)");
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  if (!parse("batches delete", "ID [--yes]",
             "Deletes one batch and its initiatives, in one transaction. The runs that classified\n"
             "them keep their other initiatives: their figures become those of the batches that\n"
             "remain. `baro batches list` shows the ids.",
             options, positional, args, vm))
    return 0;
  check_range("id", id, 1, std::numeric_limits<std::int64_t>::max(), "a batch id");
  const auto store = Store::open(paths.db, paths.store_options(OpenMode::kReadWrite));
  if (!vm.count("yes")) {
    const auto batches = list_batches(*store);
    const auto it = std::find_if(batches.begin(), batches.end(), [id](const BatchSummary& b) { return b.info.id == id; });
    if (it == batches.end()) {
      throw data_error("there is no batch " + std::to_string(id), {paths.db},
                       "`baro batches list` shows the batches this database holds");
    }
    if (isatty(STDIN_FILENO) != 1) {
      throw usage_error("baro batches delete " + std::to_string(id) + " needs --yes when standard input is not a terminal",
                        "it would delete " + describe(*it));
    }
    std::cerr << "Delete " << describe(*it) << "? [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes" && answer != "oui" && answer != "o") {
      std::cout << "nothing deleted\n";
      return 0;
    }
  }
  const BatchSummary deleted = delete_batch(*store, id);
  std::cout << "deleted " << describe(deleted);
  if (!deleted.runs.empty()) {
    std::cout << "; run" << (deleted.runs.size() > 1 ? "s " : " ") << join_ids(deleted.runs)
              << (deleted.runs.size() > 1 ? " now describe" : " now describes") << " the batches that remain";
  }
  std::cout << '\n';
  return 0;
}

}  // namespace baro::cli
