// Reading the report document (docs/report-json.md) in the built-in exporters (compiled
// into each plugin; not part of the SDK). A figure a document lacks — an older
// baro-report/1, or a statistic undefined for too few communes — reads as absent, so that
// exporters print "—" instead of failing.
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "french_number.hpp"

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

// "0,812" with `decimals` digits (French: decimal comma, true minus sign), "—" when absent.
inline std::string decimal(const std::optional<double>& x, int decimals) {
  if (!x) return "—";
  return fr_decimal(*x, decimals);
}

// A p-value to two significant digits: "< 0,001", "0,0031", "0,41".
inline std::string p_number(double p) { return fr_p(p); }

// "p < 0,001", "p = 0,0031".
inline std::string p_value(double p) { return fr_p_value(p); }

// A count and its noun, agreeing: "1 commune", "12 communes", "0 commune" (French: the
// singular below 2). `plural` defaults to the singular with an "s".
inline std::string count_noun(std::int64_t n, const std::string& singular, const std::string& plural = {}) {
  return fr_integer(n) + "\u00A0" + (n >= 2 || n <= -2 ? (plural.empty() ? singular + "s" : plural) : singular);
}

// The filters a report was computed with, in French, from its `filters` object: "année
// 2026, lot n° 2, région 84, département 2A", or that every initiative of the run is counted.
inline std::string scope_phrase(const nlohmann::json& filters) {
  std::string out;
  const auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  if (field(filters, "year").is_number()) add("année " + std::to_string(integer(field(filters, "year"))));
  if (field(filters, "batch").is_number()) add("lot n° " + std::to_string(integer(field(filters, "batch"))));
  if (field(filters, "region").is_string()) add("région " + string(field(filters, "region")));
  if (field(filters, "department").is_string()) add("département " + string(field(filters, "department")));
  return out.empty() ? "toutes les initiatives de la classification" : out;
}

// How rural communes fare at equal population, from the report's count model, as the text
// and Markdown reports word it after "à population égale : " — "rapport de taux 0,63
// (IC 95 % 0,51 à 0,77, p < 0,001) : 37 % d'initiatives en moins pour une commune rurale";
// nullopt when the report has no count model.
inline std::optional<std::string> rural_gap_phrase(const nlohmann::json& rural) {
  const nlohmann::json& model = field(rural, "count_model");
  const auto ratio = number(field(model, "rate_ratio"));
  const auto low = number(field(model, "ci95_low")), high = number(field(model, "ci95_high"));
  if (!ratio || !low || !high) return std::nullopt;
  std::string out = "rapport de taux " + fr_decimal(*ratio, 2) + " (IC 95 % " + fr_decimal(*low, 2) + " à " +
                    fr_decimal(*high, 2) + ", " + fr_p_value(number(field(model, "p_value")).value_or(1)) + ") : ";
  if (*low <= 1.0 && *high >= 1.0) return out + "pas d'écart établi entre communes rurales et urbaines";
  return out + fr_percent(std::fabs(*ratio - 1.0), 0) + (*ratio < 1 ? " d'initiatives en moins" : " d'initiatives en plus") +
         " pour une commune rurale";
}

// The « Qualité du classement » sentence of the text, Markdown and HTML reports, from the
// report's `quality`: the measured accuracy of the run on its coded sample — "Sur un
// échantillon de 198 initiatives codées à la main (200 tirées), le classement est exact
// pour 87,4 % d'entre elles (IC 95 % 81,9 à 91,5 %) ; accord entre codeurs : κ = 0,81." —
// or, without a sample, that the shares are not corrected.
inline std::string quality_sentence(const nlohmann::json& report) {
  const nlohmann::json& v = field(field(report, "quality"), "validation");
  if (!v.is_object()) {
    return "Aucun échantillon codé à la main pour cette classification : les parts des domaines ne sont pas "
           "corrigées des erreurs du classement (baro sample, puis baro validate).";
  }
  const std::int64_t n = integer(field(v, "n")), sampled = integer(field(v, "sampled"));
  std::string out = "Sur un échantillon de " + count_noun(n, "initiative codée", "initiatives codées") +
                    " à la main";
  if (sampled > n) out += " (" + fr_integer(sampled) + " tirées)";
  out += ", le classement est exact pour " + fr_percent(number(field(v, "accuracy")).value_or(0)) +
         (n >= 2 ? " d'entre elles" : "") + " (IC 95 % " + fr_percent(number(field(v, "ci95_low")).value_or(0)) +
         " à " + fr_percent(number(field(v, "ci95_high")).value_or(0)) + ")";
  if (const auto kappa = number(field(v, "kappa"))) {
    out += " ; accord entre deux codeurs sur " + count_noun(integer(field(v, "double_coded")), "initiative") +
           " : κ = " + fr_decimal(*kappa, 2);
  }
  return out + ". Les parts corrigées redistribuent les effectifs de chaque domaine prédit selon les erreurs "
               "mesurées dans l'échantillon.";
}

// "31,2 % (27,0 à 35,1 %)": a domain's corrected share and its interval; "—" without.
// `space` goes before each "%": a plain space in the text and Markdown tables, whose other
// percentages have one (baro_format.hpp's percent()).
inline std::string corrected_share_text(const nlohmann::json& domain, const char* space = kFrenchNoBreakSpace) {
  const auto share = number(field(domain, "corrected_share"));
  const nlohmann::json& ci = field(domain, "corrected_share_ci95");
  if (!share) return "—";
  std::string out = fr_decimal(*share * 100.0, 1) + space + "%";
  if (ci.is_array() && ci.size() == 2 && number(ci[0]) && number(ci[1])) {
    out += " (" + fr_decimal(*number(ci[0]) * 100.0, 1) + " à " + fr_decimal(*number(ci[1]) * 100.0, 1) + space + "%)";
  }
  return out;
}

// Which classification run and rule set a report describes: "classification n° 12 — règles
// fr-barometre 1.1.0 (5341d3d2419f), 2026-03-01T10:00:00Z". One wording for the text and
// Markdown reports, so that they cannot drift apart; each brings its markup: `first_word`
// ("classification", "Classification") and `code_mark`, put around the rule set's id and
// hash (a Markdown backtick). Throws when the document lacks one of these facts: a report
// without them identifies nothing.
inline std::string run_header(const nlohmann::json& run, std::string_view first_word, std::string_view code_mark) {
  std::ostringstream out;
  out << first_word << " n° " << run.at("id").get<std::int64_t>() << " — règles " << code_mark
      << run.at("ruleset").at("id").get<std::string>() << code_mark << ' '
      << run.at("ruleset").at("version").get<std::string>() << " (" << code_mark
      << run.at("ruleset").at("hash").get<std::string>().substr(0, 12) << code_mark << "), "
      << run.at("created_at").get<std::string>();
  return out.str();
}

}  // namespace baro::plugins
