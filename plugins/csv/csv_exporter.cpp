// `csv`: one row per initiative with its commune's attributes and its domains (RFC 4180), or
// with `--table NAME` one of the report's aggregate tables (report_tables.hpp), with the
// report's figures. `--excel` writes what French Excel opens correctly by double-click
// (plugins::kExcelCsv): `;` between fields, a UTF-8 byte-order mark (without it Excel reads
// Windows-1252), CRLF line ends, French column names, decimal commas, and no cell that Excel
// would run as a formula.
#include <baro/sdk.hpp>

#include <string>
#include <vector>

#include "baro_format.hpp"
#include "initiative_table.hpp"
#include "report_tables.hpp"

namespace {

using baro::plugins::CsvDialect;
using baro::plugins::csv_row;

constexpr baro::sdk::Option kOptions[] = {
    {"excel", baro::sdk::OptionType::kBool, "false", "French Excel: ';' separator, UTF-8 BOM, CRLF line ends, French column names, decimal commas, formulas neutralised"},
    {"delimiter", baro::sdk::OptionType::kString, ",", "field separator: one character, or \"tab\" (ignored with --excel)"},
    {"bom", baro::sdk::OptionType::kBool, "false", "start with a UTF-8 byte-order mark (always on with --excel)"},
    {"table", baro::sdk::OptionType::kString, "", "instead of the initiatives, one of the report's tables: domains, communes, bands, departments, regions, domains-by-department"},
};

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
    table_ = std::string(options.get("table"));
    if (!table_.empty()) {
      bool known = false;
      std::string names;
      for (const auto& name : baro::plugins::table_names()) {
        known = known || name == table_;
        names += (names.empty() ? "" : ", ") + name;
      }
      if (!known) throw baro::sdk::OptionError("--table \"" + table_ + "\": the tables are " + names);
    }
  }

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    std::ostream& out = output.stream();
    if (dialect_.bom) out << "\xEF\xBB\xBF";
    const nlohmann::json& report = input.report();
    if (!table_.empty()) {
      write_table(baro::plugins::report_table(report, table_), out);
    } else {
      write_initiatives(input, report, out);
    }
  }

 private:
  void write_table(const baro::plugins::Table& table, std::ostream& out) const {
    std::vector<std::string> fields;
    for (const auto& c : table.columns) fields.push_back(excel_ ? c.header : c.key);
    out << csv_row(fields, dialect_);
    for (const auto& row : table.rows) {
      fields.clear();
      for (const auto& cell : row) fields.push_back(baro::plugins::cell_text(cell, excel_));
      out << csv_row(fields, dialect_);
    }
  }

  void write_initiatives(const baro::sdk::ExportInput& input, const nlohmann::json& report, std::ostream& out) const {
    const baro::plugins::InitiativeTable table(input.domains(), report);
    std::vector<std::string> fields;
    for (const auto& c : table.columns()) fields.push_back(excel_ ? c.header : c.key);
    out << csv_row(fields, dialect_);
    input.for_each_initiative([&](const baro::sdk::Initiative& item) {
      fields.clear();
      for (const auto& cell : table.row(item)) fields.push_back(baro::plugins::cell_text(cell, excel_));
      out << csv_row(fields, dialect_);
    });
  }

  bool excel_ = false;
  CsvDialect dialect_;
  std::string table_;
};

}  // namespace

BARO_EXPORTER(CsvExporter, "csv", "1.1.0",
              "one CSV row per initiative (commune, labels, one 0/1 column per domain), or one of the report's tables (--table)",
              kOptions)
