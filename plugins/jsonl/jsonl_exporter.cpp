// `jsonl`: one JSON object per initiative and line (JSON Lines), with its commune, labels
// and the survey's other columns; the format for pipelines and notebooks.
#include <baro/sdk.hpp>

namespace {

using nlohmann::json;

class JsonlExporter final : public baro::sdk::Exporter {
 public:
  JsonlExporter(const baro::sdk::Options&, const baro::sdk::Host&) {}

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    std::ostream& out = output.stream();
    const std::int64_t run_id = input.run().id;
    input.for_each_initiative([&](const baro::sdk::Initiative& item) {
      json labels = json::array();
      for (std::size_t i = 0; i < item.label_count(); ++i) {
        const auto l = item.label(i);
        labels.push_back({{"domain", l.domain}, {"label", l.label}, {"score", l.score}, {"evidence", l.evidence}});
      }
      auto text_or_null = [](std::string_view s) { return s.empty() ? json(nullptr) : json(s); };
      const json record = {
          {"run", run_id},
          {"id", item.id()},
          {"batch", item.batch_id()},
          {"source_id", item.source_id()},
          {"title", text_or_null(item.title())},
          {"description", item.description()},
          {"year", item.year() ? json(*item.year()) : json(nullptr)},
          {"rural", item.rural() ? json(*item.rural()) : json(nullptr)},
          {"commune",
           {{"code", item.commune_code()},
            {"name", item.commune_name()},
            {"department", item.department()},
            {"region", text_or_null(item.region())},
            {"population", item.population() ? json(*item.population()) : json(nullptr)}}},
          {"primary", text_or_null(item.primary_domain())},
          {"classifier", text_or_null(item.classifier())},
          {"labels", labels},
          {"extra", json::parse(item.extra_json())},
      };
      // Invalid UTF-8 in a survey's text is replaced rather than failing the whole export.
      out << record.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    });
  }
};

}  // namespace

BARO_EXPORTER(JsonlExporter, "jsonl", "1.0.0",
              "one JSON object per initiative and line: commune, primary domain, labels with evidence")
