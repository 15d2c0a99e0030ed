#include "baro/report.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <map>

#include "baro/error.hpp"
#include "store/sqlite_errors.hpp"

namespace baro {
namespace {

// The WHERE clause shared by every figure: the run, then the optional filters. Parameters
// are bound by name so that each query can use the subset it needs.
std::string filter_sql(const ReportOptions& options) {
  std::string sql = " c.run_id = :run";
  if (options.batch_id) sql += " AND i.batch_id = :batch";
  if (options.year) sql += " AND i.year = :year";
  if (options.region) sql += " AND m.region = :region";
  if (options.department) sql += " AND m.department = :department";
  return sql;
}

void bind_filters(SQLite::Statement& q, std::int64_t run, const ReportOptions& options) {
  q.bind(":run", run);
  if (options.batch_id) q.bind(":batch", *options.batch_id);
  if (options.year) q.bind(":year", *options.year);
  if (options.region) q.bind(":region", *options.region);
  if (options.department) q.bind(":department", *options.department);
}

constexpr const char* kFrom =
    " FROM classifications c JOIN initiatives i ON i.id = c.initiative_id JOIN communes m ON m.code = i.commune_code ";

}  // namespace

Report compute_report(const Store& store, const ReportOptions& options) {
  Report report;
  auto& db = const_cast<SQLite::Database&>(store.database());
  // One read transaction, begun before the run is chosen: the run and every figure come
  // from the same snapshot, even while an import commits in another process (a run chosen
  // outside it could count initiatives the figures do not).
  try {
    db.exec("BEGIN");
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "computing the report");
  }
  struct Rollback {
    SQLite::Database& db;
    ~Rollback() {
      try {
        db.exec("ROLLBACK");
      } catch (...) {
      }
    }
  } rollback{db};
  if (options.run_id) {
    const auto run = store.run(*options.run_id);
    if (!run) {
      throw data_error("there is no run " + std::to_string(*options.run_id), {store.path().string()},
                       "`baro runs list` shows the runs this database holds");
    }
    report.run = *run;
  } else {
    const auto run = store.latest_run();
    if (!run) {
      throw data_error("nothing has been classified in this database yet", {store.path().string()},
                       "import a survey batch with `baro classify FILE`");
    }
    report.run = *run;
  }
  try {
    const std::string where = filter_sql(options);
    {
      SQLite::Statement q(db, std::string("SELECT count(*), count(DISTINCT i.commune_code)") + kFrom + "WHERE" + where);
      bind_filters(q, report.run.id, options);
      q.executeStep();
      report.initiatives = q.getColumn(0).getInt64();
      report.communes = q.getColumn(1).getInt64();
    }
    std::map<std::string, std::int64_t> primary, touching;
    std::int64_t unclassified = 0;
    {
      SQLite::Statement q(db, std::string("SELECT c.primary_domain, count(*)") + kFrom + "WHERE" + where +
                                  " GROUP BY c.primary_domain");
      bind_filters(q, report.run.id, options);
      while (q.executeStep()) {
        if (q.getColumn(0).isNull()) unclassified = q.getColumn(1).getInt64();
        else primary[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
      }
    }
    {
      SQLite::Statement q(db, std::string("SELECT l.domain, count(*)") + kFrom +
                                  "JOIN labels l ON l.run_id = c.run_id AND l.initiative_id = c.initiative_id WHERE" +
                                  where + " GROUP BY l.domain");
      bind_filters(q, report.run.id, options);
      while (q.executeStep()) touching[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
    }
    const double total = static_cast<double>(report.initiatives);
    const auto share = [&](std::int64_t n) { return total > 0 ? static_cast<double>(n) / total : 0.0; };
    SQLite::Statement domains(db, "SELECT domain, label FROM run_domains WHERE run_id = ? ORDER BY position");
    domains.bind(1, report.run.id);
    while (domains.executeStep()) {
      DomainShare d;
      d.domain = domains.getColumn(0).getString();
      d.label = domains.getColumn(1).getString();
      d.primary_count = primary[d.domain];
      d.touching_count = touching[d.domain];
      d.primary_share = share(d.primary_count);
      d.touching_share = share(d.touching_count);
      report.domains.push_back(std::move(d));
    }
    DomainShare none;
    none.label = "Non classé";
    none.primary_count = unclassified;
    none.primary_share = share(unclassified);
    report.domains.push_back(std::move(none));
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "computing the report");
  }
  return report;
}

}  // namespace baro
