#include "stats/french.hpp"

#include "french_number.hpp"

namespace baro::stats {

std::string fr_integer(std::int64_t n) { return plugins::fr_integer(n); }

std::string fr_decimal(double x, int decimals) { return plugins::fr_decimal(x, decimals); }

std::string fr_percent(double fraction, int decimals) { return plugins::fr_percent(fraction, decimals); }

std::string fr_p_value(double p) { return plugins::fr_p_value(p); }

}  // namespace baro::stats
