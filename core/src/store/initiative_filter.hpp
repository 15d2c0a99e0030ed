// Internal: the one definition of which initiatives a report or an export covers — a run,
// and optionally a batch, a year, a region, a department. The report's figures and the
// exported rows select with this clause, so they cannot drift apart.
//
// It expects the aliases `c` (classifications), `i` (initiatives) and `m` (communes);
// parameters are bound by name, so each query can use the clause with others of its own.
#pragma once

#include <cstdint>
#include <string>

#include "baro/report.hpp"

namespace SQLite {
class Statement;
}

namespace baro::store {

// " c.run_id = :run AND …" (with a leading space).
std::string initiative_filter_sql(const ReportOptions& filters);

// Binds :run and the filters initiative_filter_sql() named.
void bind_initiative_filter(SQLite::Statement& query, std::int64_t run_id, const ReportOptions& filters);

}  // namespace baro::store
