// `json`: the report's aggregates as the stable document of docs/report-json.md
// (schema baro-report/2).
#include <baro/sdk.hpp>

namespace {

constexpr baro::sdk::Option kOptions[] = {
    {"compact", baro::sdk::OptionType::kBool, "false", "one line instead of indented JSON"},
};

class JsonExporter final : public baro::sdk::Exporter {
 public:
  JsonExporter(const baro::sdk::Options& options, const baro::sdk::Host&) : compact_(options.get_bool("compact")) {}

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    output.stream() << input.report().dump(compact_ ? -1 : 2) << '\n';
  }

 private:
  bool compact_;
};

}  // namespace

BARO_EXPORTER(JsonExporter, "json", "2.0.0", "the report's aggregates as JSON (schema baro-report/2, docs/report-json.md)",
              kOptions)
