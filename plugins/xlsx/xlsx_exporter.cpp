// `xlsx`: the barometer as an Excel workbook, for the people who read it in Excel or
// LibreOffice. Sheets: « Initiatives » (one row per initiative, initiative_table.hpp), then
// the report's tables (report_tables.hpp) — « Domaines », « Communes », « Tranches de
// population », « Départements », « Régions », « Domaines par département » — and « Qualité »
// when the run has a coded validation sample. Cells are real numbers (shares as fractions
// under a percent format, so that a pivot table or a formula can use them), each header row
// is frozen and filtered, and columns are as wide as their content (up to a cap).
//
// libxlsxwriter (1.1.4 in Debian 12) writes only to a named file: the workbook is written in
// a private temporary folder, then copied to the host's output, which alone decides where
// the result goes and removes it if anything fails.
#include <baro/sdk.hpp>
#include <xlsxwriter.h>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string_view>
#include <string>
#include <vector>

#include "baro_format.hpp"
#include "initiative_table.hpp"
#include "report_tables.hpp"

namespace {

namespace fs = std::filesystem;
using baro::plugins::Cell;
using baro::plugins::CellType;
using baro::plugins::Column;
using baro::plugins::field;
using baro::plugins::Table;

// Excel's limits: a cell holds at most 32,767 characters, a sheet 1,048,576 rows.
constexpr std::size_t kMaxCellBytes = 32767;
// No column wider than this many characters (a description would take the screen).
constexpr double kMaxWidth = 60.0;

// A private folder for the workbook, removed with its content whatever happens.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "baro-xlsx-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw baro::sdk::IoError("cannot create a temporary folder for the workbook in " +
                               fs::temp_directory_path().string() + " (TMPDIR)");
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const noexcept { return path_; }

 private:
  fs::path path_;
};

void check(lxw_error status, const char* what) {
  if (status != LXW_NO_ERROR) throw baro::sdk::DataError(std::string(what) + ": " + lxw_strerror(status));
}

// Text cut at a character boundary to what a cell holds.
std::string fit_cell(const std::string& text) {
  if (text.size() <= kMaxCellBytes) return text;
  std::size_t end = kMaxCellBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

class Workbook {
 public:
  explicit Workbook(const fs::path& file) : book_(workbook_new(file.c_str())) {
    if (book_ == nullptr) throw baro::sdk::IoError("libxlsxwriter could not create " + file.string());
    header_ = workbook_add_format(book_);
    format_set_bold(header_);
    format_set_text_wrap(header_);
    format_set_align(header_, LXW_ALIGN_VERTICAL_TOP);
    integer_ = workbook_add_format(book_);
    format_set_num_format(integer_, "#,##0");
    // Ids and years are numbers too, but "2 026" would read as a quantity.
    plain_integer_ = workbook_add_format(book_);
    format_set_num_format(plain_integer_, "0");
    number_ = workbook_add_format(book_);
    format_set_num_format(number_, "0.00");
    share_ = workbook_add_format(book_);
    format_set_num_format(share_, "0.0%");
  }
  ~Workbook() {
    // A workbook not closed (an exception) is still freed; what it wrote is discarded.
    if (book_ != nullptr) workbook_close(book_);
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;

  // A sheet: the header row, frozen and filtered; rows are added, then finish() sets widths.
  class Sheet {
   public:
    // `first_col` > 0: a second table beside another on the same sheet.
    Sheet(Workbook& book, lxw_worksheet* sheet, std::vector<Column> columns, lxw_col_t first_col = 0)
        : book_(book), sheet_(sheet), columns_(std::move(columns)), first_col_(first_col) {
      widths_.resize(columns_.size(), 0.0);
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        check(worksheet_write_string(sheet_, 0, col(c), columns_[c].header.c_str(), book.header_), "a header cell");
        // Headers wrap onto two lines rather than widen a column of 0s and 1s.
        widths_[c] = std::min(12.0, static_cast<double>(baro::plugins::display_width(columns_[c].header)));
      }
      if (first_col_ == 0) worksheet_freeze_panes(sheet_, 1, 0);
    }

    void add(const std::vector<Cell>& cells) {
      if (rows_ + 1 >= LXW_ROW_MAX) {
        throw baro::sdk::DataError("more rows than an Excel sheet holds (1,048,575): export with --to csv instead");
      }
      ++rows_;
      for (std::size_t c = 0; c < cells.size() && c < columns_.size(); ++c) write(rows_, c, cells[c]);
    }

    lxw_worksheet* raw() const noexcept { return sheet_; }

    void finish() {
      if (rows_ > 0) {
        check(worksheet_autofilter(sheet_, 0, first_col_, static_cast<lxw_row_t>(rows_), col(columns_.size() - 1)),
              "the filter");
      }
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        check(worksheet_set_column(sheet_, col(c), col(c), std::min(kMaxWidth, widths_[c] + 2.0), nullptr), "a width");
      }
    }

   private:
    lxw_col_t col(std::size_t c) const { return static_cast<lxw_col_t>(first_col_ + c); }

    void write(std::size_t row, std::size_t c, const Cell& cell) {
      const auto r = static_cast<lxw_row_t>(row);
      std::string shown;
      switch (cell.type) {
        case CellType::kEmpty:
          return;
        case CellType::kText: {
          if (cell.text.empty()) return;
          const std::string text = fit_cell(cell.text);
          check(worksheet_write_string(sheet_, r, col(c), text.c_str(), nullptr), "a text cell");
          shown = text;
          break;
        }
        case CellType::kInteger: {
          const bool grouped = columns_[c].key == "population" || columns_[c].key.find("count") != std::string::npos ||
                               columns_[c].key == "initiatives";
          check(worksheet_write_number(sheet_, r, col(c), cell.value, grouped ? book_.integer_ : book_.plain_integer_),
                "a number");
          shown = baro::plugins::group_thousands(static_cast<std::int64_t>(cell.value));
          break;
        }
        case CellType::kNumber:
          check(worksheet_write_number(sheet_, r, col(c), cell.value, book_.number_), "a number");
          shown = "-0000.00";
          break;
        case CellType::kShare:
          check(worksheet_write_number(sheet_, r, col(c), cell.value, book_.share_), "a share");
          shown = "100.0 %";
          break;
      }
      // The first line of a text is what a row shows.
      const std::string first_line = shown.substr(0, shown.find('\n'));
      widths_[c] = std::max(widths_[c], static_cast<double>(baro::plugins::display_width(first_line)));
    }

    Workbook& book_;
    lxw_worksheet* sheet_ = nullptr;
    std::vector<Column> columns_;
    lxw_col_t first_col_ = 0;
    std::vector<double> widths_;
    std::size_t rows_ = 0;
  };

  lxw_worksheet* sheet(const std::string& title) {
    lxw_worksheet* sheet = workbook_add_worksheet(book_, title.c_str());
    if (sheet == nullptr) throw baro::sdk::DataError("libxlsxwriter refused the sheet « " + title + " »");
    return sheet;
  }

  void table(const Table& t) {
    Sheet sheet(*this, this->sheet(t.title), t.columns);
    for (const auto& row : t.rows) sheet.add(row);
    sheet.finish();
  }

  void close() {
    lxw_workbook* book = book_;
    book_ = nullptr;
    const lxw_error status = workbook_close(book);
    if (status != LXW_NO_ERROR) throw baro::sdk::IoError(std::string("writing the workbook: ") + lxw_strerror(status));
  }

 private:
  lxw_workbook* book_ = nullptr;
  lxw_format *header_ = nullptr, *integer_ = nullptr, *plain_integer_ = nullptr, *number_ = nullptr, *share_ = nullptr;
};

// « Qualité »: the measure of the run on its coded sample, side by side with each domain's
// precision and recall (docs/report-json.md, `quality`).
void quality_sheet(Workbook& book, const nlohmann::json& report) {
  const nlohmann::json& v = field(field(report, "quality"), "validation");
  if (!v.is_object()) return;
  using baro::plugins::integer_cell;
  using baro::plugins::share_cell;
  using baro::plugins::text_cell;
  Workbook::Sheet summary(book, book.sheet("Qualité"),
                          {{"measure", "mesure", CellType::kText}, {"value", "valeur", CellType::kNumber}});
  const auto add = [&](const char* label, Cell value) { summary.add({text_cell(label), std::move(value)}); };
  add("initiatives tirées", integer_cell(field(v, "sampled")));
  add("initiatives codées", integer_cell(field(v, "n")));
  add("classées juste", integer_cell(field(v, "correct")));
  add("exactitude", share_cell(field(v, "accuracy")));
  add("exactitude, IC 95 % bas", share_cell(field(v, "ci95_low")));
  add("exactitude, IC 95 % haut", share_cell(field(v, "ci95_high")));
  add("exactitude pondérée par strate", share_cell(field(v, "weighted_accuracy")));
  add("initiatives codées deux fois", integer_cell(field(v, "double_coded")));
  add("kappa de Cohen entre codeurs", baro::plugins::number_cell(field(v, "kappa")));
  summary.finish();

  std::map<std::string, std::string> labels;
  for (const auto& d : field(report, "domains")) labels[baro::plugins::domain_id(d)] = baro::plugins::string(field(d, "label"));
  // Beside the summary, after an empty column: its filter covers this table alone.
  Workbook::Sheet domains(book, summary.raw(),
                          {{"domain", "domaine", CellType::kText},
                           {"label", "libellé", CellType::kText},
                           {"predicted", "prédites", CellType::kInteger},
                           {"gold", "codées", CellType::kInteger},
                           {"correct", "justes", CellType::kInteger},
                           {"precision", "précision", CellType::kShare},
                           {"recall", "rappel", CellType::kShare}},
                          3);
  for (const auto& d : field(v, "domains")) {
    const std::string id = baro::plugins::domain_id(d);
    domains.add({text_cell(id), text_cell(labels[id]), integer_cell(field(d, "predicted")), integer_cell(field(d, "gold")),
                 integer_cell(field(d, "correct")), share_cell(field(d, "precision")), share_cell(field(d, "recall"))});
  }
  domains.finish();
}

class XlsxExporter final : public baro::sdk::Exporter {
 public:
  XlsxExporter(const baro::sdk::Options&, const baro::sdk::Host&) {}

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    const nlohmann::json& report = input.report();
    const ScratchDir scratch;
    const fs::path file = scratch.path() / "barometre.xlsx";
    {
      Workbook book(file);
      const baro::plugins::InitiativeTable initiatives(input.domains(), report);
      Workbook::Sheet sheet(book, book.sheet("Initiatives"), initiatives.columns());
      input.for_each_initiative([&](const baro::sdk::Initiative& item) { sheet.add(initiatives.row(item)); });
      sheet.finish();
      for (const auto& name : baro::plugins::table_names()) book.table(baro::plugins::report_table(report, name));
      quality_sheet(book, report);
      book.close();
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw baro::sdk::IoError("cannot read back the workbook written in " + scratch.path().string());
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) output.write(std::string_view(buffer, static_cast<std::size_t>(in.gcount())));
    if (in.bad()) throw baro::sdk::IoError("reading back the workbook failed");
  }
};

}  // namespace

BARO_EXPORTER(XlsxExporter, "xlsx", "1.0.0",
              "an Excel workbook: the initiatives, then the report's tables (domains, communes, population bands, "
              "departments, regions, domains by department, quality), with real numbers and percent formats")
