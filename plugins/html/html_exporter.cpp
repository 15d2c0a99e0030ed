// `html`: the barometer as one self-contained HTML page (inline CSS and SVG charts, no
// script, no network), for a municipal team to read on a phone or print. The page is a
// pure function of the report document: html_report.hpp.
#include <baro/sdk.hpp>

#include "html_report.hpp"

namespace {

class HtmlExporter final : public baro::sdk::Exporter {
 public:
  HtmlExporter(const baro::sdk::Options&, const baro::sdk::Host&) {}

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    output.stream() << baro::html::render_report(input.report());
  }
};

}  // namespace

BARO_EXPORTER(HtmlExporter, "html", "2.0.0",
              "the barometer as one self-contained HTML page with charts, for screen and print")
