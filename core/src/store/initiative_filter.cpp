#include "store/initiative_filter.hpp"

#include <SQLiteCpp/Statement.h>

namespace baro::store {

std::string initiative_filter_sql(const ReportOptions& filters) {
  std::string sql = " c.run_id = :run";
  if (filters.batch_id) sql += " AND i.batch_id = :batch";
  if (filters.year) sql += " AND i.year = :year";
  if (filters.region) sql += " AND m.region = :region";
  if (filters.department) sql += " AND m.department = :department";
  return sql;
}

void bind_initiative_filter(SQLite::Statement& query, std::int64_t run_id, const ReportOptions& filters) {
  query.bind(":run", run_id);
  if (filters.batch_id) query.bind(":batch", *filters.batch_id);
  if (filters.year) query.bind(":year", *filters.year);
  if (filters.region) query.bind(":region", *filters.region);
  if (filters.department) query.bind(":department", *filters.department);
}

}  // namespace baro::store
