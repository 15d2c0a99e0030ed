// Writing files other tools read: delimited rows (TSV, CSV) whose fields are quoted,
// escaped and guarded the way R, Python, pandas and spreadsheets expect, with numbers in the
// C locale whatever the process's locale.
//
//   using namespace baro::sdk;
//   Row header(kTsv), row(kTsv);
//   header.text("commune").text("population");
//   row.text(item.commune_name()).number(item.population());   // optional: NA when absent
//   out.write(header.line());  out.write(row.line());
//
// Why a helper: an exporter that streams `double`s into std::ostream writes "0,25" under a
// French global locale (std::locale::global), or "1e+06" where R expects a number, and a
// description holding a tab, a quote or a line break silently shifts every later column.
// Row formats numbers with std::to_chars (locale-independent, shortest text that reads back
// to the same double) and quotes any field that needs it (RFC 4180: a quoted field, quotes
// doubled), which R's read.delim / read.csv, Python's csv module, pandas and spreadsheets
// all read back.
//
// Header-only and exception-neutral (std::string may throw std::bad_alloc); a Row is a
// plain value, used from one thread.
#pragma once

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace baro::sdk {

// How rows are written. The three below cover the usual readers; build your own for others.
struct Dialect {
  char delimiter = '\t';
  std::string_view newline = "\n";
  // What an absent value (std::nullopt, a NaN, Row::missing()) is written as.
  std::string_view missing = "NA";
  // The decimal mark of numbers: '.' for every program, ',' for a spreadsheet in French.
  char decimal_mark = '.';
  // A text cell that begins with = + - @, a tab or a carriage return is read by spreadsheets
  // as a formula ("CSV injection"): with this set it gets a leading ' (OWASP's advice),
  // which Excel shows as text. Numbers written with Row::number() are never changed. Leave
  // it off for files read by programs: the ' would become part of the value.
  bool neutralise_formulas = false;
  // A UTF-8 byte-order mark before the first row (Row::bom()): without it Excel reads
  // Windows-1252. R's read.delim and Python's csv take it for part of the first column's
  // name unless told (fileEncoding = "UTF-8-BOM", encoding="utf-8-sig"), so only for Excel.
  bool byte_order_mark = false;
};

// Tab-separated values for R (read.delim, whose na.strings default is "NA"), Python
// (csv.reader(f, delimiter='\t')), pandas (read_csv(sep='\t')) and LibreOffice.
inline constexpr Dialect kTsv{'\t', "\n", "NA", '.', false, false};
// RFC 4180 comma-separated values for programs (R read.csv, Python csv, pandas): an absent
// value is an empty field, which read.csv reads as NA in a numeric column.
inline constexpr Dialect kCsv{',', "\n", "", '.', false, false};
// What French Excel opens correctly by double-click: ';', decimal commas, a byte-order mark,
// CRLF line ends, formulas neutralised.
inline constexpr Dialect kExcelCsv{';', "\r\n", "", ',', true, true};

// One row being built. Fields are appended in order; line() gives the row with its line end.
class Row {
 public:
  explicit Row(const Dialect& dialect) : dialect_(dialect) {}

  // A text field, quoted when it holds the delimiter, a quote, CR or LF, or starts or ends
  // with a space (quotes doubled).
  Row& text(std::string_view value) {
    separate();
    if (dialect_.neutralise_formulas && !value.empty()) {
      switch (value.front()) {
        case '=': case '+': case '-': case '@': case '\t': case '\r':
        {
          // Built by appending: GCC 12's -Wrestrict misfires on "'" + std::string at -O2.
          std::string guarded(1, '\'');
          guarded.append(value);
          append_text(guarded);
          return *this;
        }
        default:
          break;
      }
    }
    append_text(value);
    return *this;
  }

  // An integer, in plain digits.
  template <std::integral T>
  Row& number(T value) {
    separate();
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    line_.append(buffer, result.ptr);
    return *this;
  }
  // A floating-point number: the shortest text that reads back to the same value, without
  // an exponent for the magnitudes surveys have (|value| in [1e-5, 1e15]), with the dialect's
  // decimal mark. NaN and infinities are written as missing.
  Row& number(double value) {
    if (!std::isfinite(value)) return missing();
    separate();
    char buffer[64];
    const double magnitude = std::fabs(value);
    const bool plain = magnitude == 0.0 || (magnitude >= 1e-5 && magnitude < 1e15);
    const auto result = plain ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
                              : std::to_chars(buffer, buffer + sizeof buffer, value);
    if (result.ec != std::errc()) return missing_after_separator();
    for (char* p = buffer; p != result.ptr; ++p) line_ += *p == '.' ? dialect_.decimal_mark : *p;
    return *this;
  }
  // A number rounded to `decimals` places (e.g. a share as 0.125 rather than 0.12500000000000001).
  Row& number(double value, int decimals) {
    if (!std::isfinite(value)) return missing();
    separate();
    char buffer[400];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
    if (result.ec != std::errc()) return missing_after_separator();
    for (char* p = buffer; p != result.ptr; ++p) line_ += *p == '.' ? dialect_.decimal_mark : *p;
    return *this;
  }
  template <class T>
  Row& number(const std::optional<T>& value) {
    return value ? number(*value) : missing();
  }
  // An absent value (the dialect's `missing`).
  Row& missing() {
    separate();
    return missing_after_separator();
  }

  std::size_t fields() const noexcept { return fields_; }
  // The row with the dialect's line end. The Row is left empty, ready for the next one.
  std::string line() {
    std::string out = std::move(line_);
    out += dialect_.newline;
    line_.clear();
    fields_ = 0;
    return out;
  }
  // The dialect's byte-order mark, if it has one: write it once, before the first row.
  std::string_view bom() const noexcept { return dialect_.byte_order_mark ? std::string_view("\xEF\xBB\xBF") : std::string_view(); }

 private:
  void separate() {
    if (fields_++ > 0) line_ += dialect_.delimiter;
  }
  Row& missing_after_separator() {
    append_text(dialect_.missing);
    return *this;
  }
  void append_text(std::string_view value) {
    bool quote = !value.empty() && (value.front() == ' ' || value.back() == ' ');
    for (char c : value) quote = quote || c == dialect_.delimiter || c == '"' || c == '\r' || c == '\n';
    if (!quote) {
      line_ += value;
      return;
    }
    line_ += '"';
    for (char c : value) {
      if (c == '"') line_ += '"';
      line_ += c;
    }
    line_ += '"';
  }

  Dialect dialect_;
  std::string line_;
  std::size_t fields_ = 0;
};

}  // namespace baro::sdk
