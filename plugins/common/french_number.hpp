// French numbers as the report's sentences and the HTML page print them: decimal comma,
// thousands grouped with a no-break space (U+00A0), a no-break space before "%", so that a
// figure is never split across lines. Header-only and standard C++ only, because both the
// engine (its findings) and the HTML plugin, which cannot link the engine's internals,
// compile it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace baro::plugins {

inline constexpr const char* kFrenchNoBreakSpace = "\u00A0";
// A true minus sign (U+2212): the hyphen-minus is a typewriter's stand-in, and a reader's
// eye (or a line break) can lose it.
inline constexpr const char* kMinusSign = "\u2212";

// "12345" -> "12 345".
inline std::string group_french_digits(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += kFrenchNoBreakSpace;
    out += digits[i];
  }
  return out;
}

// 12345 -> "12 345"; -5 -> "−5".
inline std::string fr_integer(std::int64_t n) {
  // Through unsigned arithmetic, so that the most negative value has a magnitude too.
  const std::uint64_t magnitude = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  return (n < 0 ? kMinusSign : "") + group_french_digits(std::to_string(magnitude));
}

// 0.8234, 2 -> "0,82"; -1234.5, 1 -> "−1 234,5".
inline std::string fr_decimal(double x, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::fabs(x));
  const std::string digits = buffer;
  const auto point = digits.find('.');
  // "-0,00" reads as a negative figure that is not there.
  const bool negative = x < 0 && digits.find_first_not_of("0.") != std::string::npos;
  return (negative ? kMinusSign : "") + group_french_digits(digits.substr(0, point)) +
         (point == std::string::npos ? "" : "," + digits.substr(point + 1));
}

// 0.2734 -> "27,3 %".
inline std::string fr_percent(double fraction, int decimals = 1) {
  return fr_decimal(fraction * 100.0, decimals) + kFrenchNoBreakSpace + "%";
}

// A p-value to two significant digits: "< 0,001", "0,0031", "0,047", "0,41".
inline std::string fr_p(double p) {
  if (p < 0.001) return "< 0,001";
  // Two significant digits: 0.047 must not read as "0,05", the threshold it is below.
  return fr_decimal(p, std::max(2, 1 - static_cast<int>(std::floor(std::log10(p)))));
}

// "p < 0,001", "p = 0,0031".
inline std::string fr_p_value(double p) { return p < 0.001 ? "p " + fr_p(p) : "p = " + fr_p(p); }

}  // namespace baro::plugins
