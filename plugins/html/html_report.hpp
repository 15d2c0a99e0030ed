// The barometer as one self-contained HTML page: a pure function of the `baro-report/2`
// JSON document (docs/report-json.md), so that it renders any report, from this engine or
// from a saved file, the same way.
//
// The page needs nothing else: CSS and the charts (SVG) are inline, there is no script and
// no network access, so it can be mailed, archived or printed as it is. It is written for a
// municipal team: French labels and numbers, a print stylesheet (A4), a layout that reflows
// on a phone, and every chart with a title, a description and a data table beside it.
// Every string from the report is escaped.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace baro::html {

// Throws std::invalid_argument when `report` is not a `baro-report/2` object. Figures that a
// report lacks (an older document, or too few communes for a statistic) are shown as "—"
// or their section says why they are missing.
std::string render_report(const nlohmann::json& report);

// `text` with & < > " ' replaced by character references: safe in element content and in
// quoted attribute values.
std::string escape(std::string_view text);

}  // namespace baro::html
