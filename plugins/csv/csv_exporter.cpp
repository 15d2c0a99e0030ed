// `csv`: one row per initiative with its commune's attributes and its domains (RFC 4180).
// `--excel` writes what French Excel opens correctly by double-click (plugins::kExcelCsv): `;`
// between fields, a UTF-8 byte-order mark (without it Excel reads Windows-1252), CRLF line
// ends, French column names, and no cell that Excel would run as a formula.
#include <baro/sdk.hpp>

#include <iterator>
#include <string_view>
#include <vector>

#include "baro_format.hpp"

namespace {

using baro::plugins::CsvDialect;
using baro::plugins::csv_row;

constexpr baro::sdk::Option kOptions[] = {
    {"excel", baro::sdk::OptionType::kBool, "false", "French Excel: ';' separator, UTF-8 BOM, CRLF line ends, French column names, formulas neutralised"},
    {"delimiter", baro::sdk::OptionType::kString, ",", "field separator: one character, or \"tab\" (ignored with --excel)"},
    {"bom", baro::sdk::OptionType::kBool, "false", "start with a UTF-8 byte-order mark (always on with --excel)"},
};

constexpr const char* kColumns[] = {"id",         "source_id",      "batch_id",   "commune_code", "commune_name",
                                    "department", "region",         "population", "rural",        "year",
                                    "title",      "description",    "primary_domain", "domains",  "classifier"};
// The same columns for people, in French Excel.
constexpr const char* kFrenchColumns[] = {
    "id",      "identifiant_source", "lot",   "code_commune", "commune",     "département",   "région", "population",
    "rural",   "année",              "titre", "description",  "domaine_principal", "domaines", "classifieur"};
static_assert(std::size(kColumns) == std::size(kFrenchColumns));

class CsvExporter final : public baro::sdk::Exporter {
 public:
  CsvExporter(const baro::sdk::Options& options, const baro::sdk::Host&) {
    excel_ = options.get_bool("excel");
    const std::string delimiter(options.get("delimiter"));
    if (excel_) {
      dialect_ = baro::plugins::kExcelCsv;
    } else if (delimiter == "tab" || delimiter == "\\t") {
      dialect_.delimiter = '\t';
    } else if (delimiter.size() == 1 && delimiter != "\"" && delimiter != "\r" && delimiter != "\n") {
      dialect_.delimiter = delimiter[0];
    } else {
      throw baro::sdk::OptionError("--delimiter \"" + delimiter + "\": use one character (',', ';', '|') or tab");
    }
    dialect_.bom = dialect_.bom || options.get_bool("bom");
  }

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    std::ostream& out = output.stream();
    if (dialect_.bom) out << "\xEF\xBB\xBF";
    std::vector<std::string_view> header;
    for (std::size_t i = 0; i < std::size(kColumns); ++i) header.emplace_back(excel_ ? kFrenchColumns[i] : kColumns[i]);
    out << csv_row(header, dialect_);
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
      out << csv_row(fields, dialect_);
    });
  }

 private:
  bool excel_ = false;
  CsvDialect dialect_;
};

}  // namespace

BARO_EXPORTER(CsvExporter, "csv", "1.0.0",
              "one CSV row per initiative: commune attributes, primary domain and every domain", kOptions)
