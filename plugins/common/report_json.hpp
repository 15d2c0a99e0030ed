// Reading the report document (docs/report-json.md) in the built-in exporters (compiled
// into each plugin; not part of the SDK). A figure a document lacks — an older
// baro-report/1, or a statistic undefined for too few communes — reads as absent, so that
// exporters print "—" instead of failing.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iomanip>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace baro::plugins {

// j[key], or null when j is not an object or has no such key.
inline const nlohmann::json& field(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

inline std::optional<double> number(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  return std::nullopt;
}

inline std::int64_t integer(const nlohmann::json& j) { return j.is_number() ? j.get<std::int64_t>() : 0; }

inline std::string string(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : std::string(); }

// "0.812" with `decimals` digits, "—" when absent.
inline std::string decimal(const std::optional<double>& x, int decimals) {
  if (!x) return "—";
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(decimals);
  out << *x;
  return out.str();
}

// A p-value to two significant digits: "< 0.001", "0.0031", "0.41".
inline std::string p_number(double p) {
  if (p < 0.001) return "< 0.001";
  std::ostringstream out;
  out << std::setprecision(2) << p;
  return out.str();
}

// "p < 0.001", "p = 0.0031".
inline std::string p_value(double p) { return p < 0.001 ? "p " + p_number(p) : "p = " + p_number(p); }

// How rural communes fare at equal size, as the text and Markdown reports word it after
// "à taille égale : " — "-17.0 % d'initiatives pour une commune rurale (Mann-Whitney,
// p = 0.0031)"; nullopt when the report has no such gap.
inline std::optional<std::string> rural_gap_phrase(const nlohmann::json& rural) {
  const auto gap = number(field(rural, "gap_at_equal_size"));
  if (!gap) return std::nullopt;
  std::string out = (*gap > 0 ? "+" : "") + decimal(*gap * 100.0, 1) + " % d'initiatives pour une commune rurale";
  const nlohmann::json& test = field(rural, "mann_whitney");
  if (test.is_object()) out += " (Mann-Whitney, " + p_value(number(field(test, "p_value")).value_or(1)) + ")";
  return out;
}

// Which run and rule set a report describes: "run 12 — rules fr-barometre 1.1.0
// (5341d3d2419f), 2026-03-01T10:00:00Z". One wording for the text and Markdown reports, so
// that they cannot drift apart; each brings its markup: `first_word` ("run", "Run") and
// `code_mark`, put around the rule set's id and hash (a Markdown backtick). Throws when the
// document lacks one of these facts: a report without them identifies nothing.
inline std::string run_header(const nlohmann::json& run, std::string_view first_word, std::string_view code_mark) {
  std::ostringstream out;
  out << first_word << ' ' << run.at("id").get<std::int64_t>() << " — rules " << code_mark
      << run.at("ruleset").at("id").get<std::string>() << code_mark << ' '
      << run.at("ruleset").at("version").get<std::string>() << " (" << code_mark
      << run.at("ruleset").at("hash").get<std::string>().substr(0, 12) << code_mark << "), "
      << run.at("created_at").get<std::string>();
  return out.str();
}

}  // namespace baro::plugins
