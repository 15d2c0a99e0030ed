// Formatting shared by the built-in exporters (compiled into each plugin; not part of the
// SDK): numbers as the barometer prints them, display widths of UTF-8 text, CSV fields.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>

namespace baro::plugins {

// "12 345": French grouping with a plain space (a narrow no-break space is unreadable in
// terminals and breaks copy-paste into spreadsheets).
inline std::string group_thousands(std::int64_t n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// A share (0..1) as "27,0 %" (French decimal comma; a plain space, like group_thousands).
inline std::string percent(double share, int decimals = 1) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(decimals);
  out << share * 100.0;
  std::string text = out.str();
  if (const auto point = text.find('.'); point != std::string::npos) text[point] = ',';
  return text + " %";
}

// Characters (code points) in UTF-8 text: setw counts bytes, so accented labels need this
// to stay aligned.
inline std::size_t display_width(std::string_view utf8) {
  std::size_t chars = 0;
  for (unsigned char c : utf8) chars += (c & 0xC0) != 0x80;
  return chars;
}

// `text` left-aligned in `width` characters.
inline std::string pad_right(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t w = display_width(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

// `text` right-aligned in `width` characters.
inline std::string pad_left(std::string_view text, std::size_t width) {
  const std::size_t w = display_width(text);
  return (w < width ? std::string(width - w, ' ') : std::string()) + std::string(text);
}

// How a CSV file is written. Every CSV written for people to open (an `--excel` export, a
// rejects file, a validation sample) uses kExcelCsv; the one field writer below serves them
// all, in the exporters and in the engine alike.
struct CsvDialect {
  char delimiter = ',';
  const char* newline = "\n";
  bool bom = false;  // a UTF-8 byte-order mark first: without it, Excel reads Windows-1252
  // A cell that begins with = + - @, a tab or a carriage return is taken by a spreadsheet
  // for a formula ("CSV injection"): it gets a leading ' (OWASP's advice), which Excel shows
  // as text. A negative number ("-0,7") is left as it is: it is no formula.
  bool neutralise_formulas = false;
};

// What French Excel opens correctly by double-click: `;`, a UTF-8 BOM, CRLF, no formulas.
inline constexpr CsvDialect kExcelCsv{';', "\r\n", true, true};

// "-12", "-0,705", "-1.5e-05": a negative number, which a spreadsheet reads as that number
// and never runs; the figures of a table must stay numbers.
inline bool is_negative_number(std::string_view value) {
  std::size_t i = 1, digits = 0;
  const auto run = [&] {
    const std::size_t start = i;
    while (i < value.size() && value[i] >= '0' && value[i] <= '9') ++i;
    return i - start;
  };
  if (value.size() < 2 || value[0] != '-') return false;
  digits = run();
  if (i < value.size() && (value[i] == '.' || value[i] == ',')) {
    ++i;
    digits += run();
  }
  if (digits == 0) return false;
  if (i < value.size() && (value[i] == 'e' || value[i] == 'E')) {
    ++i;
    if (i < value.size() && (value[i] == '-' || value[i] == '+')) ++i;
    if (run() == 0) return false;
  }
  return i == value.size();
}

// A cell's text as a spreadsheet must show it (see CsvDialect::neutralise_formulas).
inline std::string neutralise_formula(std::string_view value) {
  if (value.empty() || is_negative_number(value)) return std::string(value);
  switch (value.front()) {
    case '=': case '+': case '-': case '@': case '\t': case '\r':
      return "'" + std::string(value);
    default:
      return std::string(value);
  }
}

// One CSV field (RFC 4180): quoted when it holds the delimiter, a quote, CR or LF, or starts
// or ends with a space; quotes doubled.
inline std::string csv_field(std::string_view value, const CsvDialect& dialect) {
  const std::string text = dialect.neutralise_formulas ? neutralise_formula(value) : std::string(value);
  bool quote = !text.empty() && (text.front() == ' ' || text.back() == ' ');
  for (char c : text) quote = quote || c == dialect.delimiter || c == '"' || c == '\r' || c == '\n';
  if (!quote) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// One CSV line: the fields, the delimiter between them, the dialect's line end.
template <typename Fields>
std::string csv_row(const Fields& fields, const CsvDialect& dialect) {
  std::string out;
  bool first = true;
  for (const auto& f : fields) {
    if (!first) out += dialect.delimiter;
    first = false;
    out += csv_field(f, dialect);
  }
  return out + dialect.newline;
}
inline std::string csv_row(std::initializer_list<std::string_view> fields, const CsvDialect& dialect) {
  return csv_row<std::initializer_list<std::string_view>>(fields, dialect);
}

}  // namespace baro::plugins
