// French number formatting for the report's sentences: decimal comma, thousands grouped with
// a no-break space (U+00A0), a no-break space before "%", as French typography wants and
// so that a figure is never split across lines. The formatting itself is
// plugins/common/french_number.hpp, which the HTML page shares.
#pragma once

#include <cstdint>
#include <string>

namespace baro::stats {

std::string fr_integer(std::int64_t n);              // 12345 -> "12 345"
std::string fr_decimal(double x, int decimals);      // 0.8234, 2 -> "0,82"; -1234.5, 1 -> "-1 234,5"
std::string fr_percent(double fraction, int decimals = 1);  // 0.2734 -> "27,3 %"
std::string fr_p_value(double p);                    // two significant digits: "p < 0,001", "p = 0,0031", "p = 0,047", "p = 0,41"

}  // namespace baro::stats
