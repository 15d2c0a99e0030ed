// `csv`: one row per initiative with its commune's attributes and its domains (RFC 4180).
// `--excel` writes what French Excel opens correctly by double-click: `;` between fields, a
// UTF-8 byte-order mark (without it Excel reads Windows-1252) and CRLF line ends.
#include <baro/sdk.hpp>

#include "baro_format.hpp"

namespace {

using baro::plugins::csv_field;

constexpr baro::sdk::Option kOptions[] = {
    {"excel", baro::sdk::OptionType::kBool, "false", "French Excel: ';' separator, UTF-8 BOM, CRLF line ends"},
    {"delimiter", baro::sdk::OptionType::kString, ",", "field separator: one character, or \"tab\" (ignored with --excel)"},
    {"bom", baro::sdk::OptionType::kBool, "false", "start with a UTF-8 byte-order mark (always on with --excel)"},
};

constexpr const char* kColumns[] = {"id",         "source_id",      "batch_id",   "commune_code", "commune_name",
                                    "department", "region",         "population", "rural",        "year",
                                    "title",      "description",    "primary_domain", "domains",  "classifier"};

class CsvExporter final : public baro::sdk::Exporter {
 public:
  CsvExporter(const baro::sdk::Options& options, const baro::sdk::Host&) {
    const bool excel = options.get_bool("excel");
    bom_ = excel || options.get_bool("bom");
    newline_ = excel ? "\r\n" : "\n";
    const std::string delimiter(options.get("delimiter"));
    if (excel) {
      delimiter_ = ';';
    } else if (delimiter == "tab" || delimiter == "\\t") {
      delimiter_ = '\t';
    } else if (delimiter.size() == 1 && delimiter != "\"" && delimiter != "\r" && delimiter != "\n") {
      delimiter_ = delimiter[0];
    } else {
      throw baro::sdk::OptionError("--delimiter \"" + delimiter + "\": use one character (',', ';', '|') or tab");
    }
  }

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    std::ostream& out = output.stream();
    if (bom_) out << "\xEF\xBB\xBF";
    std::string line;
    for (const char* column : kColumns) {
      if (!line.empty()) line += delimiter_;
      line += column;
    }
    out << line << newline_;
    input.for_each_initiative([&](const baro::sdk::Initiative& item) {
      std::string domains;
      for (std::size_t i = 0; i < item.label_count(); ++i) {
        if (!domains.empty()) domains += ' ';
        domains += item.label(i).domain;
      }
      const std::string fields[] = {
          std::to_string(item.id()),
          std::string(item.source_id()),
          std::to_string(item.batch_id()),
          std::string(item.commune_code()),
          std::string(item.commune_name()),
          std::string(item.department()),
          std::string(item.region()),
          item.population() ? std::to_string(*item.population()) : std::string(),
          item.rural() ? (*item.rural() ? "1" : "0") : std::string(),
          item.year() ? std::to_string(*item.year()) : std::string(),
          std::string(item.title()),
          std::string(item.description()),
          std::string(item.primary_domain()),
          domains,
          std::string(item.classifier()),
      };
      line.clear();
      for (const auto& f : fields) {
        if (&f != fields) line += delimiter_;
        line += csv_field(f, delimiter_);
      }
      out << line << newline_;
    });
  }

 private:
  char delimiter_ = ',';
  bool bom_ = false;
  const char* newline_ = "\n";
};

}  // namespace

BARO_EXPORTER(CsvExporter, "csv", "1.0.0",
              "one CSV row per initiative: commune attributes, primary domain and every domain", kOptions)
