// `baro report`: the barometer's figures, written by an exporter plugin (`text` unless
// --format names another), exactly as `baro export` runs them.
#include "cli.hpp"

namespace baro::cli {

int run_report(const Args& args) {
  return run_export_command(
      {"report", "[--format NAME] [--out FILE] [--run ID] [filters] [plugin options]",
       "Prints the barometer's figures for a classification run, through an exporter\n"
       "plugin: text (default), markdown, json, html (one self-contained page with\n"
       "charts), or any other exporter.",
       "format", "text"},
      args);
}

}  // namespace baro::cli
