#include "stats/french.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace baro::stats {
namespace {

constexpr const char* kNoBreakSpace = "\u00A0";

std::string group(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += kNoBreakSpace;
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string fr_integer(std::int64_t n) {
  // Through unsigned arithmetic, so that the most negative value has a magnitude too.
  const std::uint64_t magnitude = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  return (n < 0 ? "-" : "") + group(std::to_string(magnitude));
}

std::string fr_decimal(double x, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::fabs(x));
  std::string text = buffer;
  const auto point = text.find('.');
  std::string whole = text.substr(0, point);
  std::string fraction = point == std::string::npos ? "" : "," + text.substr(point + 1);
  // "-0,00" reads as a negative figure that is not there.
  const bool negative = x < 0 && text.find_first_not_of("0.") != std::string::npos;
  return (negative ? "-" : "") + group(whole) + fraction;
}

std::string fr_percent(double fraction, int decimals) {
  return fr_decimal(fraction * 100.0, decimals) + kNoBreakSpace + "%";
}

std::string fr_p_value(double p) {
  if (p < 0.001) return "p < 0,001";
  // Two significant digits: 0.047 must not read as "0,05", the threshold it is below.
  const int decimals = std::max(2, 1 - static_cast<int>(std::floor(std::log10(p))));
  return "p = " + fr_decimal(p, decimals);
}

}  // namespace baro::stats
