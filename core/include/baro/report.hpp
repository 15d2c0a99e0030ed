// The barometer's aggregates, computed from the store for one classification run.
//
// compute_report() reads a consistent snapshot (one read transaction) and returns plain
// data; formatting is the exporters' business. Figures are computed from the stored
// initiatives of the run, after the filters in ReportOptions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baro/store.hpp"

namespace baro {

struct ReportOptions {
  std::optional<std::int64_t> run_id;  // default: the latest run
  std::optional<std::int64_t> batch_id;
  std::optional<int> year;
  std::optional<std::string> region;      // INSEE region code, e.g. "84"
  std::optional<std::string> department;  // e.g. "69", "2A", "971"
};

struct DomainShare {
  std::string domain;     // domain id; "" for the unclassified row
  std::string label;
  std::int64_t primary_count = 0;  // initiatives whose primary domain this is
  double primary_share = 0.0;      // primary_count / initiatives (0..1); rows sum to 1
  std::int64_t touching_count = 0; // initiatives with this domain among their labels
  double touching_share = 0.0;
};

struct Report {
  RunInfo run;
  std::int64_t initiatives = 0;
  std::int64_t communes = 0;  // communes with at least one initiative
  std::vector<DomainShare> domains;  // rule-set order, then the unclassified row
};

// The report as the stable JSON document documented in docs/report-json.md: what
// `baro report --format json` prints and what exporter plugins receive.
std::string report_to_json(const Report& report);

// Throws baro::Error (kDataError) when the database holds no run (nothing classified yet) or
// the requested run does not exist.
Report compute_report(const Store& store, const ReportOptions& options = {});

}  // namespace baro
