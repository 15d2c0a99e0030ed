// Internal: the report in two steps, for callers that hold their own read transaction.
//
// compute_report() opens a read transaction, resolves which run and which of its initiatives
// the options select, and computes the figures. An export needs the first step (the run, its
// checked filters, how many initiatives) before it knows whether the plugin wants the figures
// at all, and wants both steps to see the same snapshot as the initiatives it streams: it
// opens the transaction itself and calls these.
#pragma once

#include <cstdint>

#include "baro/report.hpp"
#include "baro/store.hpp"

namespace baro::stats {

struct ReportScope {
  RunInfo run;
  ReportOptions options;  // as checked: run_id set, region/department spelled as the reference does
  std::int64_t initiatives = 0;  // of the run, after the filters
};

// Must be called inside a read transaction on store.database(). Throws what compute_report()
// throws for bad options: kUsage (an unknown filter value, rural_below <= 0), kDataError (no
// such run, nothing classified), kNoInput (filters that together select nothing).
ReportScope resolve_report_scope(const Store& store, const ReportOptions& options);

// The figures for `scope`, in the caller's read transaction (the one `scope` was resolved in).
Report compute_report_in_snapshot(const Store& store, const ReportScope& scope);

}  // namespace baro::stats
