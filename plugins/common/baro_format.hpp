// Formatting shared by the built-in exporters (compiled into each plugin; not part of the
// SDK): numbers as the barometer prints them, display widths of UTF-8 text, CSV fields.
#pragma once

#include <cstdint>
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

// One CSV field (RFC 4180): quoted when it holds the delimiter, a quote, CR or LF, or starts
// with a space; quotes doubled.
inline std::string csv_field(std::string_view value, char delimiter) {
  bool quote = !value.empty() && (value.front() == ' ' || value.back() == ' ');
  for (char c : value) quote = quote || c == delimiter || c == '"' || c == '\r' || c == '\n';
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace baro::plugins
